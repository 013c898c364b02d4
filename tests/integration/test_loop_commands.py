"""The pilot loop's commands for scripts, on both databases: review list|approve|return, project add|list."""

from __future__ import annotations

import json

import pytest

from diagnose.cli.commands import main
from diagnose.services import assessments as visits
from diagnose.services.reviews import decisions_of

from .helpers import ADMIN, fill_visit, new_enterprise, profile, project_data, user


def submitted(store, questionnaires, seed=1) -> int:
    consultant = user(store, "顾问甲")
    draft = visits.start_assessment(store, consultant, new_enterprise(store, seed=seed), "baseline", questionnaires)
    fill_visit(store, draft)
    visits.submit(store, consultant, draft)
    return draft


def test_review_lists_what_waits_then_approves_and_returns(store, questionnaires, capsys):
    first, second = submitted(store, questionnaires, 1), submitted(store, questionnaires, 2)
    database = ["--database", store.url, "--actor", "脚本"]

    assert main(["review", "list", *database]) == 0
    listed = capsys.readouterr().out
    assert listed.splitlines()[0].startswith(f"{first}\t揭阳测试塑胶制品有限公司1\t塑胶")
    assert listed.splitlines()[-1] == "待审核 2 份"
    with pytest.raises(SystemExit) as usage:  # no such district here: said, not "待审核 0 份"
        main(["review", "list", "--district", "广州", *database])
    assert usage.value.code == 2
    assert "参数 --district：“广州”不是揭阳的区县（可选：榕城区、" in capsys.readouterr().err

    assert main(["review", "approve", str(first), *database]) == 0
    assert main(["review", "return", str(second), "--comment", "  ", *database]) == 1
    assert "退回时必须填写退回意见" in capsys.readouterr().err
    assert main(["review", "return", str(second), "--comment", "请补充佐证", *database]) == 0

    assert visits.load(store, ADMIN, first).status == "approved"
    [decision] = decisions_of(store, ADMIN, visits.load(store, ADMIN, second).row["enterprise_id"])
    shown = (decision["decision"], decision["comment"], decision["reviewer"])
    assert shown == ("returned", "请补充佐证", "命令行:脚本")


def test_project_add_names_every_bad_field_then_records_and_lists(store, tmp_path, capsys):
    new_enterprise(store)
    database = ["--database", store.url]
    file = tmp_path / "project.json"
    file.write_text("{not json", encoding="utf-8")
    assert main(["project", "add", str(file), *database]) == 1
    assert "不是有效的 JSON" in capsys.readouterr().err

    bad = project_data(contract_no="", funding_amount=None) | {"credit_code": profile(1)["credit_code"]}
    file.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert main(["project", "add", str(file), *database]) == 1
    err = capsys.readouterr().err
    assert "contract_no：合同编号不能为空" in err and "funding_amount：财政资金金额" in err

    good = project_data(status="已完成") | {"credit_code": profile(1)["credit_code"]}  # as the page names it
    file.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    assert main(["project", "add", str(file), *database]) == 0
    assert main(["project", "list", profile(1)["credit_code"], *database]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("已登记改造项目 ")
    listed = "\t示例数字科技有限公司\tHT-2025-001\t已完成\t2025-03-10 至 2025-09-30\t财政资金支持\t合计 11,800.00 元"
    assert listed in out[1]
    assert out[-1] == "改造项目 1 个"


def test_project_add_names_a_registered_organisation_by_name_and_refuses_an_unknown_one(store, tmp_path, capsys):
    from diagnose.services.applications import add_organisation
    from diagnose.services.projects import projects_of

    enterprise = new_enterprise(store)
    add_organisation(store, ADMIN, "揭阳示例服务商", "provider")
    database = ["--database", store.url]
    file = tmp_path / "project.json"
    data = project_data(provider="") | {"credit_code": profile(1)["credit_code"], "organisation": "没有这个单位"}
    file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["project", "add", str(file), *database]) == 1
    assert "organisation: 没有名为“没有这个单位”的已登记牵引单位、联合体成员或服务商" in capsys.readouterr().err

    file.write_text(json.dumps(data | {"organisation": "揭阳示例服务商"}, ensure_ascii=False), encoding="utf-8")
    assert main(["project", "add", str(file), *database]) == 0
    [stored] = projects_of(store, ADMIN, enterprise)
    assert stored["provider"] == "揭阳示例服务商" and stored["organisation_id"] is not None


def test_print_questionnaire_writes_a_blank_form_and_a_visits_prefilled_one_and_refuses_what_it_cannot(
    store, questionnaires, tmp_path, capsys
):
    import subprocess

    draft = submitted(store, questionnaires)
    database = ["--database", store.url]
    blank, filled = tmp_path / "空白.pdf", tmp_path / "预填.pdf"

    assert main(["print", "questionnaire", "塑胶", "--out", str(blank), *database]) == 0
    assert main(["print", "questionnaire", "--visit", str(draft), "--out", str(filled), *database]) == 0
    text = subprocess.run(["pdftotext", str(filled), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    assert profile(1)["name"] in text and "■ C. " in text  # the visit's enterprise, its Q5 answer ticked
    assert blank.read_bytes().startswith(b"%PDF") and "■" not in subprocess.run(
        ["pdftotext", str(blank), "-"], capture_output=True, check=True).stdout.decode("utf-8")  # fmt: skip
    capsys.readouterr()

    assert main(["print", "questionnaire", "塑胶", "--out", str(tmp_path / "x.txt"), *database]) == 1
    assert "输出文件应以 .pdf 结尾" in capsys.readouterr().err
    assert main(["print", "questionnaire", "--out", str(blank), *database]) == 1
    assert "给出行业（空白表）或 --visit 评测编号（预填表），二选一" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["print", "questionnaire", "陶瓷", "--out", str(blank), *database])
    assert usage.value.code == 2 and "“陶瓷”不是试点行业" in capsys.readouterr().err
