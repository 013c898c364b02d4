"""Small pieces of the national rule that both the single and the batch scorer use."""

from __future__ import annotations

from diagnose.rule.questionnaire import Option, Question

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
    """``numerator`` as a percentage of ``denominator``; the caller guarantees ``denominator != 0``."""
    return 100 * numerator / denominator


def trend_measure(question: Question, figures: dict) -> float:
    """One period's measure: the numerator, or numerator / denominator."""
    trend = question.trend
    value = figures[trend.numerator.key]
    return value / figures[trend.denominator.key] if trend.denominator else value


def trend_change_percent(question: Question, before: dict, after: dict) -> float:
    """The relative change of the measure from the earlier period to the later, in percent."""
    first, second = trend_measure(question, before), trend_measure(question, after)
    return 100 * (second - first) / first


def trend_option(question: Question, before: dict, after: dict) -> Option:
    """增加 / 持平 / 降低 as the options of the question name them: a change within
    ``flat_within_percent`` is 持平; otherwise better or worse by the trend's direction."""
    trend = question.trend
    change = trend_change_percent(question, before, after)
    if abs(change) <= trend.flat_within_percent * (1 + BAND_TOLERANCE):
        return question.option(trend.flat_code)
    improved = change < 0 if trend.better == "lower" else change > 0
    return question.option(trend.better_code if improved else trend.worse_code)
