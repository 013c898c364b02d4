"""AppTest of 账户管理: an administrator lists accounts, adds one, assigns an enterprise."""

from __future__ import annotations

from diagnose.services.accounts import add_user, list_users
from diagnose.services.files import overview

from .conftest import ADMIN, PASSWORD, open_app

PAGE = "diagnose/ui/accounts_admin.py"


def test_an_admin_adds_an_account_and_assigns_an_enterprise(seeded, sign_in_as):
    add_user(seeded, ADMIN, "li.consultant", "consultant", PASSWORD)
    sign_in_as("admin")
    at = open_app(PAGE)
    assert set(at.dataframe[0].value["用户名"]) == {"test_admin", "li.consultant"}

    at.text_input[0].input("wang.official")
    at.selectbox[0].set_value("official")
    at.text_input[2].input("a long enough password")
    at.text_input[3].input("a long enough password")
    at.button[0].click().run()

    assert at.success[0].value == "已新建账户 wang.official"
    assert "wang.official" in {u["username"] for u in list_users(seeded, ADMIN)}

    code = overview(seeded, ADMIN)[0]["credit_code"]
    at.selectbox[2].set_value("li.consultant")  # after the new account's role and organisation
    at.text_input[4].input(code)
    at.button[1].click().run()
    assert at.success[-1].value == "已分配"


def test_an_admin_registers_an_organisation_then_a_provider_account_that_belongs_to_it(seeded, sign_in_as):
    from diagnose.services.accounts import sign_in

    sign_in_as("admin")
    at = open_app(PAGE)
    name_box = next(t for t in at.text_input if t.label == "单位名称")
    name_box.input("揭阳示例软件有限公司")
    next(s for s in at.selectbox if s.label == "单位类型").set_value("provider")
    next(b for b in at.button if b.label == "登记单位").click().run()
    assert "已登记单位 揭阳示例软件有限公司" in [s.value for s in at.success]
    assert "揭阳示例软件有限公司" in set(at.dataframe[-1].value["单位"])

    at.text_input[0].input("provider.one")
    at.selectbox[0].set_value("provider")
    next(s for s in at.selectbox if s.label.startswith("所属单位（服务商必填")).set_value("揭阳示例软件有限公司")
    at.text_input[2].input("a long enough password")
    at.text_input[3].input("a long enough password")
    at.button[0].click().run()

    assert at.success[0].value == "已新建账户 provider.one"
    provider = sign_in(seeded, "provider.one", "a long enough password").actor
    assert provider.role == "provider" and provider.organisation_id is not None


def test_an_admin_moves_a_consultant_to_a_diagnosis_agency_and_is_told_why_not_to_a_provider(seeded, sign_in_as):
    from diagnose.services.applications import add_organisation

    add_organisation(seeded, ADMIN, "揭阳示例诊断中心", "agency")
    add_organisation(seeded, ADMIN, "揭阳示例软件有限公司", "provider")
    add_user(seeded, ADMIN, "li.consultant", "consultant", PASSWORD)
    sign_in_as("admin")
    at = open_app(PAGE)

    def move_to(organisation: str):
        next(s for s in at.selectbox if s.key == "account_organisation_pick").set_value("li.consultant")
        next(s for s in at.selectbox if s.key == "account_organisation_to").set_value(organisation)
        return next(b for b in at.button if b.label == "保存所属单位").click().run()

    move_to("揭阳示例软件有限公司")
    assert [e.value for e in at.error] == ["顾问来自第三方机构或牵引单位（联合体），“揭阳示例软件有限公司”是服务商"]
    move_to("揭阳示例诊断中心")
    assert "li.consultant 现属于揭阳示例诊断中心" in [s.value for s in at.success]
    accounts = at.dataframe[0].value
    assert accounts.loc[accounts["用户名"] == "li.consultant", "所属单位"].tolist() == ["揭阳示例诊断中心"]
    assert not at.exception


def test_a_bad_new_account_is_refused_on_the_page(seeded, sign_in_as):
    sign_in_as("admin")
    at = open_app(PAGE)

    at.text_input[0].input("<b>x</b>")
    at.text_input[2].input("short")
    at.text_input[3].input("short")
    at.button[0].click().run()

    shown = [e.value for e in at.error]  # one line per problem, without the field's code
    assert shown[0].startswith("用户名只能包含") and shown[1] == "密码至少 10 个字符"
    assert not at.exception


def test_an_admin_pauses_a_product_on_the_catalog_page(seeded, sign_in_as):
    from diagnose.services import questionnaires
    from diagnose.services.catalog_admin import live_catalog

    sign_in_as("admin")
    at = open_app("diagnose/ui/catalog_admin.py")
    assert not at.exception
    assert len(at.dataframe[0].value) == 47
    assert "示例" in at.caption[1].value

    at.selectbox(key="catalog_pick").set_value("S002")
    at.selectbox(key="catalog_new_status").set_value("暂停")
    at.button[0].click().run()

    assert "S002 已改为“暂停”" in at.success[0].value
    status = {p.id: p.status for p in live_catalog(seeded, questionnaires()["national-2024"]).products}
    assert status["S002"] == "暂停"
