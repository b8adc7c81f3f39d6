"""Issued documents: a meeting's agenda as it was sent, kept beside its meeting file.

Dated entries make most later edits invisible to a past day's agenda (see
kontrakt.views.asof), but not all: a part added to a line that was already
there, a title corrected, a template changed. So a team can issue an agenda
(`kontrakt agenda DATE --issue`): the text is stored next to the meeting file,
as `<meeting id>.agenda.md`, and from then on `kontrakt agenda DATE` gives that
record, byte for byte, and says when the portfolio now gives another text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _
from kontrakt.portfolio import Portfolio
from kontrakt.read import read_bytes
from kontrakt.write import write_text_atomic

SUFFIX = ".agenda.md"
_LIMIT = 16 * 1024 * 1024  # an agenda is a few pages; a larger file is not one


@dataclass(frozen=True, slots=True)
class Record:
    path: Path
    text: str | None  # None: not issued yet


def record(portfolio: Portfolio, meeting_id: str) -> Record:
    """Where the meeting's agenda is (or would be) kept, and its text if it is."""
    source = portfolio.sources[("meeting", meeting_id)]
    path = source.path.with_name(meeting_id + SUFFIX)
    raw, problems = read_bytes(path, _LIMIT)
    if raw is None:
        if problems and path.exists():
            raise ProblemFound(problems[0].message)
        return Record(path, None)
    try:
        return Record(path, raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProblemFound(
            _("{file} is not UTF-8 text; it is not an agenda kontrakt issued").format(
                file=path.name
            )
        ) from None


def issue(portfolio: Portfolio, kept: Record, text: str, *, replace: bool) -> bool:
    """Keep `text` as the issued agenda; False when it is kept already, unchanged.

    An agenda issued with another text is replaced only when asked (`replace`).
    """
    if kept.text == text:
        return False
    if kept.text is not None and not replace:
        raise ProblemFound(
            _(
                "{file} holds the agenda issued before, and the portfolio now gives "
                "another; pass --reissue to replace the record"
            ).format(file=kept.path.name)
        )
    write_text_atomic(kept.path, text, inside=portfolio.root)
    return True
