"""`kontrakt calendar`: events and meetings as iCalendar (RFC 5545).

Times are local to Europe/Stockholm with the zone's definition included, so a
calendar program shows them right wherever it is. Each entry has a UID built from
the portfolio and the file's id, so importing again updates entries instead of
duplicating them. An event or meeting without a time is an all-day entry; an
event without a date cannot be in a calendar and is left out (and counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kontrakt import __version__
from kontrakt.ids import slugify
from kontrakt.portfolio import Portfolio

if TYPE_CHECKING:
    from icalendar import Event as CalendarEntry

TIME_ZONE = "Europe/Stockholm"


@dataclass(frozen=True, slots=True)
class CalendarExport:
    text: str
    entries: int
    undated: tuple[str, ...]  # ids of events left out for want of a date


def uid(portfolio: Portfolio, kind: str, key: str) -> str:
    """Stable across exports: the same file always gives the same UID."""
    domain = slugify(portfolio.settings.name) or "portfolio"
    return f"{kind}-{key}@{domain}.kontrakt"


def export_calendar(portfolio: Portfolio, stamp: datetime) -> CalendarExport:
    """Every dated event and every meeting; `stamp` (UTC) is each entry's DTSTAMP."""
    from icalendar import Calendar

    settings = portfolio.settings
    calendar = Calendar()
    calendar.add("prodid", f"-//kontrakt//kontrakt {__version__}//{settings.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{settings.name}: {settings.mission}")
    calendar.add("x-wr-timezone", TIME_ZONE)
    undated: list[str] = []
    entries = 0
    event_kinds = settings.vocabularies.event_kinds
    for key, event in sorted(portfolio.events.items()):
        if event.date is None:
            undated.append(key)
            continue
        entry = _entry(uid(portfolio, "event", key), stamp, event.title)
        _when(entry, event.date, event.end_date, event.start, event.end)
        place = event.place
        if place:
            entry.add("location", place)
        description = "\n\n".join(part for part in (event.theme, event.description) if part)
        if event.series is not None:
            count = f"/{event.series.count}" if event.series.count else ""
            description = f"{event.series.name} {event.series.number}{count}\n\n{description}"
        if description.strip():
            entry.add("description", description.strip())
        entry.add("categories", [event_kinds.get(event.kind, event.kind)])
        if event.url:
            entry.add("url", event.url)
        if event.contact:
            entry.add("contact", event.contact)
        calendar.add_component(entry)
        entries += 1
    meeting_kinds = settings.vocabularies.meeting_kinds
    for key, meeting in sorted(portfolio.meetings.items()):
        title = meeting.heading(meeting_kinds)
        entry = _entry(uid(portfolio, "meeting", key), stamp, f"{title}: {settings.mission}")
        _when(entry, meeting.date, None, meeting.start, meeting.end)
        place = meeting.place
        if place:
            entry.add("location", place)
        entry.add("description", f"kontrakt agenda {meeting.date.isoformat()}")
        entry.add("categories", [meeting_kinds.get(meeting.kind, meeting.kind)])
        calendar.add_component(entry)
        entries += 1
    calendar.add_missing_timezones()
    return CalendarExport(calendar.to_ical().decode("utf-8"), entries, tuple(undated))


def _entry(identifier: str, stamp: datetime, summary: str) -> CalendarEntry:
    from icalendar import Event as CalendarEntry

    entry = CalendarEntry()
    entry.add("uid", identifier)
    entry.add("dtstamp", stamp)
    entry.add("summary", summary)
    return entry


def _when(
    entry: CalendarEntry, day: date, last: date | None, start: str | None, end: str | None
) -> None:
    """Timed in Europe/Stockholm when a start time is known, else all day."""
    from zoneinfo import ZoneInfo

    if start is None:
        entry.add("dtstart", day)
        entry.add("dtend", (last or day) + timedelta(days=1))  # DTEND of a date is exclusive
        return
    zone = ZoneInfo(TIME_ZONE)
    entry.add("dtstart", datetime.combine(day, time.fromisoformat(start), zone))
    if end is not None:
        entry.add("dtend", datetime.combine(last or day, time.fromisoformat(end), zone))
