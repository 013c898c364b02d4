"""AppTest of 试点看板: an official sees the figures; an enterprise account cannot open it."""

from __future__ import annotations

import pytest

from diagnose.services.dashboard import pilot
from diagnose.services.guard import PermissionDenied

from .conftest import ADMIN, open_app

PAGE = "diagnose/ui/dashboard.py"


def test_an_official_sees_the_counts_and_the_target(seeded, sign_in_as):
    sign_in_as("official")
    expected = pilot(seeded, ADMIN)

    at = open_app()  # the official's first page

    assert not at.exception
    assert at.title[0].value == "试点看板"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["企业"] == "30" and metrics["已诊断"] == str(expected.diagnosed)
    assert f"按试点口径达标 {len(expected.counting)} / 200 家" in at.get("progress")[0].proto.text
    at.number_input(key="board_target").set_value(50).run()
    assert "/ 50 家" in at.get("progress")[0].proto.text


def test_an_enterprise_account_cannot_open_the_board(seeded, sign_in_as):
    actor = sign_in_as("enterprise")

    at = open_app()

    with pytest.raises(ValueError):
        at.switch_page(PAGE)
    with pytest.raises(PermissionDenied):
        pilot(seeded, actor)
