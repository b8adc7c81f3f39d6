"""`kontrakt new KIND`: a new, valid portfolio file with every field people set.

Each subcommand only reads its options; kontrakt.scaffold builds, checks and
writes the file. The day it enters the portfolio (`--on`, default today) is
written too, so views of earlier days leave it out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kontrakt.cli import (
    PortfolioOption,
    _cannot_write,
    _day_or_none,
    _fail,
    _loaded_valid,
    _one_line,
    _print,
    _problem_lines,
    _Typer,
    _year,
    app,
)
from kontrakt.errors import EXIT_PROBLEMS
from kontrakt.i18n import _

if TYPE_CHECKING:
    from kontrakt.portfolio import Portfolio

new_app = _Typer(
    help="Write a new, valid portfolio file with an id from its title.",
    no_args_is_help=True,
)
app.add_typer(new_app, name="new")

IdOption = Annotated[
    str | None,
    typer.Option(
        "--id", help="The id (file name) instead of one from the title.", show_default=False
    ),
]
InitiativesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--initiative", "-i", help="An initiative it concerns (repeatable).", show_default=False
    ),
]
EnteredOption = Annotated[
    str | None,
    typer.Option(
        "--on",
        help="The day it entered the portfolio (YYYY-MM-DD). Default: today.",
        show_default=False,
    ),
]
StartOption = Annotated[str | None, typer.Option(help="HH:MM.", show_default=False)]
EndOption = Annotated[str | None, typer.Option(help="HH:MM.", show_default=False)]
VenueOption = Annotated[str | None, typer.Option(help="Where: the place.", show_default=False)]
CityOption = Annotated[str | None, typer.Option(help="Where: the city.", show_default=False)]
DescriptionOption = Annotated[
    str | None, typer.Option(help="A few sentences about it.", show_default=False)
]


Values = dict[str, object]


def _new(
    portfolio: Path | None, kind: str, build: Callable[[Portfolio], Values], entity_id: str | None
) -> None:
    """Load the portfolio (its language from here on), `build` the new file's values
    from what the options said (dates read, labels resolved), then check and write."""
    from kontrakt.edit import EditRefused
    from kontrakt.render.diagnostics import display_path
    from kontrakt.scaffold import new_file, write_new

    loaded = _loaded_valid(portfolio, to_change=True)
    assert loaded.portfolio is not None
    try:
        file = new_file(loaded, kind, build(loaded.portfolio), entity_id)
    except EditRefused as exc:
        for line in _problem_lines(exc.problems):
            _print(line, err=True)
        _fail(str(exc), exc.exit_code)
    try:
        schema = write_new(file)
    except OSError as exc:
        target = exc.filename or _("the file")
        _fail(_cannot_write(target, exc.strerror), EXIT_PROBLEMS)
    cwd = Path.cwd()
    _print(_("wrote {path}").format(path=_one_line(display_path(file.path.resolve(), cwd))))
    if schema is not None:
        _print(
            _(
                "wrote {path}, which editors use to check the file as you type; "
                "commit it with the file (it belongs in git)"
            ).format(path=_one_line(display_path(schema.resolve(), cwd)))
        )
    for line in _problem_lines(list(file.warnings)):
        _print(line, err=True)


def _status(loaded: Portfolio, status: str | None) -> str | None:
    """A status given as its value or its label (`Pågående`), as set-status takes it."""
    from kontrakt.changes import status_value

    return None if status is None else status_value(loaded.settings, status)


@new_app.command("initiative")
def new_initiative(
    title: Annotated[str, typer.Argument(help="The initiative's title.")],
    status: Annotated[
        str | None,
        typer.Option(help="idea, upcoming, ongoing, … (dated --on in its history)."),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="From vocabularies.kinds.")] = None,
    owner: Annotated[str | None, typer.Option(help="Who runs it.")] = None,
    description: DescriptionOption = None,
    organisation: Annotated[
        list[str] | None,
        typer.Option("--organisation", help="An organisation taking part (repeatable)."),
    ] = None,
    start: Annotated[str | None, typer.Option(help="Its first day (YYYY-MM-DD).")] = None,
    end: Annotated[str | None, typer.Option(help="Its last day (YYYY-MM-DD).")] = None,
    indicator: Annotated[
        list[str] | None,
        typer.Option("--indicator", help="An outcome indicator it is meant to move (repeatable)."),
    ] = None,
    on: EnteredOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new initiative in initiatives/."""

    def build(loaded: Portfolio) -> Values:
        entered = _day_or_none(on) or date.today()
        value = _status(loaded, status)
        return {
            "title": title,
            "status": value,
            "kind": kind,
            "description": description,
            "owner": owner,
            "organisations": organisation,
            "start": _day_or_none(start),
            "end": _day_or_none(end),
            "proposed_on": entered,
            "history": [{"date": entered, "status": value}] if value else None,
            "indicators": indicator,
        }

    _new(portfolio, "initiative", build, entity_id)


@new_app.command("budget")
def new_budget(
    title: Annotated[str, typer.Argument(help="The budget line's title.")],
    amount: Annotated[str, typer.Option(help="Whole kronor: 285000, '285 000 kr', '100 tkr'.")],
    period: Annotated[
        str | None, typer.Option(metavar="YEAR", help="The year; default the year of --on.")
    ] = None,
    category: Annotated[str | None, typer.Option(help="From vocabularies.categories.")] = None,
    purpose: Annotated[str | None, typer.Option(help="From vocabularies.purposes.")] = None,
    phase: Annotated[str | None, typer.Option(help="From vocabularies.phases.")] = None,
    part: Annotated[
        list[str] | None,
        typer.Option("--part", help="Of which: '100 tkr pilot', '50000 konsult' (repeatable)."),
    ] = None,
    decided: Annotated[
        bool, typer.Option("--decided", help="The line is decided (on the day of --on).")
    ] = False,
    initiatives: InitiativesOption = None,
    note: Annotated[str | None, typer.Option(help="A note on the line.")] = None,
    on: EnteredOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new budget line in budget/ (proposed unless --decided)."""
    from kontrakt.changes import part_entry

    def build(loaded: Portfolio) -> Values:
        entered = _day_or_none(on) or date.today()
        return {
            "title": title,
            "amount": amount,
            "category": category,
            "purpose": purpose,
            "period": entered.year if period is None else _year(period),
            "phase": phase,
            "proposed_on": entered,
            "decision": "decided" if decided else None,
            "decided_on": entered if decided else None,
            "initiatives": initiatives,
            "parts": [part_entry(loaded.settings, text) for text in part or ()],
            "note": note,
        }

    _new(portfolio, "budget", build, entity_id)


@new_app.command("event")
def new_event(
    title: Annotated[str, typer.Argument(help="The event's title.")],
    kind: Annotated[str, typer.Option(help="From vocabularies.event_kinds.")],
    when: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD.")] = None,
    end_date: Annotated[
        str | None, typer.Option("--end-date", help="Its last day, if it has several.")
    ] = None,
    start: StartOption = None,
    end: EndOption = None,
    venue: VenueOption = None,
    city: CityOption = None,
    url: Annotated[str | None, typer.Option(help="https://… where to read more.")] = None,
    theme: Annotated[str | None, typer.Option(help="The theme, in a few words.")] = None,
    description: DescriptionOption = None,
    initiatives: InitiativesOption = None,
    on: EnteredOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new event in events/."""

    def build(_loaded: Portfolio) -> Values:
        return {
            "title": title,
            "kind": kind,
            "date": _day_or_none(when),
            "end_date": _day_or_none(end_date),
            "start": start,
            "end": end,
            "venue": venue,
            "city": city,
            "theme": theme,
            "description": description,
            "initiatives": initiatives,
            "url": url,
            "announced": _day_or_none(on) or date.today(),
        }

    _new(portfolio, "event", build, entity_id)


@new_app.command("meeting")
def new_meeting(
    on: Annotated[str, typer.Argument(metavar="DATE", help="The meeting's date, YYYY-MM-DD.")],
    kind: Annotated[str, typer.Option(help="From vocabularies.meeting_kinds.")],
    title: Annotated[str | None, typer.Option(help="Default: the kind's label.")] = None,
    start: StartOption = None,
    end: EndOption = None,
    venue: VenueOption = None,
    city: CityOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new meeting in meetings/, named DATE-KIND."""

    def build(_loaded: Portfolio) -> Values:
        return {
            "date": _day_or_none(on),
            "kind": kind,
            "title": title,
            "start": start,
            "end": end,
            "venue": venue,
            "city": city,
        }

    _new(portfolio, "meeting", build, entity_id)


@new_app.command("question")
def new_question(
    title: Annotated[str, typer.Argument(help="What the question is about.")],
    point: Annotated[
        list[str] | None, typer.Option("--point", help="A question asked (repeatable).")
    ] = None,
    to: Annotated[str | None, typer.Option(help="To whom it is addressed.")] = None,
    raised: Annotated[
        str | None, typer.Option("--raised", "--on", help="YYYY-MM-DD; default today.")
    ] = None,
    initiatives: InitiativesOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new open question in questions/."""

    def build(_loaded: Portfolio) -> Values:
        return {
            "title": title,
            "points": point,
            "to": to,
            "initiatives": initiatives,
            "raised": _day_or_none(raised) or date.today(),
        }

    _new(portfolio, "question", build, entity_id)


@new_app.command("news")
def new_news(
    title: Annotated[str, typer.Argument(help="The news item.")],
    on: Annotated[
        str | None, typer.Option("--date", "--on", help="YYYY-MM-DD; default today.")
    ] = None,
    description: DescriptionOption = None,
    event: Annotated[
        list[str] | None, typer.Option("--event", help="An event it is about (repeatable).")
    ] = None,
    initiatives: InitiativesOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new news item in news/, named DATE-TITLE."""

    def build(_loaded: Portfolio) -> Values:
        return {
            "title": title,
            "date": _day_or_none(on) or date.today(),
            "description": description,
            "events": event,
            "initiatives": initiatives,
        }

    _new(portfolio, "news", build, entity_id)


@new_app.command("action")
def new_action(
    title: Annotated[str, typer.Argument(help="What is to be done.")],
    owner: Annotated[
        str | None,
        typer.Option(
            help="Who does it: an organisation's id or name, or a person's name.",
            show_default=False,
        ),
    ] = None,
    due: Annotated[
        str | None, typer.Option(help="By when, YYYY-MM-DD.", show_default=False)
    ] = None,
    from_meeting: Annotated[
        str | None,
        typer.Option("--from-meeting", help="The meeting that agreed on it.", show_default=False),
    ] = None,
    from_question: Annotated[
        str | None,
        typer.Option("--from-question", help="The question it answers.", show_default=False),
    ] = None,
    initiatives: InitiativesOption = None,
    note: Annotated[str | None, typer.Option(help="A note.", show_default=False)] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="The day it was opened (YYYY-MM-DD). Default: today.", show_default=False
        ),
    ] = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new action in actions/: who does what by when (open until `kontrakt done`)."""

    def build(loaded: Portfolio) -> Values:
        return {
            "title": title,
            "owner": _owner(loaded, owner),
            "due": _day_or_none(due),
            "from_meeting": from_meeting,
            "from_question": from_question,
            "initiatives": initiatives,
            "note": note,
            "opened": _day_or_none(on) or date.today(),
        }

    _new(portfolio, "action", build, entity_id)


def _owner(loaded: Portfolio, owner: str | None) -> str | None:
    """An organisation given by its name (`Eskilstuna kommun`) is written as its id;
    anything else is a person's name, written as given."""
    if owner is None:
        return None
    organisations = loaded.settings.organisations
    for key, name in organisations.items():
        if owner.casefold() in (key.casefold(), name.casefold()):
            return key
    return owner


@new_app.command("indicator")
def new_indicator(
    title: Annotated[str, typer.Argument(help="What is measured.")],
    unit: Annotated[
        str, typer.Option(help="percent, count, people, kronor, days or score.", show_default=False)
    ],
    direction: Annotated[
        str, typer.Option(help="Which way is better: higher or lower.", show_default=False)
    ],
    baseline: Annotated[
        str | None,
        typer.Option(help="Where it started: a number (with --baseline-on).", show_default=False),
    ] = None,
    baseline_on: Annotated[
        str | None,
        typer.Option("--baseline-on", help="The baseline's day, YYYY-MM-DD.", show_default=False),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(help="Where it should be: a number (with --target-on).", show_default=False),
    ] = None,
    target_on: Annotated[
        str | None,
        typer.Option("--target-on", help="The target's day, YYYY-MM-DD.", show_default=False),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Where its measurements come from.", show_default=False),
    ] = None,
    description: DescriptionOption = None,
    entity_id: IdOption = None,
    portfolio: PortfolioOption = None,
) -> None:
    """A new outcome indicator in indicators/ (measured with `kontrakt measure`)."""

    def build(_loaded: Portfolio) -> Values:
        return {
            "title": title,
            "description": description,
            "unit": unit,
            "direction": direction,
            "baseline": _point("--baseline", baseline, baseline_on),
            "target": _point("--target", target, target_on),
            "source": source,
        }

    _new(portfolio, "indicator", build, entity_id)


def _point(option: str, value: str | None, on: str | None) -> dict[str, object] | None:
    """A baseline or target from its two options, which come together."""
    from kontrakt.changes import figure

    if value is None and on is None:
        return None
    if value is None or on is None:
        _fail(
            _("give {option} and {option}-on together: a value and its day").format(option=option)
        )
    return {"value": figure(value), "date": _day_or_none(on)}
