"""Shared fixtures: the shipped questionnaires, loaded once."""

from __future__ import annotations

import pytest
from hypothesis import settings

from diagnose import clock
from diagnose.rule.loading import DEFAULT_DIRECTORY, load_directory

# Property tests check what holds, never how fast: an example that takes over hypothesis's
# 200 ms on a busy 2-core machine is no failure (speed is measured in benchmarks/).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

# The day every test runs on, in China (the pilot's zone): no test depends on the real date.
TEST_CLOCK = "2026-11-28T10:00"


@pytest.fixture(scope="session", autouse=True)
def pilot_clock():
    """Set the tool's one clock for this process and for the app servers the browser tests start."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIAGNOSE_CLOCK", TEST_CLOCK)
        clock.set_clock(clock.parse_moment(TEST_CLOCK))
        yield
        clock.set_clock(None)


@pytest.fixture(scope="session", autouse=True)
def data_folder(tmp_path_factory):
    """Every test's default database and evidence live in a temporary folder, never in data/."""
    folder = tmp_path_factory.mktemp("data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIAGNOSE_DATA_DIR", str(folder))
        patch.delenv("DIAGNOSE_DATABASE_URL", raising=False)
        yield folder


@pytest.fixture(scope="session")
def registry():
    return load_directory(DEFAULT_DIRECTORY)


@pytest.fixture(scope="session")
def national(registry):
    return registry["national-2024"]
