"""What every command shares: the acting administrator, the opened store, a file read as UTF-8 text.

Failures here are located problems (``ProblemsError``), which ``commands.main`` prints as one line each.
"""

from __future__ import annotations

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
