"""The budget view as a terminal table, Markdown, CSV and JSON (the Excel workbook
is render/workbook.py).

Terminal, Markdown and CSV share one flattened list of rows, so they always show
the same numbers; JSON carries the tree with plain integers (docs/budget.md). CSV
is for people with a spreadsheet, in the portfolio's language; JSON for scripts.

With --initiative, --decided or --proposed the decided and proposed sums are only
the money chosen, while the frames and what remains count every line of them:
the table and Markdown say so under the title; CSV, the workbook and JSON carry
what the frame's lines have decided and proposed (`Beslutat inom ramarna`,
`frame_decided`, …), from which what remains is computed.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kontrakt.i18n import N_, _, in_portfolio_language, pgettext, speaking
from kontrakt.labels import COLUMNS, DIMENSIONS, NO_VALUE
from kontrakt.render import numbers
from kontrakt.render.markdown import Markdown
from kontrakt.render.output import Output
from kontrakt.render.safe import fold, to_json
from kontrakt.views.budget import BudgetView, Group, LineShare

if TYPE_CHECKING:
    from rich.console import Group as RichGroup

    from kontrakt.portfolio import Portfolio

SHARED_NOTE = N_("* Shared budget line: the amount is split between the initiatives.")
AMOUNT_COLUMNS = ("frame", "decided", "proposed", "total", "remaining", "remaining_if_approved")
# A document's table: "total" is decided plus proposed, and a portrait page has no room.
DOCUMENT_COLUMNS = tuple(column for column in AMOUNT_COLUMNS if column != "total")
# What was spent (utfall) and what is left of the decided money, after "total":
# shown only where some line has spending entries, so that a portfolio without
# any keeps its table as it was.
SPENDING_COLUMNS = ("spent", "unspent")


def amount_columns(view: BudgetView, columns: tuple[str, ...] = AMOUNT_COLUMNS) -> tuple[str, ...]:
    """`columns`, with the spending columns before "remaining" where the view has spending."""
    if not view.spending:
        return columns
    at = columns.index("remaining")
    return (*columns[:at], *SPENDING_COLUMNS, *columns[at:])


# What the frame's lines, all of them, have decided and proposed (CSV, the workbook
# and JSON: the table and Markdown say it in a note).
FRAME_USE_COLUMNS = ("frame_decided", "frame_proposed")
FRAME_USE = {
    "frame_decided": N_("Decided within frames"),
    "frame_proposed": N_("Proposed within frames"),
}
# Beside a line's part in a group (CSV, the workbook): the whole line's amount, and
# whether the line is shared between initiatives.
LINE_AMOUNT = N_("Line amount")
SHARED = N_("Shared")
BOM = "\ufeff"  # Excel reads a CSV file as UTF-8 only after one


@dataclass(frozen=True, slots=True)
class Row:
    """One printed row: a group (at a depth), a budget line inside a group, or the total."""

    kind: str  # "group", "line" or "total"
    depth: int
    dimension: str | None
    key: str | int | None
    label: str
    note: str
    values: dict[str, int | None]
    over_frame: bool
    shared: bool
    line_amount: int | None = None  # a line's whole amount (its part is in `values`)


def shared_mark() -> str:
    """What the Shared column says for a shared line."""
    return pgettext("a shared budget line", "yes")


def labeller(portfolio: Portfolio) -> Any:
    """Display labels for grouping keys, from the portfolio's vocabularies and titles,
    and kontrakt's words in the portfolio's language."""
    settings = portfolio.settings
    vocabularies = settings.vocabularies
    tables: dict[str, dict[Any, str]] = {
        "category": vocabularies.categories,
        "purpose": vocabularies.purposes,
        "phase": vocabularies.phases,
        "kind": vocabularies.kinds,
        "status": {status.value: label for status, label in settings.status_labels().items()},
        "initiative": {key: item.title for key, item in portfolio.initiatives.items()},
    }

    def label(dimension: str, key: str | int | None) -> str:
        if dimension == "total":
            with speaking(settings.language):
                return _(COLUMNS["total"])
        if key is None:
            with speaking(settings.language):
                return _(NO_VALUE[dimension])
        return tables.get(dimension, {}).get(key, str(key))

    return label


def rows(view: BudgetView, locale: str, *, lines: bool = True) -> list[Row]:
    out: list[Row] = []
    split = any(d in ("initiative", "status", "kind") for d in view.dimensions)

    def walk(groups: list[Group], depth: int) -> None:
        for group in groups:
            out.append(_group_row("group", depth, group))
            if group.children:
                walk(group.children, depth + 1)
            elif lines:
                out.extend(_line_row(share, depth + 1, locale, split) for share in group.lines)

    walk(view.groups, 0)
    if not view.dimensions and lines:
        out.extend(_line_row(share, 0, locale, split) for share in view.total.lines)
    out.append(_group_row("total", 0, view.total))
    return out


def _group_row(kind: str, depth: int, group: Group) -> Row:
    return Row(
        kind,
        depth,
        group.dimension,
        group.key,
        group.label,
        "",
        {
            "frame": group.frame,
            "decided": group.decided,
            "proposed": group.proposed,
            "total": group.total,
            "remaining": group.remaining,
            "remaining_if_approved": group.remaining_if_approved,
            "frame_decided": None if group.frame is None else group.frame_decided,
            "frame_proposed": None if group.frame is None else group.frame_proposed,
            "spent": group.spent,
            "unspent": group.unspent,
        },
        group.over_frame,
        group.shared,
    )


def _line_row(share: LineShare, depth: int, locale: str, split: bool) -> Row:
    """A line inside a group; its decision shows in which column its amount stands."""
    note = ""
    if share.amount != share.line_amount:
        note = _("of {amount}").format(amount=numbers.kronor(share.line_amount, locale))
    return Row(
        "line",
        depth,
        None,
        share.line,
        share.title,
        note,
        {
            "frame": None,
            "decided": share.amount if share.decided else None,
            "proposed": None if share.decided else share.amount,
            "total": share.amount,
            "remaining": None,
            "remaining_if_approved": None,
            "frame_decided": None,
            "frame_proposed": None,
            "spent": share.spent if share.decided or share.spent else None,
            "unspent": share.unspent,
        },
        False,
        share.shared and split,
        share.line_amount,
    )


def headers() -> list[str]:
    return [_(COLUMNS[column]) for column in AMOUNT_COLUMNS]


def first_header(view: BudgetView) -> str:
    """What the first column holds: the groups, or the budget lines."""
    return " / ".join(_(DIMENSIONS[d]) for d in view.dimensions) or _("Budget line")


def budget_title(view: BudgetView) -> str:
    """`Budget 2024, 2025`, or `Budget` for all periods."""
    periods = ", ".join(str(period) for period in view.periods)
    return _("Budget {periods}").format(periods=periods).rstrip()


@in_portfolio_language
def title(portfolio: Portfolio, view: BudgetView) -> str:
    text = f"{budget_title(view)} – {portfolio.settings.mission}"
    if view.filters.as_of is not None:
        text += " " + _("(as of {day})").format(day=view.filters.as_of.isoformat())
    return text


def filtered_note(view: BudgetView) -> str:
    """What the columns count when the filters choose part of the frames' lines ("" when
    they do not): the decided and proposed sums those lines, the frames every line."""
    filters = view.filters
    if not filters.within_frames:
        return ""
    options = [f"--initiative {initiative}" for initiative in filters.initiatives]
    if filters.decided is not None:
        options.append("--decided" if filters.decided else "--proposed")
    return _(
        "{decided} and {proposed} count only the lines chosen by {options}; "
        "{frame}, {remaining} and {if_approved} count every line of the frames."
    ).format(
        decided=_(COLUMNS["decided"]),
        proposed=_(COLUMNS["proposed"]),
        options=" ".join(options),
        frame=_(COLUMNS["frame"]),
        remaining=_(COLUMNS["remaining"]),
        if_approved=_(COLUMNS["remaining_if_approved"]),
    )


def _cell(value: int | None, locale: str) -> str:
    return "–" if value is None else numbers.amount(value, locale)


def _printed(row: Row, column: str, locale: str) -> str:
    """A cell's text: lines leave their empty columns blank, groups show '–'."""
    value = row.values[column]
    return "" if row.kind == "line" and value is None else _cell(value, locale)


def _tail(row: Row) -> str:
    """What follows a row's title and is never cut: the shared marker, the line's whole."""
    marker = " *" if row.shared else ""
    note = f" ({row.note})" if row.note else ""
    return f"{marker}{note}"


@in_portfolio_language
def as_table(
    portfolio: Portfolio, view: BudgetView, *, lines: bool = True, width: int = 80
) -> RichGroup:
    """The budget for a terminal `width` columns wide: amounts right-aligned and never
    cut, titles shortened with … to fit (never the `*` marker or "(of 285 000 kr)"
    after them), over-frame rows in red, the total in bold."""
    from rich.console import Group as RichGroup
    from rich.text import Text

    from kontrakt.render.grid import Cell, layout

    settings = portfolio.settings
    locale = settings.resolved_locale()
    columns = amount_columns(view, DOCUMENT_COLUMNS)  # "total" is derivable; saves width
    printed = rows(view, locale, lines=lines)
    body = []
    for row in printed:
        style = "bold" if row.kind == "total" else ("dim" if row.kind == "line" else "")
        cells = [Cell("  " * row.depth + row.label, style, tail=_tail(row))]
        for column in columns:
            value = row.values[column]
            red = row.over_frame and column == "remaining_if_approved"
            red = red or (value is not None and value < 0 and column.startswith("remaining"))
            cells.append(Cell(_printed(row, column, locale), "bold red" if red else style))
        body.append(cells)
    headers_ = [
        first_header(view),
        *(textwrap.fill(_(COLUMNS[c]), width=10, break_long_words=False) for c in columns),
    ]
    grid = layout(headers_, body, width=width, right=[False, *([True] * len(columns))])
    parts: list[Text] = [Text(fold(title(portfolio, view)), style="bold")]
    note = textwrap.wrap(filtered_note(view), width, break_long_words=False, break_on_hyphens=False)
    parts.extend(Text(part, style="dim") for part in note)
    parts.extend(grid)
    if any(row.shared for row in printed):
        parts.append(Text(_(SHARED_NOTE), style="dim"))
    return RichGroup(*parts)


def spent_said(group: Group, kr: Any) -> str:
    """`; utfall 97 000 kr, kvar av beslutat 448 000 kr`: what a frame's (or the
    total's) decided money has had spent, for the documents' sentences."""
    return "; " + _("spent %(spent)s, left of the decided %(unspent)s") % {
        "spent": kr(group.spent),
        "unspent": kr(group.unspent),
    }


def legend(spending: bool = False) -> str:
    """What the two "remaining" columns count (and, where money is spent, what is
    left of the decided), said under every document's table."""
    said = _(
        "{remaining}: the frame less what is decided. "
        "{if_approved}: the frame less what is decided and proposed."
    ).format(remaining=_(COLUMNS["remaining"]), if_approved=_(COLUMNS["remaining_if_approved"]))
    if spending:
        said += " " + _("{unspent}: what is decided less what is spent.").format(
            unspent=_(COLUMNS["unspent"])
        )
    return said


def document_table(view: BudgetView, locale: str, *, lines: bool = True) -> dict[str, Any]:
    """The view as a table for a document (Markdown, HTML, Word), one dict for all.

    A document's table is as narrow as a portrait page: it leaves out "Total"
    (decided plus proposed, which the chart shows) and says what the remaining
    columns count in a legend. Cells are Markdown-safe text (amounts, `–`)."""
    printed = rows(view, locale, lines=lines)
    columns = amount_columns(view, DOCUMENT_COLUMNS)
    return {
        "title": budget_title(view),
        "note": filtered_note(view),
        "legend": legend(view.spending),
        "first_header": first_header(view),
        "headers": [_(COLUMNS[column]) for column in columns],
        "rows": [
            {
                "kind": row.kind,
                "depth": row.depth,
                "indent": Markdown("\u00a0\u00a0" * row.depth),
                "label": row.label,
                "text": f"{row.label}{_tail(row)}",  # the label and what follows it
                "note": row.note,
                "shared": row.shared,
                "over_frame": row.over_frame,
                "cells": [
                    {
                        "text": Markdown(_printed(row, column, locale)),
                        "negative": (row.values[column] or 0) < 0,
                    }
                    for column in columns
                ],
            }
            for row in printed
        ],
        "shared": any(row.shared for row in printed),
        "spending": view.spending,
    }


@in_portfolio_language
def markdown_table(portfolio: Portfolio, view: BudgetView, *, lines: bool = True) -> dict[str, Any]:
    """What templates/budget-table.md.j2 needs to print the view as a table, with
    the title that names the mission (and the day it is as of)."""
    table = document_table(view, portfolio.settings.resolved_locale(), lines=lines)
    table["title"] = title(portfolio, view)
    return table


@in_portfolio_language
def as_markdown(portfolio: Portfolio, view: BudgetView, *, lines: bool = True) -> str:
    from kontrakt.render.templates import render

    return render("budget.md.j2", {"table": markdown_table(portfolio, view, lines=lines)})


@in_portfolio_language
def as_csv(portfolio: Portfolio, view: BudgetView, *, lines: bool = True) -> str:
    """The budget for a spreadsheet, in the portfolio's language (docs/budget.md).

    UTF-8 with a byte order mark, so that Excel reads it as UTF-8; the delimiter the
    locale's spreadsheets expect (`;` where the decimal separator is a comma); the
    column headings of the table. One column per grouping holds each row's place
    (a group fills its own and its parents'), then the budget line's title on the
    lines, the amounts as plain integers, what the frames' lines use, the line's
    whole amount beside its part, and whether it is shared.
    """
    settings = portfolio.settings
    locale = settings.resolved_locale()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=numbers.csv_delimiter(locale), lineterminator="\n")
    amounts = amount_columns(view)
    columns = (*amounts, *FRAME_USE_COLUMNS)
    places = [_(DIMENSIONS[d]) for d in view.dimensions]
    if lines or not places:
        places.append(_("Budget line"))
    writer.writerow(
        [
            *places,
            *(_(COLUMNS[c]) for c in amounts),
            *(_(FRAME_USE[c]) for c in FRAME_USE_COLUMNS),
            *([_(LINE_AMOUNT)] if lines else []),
            _(SHARED),
        ]
    )
    path: list[str] = []
    for row in rows(view, locale, lines=lines):
        place = [""] * len(places)
        if row.kind == "group":
            del path[row.depth :]
            path.append(row.label)
            place[: len(path)] = path
        elif row.kind == "line":
            place[: row.depth] = path[: row.depth]
            place[-1] = row.label
        else:
            place[0] = row.label
        writer.writerow(
            [
                *(as_csv_cell(cell) for cell in place),
                *("" if row.values[c] is None else row.values[c] for c in columns),
                *([row.line_amount if row.line_amount is not None else ""] if lines else []),
                shared_mark() if row.shared else "",
            ]
        )
    return BOM + buffer.getvalue()


def as_csv_cell(cell: str) -> str:
    """A title on one line (its breaks and tabs folded, controls escaped), which a
    spreadsheet must not run: `=HYPERLINK(…)` and the like get a leading '."""
    cell = fold(cell)
    return f"'{cell}" if formula_like(cell) else cell


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take the text for a formula."""
    return text.lstrip().startswith(("=", "+", "-", "@"))


def as_json(view: BudgetView) -> str:
    """The view as documented in docs/budget.md: integer kronor, nested groups."""

    def group(item: Group) -> dict[str, Any]:
        return {
            "dimension": item.dimension,
            "key": item.key,
            "label": item.label,
            "frame": item.frame,
            "decided": item.decided,
            "proposed": item.proposed,
            "total": item.total,
            "remaining": item.remaining,
            "remaining_if_approved": item.remaining_if_approved,
            "spent": item.spent,
            "unspent": item.unspent,
            "frame_decided": None if item.frame is None else item.frame_decided,
            "frame_proposed": None if item.frame is None else item.frame_proposed,
            "over_frame": item.over_frame,
            "shared": item.shared,
            "lines": [
                {
                    "id": share.line,
                    "title": share.title,
                    "amount": share.amount,
                    "line_amount": share.line_amount,
                    "decided": share.decided,
                    "shared": share.shared,
                    "spent": share.spent,
                }
                for share in item.lines
            ],
            "groups": [group(child) for child in item.children],
        }

    filters = view.filters
    document = {
        "unit": "SEK",
        "group_by": list(view.dimensions),
        "periods": list(view.periods),
        "filters": {
            "periods": list(filters.periods),
            "categories": list(filters.categories),
            "initiatives": list(filters.initiatives),
            "decided": filters.decided,
            "as_of": filters.as_of.isoformat() if filters.as_of else None,
        },
        "groups": [group(item) for item in view.groups],
        "total": group(view.total),
    }
    return to_json(document)


# --- the formats of `kontrakt budget` (render/formats.py names them) ----------------


@dataclass(frozen=True, slots=True)
class BudgetRequest:
    """A computed budget view, and how to show it."""

    portfolio: Portfolio
    view: BudgetView
    lines: bool = True  # list the budget lines in each group
    width: int = 80  # the terminal's width, for the table


def table_output(request: BudgetRequest) -> Output:
    """The table, laid out for the terminal's width already: rich must not wrap a
    line that only amounts too wide for the terminal make longer."""
    table = as_table(request.portfolio, request.view, lines=request.lines, width=request.width)
    return Output(renderable=table, wrap=False)


def markdown_output(request: BudgetRequest) -> Output:
    return Output(text=as_markdown(request.portfolio, request.view, lines=request.lines))


def csv_output(request: BudgetRequest) -> Output:
    return Output(text=as_csv(request.portfolio, request.view, lines=request.lines))


def json_output(request: BudgetRequest) -> Output:
    return Output(text=as_json(request.view) + "\n")
