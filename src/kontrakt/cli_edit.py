"""The editing commands: each monthly change to the portfolio is one command.

They only read their arguments and call the core (kontrakt.changes says what
changes, kontrakt.edit makes the change safely); registered on the main app by
kontrakt.cli.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kontrakt.cli import (
    PortfolioOption,
    _cannot_write,
    _day,
    _day_or_none,
    _fail,
    _load,
    _one_line,
    _print,
    _problem_lines,
    _root,
    _whole,
    app,
)
from kontrakt.errors import EXIT_PROBLEMS, EXIT_USAGE
from kontrakt.i18n import _

if TYPE_CHECKING:
    from kontrakt.changes import Change
    from kontrakt.models import Settings

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
    given: Path | None,
    kind: str,
    entity_id: str,
    build: Callable[[Settings], Change],
    dry_run: bool,
) -> None:
    """Load the portfolio once (its language from then on), find the file (a
    misspelt id is the first thing said), `build` the change from what was given
    (dates and labels read only now), and print why not, or what it does, and write."""
    from kontrakt import edit

    root = _root(given)
    loaded = _load(root, to_change=True)
    if loaded.portfolio is None:
        for line in _problem_lines(loaded.diagnostics):
            _print(line, err=True)
        _fail(_("kontrakt.yaml has errors; fix them first (kontrakt check)"), EXIT_PROBLEMS)
    edit.locate(root, kind, entity_id, loaded)
    try:
        planned = edit.plan(root, loaded, kind, entity_id, build(loaded.portfolio.settings))
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
    else:
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

    def build(settings: Settings) -> Change:
        return changes.set_status(
            settings, initiative, status, _day(on), note, _day_or_none(entered)
        )

    _edit(portfolio, "initiative", initiative, build, dry_run)


@app.command()
def note(
    initiative: Annotated[str, typer.Argument(help="The initiative's id (its file name).")],
    text: Annotated[str, typer.Argument(help="What happened, in a sentence or two.")],
    alert: Annotated[
        str | None,
        typer.Option(
            "--alert",
            help="How it is doing: green, yellow or red (or their labels). Red needs the text "
            "to say why.",
            show_default=False,
        ),
    ] = None,
    progress: Annotated[
        str | None,
        typer.Option(
            "--progress",
            metavar="0-100",
            help="How far it has come, in per cent.",
            show_default=False,
        ),
    ] = None,
    learned: Annotated[
        str | None,
        typer.Option("--learned", help="What was learned, for the next time.", show_default=False),
    ] = None,
    on: OnOption = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Write an entry in an initiative's journal: what happened, its alert and progress."""
    from kontrakt import changes

    def build(settings: Settings) -> Change:
        return changes.note(
            settings,
            initiative,
            text,
            _happened(on),
            alert=alert,
            progress=None if progress is None else _whole(progress, "--progress", 0, 100),
            learned=learned,
        )

    _edit(portfolio, "initiative", initiative, build, dry_run)


def _happened(on: str | None) -> date:
    """--on for what has happened (a journal entry, an action done): today or before,
    never a day still to come (a mistyped year would hold every later entry back)."""
    day, today = _day(on), date.today()
    if day > today:
        _fail(
            _(
                "{day} is after today: write what has happened, on --on {today} or an earlier day"
            ).format(day=day.isoformat(), today=today.isoformat()),
            EXIT_USAGE,
        )
    return day


@app.command()
def decide(
    line: Annotated[str, typer.Argument(help="The budget line's id (its file name).")],
    on: OnOption = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Mark a budget line decided, on the day it was decided."""
    from kontrakt import changes

    _edit(portfolio, "budget", line, lambda _s: changes.decide(line, _day(on)), dry_run)


@app.command()
def spend(
    line: Annotated[str, typer.Argument(help="The budget line's id (its file name).")],
    amount: Annotated[
        str, typer.Argument(help="What was spent, in whole kronor: 42500, '42 500 kr', '40 tkr'.")
    ],
    on: OnOption = None,
    note: Annotated[
        str | None, typer.Option("--note", help="What it was for.", show_default=False)
    ] = None,
    voucher: Annotated[
        str | None,
        typer.Option(
            "--voucher", help="The accounting voucher's reference (V-2024-118).", show_default=False
        ),
    ] = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Record money spent on a budget line (utfall), on the day it was spent."""
    from kontrakt import changes

    def build(_settings: Settings) -> Change:
        return changes.spend(line, amount, _happened(on), note=note, voucher=voucher)

    _edit(portfolio, "budget", line, build, dry_run)


@app.command()
def done(
    action: Annotated[str, typer.Argument(help="The action's id (its file name).")],
    on: OnOption = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Mark an action done, on the day it was done."""
    from kontrakt import changes

    _edit(portfolio, "action", action, lambda _s: changes.done(action, _happened(on)), dry_run)


@app.command()
def measure(
    indicator: Annotated[str, typer.Argument(help="The indicator's id (its file name).")],
    value: Annotated[
        str, typer.Argument(help="What it was: a number such as 21 or 21,5 (or 21.5).")
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help="The day the figure is for (YYYY-MM-DD). Default: today.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Where the figure comes from, unless the indicator's source says it.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A note on the figure.", show_default=False)
    ] = None,
    portfolio: PortfolioOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Write a measurement of an outcome indicator: its value on a day, and its source."""
    from kontrakt import changes

    def build(_settings: Settings) -> Change:
        number = changes.figure(value)
        return changes.measure(indicator, number, _happened(on), source=source, note=note)

    _edit(portfolio, "indicator", indicator, build, dry_run)


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

    def build(_settings: Settings) -> Change:
        return changes.answer(question, text, _day(on), replace=replace)

    _edit(portfolio, "question", question, build, dry_run)


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

    _edit(portfolio, "budget", line, partial(changes.add_part, part=part, note=note), dry_run)


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

    if (on, start, end, venue, city) == (None,) * 5:
        _fail(_("give what changes: --date, --start, --end, --venue or --city"))

    def build(_settings: Settings) -> Change:
        values = {"date": _day_or_none(on), "start": start, "end": end, "venue": venue}
        return changes.move({**values, "city": city})

    _edit(portfolio, "event" if event else "meeting", meeting, build, dry_run)
