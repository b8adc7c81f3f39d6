"""Where the money stands: budget lines against frames, exactly, in any grouping.

Every line is first broken into *allocations*, the smallest pieces that carry
one category, one purpose and one initiative each:

- "of which" parts with a category count under that category; the rest of the
  line counts under the line's own category (or under no category);
- parts with a purpose are a breakdown inside that rest, never counted twice;
  money outside any purpose part carries the line's own purpose, if any;
- a line funding several initiatives is split by their explicit shares, or
  evenly, with the largest-remainder method so that whole kronor add up exactly.

Groupings then only add allocations up, so every grouping's rows add up to
the total of all lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kontrakt.allocation import Allocation, allocations
from kontrakt.errors import KontraktError
from kontrakt.i18n import _
from kontrakt.portfolio import Portfolio
from kontrakt.views.asof import status_on

DIMENSIONS = ("category", "initiative", "status", "kind", "phase", "purpose", "period")


@dataclass(frozen=True, slots=True)
class Filters:
    periods: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    decided: bool | None = None  # True: decided only; False: proposed only
    as_of: date | None = None

    def check(self, portfolio: Portfolio) -> None:
        """Refuse a category or initiative the portfolio does not have (KontraktError),
        naming the ones it has: a typo must not give an empty budget."""
        checks = (
            (
                self.categories,
                list(portfolio.settings.vocabularies.categories),
                _("unknown category '{value}'; known: {names}"),
            ),
            (
                self.initiatives,
                list(portfolio.initiatives),
                _("unknown initiative '{value}'; known: {names}"),
            ),
        )
        for given, known, message in checks:
            for value in given:
                if value not in known:
                    raise KontraktError(message.format(value=value, names=", ".join(known)))


@dataclass(slots=True)
class LineShare:
    """A budget line's part of one group (the whole line, or the piece in this group)."""

    line: str
    title: str
    amount: int
    line_amount: int
    decided: bool
    shared: bool


@dataclass(slots=True)
class Group:
    """A row of the budget view: totals of its allocations, and its sub-groups."""

    dimension: str | None
    key: str | int | None
    label: str
    decided: int = 0
    proposed: int = 0
    frame: int | None = None
    shared: bool = False
    children: list[Group] = field(default_factory=list)
    lines: list[LineShare] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.decided + self.proposed

    @property
    def remaining(self) -> int | None:
        """What the frame leaves after decided lines."""
        return None if self.frame is None else self.frame - self.decided

    @property
    def remaining_if_approved(self) -> int | None:
        """What the frame leaves if every proposed line is decided too."""
        return None if self.frame is None else self.frame - self.total

    @property
    def over_frame(self) -> bool:
        return self.frame is not None and self.total > self.frame


@dataclass(slots=True)
class BudgetView:
    dimensions: tuple[str, ...]
    filters: Filters
    periods: tuple[int, ...]
    groups: list[Group]
    total: Group


def _selected(pieces: Iterable[Allocation], filters: Filters) -> list[Allocation]:
    return [
        piece
        for piece in pieces
        if (not filters.periods or piece.period in filters.periods)
        and (not filters.categories or piece.category in filters.categories)
        and (not filters.initiatives or piece.initiative in filters.initiatives)
        and (filters.decided is None or piece.decided is filters.decided)
    ]


def budget_view(
    portfolio: Portfolio,
    dimensions: Sequence[str],
    filters: Filters = Filters(),
    labels: Callable[[str, str | int | None], str] | None = None,
) -> BudgetView:
    """Group the portfolio's allocations by `dimensions` (in order), with frames;
    a filter naming what the portfolio does not have is refused (`Filters.check`)."""
    filters.check(portfolio)
    for dimension in dimensions:
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}")
    label = labels or _plain_label
    pieces = _selected(allocations(portfolio, filters.as_of), filters)
    frames = [
        frame
        for frame in portfolio.settings.frames
        if (not filters.periods or frame.period in filters.periods)
        and (not filters.categories or frame.category in filters.categories)
    ]
    periods = tuple(sorted({p.period for p in pieces} | {f.period for f in frames}))
    keyer = _Keyer(portfolio, filters.as_of)
    frame_table: dict[tuple[str, int], int] = {(f.category, f.period): f.amount for f in frames}

    def build(
        dimension_index: int, chosen: list[Allocation], in_periods: tuple[int, ...]
    ) -> list[Group]:
        if dimension_index == len(dimensions):
            return []
        dimension = dimensions[dimension_index]
        buckets: dict[str | int | None, list[Allocation]] = {}
        for piece in chosen:
            buckets.setdefault(keyer.key(dimension, piece), []).append(piece)
        if dimension == "category" and not filters.initiatives and filters.decided is None:
            for category, period in frame_table:
                if period in in_periods:
                    buckets.setdefault(category, [])
        if dimension == "period":
            for period in in_periods:
                buckets.setdefault(period, [])
        groups = []
        for key in sorted(buckets, key=keyer.order(dimension)):
            members = buckets[key]
            below = (key,) if dimension == "period" and isinstance(key, int) else in_periods
            group = _group(dimension, key, label(dimension, key), members, portfolio)
            if dimension == "category":
                amounts = [
                    frame_table[(str(key), p)] for p in below if (str(key), p) in frame_table
                ]
                group.frame = sum(amounts) if amounts and key is not None else None
            group.children = build(dimension_index + 1, members, below)
            groups.append(group)
        return groups

    groups = build(0, pieces, periods)
    total = _group(None, None, label("total", None), pieces, portfolio)
    if "category" in dimensions:
        total.frame = sum(frame_table.values()) if frame_table else None
    return BudgetView(tuple(dimensions), filters, periods, groups, total)


def _group(
    dimension: str | None,
    key: str | int | None,
    label: str,
    members: list[Allocation],
    portfolio: Portfolio,
) -> Group:
    group = Group(dimension, key, label)
    shares: dict[str, LineShare] = {}
    for piece in members:
        if piece.decided:
            group.decided += piece.amount
        else:
            group.proposed += piece.amount
        line = portfolio.budget[piece.line]
        share = shares.get(piece.line)
        if share is None:
            shares[piece.line] = LineShare(
                piece.line, line.title, piece.amount, line.amount, piece.decided, piece.shared
            )
        else:
            share.amount += piece.amount
    group.lines = list(shares.values())
    group.shared = dimension in ("initiative", "status", "kind") and any(
        share.shared for share in group.lines
    )
    return group


def _plain_label(dimension: str, key: str | int | None) -> str:
    return "" if key is None else str(key)


class _Keyer:
    """What an allocation is grouped under, and the order groups are shown in."""

    def __init__(self, portfolio: Portfolio, as_of: date | None) -> None:
        self.portfolio = portfolio
        self.as_of = as_of
        vocabularies = portfolio.settings.vocabularies
        self.orders: dict[str, list[str]] = {
            "category": list(vocabularies.categories),
            "purpose": list(vocabularies.purposes),
            "phase": list(vocabularies.phases),
            "kind": list(vocabularies.kinds),
            "status": [status.value for status in portfolio.settings.status_labels()],
        }

    def key(self, dimension: str, piece: Allocation) -> str | int | None:
        if dimension in ("status", "kind"):
            if piece.initiative is None:
                return None
            initiative = self.portfolio.initiatives[piece.initiative]
            if dimension == "kind":
                return initiative.kind
            status = status_on(initiative, self.as_of)
            return None if status is None else status.value
        value: str | int | None = getattr(piece, dimension)
        return value

    def order(self, dimension: str) -> Callable[[str | int | None], tuple[int, str | int]]:
        known = self.orders.get(dimension, [])

        def rank(key: str | int | None) -> tuple[int, str | int]:
            if key is None:
                return (2, "")
            if isinstance(key, str) and key in known:
                return (0, known.index(key))
            return (1, key)

        return rank
