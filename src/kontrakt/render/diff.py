"""`kontrakt diff`: what a change does to the portfolio, as Markdown for a pull request.

The same Markdown is laid out by rich for a terminal. Amounts are written with
no-break spaces (`1 310 000 kr`, currency.py), but rich breaks a line at any
white space, a no-break space too: the layout sees a stand-in that is no space,
so a line never breaks inside an amount. And rich shortens a table's cells with …
when the table is wider than the terminal: here every column is at least as wide
as its widest amount, so a table too wide for the terminal is printed wider than
it (the terminal folds its lines) rather than with a number cut.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kontrakt.i18n import _, speaking
from kontrakt.labels import NO_VALUE
from kontrakt.models.budget import Spending
from kontrakt.models.common import Gate
from kontrakt.portfolio import Portfolio
from kontrakt.render import numbers
from kontrakt.render.context import journal_line
from kontrakt.render.markdown import Markdown
from kontrakt.render.outcomes import value_text
from kontrakt.render.output import Output
from kontrakt.render.templates import render
from kontrakt.revisions import Base
from kontrakt.views.diff import LineState, Measured, PortfolioDiff, Totals

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment

NO_BREAK_SPACE = "\u00a0"


def render_diff(
    portfolio: Portfolio | None,
    diff: PortfolioDiff | None,
    *,
    base: str,
    head: str,
    errors: dict[str, list[str]],
    language: str,
    locale: str,
    default_base: Base | None = None,
) -> str:
    """The diff of two sides, in `language`; a side with errors shows its errors instead.
    `default_base`: the base kontrakt chose, said under the heading."""
    with speaking(language):
        context = _context(portfolio, diff, base, head, errors, locale)
        context["default_base"] = default_base
        return render("diff.md.j2", context)


def _context(
    portfolio: Portfolio | None,
    diff: PortfolioDiff | None,
    base: str,
    head: str,
    errors: dict[str, list[str]],
    locale: str,
) -> dict[str, Any]:

    def kr(value: int | None) -> Markdown | None:
        return None if value is None else Markdown(numbers.kronor(value, locale))

    def line(state: LineState | None) -> dict[str, Any] | None:
        if state is None:
            return None
        return {
            "amount": kr(state.amount),
            "category": state.category,
            "decided": state.decided,
        }

    def totals(side: Totals) -> dict[str, Any]:
        return {
            "decided": kr(side.decided),
            "proposed": kr(side.proposed),
            "remaining": kr(side.remaining),
            "remaining_if_approved": kr(side.remaining_if_approved),
        }

    context: dict[str, Any] = {
        "base": base,
        "head": head,
        "errors": errors,
        "name": portfolio.settings.name if portfolio else "",
        "diff": None,
    }
    if diff is not None and portfolio is not None:
        gates = portfolio.settings.gate_labels()
        alerts = portfolio.settings.alert_labels()
    else:
        gates, alerts = {}, {}
    if diff is not None:
        context["diff"] = {
            "empty": diff.empty,
            "initiatives_added": diff.initiatives_added,
            "initiatives_removed": diff.initiatives_removed,
            "initiatives_renamed": diff.initiatives_renamed,
            "status_changes": diff.status_changes,
            "budget": [
                {
                    "kind": kind,
                    "id": c.id,
                    "title": c.title,
                    "before": line(c.before),
                    "after": line(c.after),
                }
                for kind, changes in (
                    ("added", diff.budget_added),
                    ("changed", diff.budget_changed),
                    ("removed", diff.budget_removed),
                )
                for c in changes
            ],
            "categories": [
                {
                    "label": c.label or _(NO_VALUE["category"]),
                    "frame": kr(c.frame),
                    "before": totals(c.before),
                    "after": totals(c.after),
                    "delta": Markdown(numbers.kronor(c.delta, locale, signed=True)),
                }
                for c in diff.categories
            ],
            "events_added": diff.events_added,
            "events_removed": diff.events_removed,
            "events_moved": diff.events_moved,
            "news_added": diff.news_added,
            "news_removed": diff.news_removed,
            "meetings_added": diff.meetings_added,
            "meetings_removed": diff.meetings_removed,
            "questions_opened": diff.questions_opened,
            "questions_answered": diff.questions_answered,
            "decisions": [
                {
                    "title": c.title,
                    "after": c.after,
                    "gate": gates[c.gate].lower() if c.gate else None,
                }
                for c in diff.decisions
            ],
            "decisions_regated": [
                {
                    "title": c.title,
                    "after": c.after,
                    "was": gates[Gate(c.before)].lower() if c.before else None,
                    "gate": gates[c.gate].lower() if c.gate else None,
                }
                for c in diff.decisions_regated
            ],
            "spending_added": [
                {"title": s.title, "line": _spending_line(s.entry, kr)} for s in diff.spending_added
            ],
            "spending_removed": [
                {"title": s.title, "line": _spending_line(s.entry, kr)}
                for s in diff.spending_removed
            ],
            "funders_changed": diff.funders_changed,
            "journal": [
                {"title": j.title, "line": journal_line(j.entry, alerts)}
                for j in diff.journal_added
            ],
            "journal_removed": [
                {"title": j.title, "line": journal_line(j.entry, alerts)}
                for j in diff.journal_removed
            ],
            "actions_opened": diff.actions_opened,
            "actions_done": diff.actions_done,
            "actions_reopened": diff.actions_reopened,
            "actions_due": diff.actions_due,
            "actions_removed": diff.actions_removed,
            "indicators_added": diff.indicators_added,
            "indicators_removed": diff.indicators_removed,
            "measured": [_measured(m, locale) for m in diff.measurements_added],
            "unmeasured": [_measured(m, locale) for m in diff.measurements_removed],
        }
    return context


def _measured(change: Measured, locale: str) -> dict[str, str]:
    """`2024-05-31: 21,25 %`, with the indicator's title."""
    m = change.measurement
    return {
        "title": change.title,
        "line": f"{m.date.isoformat()}: {value_text(m.value, change.unit, locale)}",
    }


# --- the formats of `kontrakt diff` (render/formats.py names them) ------------------


def _spending_line(entry: Spending, kr: Any) -> str:
    """`2024-06-30: 30 000 kr (V-2024-301, Larmcentral)`: one entry, in a few words
    (plain text: the template escapes it, the note and voucher being the team's)."""
    said = ", ".join(part for part in (entry.voucher, entry.note) if part)
    text = f"{entry.date.isoformat()}: {kr(entry.amount)!s}"
    return text + (f" ({said})" if said else "")


def markdown_output(text: str) -> Output:
    """The diff as Markdown, for a pull request comment."""
    return Output(text=text)


def rich_output(text: str) -> Output:
    """The same Markdown, laid out by rich for a terminal, never broken inside an amount."""
    stand_in = _stand_in(text)
    markdown = _markdown_type()(text.replace(NO_BREAK_SPACE, stand_in))
    # Unbroken wraps the paragraphs itself: the console must not crop a wide table.
    return Output(renderable=Unbroken(markdown, stand_in), wrap=False)


def _stand_in(text: str) -> str:
    """A character of the private use area that `text` does not hold: one column wide,
    no white space, so rich keeps the words it joins on one line."""
    code = 0xE000
    while chr(code) in text:
        code += 1
    return chr(code)


class Unbroken:
    """A renderable laid out with `stand_in` where a no-break space belongs, and printed
    with the no-break space back in its place."""

    def __init__(self, renderable: RenderableType, stand_in: str) -> None:
        self.renderable = renderable
        self.stand_in = stand_in

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        from rich.segment import Segment

        options = options.update(no_wrap=False, overflow="fold")
        for segment in console.render(self.renderable, options):
            if self.stand_in in segment.text:
                text = segment.text.replace(self.stand_in, NO_BREAK_SPACE)
                segment = Segment(text, segment.style, segment.control)
            yield segment


def _markdown_type() -> Any:
    """rich's Markdown, with tables whose columns are never narrower than their
    widest word (an amount, with its stand-ins)."""
    from rich.markdown import Markdown as RichMarkdown
    from rich.markdown import TableElement

    class WideTable(TableElement):
        def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
            from rich import box
            from rich.table import Table

            header = self.header.row.cells if self.header and self.header.row else []
            body = [row.cells for row in self.body.rows] if self.body else []
            table = Table(
                box=box.SIMPLE,
                pad_edge=False,
                style="markdown.table.border",
                show_edge=True,
                collapse_padding=True,
            )
            for cell in header:
                heading = cell.content.copy()
                heading.stylize("markdown.table.header")
                table.add_column(heading)
            for row in body:
                table.add_row(*[cell.content for cell in row])
            columns = [
                [cell.content for cell in [*header[index : index + 1], *(r[index] for r in body)]]
                for index in range(len(table.columns))
            ]
            widths = _column_widths(console, options, table, columns)
            yield from console.render(table, options.update_width(widths))

    class DiffMarkdown(RichMarkdown):
        elements = {**RichMarkdown.elements, "table_open": WideTable}

    return DiffMarkdown


def _column_widths(console: Console, options: ConsoleOptions, table: Any, columns: Any) -> int:
    """Give each column of `table` a width between its widest word and its widest cell,
    as the terminal's width allows; the width to render the table at."""
    from rich.measure import Measurement

    from kontrakt.allocation import split_exact

    wide = options.update_width(10**6)
    least: list[int] = []
    most: list[int] = []
    for cells in columns:
        measured = [Measurement.get(console, wide, cell) for cell in cells] or [Measurement(1, 1)]
        least.append(max(1, *(m.minimum for m in measured)))
        most.append(max(1, *(m.maximum for m in measured)))
    for column, width in zip(table.columns, least, strict=True):
        column.width = width
    around = Measurement.get(console, wide, table).maximum - sum(least)
    room = options.max_width - around
    if sum(most) <= room:
        chosen = most
    elif sum(least) >= room:
        chosen = least
    else:
        slack = [high - low for low, high in zip(least, most, strict=True)]
        extra = split_exact(room - sum(least), slack)
        chosen = [low + more for low, more in zip(least, extra, strict=True)]
    for column, width in zip(table.columns, chosen, strict=True):
        column.width = width
    return max(options.max_width, sum(chosen) + around)
