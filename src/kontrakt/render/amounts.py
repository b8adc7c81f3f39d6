"""A plain table of amounts, printed every way the budget is: the funders' view
(`--by funder`) and spending over time (`--by month|quarter`) are such tables.

One `AmountTable` (rows of a label and whole-krona cells, the last row the total)
gives the terminal table (render/grid.py), Markdown (the budget's own template,
templates/budget-table.md.j2), CSV (as the budget's: a byte order mark, the
locale's delimiter, plain integers) and a workbook sheet; so the same numbers
stand in every format.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass, field
from typing import Any

from kontrakt.render import numbers
from kontrakt.render.budget import BOM, as_csv_cell
from kontrakt.render.markdown import Markdown


@dataclass(frozen=True, slots=True)
class AmountRow:
    kind: str  # "group", "line" or "total"
    depth: int
    label: str
    values: tuple[int | None, ...]
    tail: str = ""  # after the label, never cut ("(of 285 000 kr)")


@dataclass(slots=True)
class AmountTable:
    title: str
    first_header: str
    headers: tuple[str, ...]
    rows: list[AmountRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # under the table
    # Columns that count something else than kronor (hours): plain numbers.
    plain: frozenset[int] = frozenset()


def _cell(table: AmountTable, row: AmountRow, index: int, locale: str) -> str:
    value = row.values[index]
    if value is None:
        return "" if row.kind == "line" else "–"
    return numbers.amount(value, locale)


def as_grid(table: AmountTable, locale: str, width: int) -> Any:
    """The table for a terminal `width` columns wide (a rich Group)."""
    from rich.console import Group as RichGroup
    from rich.text import Text

    from kontrakt.render.grid import Cell, layout
    from kontrakt.render.safe import fold

    body = []
    for row in table.rows:
        style = "bold" if row.kind == "total" else ("dim" if row.kind == "line" else "")
        cells = [Cell("  " * row.depth + row.label, style, tail=row.tail)]
        for index in range(len(table.headers)):
            value = row.values[index]
            red = value is not None and value < 0
            cells.append(Cell(_cell(table, row, index, locale), "bold red" if red else style))
        body.append(cells)
    headers = [
        table.first_header,
        *(textwrap.fill(header, width=10, break_long_words=False) for header in table.headers),
    ]
    grid = layout(headers, body, width=width, right=[False, *([True] * len(table.headers))])
    parts = [Text(fold(table.title), style="bold"), *grid]
    for note in table.notes:
        parts.extend(
            Text(part, style="dim")
            for part in textwrap.wrap(note, width, break_long_words=False, break_on_hyphens=False)
        )
    return RichGroup(*parts)


def document(table: AmountTable, locale: str) -> dict[str, Any]:
    """The table in the shape of render/budget.py's document_table, for its templates."""
    return {
        "title": table.title,
        "note": "",
        "legend": " ".join(table.notes),
        "first_header": table.first_header,
        "headers": list(table.headers),
        "rows": [
            {
                "kind": row.kind,
                "depth": row.depth,
                "indent": Markdown("\u00a0\u00a0" * row.depth),
                "label": row.label,
                "text": row.label + row.tail,
                "note": row.tail.strip(" ()"),
                "shared": False,
                "over_frame": False,
                "cells": [
                    {
                        "text": Markdown(_cell(table, row, index, locale)),
                        "negative": (row.values[index] or 0) < 0,
                    }
                    for index in range(len(table.headers))
                ],
            }
            for row in table.rows
        ],
        "shared": False,
    }


def as_markdown(table: AmountTable, locale: str) -> str:
    from kontrakt.render.templates import render

    return render("budget.md.j2", {"table": document(table, locale)})


def as_csv(table: AmountTable, locale: str, places: list[str]) -> str:
    """One column per level of rows (`places`), then the amounts as plain integers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=numbers.csv_delimiter(locale), lineterminator="\n")
    writer.writerow([*places, *table.headers])
    path: list[str] = []
    for row in table.rows:
        place = [""] * len(places)
        if row.kind == "total":
            place[0] = row.label
        else:
            del path[row.depth :]
            path.append(row.label)
            place[: len(path)] = path[: len(places)]
        writer.writerow(
            [
                *(as_csv_cell(cell) for cell in place),
                *("" if value is None else value for value in row.values),
            ]
        )
    return BOM + buffer.getvalue()
