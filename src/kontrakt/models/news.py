"""A news item: something new since the last meeting, dated."""

from __future__ import annotations

from kontrakt.models.common import Entity, Id, IdList, IsoDate, Text, empty


class News(Entity):
    id: Id | None = None
    date: IsoDate
    title: Text
    description: Text | None = None
    initiatives: IdList = empty()
    events: IdList = empty()
