"""An event: an open workshop, a forum meeting, ... with date, times and place."""

from __future__ import annotations

from pydantic import PositiveInt

from kontrakt.models.common import Entity, Id, IdList, IsoDate, Text, Time, Url, empty, place_of


class Series(Entity):
    """Events that belong together: the third forum meeting of three."""

    name: Text
    number: PositiveInt
    count: PositiveInt | None = None


class Event(Entity):
    id: Id | None = None
    title: Text
    kind: Id
    date: IsoDate | None = None
    end_date: IsoDate | None = None
    start: Time | None = None
    end: Time | None = None
    venue: Text | None = None
    city: Text | None = None
    theme: Text | None = None
    description: Text | None = None
    series: Series | None = None
    initiatives: IdList = empty()
    contact: Text | None = None
    url: Url | None = None
    # The day the event entered the portfolio: `--as-of` an earlier day leaves it out.
    announced: IsoDate | None = None

    @property
    def when(self) -> str:
        """`2024-03-15 08:30–14:00`, the date alone, a date range, or '' without a date."""
        when = self.date.isoformat() if self.date else ""
        if self.end_date and self.end_date != self.date:
            when += f"–{self.end_date.isoformat()}"
        if self.start:
            when += f" {self.start}" + (f"–{self.end}" if self.end else "")
        return when

    @property
    def place(self) -> str:
        return place_of(self.venue, self.city)
