"""An action: something someone is to do by a day, often agreed at a meeting.

It lives in its own file because it outlives the meeting: opened on one day,
done on a later one, carried on every agenda in between.
"""

from __future__ import annotations

from datetime import date

from kontrakt.models.common import Entity, Id, IdList, IsoDate, Text, empty


class Action(Entity):
    id: Id | None = None
    title: Text
    # An organisation's id (kontrakt.yaml's organisations) or a person's name.
    owner: Text | None = None
    due: IsoDate | None = None
    from_meeting: Id | None = None
    from_question: Id | None = None
    initiatives: IdList = empty()
    done: IsoDate | None = None
    note: Text | None = None
    # The day it was opened, the day it entered the portfolio: `--as-of` an
    # earlier day leaves it out.
    opened: IsoDate | None = None

    def is_open(self, day: date) -> bool:
        """Not done on `day` (one done that day is done)."""
        return self.done is None or self.done > day

    def overdue(self, day: date) -> bool:
        """Open on `day` with its due day before it (due that day is not overdue yet)."""
        return self.is_open(day) and self.due is not None and self.due < day
