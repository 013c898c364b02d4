"""The one clock of the tool: the pilot's day is China's day, whatever the server's zone.

Every "today" (a visit date not in the future, the pilot window, the month an
enterprise counts in, how long a review has waited) comes from ``today()``;
every stored moment from ``now()`` (UTC, shown in China time). The zone is
``Asia/Shanghai`` unless ``DIAGNOSE_TIMEZONE`` names another IANA zone.

Tests and demonstrations set the clock: ``set_clock(moment)`` (or the
``DIAGNOSE_CLOCK`` environment variable, an ISO date or date-time in the
pilot's zone, read when the process starts) makes ``now()`` start at that
moment and run on from there, so no test depends on the day it runs.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"

# (the moment the clock was set to, the monotonic time when it was set), or None for real time
_offset: tuple[datetime, float] | None = None


def zone() -> ZoneInfo:
    """The pilot's zone: ``DIAGNOSE_TIMEZONE``, else Asia/Shanghai; raises if it names no IANA zone."""
    return ZoneInfo(os.environ.get("DIAGNOSE_TIMEZONE") or DEFAULT_ZONE)


def now() -> datetime:
    """This moment, in UTC (aware)."""
    if _offset is None:
        return datetime.now(UTC)
    start, at = _offset
    return start + timedelta(seconds=time.monotonic() - at)


def today() -> date:
    """The pilot's date now: the calendar day in its zone (China), not the server's."""
    return now().astimezone(zone()).date()


def local(moment: datetime) -> datetime:
    """A stored moment in the pilot's zone (a moment without a zone is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone())


def minute(moment: datetime | None) -> str:
    """A stored moment as a person in the pilot reads it: ``2026-12-03 19:52`` (China), or — for none."""
    return f"{local(moment):%Y-%m-%d %H:%M}" if moment is not None else "—"


def parse_moment(text: str) -> datetime:
    """``2026-11-20`` (09:00 that day) or ``2026-11-20T01:30`` in the pilot's zone, as UTC.

    Raises ValueError with the accepted forms for anything else."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"时钟应为日期或日期时间，如 2026-11-20 或 2026-11-20T01:30，而不是 {text!r}") from None
    if len(text.strip()) == 10:
        moment = moment.replace(hour=9)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone())
    return moment.astimezone(UTC)


def set_clock(moment: datetime | None) -> None:
    """Run the clock from ``moment`` on (None: real time again)."""
    global _offset
    _offset = None if moment is None else (moment.astimezone(UTC), time.monotonic())


if os.environ.get("DIAGNOSE_CLOCK"):
    set_clock(parse_moment(os.environ["DIAGNOSE_CLOCK"]))
