"""Every command's output formats: name -> renderer, in one table.

The CLI derives each `--format` option's choices from this table, and prints
what the chosen renderer returns. Adding a format is a renderer and one entry
here. Renderers are named as `module:function` and imported only when chosen,
so `kontrakt --help` pays for none of them.

Each renderer takes the command's request (what it computed) and returns an
`Output` (render/output.py): text to print as it is, a rich renderable, or the
bytes of a document (a deck, a workbook) for the file `-o` names.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kontrakt.render.output import Output

FORMATS: dict[str, dict[str, str]] = {
    "check": {
        "text": "kontrakt.render.diagnostics:text_output",
        "github": "kontrakt.render.diagnostics:github_output",
        "json": "kontrakt.render.diagnostics:json_output",
        "markdown": "kontrakt.render.diagnostics:markdown_output",
    },
    "budget": {
        "table": "kontrakt.render.budget:table_output",
        "markdown": "kontrakt.render.budget:markdown_output",
        "csv": "kontrakt.render.budget:csv_output",
        "json": "kontrakt.render.budget:json_output",
        "xlsx": "kontrakt.render.workbook:xlsx_output",
    },
    "budget-funders": {
        "table": "kontrakt.render.funders:table_output",
        "markdown": "kontrakt.render.funders:markdown_output",
        "csv": "kontrakt.render.funders:csv_output",
        "json": "kontrakt.render.funders:json_output",
        "xlsx": "kontrakt.render.funders:xlsx_output",
    },
    "budget-spending": {
        "table": "kontrakt.render.spending:table_output",
        "markdown": "kontrakt.render.spending:markdown_output",
        "csv": "kontrakt.render.spending:csv_output",
        "json": "kontrakt.render.spending:json_output",
        "xlsx": "kontrakt.render.spending:xlsx_output",
    },
    "status": {
        "text": "kontrakt.render.status:text_output",
        "json": "kontrakt.render.status:json_output",
    },
    "meetings": {
        "text": "kontrakt.render.meetings:text_output",
        "json": "kontrakt.render.meetings:json_output",
    },
    "agenda": {
        "markdown": "kontrakt.render.agenda:markdown_output",
        "html": "kontrakt.render.html:agenda_output",
        "docx": "kontrakt.render.word:agenda_docx",
        "pptx": "kontrakt.render.deck:pptx_output",
    },
    "report": {
        "markdown": "kontrakt.render.report:markdown_output",
        "html": "kontrakt.render.html:report_output",
        "docx": "kontrakt.render.word:report_docx",
    },
    "decisions": {
        "table": "kontrakt.render.decisions:table_output",
        "markdown": "kontrakt.render.decisions:markdown_output",
        "json": "kontrakt.render.decisions:json_output",
        "csv": "kontrakt.render.decisions:csv_output",
    },
    "diff": {
        "markdown": "kontrakt.render.diff:markdown_output",
        "rich": "kontrakt.render.diff:rich_output",
    },
}


def names(command: str) -> tuple[str, ...]:
    """The `--format` choices of a command, in the table's order."""
    return tuple(FORMATS[command])


def renderer(command: str, name: str) -> Callable[..., Output]:
    """The function that renders `command`'s output as `name`."""
    module, _, function = FORMATS[command][name].partition(":")
    found: Callable[..., Output] = getattr(import_module(module), function)
    return found
