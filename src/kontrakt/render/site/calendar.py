"""The site's calendars: `kontrakt.ics` with every event and meeting (what
`kontrakt calendar` writes), and one .ics per dated event, made of the same parts.

Each event's entry is byte for byte the one in the whole calendar (same UID, so
importing one and subscribing to the whole never duplicates it), and all of
them cost one export instead of one per event: the export gives the calendar's
head, the time zone's definition and each event's entry apart.

The stamp (DTSTAMP) is the site's day at midnight UTC, so a rebuild on the same
day gives the same bytes and rewrites nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from kontrakt.portfolio import Portfolio
from kontrakt.render.calendar import export_calendar


@dataclass(frozen=True, slots=True)
class Calendars:
    whole: str
    events: dict[str, str]  # event id -> its own calendar


def site_calendars(portfolio: Portfolio, day: date) -> Calendars:
    stamp = datetime.combine(day, time(0, 0), UTC)
    export = export_calendar(portfolio, stamp)
    events = {key: export.of_event(entry) for key, entry in export.events.items()}
    return Calendars(export.text, events)
