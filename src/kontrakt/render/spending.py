"""Spending over time (`kontrakt budget --by month|quarter`) in every format of the
budget: one row per month or quarter with the entries under it, then the total,
whose Spent is the budget's (docs/budget.md, "Spending over time")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kontrakt.i18n import N_, _, in_portfolio_language
from kontrakt.labels import COLUMNS
from kontrakt.render import amounts, numbers
from kontrakt.render.output import Output
from kontrakt.render.safe import to_json
from kontrakt.views.spending import SpendingView

if TYPE_CHECKING:
    from kontrakt.portfolio import Portfolio

SPAN = {"month": N_("Month"), "quarter": N_("Quarter")}
TO_DATE = N_("Spent to date")


@in_portfolio_language
def table(portfolio: Portfolio, view: SpendingView, *, lines: bool = True) -> amounts.AmountTable:
    periods = ", ".join(str(period) for period in view.periods)
    title = _("Spending {periods}").format(periods=periods).rstrip()
    title += f" – {portfolio.settings.mission}"
    if view.filters.as_of is not None:
        title += " " + _("(as of {day})").format(day=view.filters.as_of.isoformat())
    shown = amounts.AmountTable(
        title,
        _(SPAN[view.by]),
        (_(COLUMNS["spent"]), _(TO_DATE), _(COLUMNS["unspent"])),
    )
    for span in view.spans:
        values = (span.spent, span.to_date, view.decided - span.to_date)
        shown.rows.append(amounts.AmountRow("group", 0, span.key, values))
        if not lines:
            continue
        for entry in span.entries:
            said = ", ".join(part for part in (entry.voucher, entry.note) if part)
            tail = f" ({said})" if said else ""
            label = f"{entry.day.isoformat()} {entry.title}"
            shown.rows.append(amounts.AmountRow("line", 1, label, (entry.amount, None, None), tail))
    total = (view.spent, view.spent, view.unspent)
    shown.rows.append(amounts.AmountRow("total", 0, _(COLUMNS["total"]), total))
    shown.notes.append(
        _("{unspent}: what the decided lines ({decided}) leave after what was spent.").format(
            unspent=_(COLUMNS["unspent"]),
            decided=numbers.kronor(view.decided, portfolio.settings.resolved_locale()),
        )
    )
    return shown


def as_json(view: SpendingView) -> str:
    filters = view.filters
    document: dict[str, Any] = {
        "unit": "SEK",
        "group_by": [view.by],
        "periods": list(view.periods),
        "filters": {
            "periods": list(filters.periods),
            "decided": filters.decided,
            "as_of": filters.as_of.isoformat() if filters.as_of else None,
        },
        "spans": [
            {
                "key": span.key,
                "spent": span.spent,
                "spent_to_date": span.to_date,
                "entries": [
                    {
                        "date": entry.day.isoformat(),
                        "line": entry.line,
                        "title": entry.title,
                        "amount": entry.amount,
                        "note": entry.note,
                        "voucher": entry.voucher,
                    }
                    for entry in span.entries
                ],
            }
            for span in view.spans
        ],
        "total": {"decided": view.decided, "spent": view.spent, "unspent": view.unspent},
    }
    return to_json(document)


@dataclass(frozen=True, slots=True)
class SpendingRequest:
    portfolio: Portfolio
    view: SpendingView
    lines: bool = True
    width: int = 80


def _locale(request: SpendingRequest) -> str:
    return request.portfolio.settings.resolved_locale()


def table_output(request: SpendingRequest) -> Output:
    shown = table(request.portfolio, request.view, lines=request.lines)
    return Output(renderable=amounts.as_grid(shown, _locale(request), request.width), wrap=False)


def markdown_output(request: SpendingRequest) -> Output:
    shown = table(request.portfolio, request.view, lines=request.lines)
    return Output(text=amounts.as_markdown(shown, _locale(request)))


@in_portfolio_language
def _csv(portfolio: Portfolio, view: SpendingView, lines: bool) -> str:
    shown = table(portfolio, view, lines=lines)
    places = [_(SPAN[view.by]), *([_("Budget line")] if lines else [])]
    return amounts.as_csv(shown, portfolio.settings.resolved_locale(), places)


def csv_output(request: SpendingRequest) -> Output:
    return Output(text=_csv(request.portfolio, request.view, request.lines))


def json_output(request: SpendingRequest) -> Output:
    return Output(text=as_json(request.view) + "\n")


def xlsx_output(request: SpendingRequest) -> Output:
    from kontrakt.render.workbook import tables_workbook

    portfolio, view = request.portfolio, request.view
    shown = table(portfolio, view, lines=request.lines)
    return Output(
        data=tables_workbook(
            portfolio, shown.title, [(shown.first_header, shown)], view.filters.as_of
        )
    )
