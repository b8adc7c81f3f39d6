"""The editing commands: each monthly change to the portfolio is one command.

They only read their arguments and call the core (kontrakt.changes says what
changes, kontrakt.edit makes the change safely); registered on the main app by
kontrakt.cli.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from kontrakt.cli import (
    PortfolioOption,
    _cannot_write,
    _day,
    _fail,
    _one_line,
    _print,
    _problem_lines,
    _root,
    _speak_for,
    app,
)
from kontrakt.errors import EXIT_PROBLEMS
from kontrakt.i18n import _

OnOption = Annotated[
    str | None,
    typer.Option(
        "--on", help="The day it happened (YYYY-MM-DD). Default: today.", show_default=False
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Show the change to the file as a diff; write nothing."),
]


def _edit(
    given: Path | None, kind: str, entity_id: str, change: Callable[[], Any], dry_run: bool
) -> None:
    """Find the file, work out the `change` (its values checked only once the file is
    found, so a misspelt id is the first thing said), print why not or what it does,
    and write it."""
    from kontrakt import edit

    root = _root(given)
    edit.locate(root, kind, entity_id)
    try:
        planned = edit.plan(root, kind, entity_id, change())
    except edit.EditRefused as exc:
        for line in _problem_lines(exc.problems):
            _print(line, err=True)
        _fail(str(exc), exc.exit_code)
    shown = _one_line(planned.path.relative_to(root).as_posix())
    if not planned.changed:
        _print(_("{file} says so already; nothing to change").format(file=shown))
        return
    if dry_run:
        _print(_unified(planned.before.decode("utf-8"), planned.text, shown), nl=False)
        for line in _problem_lines(planned.warnings):
            _print(line, err=True)
        return
    try:
        edit.write(planned)
    except OSError as exc:
        _fail(_cannot_write(shown, exc.strerror), EXIT_PROBLEMS)
    _print(_("changed {file}").format(file=shown))
    for line in _problem_lines(planned.warnings):
        _print(line, err=True)


def _unified(before: str, after: str, name: str) -> str:
    """A unified diff, marking a last line without a line break as diff does."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), name, name
    )
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        for line in lines
    )


def _settings(given: Path | None) -> Any:
    """kontrakt.yaml's settings (vocabularies, labels), or the reasons it has none."""
    from kontrakt.load import load_portfolio

    root = _root(given)
    _speak_for(root)
    loaded = load_portfolio(root)
    if loaded.portfolio is None:
        for line in _problem_lines(loaded.diagnostics):
            _print(line, err=True)
        _fail(_("kontrakt.yaml has errors; fix them first (kontrakt check)"), EXIT_PROBLEMS)
    return loaded.portfolio.settings


@app.command("set-status")
def set_status(
    initiative: Annotated[str, typer.Argument(help="The initiative's id (its file name).")],
    status: Annotated[
        str, typer.Argument(help="The new status: its value (ongoing) or its label (Pågående).")
    ],
    on: OnOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why, in a few words; kept in the history.")
    ] = None,
    entered: Annotated[
        str | None,
        typer.Option(
            "--entered",
            metavar="DATE",
            help="The day the initiative entered the portfolio, for one whose file says "
            "neither by a history nor by proposed_on (written as proposed_on).",
            show_default=False,
        ),
    ] = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Set an initiative's status and date the change in its history."""
    from kontrakt import changes

    settings = _settings(portfolio)
    day, since = _day(on), (_day(entered) if entered is not None else None)
    change = partial(changes.set_status, settings, initiative, status, day, note, since)
    _edit(portfolio, "initiative", initiative, change, dry_run)


@app.command()
def decide(
    line: Annotated[str, typer.Argument(help="The budget line's id (its file name).")],
    on: OnOption = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Mark a budget line decided, on the day it was decided."""
    from kontrakt import changes

    _speak_for(_root(portfolio))
    day = _day(on)
    _edit(portfolio, "budget", line, partial(changes.decide, line, day), dry_run)


@app.command()
def answer(
    question: Annotated[str, typer.Argument(help="The question's id (its file name).")],
    text: Annotated[str, typer.Argument(help="The answer.")],
    on: OnOption = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an answer the question has.")
    ] = False,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Record the answer to an open question, and the day it came."""
    from kontrakt import changes

    _speak_for(_root(portfolio))
    day = _day(on)
    change = partial(changes.answer, question, text, day, replace=replace)
    _edit(portfolio, "question", question, change, dry_run)


@app.command("add-part")
def add_part(
    line: Annotated[str, typer.Argument(help="The budget line's id (its file name).")],
    part: Annotated[
        str,
        typer.Argument(
            help="An amount and a category or purpose: '100 tkr pilot', '50000 konsult'."
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", help="A note on the part.")] = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Add an "of which" part (varav) to a budget line."""
    from kontrakt import changes

    settings = _settings(portfolio)
    _edit(portfolio, "budget", line, partial(changes.add_part, settings, part, note), dry_run)


@app.command()
def move(
    meeting: Annotated[
        str, typer.Argument(help="The meeting's (or with --event, the event's) id.")
    ],
    on: Annotated[
        str | None, typer.Option("--date", help="The new date (YYYY-MM-DD).", show_default=False)
    ] = None,
    start: Annotated[str | None, typer.Option(help="HH:MM.", show_default=False)] = None,
    end: Annotated[str | None, typer.Option(help="HH:MM.", show_default=False)] = None,
    venue: Annotated[str | None, typer.Option(show_default=False)] = None,
    city: Annotated[str | None, typer.Option(show_default=False)] = None,
    event: Annotated[bool, typer.Option("--event", help="Move an event, not a meeting.")] = False,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Change a meeting's (or an event's) date, times or place."""
    from kontrakt import changes

    _speak_for(_root(portfolio))
    values = {
        "date": _day(on) if on is not None else None,
        "start": start,
        "end": end,
        "venue": venue,
        "city": city,
    }
    if all(value is None for value in values.values()):
        _fail(_("give what changes: --date, --start, --end, --venue or --city"))
    kind = "event" if event else "meeting"
    _edit(portfolio, kind, meeting, partial(changes.move, values), dry_run)
