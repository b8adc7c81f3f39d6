"""`kontrakt.yaml`: the portfolio's own settings, vocabularies and budget frames."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from kontrakt.models.common import Entity, Id, Money, Status, Text, Year

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
    locale: Text | None = None
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
