"""Shared fixtures: the shipped questionnaires, loaded once."""

from __future__ import annotations

import pytest

from diagnose.questionnaire import DEFAULT_DIRECTORY, load_directory


@pytest.fixture(scope="session")
def registry():
    return load_directory(DEFAULT_DIRECTORY)


@pytest.fixture(scope="session")
def national(registry):
    return registry["national-2024"]
