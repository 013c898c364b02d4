"""Small pieces of the national rule that both the single and the batch scorer use."""

from __future__ import annotations

from diagnose.questionnaire import Option, Question

# Figures typed as decimals (0.1 of 1) land a hair off a band's edge in
# binary floating point; this tolerance puts them back on the edge, which
# belongs to the lower band.
BAND_TOLERANCE = 1e-12


def ratio_option(question: Question, numerator: float, denominator: float) -> Option:
    """The band a ratio falls in: bands are left-open, right-closed (10 % is the first band).

    The caller guarantees ``0 <= numerator <= denominator`` and ``denominator > 0``.
    """
    for option in question.options:
        if numerator * 100 <= option.upper_percent * denominator * (1 + BAND_TOLERANCE):
            return option
    return question.options[-1]


def ratio_percent(numerator: float, denominator: float) -> float:
    return 100 * numerator / denominator
