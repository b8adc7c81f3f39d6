"""Who pays: the budget per funder (`kontrakt budget --by funder`).

Each line's amount is split between its funders exactly (kontrakt.funders), and
what was spent on it in proportion to what each pays; what the funders leave is
*unassigned*, a row of its own. So every funder's row is a sum of whole-krona
parts of whole lines, and the rows add up to the same decided, proposed and
spent as the budget by category: spent + left of decided = decided in every row.

It counts whole lines: a funder pays part of a line, not of a category or of an
initiative, so the category and initiative filters do not apply here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kontrakt.allocation import is_decided, meeting_days, spent_on
from kontrakt.errors import KontraktError
from kontrakt.funders import FunderKey, frame_funders, payments
from kontrakt.i18n import _
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio
from kontrakt.views.budget import Filters


@dataclass(slots=True)
class FunderLine:
    """A funder's part of one budget line."""

    line: str
    title: str
    amount: int
    line_amount: int
    decided: bool
    spent: int
    hours: int

    @property
    def unspent(self) -> int | None:
        return self.amount - self.spent if self.decided else None


@dataclass(slots=True)
class FunderRow:
    """One funder (or the unassigned rest, `key` None), and the lines it pays."""

    key: FunderKey
    label: str
    decided: int = 0
    proposed: int = 0
    spent: int = 0
    hours: int = 0
    lines: list[FunderLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.decided + self.proposed

    @property
    def unspent(self) -> int:
        """What is left to spend of what the funder has decided to pay."""
        return self.decided - self.spent


@dataclass(slots=True)
class FundersView:
    filters: Filters
    periods: tuple[int, ...]
    rows: list[FunderRow]
    total: FunderRow


def funders_view(
    portfolio: Portfolio, filters: Filters, labels: Callable[[FunderKey], str]
) -> FundersView:
    """Every funder's part of the lines the filters choose (periods, decided or
    proposed, as of a day), in kontrakt.yaml's order of organisations, then the
    external funders by name, then the unassigned rest."""
    filters.check(portfolio)
    if filters.categories or filters.initiatives:
        raise KontraktError(
            _(
                "--by funder counts whole budget lines: leave out --category and "
                "--initiative, or group by them instead"
            )
        )
    by_meeting = meeting_days(portfolio)
    framed = frame_funders(portfolio)
    rows: dict[FunderKey, FunderRow] = {}
    total = FunderRow(None, labels(("total", "")))
    periods: set[int] = set()
    for line_id, line in sorted(portfolio.budget.items(), key=listing_order):
        as_of = filters.as_of
        if filters.periods and line.period not in filters.periods:
            continue
        if as_of is not None and line.proposed_on is not None and line.proposed_on > as_of:
            continue
        decided = is_decided(line, as_of, by_meeting.get(line_id))
        if filters.decided is not None and decided is not filters.decided:
            continue
        periods.add(line.period)
        inherited = framed.get((line.category or "", line.period), ())
        for payment in payments(line, spent_on(line, filters.spent_by), inherited):
            row = rows.get(payment.key)
            if row is None:
                row = rows[payment.key] = FunderRow(payment.key, labels(payment.key))
            part = FunderLine(
                line_id,
                line.title,
                payment.amount,
                line.amount,
                decided,
                payment.spent,
                payment.hours,
            )
            row.lines.append(part)
            for counted in (row, total):
                if decided:
                    counted.decided += payment.amount
                else:
                    counted.proposed += payment.amount
                counted.spent += payment.spent
                counted.hours += payment.hours
    order = list(portfolio.settings.organisations)

    def rank(key: FunderKey) -> tuple[int, int, str]:
        if key is None:
            return (3, 0, "")
        kind, name = key
        if kind == "organisation":
            return (0, order.index(name) if name in order else len(order), name)
        return (1, 0, name.casefold())

    shown = [rows[key] for key in sorted(rows, key=rank)]
    return FundersView(filters, tuple(sorted(periods)), shown, total)
