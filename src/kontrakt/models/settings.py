"""`kontrakt.yaml`: the portfolio's own settings, vocabularies and budget frames."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from kontrakt import i18n
from kontrakt.i18n import _, pgettext
from kontrakt.models.budget import Funder
from kontrakt.models.common import (
    Alert,
    Entity,
    Gate,
    Id,
    Money,
    Status,
    Text,
    Year,
    describe,
    empty,
    whole,
)

Labels = dict[Id, Text]
K = TypeVar("K")


def default_status_labels(language: str) -> dict[Status, str]:
    """The label of each status in `language`, for a portfolio that does not label
    its statuses itself, in the default display order."""
    with i18n.speaking(language):
        return {
            Status.ONGOING: pgettext("status", "Ongoing"),
            Status.UPCOMING: pgettext("status", "Upcoming"),
            Status.IDEA: pgettext("status", "Ideas"),
            Status.PAUSED: pgettext("status", "Paused"),
            Status.COMPLETED: pgettext("status", "Completed"),
            Status.STOPPED: pgettext("status", "Stopped"),
        }


def default_alert_labels(language: str) -> dict[Alert, str]:
    """The label of each alert level in `language`, in the default order."""
    with i18n.speaking(language):
        return {
            Alert.GREEN: pgettext("alert", "Green"),
            Alert.YELLOW: pgettext("alert", "Yellow"),
            Alert.RED: pgettext("alert", "Red"),
        }


def default_gate_labels(language: str) -> dict[Gate, str]:
    """The label of each decision gate in `language`, in the default order."""
    with i18n.speaking(language):
        return {
            Gate.TO_PILOT: pgettext("gate", "To pilot"),
            Gate.TO_IMPLEMENTATION: pgettext("gate", "To implementation"),
            Gate.CONTINUE: pgettext("gate", "Continue"),
            Gate.ADAPT: pgettext("gate", "Adapt"),
            Gate.STOP: pgettext("gate", "Stop"),
        }


def _with_defaults(given: Mapping[K, str], defaults: dict[K, str]) -> dict[K, str]:
    """The portfolio's labels in its order, then a default for each value it leaves out."""
    labels = dict(given)
    for key, label in defaults.items():
        labels.setdefault(key, label)
    return labels


def _language(value: Any) -> str:
    """A language kontrakt has a catalog for: documents and messages are in it."""
    known = i18n.languages()
    if isinstance(value, str) and value in known:
        return value
    raise PydanticCustomError(
        "language_unknown",
        _("unknown language {found}; write one of {languages}"),
        {"found": describe(value), "languages": ", ".join(known)},
    )


def _language_schema(schema: dict[str, Any]) -> None:
    """The languages of the kontrakt that makes the schema."""
    schema["enum"] = list(i18n.languages())


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
            _("expected a locale such as sv_SE or en_GB, found {found}"),
            {"found": describe(value)},
        )
    short = len(value) <= 40  # no locale name is longer; nothing longer goes to Babel
    known = _known_locale(value) if short else None
    if known is None:
        suggestion = _known_locale(value.strip().replace("-", "_")) if short else None
        if suggestion is None:
            raise PydanticCustomError(
                "locale_unknown",
                _("unknown locale {found}; write one such as sv_SE or en_GB"),
                {"found": describe(value)},
            )
        raise PydanticCustomError(
            "locale_unknown",
            _("unknown locale {found}; write {suggestion}"),
            {"found": describe(value), "suggestion": suggestion},
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
    alerts: dict[Alert, Text] = {}  # labels for the fixed alert levels of journals
    gates: dict[Gate, Text] = {}  # labels for the fixed gates of decisions


class Frame(Entity):
    """The amount available for one budget category in one period (year), and who
    pays it: the funders' shares (per cent) hold for every line of the frame whose
    own funders give no money (none, or hours in kind only)."""

    category: Id
    period: Year
    amount: Money
    funders: list[Funder] = empty()
    note: Text | None = None


class Documents(Entity):
    """The team's own templates for the documents kontrakt writes, as paths inside
    the portfolio folder: a PowerPoint file whose slide master the deck uses, a
    Word file whose styles the documents use."""

    pptx: Text | None = None
    docx: Text | None = None


MAX_FILE_SIZE_CEILING = 64 * 1024 * 1024


class Limits(Entity):
    """Guards against hostile or accidental huge input."""

    max_file_size: Annotated[int, Field(gt=0, le=MAX_FILE_SIZE_CEILING)] = 1024 * 1024


class Settings(Entity):
    name: Text
    mission: Text
    description: Text | None = None
    language: Annotated[str, BeforeValidator(_language)] = Field(
        default="sv", json_schema_extra=_language_schema
    )
    locale: Locale | None = None
    organisations: Labels = {}
    vocabularies: Vocabularies = Vocabularies()
    frames: list[Frame] = []
    # An ongoing initiative whose latest journal entry is older than this (or that
    # has none) is flagged in the status.
    journal_stale_days: whole(1, 3650) = 45  # type: ignore[valid-type]
    ignore: list[Text] = []
    limits: Limits = Limits()
    documents: Documents = Documents()

    def resolved_locale(self) -> str:
        """The locale for numbers and dates: as set, else the language's default."""
        return self.locale or i18n.default_locale(self.language)

    def status_labels(self) -> dict[Status, str]:
        """Every status with its label, in the portfolio's display order; a status
        the portfolio does not label has its default label in the portfolio's language."""
        return _with_defaults(self.vocabularies.statuses, default_status_labels(self.language))

    def alert_labels(self) -> dict[Alert, str]:
        """Every alert level with its label, as `status_labels` gives statuses."""
        return _with_defaults(self.vocabularies.alerts, default_alert_labels(self.language))

    def gate_labels(self) -> dict[Gate, str]:
        """Every decision gate with its label, as `status_labels` gives statuses."""
        return _with_defaults(self.vocabularies.gates, default_gate_labels(self.language))
