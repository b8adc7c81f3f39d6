"""The warnings a portfolio had at an earlier revision: what `check --since` forgives.

A portfolio can carry a known, discussed problem (a frame the team knowingly
overshoots) and still pass CI: a warning that was there at the base revision is
reported but does not fail `--strict`; a new one does. Warnings are matched by
file, rule and message, not by line, so moving lines around does not make an old
warning new. A warning whose rule says what it is about and how bad it is (a
frame's overshoot) is known when the base had it about the same thing at least
as bad: a larger overshoot fails, a smaller one passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.load import load_portfolio
from kontrakt.revisions import GitProblem, read_revision, repository, resolve

Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Split:
    new: list[Diagnostic]  # warnings the base revision did not have: they fail --strict
    known: list[Diagnostic]  # warnings it had already: reported, forgiven


@dataclass(slots=True)
class Known:
    """The warnings of a base revision: by file, rule and message, and by what they
    are about with how bad they were."""

    exact: Counter[Key]
    weights: dict[tuple[str, str, str], list[int]]


def warnings_at(root: Path, revision: str, *, today: date | None = None) -> Known:
    """The warnings of the portfolio at `revision` (none before the first commit),
    checked as of `today` as the work tree is, so that the same dates warn alike."""
    repo = repository(root)
    try:
        commit = resolve(repo, revision)
    except GitProblem:
        if revision == "HEAD" and not _has_commits(repo.top):
            return Known(Counter(), {})  # the first commit: everything is new
        raise
    files = read_revision(repo, commit, revision).files
    result = load_portfolio(root, files=files, today=today)
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    weights: dict[tuple[str, str, str], list[int]] = {}
    for d in warnings:
        if d.subject is not None and d.weight is not None:
            weights.setdefault(_about(root, d), []).append(d.weight)
    return Known(Counter(_key(root, d) for d in warnings), weights)


def split(root: Path, diagnostics: Sequence[Diagnostic], known: Known) -> Split:
    """This revision's warnings, new or known (each known one forgiven once)."""
    left = Counter(known.exact)
    weights = {about: sorted(found) for about, found in known.weights.items()}
    new: list[Diagnostic] = []
    old: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.severity is not Severity.WARNING:
            continue
        key = _key(root, diagnostic)
        if left[key] > 0:
            left[key] -= 1
            old.append(diagnostic)
        elif _no_worse(root, diagnostic, weights):
            old.append(diagnostic)
        else:
            new.append(diagnostic)
    return Split(new, old)


def _no_worse(
    root: Path, diagnostic: Diagnostic, weights: dict[tuple[str, str, str], list[int]]
) -> bool:
    """Whether the base had a warning about the same thing at least as bad (used up)."""
    if diagnostic.subject is None or diagnostic.weight is None:
        return False
    found = weights.get(_about(root, diagnostic), [])
    for index, weight in enumerate(found):
        if weight >= diagnostic.weight:
            del found[index]
            return True
    return False


def _about(root: Path, diagnostic: Diagnostic) -> tuple[str, str, str]:
    return (_key(root, diagnostic)[0], diagnostic.rule, diagnostic.subject or "")


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
