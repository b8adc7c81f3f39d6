"""A meeting of the core team: what only that meeting brings.

Everything else on its agenda (news, events, initiatives, budget, questions)
comes from the portfolio as of the meeting's date.
"""

from __future__ import annotations

from collections.abc import Mapping

from kontrakt.models.common import (
    Entity,
    Gate,
    Id,
    IdList,
    IsoDate,
    Text,
    TextList,
    Time,
    empty,
    fold_line,
    place_of,
)


class MeetingDecision(Entity):
    """A decision taken at the meeting, optionally tied to what it concerns."""

    text: Text
    gate: Gate | None = None
    initiatives: IdList = empty()
    budget: IdList = empty()


class Meeting(Entity):
    id: Id | None = None
    date: IsoDate
    kind: Id
    title: Text | None = None
    start: Time | None = None
    end: Time | None = None
    venue: Text | None = None
    city: Text | None = None
    communication: TextList = empty()
    decisions: list[MeetingDecision] = empty()
    notes: TextList = empty()

    @property
    def place(self) -> str:
        return place_of(self.venue, self.city)

    def heading(self, kinds: Mapping[str, str]) -> str:
        """Its title, else the label of its kind ("Core team-möte"), on one line."""
        return fold_line(self.title or kinds.get(self.kind, self.kind))
