"""No use case without a door: every public service function is reached from a page or a command.

Reached means: named in a page (``diagnose/ui``), the entry script, the web routes or the command
line, or named by a service function that is itself reached. Names are matched as names (a service
module's functions have distinct names), which is what a reader of the code would follow.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "diagnose" / "services"
DOORS = [ROOT / "app.py", ROOT / "diagnose" / "web.py", *sorted((ROOT / "diagnose" / "cli").glob("*.py")),
         *sorted((ROOT / "diagnose" / "ui").glob("*.py"))]  # fmt: skip

# public on purpose, yet no door calls them; each with the reason
ALLOWED = {
    "compare_assessments": "kept for scripts and tests comparing two stored assessments; the pages compare "
    "through enterprise_view, review_file and before_after",
}


def names_in(tree: ast.AST) -> set[str]:
    """Every name a piece of code refers to: plain names, attributes and imported names."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            found |= {alias.name for alias in node.names}
    return found


def service_functions() -> dict[str, ast.FunctionDef]:
    functions = {}
    for path in sorted(SERVICES.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                functions[f"{path.stem}.{node.name}"] = node
    return functions


def reached() -> set[str]:
    functions = service_functions()
    seen: set[str] = set()
    frontier = set().union(*(names_in(ast.parse(p.read_text(encoding="utf-8"))) for p in DOORS))
    while frontier:
        new = {key for key in functions if key.split(".")[1] in frontier} - seen
        seen |= new
        frontier = set().union(*(names_in(functions[key]) for key in new)) if new else set()
    return seen


def test_every_public_service_function_has_a_door():
    doors = reached()
    unreached = {key for key in service_functions() if key not in doors and key.split(".")[1] not in ALLOWED}

    assert unreached == set(), "no page or command reaches these: " + ", ".join(sorted(unreached))


def test_the_allow_list_names_only_functions_that_exist_and_are_unreached():
    names = {key.split(".")[1]: key for key in service_functions()}

    assert set(ALLOWED) <= set(names)
    assert not {names[name] for name in ALLOWED} & reached()
