"""`kontrakt.yaml`: the portfolio's own settings, vocabularies and budget frames."""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from kontrakt.models.common import Entity, Id, Money, Status, Text, Year, describe

Labels = dict[Id, Text]

DEFAULT_STATUS_LABELS: dict[str, dict[Status, str]] = {
    "sv": {
        Status.ONGOING: "Pågående",
        Status.UPCOMING: "På gång",
        Status.IDEA: "Idéer framåt",
        Status.PAUSED: "Pausade",
        Status.COMPLETED: "Avslutade",
        Status.STOPPED: "Avbrutna",
    },
    "en": {
        Status.ONGOING: "Ongoing",
        Status.UPCOMING: "Upcoming",
        Status.IDEA: "Ideas",
        Status.PAUSED: "Paused",
        Status.COMPLETED: "Completed",
        Status.STOPPED: "Stopped",
    },
}


_LOCALE_SHAPE = re.compile(r"[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2}|_[0-9]{3})?")


@lru_cache(maxsize=16)
def _known_locale(value: str) -> str | None:
    """Babel's own name for a locale it has data for (`SV_se` -> `sv_SE`), else None.

    A name already in Babel's spelling is looked up as Babel's data file, without
    importing Babel: `check` of a portfolio that sets its locale stays as quick.
    """
    if _LOCALE_SHAPE.fullmatch(value) and _has_locale_data(value):
        return value
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(value))
    except (ValueError, UnknownLocaleError):
        return None


def _has_locale_data(name: str) -> bool:
    spec = importlib.util.find_spec("babel")
    folders = spec.submodule_search_locations if spec is not None else None
    return bool(folders) and any(
        (Path(folder) / "locale-data" / f"{name}.dat").is_file() for folder in folders or ()
    )


def _locale(value: Any) -> str:
    """A locale Babel can format numbers and dates for: every command renders with it,
    so a misspelt one is an error here, at its line, not a crash in `status`."""
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError(
            "locale_type",
            "expected a locale such as sv_SE or en_GB, found {found}",
            {"found": describe(value)},
        )
    short = len(value) <= 40  # no locale name is longer; nothing longer goes to Babel
    known = _known_locale(value) if short else None
    if known is None:
        suggestion = _known_locale(value.strip().replace("-", "_")) if short else None
        raise PydanticCustomError(
            "locale_unknown",
            "unknown locale {found}; write {write}",
            {"found": describe(value), "write": suggestion or "one such as sv_SE or en_GB"},
        )
    return known


Locale = Annotated[
    str,
    BeforeValidator(_locale),
    WithJsonSchema({"type": "string", "minLength": 2, "examples": ["sv_SE", "en_GB"]}),
]


class Vocabularies(Entity):
    """Allowed values, each with its display label, in display order."""

    statuses: dict[Status, Text] = {}
    kinds: Labels = {}
    categories: Labels = {}
    purposes: Labels = {}
    phases: Labels = {}
    event_kinds: Labels = {}
    meeting_kinds: Labels = {}
    relations: Labels = {}


class Frame(Entity):
    """The amount available for one budget category in one period (year)."""

    category: Id
    period: Year
    amount: Money
    note: Text | None = None


MAX_FILE_SIZE_CEILING = 64 * 1024 * 1024


class Limits(Entity):
    """Guards against hostile or accidental huge input."""

    max_file_size: Annotated[int, Field(gt=0, le=MAX_FILE_SIZE_CEILING)] = 1024 * 1024


class Settings(Entity):
    name: Text
    mission: Text
    description: Text | None = None
    language: Literal["sv", "en"] = "sv"
    locale: Locale | None = None
    organisations: Labels = {}
    vocabularies: Vocabularies = Vocabularies()
    frames: list[Frame] = []
    ignore: list[Text] = []
    limits: Limits = Limits()

    def resolved_locale(self) -> str:
        """The locale for numbers and dates: as set, else the language's default."""
        return self.locale or {"sv": "sv_SE", "en": "en_GB"}[self.language]

    def status_labels(self) -> dict[Status, str]:
        """Every status with its label, in the portfolio's display order."""
        labels = dict(self.vocabularies.statuses)
        for status, label in DEFAULT_STATUS_LABELS[self.language].items():
            labels.setdefault(status, label)
        return labels
