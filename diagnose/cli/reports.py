"""``diagnose report --all``: the reports of every enterprise in a district or an industry, into a folder.

Reports are built by ``--jobs`` worker processes (each opens the database itself and reads the cut
fonts from the cache folder), written under a temporary name and renamed, so a stopped run leaves
whole files only. A progress line on stderr says how many are done and how long the rest will take;
a report that fails is named with its reason and the others go on.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from diagnose.cli.common import cli_actor, open_store
from diagnose.problems import Problem, ProblemsError
from diagnose.services.report import report_file_name as file_name


@dataclass(frozen=True)
class Done:
    """One report: its file, or why there is none."""

    enterprise: str
    path: Path | None
    problem: str | None


def run_all_reports(args) -> int:
    """``diagnose report --all [--industry …] [--district …] --out DIR [--jobs N]``; exit 1 when any
    report could not be made."""
    from diagnose.report.document import bold_wording
    from diagnose.report.fonts import report_faces
    from diagnose.services import questionnaires
    from diagnose.services.report import reportable

    folder: Path = args.out
    problem = _folder_problem(folder)
    if problem:
        raise ProblemsError([Problem(str(folder), "", problem)])
    store = open_store(args)
    enterprises, unscored = reportable(store, cli_actor(args), args.industry or "", args.district or "")
    store.dispose()
    scope = "、".join(x for x in (args.industry, args.district) if x) or "全部"
    if not enterprises:
        print(f"{scope}：没有可生成报告的企业" + (f"（{unscored} 家尚无已计分的评测）" if unscored else ""))
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    for questionnaire in questionnaires().values():
        report_faces(bold_wording(questionnaire))  # cut once here, not by every worker at once
    print(f"{scope}：为 {len(enterprises)} 家企业生成报告，{args.jobs} 个进程……", file=sys.stderr)
    start = time.monotonic()
    failed = []
    progress = Progress(len(enterprises), sys.stderr)
    work = [(e["id"], e["credit_code"], e["name"], str(folder / file_name(e))) for e in enterprises]
    with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn"), initializer=_start_worker,
                             initargs=(args.database, args.actor)) as pool:  # fmt: skip
        try:
            for future in as_completed([pool.submit(_build, *item) for item in work]):
                done = future.result()
                if done.problem:
                    failed.append(done)
                progress.step()
        except KeyboardInterrupt:
            # Ctrl-C: the reports not begun are dropped, not waited for; those written stay whole
            pool.shutdown(wait=False, cancel_futures=True)
            progress.finish()
            raise
    progress.finish()
    took = time.monotonic() - start
    print(f"已生成 {len(work) - len(failed)} 份报告到 {folder}，用时 {took:.0f} 秒"
          + (f"；{unscored} 家尚无已计分的评测，未生成" if unscored else ""))  # fmt: skip
    for done in failed:
        print(f"{done.enterprise}：{done.problem}", file=sys.stderr)
    return 1 if failed else 0


def _folder_problem(folder: Path) -> str | None:
    if folder.exists() and not folder.is_dir():
        return "已存在同名文件，请给出文件夹"
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    if not os.access(existing, os.W_OK):
        return f"没有写入权限（{existing}）"
    return None


class Progress:
    """A progress line: redrawn in place on a terminal, a line per tenth done otherwise (a log)."""

    def __init__(self, total: int, stream) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.start = time.monotonic()
        self.live = stream.isatty()
        self.shown_tenth = 0

    def step(self) -> None:
        self.done += 1
        if self.live:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif self.done * 10 // self.total > self.shown_tenth or self.done == self.total:
            self.shown_tenth = self.done * 10 // self.total
            print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        """``[#####-----] 500/1000  50%  已用 2:10  预计还需 2:10``."""
        share = self.done / self.total
        elapsed = time.monotonic() - self.start
        left = elapsed / self.done * (self.total - self.done) if self.done else 0
        bar = "#" * round(share * 20) + "-" * (20 - round(share * 20))
        return f"[{bar}] {self.done}/{self.total} {share:4.0%}  已用 {_clock(elapsed)}  预计还需 {_clock(left)}"

    def finish(self) -> None:
        if self.live:
            self.stream.write("\n")


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"


_worker: dict = {}


def _start_worker(database: str | None, actor: str) -> None:
    from diagnose.access.policy import command_line_actor
    from diagnose.services import open_store as open_database

    _worker["store"] = open_database(database)
    _worker["actor"] = command_line_actor(actor)


def _build(enterprise_id: int, credit_code: str, name: str, path: str) -> Done:
    """One enterprise's report written to ``path`` (via a temporary file); a failure is returned, not raised."""
    from diagnose.report.document import build_pdf
    from diagnose.report.fonts import FontMissing
    from diagnose.services.errors import ServiceError
    from diagnose.services.report import report_data

    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        pdf = build_pdf(report_data(_worker["store"], _worker["actor"], enterprise_id))
        partial.write_bytes(pdf)
        os.replace(partial, target)
        return Done(f"{credit_code} {name}", target, None)
    except (ServiceError, ProblemsError, FontMissing, OSError) as exc:
        partial.unlink(missing_ok=True)
        return Done(f"{credit_code} {name}", None, str(exc))
    except Exception as exc:  # noqa: BLE001 - one report's fault is named and the others are still made
        partial.unlink(missing_ok=True)
        return Done(f"{credit_code} {name}", None, f"内部错误（{type(exc).__name__}）：{exc}")
