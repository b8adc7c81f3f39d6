"""Budget arithmetic: every line broken into exact pieces, and what each frame holds.

It lies below both `link` (which warns when decided and proposed lines exceed a
frame) and the views (which group the pieces every way): money is split here
once, exactly, in whole kronor, so every total reconciles with every other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from kontrakt.models.budget import BudgetLine, Decision
from kontrakt.models.common import Gate
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio


def split_exact(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split in proportion to `weights` by the largest-remainder method.

    Every part is a whole krona and the parts add up to `amount` exactly; ties in
    the remainders go to the earlier weight. Zero total weight splits evenly.
    """
    if len(weights) <= 1:  # most lines fund one initiative: all of it, or nothing to split
        return [amount] if weights else []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    total = sum(weights)
    floors = [amount * weight // total for weight in weights]
    remainders = [amount * weight % total for weight in weights]
    short = amount - sum(floors)
    order = sorted(range(len(weights)), key=lambda index: (-remainders[index], index))
    for index in order[:short]:
        floors[index] += 1
    return floors


@dataclass(frozen=True, slots=True)
class Allocation:
    """One piece of one budget line: a single category, purpose and initiative."""

    line: str
    period: int
    category: str | None
    purpose: str | None
    phase: str | None
    initiative: str | None
    decided: bool
    amount: int
    shared: bool
    spent: int = 0  # the piece's part of what was spent on the line (as of the day)


def meeting_days(portfolio: Portfolio) -> dict[str, date]:
    """Each budget line a meeting's decision names, with the date of the first such
    meeting: the line is decided from that day, whatever its own file says. A
    decision to stop decides no money: the lines it names stay as they are."""
    days: dict[str, date] = {}
    for meeting in portfolio.meetings.values():
        for decision in meeting.decisions:
            if decision.gate is Gate.STOP:
                continue
            for line_id in decision.budget:
                if line_id not in days or meeting.date < days[line_id]:
                    days[line_id] = meeting.date
    return days


def decided_day(line: BudgetLine, by_meeting: date | None = None) -> tuple[bool, date | None]:
    """Whether a line is decided at all, and on which day: its own `decided_on`, else
    the day of the meeting whose decision names it (`by_meeting`), else undated.

    A meeting's decision is the line's decision even where the line's own file
    says nothing; where both give a day and differ, link reports it and the
    line's own day is kept."""
    if line.decision is Decision.DECIDED:
        return True, line.decided_on or by_meeting
    if by_meeting is not None:
        return True, by_meeting
    return False, None


def is_decided(line: BudgetLine, as_of: date | None, by_meeting: date | None = None) -> bool:
    """Decided (by the line or by a meeting's decision, `by_meeting`), and as of a
    date decided on or before it; an undated decision always counts."""
    decided, day = decided_day(line, by_meeting)
    if not decided:
        return False
    return as_of is None or day is None or day <= as_of


def spent_on(line: BudgetLine, as_of: date | None = None) -> int:
    """What was spent on the line: every entry, or those dated on or before `as_of`."""
    if as_of is None:
        return sum(entry.amount for entry in line.spent)
    return sum(entry.amount for entry in line.spent if entry.date <= as_of)


def with_spending(pieces: list[Allocation], spent: int) -> list[Allocation]:
    """The pieces of one line, each with its part of `spent` in proportion to its
    amount (largest remainder), so that the parts add up to `spent` exactly."""
    if not spent or not pieces:
        return pieces
    parts = split_exact(spent, [piece.amount for piece in pieces])
    return [replace(piece, spent=part) for piece, part in zip(pieces, parts, strict=True)]


def allocations(
    portfolio: Portfolio, as_of: date | None = None, *, spent_by: date | None = None
) -> list[Allocation]:
    """Every budget line broken into exact single-category, single-initiative pieces,
    each with its part of what was spent on the line by `spent_by` (else `as_of`)."""
    if spent_by is None:
        spent_by = as_of
    pieces: list[Allocation] = []
    by_meeting = meeting_days(portfolio)
    for line_id, line in sorted(portfolio.budget.items(), key=listing_order):
        if as_of is not None and line.proposed_on is not None and line.proposed_on > as_of:
            continue  # not in the portfolio yet on that day
        decided = is_decided(line, as_of, by_meeting.get(line_id))
        funded: list[str | None] = [funding.initiative for funding in line.initiatives]
        funded = funded or [None]
        weights = [funding.share or 0 for funding in line.initiatives] or [1]
        shared = len(funded) > 1
        own: list[Allocation] = []
        for category, purpose, amount in by_category_purpose(line):
            if amount == 0:
                continue
            for initiative, piece in zip(funded, split_exact(amount, weights), strict=True):
                own.append(
                    Allocation(
                        line_id,
                        line.period,
                        category,
                        purpose,
                        line.phase,
                        initiative,
                        decided,
                        piece,
                        shared,
                    )
                )
        pieces.extend(with_spending(own, spent_on(line, spent_by)) if line.spent else own)
    return pieces


def by_category_purpose(line: BudgetLine) -> list[tuple[str | None, str | None, int]]:
    """The line's money by category and purpose: each "of which" part with a category
    under it (the line's purpose), each part with a purpose under the line's category,
    and the rest under both of the line's."""
    if not line.parts:
        return [(line.category, line.purpose, line.amount)]
    category_parts = [part for part in line.parts if part.category is not None]
    purpose_parts = [part for part in line.parts if part.purpose is not None]
    rest = line.amount - sum(part.amount for part in category_parts)
    untagged = rest - sum(part.amount for part in purpose_parts)
    found: list[tuple[str | None, str | None, int]] = [
        (part.category, line.purpose, part.amount) for part in category_parts
    ]
    found += [(line.category, part.purpose, part.amount) for part in purpose_parts]
    found.append((line.category, line.purpose, untagged))
    return found


def frame_usage(portfolio: Portfolio) -> dict[tuple[str, int], tuple[int, int]]:
    """(category, period) -> (decided, proposed), for every category a line uses:
    the sums of `allocations`' pieces, made without splitting lines between
    initiatives, whose pieces add up to the line (a check of every file does this)."""
    usage: dict[tuple[str, int], tuple[int, int]] = {}
    by_meeting = meeting_days(portfolio)
    for line_id, line in portfolio.budget.items():
        decided = is_decided(line, None, by_meeting.get(line_id))
        for category, _purpose, amount in by_category_purpose(line):
            if category is None or amount == 0:
                continue
            key = (category, line.period)
            was_decided, was_proposed = usage.get(key, (0, 0))
            if decided:
                usage[key] = (was_decided + amount, was_proposed)
            else:
                usage[key] = (was_decided, was_proposed + amount)
    return usage
