"""The linked portfolio: every valid entity by kind and id, with its file.

A data type only; the pipeline that builds one from a folder or a git revision
is load.py, so link and the views can use this type without importing the
pipeline (and no import goes round in a circle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from kontrakt.models import (
    KINDS_BY_NAME,
    Action,
    BudgetLine,
    Event,
    Indicator,
    Initiative,
    Meeting,
    News,
    Question,
    Settings,
)
from kontrakt.source import SourceFile


@dataclass(slots=True)
class Portfolio:
    """Every valid entity by kind and id, with the file each came from."""

    root: Path
    settings: Settings
    initiatives: dict[str, Initiative] = field(default_factory=dict)
    budget: dict[str, BudgetLine] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    news: dict[str, News] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    sources: dict[tuple[str, str], SourceFile] = field(default_factory=dict)
    settings_source: SourceFile | None = None

    def of_kind(self, kind: str) -> dict[str, BaseModel]:
        """The table of a kind; each table is named after the kind's folder."""
        table: dict[str, BaseModel] = getattr(self, KINDS_BY_NAME[kind].folder)
        return table
