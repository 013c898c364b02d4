"""The ``diagnose`` command: validate questionnaires, score answers.

Every failure ends with located one-line messages on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from diagnose import __version__
from diagnose.problems import Problem, ProblemsError

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ProblemsError as exc:
        report(exc.problems)
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
    from diagnose.questionnaire import DEFAULT_DIRECTORY

    return args.dir or DEFAULT_DIRECTORY


def run_validate(args) -> int:
    from diagnose.questionnaire import check_file, display_path, questionnaire_files

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


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemsError([Problem(str(path), "", "文件不存在")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemsError([Problem(str(path), "", f"无法按 UTF-8 读取：{exc}")]) from None


def parse_json(text: str, file: str, line: int | None = None):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        row = line if line is not None else exc.lineno
        raise ProblemsError([Problem(file, f"line {row}, column {exc.colno}", f"不是有效的 JSON：{exc.msg}")]) from None


def run_score(args) -> int:
    from diagnose.questionnaire import load_directory

    registry = load_directory(questionnaires_dir(args))
    text = read_text(args.file)
    if args.batch:
        return score_batch(registry, text, str(args.file))
    from diagnose.answers import parse_document
    from diagnose.scoring import score

    assessment, questionnaire = parse_document(parse_json(text, str(args.file)), registry, str(args.file))
    print(json.dumps(score(questionnaire, assessment).to_dict(), ensure_ascii=False, indent=2))
    return 0


def score_batch(registry, text: str, file: str) -> int:
    """One output line per input line, in order; a bad line is reported in place."""
    from diagnose.answers import parse_document
    from diagnose.batch import encode, score_matrix

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
