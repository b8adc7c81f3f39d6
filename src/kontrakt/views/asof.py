"""The portfolio as of a date: which status an initiative had then."""

from __future__ import annotations

from datetime import date

from kontrakt.models.common import Status
from kontrakt.models.initiative import Initiative


def status_on(initiative: Initiative, day: date | None) -> Status | None:
    """The status on `day` from the history; without a history, the stated status.

    Before the first history entry an initiative had no status yet (None).
    """
    if day is None or not initiative.history:
        return initiative.status
    current: Status | None = None
    for change in initiative.history:
        if change.date > day:
            break
        current = change.status
    return current
