"""The shape of the house: no import circles in ``diagnose``, Streamlit only in the pages and the
entry scripts, the database library and SQL text only in the store.

An AST pass over the source, imports inside functions included: a circle held apart by a
function-level import is still a circle. Each check is also run on a small made-up package with
the fault put back, so these tests are seen to fail when it returns.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "diagnose"
ENTRY_SCRIPTS = {"diagnose.web"}  # app.py, the other one, lives outside the package
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX))\b", re.S)


def modules(package: Path) -> dict[str, Path]:
    """Every module of a package by dotted name (a package by its own name), migrations left out."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.relative_to(package).parts:
            continue  # Alembic's scripts: run by the migration tool, imported by nothing
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that this module imports, anywhere in its body."""

    def owner(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {owner(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                whole = f"{base}.{alias.name}"
                found.add(whole if whole in known else owner(base))
    return found - {None, name}


def circles(package: Path) -> list[list[str]]:
    """Every set of modules that import one another round a loop (Tarjan's strongly connected parts)."""
    known = modules(package)
    edges = {name: imports(name, path, known) for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while not part or part[-1] != node:
                part.append(stack.pop())
            if len(part) > 1:
                found.append(sorted(part))

    for node in known:
        if node not in index:
            visit(node)
    return found


def imported_roots(path: Path) -> set[str]:
    """The top-level names of every library a module imports (``sqlalchemy`` for ``sqlalchemy.exc``)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            roots.add(node.module.split(".")[0])
    return roots


def sql_texts(path: Path) -> list[str]:
    """String constants of a module that read as SQL statements (in capitals, as SQL is written here;
    prose in docstrings that says "select ... from" is not SQL)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def strays(package: Path) -> list[str]:
    """Modules that import Streamlit outside the pages and entry scripts, or hold the database
    library or SQL text outside the store: each as ``module: what``."""
    found = []
    for name, path in modules(package).items():
        inside = name.split(".")[1:2]
        roots = imported_roots(path)
        if "streamlit" in roots and inside != ["ui"] and name not in ENTRY_SCRIPTS:
            found.append(f"{name}: imports streamlit")
        if inside != ["store"] and "sqlalchemy" in roots:
            found.append(f"{name}: imports sqlalchemy")
        if inside != ["store"]:
            found += [f"{name}: holds SQL {text[:40]!r}" for text in sql_texts(path)]
    return found


def test_no_module_of_diagnose_imports_round_a_circle():
    assert circles(PACKAGE) == []


def test_streamlit_only_in_pages_and_entry_scripts_and_the_database_only_in_the_store():
    assert strays(PACKAGE) == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "diagnose"
    for relative, text in {"__init__.py": "", **files}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def test_a_circle_put_back_is_found_even_through_a_function_level_import(tmp_path):
    package = _package(
        tmp_path,
        {
            "rule/__init__.py": "",
            "rule/model.py": "def load():\n    from diagnose.rule.loading import read\n    return read()\n",
            "rule/loading.py": "from diagnose.rule.model import load\n",
            "visit.py": "from . import clock\n",
            "clock.py": "from .visit import x\n",
            "alone.py": "import diagnose.clock\n",
        },
    )
    assert sorted(circles(package)) == [
        ["diagnose.clock", "diagnose.visit"],
        ["diagnose.rule.loading", "diagnose.rule.model"],
    ]


def test_a_stray_streamlit_sqlalchemy_or_sql_text_put_back_is_named(tmp_path):
    package = _package(
        tmp_path,
        {
            "web.py": "import streamlit as st\n",
            "ui/__init__.py": "",
            "ui/page.py": "import streamlit as st\n",
            "store/__init__.py": "from sqlalchemy import text\nQ = 'SELECT id FROM enterprises'\n",
            "services/__init__.py": "",
            "services/lookup.py": "from sqlalchemy import Connection\n",
            "services/count.py": "QUERY = 'SELECT count(*) FROM assessments'\n",
            "board/charts.py": "def show():\n    import streamlit\n",
        },
    )
    assert sorted(strays(package)) == [
        "diagnose.board.charts: imports streamlit",
        "diagnose.services.count: holds SQL 'SELECT count(*) FROM assessments'",
        "diagnose.services.lookup: imports sqlalchemy",
    ]


def test_the_server_warms_every_module_it_names_so_none_is_misspelt():
    import sys

    from diagnose.ui.warmup import WARM_MODULES, warm_imports

    warm_imports()
    assert all(name in sys.modules for name in WARM_MODULES)


def test_the_warm_up_starts_once_after_the_first_page_of_an_armed_server_only(monkeypatch):
    from diagnose.report import fonts
    from diagnose.ui import warmup

    started: list[str] = []

    class Recorded:
        def __init__(self, target, name, daemon):
            self.name = name

        def start(self):
            started.append(self.name)

    monkeypatch.setattr(warmup.threading, "Thread", Recorded)
    monkeypatch.setattr(fonts, "prepare_in_background", lambda wording: started.append("report-faces"))
    monkeypatch.setattr(warmup, "_armed", False)

    warmup.after_first_page()  # a page test: nothing armed it
    assert started == []
    warmup.arm()
    warmup.after_first_page()
    warmup.after_first_page()
    assert started == ["report-faces", "warm-imports"]
