"""The decisions log: every decision taken by a day, newest first.

A decision is a meeting's (with its gate, the budget lines and initiatives it
names) or a budget line decided on its own. A line a meeting's decision names is
that decision and is listed once (views/snapshot.py `decisions`).
"""

from __future__ import annotations

from datetime import date

from kontrakt.portfolio import Portfolio
from kontrakt.views.asof import known_on
from kontrakt.views.snapshot import DecisionTaken, decisions


def decision_log(
    portfolio: Portfolio, day: date, initiative: str | None = None
) -> list[DecisionTaken]:
    """Decisions taken on or before `day`, newest first (undated ones last); with
    `initiative`, those that name it or a budget line that funds it."""
    portfolio = known_on(portfolio, day)
    found = decisions(portfolio, day)
    if initiative is not None:
        funding = {
            line_id
            for line_id, line in portfolio.budget.items()
            if any(item.initiative == initiative for item in line.initiatives)
        }
        found = [d for d in found if initiative in d.initiatives or funding.intersection(d.budget)]
    dated = sorted(
        (d for d in found if d.day is not None),
        key=lambda d: (d.day, d.meeting or "", d.text),
        reverse=True,
    )
    return dated + [d for d in found if d.day is None]
