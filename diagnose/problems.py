"""Located problems: what is wrong, in which file, at which place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as ``file: place: message``.

    ``place`` is a path into the document (``practices[4].scene``) or, for a
    syntax error, ``line L, column C``. Warnings never stop a load; errors do.
    """

    file: str
    place: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {prefix}{self.message}"


class ProblemsError(ValueError):
    """Raised with every error found, never just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in problems))


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems of severity ``error``, in order (warnings dropped)."""
    return [p for p in problems if p.severity == "error"]
