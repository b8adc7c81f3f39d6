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
keeps its line breaks, written as `\\n`. URLs are checked on reading (`Url` in
models/common.py). Dates may be 0001-01-01 to 9999-12-31: an
all-day entry ending on 9999-12-31 has no exclusive DTEND (there is no next
day), so it gets a DURATION instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from kontrakt import __version__
from kontrakt.i18n import _, speaking
from kontrakt.ids import slugify
from kontrakt.models import Meeting
from kontrakt.models.common import fold_line
from kontrakt.portfolio import Portfolio
from kontrakt.views.dates import day_after

if TYPE_CHECKING:
    from icalendar import Component

TIME_ZONE = "Europe/Stockholm"


@dataclass(frozen=True, slots=True)
class CalendarExport:
    text: str
    entries: int
    undated: tuple[str, ...]  # ids of events left out for want of a date
    # The parts of `text`, for a calendar of one event (the site's): the calendar's
    # own properties, the time zone's VTIMEZONE ("" when no entry has a time), and
    # each dated event's VEVENT by the event's id.
    head: str = ""
    zone: str = ""
    events: dict[str, str] = field(default_factory=dict)

    def of_event(self, entry: str) -> str:
        """A calendar of one event's `entry` (one of `events`), with the time zone's
        definition when the entry has a time: byte for byte the entry of the whole."""
        return self.head + entry + (self.zone if timed(entry) else "") + _END


def uid(portfolio: Portfolio, kind: str, key: str) -> str:
    """Stable across exports: the same file always gives the same UID."""
    domain = slugify(portfolio.settings.name) or "portfolio"
    return f"{kind}-{key}@{domain}.kontrakt"


def export_calendar(portfolio: Portfolio, stamp: datetime) -> CalendarExport:
    """Every dated event and every meeting; `stamp` (UTC) is each entry's DTSTAMP."""
    settings = portfolio.settings
    mission = fold_line(settings.mission)  # each part folded, so no space before the colon
    undated: list[str] = []
    entries: list[str] = []
    events: dict[str, str] = {}
    stamped = ":" + _moment(stamp.astimezone(UTC)) + "Z"
    event_kinds = settings.vocabularies.event_kinds
    for key, event in sorted(portfolio.events.items()):
        if event.date is None:
            undated.append(key)
            continue
        entry = _entry(uid(portfolio, "event", key), stamped, event.title)
        _when(entry, event.date, event.end_date, event.start, event.end)
        parts = [_lines(event.theme or ""), _lines(event.description or "")]
        if event.series is not None:
            count = f"/{event.series.count}" if event.series.count else ""
            parts.insert(0, f"{fold_line(event.series.name)} {event.series.number}{count}")
        if event.url:
            entry["URL"] = ":" + event.url  # a Url: no white space, no control characters
        if event.contact:
            entry["CONTACT"] = _text(fold_line(event.contact))
        description = "\n\n".join(part for part in parts if part)
        kind = event_kinds.get(event.kind, event.kind)
        events[key] = _written(entry, event.place, description, kind)
        entries.append(events[key])
    meeting_kinds = settings.vocabularies.meeting_kinds
    headlines_of = _Headlines(portfolio)
    for key, meeting in sorted(portfolio.meetings.items()):
        title = meeting.heading(meeting_kinds)
        entry = _entry(uid(portfolio, "meeting", key), stamped, f"{title}: {mission}")
        _when(entry, meeting.date, None, meeting.start, meeting.end)
        kind = meeting_kinds.get(meeting.kind, meeting.kind)
        entries.append(_written(entry, meeting.place, headlines_of.of(meeting), kind))
    head, zone = _head(portfolio, mission, timed=any(map(timed, entries)))
    text = head + zone + "".join(entries) + _END
    return CalendarExport(text, len(entries), tuple(undated), head, zone, events)


_BEGIN = "BEGIN:VCALENDAR\r\n"
_END = "END:VCALENDAR\r\n"


def _head(portfolio: Portfolio, mission: str, *, timed: bool) -> tuple[str, str]:
    """The calendar's own properties, and the time zone's definition when an entry
    has a time (else ""): made and written by icalendar, a few lines, the same in
    every calendar."""
    from icalendar import Calendar, Timezone

    settings = portfolio.settings
    calendar = Calendar()
    calendar.add("prodid", f"-//kontrakt//kontrakt {__version__}//{settings.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{fold_line(settings.name)}: {mission}")
    calendar.add("x-wr-timezone", TIME_ZONE)
    head = _serialised(calendar).removesuffix(_END)
    if not timed:
        return head, ""
    zone = Calendar()
    zone.add_component(Timezone.from_tzid(TIME_ZONE))
    return head, _serialised(zone).removeprefix(_BEGIN).removesuffix(_END)


def _serialised(calendar: Component) -> str:
    """What `calendar.to_ical()` gives, as text, folded here: icalendar folds every
    line a character at a time, where nearly every line is short and ASCII."""
    return "".join(_folded(line) + "\r\n" for line in calendar.content_lines() if line)


# An entry is written here, not built as icalendar's components: their generic
# property and parameter objects were half of a large calendar's making, for the
# few value types an entry has. Each property maps to the rest of its content
# line after its name (parameters, colon, value); icalendar writes an event's
# properties these first, in this order, and the rest by name, and so does this.
Entry = dict[str, str]
_FIRST = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "DTSTAMP", "UID")
_ZONED = f";TZID={TIME_ZONE}:"


def timed(entry: str) -> bool:
    """Whether a written entry starts at a time (in the time zone), not on a day:
    its DTSTART line says so (a text's `;` is escaped, and its lines are folded
    with a space, so no text can look like that line)."""
    return f"\r\nDTSTART{_ZONED}" in entry


def _entry(identifier: str, stamped: str, summary: str) -> Entry:
    return {"UID": _text(identifier), "DTSTAMP": stamped, "SUMMARY": _text(fold_line(summary))}


def _written(entry: Entry, place: str | None, description: str, kind: str) -> str:
    """The entry with what every entry may have (its place, description and
    kind), as its lines."""
    if place:
        entry["LOCATION"] = _text(place)
    if description:
        entry["DESCRIPTION"] = _text(description)
    entry["CATEGORIES"] = _text(fold_line(kind))
    names = [name for name in _FIRST if name in entry]
    names += sorted(name for name in entry if name not in _FIRST)
    lines = "".join(_folded(name + entry[name]) + "\r\n" for name in names)
    return f"BEGIN:VEVENT\r\n{lines}END:VEVENT\r\n"


def _text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11) after its colon: backslash, semicolon and
    comma escaped, each line break (CRLF, LF or CR) as `\\n`."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return ":" + escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _day(day: date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"  # four digits, also before year 1000


def _moment(moment: datetime) -> str:
    return f"{_day(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


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


# A line break in any of its forms; and what else must not stand raw in a line.
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _lines(text: str) -> str:
    """DESCRIPTION text: line breaks kept (as LF, which `_text` escapes), tabs and
    other controls as spaces; spaces at the end of each line, and blank lines and
    spaces at the ends of the whole text, trimmed."""
    lines = [_CONTROL.sub(" ", line).rstrip(" ") for line in _BREAK.split(text)]
    return "\n".join(lines).strip("\n ")


def _when(entry: Entry, day: date, last: date | None, start: str | None, end: str | None) -> None:
    """Timed in Europe/Stockholm when a start time is known, else all day."""
    last = last or day
    if start is None:
        entry["DTSTART"] = ";VALUE=DATE:" + _day(day)
        after = day_after(last)
        if after is not None:
            entry["DTEND"] = ";VALUE=DATE:" + _day(after)  # exclusive: the day after
        else:  # the last day is 9999-12-31, which has no day after
            entry["DURATION"] = f":P{(last - day).days + 1}D"
        return
    entry["DTSTART"] = _ZONED + _moment(datetime.combine(day, time.fromisoformat(start)))
    # DTEND must be later than DTSTART: an end equal to the start gives no DTEND.
    if end is not None and (last, end) > (day, start):
        entry["DTEND"] = _ZONED + _moment(datetime.combine(last, time.fromisoformat(end)))


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
