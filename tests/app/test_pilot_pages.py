"""AppTest of the pilot loop's pages: 审核 (officials, admins), the returned visit on 我的企业, 改造项目."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from diagnose.services import assessments as visits
from diagnose.services import projects, questionnaires, reviews
from diagnose.services.enterprises import create_enterprise
from tests.integration.helpers import FULL_ANSWERS, credit_code

from .conftest import ADMIN, APP, open_app

REVIEW = "diagnose/ui/review.py"
PROJECT = "diagnose/ui/project.py"
MINE = "diagnose/ui/my_enterprises.py"


def submitted_visit(store, consultant) -> int:
    """A new 塑胶 enterprise of ``consultant`` with a fully answered, submitted baseline."""
    enterprise = create_enterprise(store, consultant, {"credit_code": credit_code(900), "name": "揭阳审核测试塑胶厂",
                                                       "industry": "塑胶", "district": "揭东区"})  # fmt: skip
    draft = visits.start_assessment(store, consultant, enterprise, "baseline", questionnaires())
    revision = 0
    items = {"visit.date": "2026-11-20", "visit.consultants": [consultant.username]} | FULL_ANSWERS
    items |= {f"scene:{s.name}": 2 for s in questionnaires()["plastics"].scenes}
    for item, value in items.items():
        revision = visits.save_item(store, consultant, draft, item, value, revision).revision
    visits.save_note(store, consultant, draft, "Q5", "ERP 截图已看", revision)
    visits.submit(store, consultant, draft)
    return draft


@pytest.fixture
def waiting(seeded, sign_in_as):
    """A consultant's submitted visit; the browser is signed in as nobody yet."""
    from tests.integration.helpers import user

    return submitted_visit(seeded, user(seeded, "顾问审核测试"))


def open_with(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in params.items():
        at.query_params[name] = str(value)
    at.run()
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("role", ["official", "admin"])
def test_the_queue_lists_what_waits_with_its_consultant_and_age(seeded, waiting, sign_in_as, role):
    sign_in_as(role)

    at = open_app(REVIEW)

    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["编号"] == waiting].iloc[0]
    shown = (row["企业"], row["顾问"], row["阶段"], row["已等待"])
    assert shown == ("揭阳审核测试塑胶厂", "顾问审核测试", "改造前诊断", "不到 1 小时")


def test_an_official_reads_the_answers_and_approves(seeded, waiting, sign_in_as):
    sign_in_as("official")

    at = open_with(REVIEW, r=waiting)
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Q5 信息系统" in shown and "C. " in shown
    assert any("ERP 截图已看" in t.value for t in at.text)
    assert any(m.value.startswith("### 等级：二级") for m in at.markdown)
    at.button(key="approve").click().run()

    assert not at.exception
    assert "已审核通过" in at.success[0].value
    assert visits.load(seeded, ADMIN, waiting).status == "approved"


def test_a_return_without_a_comment_is_refused_and_with_one_reaches_the_consultant(seeded, waiting, sign_in_as):
    sign_in_as("official")
    at = open_with(REVIEW, r=waiting)

    at.button[-1].click().run()  # 退回修改 with the comment empty
    assert "退回时必须填写退回意见" in at.error[0].value
    at.text_area(key="return_comment").input("请补充设备台账")  # a form: typed and sent in the same run
    at.button[-1].click().run()

    assert visits.load(seeded, ADMIN, waiting).status == "returned"
    [decision] = reviews.decisions_of(seeded, ADMIN, visits.load(seeded, ADMIN, waiting).row["enterprise_id"])
    assert decision["comment"] == "请补充设备台账"


def test_the_consultant_finds_the_returned_visit_first_with_the_comment(seeded, sign_in_as):
    consultant = sign_in_as("consultant")
    draft = submitted_visit(seeded, consultant)
    visits.return_for_changes(seeded, ADMIN, draft, "Q5 证据不足")

    at = open_app(MINE)

    assert not at.exception
    assert at.markdown[0].value.startswith("**已退回：揭阳审核测试塑胶厂**")
    assert any(t.value == "退回意见：Q5 证据不足" for t in at.text)


def test_a_consultant_records_the_project_prefilled_from_the_bundle(seeded, sign_in_as):
    consultant = sign_in_as("consultant")
    draft = submitted_visit(seeded, consultant)
    visits.approve(seeded, ADMIN, draft)

    at = open_with(PROJECT, baseline=draft)
    assert not at.exception
    assert "推荐产品预填" in at.info[0].value
    form = f"new_{draft}"
    at.text_input(key=f"{form}:provider").input("示例云软件有限公司")
    at.text_input(key=f"{form}:contract_no").input("HT-TEST-1")
    for field in ("responsibilities", "measures", "period", "goals"):
        at.text_area(key=f"{form}:{field}").input(f"示例{field}")
    at.button[-1].click().run()  # without a contract date
    assert any("合同签订日期不能为空" in e.value for e in at.error)

    import datetime

    at.date_input(key=f"{form}:contract_signed_on").set_value(datetime.date(2026, 11, 21))
    at.button[-1].click().run()

    assert not at.exception
    [project] = projects.project_list(seeded, consultant)
    stored = projects.get_project(seeded, consultant, project["id"])
    draft_items = projects.draft_from_baseline(seeded, consultant, draft)["items"]
    assert [i["product_id"] for i in stored["items"]] == [i["product_id"] for i in draft_items]
    assert stored["baseline_assessment_id"] == draft and stored["status"] == "signed"
    assert at.success[0].value == "已登记改造项目"


def test_a_contract_number_already_registered_is_refused_beside_its_field_and_the_form_kept(seeded, sign_in_as):
    import datetime

    from diagnose.services.files import overview

    consultant = sign_in_as("consultant")
    draft = submitted_visit(seeded, consultant)
    visits.approve(seeded, ADMIN, draft)
    elsewhere = projects.record_project(seeded, ADMIN, overview(seeded, ADMIN)[0]["id"], {
        "provider": "示例云软件有限公司", "contract_no": "HT-TEST-1", "contract_signed_on": "2026-11-01",
        "responsibilities": "示例", "measures": "示例", "period": "示例", "goals": "示例",
        "items": [{"product_id": "S002", "quantity": 1}]})  # fmt: skip
    at = open_with(PROJECT, baseline=draft)
    form = f"new_{draft}"
    at.text_input(key=f"{form}:provider").input("示例云软件有限公司")
    at.text_input(key=f"{form}:contract_no").input("HT-TEST-1")
    for field in ("responsibilities", "measures", "period", "goals"):
        at.text_area(key=f"{form}:{field}").input(f"示例{field}")
    at.date_input(key=f"{form}:contract_signed_on").set_value(datetime.date(2026, 11, 21))
    at.button[-1].click().run()

    assert not at.exception
    assert any(e.value.startswith(f"合同编号“HT-TEST-1”已登记在项目 {elsewhere}（") for e in at.error)
    assert at.text_input(key=f"{form}:contract_no").value == "HT-TEST-1"  # kept to correct
    assert projects.project_list(seeded, consultant) == []


def test_a_consultant_contracts_a_registered_provider_and_the_project_keeps_it(seeded, sign_in_as):
    import datetime

    consultant = sign_in_as("consultant")
    draft = submitted_visit(seeded, consultant)
    visits.approve(seeded, ADMIN, draft)
    at = open_with(PROJECT, baseline=draft)
    form = f"new_{draft}"
    chooser = at.selectbox(key=f"{form}:organisation_id")
    assert "示例数字科技有限公司" in chooser.options  # a sample 联合体 member, as the box shows it
    member = {name: i for i, name in projects.provider_choices(seeded, consultant).items()}["示例数字科技有限公司"]
    chooser.set_value(member)
    at.text_input(key=f"{form}:provider").input("")  # the organisation's name stands for it
    at.text_input(key=f"{form}:contract_no").input("HT-TEST-2")
    for field in ("responsibilities", "measures", "period", "goals"):
        at.text_area(key=f"{form}:{field}").input(f"示例{field}")
    at.date_input(key=f"{form}:contract_signed_on").set_value(datetime.date(2026, 11, 21))
    at.button[-1].click().run()

    assert not at.exception and at.success[0].value == "已登记改造项目"
    [project] = projects.project_list(seeded, consultant)
    stored = projects.get_project(seeded, consultant, project["id"])
    assert (stored["provider"], stored["organisation_id"]) == ("示例数字科技有限公司", member)


def test_a_visit_by_an_agencys_consultant_names_the_agency_on_the_visit_and_the_review(seeded, sign_in_as):
    consultant = sign_in_as("consultant", "机构顾问", organisation="示例诊断机构甲")
    draft = submitted_visit(seeded, consultant)
    at = open_with("diagnose/ui/visit.py", a=draft)
    assert not at.exception
    assert any("诊断机构 示例诊断机构甲" in c.value for c in at.caption)

    sign_in_as("official")
    at = open_with(REVIEW, r=draft)
    assert not at.exception
    assert any("顾问 机构顾问（示例诊断机构甲）" in c.value for c in at.caption)


def test_a_visit_offers_its_paper_form_as_a_download(seeded, sign_in_as):
    consultant = sign_in_as("consultant")
    draft = submitted_visit(seeded, consultant)
    at = open_with("diagnose/ui/visit.py", a=draft)

    [button] = [b for b in at.get("download_button") if b.proto.label.startswith("下载纸质记录表")]
    assert button.proto.label == "下载纸质记录表（PDF，可打印，含已填内容）"
    assert not at.exception
