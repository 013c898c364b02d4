"""The pilot's day is China's day: one clock, in Asia/Shanghai unless configured, set by tests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from diagnose import clock
from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory
from diagnose.visit.items import check_item


@pytest.fixture
def at_one_in_the_morning_in_china():
    """01:00 on 2026-11-20 in China is still 2026-11-19 on a server that runs in UTC."""
    clock.set_clock(datetime(2026, 11, 19, 17, 0, tzinfo=UTC))
    yield
    clock.set_clock(clock.parse_moment("2026-11-28T10:00"))


def test_today_is_the_day_in_china_not_on_the_server(at_one_in_the_morning_in_china):
    assert clock.now().date() == date(2026, 11, 19)  # the UTC date
    assert clock.today() == date(2026, 11, 20)


def test_a_visit_dated_today_in_china_is_accepted_at_one_in_the_morning(at_one_in_the_morning_in_china):
    questionnaire = load_directory(DEFAULT_DIRECTORY)["national-2024"]

    accepted, reason = check_item(questionnaire, "visit.date", "2026-11-20")
    _, tomorrow = check_item(questionnaire, "visit.date", "2026-11-21")

    assert (accepted, reason) == ("2026-11-20", None)
    assert tomorrow == "走访日期：不能晚于今天"


def test_another_zone_can_be_configured(at_one_in_the_morning_in_china, monkeypatch):
    monkeypatch.setenv("DIAGNOSE_TIMEZONE", "Europe/Berlin")

    assert clock.today() == date(2026, 11, 19)  # 18:00 in Berlin


def test_the_clock_runs_on_from_the_moment_it_is_set():
    clock.set_clock(clock.parse_moment("2026-11-20"))
    first = clock.now()
    second = clock.now()

    assert clock.local(first).isoformat().startswith("2026-11-20T09:00")
    assert second >= first
    clock.set_clock(clock.parse_moment("2026-11-28T10:00"))


def test_a_clock_setting_that_is_no_date_is_refused_in_words():
    with pytest.raises(ValueError, match="时钟应为日期或日期时间"):
        clock.parse_moment("next tuesday")
