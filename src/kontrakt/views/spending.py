"""Spending over time (`kontrakt budget --by month|quarter`): what was spent in each
month or quarter, what had been spent by its end, and what was left of the decided
money then. The rows add up to the budget's Spent, and its last row's "spent to
date" is the budget's: the entries are the same, only dated.

It counts whole lines' entries (an entry is not split between categories or
initiatives), so the category and initiative filters do not apply here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kontrakt.allocation import is_decided, meeting_days
from kontrakt.errors import KontraktError
from kontrakt.i18n import _
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio
from kontrakt.views.budget import Filters


@dataclass(frozen=True, slots=True)
class Entry:
    """One spending entry of one line."""

    day: date
    line: str
    title: str
    amount: int
    note: str | None
    voucher: str | None


@dataclass(slots=True)
class Span:
    """A month (`2024-03`) or a quarter (`2024 Q1`) and what was spent in it."""

    key: str
    spent: int = 0
    to_date: int = 0  # spent by the span's end (of the lines chosen)
    entries: list[Entry] = field(default_factory=list)


@dataclass(slots=True)
class SpendingView:
    by: str  # "month" or "quarter"
    filters: Filters
    periods: tuple[int, ...]
    spans: list[Span]
    decided: int  # the decided money of the lines chosen
    spent: int

    @property
    def unspent(self) -> int:
        return self.decided - self.spent


def span_of(by: str, year: int, month: int) -> str:
    return f"{year}-{month:02d}" if by == "month" else f"{year} Q{(month - 1) // 3 + 1}"


def spending_view(portfolio: Portfolio, by: str, filters: Filters) -> SpendingView:
    """The entries of the lines the filters choose, dated on or before `--as-of`
    (else today, where the filters know it), in months or quarters, oldest first;
    only spans with spending are listed."""
    filters.check(portfolio)
    if filters.categories or filters.initiatives:
        raise KontraktError(
            _("--by {by} counts whole budget lines: leave out --category and --initiative").format(
                by=by
            )
        )
    by_meeting = meeting_days(portfolio)
    spans: dict[str, Span] = {}
    decided_total = 0
    periods: set[int] = set()
    as_of, spent_by = filters.as_of, filters.spent_by
    for line_id, line in sorted(portfolio.budget.items(), key=listing_order):
        if filters.periods and line.period not in filters.periods:
            continue
        if as_of is not None and line.proposed_on is not None and line.proposed_on > as_of:
            continue
        decided = is_decided(line, as_of, by_meeting.get(line_id))
        if filters.decided is not None and decided is not filters.decided:
            continue
        periods.add(line.period)
        if decided:
            decided_total += line.amount
        for entry in line.spent:
            if spent_by is not None and entry.date > spent_by:
                continue  # not yet spent on the day
            key = span_of(by, entry.date.year, entry.date.month)
            span = spans.setdefault(key, Span(key))
            span.spent += entry.amount
            span.entries.append(
                Entry(entry.date, line_id, line.title, entry.amount, entry.note, entry.voucher)
            )
    running = 0
    ordered = [spans[key] for key in sorted(spans)]
    for span in ordered:
        span.entries.sort(key=lambda entry: entry.day)  # stable: lines in listing order
        running += span.spent
        span.to_date = running
    return SpendingView(by, filters, tuple(sorted(periods)), ordered, decided_total, running)
