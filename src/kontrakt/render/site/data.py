"""Open data: the portfolio's files as JSON and CSV, and what every field means.

Only what the files hold: each entity as validated (amounts in whole kronor,
dates as YYYY-MM-DD, the short form `initiatives: [salus-mea]` written out in
full), with the keys its file gives and no others; nothing computed (no totals,
no status as of a day, no default filled in), which a reader could take for
something the team wrote. The field table (`FIELDS`) is tested against the
models, so no field goes undocumented.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from pydantic import BaseModel

from kontrakt.i18n import N_, _
from kontrakt.models import KINDS
from kontrakt.portfolio import Portfolio
from kontrakt.render.budget import formula_like
from kontrakt.render.site.paths import site_path

# What of kontrakt.yaml is the portfolio's (the rest says how kontrakt reads files).
SETTINGS_FIELDS = (
    "name",
    "mission",
    "description",
    "language",
    "locale",
    "organisations",
    "vocabularies",
    "frames",
)

TEXT = N_("text")
ID = N_("id: lower-case letters, digits and hyphens")
IDS = N_("list of ids")
DATE = N_("date, YYYY-MM-DD")
TIME = N_("time, HH:MM")
TEXTS = N_("list of texts")
KRONOR = N_("whole kronor")
YEAR = N_("year")
NUMBER = N_("whole number")
ORDER = N_("position in lists (lower first)")
FILE_ID = N_("the file's name without .yaml: the entity's id, which others refer to")

# kind -> (field, type, meaning), in the models' order.
FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "settings": (
        ("name", TEXT, N_("the portfolio's name (the collaboration)")),
        ("mission", TEXT, N_("the mission the portfolio serves")),
        ("description", TEXT, N_("what the mission is about")),
        ("language", N_("language code"), N_("the language of the portfolio's documents")),
        ("locale", N_("locale"), N_("how numbers and dates are written, e.g. sv_SE")),
        ("organisations", N_("id → name"), N_("the partner organisations")),
        (
            "vocabularies",
            N_("lists of id → label"),
            N_(
                "the labels of statuses, kinds, budget categories, purposes, phases, "
                "event kinds, meeting kinds, relation types, alert levels and gates, "
                "in display order"
            ),
        ),
        (
            "frames",
            N_("list of {category, period, amount, note}"),
            N_("the money available per budget category and year"),
        ),
    ),
    "initiative": (
        ("id", ID, FILE_ID),
        ("title", TEXT, N_("the initiative's name")),
        (
            "status",
            N_("idea, upcoming, ongoing, completed, paused or stopped"),
            N_("its status as the file states it (the history may say more)"),
        ),
        ("kind", ID, N_("its kind, from vocabularies.kinds")),
        ("description", TEXT, N_("what it is")),
        ("owner", TEXT, N_("who owns it")),
        ("contact", TEXT, N_("whom to contact")),
        ("organisations", IDS, N_("the partner organisations taking part")),
        ("themes", TEXTS, N_("themes it works on")),
        ("notes", TEXTS, N_("short notes, as on the agenda")),
        (
            "related",
            N_("list of {initiative, type, note}"),
            N_("other initiatives it relates to, and how"),
        ),
        ("milestones", N_("list of {date, title, done}"), N_("its milestones")),
        ("start", DATE, N_("when it starts")),
        ("end", DATE, N_("when it ends")),
        ("proposed_on", DATE, N_("the day it entered the portfolio")),
        (
            "history",
            N_("list of {date, status, note}"),
            N_("its status changes, each from its date on"),
        ),
        (
            "journal",
            N_("list of {date, text, learned, alert, progress}"),
            N_(
                "dated entries: what happened, what was learned, an alert (green, "
                "yellow or red) and progress in per cent"
            ),
        ),
        ("indicators", IDS, N_("the outcome indicators it is meant to move")),
        ("order", NUMBER, ORDER),
    ),
    "budget": (
        ("id", ID, FILE_ID),
        ("title", TEXT, N_("the budget line's name")),
        ("amount", KRONOR, N_("the whole line's amount")),
        ("category", ID, N_("the budget category it is counted in (its frame)")),
        ("purpose", ID, N_("what the money pays for")),
        ("period", YEAR, N_("the year the money is for")),
        ("phase", ID, N_("the phase it belongs to, e.g. ongoing or start-up")),
        ("proposed_on", DATE, N_("the day the line was proposed")),
        (
            "decision",
            N_("proposed or decided"),
            N_("whether the money is decided; unset: proposed"),
        ),
        ("decided_on", DATE, N_("the day it was decided")),
        (
            "initiatives",
            N_("list of {initiative, share}"),
            N_("the initiatives it funds, with a share in kronor where the file gives one"),
        ),
        (
            "parts",
            N_("list of {amount, category, purpose, note}"),
            N_("“of which” parts: money of another category, or for a purpose"),
        ),
        (
            "funders",
            N_("list of {organisation or name, amount or share, hours, note}"),
            N_("who pays the line: kronor, or per cent of the line, and in-kind hours"),
        ),
        (
            "spent",
            N_("list of {date, amount, note, voucher}"),
            N_("money spent on the line, oldest first"),
        ),
        ("note", TEXT, N_("a note")),
        ("order", NUMBER, ORDER),
    ),
    "event": (
        ("id", ID, FILE_ID),
        ("title", TEXT, N_("the event's name")),
        ("kind", ID, N_("its kind, from vocabularies.event_kinds")),
        ("date", DATE, N_("the day it takes place (its first day)")),
        ("end_date", DATE, N_("its last day, when it lasts several days")),
        ("start", TIME, N_("when it starts")),
        ("end", TIME, N_("when it ends")),
        ("venue", TEXT, N_("where")),
        ("city", TEXT, N_("in which city")),
        ("theme", TEXT, N_("its theme")),
        ("description", TEXT, N_("what it is")),
        (
            "series",
            N_("{name, number, count}"),
            N_("the series it belongs to, and its place in it"),
        ),
        ("initiatives", IDS, N_("the initiatives it concerns")),
        ("contact", TEXT, N_("whom to contact")),
        ("url", N_("web address (http, https or mailto)"), N_("its page")),
        ("announced", DATE, N_("the day it was announced")),
    ),
    "meeting": (
        ("id", ID, FILE_ID),
        ("date", DATE, N_("the day of the meeting")),
        ("kind", ID, N_("its kind, from vocabularies.meeting_kinds")),
        ("title", TEXT, N_("its title, where it is not the kind's")),
        ("start", TIME, N_("when it starts")),
        ("end", TIME, N_("when it ends")),
        ("venue", TEXT, N_("where")),
        ("city", TEXT, N_("in which city")),
        ("communication", TEXTS, N_("the communication points of its agenda")),
        (
            "decisions",
            N_("list of {text, gate, initiatives, budget}"),
            N_(
                "the decisions taken, with the gate they pass (to pilot, to "
                "implementation, continue, adapt, stop) and the initiatives and budget "
                "lines they concern"
            ),
        ),
        ("notes", TEXTS, N_("notes from the meeting")),
    ),
    "news": (
        ("id", ID, FILE_ID),
        ("date", DATE, N_("the day of the news")),
        ("title", TEXT, N_("the news in one line")),
        ("description", TEXT, N_("more about it")),
        ("initiatives", IDS, N_("the initiatives it concerns")),
        ("events", IDS, N_("the events it concerns")),
    ),
    "question": (
        ("id", ID, FILE_ID),
        ("title", TEXT, N_("the question")),
        ("points", TEXTS, N_("what it asks, point by point")),
        ("to", TEXT, N_("whom it is put to")),
        ("initiatives", IDS, N_("the initiatives it concerns")),
        ("raised", DATE, N_("the day it was raised")),
        ("answer", TEXT, N_("the answer")),
        ("answered", DATE, N_("the day it was answered")),
    ),
    "action": (
        ("id", ID, FILE_ID),
        ("title", TEXT, N_("what is to be done")),
        ("owner", TEXT, N_("who does it: an organisation's id or a person's name")),
        ("due", DATE, N_("the day it is due")),
        ("from_meeting", ID, N_("the meeting it came from")),
        ("from_question", ID, N_("the question it came from")),
        ("initiatives", IDS, N_("the initiatives it concerns")),
        ("done", DATE, N_("the day it was done")),
        ("note", TEXT, N_("a note")),
        ("opened", DATE, N_("the day it was opened")),
    ),
    "indicator": (
        ("id", ID, FILE_ID),
        ("title", TEXT, N_("what is measured")),
        ("description", TEXT, N_("how it is measured")),
        (
            "unit",
            N_("percent, count, people, kronor, days or score"),
            N_("what the values are counted in"),
        ),
        ("direction", N_("higher or lower"), N_("which way is better")),
        ("range", N_("[least, most]"), N_("the values it can plausibly take, where narrower")),
        ("baseline", N_("{value, date}"), N_("where it started, and when")),
        ("target", N_("{value, date}"), N_("where it should be, and by when")),
        ("source", TEXT, N_("where the measurements come from, unless each says")),
        (
            "measurements",
            N_("list of {date, value, source, note}"),
            N_("what it was on each day measured, oldest first"),
        ),
    ),
}

KIND_TITLES = {
    "settings": N_("The portfolio (kontrakt.yaml)"),
    "initiative": N_("Initiatives"),
    "budget": N_("Budget lines"),
    "event": N_("Events"),
    "meeting": N_("Meetings"),
    "news": N_("News"),
    "question": N_("Questions"),
    "action": N_("Actions"),
    "indicator": N_("Outcome indicators"),
}


def json_path() -> str:
    return site_path("data", "portfolio.json")


def csv_path(folder: str) -> str:
    return site_path("data", f"{folder}.csv")


def _dumped(entity: BaseModel) -> dict[str, Any]:
    """What the file holds: its keys only, as validated, in the model's order."""
    found: dict[str, Any] = entity.model_dump(mode="json", exclude_unset=True)
    return found


def open_data(portfolio: Portfolio) -> dict[str, Any]:
    """The whole portfolio as one JSON document: its settings and each kind's
    entities by id, in id order."""
    settings = _dumped(portfolio.settings)
    document: dict[str, Any] = {
        "portfolio": {key: settings[key] for key in SETTINGS_FIELDS if key in settings}
    }
    for kind in KINDS:
        table = portfolio.of_kind(kind.name)
        document[kind.folder] = [
            {"id": key, **{k: v for k, v in _dumped(entity).items() if k != "id"}}
            for key, entity in sorted(table.items())
        ]
    return document


def json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(value: Any) -> str:
    """A CSV cell: text as it is (a formula-like text gets a leading '), a list or an
    object as JSON, nothing for a key the file leaves out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return f"'{text}" if formula_like(text) else text


def csv_bytes(kind: str, items: list[dict[str, Any]]) -> bytes:
    """One row per entity, one column per field of the kind (FIELDS' order)."""
    columns = [field for field, _t, _m in FIELDS[kind]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow([_cell(item.get(column)) for column in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # Excel reads UTF-8 after a BOM


def frames_csv(settings: dict[str, Any]) -> bytes:
    columns = ["category", "period", "amount", "note"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for frame in settings.get("frames", []):
        writer.writerow([_cell(frame.get(column)) for column in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def field_tables() -> list[dict[str, Any]]:
    """FIELDS in the language speaking, for the data page."""
    files = {kind.name: csv_path(kind.folder) for kind in KINDS}
    files["settings"] = csv_path("frames")
    return [
        {
            "kind": kind,
            "anchor": f"fields-{kind}",
            "title": _(KIND_TITLES[kind]),
            "csv": files[kind],
            "fields": [
                {"name": name, "type": _(kind_of), "meaning": _(meaning)}
                for name, kind_of, meaning in fields
            ],
        }
        for kind, fields in FIELDS.items()
    ]
