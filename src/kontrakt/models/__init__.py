"""The models, one per kind of portfolio file, and where each kind lives."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from kontrakt.models.budget import BudgetLine
from kontrakt.models.event import Event
from kontrakt.models.initiative import Initiative
from kontrakt.models.meeting import Meeting
from kontrakt.models.news import News
from kontrakt.models.question import Question
from kontrakt.models.settings import Settings

SETTINGS_FILE = "kontrakt.yaml"


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of entity: its name, its folder and its model."""

    name: str
    folder: str
    model: type[BaseModel]
    label: str  # for messages: "an initiative", "a budget line"


KINDS: tuple[Kind, ...] = (
    Kind("initiative", "initiatives", Initiative, "an initiative"),
    Kind("budget", "budget", BudgetLine, "a budget line"),
    Kind("event", "events", Event, "an event"),
    Kind("meeting", "meetings", Meeting, "a meeting"),
    Kind("news", "news", News, "a news item"),
    Kind("question", "questions", Question, "a question"),
)
KINDS_BY_FOLDER = {kind.folder: kind for kind in KINDS}

# Top-level fields whose values come from a vocabulary in kontrakt.yaml.
VOCABULARY_FIELDS: dict[str, dict[str, str]] = {
    "initiative": {"kind": "kinds"},
    "budget": {"category": "categories", "purpose": "purposes", "phase": "phases"},
    "event": {"kind": "event_kinds"},
    "meeting": {"kind": "meeting_kinds"},
}
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}

__all__ = [
    "KINDS",
    "KINDS_BY_FOLDER",
    "KINDS_BY_NAME",
    "SETTINGS_FILE",
    "VOCABULARY_FIELDS",
    "BudgetLine",
    "Event",
    "Initiative",
    "Kind",
    "Meeting",
    "News",
    "Question",
    "Settings",
]
