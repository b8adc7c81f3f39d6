"""Who pays a budget line: its amount split exactly between its funders.

A funder gives kronor (`amount`) or per cent of the line (`share`). Shares are
turned into kronor with the same largest-remainder split as shared lines
(allocation.split_exact), over the shares and what they leave of 100 %, so that
50 % + 50 % of an odd amount still adds up to the line. What the funders leave
of the line is *unassigned*: a row of its own, so every total reconciles.
What was spent on the line is split between the funders in proportion to what
each pays, the same way. In-kind hours are carried apart and never summed into
kronor: a line whose funders give only hours names no one who pays its kronor,
so its frame's shares pay them, as they pay a line without funders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kontrakt.allocation import split_exact
from kontrakt.models.budget import BudgetLine, Funder
from kontrakt.portfolio import Portfolio

# A funder's key: ("organisation", id), ("external", name); None is unassigned.
FunderKey = tuple[str, str] | None


def funder_key(funder: Funder) -> FunderKey:
    if funder.organisation is not None:
        return ("organisation", funder.organisation)
    if funder.name is not None:
        return ("external", funder.name)
    return None


@dataclass(frozen=True, slots=True)
class Payment:
    """One funder's part of one line: kronor, what of them was spent, and hours."""

    key: FunderKey
    amount: int
    spent: int
    hours: int


def frame_funders(portfolio: Portfolio) -> dict[tuple[str, int], Sequence[Funder]]:
    """(category, period) -> the funders of that frame, for the frames that name any."""
    return {
        (frame.category, frame.period): frame.funders
        for frame in portfolio.settings.frames
        if frame.funders
    }


def gives_money(funder: Funder) -> bool:
    """Whether the funder pays kronor (an amount or a share), not only hours in kind."""
    return funder.amount is not None or funder.share is not None


def paying(line: BudgetLine, inherited: Sequence[Funder] = ()) -> Sequence[Funder]:
    """Who pays the line's kronor: its own funders where any of them gives money,
    else its frame's (`inherited`): hours in kind pay no kronor, so a line whose
    funders give only hours is paid as a line without funders is."""
    return line.funders if any(gives_money(funder) for funder in line.funders) else inherited


def payments(line: BudgetLine, spent: int, inherited: Sequence[Funder] = ()) -> list[Payment]:
    """Each funder's part of the line (in the order listed, one per funder: those
    who pay, then those who give only hours where the frame's shares pay), then the
    unassigned rest if any; the amounts add up to the line and the spent parts to
    `spent`, exactly. A line whose own funders give no money is paid as its frame
    says (`inherited`, shares only), else it is all unassigned; the hours are
    always the line's own (a frame gives none)."""
    keys: list[FunderKey] = []
    amounts: dict[FunderKey, int] = {}
    hours: dict[FunderKey, int] = {}

    def entry(key: FunderKey) -> FunderKey:
        if key not in amounts:
            keys.append(key)
            amounts[key] = 0
            hours[key] = 0
        return key

    funders = paying(line, inherited)
    for funder, from_share in zip(funders, _by_share(line.amount, funders), strict=True):
        amounts[entry(funder_key(funder))] += (funder.amount or 0) + from_share
    for funder in line.funders:
        hours[entry(funder_key(funder))] += funder.hours or 0
    rest = line.amount - sum(amounts.values())
    if rest > 0 or not keys:
        amounts[entry(None)] += rest
    spent_parts = split_exact(spent, [max(amounts[key], 0) for key in keys])
    return [
        Payment(key, amounts[key], part, hours[key])
        for key, part in zip(keys, spent_parts, strict=True)
    ]


def _by_share(amount: int, funders: Sequence[Funder]) -> list[int]:
    """The kronor each funder's share gives of `amount` (0 for one giving an amount),
    split exactly: what `payments` pays and what `covered` counts are the same."""
    shares = [funder.share or 0 for funder in funders]
    given = sum(shares)
    return split_exact(amount, [*shares, max(100 - given, 0)])[:-1] if given else shares


def covered(line: BudgetLine) -> int:
    """The kronor the line's funders give, by amount and by share (may exceed the line),
    as `payments` splits them."""
    by_share = sum(_by_share(line.amount, line.funders))
    return sum(funder.amount or 0 for funder in line.funders) + by_share
