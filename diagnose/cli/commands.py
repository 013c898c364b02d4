"""The ``diagnose`` command: validate questionnaires, score answers.

Every failure ends with located one-line messages on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from pathlib import Path

from diagnose import __version__
from diagnose.cli.common import cli_actor, open_store, output_problem, read_text
from diagnose.cli.loop import add_loop_commands
from diagnose.cli.paper import add_print_commands
from diagnose.cli.parser import ChineseParser
from diagnose.cli.planning import add_plan_command
from diagnose.problems import Problem, ProblemsError
from diagnose.services.errors import ServiceError
from diagnose.store import StoreError

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(
        prog="diagnose",
        description="数字化诊断：按《中小企业数字化水平评测指标（2024年版）》校验问卷、计算评测结果。",
    )
    parser.add_argument("--version", action="version", version=f"diagnose {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="校验问卷文件（不给文件时校验全部内置问卷）",
        description="校验问卷文件，列出每个问题及其位置；有错误时退出码为 1。",
    )
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE", help="问卷 YAML 文件")
    validate.add_argument("--dir", type=Path, help="内置问卷所在目录（默认：questionnaires/）")
    validate.set_defaults(run=run_validate)

    score = commands.add_parser(
        "score",
        help="计算一份答卷（JSON）或一批答卷（JSONL）的评测结果",
        description="按国家评测规则计算答卷结果，以 JSON 输出。--batch 时每行一份答卷、每行一个结果，顺序不变；"
        '坏行输出 {"line": N, "error": "..."} 并继续，有坏行时退出码为 1。',
    )
    score.add_argument("file", type=Path, metavar="FILE", help="答卷文件：JSON，或 --batch 时的 JSONL")
    score.add_argument("--batch", action="store_true", help="FILE 为 JSONL，每行一份答卷")
    score.add_argument("--dir", type=Path, help="问卷所在目录（默认：questionnaires/）")
    score.set_defaults(run=run_score)
    add_store_commands(commands)
    return parser


def _store_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--database", metavar="URL", help="数据库连接（默认：DIAGNOSE_DATABASE_URL 或 data/diagnose.db）"
    )
    command.add_argument("--actor", default=getpass.getuser(), help="记入操作日志的操作人（默认：当前系统用户）")


def add_store_commands(commands) -> None:
    db = commands.add_parser("db", help="数据库：创建或升级", description="创建或升级数据库结构（可重复执行）。")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser("upgrade", help="创建或升级到最新结构", description="创建或升级到最新结构。")
    _store_options(upgrade)
    upgrade.set_defaults(run=run_db_upgrade)
    check = db_commands.add_parser(
        "check", help="核对看板汇总", description="核对试点看板的汇总与评测记录是否一致（不一致时退出码为 1）。"
    )
    _store_options(check)
    check.set_defaults(run=run_db_check)
    rebuild = db_commands.add_parser(
        "rebuild", help="重建看板汇总", description="按评测记录重新计算试点看板的全部汇总（批量写入数据后使用）。"
    )
    _store_options(rebuild)
    rebuild.set_defaults(run=run_db_rebuild)

    demo = commands.add_parser(
        "demo", help="生成示例企业与评测数据（均标注“示例”）",
        description="生成示例企业（名称均以【示例】开头）、改造前诊断，以及部分企业的改造项目和改造后自评。",
    )  # fmt: skip
    demo.add_argument("--enterprises", type=int, default=300, metavar="N", help="示例企业数（默认 300）")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子：同一种子生成同样的数据")
    demo.add_argument("--if-empty", action="store_true", help="只在数据库还没有企业时生成（make run 首次启动用）")
    _store_options(demo)
    demo.set_defaults(run=run_demo)

    importer = commands.add_parser("import", help="从 Excel 导入", description="从 Excel 导入数据。")
    import_kinds = importer.add_subparsers(dest="kind", metavar="KIND", required=True)
    firms = import_kinds.add_parser(
        "enterprises", help="导入企业档案（.xlsx）",
        description="导入企业档案。第一行为表头（统一社会信用代码、企业名称、细分行业、行政区……）。"
        "任何一行有错时不导入任何一行，除非加 --skip-invalid；每个问题注明行、列和原因。",
    )  # fmt: skip
    firms.add_argument("file", type=Path, metavar="FILE.xlsx")
    firms.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    firms.add_argument("--skip-invalid", action="store_true", help="跳过有错的行，导入其余的行")
    _store_options(firms)
    firms.set_defaults(run=run_import_enterprises)

    export = commands.add_parser(
        "export", help="导出全部评测（.xlsx 或 .csv）",
        description="每次评测一行：企业信息、问卷版本、结果和全部原始回答。CSV 为带 BOM 的 UTF-8，Excel 可直接打开。",
    )  # fmt: skip
    export.add_argument("file", type=Path, metavar="FILE.xlsx|FILE.csv")
    _store_options(export)
    export.set_defaults(run=run_export)

    backup = commands.add_parser(
        "backup", help="备份数据库和证据文件到一个新文件夹",
        description="使用中也可备份：数据库（SQLite 在线备份，PostgreSQL 用 pg_dump）、全部证据文件和清单 manifest.json"
        "（表行数与校验值、文件哈希、结构版本、工具版本）。文件夹写完整后才出现。",
    )  # fmt: skip
    backup.add_argument("folder", type=Path, metavar="DIR", help="新的（或空的）备份文件夹")
    _store_options(backup)
    backup.set_defaults(run=run_backup)

    restore = commands.add_parser(
        "restore", help="从备份文件夹恢复数据库和证据文件",
        description="先按清单核对备份；应用运行中（或 PostgreSQL 上还有其他连接）时拒绝；目标已有数据时需加 --replace，"
        "原数据移到数据文件夹的 before-restore-<时间>/ 中。恢复后逐表核对行数与校验值。",
    )  # fmt: skip
    restore.add_argument("folder", type=Path, metavar="DIR", help="diagnose backup 写出的文件夹")
    restore.add_argument("--replace", action="store_true", help="目标已有数据时仍然恢复（原数据移到一旁，不删除）")
    _store_options(restore)
    restore.set_defaults(run=run_restore)
    add_account_commands(commands)
    add_loop_commands(commands, _store_options)
    add_print_commands(commands, _store_options)
    add_plan_command(commands, _store_options)

    report = commands.add_parser(
        "report", help="生成企业的诊断报告（PDF，可另存 HTML）；--all 批量生成",
        description="按企业最近一次已计分的评测生成《中小企业数字化转型咨询诊断报告》（中文 PDF，内嵌字体）。"
        "--all 时为（某行业、某行政区的）全部已有评测结果的企业生成报告，写入 --out 文件夹，"
        "文件名为“信用代码-企业名称.pdf”，并显示进度；有报告生成失败时逐一列出，退出码为 1。",
    )  # fmt: skip
    report.add_argument("credit_code", nargs="?", metavar="USCC", help="企业的统一社会信用代码（不用 --all 时）")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf|DIR",
                        help="PDF 输出文件；--all 时为文件夹")  # fmt: skip
    report.add_argument("--html", type=Path, metavar="FILE.html", help="同时输出 HTML 版本（单家企业）")
    report.add_argument("--all", action="store_true", help="批量：全部可见企业（可用 --industry、--district 缩小）")
    report.add_argument("--industry", metavar="INDUSTRY", help="只生成该细分行业的报告（与 --all 同用）")
    report.add_argument("--district", metavar="DISTRICT", help="只生成该行政区的报告（与 --all 同用）")
    report.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="同时生成报告的进程数（默认：CPU 核数，最多 2）")  # fmt: skip
    _store_options(report)
    report.set_defaults(run=run_report)

    rescore = commands.add_parser(
        "rescore", help="按新版问卷重新计分（先列出变化）",
        description="对已提交和已通过、其问卷在 DIR 中有新版本（内容哈希不同）的评测，按新版计分：先逐条列出原等级和"
        "新等级（跨等级的在前），再为每次评测加一条新结果（原结果保留）。--dry-run 只列出，不写入。"
        "DIR 中的问卷有错误时列出每个问题并退出（退出码 1）；有评测无法按新版计分时退出码也为 1。",
    )  # fmt: skip
    rescore.add_argument("--questionnaire", type=Path, required=True, metavar="DIR", help="新版问卷所在目录")
    rescore.add_argument("--dry-run", action="store_true", help="只列出变化，不写入")
    _store_options(rescore)
    rescore.set_defaults(run=run_rescore)


def add_account_commands(commands) -> None:
    from diagnose.access.policy import ROLES

    user = commands.add_parser("user", help="账户：新建、改密码、停用、列出", description="管理账户。")
    actions = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="新建账户",
        description="新建账户。密码在终端提示输入（两次）；脚本中用 --password-stdin 从标准输入读一行。没有默认密码。",
    )  # fmt: skip
    add.add_argument("name", metavar="NAME", help="用户名：字母、数字、汉字和 _ . -，2-32 个字符")
    add.add_argument(
        "--role",
        required=True,
        choices=list(ROLES),
        help="consultant 顾问 / enterprise 企业 / official 主管部门 / admin 管理员 / provider 服务商",
    )
    add.add_argument("--enterprise", metavar="USCC", help="企业账户所属企业的统一社会信用代码")
    add.add_argument("--organisation", metavar="NAME", help="服务商账户所属单位的名称（先在“账户管理”中登记单位）")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读密码（一行）")
    _store_options(add)
    add.set_defaults(run=run_user_add)
    passwd = actions.add_parser("passwd", help="重设密码", description="重设账户密码；该账户已登录的会话失效。")
    passwd.add_argument("name", metavar="NAME")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读密码（一行）")
    _store_options(passwd)
    passwd.set_defaults(run=run_user_passwd)
    disable = actions.add_parser("disable", help="停用账户", description="停用账户；该账户立即不能再登录。")
    disable.add_argument("name", metavar="NAME")
    _store_options(disable)
    disable.set_defaults(run=run_user_disable)
    listing = actions.add_parser("list", help="列出账户", description="列出全部账户、角色和状态。")
    _store_options(listing)
    listing.set_defaults(run=run_user_list)

    assign = commands.add_parser("assign", help="把企业分配给顾问", description="让顾问负责某家企业（可重复执行）。")
    assign.add_argument("consultant", metavar="CONSULTANT", help="顾问的用户名")
    assign.add_argument("credit_code", metavar="USCC", help="企业的统一社会信用代码")
    _store_options(assign)
    assign.set_defaults(run=run_assign)


def run_report(args) -> int:
    """``diagnose report USCC --out FILE.pdf [--html FILE.html]``; the output paths are checked
    before the report is built, so a wrong folder costs no waiting and is a located problem."""
    from diagnose.cli.reports import run_all_reports
    from diagnose.report.document import build_html, build_pdf
    from diagnose.services.report import enterprise_id_of, report_data

    problems = _report_usage_problems(args)
    if problems:  # how the command was called: a usage error, as argparse's own (exit 2)
        report(problems)
        return EXIT_USAGE
    if args.all:
        return run_all_reports(args)
    outputs = [args.out, *([args.html] if args.html else [])]
    problems = [Problem(str(path), "", why) for path in outputs if (why := output_problem(path))]
    if problems:
        raise ProblemsError(problems)
    store = open_store(args)
    data = report_data(store, cli_actor(args), enterprise_id_of(store, args.credit_code))
    args.out.write_bytes(build_pdf(data))
    print(f"已生成报告：{args.out}")
    if args.html:
        args.html.write_text(build_html(data), encoding="utf-8")
        print(f"已生成 HTML：{args.html}")
    return 0


def _report_usage_problems(args) -> list[Problem]:
    """What is wrong with how ``report`` was called: a credit code and --all together or neither, batch
    options without --all, an industry or a district the pilot does not have, an output file not
    named .pdf (.html for --html), fewer than one job or more than 64."""
    from diagnose.pilot import DISTRICTS, INDUSTRIES

    problems = []
    if args.all and args.credit_code:
        problems.append(Problem("report", "USCC", "与 --all 不能同时给出：一家企业给信用代码，批量生成用 --all"))
    if not args.all and not args.credit_code:
        problems.append(Problem("report", "USCC", "请给出企业的统一社会信用代码，或用 --all 批量生成"))
    if not args.all:
        problems += [Problem("report", option, "只能与 --all 同用") for option, value in
                     (("--industry", args.industry), ("--district", args.district)) if value]  # fmt: skip
    if args.all and args.html:
        problems.append(Problem("report", "--html", "批量生成时只生成 PDF"))
    if args.industry and args.industry not in INDUSTRIES:
        problems.append(Problem("report", "--industry", f"“{args.industry}”不是试点行业：{'、'.join(INDUSTRIES)}"))
    if args.district and args.district not in DISTRICTS:
        problems.append(Problem("report", "--district", f"“{args.district}”不是揭阳的区县：{'、'.join(DISTRICTS)}"))
    if not args.all and not args.out.is_dir() and args.out.suffix.lower() != ".pdf":  # a folder: said below
        problems.append(Problem("report", "--out", f"报告是 PDF：文件名应以 .pdf 结尾，不是“{args.out.name}”"))
    if args.html and args.html.suffix.lower() not in (".html", ".htm"):
        problems.append(Problem("report", "--html", f"文件名应以 .html 结尾，不是“{args.html.name}”"))
    if not 1 <= args.jobs <= 64:
        problems.append(Problem("report", "--jobs", f"进程数须在 1 到 64 之间，不是 {args.jobs}"))
    return problems


def run_rescore(args) -> int:
    from diagnose.rule.loading import load_directory
    from diagnose.services.rescoring import apply_rescore, preview_rescore

    folder = args.questionnaire
    if not folder.is_dir():
        raise ProblemsError([Problem(str(folder), "", "目录不存在")])
    registry = load_directory(folder)  # every problem of every file, located, before the database is opened
    if not registry:
        raise ProblemsError([Problem(str(folder), "", "目录中没有问卷文件（kind: questionnaire 的 .yaml）")])
    store = open_store(args)
    preview = preview_rescore(store, cli_actor(args), registry)
    for line in preview:
        print(rescore_line(line))
    unscorable = [p for p in preview if p.problem]
    crossing = sum(bool(p.crossing) for p in preview)
    summary = f"共 {len(preview)} 次评测有新版问卷，{crossing} 次等级变化，{len(unscorable)} 次无法计分"
    if args.dry_run or not preview:
        print(f"{summary}；未写入（--dry-run）" if args.dry_run else "没有需要重新计分的评测")
        return EXIT_PROBLEMS if unscorable else 0
    done = apply_rescore(store, cli_actor(args), registry, [p.assessment_id for p in preview if not p.problem])
    for assessment_id, reason in done.skipped:
        print(f"评测 {assessment_id}：未计分：{reason}", file=sys.stderr)
    print(f"{summary}；已重新计分 {len(done.rescored)} 次评测（原结果保留）")
    return EXIT_PROBLEMS if unscorable or done.skipped else 0


def rescore_line(p) -> str:
    """One preview line: who, the latest result, what the new version gives."""
    who = f"{p.enterprise} {p.credit_code} 评测 {p.assessment_id}（{p.questionnaire}）"
    old = f"{p.old_version}（{p.old_hash[:12]}）{p.old_level_label} {_points(p.old_score)} 分"
    new = f"{p.new_version}（{p.new_hash[:12]}）"
    if p.problem:
        return f"{who}：{old} → 无法按 {new}计分：{p.problem}"
    arrow = {"up": "  ↑ 升级", "down": "  ↓ 降级", "": ""}[p.crossing]
    missing = f"（新版中未回答：{'、'.join(p.missing)}）" if p.missing else ""
    return f"{who}：{old} → {new}{p.new_level_label} {_points(p.new_score)} 分{arrow}{missing}"


def _points(value) -> str:
    return "-" if value is None else f"{value:g}"


def read_password(args) -> str:
    """From standard input (one line) for scripts, else prompted twice without echo."""
    if args.password_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再输入一次：") != first:
        raise ProblemsError([Problem("密码", "", "两次输入的密码不一致")])
    return first


def run_user_add(args) -> int:
    from diagnose.services.accounts import add_user

    store = open_store(args)
    add_user(store, cli_actor(args), args.name, args.role, read_password(args), credit_code=args.enterprise,
             organisation=args.organisation)  # fmt: skip
    print(f"已新建账户 {args.name}（{args.role}）")
    return 0


def run_user_passwd(args) -> int:
    from diagnose.services.accounts import set_password

    set_password(open_store(args), cli_actor(args), args.name, read_password(args))
    print(f"已重设 {args.name} 的密码")
    return 0


def run_user_disable(args) -> int:
    from diagnose.services.accounts import disable_user

    disable_user(open_store(args), cli_actor(args), args.name)
    print(f"已停用 {args.name}")
    return 0


def run_user_list(args) -> int:
    from diagnose.access.policy import ROLES
    from diagnose.services.accounts import list_users

    for row in list_users(open_store(args), cli_actor(args)):
        state = "启用" if row["active"] else "停用"
        sample = "（示例）" if row["sample"] else ""
        print(f"{row['username']:<20} {ROLES[row['role']]:<6} {state}{sample}")
    return 0


def run_assign(args) -> int:
    from diagnose.services.accounts import assign

    added = assign(open_store(args), cli_actor(args), args.consultant, args.credit_code)
    print(f"已分配：{args.consultant} 负责 {args.credit_code}" if added else "此前已分配，无变化")
    return 0


def run_db_upgrade(args) -> int:
    store = open_store(args)
    print(f"数据库已是最新结构（{store.revision()}）：{store.shown_url}")
    return 0


def run_db_check(args) -> int:
    from diagnose.store import board_cells

    with open_store(args, build_sums=False).read() as conn:
        problems = board_cells.check(conn)
    for problem in problems:
        print(f"看板汇总：{problem}（可运行 diagnose db rebuild 重建）", file=sys.stderr)
    if not problems:
        print("看板汇总与评测记录一致。")
    return EXIT_PROBLEMS if problems else 0


def run_db_rebuild(args) -> int:
    from diagnose.store import board_cells, records

    store = open_store(args, build_sums=False)
    with store.write() as conn:
        parts = board_cells.rebuild(conn)
        records.audit(conn, cli_actor(args).username, "rebuild", "board", None)
    print(f"看板汇总已按评测记录重建（{parts} 项）。")
    return 0


def run_demo(args) -> int:
    from diagnose.services import questionnaires
    from diagnose.services.demo import seed_demo

    if args.enterprises < 1:
        print("diagnose: --enterprises 应为正整数", file=sys.stderr)
        return EXIT_USAGE
    store = open_store(args)
    if args.if_empty and has_enterprises(store):
        print("数据库已有企业，未生成示例数据")
        return 0
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\r已生成 {done}/{total} 家示例企业", end="", file=sys.stderr, flush=True)

    done = seed_demo(store, cli_actor(args), args.enterprises, args.seed, questionnaires(), progress)
    print(file=sys.stderr)
    print(f"已生成 {done} 家示例企业（种子 {args.seed}），用时 {time.perf_counter() - started:.1f} 秒")
    from diagnose.services.demo import create_demo_accounts

    for username, role, password in create_demo_accounts(store, cli_actor(args)):
        print(f"示例账户  {role:<10}  用户名 {username:<16}  密码 {password}")
    return 0


def has_enterprises(store) -> bool:
    from diagnose.access.policy import command_line_actor
    from diagnose.services.enterprises import find_enterprises

    return bool(find_enterprises(store, command_line_actor("check"), limit=1))


def run_import_enterprises(args) -> int:
    from diagnose.services.transfer import import_enterprises

    report_ = import_enterprises(open_store(args), cli_actor(args), args.file, args.dry_run, args.skip_invalid)
    report(report_.problems)
    if args.dry_run:
        print(f"检查了 {report_.checked} 行，{len(report_.problems)} 个问题；未写入（--dry-run）")
    elif report_.problems and not args.skip_invalid:
        found = f"检查了 {report_.checked} 行，{len(report_.problems)} 个问题"
        print(f"{found}：未导入任何一行（可修改后重试，或加 --skip-invalid）")
    else:
        print(f"导入 {report_.imported} 家企业（共 {report_.checked} 行）")
    return EXIT_PROBLEMS if report_.problems else 0


def run_export(args) -> int:
    from diagnose.services.transfer import export_assessments

    if args.file.suffix.lower() not in (".xlsx", ".csv"):
        print(f"diagnose: {args.file}: 文件应以 .xlsx 或 .csv 结尾", file=sys.stderr)
        return EXIT_USAGE
    count = export_assessments(open_store(args), cli_actor(args), args.file)
    print(f"已导出 {count} 次评测到 {args.file}")
    return 0


def run_backup(args) -> int:
    """``diagnose backup DIR``: a whole backup folder, or a located refusal (exit 1)."""
    from diagnose.services.backup import backup

    done = backup(open_store(args), cli_actor(args), args.folder)
    print(f"已备份到 {done.folder}：{done.rows} 行数据，{done.files} 个证据文件")
    if done.missing:
        print(f"注意：{len(done.missing)} 个证据文件在备份前已不在存储目录中（清单已列出）", file=sys.stderr)
    return 0


def run_restore(args) -> int:
    """``diagnose restore DIR [--replace]``: the backup's state, checked, or a refusal that changed nothing."""
    from diagnose.services.backup import restore

    # not open_store(args): migrating or building sums first would write into what is replaced
    done = restore(open_store(args, upgrade=False), cli_actor(args), args.folder, replace=args.replace)
    aside = f"；恢复前的数据已移到 {done.aside}" if done.aside else ""
    print(f"已恢复：{done.rows} 行数据，{done.files} 个证据文件，逐表核对一致{aside}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ProblemsError as exc:
        report(exc.problems)
        return EXIT_PROBLEMS
    except ServiceError as exc:
        print(f"diagnose: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except StoreError as exc:
        print(f"diagnose: 数据库无法使用（请检查 DIAGNOSE_DATABASE_URL 或 --database）：{exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback reaches a user
        print(f"diagnose: 内部错误（{type(exc).__name__}）：{exc}", file=sys.stderr)
        return EXIT_INTERNAL


def report(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def questionnaires_dir(args) -> Path:
    from diagnose.rule.loading import DEFAULT_DIRECTORY

    return args.dir or DEFAULT_DIRECTORY


def run_validate(args) -> int:
    from diagnose.rule.loading import check_file, display_path, questionnaire_files

    files = args.files or questionnaire_files(questionnaires_dir(args))
    failed = False
    for path in files:
        questionnaire, problems = check_file(path)
        report(problems)
        if questionnaire is None:
            failed = True
        else:
            note = f"，{len(problems)} 个警告" if problems else ""
            print(
                f"{display_path(path)}: 通过（{questionnaire.id} {questionnaire.version}，"
                f"内容哈希 {questionnaire.short_hash}{note}）"
            )
    return EXIT_PROBLEMS if failed else 0


def parse_json(text: str, file: str, line: int | None = None):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        row = line if line is not None else exc.lineno
        raise ProblemsError([Problem(file, f"line {row}, column {exc.colno}", f"不是有效的 JSON：{exc.msg}")]) from None
    except RecursionError:  # nested deeper than Python's parser goes: no answers file is
        raise ProblemsError([Problem(file, "" if line is None else f"line {line}", "JSON 嵌套过深")]) from None


def run_score(args) -> int:
    from diagnose.rule.loading import load_directory

    registry = load_directory(questionnaires_dir(args))
    text = read_text(args.file)
    if args.batch:
        return score_batch(registry, text, str(args.file))
    from diagnose.rule.answers import parse_document
    from diagnose.rule.scoring import score

    assessment, questionnaire = parse_document(parse_json(text, str(args.file)), registry, str(args.file))
    print(json.dumps(score(questionnaire, assessment).to_dict(), ensure_ascii=False, indent=2))
    return 0


def score_batch(registry, text: str, file: str) -> int:
    """One output line per input line, in order; a bad line is reported in place."""
    from diagnose.rule.answers import parse_document
    from diagnose.rule.batch import encode, score_matrix

    outcomes: list[dict | None] = []
    groups: dict[str, list[tuple[int, object]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            if not line.strip():
                raise ProblemsError([Problem(file, f"line {number}", "空行：每行应为一份答卷")])
            assessment, questionnaire = parse_document(parse_json(line, file, number), registry, f"{file}:{number}")
        except ProblemsError as exc:
            outcomes.append({"line": number, "error": "; ".join(str(p) for p in exc.problems)})
            continue
        groups.setdefault(questionnaire.id, []).append((len(outcomes), assessment))
        outcomes.append(None)
    for qid, members in groups.items():
        questionnaire = registry[qid]
        result = score_matrix(questionnaire, encode(questionnaire, [a for _, a in members]))
        question_ids = [q.id for q in questionnaire.questions]
        for k, (slot, assessment) in enumerate(members):
            row = result.row(k)
            outcomes[slot] = {
                "line": slot + 1,
                "questionnaire": qid,
                "version": questionnaire.version,
                "content_hash": questionnaire.content_hash,
                **row,
                "level_label": questionnaire.level_label(row["level"]),
                "missing": [q for q in question_ids if q not in assessment.choices],
            }
    for outcome in outcomes:
        print(json.dumps(outcome, ensure_ascii=False))
    return EXIT_PROBLEMS if any("error" in o for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
