"""What counts as a number in a typed or uploaded value: a finite int or float, never a bool
(JSON's true and Excel's TRUE are no price, score or weight)."""

from __future__ import annotations

import math


def finite(value) -> bool:
    """Whether ``value`` is a finite int or float and not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def read_number(value) -> float | str:
    """A typed or uploaded value (a number, or text such as "1,200") read as a finite number: the
    float, or why it is none, in Chinese, quoting the value (a bool, text that is no number, NaN,
    infinity, a figure too large for a float). Ranges and wholeness are the caller's to say."""
    if isinstance(value, bool):  # Excel's TRUE is no count and no price
        return f"应为数字，而不是“{value}”"
    try:
        number = float(str(value).strip().replace(",", "")) if not isinstance(value, int | float) else float(value)
    except (ValueError, OverflowError):
        return f"应为数字，而不是“{value}”"
    if not math.isfinite(number):
        return f"应为有限的数字，而不是“{value}”"
    return number


def shown(number: float) -> str:
    """A number as a message quotes it: thousands separated, at most two decimals (1,234.56,
    1,000,000), and an absurd size in short (1e+21) rather than twenty-two digits."""
    if abs(number) >= 1e15:
        return f"{number:.3g}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")
