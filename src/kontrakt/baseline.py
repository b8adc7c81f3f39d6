"""The warnings a portfolio had at an earlier revision: what `check --since` forgives.

A portfolio can carry a known, discussed problem (a frame the team knowingly
overshoots) and still pass CI: a warning that was there at the base revision is
reported but does not fail `--strict`; a new one does, and so does a known one
that got worse, since its message (the amounts in it) is then another. Warnings
are matched by file, rule and message, not by line, so moving lines around does
not make an old warning new.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.load import load_portfolio
from kontrakt.revisions import GitProblem, read_revision, repository, resolve

Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Split:
    new: list[Diagnostic]  # warnings the base revision did not have: they fail --strict
    known: list[Diagnostic]  # warnings it had already: reported, forgiven


def warnings_at(root: Path, revision: str) -> Counter[Key]:
    """The warnings of the portfolio at `revision` (none before the first commit)."""
    repo = repository(root)
    try:
        commit = resolve(repo, revision)
    except GitProblem:
        if revision == "HEAD" and not _has_commits(repo.top):
            return Counter()  # the first commit: everything is new
        raise
    files = read_revision(repo, commit, revision).files
    result = load_portfolio(root, files=files)
    return Counter(_key(root, d) for d in result.diagnostics if d.severity is Severity.WARNING)


def split(root: Path, diagnostics: Sequence[Diagnostic], known: Counter[Key]) -> Split:
    """This revision's warnings, new or known (each known one forgiven once)."""
    left = Counter(known)
    new: list[Diagnostic] = []
    old: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.severity is not Severity.WARNING:
            continue
        key = _key(root, diagnostic)
        if left[key] > 0:
            left[key] -= 1
            old.append(diagnostic)
        else:
            new.append(diagnostic)
    return Split(new, old)


def _key(root: Path, diagnostic: Diagnostic) -> Key:
    try:
        where = diagnostic.path.relative_to(root).as_posix()
    except ValueError:
        where = diagnostic.path.as_posix()
    return (where, diagnostic.rule, diagnostic.message)


def _has_commits(top: Path) -> bool:
    from kontrakt.revisions import _git

    try:
        _git(top, "rev-parse", "--verify", "--quiet", "HEAD")
    except GitProblem:
        return False
    return True
