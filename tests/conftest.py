"""Shared fixtures: the shipped questionnaires, loaded once."""

from __future__ import annotations

import pytest

from diagnose.questionnaire import DEFAULT_DIRECTORY, load_directory


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
