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

A frame is one category's money for one period, so only a group that holds whole
frames has one: a category, a period, a category within a period (or the other
way round), and the total. What such a group has left counts every line of its
frames, whatever the initiative or decision filters leave in its decided and
proposed sums: a frame is used by all its lines.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
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
    # The day the command runs: without `as_of`, spending dated after it is not yet
    # spent (as in the report, the site and the agenda, which stand in today for a
    # day not given). None counts every entry; the core never asks the clock.
    today: date | None = None

    @property
    def spent_by(self) -> date | None:
        """The last day whose spending counts: `as_of`, else today (None: every entry)."""
        return self.as_of if self.as_of is not None else self.today

    @property
    def within_frames(self) -> bool:
        """Whether the filters choose part of a frame's lines (an initiative's, the
        decided or the proposed ones): the decided and proposed sums are then only
        that part, while the frames and what they have left count every line."""
        return bool(self.initiatives) or self.decided is not None

    def check(self, portfolio: Portfolio) -> None:
        """Refuse a period, category or initiative the portfolio does not have
        (KontraktError), with the one probably meant or the ones it has: a typo
        must not give an empty budget."""
        known_periods = sorted(
            {line.period for line in portfolio.budget.values()}
            | {frame.period for frame in portfolio.settings.frames}
        )
        for period in self.periods:
            if period not in known_periods:
                if known_periods:
                    message = _(
                        "no budget line or frame for {period}; periods with a budget: {periods}"
                    )
                else:
                    message = _(
                        "no budget line or frame for {period}; the portfolio has no budget yet"
                    )
                raise KontraktError(
                    message.format(period=period, periods=", ".join(str(p) for p in known_periods))
                )
        categories = portfolio.settings.vocabularies.categories
        initiatives = {key: item.title for key, item in portfolio.initiatives.items()}
        checks = (
            (
                self.categories,
                categories,
                _("unknown category '{value}'; known: {names}"),
                _("unknown category '{value}'; did you mean '{suggestion}'?"),
            ),
            (
                self.initiatives,
                initiatives,
                _("unknown initiative '{value}'; known: {names}"),
                _("unknown initiative '{value}'; did you mean '{suggestion}'?"),
            ),
        )
        for given, known, listing, guess in checks:
            for value in given:
                if value in known:
                    continue
                meant = suggestion(value, known)
                if meant is not None:
                    raise KontraktError(guess.format(value=value, suggestion=meant))
                raise KontraktError(listing.format(value=value, names=", ".join(known)))


def suggestion(value: str, known: Mapping[str, str]) -> str | None:
    """The id `value` probably means among `known` (id -> label): the one whose id or
    label it is in another case, else the closest id, else the one with the closest
    label (as validate.py guesses a misspelt key)."""
    folded = value.casefold()
    ids = {key.casefold(): key for key in known}
    labels = {label.casefold(): key for key, label in known.items()}
    if folded in ids:
        return ids[folded]
    if folded in labels:
        return labels[folded]
    for table in (ids, labels):
        close = difflib.get_close_matches(folded, list(table), n=1, cutoff=0.6)
        if close:
            return table[close[0]]
    return None


@dataclass(slots=True)
class LineShare:
    """A budget line's part of one group (the whole line, or the piece in this group)."""

    line: str
    title: str
    amount: int
    line_amount: int
    decided: bool
    shared: bool
    spent: int = 0  # the part's share of what was spent on the line

    @property
    def unspent(self) -> int | None:
        """What is left of the decided part to spend (None on a proposed line)."""
        return self.amount - self.spent if self.decided else None


@dataclass(slots=True)
class Group:
    """A row of the budget view: totals of its allocations, and its sub-groups."""

    dimension: str | None
    key: str | int | None
    label: str
    decided: int = 0  # the money the filters chose
    proposed: int = 0
    frame: int | None = None
    # What every line counted in the frame has decided and proposed, whichever of
    # them the filters chose (the same as decided and proposed without filters).
    frame_decided: int = 0
    frame_proposed: int = 0
    spent: int = 0  # spent on the money chosen, as of the view's day (utfall)
    shared: bool = False
    children: list[Group] = field(default_factory=list)
    lines: list[LineShare] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.decided + self.proposed

    @property
    def unspent(self) -> int:
        """What is left to spend of the decided money: decided less spent."""
        return self.decided - self.spent

    @property
    def remaining(self) -> int | None:
        """What the frame leaves after its decided lines (all of them)."""
        return None if self.frame is None else self.frame - self.frame_decided

    @property
    def remaining_if_approved(self) -> int | None:
        """What the frame leaves if every proposed line of it is decided too."""
        if self.frame is None:
            return None
        return self.frame - self.frame_decided - self.frame_proposed

    @property
    def over_frame(self) -> bool:
        return self.frame is not None and self.frame_decided + self.frame_proposed > self.frame


@dataclass(slots=True)
class BudgetView:
    dimensions: tuple[str, ...]
    filters: Filters
    periods: tuple[int, ...]
    groups: list[Group]
    total: Group
    spending: bool = False  # whether any line has spending entries: the columns show


def _in_frames(piece: Allocation, filters: Filters) -> bool:
    """Whether the piece counts in the frames shown: of a period and category asked for."""
    return (not filters.periods or piece.period in filters.periods) and (
        not filters.categories or piece.category in filters.categories
    )


def _chosen(piece: Allocation, filters: Filters) -> bool:
    """Whether the piece is among the money asked for, within the frames shown."""
    return (not filters.initiatives or piece.initiative in filters.initiatives) and (
        filters.decided is None or piece.decided is filters.decided
    )


@dataclass(frozen=True, slots=True)
class _Scope:
    """Which frames a group holds whole: those of `category` (any category when
    `any_category`) in `periods`; `whole` is False below a grouping that splits
    frames (initiative, status, kind, phase, purpose), where no group has a frame."""

    whole: bool
    any_category: bool
    category: str | None
    periods: tuple[int, ...]

    def narrowed(self, dimension: str, key: str | int | None) -> _Scope:
        if not self.whole:
            return self
        if dimension == "category":
            category = None if key is None else str(key)
            return _Scope(key is not None, False, category, self.periods)
        if dimension == "period" and isinstance(key, int):
            return _Scope(True, self.any_category, self.category, (key,))
        return _Scope(False, self.any_category, self.category, self.periods)

    def holds(self, piece: Allocation) -> bool:
        return piece.period in self.periods and (
            self.any_category or piece.category == self.category
        )

    def frame(self, frames: Mapping[tuple[str, int], int]) -> int | None:
        """The sum of the frames held, or None where none is held whole."""
        if not self.whole:
            return None
        amounts = [
            amount
            for (category, period), amount in frames.items()
            if period in self.periods and (self.any_category or category == self.category)
        ]
        return sum(amounts) if amounts else None


def budget_view(
    portfolio: Portfolio,
    dimensions: Sequence[str],
    filters: Filters = Filters(),
    labels: Callable[[str, str | int | None], str] | None = None,
    *,
    allocated: Sequence[Allocation] | None = None,
) -> BudgetView:
    """Group the portfolio's allocations by `dimensions` (in order), with frames;
    a filter naming what the portfolio does not have is refused (`Filters.check`).

    `allocated` is `allocations(portfolio, filters.as_of, spent_by=filters.spent_by)`
    where the caller has it already: a site draws a dozen views of the same day.

    A group that holds whole frames (see `_Scope`) has their sum as its frame, and
    what they have left counts every line in them, also the lines the initiative
    and decision filters leave out of its decided and proposed sums."""
    filters.check(portfolio)
    for dimension in dimensions:
        if dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {dimension!r}")
    label = labels or _plain_label
    if allocated is None:
        allocated = allocations(portfolio, filters.as_of, spent_by=filters.spent_by)
    framed = [piece for piece in allocated if _in_frames(piece, filters)]
    pieces = [piece for piece in framed if _chosen(piece, filters)]
    frames = [
        frame
        for frame in portfolio.settings.frames
        if (not filters.periods or frame.period in filters.periods)
        and (not filters.categories or frame.category in filters.categories)
    ]
    periods = tuple(sorted({p.period for p in framed} | {f.period for f in frames}))
    keyer = _Keyer(portfolio, filters.as_of)
    frame_table: dict[tuple[str, int], int] = {(f.category, f.period): f.amount for f in frames}

    def with_frame(group: Group, scope: _Scope) -> Group:
        group.frame = scope.frame(frame_table)
        if group.frame is not None:
            # Only money in a frame uses a frame: a line of a year or category
            # without one (2026, when only 2024 has frames) leaves them as they are.
            used = [
                piece
                for piece in framed
                if scope.holds(piece) and (piece.category or "", piece.period) in frame_table
            ]
            group.frame_decided = sum(p.amount for p in used if p.decided)
            group.frame_proposed = sum(p.amount for p in used if not p.decided)
        return group

    def build(dimension_index: int, chosen: list[Allocation], scope: _Scope) -> list[Group]:
        if dimension_index == len(dimensions):
            return []
        dimension = dimensions[dimension_index]
        buckets: dict[str | int | None, list[Allocation]] = {}
        for piece in chosen:
            buckets.setdefault(keyer.key(dimension, piece), []).append(piece)
        if scope.whole and dimension in ("category", "period"):
            # A frame is shown even where none of the money asked for is in it.
            for category, period in frame_table:
                if period in scope.periods and (scope.any_category or category == scope.category):
                    buckets.setdefault(category if dimension == "category" else period, [])
        groups = []
        for key in sorted(buckets, key=keyer.order(dimension)):
            members = buckets[key]
            below = scope.narrowed(dimension, key)
            group = _group(dimension, key, label(dimension, key), members, portfolio)
            with_frame(group, below)
            group.children = build(dimension_index + 1, members, below)
            groups.append(group)
        return groups

    everything = _Scope(True, True, None, periods)
    groups = build(0, pieces, everything)
    total = with_frame(_group(None, None, label("total", None), pieces, portfolio), everything)
    spending = any(line.spent for line in portfolio.budget.values())
    return BudgetView(tuple(dimensions), filters, periods, groups, total, spending)


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
        group.spent += piece.spent
        line = portfolio.budget[piece.line]
        share = shares.get(piece.line)
        if share is None:
            shares[piece.line] = LineShare(
                piece.line,
                line.title,
                piece.amount,
                line.amount,
                piece.decided,
                piece.shared,
                piece.spent,
            )
        else:
            share.amount += piece.amount
            share.spent += piece.spent
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
