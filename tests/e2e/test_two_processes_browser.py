"""Two app processes on one PostgreSQL, as behind the reverse proxy of deploy/: a session signed in
through one is valid on the other, and a decision saved through one shows at once on the other's
dashboard, review queue and the assessment's own page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from diagnose.cli.commands import main
from diagnose.services import assessments as visits
from diagnose.services import open_store, questionnaires
from diagnose.store.throwaway_pg import ThrowawayPostgres
from tests.integration.helpers import fill_visit, new_enterprise, user

from .conftest import PASSWORDS, sign_in, start_app, stop_app

SIZE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory):
    """One PostgreSQL with sample data and a submitted baseline nobody has decided on; two app
    processes sharing its address, one signing secret and one data folder (the evidence)."""
    server = ThrowawayPostgres().start()
    server.execute("CREATE DATABASE pilot")
    url = server.url("pilot")
    assert main(["demo", "--enterprises", "4", "--database", url]) == 0
    store = open_store(url)
    consultant = user(store, "顾问甲")
    enterprise = new_enterprise(store, seed=91)
    baseline = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires())
    fill_visit(store, baseline, actor=consultant)
    visits.submit(store, consultant, baseline)
    store.dispose()
    folder = tmp_path_factory.mktemp("shared")
    shared = {"DIAGNOSE_DATABASE_URL": url, "DIAGNOSE_SECRET_KEY": "one secret for every app process of the city"}
    first, second = start_app(folder, shared), start_app(folder, shared)
    yield first[1], second[1], baseline
    for process, _ in (first, second):
        stop_app(process)
    server.stop()


def diagnosed(page: Page) -> int:
    """The dashboard's count of diagnosed enterprises, as the official reads it."""
    expect(page.get_by_text(re.compile(r"已诊断 \d+ 家"))).to_be_visible(timeout=30_000)
    return int(re.search(r"已诊断 (\d+) 家", page.get_by_text(re.compile(r"已诊断 \d+ 家")).inner_text()).group(1))


def waiting(page: Page) -> int:
    link = page.get_by_role("link", name=re.compile(r"^审核（\d+）"))
    expect(link).to_be_visible(timeout=30_000)
    return int(re.search(r"（(\d+)）", link.inner_text()).group(1))


def test_a_session_and_a_save_cross_from_one_app_process_to_the_other(browser: Browser, two_apps):
    first, second, baseline = two_apps
    here = browser.new_context(viewport=SIZE).new_page()
    sign_in(here, first, "demo_official", PASSWORDS["demo_official"])
    expect(here.get_by_text("当前用户：demo_official（主管部门）")).to_be_visible(timeout=30_000)

    there = browser.new_context(viewport=SIZE)  # another browser tab, routed to the other process
    there.add_cookies([{**c, "domain": "127.0.0.1", "path": "/"} for c in here.context.cookies()])
    other = there.new_page()
    other.goto(second)
    expect(other.get_by_text("当前用户：demo_official（主管部门）")).to_be_visible(timeout=30_000)
    before, queued = diagnosed(other), waiting(other)
    other.goto(f"{second}/review?r={baseline}")
    expect(other.get_by_role("button", name="审核通过")).to_be_visible(timeout=30_000)

    here.goto(f"{first}/review?r={baseline}")
    here.get_by_role("button", name="审核通过").click()
    expect(here.get_by_text(f"已审核通过评测 {baseline}")).to_be_visible(timeout=30_000)

    other.goto(f"{second}/review?r={baseline}")
    expect(other.get_by_text("这份评测不在待审核状态，无需审核。")).to_be_visible(timeout=30_000)
    other.goto(second)
    assert diagnosed(other) == before + 1
    assert waiting(other) == queued - 1
