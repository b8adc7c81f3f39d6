"""The one problem type every stage of the pipeline produces.

Problems are values, not exceptions: each stage returns them, the pipeline
collects them across the whole portfolio, and the CLI reports them together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kontrakt.i18n import N_


class Severity(StrEnum):
    """How bad a problem is; errors fail `kontrakt check`, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place: 1-based line and column, a rule id and a message."""

    path: Path
    line: int
    column: int
    severity: Severity
    rule: str
    message: str
    # For comparing with another revision (`check --since`): what the problem is
    # about, named the same in both ("pilot/2024"), and how bad it is (a frame's
    # overshoot in kronor), where the rule can say. Not part of its identity.
    subject: str | None = field(default=None, compare=False)
    weight: int | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path.as_posix(), self.line, self.column, self.rule, self.message)


# Said wherever a link is met: discovering folders or opening a file (translate it
# with `_()` where it is used).
SYMLINK_MESSAGE = N_("symbolic links are not followed; put the file itself in the portfolio")


def printable(text: str) -> str:
    """Text safe to print: a file name that is not UTF-8 shows its bad bytes as �."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# A file's path, as a Path or as text (loading keeps paths as text: a Path for each
# of ten thousand files read cost more than reading them); a diagnostic's is a Path.
FilePath = str | Path


def error(path: FilePath, line: int, column: int, rule: str, message: str) -> Diagnostic:
    return Diagnostic(Path(path), line, column, Severity.ERROR, rule, message)


def warning(path: FilePath, line: int, column: int, rule: str, message: str) -> Diagnostic:
    return Diagnostic(Path(path), line, column, Severity.WARNING, rule, message)


def sorted_diagnostics(items: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line and column, with exact repeats removed."""
    return sorted(set(items), key=Diagnostic.sort_key)


def count(items: Iterable[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in items if d.severity is severity)
