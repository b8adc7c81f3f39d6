"""Date arithmetic that never overflows.

0001-01-01 and 9999-12-31 are ordinary dates in a portfolio (9999-12-31 is a
common "open-ended" placeholder), and `--as-of` or an agenda's date may be
either. Python's `date` ends there and `day + timedelta(...)` raises past it, so
every shift of a date goes through `shift`, which stops at the ends instead.
"""

from __future__ import annotations

import re
from datetime import date

from kontrakt.errors import KontraktError
from kontrakt.i18n import _
from kontrakt.render.safe import one_line

_FIRST = date.min.toordinal()
_LAST = date.max.toordinal()


def shift(day: date, days: int) -> date:
    """`day` moved by `days` (either way), held at 0001-01-01 or 9999-12-31.

    Saturating is the right answer for a horizon or a window ("the next 60 days
    from 9999-12-01" ends at 9999-12-31); where a caller needs the exact day and
    it does not exist, `shift` returns an end date and the caller can see it did
    not move as far as asked (`day_after`).
    """
    return date.fromordinal(min(max(day.toordinal() + days, _FIRST), _LAST))


def day_after(day: date) -> date | None:
    """The next day, or None after 9999-12-31 (there is none)."""
    after = shift(day, 1)
    return after if after > day else None


_WRITTEN = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?")
_ISO_LIKE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class DayProblem(KontraktError):
    """A day given on the command line that kontrakt cannot read, with how to write it."""


def parse_day(text: str, today: date) -> date:
    """A day written YYYY-MM-DD, or a DayProblem that says how to write it: for
    `27/3` or `27.3.2024` (day first, as Swedish writes it) the ISO date meant."""
    value = text.strip()
    if len(value) == 10 and _ISO_LIKE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise DayProblem(
                _("{value} is not a day in the calendar").format(value=value)
            ) from None
    suggestion: date | None = None
    written = _WRITTEN.fullmatch(value)
    iso = _ISO_LIKE.fullmatch(value)
    try:
        if written:
            day, month, year = written.groups()
            full = int(year) + (2000 if len(year) == 2 else 0) if year else today.year
            suggestion = date(full, int(month), int(day))
        elif iso:
            suggestion = date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        suggestion = None
    return _refuse(value, suggestion)


def _refuse(value: str, suggestion: date | None) -> date:
    shown = one_line(value)[:40]
    if suggestion is not None:
        raise DayProblem(
            _(
                "'{value}' is not a date kontrakt reads; did you mean {day}? Write YYYY-MM-DD"
            ).format(value=shown, day=suggestion.isoformat())
        )
    raise DayProblem(
        _("'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2024-02-27").format(value=shown)
    )
