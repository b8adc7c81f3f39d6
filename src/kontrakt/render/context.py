"""Plain data for templates: labels resolved, amounts and dates formatted.

Shared by the report and the agenda, so both describe an initiative, a budget
line, an event and a question the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kontrakt.models import Event, Question
from kontrakt.portfolio import Portfolio
from kontrakt.render import numbers
from kontrakt.render.markdown import Markdown
from kontrakt.render.status import event_place, event_when
from kontrakt.views.snapshot import InitiativeState


def kronor_formatter(locale: str) -> Any:
    def kr(value: int) -> Markdown:
        return Markdown(numbers.kronor(value, locale))

    return kr


def initiative_context(
    portfolio: Portfolio, state: InitiativeState, day: date, kr: Any, titles: dict[str, str]
) -> dict[str, Any]:
    settings = portfolio.settings
    vocabularies = settings.vocabularies
    initiative = state.initiative
    statuses = settings.status_labels()
    relations = [
        {
            "title": titles[relation.initiative],
            "type": vocabularies.relations.get(relation.type, relation.type)
            if relation.type
            else None,
            "note": relation.note,
            "incoming": False,
        }
        for relation in initiative.related
    ]
    for other in portfolio.initiatives.values():
        for relation in other.related:
            if relation.initiative == state.id:
                relations.append(
                    {
                        "title": other.title,
                        "type": vocabularies.relations.get(relation.type, relation.type)
                        if relation.type
                        else None,
                        "note": relation.note,
                        "incoming": True,
                    }
                )
    return {
        "id": state.id,
        "title": initiative.title,
        "status": statuses[state.status] if state.status else None,
        "kind": vocabularies.kinds.get(initiative.kind, initiative.kind)
        if initiative.kind
        else None,
        "description": initiative.description,
        "owner": initiative.owner,
        "contact": initiative.contact,
        "organisations": [settings.organisations[o] for o in initiative.organisations],
        "themes": initiative.themes,
        "notes": initiative.notes,
        "start": initiative.start.isoformat() if initiative.start else None,
        "end": initiative.end.isoformat() if initiative.end else None,
        "milestones": [
            {
                "date": milestone.date.isoformat(),
                "title": milestone.title,
                "done": milestone.done,
                "overdue": not milestone.done and milestone.date < day,
            }
            for milestone in sorted(initiative.milestones, key=lambda m: m.date)
        ],
        "budget": [line_context(portfolio, line_id, kr) for line_id in state.budget],
        "relations": relations,
    }


def line_context(portfolio: Portfolio, line_id: str, kr: Any) -> dict[str, Any]:
    vocabularies = portfolio.settings.vocabularies
    line = portfolio.budget[line_id]
    parts = [
        {
            "amount": kr(part.amount),
            "label": vocabularies.categories.get(part.category or "", "")
            or vocabularies.purposes.get(part.purpose or "", part.purpose or ""),
        }
        for part in line.parts
    ]
    return {
        "title": line.title,
        "amount": kr(line.amount),
        "category": vocabularies.categories.get(line.category, line.category)
        if line.category
        else None,
        "purpose": vocabularies.purposes.get(line.purpose, line.purpose) if line.purpose else None,
        "decided": line.decision.value == "decided",
        "decided_on": line.decided_on.isoformat() if line.decided_on else None,
        "shared": len(line.initiatives) > 1,
        "parts": parts,
    }


def event_context(portfolio: Portfolio, key: str, event: Event) -> dict[str, Any]:
    kinds = portfolio.settings.vocabularies.event_kinds
    series = event.series
    return {
        "id": key,
        "title": event.title,
        "kind": kinds.get(event.kind, event.kind),
        "date": event.date.isoformat() if event.date else None,
        "when": event_when(event),
        "start": event.start,
        "end": event.end,
        "place": event_place(event),
        "theme": event.theme,
        "series": None
        if series is None
        else {"name": series.name, "number": series.number, "count": series.count},
        "contact": event.contact,
        "initiatives": [portfolio.initiatives[i].title for i in event.initiatives],
    }


def question_context(question: Question, titles: dict[str, str]) -> dict[str, Any]:
    return {
        "title": question.title,
        "points": question.points,
        "to": question.to,
        "initiatives": [titles[i] for i in question.initiatives],
        "raised": question.raised.isoformat(),
        "answer": question.answer,
        "answered": question.answered.isoformat() if question.answered else None,
    }
