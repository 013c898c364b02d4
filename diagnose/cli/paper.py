"""``diagnose print questionnaire``: the paper form, blank for an industry or prefilled from a visit."""

from __future__ import annotations

import argparse
from pathlib import Path

from diagnose.cli.common import cli_actor, open_store, output_problem
from diagnose.cli.parser import one_of
from diagnose.pilot import INDUSTRIES
from diagnose.problems import Problem, ProblemsError


def add_print_commands(commands, store_options) -> None:
    printed = commands.add_parser("print", help="打印用的纸质现场记录表（PDF）",
                                  description="生成纸质现场记录表：空白（按行业）或按某次评测预填。")  # fmt: skip
    kinds = printed.add_subparsers(dest="print_command", metavar="WHAT", required=True)
    form = kinds.add_parser(
        "questionnaire", help="评测问卷的纸质记录表",
        description="每道题及其选项（方框勾选）、佐证提示、各场景的等级与实践、备注栏；每页页眉写明企业与评测。"
        "给出行业生成空白表，或用 --visit 给出评测编号生成预填表。",
    )  # fmt: skip
    form.add_argument("industry", nargs="?", type=one_of(INDUSTRIES, "试点行业"), metavar="INDUSTRY",
                      help=f"空白表的行业：{'、'.join(INDUSTRIES)}")  # fmt: skip
    form.add_argument("--visit", type=int, metavar="ID", help="按这次评测预填（评测编号）")
    form.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF 输出文件")
    store_options(form)
    form.set_defaults(run=run_print_questionnaire)


def run_print_questionnaire(args: argparse.Namespace) -> int:
    from diagnose.services import questionnaires
    from diagnose.services.paper import blank_form, visit_form

    problems = []
    if bool(args.industry) == (args.visit is not None):
        problems.append(
            Problem("print questionnaire", "INDUSTRY", "给出行业（空白表）或 --visit 评测编号（预填表），二选一")
        )
    if args.out.suffix.lower() != ".pdf":
        problems.append(Problem(str(args.out), "--out", "输出文件应以 .pdf 结尾"))
    elif why := output_problem(args.out):
        problems.append(Problem(str(args.out), "--out", why))
    if problems:
        raise ProblemsError(problems)
    store = open_store(args)
    actor = cli_actor(args)
    made = visit_form(store, actor, args.visit) if args.visit is not None else blank_form(
        store, actor, args.industry, questionnaires())  # fmt: skip
    args.out.write_bytes(made)
    print(f"已生成纸质记录表：{args.out}")
    return 0
