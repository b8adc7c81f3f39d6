"""`kontrakt decisions`: the decisions log as a table, Markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from kontrakt.i18n import _, speaking
from kontrakt.portfolio import Portfolio
from kontrakt.render import numbers
from kontrakt.render.budget import BOM, as_csv_cell
from kontrakt.render.context import Titles, decision_line
from kontrakt.render.markdown import escape_inline
from kontrakt.render.output import Output
from kontrakt.render.safe import fold, to_json
from kontrakt.views.decisions import decision_log
from kontrakt.views.snapshot import DecisionTaken


@dataclass(frozen=True, slots=True)
class DecisionsRequest:
    portfolio: Portfolio
    day: date
    initiative: str | None = None


def rows(request: DecisionsRequest) -> list[dict[str, Any]]:
    """Each decision as plain data, in the portfolio's language: its day, what was
    decided, its gate's label, the meeting, the budget lines and initiatives."""
    portfolio = request.portfolio
    settings = portfolio.settings
    with speaking(settings.language):
        # Made once for the whole log (per decision, it grew as decisions times initiatives).
        titles = Titles({key: item.title for key, item in portfolio.initiatives.items()})
        gates = settings.gate_labels()
        return [
            decision_row(portfolio, decision, gates, titles)
            for decision in decision_log(portfolio, request.day, request.initiative)
        ]


def decision_row(
    portfolio: Portfolio, decision: DecisionTaken, gates: dict[Any, str], titles: Titles
) -> dict[str, Any]:
    lines = [portfolio.budget[b].title if b in portfolio.budget else b for b in decision.budget]
    named = [titles[i] for i in decision.initiatives]
    meeting = portfolio.meetings.get(decision.meeting) if decision.meeting else None
    kinds = portfolio.settings.vocabularies.meeting_kinds
    return {
        "date": decision.day.isoformat() if decision.day else None,
        "text": decision.text if decision.meeting else None,
        "gate": decision.gate.value if decision.gate else None,
        "gate_label": gates[decision.gate] if decision.gate else None,
        "meeting": decision.meeting,
        "meeting_title": meeting.heading(kinds) if meeting else None,
        "budget": list(decision.budget),
        "budget_titles": lines,
        "initiatives": list(decision.initiatives),
        "initiative_titles": named,
        "line": decision_line(
            decision.text if decision.meeting else None, budget=lines, initiatives=named
        ),
    }


def _columns() -> list[str]:
    return [_("Date"), _("Decision"), _("Gate"), _("Meeting")]


def _cells(row: dict[str, Any]) -> list[str]:
    return [
        row["date"] or _("undated"),
        row["line"],
        row["gate_label"] or "",
        row["meeting_title"] or _("budget line"),
    ]


def table_output(request: DecisionsRequest) -> Output:
    from rich.table import Table

    listed = rows(request)
    with speaking(request.portfolio.settings.language):
        if not listed:
            return Output(text=_("No decisions yet.") + "\n")
        table = Table(box=None, show_edge=False, pad_edge=False)
        for index, column in enumerate(_columns()):
            table.add_column(column, no_wrap=index != 1, overflow="fold")
        for row in listed:
            table.add_row(*(fold(cell) for cell in _cells(row)))
        return Output(renderable=table)


def markdown_output(request: DecisionsRequest) -> Output:
    listed = rows(request)
    portfolio = request.portfolio
    with speaking(portfolio.settings.language):
        heading = _("Decisions as of %(day)s") % {"day": request.day.isoformat()}
        text = f"# {escape_inline(heading)}\n\n"
        if not listed:
            return Output(text=text + _("No decisions yet.") + "\n")
        text += "| " + " | ".join(_columns()) + " |\n"
        text += "| --- | --- | --- | --- |\n"
        for row in listed:
            text += "| " + " | ".join(escape_inline(cell) for cell in _cells(row)) + " |\n"
        return Output(text=text)


def json_output(request: DecisionsRequest) -> Output:
    listed = [{k: v for k, v in row.items() if k != "line"} for row in rows(request)]
    return Output(text=to_json(listed) + "\n")


def csv_output(request: DecisionsRequest) -> Output:
    portfolio = request.portfolio
    locale = portfolio.settings.resolved_locale()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=numbers.csv_delimiter(locale), lineterminator="\n")
    with speaking(portfolio.settings.language):
        writer.writerow(_columns())
        for row in rows(request):
            writer.writerow([as_csv_cell(cell) for cell in _cells(row)])
    return Output(text=BOM + buffer.getvalue())
