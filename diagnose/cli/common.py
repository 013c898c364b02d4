"""What every command shares: the acting administrator, the opened store, a file read as UTF-8 text,
whether a file can be written.

Failures here are located problems (``ProblemsError``), which ``commands.main`` prints as one line each.
"""

from __future__ import annotations

import os
from pathlib import Path

from diagnose.problems import Problem, ProblemsError


def cli_actor(args):
    """The administrator a command acts as, named ``命令行:<--actor>`` in the audit log."""
    from diagnose.access.policy import command_line_actor

    return command_line_actor(args.actor)


def open_store(args, upgrade: bool = True, build_sums: bool = True):
    """The store of ``--database`` (or the configured one) as the pages open it, migrated to the
    newest schema unless ``upgrade`` is false, its dashboard sums built unless ``build_sums`` is."""
    from diagnose.services import open_store

    store = open_store(args.database)
    if upgrade:
        store.upgrade(build_sums)
    return store


def read_text(path: Path) -> str:
    """The file's text as UTF-8; raises ProblemsError naming the file if it is missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemsError([Problem(str(path), "", "文件不存在")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemsError([Problem(str(path), "", f"无法按 UTF-8 读取：{exc}")]) from None


def output_problem(path: Path) -> str | None:
    """Why a file cannot be written at ``path`` (a missing or unwritable folder, a folder in its
    place), or None."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return "是一个文件夹，请给出文件名"
    if not folder.is_dir():
        return f"所在文件夹 {folder} 不存在"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "没有写入权限"
    return None
