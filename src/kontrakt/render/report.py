"""`kontrakt report`: a Markdown status report through a Jinja template.

This module gathers what a template needs as plain data (labels resolved,
amounts and dates formatted for the locale, a Mermaid diagram of the portfolio's
weave); the template decides the order, the headings and the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kontrakt.i18n import _, ngettext, speaking
from kontrakt.models import Action, News
from kontrakt.portfolio import Portfolio
from kontrakt.render import charts, numbers
from kontrakt.render.budget import labeller, markdown_table, spent_said
from kontrakt.render.context import Describer, decision_line
from kontrakt.render.markdown import Markdown, escape_mermaid
from kontrakt.render.outcomes import outcomes_context
from kontrakt.render.output import Output
from kontrakt.render.templates import render
from kontrakt.views.asof import known_on
from kontrakt.views.budget import BudgetView, Filters, budget_view
from kontrakt.views.dates import shift
from kontrakt.views.snapshot import DecisionTaken, Snapshot, snapshot


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What every format of the report is rendered from."""

    portfolio: Portfolio
    day: date
    days: int = 60
    template: Path | None = None  # the user's own template (Markdown)
    reference: Path | None = None  # the team's own PowerPoint or Word file (--reference)
    diagram: bool = True  # the weave as a diagram (--no-diagram leaves it out)


def markdown_output(request: ReportRequest) -> Output:
    return Output(
        render_report(
            request.portfolio,
            request.day,
            days=request.days,
            template=request.template,
            diagram=request.diagram,
        )
    )


def render_report(
    portfolio: Portfolio,
    day: date,
    *,
    days: int = 60,
    template: Path | None = None,
    diagram: bool = True,
) -> str:
    with speaking(portfolio.settings.language):
        snap = snapshot(portfolio, day, days)
        context = report_context(portfolio, snap, diagram=diagram)
        return render("report.md.j2", context, template)


# The weave of more initiatives than this is a wall of boxes no one reads (and a
# picture of megabytes): the report says so instead of drawing it.
WEAVE_MOST = 150


def weave_drawn(snap: Snapshot) -> bool:
    return len(snap.initiatives) <= WEAVE_MOST


def report_context(
    portfolio: Portfolio, snap: Snapshot, *, diagram: bool = True, view: BudgetView | None = None
) -> dict[str, Any]:
    """What every format of the report says. With `diagram` the weave is drawn where
    it can be read, and `weave_note` says why not where it cannot; `view` is the
    budget by category as of the day, when the caller has it already."""
    named = portfolio  # what the day's files name, known then or not
    portfolio = known_on(portfolio, snap.day)
    settings = portfolio.settings
    locale = settings.resolved_locale()
    if view is None:
        view = budget_view(portfolio, ["category"], Filters(as_of=snap.day), labeller(portfolio))
    drawn = diagram and weave_drawn(snap)
    describe = Describer(portfolio)
    kr = describe.kr
    titles = describe.titles
    decided = decisions_by_initiative(portfolio, snap, titles)
    return {
        "name": settings.name,
        "mission": settings.mission,
        "description": settings.description,
        "day": snap.day.isoformat(),
        "month": numbers.month_name(snap.day, locale),
        "days": snap.days,
        "counts": {
            "initiatives": len(snap.initiatives),
            "by_status": [
                {
                    "label": group.label,
                    "count": len(group.initiatives),
                }
                for group in snap.groups
            ],
            "upcoming_events": len(snap.upcoming_events),
            "open_questions": len(snap.open_questions),
        },
        "budget": {
            "periods": ", ".join(str(period) for period in view.periods),
            "total": kr(view.total.total),
            "decided": kr(view.total.decided),
            "proposed": kr(view.total.proposed),
            "frames": kr(view.total.frame) if view.total.frame is not None else None,
            "spent_said": spent_said(view.total, kr) if view.spending else "",
            "over": [
                {"label": g.label, "by": kr(-(g.remaining_if_approved or 0))}
                for g in view.groups
                if g.over_frame
            ],
            "table": markdown_table(portfolio, view, lines=True),
            "chart": charts.markdown_chart(view, locale),
        },
        "groups": [
            {
                "label": group.label,
                "initiatives": initiatives,
                # Whether the group's table needs a column for partners.
                "partners": any(item["organisations"] for item in initiatives),
            }
            for group in snap.groups
            for initiatives in [
                [
                    summarised(
                        {
                            **describe.initiative(state, snap.day),
                            "decisions": decided.get(state.id, []),
                        }
                    )
                    for state in group.initiatives
                ]
            ]
        ],
        "events": {
            "upcoming": [describe.event(key, e) for key, e in snap.upcoming_events],
            "past": [describe.event(key, e) for key, e in snap.past_events],
            "undated": [describe.event(key, e) for key, e in snap.undated_events],
        },
        "questions": {
            "open": [describe.question(q) for _, q in snap.open_questions],
            "answered": [describe.question(q) for _, q in snap.answered_questions],
        },
        "outcomes": outcomes_context(portfolio),
        "actions": None
        if not portfolio.actions
        else {
            "open": [describe.action(k, a, snap.day) for k, a in snap.open_actions],
            "done": [
                describe.action(k, a, snap.day)
                for k, a in recent_done(portfolio, snap.day, snap.days)
            ],
        },
        "decisions": [
            _decision(decision, named, titles, kr, settings.gate_labels())
            for decision in snap.decisions
        ],
        "mermaid": weave(portfolio, snap) if drawn else None,
        "weave_note": None
        if drawn or not diagram
        else _(
            "The weave is drawn for at most %(most)s initiatives; "
            "the portfolio has %(count)s on %(day)s."
        )
        % {"most": WEAVE_MOST, "count": len(snap.initiatives), "day": snap.day.isoformat()},
        "news": [
            {
                "date": item.date.isoformat(),
                "title": item.title,
                "description": item.description,
                "initiatives": [titles[i] for i in item.initiatives],
                "events": [named.events[e].title for e in item.events],
            }
            for _key, item in recent_news(portfolio, snap.day, snap.days)
        ],
    }


def summarised(item: dict[str, Any]) -> dict[str, Any]:
    """An initiative for the report's compact tables: its budget in a few words for
    the table's cell, and every further fact (owner, period, budget lines in full,
    relations, milestones) as labelled text for the paragraph under the table."""
    facts: list[dict[str, Any]] = []

    def fact(label: str, text: str, *, alert: bool = False) -> None:
        facts.append({"label": label, "text": text, "alert": alert})

    if item.get("alert_moved"):
        fact(_("Alert"), item["alert_moved"], alert=item.get("alert_value") == "red")
    elif item.get("alert"):
        fact(_("Alert"), item["alert"].lower(), alert=item.get("alert_value") == "red")
    if item.get("journal"):
        fact(_("Latest journal entry"), item["journal"]["line"])
        if item["journal"]["learned"]:
            fact(_("Learned"), item["journal"]["learned"])
        if item.get("journal_stale"):  # as the status marks it
            days = item["journal_stale_days"]
            fact(
                _("Journal"),
                ngettext(
                    "nothing written for more than %(num)s day",
                    "nothing written for more than %(num)s days",
                    days,
                )
                % {"num": days},
                alert=True,
            )
    elif item.get("journal_stale"):
        fact(_("Journal"), _("none yet"), alert=True)
    if item["owner"]:
        fact(_("Owner"), item["owner"])
    if item["contact"]:
        fact(_("Contact"), item["contact"])
    if item["themes"]:
        fact(_("Themes"), ", ".join(item["themes"]))
    if item["start"] or item["end"]:
        fact(_("Period"), f"{item['start'] or '…'} – {item['end'] or '…'}")
    for line in item["budget"]:
        said = line["details"]
        if line["shared"]:
            said += ", " + _("shared with other initiatives")
        fact(_("Budget"), f"{line['title']}, {said}")
    for relation in item["relations"]:
        text = ("← " if relation["incoming"] else "→ ") + relation["title"]
        if relation["type"]:
            text += f" ({relation['type'].lower()})"
        if relation["note"]:
            text += f": {relation['note']}"
        fact(_("Relation"), text)
    for milestone in item["milestones"]:
        text = milestone["title"]
        if milestone["done"]:
            text += f" ({_('done')})"
        elif milestone["overdue"]:
            text += f" ({_('overdue')})"
        fact(_("Milestone %(day)s") % {"day": milestone["date"]}, text, alert=milestone["overdue"])
    for decision in item.get("decisions", []):
        fact(_("Decision"), decision)
    return {
        **item,
        "budget_summary": "; ".join(
            f"{line['amount']}, {line['state']}" for line in item["budget"]
        ),
        "facts": facts,
        "detailed": bool(facts or item["notes"] or item["description"]),
        # The paragraph under the table: `**Title.** Budget: …. Relation: ….`
        "lead": sentence(item["title"]),
        "sentences": [
            {"text": sentence(f"{f['label']}: {f['text']}"), "alert": f["alert"]} for f in facts
        ]
        + [{"text": sentence(note), "alert": False} for note in item["notes"]],
    }


def sentence(text: str) -> str:
    """`text` ended as a sentence: a full stop unless it ends in one already (or in ?, !)."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "?", "!", "…")) else f"{stripped}."


def _node(prefix: str, key: str) -> str:
    """A Mermaid node name from an id: ids are `[a-z0-9-]`, Mermaid names want no `-`."""
    return f"{prefix}_{key.replace('-', '_')}"


def weave(portfolio: Portfolio, snap: Snapshot) -> Markdown:
    """A Mermaid flowchart: initiatives by status, their typed relations, and the
    shared budget lines and events that tie several of them together."""
    relations = portfolio.settings.vocabularies.relations
    lines = ["flowchart LR"]
    for index, group in enumerate(snap.groups):
        label = escape_mermaid(group.label)
        lines.append(f'  subgraph s{index}["{label}"]')
        for state in group.initiatives:
            title = escape_mermaid(state.initiative.title)
            lines.append(f'    {_node("i", state.id)}["{title}"]')
        lines.append("  end")
    for key, initiative in portfolio.initiatives.items():
        for relation in initiative.related:
            arrow = f"{_node('i', key)} -->"
            if relation.type:
                arrow += f'|"{escape_mermaid(relations.get(relation.type, relation.type))}"|'
            lines.append(f"  {arrow} {_node('i', relation.initiative)}")
    for key, line in portfolio.budget.items():
        if len(line.initiatives) > 1:
            amount = numbers.kronor(line.amount, portfolio.settings.resolved_locale())
            lines.append(
                f'  {_node("b", key)}[/"{escape_mermaid(line.title)} {escape_mermaid(amount)}"/]'
            )
            lines.extend(
                f"  {_node('b', key)} -.- {_node('i', funded.initiative)}"
                for funded in line.initiatives
            )
    for key, event in portfolio.events.items():
        if event.initiatives:
            when = f" {event.date.isoformat()}" if event.date else ""
            lines.append(f'  {_node("e", key)}(["{escape_mermaid(event.title + when)}"])')
            lines.extend(
                f"  {_node('e', key)} --- {_node('i', initiative)}"
                for initiative in event.initiatives
            )
    return Markdown("\n".join(lines))


def recent_done(portfolio: Portfolio, day: date, days: int) -> list[tuple[str, Action]]:
    """The actions done in the `days` up to and including `day`, newest first."""
    first = shift(day, -days)
    found = [
        (k, a) for k, a in portfolio.actions.items() if a.done is not None and first < a.done <= day
    ]
    return sorted(found, key=lambda pair: (pair[1].done, pair[0]), reverse=True)


def recent_news(portfolio: Portfolio, day: date, days: int) -> list[tuple[str, News]]:
    """The news of the `days` up to and including `day`, newest first."""
    first = shift(day, -days)
    found = [(k, n) for k, n in portfolio.news.items() if first < n.date <= day]
    return sorted(found, key=lambda pair: (pair[1].date, pair[0]), reverse=True)


def decisions_by_initiative(
    portfolio: Portfolio, snap: Snapshot, titles: dict[str, str]
) -> dict[str, list[str]]:
    """Each initiative's decisions as one line each, oldest first: those that name it
    and those that decide a budget line funding it (one pass over the decisions)."""
    gates = portfolio.settings.gate_labels()
    funded = {
        key: [i.initiative for i in line.initiatives] for key, line in portfolio.budget.items()
    }
    found: dict[str, list[str]] = {}
    for decision in snap.decisions:
        named = dict.fromkeys(decision.initiatives)
        for line_id in decision.budget:
            named.update(dict.fromkeys(funded.get(line_id, ())))
        lines = [portfolio.budget[b].title for b in decision.budget if b in portfolio.budget]
        for key in named:
            found.setdefault(key, []).append(
                decision_line(
                    decision.text if decision.meeting else None,
                    day=decision.day.isoformat() if decision.day else None,
                    budget=lines,
                    gate=gates[decision.gate] if decision.gate else None,
                )
            )
    return found


def _decision(
    decision: DecisionTaken, named: Portfolio, titles: dict[str, str], kr: Any, gates: Any
) -> dict[str, Any]:
    budget = [
        f"{named.budget[line].title} ({kr(named.budget[line].amount)})" for line in decision.budget
    ]
    initiatives = [titles[i] for i in decision.initiatives]
    day = decision.day.isoformat() if decision.day else None
    gate = gates[decision.gate] if decision.gate else None
    return {
        "day": day,
        "text": decision.text,
        "source": "meeting" if decision.meeting else "budget",
        "budget": budget,
        "initiatives": initiatives,
        "gate": gate,
        "what": decision_line(
            decision.text if decision.meeting else None,
            budget=budget,
            initiatives=initiatives,
            gate=gate,
        ),
        "line": decision_line(
            decision.text if decision.meeting else None,
            day=day,
            budget=budget,
            initiatives=initiatives,
            gate=gate,
        ),
    }
