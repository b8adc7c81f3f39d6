"""`kontrakt agenda`: a meeting's notes as Markdown, through a Jinja template.

The template owns the sections, their order and their headings; this module
hands it the meeting and the portfolio as of the meeting's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kontrakt.i18n import _, speaking
from kontrakt.labels import NO_VALUE
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio
from kontrakt.render import charts, numbers
from kontrakt.render.budget import labeller, markdown_table, spent_said
from kontrakt.render.context import Describer, decision_line, since_context
from kontrakt.render.output import Output
from kontrakt.render.templates import render
from kontrakt.views.agenda import Agenda
from kontrakt.views.asof import known_on
from kontrakt.views.budget import Filters, budget_view


@dataclass(frozen=True, slots=True)
class AgendaRequest:
    """What every format of the agenda is rendered from."""

    portfolio: Portfolio
    plan: Agenda
    template: Path | None = None  # the user's own template (Markdown)
    reference: Path | None = None  # the team's own PowerPoint or Word file (--reference)


def markdown_output(request: AgendaRequest) -> Output:
    return Output(render_agenda(request.portfolio, request.plan, request.template))


def render_agenda(portfolio: Portfolio, plan: Agenda, template: Path | None = None) -> str:
    with speaking(portfolio.settings.language):
        return render("agenda.md.j2", agenda_context(portfolio, plan), template)


def agenda_context(portfolio: Portfolio, plan: Agenda) -> dict[str, Any]:
    named = portfolio  # what the day's files name, known then or not
    portfolio = known_on(portfolio, plan.day)
    settings = portfolio.settings
    vocabularies = settings.vocabularies
    locale = settings.resolved_locale()
    describe = Describer(portfolio)
    kr = describe.kr
    snap = plan.snapshot
    titles = describe.titles
    meeting = plan.meeting
    kind_label = vocabularies.meeting_kinds.get(plan.kind or "", plan.kind or "")
    described = {state.id: describe.initiative(state, plan.day) for state in snap.initiatives}
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for key, initiative in sorted(portfolio.initiatives.items(), key=listing_order):
        if initiative.kind:
            by_kind.setdefault(initiative.kind, []).append(described[key])
    view = budget_view(portfolio, ["category"], Filters(as_of=plan.day), labeller(portfolio))
    phases: dict[str | None, list[dict[str, Any]]] = {}
    for line_id, line in sorted(portfolio.budget.items(), key=listing_order):
        phases.setdefault(line.phase, []).append(describe.line(line_id, plan.day))
    phase_order = [*vocabularies.phases, None]
    return {
        "name": settings.name,
        "mission": settings.mission,
        "day": plan.day.isoformat(),
        "month": numbers.month_name(plan.day, locale),
        "draft": plan.draft,
        "previous": plan.previous.isoformat() if plan.previous else None,
        "meeting": {
            "id": plan.meeting_id,
            "title": (meeting.title if meeting and meeting.title else kind_label),
            "kind": kind_label,
            "start": meeting.start if meeting else None,
            "end": meeting.end if meeting else None,
            "place": meeting.place if meeting else "",
            "communication": meeting.communication if meeting else [],
            "notes": meeting.notes if meeting else [],
            "decisions": [
                {
                    "text": decision.text,
                    "initiatives": [titles[i] for i in decision.initiatives],
                    "budget": [named.budget[b].title for b in decision.budget],
                    "gate": settings.gate_labels()[decision.gate] if decision.gate else None,
                    "line": decision_line(
                        decision.text,
                        budget=[named.budget[b].title for b in decision.budget],
                        initiatives=[titles[i] for i in decision.initiatives],
                        gate=settings.gate_labels()[decision.gate] if decision.gate else None,
                    ),
                }
                for decision in (meeting.decisions if meeting else [])
            ],
        },
        "news": [
            {
                "date": item.date.isoformat(),
                "title": item.title,
                "description": item.description,
                "initiatives": [titles[i] for i in item.initiatives],
                "events": [named.events[e].title for e in item.events],
            }
            for _key, item in plan.news
        ],
        "events": [describe.event(key, event) for key, event in snap.upcoming_events],
        "days": snap.days,
        "groups": [
            {
                "status": group.status.value if group.status else None,
                "label": group.label,
                "initiatives": [described[state.id] for state in group.initiatives],
            }
            for group in snap.groups
            if group.status is not None
        ],
        "by_kind": by_kind,
        "budget": {
            "phases": [
                {
                    "label": vocabularies.phases.get(phase, phase)
                    if phase
                    else _(NO_VALUE["phase"]),
                    "lines": phases[phase],
                }
                for phase in phase_order
                if phase in phases
            ],
            "frames": [
                {
                    "label": group.label,
                    "frame": kr(group.frame) if group.frame is not None else None,
                    "decided": kr(group.decided),
                    "proposed": kr(group.proposed),
                    "remaining": kr(group.remaining) if group.remaining is not None else None,
                    "remaining_if_approved": kr(group.remaining_if_approved)
                    if group.remaining_if_approved is not None
                    else None,
                    "over_frame": group.over_frame,
                    "spent": kr(group.spent) if view.spending else None,
                    "spent_said": spent_said(group, kr) if view.spending else "",
                }
                for group in view.groups
            ],
            "table": markdown_table(portfolio, view, lines=False),
            "chart": charts.markdown_chart(view, locale),
        },
        "questions": [describe.question(q) for _key, q in snap.open_questions],
        "answered": [describe.question(q) for _key, q in plan.answered_since],
        "since": since_context(portfolio, plan.since, describe),
        "actions": {
            "open": [describe.action(k, a, plan.day) for k, a in plan.open_actions],
            "done": [describe.action(k, a, plan.day) for k, a in plan.done_actions],
        },
    }
