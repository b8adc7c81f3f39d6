"""Budget arithmetic: every line broken into exact pieces, and what each frame holds.

It lies below both `link` (which warns when decided and proposed lines exceed a
frame) and the views (which group the pieces every way): money is split here
once, exactly, in whole kronor, so every total reconciles with every other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kontrakt.models.budget import BudgetLine, Decision
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio


def split_exact(amount: int, weights: Sequence[int]) -> list[int]:
    """`amount` split in proportion to `weights` by the largest-remainder method.

    Every part is a whole krona and the parts add up to `amount` exactly; ties in
    the remainders go to the earlier weight. Zero total weight splits evenly.
    """
    if not weights:
        return []
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


def is_decided(line: BudgetLine, as_of: date | None) -> bool:
    """Decided, and (as of a date) decided on or before it; an undated decision always counts."""
    if line.decision is not Decision.DECIDED:
        return False
    return as_of is None or line.decided_on is None or line.decided_on <= as_of


def allocations(portfolio: Portfolio, as_of: date | None = None) -> list[Allocation]:
    """Every budget line broken into exact single-category, single-initiative pieces."""
    pieces: list[Allocation] = []
    for line_id, line in sorted(portfolio.budget.items(), key=listing_order):
        if as_of is not None and line.proposed_on is not None and line.proposed_on > as_of:
            continue  # not in the portfolio yet on that day
        decided = is_decided(line, as_of)
        category_parts = [part for part in line.parts if part.category is not None]
        purpose_parts = [part for part in line.parts if part.purpose is not None]
        rest = line.amount - sum(part.amount for part in category_parts)
        untagged = rest - sum(part.amount for part in purpose_parts)
        by_category_purpose: list[tuple[str | None, str | None, int]] = [
            (part.category, line.purpose, part.amount) for part in category_parts
        ]
        by_category_purpose += [
            (line.category, part.purpose, part.amount) for part in purpose_parts
        ]
        by_category_purpose.append((line.category, line.purpose, untagged))
        funded: list[str | None] = [funding.initiative for funding in line.initiatives]
        funded = funded or [None]
        weights = [funding.share or 0 for funding in line.initiatives] or [1]
        shared = len(funded) > 1
        for category, purpose, amount in by_category_purpose:
            if amount == 0:
                continue
            for initiative, piece in zip(funded, split_exact(amount, weights), strict=True):
                pieces.append(
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
    return pieces


def frame_usage(portfolio: Portfolio) -> dict[tuple[str, int], tuple[int, int]]:
    """(category, period) -> (decided, proposed), for every category a line uses."""
    usage: dict[tuple[str, int], tuple[int, int]] = {}
    for piece in allocations(portfolio):
        if piece.category is None:
            continue
        decided, proposed = usage.get((piece.category, piece.period), (0, 0))
        if piece.decided:
            decided += piece.amount
        else:
            proposed += piece.amount
        usage[(piece.category, piece.period)] = (decided, proposed)
    return usage
