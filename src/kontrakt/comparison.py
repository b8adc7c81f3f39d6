"""Two versions of the portfolio, loaded and compared: the core of `kontrakt diff`.

The base (and the head, when it is a revision) are read from git into memory,
without touching the work tree or writing anything (revisions.py); the working
tree is read where it is.
Each side goes through the whole pipeline, so a side with errors reports them,
and only two valid sides are compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kontrakt.diagnostics import Severity, printable
from kontrakt.i18n import _, message_language, speaking
from kontrakt.load import LoadResult, Reuse, load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.revisions import Base, Objects, default_base, read_revision, repository, resolve
from kontrakt.views.diff import PortfolioDiff, compare


@dataclass(frozen=True, slots=True)
class Side:
    label: str
    result: LoadResult
    errors: tuple[str, ...]  # `where:line:col: message [rule]`, in the side's own paths


@dataclass(frozen=True, slots=True)
class Comparison:
    before: Side
    after: Side
    changes: PortfolioDiff | None  # None when a side has errors
    default_base: Base | None = None  # the base kontrakt chose, when none was given

    @property
    def portfolio(self) -> Portfolio | None:
        """The portfolio whose language and locale the comparison is shown in."""
        return self.after.result.portfolio or self.before.result.portfolio


def compare_revisions(root: Path, base: str | None, head: str | None) -> Comparison:
    """BASE (default: revisions.default_base) against HEAD (default: the work tree).

    Raises revisions.GitProblem when git cannot answer.
    """
    repo = repository(root)
    chosen: Base | None = None
    if base:
        revisions = [(base, resolve(repo, base))]
    else:
        chosen = default_base(repo)
        revisions = [(chosen.label, chosen.commit)]
    if head is not None:
        revisions.append((head, resolve(repo, head)))
    sides: list[Side] = []
    folder = Path(repo.prefix.as_posix())  # a name for messages; nothing is read there
    reuse = Reuse()  # what the two sides share is parsed and validated once
    objects = Objects(repo.top)  # and read from git once
    for label, commit in revisions:
        revision = read_revision(repo, commit, label, objects)
        result = load_portfolio(folder, revision.files, reuse=reuse)
        errors = _errors(result, folder, f"{label}:{repo.prefix}")
        errors += revision.notes
        sides.append(Side(label, result, tuple(errors)))
    if head is None:
        result = load_portfolio(root, reuse=reuse)
        known = result.portfolio or sides[0].result.portfolio
        # The label heads the comparison, a document in the portfolio's language.
        with speaking(known.settings.language if known else message_language()):
            label = _("the working tree")
        sides.append(Side(label, result, tuple(_errors(result, root, str(repo.prefix)))))
    before, after = sides
    old, new = before.result.portfolio, after.result.portfolio
    valid = not before.result.has_errors and not after.result.has_errors
    changes = compare(old, new) if valid and old is not None and new is not None else None
    return Comparison(before, after, changes, chosen)


def _errors(result: LoadResult, folder: Path, shown: str) -> list[str]:
    lines = []
    for item in result.diagnostics:
        if item.severity is not Severity.ERROR:
            continue
        try:
            relative = item.path.relative_to(folder).as_posix()
        except ValueError:
            relative = item.path.as_posix()
        where = printable(f"{shown}/{relative}")
        lines.append(f"{where}:{item.line}:{item.column}: {printable(item.message)} [{item.rule}]")
    return lines
