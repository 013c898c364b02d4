"""What a served app loads in the background once its first page is drawn.

The pages import about 5 s of modules (scipy's optimiser and pandas the most) and a report needs
its font faces cut. Done at the server's start, that work ran beside the first visitor's page
(two cores, one interpreter lock) and made the sign-in form slow; started right after the first
page instead, it runs while the visitor types a name and a password.
"""

from __future__ import annotations

import importlib
import threading

WARM_MODULES = ("pandas", "scipy.optimize", "plotly.graph_objects", "openpyxl", "diagnose.catalog.recommend",
                "diagnose.services.dashboard", "diagnose.services.recommendations", "diagnose.report.result_charts",
                "diagnose.visit.workbook", "diagnose.services.workbook")  # fmt: skip

_lock = threading.Lock()
_armed = False  # set by the server (``diagnose.web``); a test of the pages warms nothing


def arm() -> None:
    """Called by the server at its start: the first page drawn starts the warm-up."""
    global _armed
    _armed = True


def warm_imports() -> None:
    """Import ``WARM_MODULES`` (a module already loaded costs nothing)."""
    for name in WARM_MODULES:
        importlib.import_module(name)


def after_first_page() -> None:
    """Called at the end of every page run: the first one in an armed server starts the report's
    faces and ``warm_imports`` in daemon threads; every later one returns at once."""
    global _armed
    with _lock:
        if not _armed:
            return
        _armed = False
    from diagnose.report.document import bold_wording
    from diagnose.report.fonts import prepare_in_background
    from diagnose.services import questionnaires

    # the report's faces cut (or read from the cache folder) before anyone asks for a report
    prepare_in_background(lambda: bold_wording(next(iter(questionnaires().values()))))
    threading.Thread(target=warm_imports, name="warm-imports", daemon=True).start()
