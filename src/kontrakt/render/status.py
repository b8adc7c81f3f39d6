"""`kontrakt status`: the portfolio on one screen, and the same as JSON.

The screen is built from rich renderables that fit 80 columns: titles are
shortened with … where they must be, amounts never. Without a terminal, or with
NO_COLOR, the CLI prints it as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kontrakt.i18n import _, ngettext, speaking
from kontrakt.labels import COLUMNS
from kontrakt.render import numbers
from kontrakt.render.output import Output
from kontrakt.render.safe import fold, to_json
from kontrakt.views.budget import BudgetView
from kontrakt.views.snapshot import InitiativeState, Snapshot

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Group

    from kontrakt.load import LoadResult
    from kontrakt.portfolio import Portfolio


@dataclass(frozen=True, slots=True)
class CheckCounts:
    errors: int
    warnings: int
    files: int


SCREEN_ROWS_PER_STATUS = 12


def as_renderable(
    portfolio: Portfolio,
    snap: Snapshot,
    budget: BudgetView | None,
    counts: CheckCounts,
    *,
    limit: int | None = SCREEN_ROWS_PER_STATUS,
) -> Group:
    """One screen, in the portfolio's language: at most `limit` initiatives per status
    (None: all of them)."""
    with speaking(portfolio.settings.language):
        return _screen(portfolio, snap, budget, counts, limit)


def _screen(
    portfolio: Portfolio,
    snap: Snapshot,
    budget: BudgetView | None,
    counts: CheckCounts,
    limit: int | None,
) -> Group:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    settings = portfolio.settings
    locale = settings.resolved_locale()
    kinds = settings.vocabularies.kinds
    parts: list[Any] = [
        Text(fold(f"{settings.name} – {settings.mission}"), style="bold"),
        Text(_("Status as of {day}").format(day=snap.day.isoformat()), style="dim"),
    ]
    states = snap.initiatives
    with_owner = any(state.initiative.owner for state in states)
    with_milestone = any(state.next_milestone for state in states)
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True, overflow="ellipsis", style="cyan", max_width=20)
    if with_owner:
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    if with_milestone:
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
    for group in snap.groups:
        label = group.label
        table.add_row("")
        table.add_row(Text(f"{fold(label)} ({len(group.initiatives)})", style="bold"))
        shown = group.initiatives if limit is None else group.initiatives[:limit]
        for state in shown:
            initiative = state.initiative
            kind = kinds.get(initiative.kind, initiative.kind) if initiative.kind else ""
            # Text, never str: rich would read [brackets] in a title as markup.
            row: list[Any] = [Text("  " + fold(initiative.title)), Text(fold(kind))]
            if with_owner:
                row.append(Text(fold(initiative.owner or "")))
            if with_milestone:
                row.append(_milestone(state))
            table.add_row(*row)
        if len(shown) < len(group.initiatives):
            more = _more(len(group.initiatives) - len(shown))
            table.add_row(Text("  " + more, style="dim"))
    parts.append(table)
    parts.append(Text(""))
    if budget is None:
        parts.append(Text(_("Budget not shown: the portfolio has errors."), style="yellow"))
    else:
        parts.append(_budget_table(budget, locale))
    upcoming = ngettext(
        "Upcoming events (next {days} day)", "Upcoming events (next {days} days)", snap.days
    )
    parts.append(Text("\n" + upcoming.format(days=snap.days), style="bold"))
    if snap.upcoming_events:
        events = Table.grid(padding=(0, 1), expand=True)
        events.add_column(no_wrap=True)
        events.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        listed = snap.upcoming_events if limit is None else snap.upcoming_events[:limit]
        for _key, event in listed:
            events.add_row(Text("  " + event.when), Text(fold(event.title)))
            place = event.place
            if place:
                events.add_row("", Text(fold(place), style="dim"))
        if len(listed) < len(snap.upcoming_events):
            more = _more(len(snap.upcoming_events) - len(listed))
            events.add_row(Text("  " + more, style="dim"), "")
        parts.append(events)
    else:
        nothing = ngettext(
            "No events in the next {days} day.", "No events in the next {days} days.", snap.days
        )
        parts.append(Text("  " + nothing.format(days=snap.days), style="dim"))
    questions_heading = _("Open questions ({count})").format(count=len(snap.open_questions))
    parts.append(Text("\n" + questions_heading, style="bold"))
    if snap.open_questions:
        questions = Table.grid(padding=(0, 1), expand=True)
        questions.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        questions.add_column(no_wrap=True, style="dim")
        asked = snap.open_questions if limit is None else snap.open_questions[:limit]
        for _key, question in asked:
            about = ", ".join(portfolio.initiatives[i].title for i in question.initiatives)
            text = "  " + fold(question.title)
            if question.to:
                text += " " + _("(to {to})").format(to=fold(question.to))
            if about:
                text += f" – {fold(about)}"
            questions.add_row(Text(text), _("raised {day}").format(day=question.raised))
        if len(asked) < len(snap.open_questions):
            more = _more(len(snap.open_questions) - len(asked))
            questions.add_row(Text("  " + more, style="dim"), "")
        parts.append(questions)
    else:
        parts.append(Text("  " + _("No open questions."), style="dim"))
    errors = ngettext("{count} error", "{count} errors", counts.errors)
    warnings = ngettext("{count} warning", "{count} warnings", counts.warnings)
    summary = _("Check: {errors}, {warnings}").format(
        errors=errors.format(count=counts.errors), warnings=warnings.format(count=counts.warnings)
    )
    style = "red" if counts.errors else ("yellow" if counts.warnings else "green")
    line = Text(f"\n{summary}", style=style)
    if counts.errors or counts.warnings:
        line.append(" · " + _("show them with: {command}").format(command="kontrakt check"))
    parts.append(line)
    return Group(*parts)


def _more(count: int) -> str:
    return _("… and {count} more (--all shows all)").format(count=count)


def _milestone(state: InitiativeState) -> Any:
    from rich.text import Text

    milestone = state.next_milestone
    if milestone is None:
        return ""
    text = f"{milestone.date} {fold(milestone.title)}"
    if state.overdue:
        return Text(_("overdue: {milestone}").format(milestone=text), style="bold red")
    return Text(text)


def _budget_table(view: BudgetView, locale: str) -> Any:
    from rich.table import Table
    from rich.text import Text

    from kontrakt.render.budget import budget_title

    table = Table(
        title=budget_title(view),
        title_justify="left",
        title_style="bold",
        box=None,
        pad_edge=False,
        show_edge=False,
        padding=(0, 1),
        expand=False,
    )
    table.add_column("", no_wrap=True, overflow="ellipsis", max_width=24)
    for column in ("frame", "decided", "proposed", "remaining_if_approved"):
        table.add_column(_(COLUMNS[column]), justify="right", no_wrap=True)
    for group in [*view.groups, view.total]:
        cells = [
            group.frame,
            group.decided,
            group.proposed,
            group.remaining_if_approved,
        ]
        style = "bold" if group is view.total else ""
        texts = [Text("  " + fold(group.label), style=style)]
        for index, value in enumerate(cells):
            red = index == 3 and value is not None and value < 0
            shown = "–" if value is None else numbers.amount(value, locale)
            texts.append(Text(shown, style="bold red" if red else style))
        table.add_row(*texts)
    return table


def as_json(
    portfolio: Portfolio, snap: Snapshot, budget: BudgetView | None, counts: CheckCounts
) -> str:
    """The status as documented in docs/status-and-report.md."""
    settings = portfolio.settings
    kinds = settings.vocabularies.kinds
    document = {
        "portfolio": {
            "name": settings.name,
            "mission": settings.mission,
            "language": settings.language,
        },
        "as_of": snap.day.isoformat(),
        "initiatives": [
            {
                "status": group.status.value if group.status else None,
                "label": group.label if group.status else None,
                "initiatives": [
                    {
                        "id": state.id,
                        "title": state.initiative.title,
                        "kind": state.initiative.kind,
                        "kind_label": kinds.get(state.initiative.kind)
                        if state.initiative.kind
                        else None,
                        "owner": state.initiative.owner,
                        "next_milestone": None
                        if state.next_milestone is None
                        else {
                            "date": state.next_milestone.date.isoformat(),
                            "title": state.next_milestone.title,
                            "overdue": state.overdue,
                        },
                    }
                    for state in group.initiatives
                ],
            }
            for group in snap.groups
        ],
        "budget": None
        if budget is None
        else [
            {
                "category": group.key,
                "label": group.label,
                "frame": group.frame,
                "decided": group.decided,
                "proposed": group.proposed,
                "remaining": group.remaining,
                "remaining_if_approved": group.remaining_if_approved,
                "over_frame": group.over_frame,
            }
            for group in budget.groups
        ],
        "events": {
            "days": snap.days,
            "upcoming": [
                {
                    "id": key,
                    "title": event.title,
                    "kind": event.kind,
                    "date": event.date.isoformat() if event.date else None,
                    "start": event.start,
                    "end": event.end,
                    "venue": event.venue,
                    "city": event.city,
                }
                for key, event in snap.upcoming_events
            ],
        },
        "open_questions": [
            {
                "id": key,
                "title": question.title,
                "points": question.points,
                "to": question.to,
                "initiatives": question.initiatives,
                "raised": question.raised.isoformat(),
            }
            for key, question in snap.open_questions
        ],
        "check": {
            "errors": counts.errors,
            "warnings": counts.warnings,
            "files": counts.files,
            "command": "kontrakt check",
        },
    }
    return to_json(document)


# --- the formats of `kontrakt status` (render/formats.py names them) ----------------


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """The portfolio as of a day, its budget (None when it has errors), what check found."""

    portfolio: Portfolio
    snap: Snapshot
    budget: BudgetView | None
    counts: CheckCounts
    limit: int | None = SCREEN_ROWS_PER_STATUS  # initiatives per status; None: all


def status_request(
    result: LoadResult, portfolio: Portfolio, day: date, days: int, *, everything: bool = False
) -> StatusRequest:
    """The status as of `day`: the snapshot, the budget by category (only without
    errors: views are never computed on errors), and what check found."""
    from kontrakt.diagnostics import Severity, count
    from kontrakt.render.budget import labeller
    from kontrakt.views.budget import Filters, budget_view
    from kontrakt.views.snapshot import snapshot

    view = None
    if not result.has_errors:
        view = budget_view(portfolio, ["category"], Filters(as_of=day), labeller(portfolio))
    counts = CheckCounts(
        count(result.diagnostics, Severity.ERROR),
        count(result.diagnostics, Severity.WARNING),
        result.files,
    )
    limit = None if everything else SCREEN_ROWS_PER_STATUS
    return StatusRequest(portfolio, snapshot(portfolio, day, days), view, counts, limit)


def text_output(request: StatusRequest) -> Output:
    screen = as_renderable(
        request.portfolio, request.snap, request.budget, request.counts, limit=request.limit
    )
    return Output(renderable=screen)


def json_output(request: StatusRequest) -> Output:
    document = as_json(request.portfolio, request.snap, request.budget, request.counts)
    return Output(text=document + "\n")
