"""Field types and the base model every portfolio entity shares.

Every custom type raises `PydanticCustomError` with a message written for the
person editing the file: what is wrong and what to write instead.

Each type's JSON Schema (what `kontrakt schema` gives editors) is made from the
same patterns and bounds its validator uses, so an editor accepts and refuses
what `kontrakt check` does (tests/test_schema_agrees.py). Patterns are written
in the part of regular expressions that Python and ECMA-262 (JSON Schema) read
alike: explicit classes such as `[0-9]`, never `\\d`, `\\w` or `\\s`.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, NoReturn

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    WithJsonSchema,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from kontrakt.i18n import N_, _, numeral
from kontrakt.ids import ID_PATTERN, MAX_ID_LENGTH, id_problem
from kontrakt.literal import WrittenFloat
from kontrakt.money import MoneyError, money_schema, parse_money


class Entity(BaseModel):
    """Unknown keys are errors (a typo must not vanish); inputs never echo in errors.

    Validators are built on first use: a nested model (a milestone, a budget
    part) is validated inside its file's model and never needs its own.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
        defer_build=True,
    )


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "id_type", _("expected an id (a lowercase slug such as 'salus-mea')")
        )
    problem = id_problem(value)
    if problem:
        raise PydanticCustomError("id_format", problem)
    return value


# White space as Python's str.isspace() and ECMA-262's \s know it, together, for a
# character class: text of these alone is empty, and none belongs in a web address.
WHITE_SPACE = (
    r"\u0009-\u000d\u0020\u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a"
    r"\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_VISIBLE = f"[^{WHITE_SPACE}]"
_HAS_VISIBLE = re.compile(_VISIBLE)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "text_type",
            _("expected text, found {found}; put it in quotes to keep it as text"),
            {"found": describe(value)},
        )
    if not _HAS_VISIBLE.search(value):
        raise PydanticCustomError(
            "text_empty", _("text is empty; write something or remove the key")
        )
    return value


DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE = re.compile(DATE_PATTERN)
# Also the wording of Pydantic's own date errors (validate.py).
DATE_EXPECTED = N_("expected a date as YYYY-MM-DD (e.g. 2024-02-27), found {found}")


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError(
            "date_format",
            _(DATE_EXPECTED),
            {"found": describe(value)},
        )
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError(
            "date_invalid", _("{value} is not a date in the calendar"), {"value": value}
        ) from None


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_TIME = re.compile(TIME_PATTERN)


def _time(value: Any) -> str:
    if isinstance(value, str) and _TIME.fullmatch(value):
        return value
    found = describe(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,2}[.:][0-9]{2}", value):
        hours, minutes = re.split(r"[.:]", value)
        suggestion = f"{int(hours):02d}:{minutes}"
        if suggestion != value and _TIME.fullmatch(suggestion):
            raise PydanticCustomError(
                "time_format",
                _("expected a time as HH:MM (e.g. 08:30), found {found} (write {suggestion})"),
                {"found": found, "suggestion": suggestion},
            )
    raise PydanticCustomError(
        "time_format",
        _("expected a time as HH:MM (e.g. 08:30), found {found}"),
        {"found": found},
    )


def _money(value: Any) -> int:
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise PydanticCustomError("money", str(exc)) from None


MIN_YEAR, MAX_YEAR = 1900, 2200


def _year(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        raise PydanticCustomError(
            "year", _("expected a year such as 2024, found {found}"), {"found": describe(value)}
        )
    return value


# Line breaks, tabs, runs of spaces and any other control character: what a value
# written as a YAML block (`>` or `|`, ending in a newline) may hold that a
# one-line display (a heading, a place, a calendar's SUMMARY) must not.
_BREAKING = re.compile("[\x00-\x20\x7f-\x9f\u2028\u2029]+")


def fold_line(text: str) -> str:
    """Text on one line: every run of line breaks, tabs and spaces is one space, the
    ends trimmed. No-break spaces stay: they hold an amount or a name together."""
    return _BREAKING.sub(" ", text).strip(" ")


MAX_URL_LENGTH = 2000
# A scheme kontrakt links to, and something after it: a host for http(s), an
# address for mailto. Case-insensitive, as schemes are (RFC 3986).
_URL_START = re.compile(r"(https?://[^/?#]|mailto:.)", re.IGNORECASE)
# White space of any kind (a space, a line break, a no-break space) and controls;
# the same class in the JSON Schema's pattern, which is ECMA-262 (so \u, not \x).
_URL_NOT = WHITE_SPACE + r"\u0000-\u001f\u007f-\u009f"
_URL_BREAK = re.compile(f"[{_URL_NOT}]")
_URL_BREAK_NAMES = {
    "\n": N_("a line break"),
    "\r": N_("a line break"),
    " ": N_("a space"),
    "\t": N_("a tab"),
}
_URL_HINT = re.compile(r"(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/.*)?", re.IGNORECASE)
# Also the wording of Pydantic's own URL type error (validate.py).
URL_EXPECTED = N_("expected a web address such as https://example.se/forum, found {found}")


def _url(value: Any) -> str:
    """A link: https://, http:// or mailto:, on one line, without white space."""
    if not isinstance(value, str):
        raise PydanticCustomError(
            "url_type",
            _(URL_EXPECTED),
            {"found": describe(value)},
        )
    broken = _URL_BREAK.search(value)
    if broken:
        char = broken.group()
        name = _URL_BREAK_NAMES.get(char)
        what = _(name) if name else _("the character {code}").format(code=f"U+{ord(char):04X}")
        raise PydanticCustomError(
            "url_space",
            _(
                "a web address cannot hold {what}; write it on one line without spaces "
                "(a space in a path is %20)"
            ),
            {"what": what},
        )
    if len(value) > MAX_URL_LENGTH:
        raise PydanticCustomError(
            "url_length",
            _(
                "the web address is {length} characters long, more than {limit}; "
                "link to a shorter address"
            ),
            {"length": numeral(len(value)), "limit": numeral(MAX_URL_LENGTH)},
        )
    if not _URL_START.match(value):
        if len(value) <= 40 and _URL_HINT.fullmatch(value):
            raise PydanticCustomError(
                "url_scheme",
                _(
                    "expected a web address: https:// or http:// and a host, or mailto: and "
                    "an address (e.g. https://example.se/forum), found {found} "
                    "(write {suggestion})"
                ),
                {"found": describe(value), "suggestion": f"https://{value}"},
            )
        raise PydanticCustomError(
            "url_scheme",
            _(
                "expected a web address: https:// or http:// and a host, or mailto: and an "
                "address (e.g. https://example.se/forum), found {found}"
            ),
            {"found": describe(value)},
        )
    return value


def place_of(venue: str | None, city: str | None) -> str:
    """`Elite Stadshotell, Eskilstuna`: venue and city, whichever are given, on one line."""
    return ", ".join(fold_line(part) for part in (venue, city) if part)


def expand_ids(value: Any, key: str) -> Any:
    """`[salus-mea, {…}]` -> `[{key: salus-mea}, {…}]`: the short form of a list of links."""
    if isinstance(value, list):
        return [{key: item} if isinstance(item, str) else item for item in value]
    return value


def describe(value: Any) -> str:
    """A short, safe description of a value for messages (never the whole value)."""
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("'{value}' (true/false)").format(value=str(value).lower())
    if isinstance(value, int | float):
        shown = value.text if isinstance(value, WrittenFloat) else repr(value)
        return _("the number {number}").format(number=shown[:20])
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"'{shown}'"
    if isinstance(value, dict):
        return _("a mapping (key: value lines)")
    if isinstance(value, list):
        return _("a list")
    return type(value).__name__


ID_SCHEMA = {"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID_LENGTH}
TEXT_SCHEMA = {"type": "string", "minLength": 1, "pattern": _VISIBLE}

Id = Annotated[str, BeforeValidator(_id), WithJsonSchema(ID_SCHEMA)]
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema(TEXT_SCHEMA)]
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Time = Annotated[
    str, BeforeValidator(_time), WithJsonSchema({"type": "string", "pattern": TIME_PATTERN})
]
Money = Annotated[int, BeforeValidator(_money), WithJsonSchema(money_schema())]
Year = Annotated[
    int,
    BeforeValidator(_year),
    WithJsonSchema({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}),
]
Url = Annotated[
    str,
    BeforeValidator(_url),
    WithJsonSchema(
        {
            "type": "string",
            "format": "uri",
            "maxLength": MAX_URL_LENGTH,
            "pattern": rf"^([hH][tT][tT][pP][sS]?://[^/?#{_URL_NOT}]|[mM][aA][iI][lL][tT][oO]:"
            rf"[^{_URL_NOT}])[^{_URL_NOT}]*$",
            "description": "An https://, http:// or mailto: address, without white space.",
        }
    ),
]
Flag = StrictBool


def _unique(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for value in values:
        key = value if isinstance(value, str) else repr(value)
        if key in seen:
            raise PydanticCustomError(
                "duplicate_item", _("'{value}' is listed twice; keep one"), {"value": str(value)}
            )
        seen.add(key)
    return values


IdList = Annotated[
    list[Id],
    AfterValidator(_unique),
    WithJsonSchema({"type": "array", "items": ID_SCHEMA, "uniqueItems": True}),
]
TextList = list[Text]


class _NoneListed(list[Any]):
    """The empty list every entity shares for each list key its file leaves out.

    A fresh list per left-out key was a tenth of a large portfolio's memory (four
    a file, 56 bytes each). This one is hashable, so Pydantic gives it as it is
    (a default it cannot hash it deep-copies for every file), and it refuses to
    be added to: the models are frozen, and what one entity shares with all must
    stay empty. It reads, compares (`== []`), copies and pickles as an empty list.
    """

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]  # immutable: empty for good
        return 0

    def __copy__(self) -> _NoneListed:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _NoneListed:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_none_listed, ())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
        """As a list, where Pydantic writes a default out (a JSON Schema's `[]`)."""
        return core_schema.list_schema()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("an entity's left-out list is shared and stays empty; make a new list")

    append = extend = insert = remove = pop = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


_NONE_LISTED = _NoneListed()


def _none_listed() -> _NoneListed:
    return _NONE_LISTED


def empty() -> Any:
    """The default of a list key a file may leave out: one empty list all share."""
    return Field(default=_NONE_LISTED, json_schema_extra={"default": []})


class Status(StrEnum):
    """An initiative's life cycle; labels and display order come from kontrakt.yaml."""

    IDEA = "idea"
    UPCOMING = "upcoming"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    PAUSED = "paused"
    STOPPED = "stopped"


class Alert(StrEnum):
    """How an initiative is doing, by its journal: labels and order come from
    kontrakt.yaml (vocabularies.alerts), with defaults in the portfolio's language."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Gate(StrEnum):
    """Where a decision takes an initiative: labels and order come from kontrakt.yaml
    (vocabularies.gates), with defaults in the portfolio's language."""

    TO_PILOT = "to-pilot"
    TO_IMPLEMENTATION = "to-implementation"
    STOP = "stop"
    CONTINUE = "continue"
    ADAPT = "adapt"


def _whole(value: Any) -> int:
    """A whole number as YAML writes one: `true` is no number (Python says it is)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError(
            "whole_number", _("expected a whole number, found {found}"), {"found": describe(value)}
        )
    return value


def whole(least: int, most: int) -> Any:
    """A whole number from `least` to `most` (per cent, days): never `true`, never
    40.5; the bounds checked here and said in the schema alike."""
    return Annotated[
        int,
        BeforeValidator(_whole),
        Field(ge=least, le=most),
        WithJsonSchema({"type": "integer", "minimum": least, "maximum": most}),
    ]


Percent = whole(0, 100)
# A funder's share of a budget line, in whole per cent.
Share = whole(1, 100)
# In-kind hours a funder contributes; never counted as kronor.
Hours = whole(0, 1_000_000)
