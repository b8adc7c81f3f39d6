"""An initiative: one piece of the portfolio, with its status over time."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import NonNegativeInt, field_validator

from kontrakt.models.common import (
    Alert,
    Entity,
    Flag,
    Id,
    IdList,
    IsoDate,
    Percent,
    Status,
    Text,
    TextList,
    empty,
    expand_ids,
)


class Relation(Entity):
    """A link in the portfolio's weave: `related: [other-id]` or with a type."""

    initiative: Id
    type: Id | None = None
    note: Text | None = None


class Milestone(Entity):
    date: IsoDate
    title: Text
    done: Flag = False


class StatusChange(Entity):
    """A dated status change; the history makes a view as of a past date possible."""

    date: IsoDate
    status: Status
    note: Text | None = None


class JournalEntry(Entity):
    """A dated line of the initiative's journal: what happened, what was learned,
    how it is doing (alert) and how far it has come (progress, per cent)."""

    date: IsoDate
    text: Text | None = None
    learned: Text | None = None
    alert: Alert | None = None
    progress: Percent | None = None


class Initiative(Entity):
    id: Id | None = None
    title: Text
    status: Status | None = None
    kind: Id | None = None
    description: Text | None = None
    owner: Text | None = None
    contact: Text | None = None
    organisations: IdList = empty()
    themes: TextList = empty()
    notes: TextList = empty()
    related: list[Relation] = empty()
    milestones: list[Milestone] = empty()
    start: IsoDate | None = None
    end: IsoDate | None = None
    # The day it entered the portfolio, where its history does not say (a first
    # history entry says it too): `--as-of` an earlier day leaves it out.
    proposed_on: IsoDate | None = None
    history: list[StatusChange] = empty()
    journal: list[JournalEntry] = empty()
    # The outcome indicators it is meant to move (indicators/<id>.yaml).
    indicators: IdList = empty()
    order: NonNegativeInt | None = None

    @property
    def entered(self) -> date | None:
        """The day it entered the portfolio: its `proposed_on` or its first history
        entry's, whichever is earlier; None (always there) without either."""
        days = [change.date for change in self.history]
        if self.proposed_on is not None:
            days.append(self.proposed_on)
        return min(days, default=None)

    @field_validator("related", mode="before", json_schema_input_type=list[Id | Relation])
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return expand_ids(value, "initiative")
