"""Date arithmetic that never overflows.

0001-01-01 and 9999-12-31 are ordinary dates in a portfolio (9999-12-31 is a
common "open-ended" placeholder), and `--as-of` or an agenda's date may be
either. Python's `date` ends there and `day + timedelta(...)` raises past it, so
every shift of a date goes through `shift`, which stops at the ends instead.
"""

from __future__ import annotations

from datetime import date

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
