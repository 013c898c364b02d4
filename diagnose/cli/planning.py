"""``diagnose plan``: the pilot planner's answer as one Excel workbook (what 试点规划 shows)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from diagnose.cli.common import cli_actor, open_store, output_problem
from diagnose.cli.parser import one_of
from diagnose.enterprise import SIZE_CLASSES
from diagnose.pilot import DISTRICTS, INDUSTRIES
from diagnose.problems import Problem, ProblemsError

MOST_YUAN = 10**11
USAGE = 2  # the exit code of a usage error (cli.commands.EXIT_USAGE)


def _whole(most: int, what: str):
    def check(value: str) -> int:
        try:
            number = int(value.replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{value}”不是整数（{what}）") from None
        if not 0 <= number <= most:
            raise argparse.ArgumentTypeError(f"{what}应在 0 到 {most:,} 之间，不是 {number:,}")
        return number

    return check


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期（应写作 2026-12-31）") from None


def add_plan_command(commands, store_options) -> None:
    made = commands.add_parser(
        "plan", help="试点规划：选哪些企业、采购哪些产品、需要多少财政资金（Excel）",
        description="按已审核通过的改造前诊断和在库的产品清单，选出以最少财政资金提升到二级的企业"
        "（有预算时为预算能支持的最多家数），写成一个 Excel：概要、选中的企业、按行业和区县、产品需求、"
        "服务商需求、备选企业、未列入的企业及原因。与网页“试点规划”相同（区县最低家数和服务商承接上限请在网页上设）。",
    )  # fmt: skip
    made.add_argument("--target", type=_whole(100_000, "目标家数"), metavar="N",
                      help="提升到二级的企业家数（默认：200 减去已计入的）")  # fmt: skip
    made.add_argument("--budget", type=_whole(MOST_YUAN, "预算"), metavar="YUAN", help="财政资金预算（元，默认不限）")
    made.add_argument("--deadline", type=_day, metavar="YYYY-MM-DD", help="项目须在此前完成（默认：试点期末）")
    made.add_argument("--industry", type=one_of(INDUSTRIES, "试点行业"), default="", help="只规划该细分行业")
    made.add_argument("--district", type=one_of(DISTRICTS, "揭阳的区县"), default="", help="只规划该行政区")
    made.add_argument("--size", type=one_of(SIZE_CLASSES, "企业规模"), default="", help="只规划该规模的企业")
    made.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="Excel 输出文件")
    store_options(made)
    made.set_defaults(run=run_plan)


def run_plan(args: argparse.Namespace) -> int:
    from diagnose.plan.workbook import plan_workbook
    from diagnose.services.planner import PlanRequest, plan

    if args.out.suffix.lower() != ".xlsx":  # how the command was called: a usage error (exit 2), as for report
        print(Problem("plan", "--out", f"规划是 Excel：文件名应以 .xlsx 结尾，不是“{args.out.name}”"), file=sys.stderr)
        return USAGE
    why = output_problem(args.out)
    if why:  # said before the plan is computed, not after
        raise ProblemsError([Problem("plan", "--out", f"{args.out}：{why}")])
    store = open_store(args)

    live = sys.stderr.isatty()  # one line redrawn on a terminal; a line each in a log

    def heard(done: int, total: int) -> None:
        said = f"计算各企业最便宜的产品组合 {done}/{total}"
        print(f"\r{said}" if live else said, end="" if live and done < total else "\n", file=sys.stderr, flush=True)

    request = PlanRequest(target=args.target, budget=args.budget, deadline=args.deadline, industry=args.industry,
                          district=args.district, size_class=args.size)  # fmt: skip
    made = plan(store, cli_actor(args), request, heard)
    content = plan_workbook(made)
    # written whole or not at all: a half-written workbook never takes the name
    handle, temporary = tempfile.mkstemp(dir=args.out.parent if str(args.out.parent) else ".", suffix=".xlsx")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, args.out)
    print(f"已生成规划：{args.out}（选中 {len(made.chosen)} 家，目标 {made.target} 家，"
          f"产品总价 {made.total:,} 元，财政资金 {made.public:,} 元）")  # fmt: skip
    for said in (*made.warnings, made.shortfall):
        if said:
            print(said)
    return 0
