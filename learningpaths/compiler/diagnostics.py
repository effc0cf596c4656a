"""Collecting author-facing problems.

Every phase reports through a :class:`Reporter` instead of raising (style rule 7): the build keeps
going past a bad file and the caller gets every problem of the run at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .codes import Code
from .result import Diagnostic

ERROR = "error"
WARNING = "warning"


class Reporter:
    """An append-only list of diagnostics with helpers for the two severities."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(self, path: str, line: int, code: Code, message: str, *, col: int = 0, hint: str = "") -> Diagnostic:
        return self.add(Diagnostic(path, line, col, ERROR, code.value, message, hint))

    def warning(self, path: str, line: int, code: Code, message: str, *, col: int = 0, hint: str = "") -> Diagnostic:
        return self.add(Diagnostic(path, line, col, WARNING, code.value, message, hint))

    def add(self, diagnostic: Diagnostic) -> Diagnostic:
        self.diagnostics.append(diagnostic)
        return diagnostic

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A hint such as ``did you mean 'licence'?``, or "" when nothing is close (MkDocs style)."""
    matches = difflib.get_close_matches(str(word), sorted(set(candidates)), n=1, cutoff=cutoff)
    return f"did you mean '{matches[0]}'?" if matches else ""


def sort_key(d: Diagnostic) -> tuple:
    """Grouped by file, in line order; a stable sort keeps the phases' order within one place."""
    return (d.path, d.line, d.col)
