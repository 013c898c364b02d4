"""The pilot loop's commands for scripts: ``diagnose review list|approve|return`` and
``diagnose project add FILE.json|list USCC``. They act as an administrator, like every command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from diagnose.cli.common import cli_actor, open_store, read_text
from diagnose.cli.parser import one_of
from diagnose.pilot import DISTRICTS, INDUSTRIES
from diagnose.problems import Problem, ProblemsError


def add_loop_commands(commands, store_options) -> None:
    review = commands.add_parser("review", help="审核评测：列出待审核、通过、退回",
                                 description="审核已提交的评测（以管理员身份，计入操作日志）。")  # fmt: skip
    actions = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    listed = actions.add_parser("list", help="列出待审核的评测（等待最久的在前）", description="列出待审核的评测。")
    listed.add_argument("--industry", default="", type=one_of(INDUSTRIES, "试点行业"), metavar="INDUSTRY",
                        help=f"只列出该细分行业：{'、'.join(INDUSTRIES)}")  # fmt: skip
    listed.add_argument("--district", default="", type=one_of(DISTRICTS, "揭阳的区县"), metavar="DISTRICT",
                        help=f"只列出该行政区：{'、'.join(DISTRICTS)}")  # fmt: skip
    store_options(listed)
    listed.set_defaults(run=run_review_list)
    approve = actions.add_parser("approve", help="审核通过", description="审核通过一份已提交的评测。")
    approve.add_argument("assessment", type=int, metavar="ID", help="评测编号")
    store_options(approve)
    approve.set_defaults(run=run_review_approve)
    back = actions.add_parser("return", help="退回修改（须写退回意见）", description="退回一份已提交的评测。")
    back.add_argument("assessment", type=int, metavar="ID", help="评测编号")
    back.add_argument("--comment", required=True, help="退回意见：需要修改或补充什么")
    store_options(back)
    back.set_defaults(run=run_review_return)

    project = commands.add_parser("project", help="改造项目：登记、列出", description="登记或列出企业的改造项目。")
    project_actions = project.add_subparsers(dest="project_command", metavar="ACTION", required=True)
    add = project_actions.add_parser(
        "add", help="从 JSON 文件登记改造项目",
        description='JSON 对象：{"credit_code": 统一社会信用代码, "organisation": 已登记的服务商单位名称（可选）, '
        '"provider", "contract_no", "contract_signed_on", '
        '"responsibilities", "measures", "period", "goals", "started_on", "finished_on", "funded", '
        '"funding_amount", "status", "baseline_assessment_id"（可选）, "items": [{"product_id": 清单产品编号, '
        '"quantity"} 或 {"name", "quantity", "unit", "unit_price"}]}。每个有问题的字段都会列出。',
    )  # fmt: skip
    add.add_argument("file", type=Path, metavar="FILE.json")
    store_options(add)
    add.set_defaults(run=run_project_add)
    shown = project_actions.add_parser("list", help="列出企业的改造项目", description="列出企业的改造项目。")
    shown.add_argument("credit_code", metavar="USCC", help="企业的统一社会信用代码")
    store_options(shown)
    shown.set_defaults(run=run_project_list)


def _store_and_actor(args):

    return open_store(args), cli_actor(args)


def run_review_list(args: argparse.Namespace) -> int:
    from diagnose.services.reviews import queue

    store, actor = _store_and_actor(args)
    found = queue(store, actor, args.industry, args.district)
    for row in found:
        print(f"{row['id']}\t{row['name']}\t{row['industry']}\t{row['district']}\t{row['created_by']}\t"
              f"{row['stage_name']}\t已等待 {row['waited']}")  # fmt: skip
    print(f"待审核 {len(found)} 份")
    return 0


def run_review_approve(args: argparse.Namespace) -> int:
    from diagnose.services.assessments import approve

    store, actor = _store_and_actor(args)
    approve(store, actor, args.assessment)
    print(f"已审核通过评测 {args.assessment}")
    return 0


def run_review_return(args: argparse.Namespace) -> int:
    from diagnose.services.assessments import return_for_changes

    store, actor = _store_and_actor(args)
    return_for_changes(store, actor, args.assessment, args.comment)
    print(f"已退回评测 {args.assessment}")
    return 0


def run_project_add(args: argparse.Namespace) -> int:
    from diagnose.services.projects import record_project
    from diagnose.services.report import enterprise_id_of

    try:
        data = json.loads(read_text(args.file))
    except json.JSONDecodeError as bad:
        raise ProblemsError([Problem(str(args.file), f"第 {bad.lineno} 行", f"不是有效的 JSON：{bad.msg}")]) from None
    except RecursionError:  # nested deeper than Python's parser goes: no project file is
        raise ProblemsError([Problem(str(args.file), "", "JSON 嵌套过深")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("credit_code"), str):
        raise ProblemsError([Problem(str(args.file), "credit_code", "应为一个 JSON 对象，含企业的统一社会信用代码")])
    store, actor = _store_and_actor(args)
    if "organisation" in data:  # a file names the organisation, the service takes its id
        from diagnose.services.projects import provider_organisations

        named = data.pop("organisation")
        registered = {name: i for i, name in provider_organisations(store).items()}
        if named not in registered:
            why = f"没有名为“{named}”的已登记牵引单位、联合体成员或服务商（单位在账户管理中登记）"
            raise ProblemsError([Problem(str(args.file), "organisation", why)])
        data["organisation_id"] = registered[named]
    project_id = record_project(store, actor, enterprise_id_of(store, data["credit_code"]), data)
    print(f"已登记改造项目 {project_id}")
    return 0


def run_project_list(args: argparse.Namespace) -> int:
    from diagnose.services.projects import PROJECT_STATUSES, projects_of
    from diagnose.services.report import enterprise_id_of

    store, actor = _store_and_actor(args)
    found = projects_of(store, actor, enterprise_id_of(store, args.credit_code))
    for project in found:
        total = sum(i["quantity"] * i["unit_price"] for i in project["items"])
        period = f"{project['started_on'] or '—'} 至 {project['finished_on'] or '—'}"
        funded = "财政资金支持" if project["funded"] else "无财政资金"
        print(f"{project['id']}\t{project['provider']}\t{project['contract_no'] or '—'}\t"
              f"{PROJECT_STATUSES[project['status']]}\t{period}\t{funded}\t合计 {total:,.2f} 元")  # fmt: skip
    print(f"改造项目 {len(found)} 个")
    return 0
