"""The site's calendars: `kontrakt.ics` with every event and meeting (what
`kontrakt calendar` writes), and one .ics per dated event, cut from it.

Cutting keeps each event's entry byte for byte the one in the whole calendar
(same UID, so importing one and subscribing to the whole never duplicates it),
and costs one export instead of one per event. An iCalendar file is lines; an
entry is the lines from `BEGIN:VEVENT` to `END:VEVENT` (a value never holds a
bare line break: icalendar escapes them, and folds long lines with a leading
space), so the cut is exact.

The stamp (DTSTAMP) is the site's day at midnight UTC, so a rebuild on the same
day gives the same bytes and rewrites nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from kontrakt.portfolio import Portfolio
from kontrakt.render.calendar import export_calendar, uid

_UID = re.compile(r"^UID:(.*)$", re.MULTILINE)
_BLOCK = re.compile(r"BEGIN:(VEVENT|VTIMEZONE)\r\n.*?END:\1\r\n", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Calendars:
    whole: str
    events: dict[str, str]  # event id -> its own calendar


def site_calendars(portfolio: Portfolio, day: date) -> Calendars:
    stamp = datetime.combine(day, time(0, 0), UTC)
    text = export_calendar(portfolio, stamp).text
    blocks = list(_BLOCK.finditer(text))
    if not blocks:
        return Calendars(text, {})
    head = text[: blocks[0].start()]
    tail = text[blocks[-1].end() :]
    zones = "".join(block.group() for block in blocks if block.group(1) == "VTIMEZONE")
    by_uid: dict[str, str] = {}
    for block in blocks:
        if block.group(1) != "VEVENT":
            continue
        unfolded = block.group().replace("\r\n ", "").replace("\r\n\t", "")
        found = _UID.search(unfolded.replace("\r\n", "\n"))
        if found:
            by_uid[found.group(1).strip()] = block.group()
    events = {}
    for key in portfolio.events:
        entry = by_uid.get(uid(portfolio, "event", key))
        if entry is not None:
            zone = zones if "TZID=" in entry else ""
            events[key] = head + entry + zone + tail
    return Calendars(text, events)
