"""AppTest of 企业画像: the level, the charts, the industry mean only from five approved peers."""

from __future__ import annotations

import pytest

from diagnose.services import assessments as visits
from diagnose.services import questionnaires
from diagnose.services.accounts import actor_of, add_user
from diagnose.services.enterprises import create_enterprise
from diagnose.store import records
from tests.integration.helpers import FULL_ANSWERS, credit_code

from .conftest import ADMIN, PASSWORD, open_app

PAGE = "diagnose/ui/enterprise_view.py"


def approved_plastics(store, consultant, count: int, start: int = 500) -> list[int]:
    """``count`` 塑胶 enterprises, each with an approved baseline."""
    made = []
    for n in range(start, start + count):
        enterprise = create_enterprise(store, consultant, {"credit_code": credit_code(n), "name": f"测试塑胶{n}",
                                                           "industry": "塑胶", "district": "榕城区"})  # fmt: skip
        draft = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires())
        revision = 0
        items = {"visit.date": "2026-11-20", "visit.consultants": ["顾问甲"]} | FULL_ANSWERS
        items |= {f"scene:{s.name}": 2 for s in questionnaires()["plastics"].scenes}
        for item, value in items.items():
            revision = visits.save_item(store, consultant, draft, item, value, revision).revision
        visits.submit(store, consultant, draft)
        visits.approve(store, official(store), draft)
        made.append(enterprise)
    return made


def official(store):
    with store.read() as conn:
        row = records.user_by_name(conn, "approving.official")
    if row is None:
        add_user(store, ADMIN, "approving.official", "official", PASSWORD)
        return official(store)
    return actor_of(row)


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """A store with no sample data: the only approved peers are the ones a test makes."""
    from diagnose.services import open_store

    url = f"sqlite:///{tmp_path / 'bare.db'}"
    store = open_store(url, evidence_dir=tmp_path / "evidence")
    store.upgrade()
    monkeypatch.setenv("DIAGNOSE_DATABASE_URL", url)
    yield store
    store.dispose()


@pytest.fixture
def consultant(bare):
    add_user(bare, ADMIN, "view.consultant", "consultant", PASSWORD)
    with bare.read() as conn:
        return actor_of(records.user_by_name(conn, "view.consultant"))


def radar_names(at) -> list[str]:
    import json

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [trace.get("name") for trace in spec["data"]]


@pytest.mark.parametrize(("peers", "shown"), [(4, False), (5, True)])
def test_the_industry_mean_appears_from_five_approved_peers(bare, consultant, monkeypatch, peers, shown):
    from diagnose.access.sessions import sign_session

    made = approved_plastics(bare, consultant, peers)
    viewer = official(bare)
    with bare.read() as conn:
        version = records.user_by_id(conn, viewer.id)["session_version"]
    monkeypatch.setattr("diagnose.ui.session.session_cookie", lambda: sign_session(viewer.id, version))
    at = open_app(PAGE)

    at.selectbox(key="view_pick").set_value(made[0]).run()

    assert not at.exception
    assert any(name.startswith("塑胶行业均值") for name in radar_names(at)) is shown
    assert any("不显示行业均值" in c.value for c in at.caption) is not shown


def test_an_enterprise_account_sees_its_level_charts_and_bundle(seeded, sign_in_as):
    sign_in_as("enterprise")

    at = open_app(PAGE)

    assert not at.exception
    assert at.title[0].value == "企业画像"
    assert any(md.value.startswith("### ") and "级" in md.value for md in at.markdown)
    assert len(at.get("plotly_chart")) == 2


def test_a_link_from_the_dashboard_opens_an_enterprise_the_picker_does_not_list(seeded, sign_in_as, monkeypatch):
    from diagnose.services import files
    from diagnose.services.files import overview

    sign_in_as("official")
    scored = [e for e in overview(seeded, ADMIN) if e["level"] is not None]
    # the picker lists the first enterprises by name only (200 in the app; 5 here)
    monkeypatch.setattr(
        files, "overview", lambda store, actor, **chosen: overview(store, actor, **chosen | {"limit": 5})
    )
    wanted = scored[-1]

    at = open_app()
    at.query_params["e"] = str(wanted["id"])
    at.switch_page(PAGE).run()

    assert not at.exception
    assert at.header[0].value == wanted["name"]


def test_an_official_finds_an_enterprise_by_name_or_code(seeded, sign_in_as):
    from diagnose.services.files import overview

    sign_in_as("official")
    wanted = [e for e in overview(seeded, ADMIN) if e["level"] is not None][-1]
    at = open_app()
    at.switch_page(PAGE).run()

    at.text_input(key="view_search").set_value(wanted["credit_code"]).run()

    assert not at.exception
    assert at.header[0].value == wanted["name"]  # the only match is shown at once
    at.text_input(key="view_search").set_value("不存在的企业").run()
    assert at.info[0].value == "没有名称或信用代码含“不存在的企业”的已计分企业。"
