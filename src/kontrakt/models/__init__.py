"""The models, one per kind of portfolio file, and where each kind lives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kontrakt.i18n import N_
from kontrakt.models.action import Action
from kontrakt.models.budget import BudgetLine
from kontrakt.models.event import Event
from kontrakt.models.indicator import Indicator
from kontrakt.models.initiative import Initiative
from kontrakt.models.meeting import Meeting
from kontrakt.models.news import News
from kontrakt.models.question import Question
from kontrakt.models.settings import Settings

SETTINGS_FILE = "kontrakt.yaml"

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of entity: its name, its folder and its model."""

    name: str
    folder: str
    model: type[BaseModel]
    label: str  # for messages, marked with N_: "an initiative", "a budget line"


# The labels are messages, translated where they are shown (`_(kind.label)`).
KINDS: tuple[Kind, ...] = (
    Kind("initiative", "initiatives", Initiative, N_("an initiative")),
    Kind("budget", "budget", BudgetLine, N_("a budget line")),
    Kind("event", "events", Event, N_("an event")),
    Kind("meeting", "meetings", Meeting, N_("a meeting")),
    Kind("news", "news", News, N_("a news item")),
    Kind("question", "questions", Question, N_("a question")),
    Kind("action", "actions", Action, N_("an action")),
    Kind("indicator", "indicators", Indicator, N_("an indicator")),
)
KINDS_BY_FOLDER = {kind.folder: kind for kind in KINDS}


@dataclass(frozen=True, slots=True)
class Ref:
    """A place in a file that names something defined elsewhere.

    `path` walks the file's keys, `*` standing for every item of a list; `target`
    is a kind ("initiative"), "organisations", or a vocabulary of kontrakt.yaml
    ("categories", and "statuses", whose values the model itself checks).
    """

    path: tuple[str, ...]
    target: str
    short: bool = False  # a list item may be the id alone: `- salus-mea`

    def values_in(self, model: BaseModel) -> list[Any]:
        """Each value at this place in a valid file's model, without where it is
        (`found_in` says where): the quick look of a check that finds them known,
        made for every file of the portfolio, so models are tested for first."""
        nodes: list[Any] = [model]
        last = len(self.path) - 1
        for depth, step in enumerate(self.path):
            deeper: list[Any] = []
            if step == "*":
                for node in nodes:
                    if isinstance(node, list):
                        deeper.extend(node)
            else:
                for node in nodes:
                    if isinstance(node, BaseModel):
                        # Written in the file, not a default.
                        if step in node.__pydantic_fields_set__:
                            deeper.append(getattr(node, step))
                    elif isinstance(node, dict):
                        if step in node:
                            deeper.append(node[step])
                    elif self.short and depth == last and isinstance(node, str):
                        deeper.append(node)  # `- salus-mea`: the id alone
            nodes = deeper
        return nodes

    def found_in(self, data: Any) -> list[tuple[Loc, Any]]:
        """Each value at this place in a file's data, or in the model a valid file
        became (its fields named as the keys), with where it is in the file."""
        found: list[tuple[Loc, Any]] = [((), data)]
        last = len(self.path) - 1
        for depth, step in enumerate(self.path):
            deeper: list[tuple[Loc, Any]] = []
            for loc, node in found:
                if step == "*":
                    if isinstance(node, list):
                        deeper.extend(((*loc, index), item) for index, item in enumerate(node))
                elif isinstance(node, dict):
                    if step in node:
                        deeper.append(((*loc, step), node[step]))
                elif isinstance(node, BaseModel):
                    if step in node.model_fields_set:  # written in the file, not a default
                        deeper.append(((*loc, step), getattr(node, step)))
                elif self.short and depth == last and isinstance(node, str):
                    deeper.append(((*loc, step), node))  # `- salus-mea`: the id alone
            if not deeper:
                return deeper
            found = deeper
        return found


# Every reference in every kind of file: what link checks, what `new` checks,
# and where a display label ("Pågående") gets the hint of the value to write.
REFERENCES: dict[str, tuple[Ref, ...]] = {
    "initiative": (
        Ref(("status",), "statuses"),
        Ref(("kind",), "kinds"),
        Ref(("organisations", "*"), "organisations"),
        Ref(("related", "*", "initiative"), "initiative", short=True),
        Ref(("related", "*", "type"), "relations"),
        Ref(("history", "*", "status"), "statuses"),
        Ref(("journal", "*", "alert"), "alerts"),
        Ref(("indicators", "*"), "indicator"),
    ),
    "budget": (
        Ref(("category",), "categories"),
        Ref(("purpose",), "purposes"),
        Ref(("phase",), "phases"),
        Ref(("initiatives", "*", "initiative"), "initiative", short=True),
        Ref(("parts", "*", "category"), "categories"),
        Ref(("parts", "*", "purpose"), "purposes"),
        Ref(("funders", "*", "organisation"), "organisations"),
    ),
    "event": (
        Ref(("kind",), "event_kinds"),
        Ref(("initiatives", "*"), "initiative"),
    ),
    "meeting": (
        Ref(("kind",), "meeting_kinds"),
        Ref(("decisions", "*", "gate"), "gates"),
        Ref(("decisions", "*", "initiatives", "*"), "initiative"),
        Ref(("decisions", "*", "budget", "*"), "budget"),
    ),
    "news": (
        Ref(("initiatives", "*"), "initiative"),
        Ref(("events", "*"), "event"),
    ),
    "question": (Ref(("initiatives", "*"), "initiative"),),
    "action": (
        Ref(("from_meeting",), "meeting"),
        Ref(("from_question",), "question"),
        Ref(("initiatives", "*"), "initiative"),
    ),
    "indicator": (),
    "settings": (
        Ref(("frames", "*", "category"), "categories"),
        Ref(("frames", "*", "funders", "*", "organisation"), "organisations"),
    ),
}
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
# Vocabularies of fixed values (enums), which the models check; kontrakt.yaml only
# labels and orders them.
FIXED_VOCABULARIES = frozenset({"statuses", "alerts", "gates"})

__all__ = [
    "FIXED_VOCABULARIES",
    "KINDS",
    "KINDS_BY_FOLDER",
    "KINDS_BY_NAME",
    "REFERENCES",
    "SETTINGS_FILE",
    "Action",
    "BudgetLine",
    "Event",
    "Indicator",
    "Initiative",
    "Kind",
    "Meeting",
    "News",
    "Question",
    "Ref",
    "Settings",
]
