"""Plain data for templates: labels resolved, amounts and dates formatted.

Shared by the report and the agenda, so both describe an initiative, a budget
line, an event and a question the same way. A `Describer` looks things up once
per portfolio (titles, who relates to whom), so describing every initiative of a
large portfolio stays linear.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from kontrakt.allocation import decided_day, is_decided, meeting_days, spent_on
from kontrakt.i18n import _
from kontrakt.models import Action, Event, Question
from kontrakt.models.common import Alert
from kontrakt.models.initiative import JournalEntry, Milestone, Relation
from kontrakt.portfolio import Portfolio
from kontrakt.render import numbers
from kontrakt.render.markdown import Markdown
from kontrakt.views.snapshot import InitiativeState

if TYPE_CHECKING:
    from kontrakt.views.agenda import Since


class Titles(dict[str, str]):
    """Initiative titles by id; an id not known on the day shows as itself."""

    def __missing__(self, key: str) -> str:
        return key


class Describer:
    """Describes a portfolio's entities for templates, in its language and locale."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.portfolio = portfolio
        settings = portfolio.settings
        self.locale = settings.resolved_locale()
        self.vocabularies = settings.vocabularies
        self.statuses = settings.status_labels()
        self.alerts = settings.alert_labels()
        self.titles = Titles({key: item.title for key, item in portfolio.initiatives.items()})
        self.by_meeting = meeting_days(portfolio)  # lines a meeting decided, and when
        self.incoming: dict[str, list[tuple[str, Relation]]] = {}
        for key, initiative in portfolio.initiatives.items():
            for relation in initiative.related:
                self.incoming.setdefault(relation.initiative, []).append((key, relation))

    def kr(self, value: int) -> Markdown:
        return Markdown(numbers.kronor(value, self.locale))

    def _relation(self, title: str, relation: Relation, incoming: bool) -> dict[str, Any]:
        relations = self.vocabularies.relations
        return {
            "title": title,
            "type": relations.get(relation.type, relation.type) if relation.type else None,
            "note": relation.note,
            "incoming": incoming,
        }

    def initiative(self, state: InitiativeState, day: date) -> dict[str, Any]:
        initiative = state.initiative
        vocabularies = self.vocabularies
        organisations = self.portfolio.settings.organisations
        relations = [
            self._relation(self.titles[relation.initiative], relation, False)
            for relation in initiative.related
        ]
        incoming = self.incoming.get(state.id)
        if incoming:
            relations += [
                self._relation(self.titles[other], relation, True) for other, relation in incoming
            ]
        return {
            "id": state.id,
            "title": initiative.title,
            "status": self.statuses[state.status] if state.status else None,
            "kind": vocabularies.kinds.get(initiative.kind, initiative.kind)
            if initiative.kind
            else None,
            "description": initiative.description,
            "owner": initiative.owner,
            "contact": initiative.contact,
            "organisations": [organisations[o] for o in initiative.organisations],
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
                for milestone in sorted(initiative.milestones, key=_by_date)
            ]
            if initiative.milestones
            else [],
            "budget": [self.line(line_id, day) for line_id in state.budget],
            "relations": relations,
            **self.journal(state),
        }

    def journal(self, state: InitiativeState) -> dict[str, Any]:
        """What the journal says: the alert in force as a word, how it moved from the
        one before (`gul → röd`), the latest progress and the latest entry."""
        alerts = self.alerts
        latest = state.latest
        moved = None
        if state.alert and state.previous_alert and state.previous_alert != state.alert:
            moved = f"{alerts[state.previous_alert].lower()} → {alerts[state.alert].lower()}"
        return {
            "alert": alerts[state.alert] if state.alert else None,
            "alert_value": state.alert.value if state.alert else None,
            "alert_moved": moved,
            "progress": state.progress,
            "journal": None
            if latest is None
            else {
                "date": latest.date.isoformat(),
                "text": latest.text,
                "learned": latest.learned,
                "line": journal_line(latest, alerts),
            },
            "journal_stale": state.stale,
            "journal_stale_days": self.portfolio.settings.journal_stale_days,
        }

    def line(self, line_id: str, day: date) -> dict[str, Any]:
        """A budget line as it stood on `day`: a decision taken later is not yet taken."""
        vocabularies = self.vocabularies
        line = self.portfolio.budget[line_id]
        by_meeting = self.by_meeting.get(line_id)
        decided = is_decided(line, day, by_meeting)
        decided_on = decided_day(line, by_meeting)[1] if decided else None
        parts = [
            {
                "amount": self.kr(part.amount),
                "label": vocabularies.categories.get(part.category or "", "")
                or vocabularies.purposes.get(part.purpose or "", part.purpose or ""),
            }
            for part in line.parts
        ]
        category = (
            vocabularies.categories.get(line.category, line.category) if line.category else None
        )
        purpose = vocabularies.purposes.get(line.purpose, line.purpose) if line.purpose else None
        about = [category.lower()] if category else []
        about += [
            _("of which %(amount)s %(label)s")
            % {"amount": part["amount"], "label": part["label"].lower()}
            for part in parts
        ]
        if purpose:
            about.append(purpose.lower())
        if decided:
            state = (
                _("decided %(day)s") % {"day": decided_on.isoformat()}
                if decided_on
                else _("decided")
            )
        else:
            state = _("proposed")
        spent = spent_on(line, day)
        return {
            "title": line.title,
            # `, utfall 97 000 kr`: what was spent on the line by the day, if anything
            "spent_said": ", " + _("spent %(amount)s") % {"amount": self.kr(spent)}
            if spent
            else "",
            # `ordinarie budget, varav 100 000 kr pilotbudget`, and with the amount first
            "about": ", ".join(about),
            "details": ", ".join([str(self.kr(line.amount)), *about]),
            "state": state,  # `föreslagen`, `beslutad 2024-02-12`
            "amount": self.kr(line.amount),
            "category": category,
            "purpose": purpose,
            "decided": decided,
            "decided_on": decided_on.isoformat() if decided_on else None,
            "shared": len(line.initiatives) > 1,
            "parts": parts,
        }

    def event(self, key: str, event: Event) -> dict[str, Any]:
        series = event.series
        return {
            "id": key,
            "title": event.title,
            "kind": self.vocabularies.event_kinds.get(event.kind, event.kind),
            "date": event.date.isoformat() if event.date else None,
            "end_date": event.end_date.isoformat() if event.end_date else None,
            "when": event.when,
            "start": event.start,
            "end": event.end,
            "place": event.place,
            "theme": event.theme,
            "series": None
            if series is None
            else {"name": series.name, "number": series.number, "count": series.count},
            "contact": event.contact,
            "initiatives": [self.titles[i] for i in event.initiatives],
        }

    def action(self, key: str, action: Action, day: date) -> dict[str, Any]:
        """An action as of `day`: its owner as the organisation's name where it is
        one, whether it is overdue (as a word, never a colour alone), and one line
        for lists, the same in every format."""
        organisations = self.portfolio.settings.organisations
        owner = organisations.get(action.owner, action.owner) if action.owner else None
        overdue = action.overdue(day)
        done = action.done is not None and action.done <= day
        details = [owner] if owner else []
        if done:
            assert action.done is not None
            details.append(_("done %(day)s") % {"day": action.done.isoformat()})
        elif action.due is not None:
            details.append(_("due %(day)s") % {"day": action.due.isoformat()})
        initiatives = [self.titles[i] for i in action.initiatives]
        if initiatives:
            details.append(_("concerns %(initiatives)s") % {"initiatives": ", ".join(initiatives)})
        line = action.title + (f" ({'; '.join(details)})" if details else "")
        if overdue:
            line += " ⚠ " + _("overdue")
        return {
            "id": key,
            "title": action.title,
            "owner": owner,
            "due": action.due.isoformat() if action.due else None,
            "done": action.done.isoformat() if done and action.done else None,
            "overdue": overdue,
            "from_meeting": action.from_meeting,
            "from_question": action.from_question,
            "initiatives": initiatives,
            "note": action.note,
            "opened": action.opened.isoformat() if action.opened else None,
            "line": line,
        }

    def question(self, question: Question) -> dict[str, Any]:
        return {
            "title": question.title,
            "points": question.points,
            "to": question.to,
            "initiatives": [self.titles[i] for i in question.initiatives],
            "raised": question.raised.isoformat(),
            "answer": question.answer,
            "answered": question.answered.isoformat() if question.answered else None,
        }


def journal_line(entry: JournalEntry, alerts: Mapping[Alert, str]) -> str:
    """A journal entry as one line: its day, its text, and in parentheses its alert
    (as a word) and progress: `2024-03-10: KPR möts först i april (gul, 30 % klart)`."""
    details = [alerts[entry.alert].lower()] if entry.alert else []
    if entry.progress is not None:
        details.append(_("%(progress)s %% done") % {"progress": entry.progress})
    said = entry.text or _("Journal entry")
    if details:
        said += f" ({', '.join(details)})"
    return f"{entry.date.isoformat()}: {said}"


def since_context(
    portfolio: Portfolio, since: list[Since], describe: Describer
) -> list[dict[str, Any]]:
    """What happened to each initiative since the last meeting, as lines the same in
    every format, oldest first: `{"title", "entries": [{"date", "line", "notes"}]}`."""
    settings = portfolio.settings
    alerts, gates, statuses = (
        settings.alert_labels(),
        settings.gate_labels(),
        settings.status_labels(),
    )
    titles = describe.titles
    found: list[dict[str, Any]] = []
    for item in since:
        entries: list[tuple[date, int, str, list[str]]] = []
        for entry in item.journal:
            notes = (
                [_("Learned: %(learned)s") % {"learned": entry.learned}] if entry.learned else []
            )
            entries.append((entry.date, 0, journal_line(entry, alerts), notes))
        for move in item.moves:
            if move.before is None:
                said = _("Status %(after)s") % {"after": statuses[move.after]}
            else:
                said = _("Status %(before)s → %(after)s") % {
                    "before": statuses[move.before],
                    "after": statuses[move.after],
                }
            if move.note:
                said += f" ({move.note})"
            entries.append((move.day, 1, f"{move.day.isoformat()}: {said}", []))
        for decision in item.decisions:
            assert decision.day is not None
            lines = [portfolio.budget[b].title for b in decision.budget if b in portfolio.budget]
            line = decision_line(
                decision.text if decision.meeting else None,
                budget=lines,
                initiatives=[titles[i] for i in decision.initiatives if i != item.id],
                gate=gates[decision.gate] if decision.gate else None,
            )
            said = _("Decision: %(line)s") % {"line": line}
            entries.append((decision.day, 2, f"{decision.day.isoformat()}: {said}", []))
        for _key, question in item.answers:
            assert question.answered is not None
            said = _("Answer to “%(question)s”: %(answer)s") % {
                "question": question.title,
                "answer": question.answer,
            }
            entries.append((question.answered, 3, f"{question.answered.isoformat()}: {said}", []))
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        found.append(
            {
                "id": item.id,
                "title": titles[item.id],
                "entries": [
                    {"date": day.isoformat(), "line": line, "notes": notes}
                    for day, _rank, line, notes in entries
                ],
            }
        )
    return found


def _by_date(milestone: Milestone) -> date:
    return milestone.date


def decision_line(
    text: str | None,
    *,
    day: str | None = None,
    budget: list[str] | tuple[str, ...] = (),
    initiatives: list[str] | tuple[str, ...] = (),
    gate: str | None = None,
) -> str:
    """A decision as one line of plain text, the same in every format: its day, what
    was decided, and in parentheses its gate (a label), the budget lines and
    initiatives it concerns (no dashes, which titles use themselves). Without
    `text`, the budget lines are what was decided."""
    from kontrakt.i18n import _

    details = [_("gate: %(gate)s") % {"gate": gate.lower()}] if gate else []
    if text is None:
        said = _("Budget line %(lines)s is decided") % {"lines": ", ".join(budget)}
    else:
        said = text
        if budget:
            details.append(_("budget: %(lines)s") % {"lines": ", ".join(budget)})
    if initiatives:
        details.append(_("concerns %(initiatives)s") % {"initiatives": ", ".join(initiatives)})
    line = f"{said} ({'; '.join(details)})" if details else said
    return f"{day}: {line}" if day else line
