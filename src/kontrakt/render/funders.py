"""Who pays (`kontrakt budget --by funder`) as a terminal table, Markdown, CSV,
JSON and a workbook: one row per funder with the lines it pays under it, then
the total, which is the budget's total (docs/budget.md, "Who pays")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kontrakt.funders import FunderKey
from kontrakt.i18n import N_, _, in_portfolio_language, speaking
from kontrakt.labels import COLUMNS
from kontrakt.render import amounts, numbers
from kontrakt.render.output import Output
from kontrakt.render.safe import to_json
from kontrakt.views.funders import FunderLine, FunderRow, FundersView

if TYPE_CHECKING:
    from kontrakt.portfolio import Portfolio

FUNDER = N_("Funder")
UNASSIGNED = N_("Unassigned")
HOURS = N_("Hours in kind")
FUNDERS_SHEET = N_("Funders")
COLUMN_KEYS = ("decided", "proposed", "spent", "unspent")


def labeller(portfolio: Portfolio) -> Callable[[FunderKey], str]:
    """A funder's display label: the organisation's name, the external funder's own,
    "Unassigned" for what no funder pays, and the total's word ("total" as the key's kind)."""
    settings = portfolio.settings

    def label(key: FunderKey) -> str:
        with speaking(settings.language):
            if key is None:
                return _(UNASSIGNED)
            kind, name = key
            if kind == "total":
                return _(COLUMNS["total"])
            if kind == "organisation":
                return settings.organisations.get(name, name)
            return name

    return label


@in_portfolio_language
def title(portfolio: Portfolio, view: FundersView) -> str:
    periods = ", ".join(str(period) for period in view.periods)
    text = _("Funders {periods}").format(periods=periods).rstrip()
    text += f" – {portfolio.settings.mission}"
    if view.filters.as_of is not None:
        text += " " + _("(as of {day})").format(day=view.filters.as_of.isoformat())
    return text


def _values(item: FunderRow | FunderLine) -> tuple[int | None, ...]:
    if isinstance(item, FunderLine):
        return (
            item.amount if item.decided else None,
            None if item.decided else item.amount,
            item.spent if item.decided or item.spent else None,
            item.unspent,
            item.hours or None,
        )
    return (item.decided, item.proposed, item.spent, item.unspent, item.hours)


@in_portfolio_language
def table(portfolio: Portfolio, view: FundersView, *, lines: bool = True) -> amounts.AmountTable:
    locale = portfolio.settings.resolved_locale()
    shown = amounts.AmountTable(
        title(portfolio, view),
        _(FUNDER),
        (*(_(COLUMNS[key]) for key in COLUMN_KEYS), _(HOURS)),
        plain=frozenset({4}),
    )
    for row in view.rows:
        shown.rows.append(amounts.AmountRow("group", 0, row.label, _values(row)))
        if not lines:
            continue
        for part in row.lines:
            tail = ""
            if part.amount != part.line_amount:
                whole = numbers.kronor(part.line_amount, locale)
                tail = " (" + _("of {amount}").format(amount=whole) + ")"
            shown.rows.append(amounts.AmountRow("line", 1, part.title, _values(part), tail))
    shown.rows.append(amounts.AmountRow("total", 0, view.total.label, _values(view.total)))
    shown.notes.append(
        _(
            "{spent}: spent as of the day, split between the funders as they pay the line. "
            "{unspent}: decided less spent. {hours}: given in kind, never counted in kronor."
        ).format(spent=_(COLUMNS["spent"]), unspent=_(COLUMNS["unspent"]), hours=_(HOURS))
    )
    return shown


def as_json(view: FundersView) -> str:
    """Integer kronor and hours; `key` is {"organisation": id} or {"name": …}, null
    for the unassigned rest."""

    def key(value: FunderKey) -> dict[str, str] | None:
        if value is None:
            return None
        kind, name = value
        return {"organisation": name} if kind == "organisation" else {"name": name}

    def row(item: FunderRow) -> dict[str, Any]:
        return {
            "funder": key(item.key),
            "label": item.label,
            "decided": item.decided,
            "proposed": item.proposed,
            "total": item.total,
            "spent": item.spent,
            "unspent": item.unspent,
            "hours": item.hours,
            "lines": [
                {
                    "id": part.line,
                    "title": part.title,
                    "amount": part.amount,
                    "line_amount": part.line_amount,
                    "decided": part.decided,
                    "spent": part.spent,
                    "hours": part.hours,
                }
                for part in item.lines
            ],
        }

    filters = view.filters
    total = row(view.total)
    del total["funder"], total["lines"]
    return to_json(
        {
            "unit": "SEK",
            "group_by": ["funder"],
            "periods": list(view.periods),
            "filters": {
                "periods": list(filters.periods),
                "decided": filters.decided,
                "as_of": filters.as_of.isoformat() if filters.as_of else None,
            },
            "funders": [row(item) for item in view.rows],
            "total": total,
        }
    )


@dataclass(frozen=True, slots=True)
class FundersRequest:
    portfolio: Portfolio
    view: FundersView
    lines: bool = True
    width: int = 80


def table_output(request: FundersRequest) -> Output:
    locale = request.portfolio.settings.resolved_locale()
    shown = table(request.portfolio, request.view, lines=request.lines)
    return Output(renderable=amounts.as_grid(shown, locale, request.width), wrap=False)


def markdown_output(request: FundersRequest) -> Output:
    locale = request.portfolio.settings.resolved_locale()
    shown = table(request.portfolio, request.view, lines=request.lines)
    return Output(text=amounts.as_markdown(shown, locale))


@in_portfolio_language
def _csv(portfolio: Portfolio, view: FundersView, lines: bool) -> str:
    shown = table(portfolio, view, lines=lines)
    places = [_(FUNDER), *([_("Budget line")] if lines else [])]
    return amounts.as_csv(shown, portfolio.settings.resolved_locale(), places)


def csv_output(request: FundersRequest) -> Output:
    return Output(text=_csv(request.portfolio, request.view, request.lines))


def json_output(request: FundersRequest) -> Output:
    return Output(text=as_json(request.view) + "\n")


def xlsx_output(request: FundersRequest) -> Output:
    from kontrakt.render.workbook import tables_workbook

    portfolio, view = request.portfolio, request.view
    shown = table(portfolio, view, lines=request.lines)
    sheet = _sheet_name(portfolio)
    return Output(
        data=tables_workbook(portfolio, shown.title, [(sheet, shown)], view.filters.as_of)
    )


@in_portfolio_language
def _sheet_name(portfolio: Portfolio) -> str:
    return _(FUNDERS_SHEET)
