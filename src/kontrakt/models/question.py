"""An open question: raised on a date, addressed to someone, answered later."""

from __future__ import annotations

from kontrakt.models.common import Entity, Id, IdList, IsoDate, Text, TextList, empty


class Question(Entity):
    id: Id | None = None
    title: Text
    points: TextList = empty()
    to: Text | None = None
    initiatives: IdList = empty()
    raised: IsoDate
    answer: Text | None = None
    answered: IsoDate | None = None
