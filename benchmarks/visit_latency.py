"""Benchmark: from a change on the visit form to "已保存 · 第 N 版", in Chromium, both designs.

Seeds a data folder (the demo accounts), makes a plastics enterprise with a fully answered
draft visit, and starts the app twice on it: the design in use (every change reruns the whole
page and draws every tab) and the candidate (the form and its panel are a fragment; only the
open tab is drawn: ``DIAGNOSE_VISIT_FRAGMENT=1``, off until it holds under load). In each,
headless Chromium signs in as
the demo consultant, opens the visit at 1024x768 and makes ``--changes`` changes of every
widget kind (a single choice, a multi-choice box, a figure, a scene level, a practice, a line
of text), timing each from the action to the page showing the next version in its mark.
Tab switches between kinds are not timed. Prints median and p95 per design; the last line is
the design in use. Target: median <= 150 ms, p95 <= 400 ms on an idle machine.
Run: ``.venv/bin/python benchmarks/visit_latency.py [--changes 40]``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import PASSWORDS, start_app, stop_app  # noqa: E402 - the tests' own app starter
from tests.e2e.test_visit_browser import change_and_wait as timed  # noqa: E402 - change to mark, as tested

MARK = re.compile(r"第 (\d+) 版")


def _first_practice() -> str:
    from diagnose.services import questionnaires

    practice = questionnaires()["plastics"].practices[0]
    return f"{practice.text}（L{practice.level}）"


FIRST_PRACTICE = _first_practice()


def prepare(folder: Path) -> list[int]:
    """Sample accounts and two fully answered plastics drafts of the demo consultant (one per
    design: the changes of a run start from the answers ``fill_visit`` gives); their ids."""
    from diagnose.cli.commands import main
    from diagnose.enterprise import credit_code_check_char
    from diagnose.services import assessments as visits
    from diagnose.services import open_store, questionnaires
    from diagnose.services.accounts import actor_of
    from diagnose.services.enterprises import create_enterprise
    from diagnose.store import records
    from tests.integration.helpers import fill_visit

    url = f"sqlite:///{folder / 'diagnose.db'}"
    assert main(["demo", "--enterprises", "5", "--database", url]) == 0
    store = open_store(url, evidence_dir=folder / "evidence")
    with store.read() as conn:
        consultant = actor_of(records.user_by_name(conn, "demo_consultant"))
    drafts = []
    for body in ("91445200MA4W0RKJ8", "91445200MA4W0RKJ9"):
        profile = {"credit_code": body + credit_code_check_char(body), "name": f"基准测试塑胶有限公司{body[-1]}",
                   "industry": "塑胶", "district": "榕城区"}  # fmt: skip
        enterprise = create_enterprise(store, consultant, profile)
        drafts.append(visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires()))
        fill_visit(store, drafts[-1], actor=consultant)
    store.dispose()
    return drafts


def tab(page: Page, title: str) -> None:
    page.get_by_role("tab", name=re.compile(f"^{title}")).click()
    expect(page.get_by_role("tabpanel").get_by_text(re.compile("^本部分已完成"))).to_be_visible(timeout=60_000)


def typed(field, text: str):
    """Type a line and press Enter (a text field is sent when Enter is pressed or it loses focus)."""
    return lambda: (field.fill(text), field.press("Enter"))


def changes(page: Page, count: int) -> list[float]:
    """``count`` changes, six kinds in turn, each undoing the last change of its kind."""
    panel = page.get_by_role("tabpanel")
    times: list[float] = []
    turn = 0
    while len(times) < count:
        flip = turn % 2 == 0
        tab(page, "数字化基础")
        q5 = "D. 绝大部分（>80%）业务环节（7.5 分）" if flip else "C. 多个（≥2）业务环节（5 分）"
        times.append(timed(page, lambda q5=q5: panel.get_by_text(q5).click()))
        times.append(timed(page, lambda: panel.get_by_text("D. 建设或租用5G工业网络（2 分）").click()))
        field = panel.get_by_label("数字化设备数（台）")
        times.append(timed(page, typed(field, "13" if flip else "12")))
        tab(page, "数字化经营")
        group = panel.get_by_role("radiogroup", name="产品设计 等级")
        level = "L3 集成共享" if flip else "L2 系统化管理"
        times.append(timed(page, lambda group=group, level=level: group.get_by_text(level).click()))
        times.append(timed(page, lambda: panel.get_by_text(FIRST_PRACTICE).click()))
        tab(page, "走访信息")
        staff = panel.get_by_label(re.compile("^企业参与人员"))
        times.append(timed(page, typed(staff, "生产主管" if flip else "生产主管、IT 专员")))
        turn += 1
    return times[:count]


def run(folder: Path, draft: int, count: int, full_rerun: bool) -> list[float]:
    environment = {} if full_rerun else {"DIAGNOSE_VISIT_FRAGMENT": "1"}
    process, url = start_app(folder, environment)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            page.goto(url)
            page.get_by_label("用户名").fill("demo_consultant")
            page.get_by_label("密码").fill(PASSWORDS["demo_consultant"])
            page.get_by_role("button", name="登录").click()
            expect(page.get_by_text("当前用户：demo_consultant")).to_be_visible(timeout=60_000)
            page.goto(f"{url}/visit?a={draft}")
            expect(page.get_by_text(MARK).first).to_be_visible(timeout=60_000)
            try:
                # one run of changes, each undoing the last of its kind; the first six warm the
                # server (imports, caches) and are not counted
                times = changes(page, count + 6)[6:]
            except Exception:
                page.screenshot(path=Path(tempfile.gettempdir()) / "visit-latency-failed.png", full_page=True)
                raise
            browser.close()
    finally:
        stop_app(process)
    return times


def summary(name: str, times: list[float]) -> tuple[float, float]:
    ms = sorted(t * 1000 for t in times)
    median, p95 = statistics.median(ms), ms[max(0, int(len(ms) * 0.95) - 1)]
    print(f"{name}: changes={len(ms)} median_ms={median:.0f} p95_ms={p95:.0f} max_ms={ms[-1]:.0f}")
    return median, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        before, now = prepare(folder)
        summary("fragment, open tab only (candidate, off)", run(folder, now, args.changes, full_rerun=False))
        median, p95 = summary("full rerun (in use)", run(folder, before, args.changes, full_rerun=True))
    print(f"save_median_ms={median:.0f} p95_ms={p95:.0f}")


if __name__ == "__main__":
    main()
