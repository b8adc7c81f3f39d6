"""`kontrakt calendar`: events and meetings as iCalendar (RFC 5545).

Times are local to Europe/Stockholm with the zone's definition included, so a
calendar program shows them right wherever it is. Each entry has a UID built from
the portfolio and the file's id, so importing again updates entries instead of
duplicating them. An event or meeting without a time is an all-day entry; an
event without a date cannot be in a calendar and is left out (and counted).

Whatever a file's text holds, the output is valid RFC 5545 that parses back:
one-line properties (SUMMARY, LOCATION, CATEGORIES, CONTACT, X-WR-CALNAME) get
every line break, tab and run of spaces folded to one space, so a title written
as a YAML block (`>` or `|`, ending in a newline) stays one line; DESCRIPTION
keeps its line breaks, which icalendar writes as `\\n`. URLs are checked on
reading (`Url` in models/common.py). Dates may be 0001-01-01 to 9999-12-31: an
all-day entry ending on 9999-12-31 has no exclusive DTEND (there is no next
day), so it gets a DURATION instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kontrakt import __version__
from kontrakt.i18n import _, speaking
from kontrakt.ids import slugify
from kontrakt.models import Meeting
from kontrakt.models.common import fold_line
from kontrakt.portfolio import Portfolio
from kontrakt.views.dates import day_after

if TYPE_CHECKING:
    from icalendar import Component, vDDDTypes
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
    mission = fold_line(settings.mission)  # each part folded, so no space before the colon
    calendar.add("x-wr-calname", f"{fold_line(settings.name)}: {mission}")
    calendar.add("x-wr-timezone", TIME_ZONE)
    undated: list[str] = []
    entries = 0
    stamped = _stamp(stamp)
    event_kinds = settings.vocabularies.event_kinds
    for key, event in sorted(portfolio.events.items()):
        if event.date is None:
            undated.append(key)
            continue
        entry = _entry(uid(portfolio, "event", key), stamped, event.title)
        _when(entry, event.date, event.end_date, event.start, event.end)
        place = event.place
        if place:
            entry.add("location", place)
        parts = [_lines(event.theme or ""), _lines(event.description or "")]
        if event.series is not None:
            count = f"/{event.series.count}" if event.series.count else ""
            parts.insert(0, f"{fold_line(event.series.name)} {event.series.number}{count}")
        description = "\n\n".join(part for part in parts if part)
        if description:
            entry.add("description", description)
        entry.add("categories", [fold_line(event_kinds.get(event.kind, event.kind))])
        if event.url:
            entry.add("url", event.url)  # a Url: no white space, no control characters
        if event.contact:
            entry.add("contact", fold_line(event.contact))
        calendar.add_component(entry)
        entries += 1
    meeting_kinds = settings.vocabularies.meeting_kinds
    headlines_of = _Headlines(portfolio)
    for key, meeting in sorted(portfolio.meetings.items()):
        title = meeting.heading(meeting_kinds)
        entry = _entry(uid(portfolio, "meeting", key), stamped, f"{title}: {mission}")
        _when(entry, meeting.date, None, meeting.start, meeting.end)
        place = meeting.place
        if place:
            entry.add("location", place)
        headlines = headlines_of.of(meeting)
        if headlines:
            entry.add("description", headlines)
        entry.add("categories", [fold_line(meeting_kinds.get(meeting.kind, meeting.kind))])
        calendar.add_component(entry)
        entries += 1
    calendar.add_missing_timezones()
    return CalendarExport(_serialised(calendar), entries, tuple(undated))


def _serialised(calendar: Component) -> str:
    """What `calendar.to_ical()` gives, as text, folded here: icalendar folds every
    line a character at a time (a second for a calendar of a few thousand entries),
    where nearly every line is short and ASCII, and folds without looking."""
    return "".join(_folded(line) + "\r\n" for line in calendar.content_lines() if line)


_FOLD_AT = 74  # octets a line holds before a fold (the fold's space not counted)


def _folded(line: str) -> str:
    """A content line folded as RFC 5545 says and as icalendar folds it: at most 74
    octets a line, never inside a character, nor between a backslash or a caret
    and the character it escapes. Cut by octets, so a long line (a meeting's
    headlines) takes a step per fold, not per character."""
    if len(line) <= _FOLD_AT and line.isascii():
        return line
    data = line.encode("utf-8")
    pieces: list[bytes] = []
    start = 0
    while len(data) - start > _FOLD_AT:
        cut = start + _FOLD_AT
        while data[cut] & 0xC0 == 0x80:  # inside a character: fold before it
            cut -= 1
        if cut - start > 1 and data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def _stamp(stamp: datetime) -> vDDDTypes:
    """The export's DTSTAMP as a property, made once and given to every entry (each
    entry's own took a sixth of a large calendar's making)."""
    from icalendar import vDDDTypes

    return vDDDTypes(stamp)


def _entry(identifier: str, stamp: vDDDTypes, summary: str) -> CalendarEntry:
    from icalendar import Event as CalendarEntry

    entry = CalendarEntry()
    entry.add("uid", identifier)
    entry.add("dtstamp", stamp)
    entry.add("summary", fold_line(summary))
    return entry


# A line break in any of its forms; and what else must not stand raw in a line.
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _lines(text: str) -> str:
    """DESCRIPTION text: line breaks kept (as LF, which icalendar escapes), tabs and
    other controls as spaces; spaces at the end of each line, and blank lines and
    spaces at the ends of the whole text, trimmed."""
    lines = [_CONTROL.sub(" ", line).rstrip(" ") for line in _BREAK.split(text)]
    return "\n".join(lines).strip("\n ")


def _when(
    entry: CalendarEntry, day: date, last: date | None, start: str | None, end: str | None
) -> None:
    """Timed in Europe/Stockholm when a start time is known, else all day."""
    from zoneinfo import ZoneInfo

    last = last or day
    if start is None:
        entry.add("dtstart", day)
        after = day_after(last)
        if after is not None:
            entry.add("dtend", after)  # DTEND of a date is exclusive: the day after
        else:  # the last day is 9999-12-31, which has no day after
            entry.add("duration", timedelta(days=(last - day).days + 1))
        return
    zone = ZoneInfo(TIME_ZONE)
    entry.add("dtstart", datetime.combine(day, time.fromisoformat(start), zone))
    # DTEND must be later than DTSTART: an end equal to the start gives no DTEND.
    if end is not None and (last, end) > (day, start):
        entry.add("dtend", datetime.combine(last, time.fromisoformat(end), zone))


class _Headlines:
    """What each meeting's agenda leads with, for its calendar description: its news
    since the last meeting of its kind, its open questions and its decisions, a
    line each.

    The same news and questions as the meeting's agenda (views/agenda.py) gives,
    found without building the agenda's whole snapshot of the portfolio, and with
    every title folded to one line once, not once per meeting: a calendar of many
    meetings over a large portfolio stays quick.
    """

    def __init__(self, portfolio: Portfolio) -> None:
        self.language = portfolio.settings.language
        self.days_by_kind: dict[str, list[date]] = {}
        for meeting in portfolio.meetings.values():
            self.days_by_kind.setdefault(meeting.kind, []).append(meeting.date)
        for days in self.days_by_kind.values():
            days.sort()
        # In date order, with their dates apart: a meeting's share is found by bisection.
        self.news = sorted(
            (item.date, key, fold_line(item.title)) for key, item in portfolio.news.items()
        )
        self.news_days = [when for when, _key, _title in self.news]
        self.questions = sorted(
            (question.raised, key, fold_line(question.title), question)
            for key, question in portfolio.questions.items()
        )
        self.raised_days = [raised for raised, *_rest in self.questions]

    def of(self, meeting: Meeting) -> str:
        from kontrakt.views.snapshot import is_open

        day = meeting.date
        days = self.days_by_kind[meeting.kind]
        before = bisect_left(days, day)  # the meetings of its kind before its day
        previous = days[before - 1] if before else None
        first = 0 if previous is None else bisect_right(self.news_days, previous)
        news = [
            title for _when, _key, title in self.news[first : bisect_right(self.news_days, day)]
        ]
        raised = self.questions[: bisect_right(self.raised_days, day)]  # open needs raised
        questions = [title for *_, title, question in raised if is_open(question, day)]
        with speaking(self.language):
            parts = [
                (_("News"), news),
                (_("Open questions"), questions),
                (_("Decisions"), [fold_line(decision.text) for decision in meeting.decisions]),
            ]
            return "\n".join(f"{label}: {'; '.join(titles)}" for label, titles in parts if titles)
