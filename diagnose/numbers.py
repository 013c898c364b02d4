"""What counts as a number in a typed or uploaded value: a finite int or float, never a bool
(JSON's true and Excel's TRUE are no price, score or weight)."""

from __future__ import annotations

import math


def finite(value) -> bool:
    """Whether ``value`` is a finite int or float and not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
