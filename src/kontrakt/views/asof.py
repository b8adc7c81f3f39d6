"""The portfolio as it was known on a day: what had entered it, and with which status.

An entity enters the portfolio on the day its file says: a budget line on its
`proposed_on`, an initiative on its `proposed_on` or first `history` entry, an
event on its `announced`, a question on `raised`, an action on `opened` (a news
item is dated, and the views choose news by that date themselves). A journal
entry dated after the day is not yet written: the initiative is seen without it;
likewise a measurement dated after it is not yet known.
One without such a day has always been known. A view of a past day (a past
meeting's agenda, `--as-of`) sees only what had entered by then, so a file added later
with kontrakt's commands never changes a document of an earlier day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kontrakt.models.common import Status
from kontrakt.models.indicator import known_measurements
from kontrakt.models.initiative import Initiative
from kontrakt.portfolio import Portfolio


def status_on(initiative: Initiative, day: date | None) -> Status | None:
    """The status on `day` from the history; without a day, the stated status (else
    the latest history entry's); without a history, the stated status.

    Before the first history entry an initiative had no status yet (None).
    """
    if day is None or not initiative.history:
        if initiative.status is None and initiative.history:
            return max(initiative.history, key=lambda change: change.date).status
        return initiative.status
    current: Status | None = None
    for change in initiative.history:
        if change.date > day:
            break
        current = change.status
    return current


def known_on(portfolio: Portfolio, day: date | None) -> Portfolio:
    """The portfolio without what entered it after `day` (all of it without a day)."""
    if day is None:
        return portfolio

    def known(entered: date | None) -> bool:
        return entered is None or entered <= day

    return replace(
        portfolio,
        budget={k: v for k, v in portfolio.budget.items() if known(v.proposed_on)},
        events={k: v for k, v in portfolio.events.items() if known(v.announced)},
        questions={k: v for k, v in portfolio.questions.items() if known(v.raised)},
        initiatives={
            k: _journal_until(v, day) for k, v in portfolio.initiatives.items() if known(v.entered)
        },
        actions={k: v for k, v in portfolio.actions.items() if known(v.opened)},
        indicators={k: known_measurements(v, day) for k, v in portfolio.indicators.items()},
    )


def _journal_until(initiative: Initiative, day: date) -> Initiative:
    """The initiative with only the journal entries written by `day`: a later one is
    not yet known. The same object when nothing is left out (most are)."""
    if not initiative.journal or max(entry.date for entry in initiative.journal) <= day:
        return initiative
    kept = [entry for entry in initiative.journal if entry.date <= day]
    return initiative.model_copy(update={"journal": kept})
