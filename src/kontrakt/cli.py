"""The command line: parse arguments, call the core, print what it returns.

Nothing here decides what is valid or computes a view; the core never prints
or exits. Heavy modules are imported inside the commands that need them, so
`kontrakt --help` stays quick.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import os
import re
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import StrEnum
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeAlias, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.main import get_command_name

from kontrakt import __version__
from kontrakt.errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    STOP_SIGNALS,
    KontraktError,
)
from kontrakt.i18n import _, ngettext, numeral
from kontrakt.plugins_off import keep_loader_off
from kontrakt.render import formats

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from kontrakt.diagnostics import Diagnostic
    from kontrakt.load import LoadResult
    from kontrakt.portfolio import Portfolio
    from kontrakt.render.output import Output
    from kontrakt.views.budget import Filters


# click's base for usage errors, found from Typer's public BadParameter: Typer
# vendors click, so the class lives in a different module from version to version.
_CLICK_EXCEPTION: type[Exception] = next(
    base for base in typer.BadParameter.__mro__ if base.__name__ == "ClickException"
)


class _Commands(TyperGroup):
    """Typer's group, with click's own messages (a bad option's value echoed back)
    printed through the same safe way out as everything else."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except KontraktError as exc:  # the one place a user's problem becomes an exit
            _print(f"kontrakt: {_one_line(str(exc))}", err=True)
            sys.exit(exc.exit_code)
        except _CLICK_EXCEPTION as exc:
            shown = StringIO()
            exc.show(file=shown)  # type: ignore[attr-defined]
            _print(shown.getvalue(), err=True, nl=False)
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        except typer.Abort:
            _print(_("Aborted!"), err=True)
            sys.exit(1)
        if code == EXIT_INTERRUPTED:  # Typer makes Ctrl-C this exit, and says nothing
            _print("kontrakt: " + _("interrupted"), err=True)
            code = _interrupted_exit()
        sys.exit(code if isinstance(code, int) else EXIT_OK)


# `-` and a digit (`-5`, `-0,5`, `-40 tkr`) is a negative number: no option's name
# starts with a digit (tests/test_cli.py checks it).
_NEGATIVE = re.compile(r"-[.,]?[0-9]")


class _Command(TyperCommand):
    """Typer's command, taking `-5` for the value it is: click reads every argument
    that starts with `-` as an option, and would refuse `kontrakt spend LINE -5`
    with its own "No such option: -5", in English, before kontrakt could say
    what to write instead. An option's own value (`--progress -5`) click takes
    as it is."""

    # The context is click's, which Typer vendors: its class is Typer's own business.
    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _numbers_as_arguments(self, ctx, args))


def _numbers_as_arguments(command: TyperCommand, ctx: Any, args: list[str]) -> list[str]:
    """`args` with every negative number that stands where an option would be put
    after `--`, with the other arguments in their order, so click reads them as
    arguments; `args` as they are when there is none."""
    values = {
        name: param.nargs
        for param in command.get_params(ctx)
        if isinstance(param, TyperOption) and not param.is_flag and not param.count
        for name in param.opts
    }
    options: list[str] = []
    arguments: list[str] = []
    moved = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            arguments.extend(args[index + 1 :])
            break
        if arg in values:  # an option and its value, whatever the value looks like
            options.extend(args[index : index + 1 + values[arg]])
            index += 1 + values[arg]
            continue
        if _NEGATIVE.match(arg):
            arguments.append(arg)
            moved = True
        elif arg.startswith("-") and arg != "-":
            options.append(arg)
        else:
            arguments.append(arg)
        index += 1
    return [*options, "--", *arguments] if moved else args


Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class _Typer(typer.Typer):
    """A Typer whose commands take negative numbers as arguments (`_Command`)."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Decorated], Decorated]:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _Typer(
    cls=_Commands,
    name="kontrakt",
    help="Run a mission portfolio as plain-text YAML: check it, total its budget, render it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PortfolioOption = Annotated[
    Path | None,
    typer.Option(
        "--portfolio",
        "-p",
        envvar="KONTRAKT_PORTFOLIO",
        help="The portfolio folder (holding kontrakt.yaml). "
        "Default: the nearest such folder upward, else ./portfolio.",
        show_default=False,
    ),
]


AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Stand in this date (YYYY-MM-DD) for today.",
        show_default=False,
    ),
]


def _day_or_none(text: str | None) -> date | None:
    """A date option's day, or None when it was not given."""
    return None if text is None else _day(text)


def _day(text: str | None) -> date:
    """A date given on the command line, read once the portfolio's language is known
    (so a hint on how to write it comes in that language); None is today."""
    from kontrakt.views.dates import parse_day

    today = date.today()
    return today if text is None else parse_day(text, today)


DaysOption = Annotated[
    str,
    typer.Option("--days", metavar="0-3660", help="How many days ahead events are upcoming."),
]
DAYS_AHEAD = (0, 3660)


JobsOption = Annotated[
    str | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        help="Work in N processes, at most 8 (1: in this one). "
        "Default: one per core (at most 8) for a large portfolio, this one for a small one.",
        show_default=False,
    ),
]


def _jobs(text: str | None) -> int | None:
    """A `--jobs` count (None: as many as suit the work), in the portfolio's language."""
    from kontrakt.workers import MOST_WORKERS

    return None if text is None else _whole(text, "--jobs", 1, MOST_WORKERS)


def _whole(
    text: str, option: str, least: int, most: int, shown: Callable[[int], str] | None = None
) -> int:
    """A whole-number option, read once the portfolio's language is known (click's
    own message would come in English): `least` to `most`, or exit 2 saying so.
    The bounds are shown as the locale writes numbers, or as `shown` writes them."""
    written = text.strip().replace("\u00a0", "").replace(" ", "")
    if not (re.fullmatch(r"[+-]?[0-9]{1,12}", written) and least <= int(written) <= most):
        bound = shown or numeral
        _fail(
            _("{option} takes a whole number from {least} to {most}, not {text}").format(
                option=option, least=bound(least), most=bound(most), text=text
            )
        )
    return int(written)


def _days(text: str) -> int:
    """A `--days` count, in the portfolio's language."""
    return _whole(text, "--days", *DAYS_AHEAD)


def _year(text: str) -> int:
    """A `--period` year, as the models take it, in the portfolio's language."""
    from kontrakt.models.common import MAX_YEAR, MIN_YEAR

    return _whole(text, "--period", MIN_YEAR, MAX_YEAR, shown=str)  # a year as written


# Each --format's choices come from the table of formats (render/formats.py).
if TYPE_CHECKING:
    CheckFormat: TypeAlias = str
    BudgetFormat: TypeAlias = str
    StatusFormat: TypeAlias = str
    MeetingsFormat: TypeAlias = str
    AgendaFormat: TypeAlias = str
    ReportFormat: TypeAlias = str
    DiffFormat: TypeAlias = str
    DecisionsFormat: TypeAlias = str
else:
    CheckFormat = Literal[("auto", *formats.names("check"))]
    BudgetFormat = Literal[formats.names("budget")]
    StatusFormat = Literal[formats.names("status")]
    MeetingsFormat = Literal[formats.names("meetings")]
    AgendaFormat = Literal[formats.names("agenda")]
    ReportFormat = Literal[formats.names("report")]
    DiffFormat = Literal[("auto", *formats.names("diff"))]
    DecisionsFormat = Literal[formats.names("decisions")]


def _print(text: str, *, err: bool = False, nl: bool = True, commands: bool = False) -> None:
    """The one way out: nothing printed can drive a terminal or start a CI command.

    `commands` is for the workflow commands `check --format github` means to print.
    """
    from kontrakt.render.safe import for_terminal

    typer.echo(for_terminal(text, ci=False if commands else None), err=err, nl=nl)


def _one_line(text: str) -> str:
    from kontrakt.render.safe import one_line

    return one_line(text)


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    _print(f"kontrakt: {_one_line(message)}", err=True)
    raise typer.Exit(code)


def _root(given: Path | None) -> Path:
    from kontrakt.discover import find_root

    return find_root(given, Path.cwd())


def _load(given: Path | None, *, to_change: bool = False) -> LoadResult:
    """The portfolio loaded; from here on, messages come in its language, their
    numbers as its locale writes them. `to_change`: for a command that checks the
    portfolio again with a file changed, which then parses only that file."""
    from kontrakt.i18n import speak_messages, speak_numbers
    from kontrakt.load import Reuse, load_portfolio

    # The day the command runs, passed in: the core asks no clock.
    reuse = Reuse() if to_change else None
    result = load_portfolio(_root(given), today=date.today(), reuse=reuse)
    speak_messages(result.language)
    speak_numbers(result.locale)
    return result


def _speak_for(root: Path) -> None:
    """From here on, messages come in the language of the portfolio at `root`, their
    numbers as its locale writes them (for a command that does not load the
    portfolio, which says so itself)."""
    from kontrakt.i18n import speak_messages, speak_numbers
    from kontrakt.load import speech_at

    language, locale = speech_at(root)
    speak_messages(language)
    speak_numbers(locale)


def _cannot_write(path: object, reason: str | None) -> str:
    return _("cannot write {path}: {reason}").format(path=path, reason=reason)


def _version(value: bool) -> None:
    if value:
        _print(f"kontrakt {__version__}")
        raise typer.Exit()


def _language(value: str | None) -> str | None:
    from kontrakt import i18n

    if value is not None and value not in i18n.languages():
        raise typer.BadParameter(
            _("write one of {languages}").format(languages=", ".join(i18n.languages()))
        )
    i18n.ask_for(value)
    i18n.speak_messages()  # until a portfolio is found: as asked, else the environment's
    return value


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    language: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="KONTRAKT_LANG",
            callback=_language,
            is_eager=True,
            metavar="LANGUAGE",
            help="The language of kontrakt's messages (en, sv, …). "
            "Default: the portfolio's language. Documents keep the portfolio's language.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run a mission portfolio as plain-text YAML: check it, total its budget, render it."""


@app.command()
def check(
    path: Annotated[
        Path | None,
        typer.Argument(help="The portfolio folder; overrides --portfolio.", show_default=False),
    ] = None,
    portfolio: PortfolioOption = None,
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help="How to print the problems; auto is github under GitHub Actions, else text.",
        ),
    ] = "auto",
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail on warnings too, not only on errors.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV",
            help="Forgive the warnings the portfolio had at this git revision already "
            "(the pull request's base, HEAD): they are reported but only new ones fail "
            "--strict.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Validate every file of the portfolio and report every problem at once.

    Exit status: 0 clean, 1 problems (errors, or warnings with --strict), 2 usage.
    """
    from kontrakt.diagnostics import Severity
    from kontrakt.render.diagnostics import CheckReport, use_color
    from kontrakt.render.safe import in_github_actions

    root = _root(path or portfolio)
    result = _load(root)
    warnings = [d for d in result.diagnostics if d.severity is Severity.WARNING]
    known = 0
    if since is not None:
        from kontrakt import baseline

        known_then = baseline.warnings_at(root, since, today=result.today)
        found = baseline.split(root, warnings, known_then)
        warnings, known = found.new, len(found.known)
    if output_format == "auto":
        output_format = "github" if in_github_actions() else "text"
    color = use_color(sys.stdout.isatty())
    report = CheckReport(result.diagnostics, result.files, Path.cwd(), color)
    _out(formats.renderer("check", output_format)(report))
    if known:
        forgiven = ngettext(
            "{count} warning was there at {revision} already; only new warnings fail",
            "{count} warnings were there at {revision} already; only new warnings fail",
            known,
        )
        _print(
            "kontrakt: " + forgiven.format(count=numeral(known), revision=_one_line(since or "")),
            err=True,
        )
    failing = result.has_errors or (strict and bool(warnings))
    raise typer.Exit(EXIT_PROBLEMS if failing else EXIT_OK)


class Dimension(StrEnum):
    category = "category"
    initiative = "initiative"
    status = "status"
    kind = "kind"
    phase = "phase"
    purpose = "purpose"
    period = "period"
    funder = "funder"
    month = "month"
    quarter = "quarter"


# Groupings that are views of their own, never nested with another.
ALONE = ("funder", "month", "quarter")


@app.command()
def budget(
    portfolio: PortfolioOption = None,
    by: Annotated[
        list[Dimension] | None,
        typer.Option(
            "--by",
            "-b",
            help="Group by this; repeat to nest (--by category --by initiative). funder, "
            "month and quarter stand alone: who pays, and spending over time.",
        ),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option("--period", metavar="YEAR", help="Only this year (repeatable)."),
    ] = None,
    category: Annotated[
        list[str] | None, typer.Option("--category", help="Only this category (repeatable).")
    ] = None,
    initiative: Annotated[
        list[str] | None, typer.Option("--initiative", help="Only this initiative (repeatable).")
    ] = None,
    decided: Annotated[
        bool,
        typer.Option(
            "--decided", help="Only decided money; with --proposed too, both (the default)."
        ),
    ] = False,
    proposed: Annotated[
        bool,
        typer.Option(
            "--proposed", help="Only proposed money; with --decided too, both (the default)."
        ),
    ] = False,
    as_of: AsOfOption = None,
    lines: Annotated[
        bool, typer.Option("--lines/--no-lines", help="List the budget lines in each group.")
    ] = True,
    output_format: Annotated[
        BudgetFormat,
        typer.Option("--format", "-f", help="How to print the budget; xlsx is a file (-o)."),
    ] = "table",
    output: OutputOption = None,
) -> None:
    """Budget per category against its frames: decided, proposed, what remains.

    What remains counts every line of a frame, whatever --initiative, --decided or
    --proposed leave in the decided and proposed sums. Refuses to compute on a
    portfolio with errors (run `kontrakt check`).
    """
    from kontrakt.render import budget as show
    from kontrakt.views.budget import Filters, budget_view

    loaded = _load_valid(portfolio)
    filters = Filters(
        periods=tuple(_year(year) for year in period or ()),
        categories=tuple(category or ()),
        initiatives=tuple(initiative or ()),
        decided=None if decided == proposed else decided,  # both or neither: all money
        as_of=_day_or_none(as_of),
        today=date.today(),  # without --as-of, what is spent by today
    )
    dimensions = [d.value for d in by] if by else ["category"]
    console = _console()
    alone = [d for d in dimensions if d in ALONE]
    if alone and len(dimensions) > 1:
        _fail(
            _("--by {dimension} stands alone; leave out the other --by").format(dimension=alone[0])
        )
    rendered = _budget_output(
        loaded, dimensions[0] if alone else None, filters, output_format, lines, console.width
    )
    if rendered is None:
        view = budget_view(loaded, dimensions, filters, show.labeller(loaded))
        request = show.BudgetRequest(loaded, view, lines=lines, width=console.width)
        rendered = formats.renderer("budget", output_format)(request)
    if output is None and rendered.data is None:
        _out(rendered, console)
    elif rendered.renderable is not None:
        _fail(_("the table is for the terminal; write a file with another --format"))
    else:
        _emit_output(lambda: rendered, output)


def _budget_output(
    loaded: Portfolio, alone: str | None, filters: Filters, name: str, lines: bool, width: int
) -> Output | None:
    """The budget by funder, or its spending over time; None for the grouped budget."""
    if alone == "funder":
        from kontrakt.render import funders as paying
        from kontrakt.views.funders import funders_view

        paid = funders_view(loaded, filters, paying.labeller(loaded))
        request = paying.FundersRequest(loaded, paid, lines=lines, width=width)
        return formats.renderer("budget-funders", name)(request)
    if alone in ("month", "quarter"):
        from kontrakt.render import spending
        from kontrakt.views.spending import spending_view

        spent = spending_view(loaded, alone, filters)
        over_time = spending.SpendingRequest(loaded, spent, lines=lines, width=width)
        return formats.renderer("budget-spending", name)(over_time)
    return None


@app.command()
def status(
    portfolio: PortfolioOption = None,
    as_of: AsOfOption = None,
    days: DaysOption = "60",
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="text for people, json for scripts.")
    ] = "text",
    show_all: Annotated[
        bool, typer.Option("--all", help="List every initiative, not a screenful per status.")
    ] = False,
) -> None:
    """The portfolio on one screen: initiatives by status, budget, events, questions."""
    from kontrakt.render.status import status_request

    result, loaded = _load_tolerant(portfolio)
    day = _day(as_of)
    request = status_request(result, loaded, day, _days(days), everything=show_all)
    _out(formats.renderer("status", output_format)(request))


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file (atomically) instead of printing.",
        show_default=False,
        dir_okay=False,
    ),
]
ReferenceOption = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        help="The team's own PowerPoint (pptx) or Word (docx) file, whose slide master "
        "or styles the document uses. Default: documents.pptx or documents.docx in "
        "kontrakt.yaml.",
        show_default=False,
        dir_okay=False,
    ),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        help="Render with your own Jinja template (it may include the bundled ones).",
        show_default=False,
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]


@app.command()
def report(
    portfolio: PortfolioOption = None,
    as_of: AsOfOption = None,
    days: DaysOption = "60",
    output: OutputOption = None,
    template: TemplateOption = None,
    output_format: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="markdown, or a document for a file (-o)."),
    ] = "markdown",
    reference: ReferenceOption = None,
    diagram: Annotated[
        bool,
        typer.Option("--diagram/--no-diagram", help="Draw the portfolio's weave, or leave it out."),
    ] = True,
) -> None:
    """A status report: initiatives, their weave, budget, events, questions."""
    from kontrakt.render.report import ReportRequest

    loaded = _load_valid(portfolio)
    ahead = _days(days)
    request = ReportRequest(loaded, _day(as_of), ahead, template, reference, diagram)
    _emit_output(lambda: formats.renderer("report", output_format)(request), output)


@app.command()
def agenda(
    day: Annotated[
        str | None,
        typer.Argument(
            help="The meeting's date (YYYY-MM-DD).",
            show_default=False,
            metavar="DATE",
        ),
    ] = None,
    next_: Annotated[
        bool, typer.Option("--next", help="The next meeting on or after today.")
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="The meeting's kind (from vocabularies.meeting_kinds); "
            "needed when several kinds meet on the date.",
            show_default=False,
        ),
    ] = None,
    portfolio: PortfolioOption = None,
    days: DaysOption = "60",
    output: OutputOption = None,
    template: TemplateOption = None,
    issue: Annotated[
        bool,
        typer.Option(
            "--issue",
            help="Keep this agenda as the meeting's record, beside its meeting file; "
            "from then on the command gives the record.",
        ),
    ] = False,
    reissue: Annotated[
        bool, typer.Option("--reissue", help="Replace the record with the agenda of today.")
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Give the agenda the portfolio gives now, not the record."),
    ] = False,
    output_format: Annotated[
        AgendaFormat,
        typer.Option(
            "--format", "-f", help="markdown (the record), or a document for a file (-o)."
        ),
    ] = "markdown",
    reference: ReferenceOption = None,
) -> None:
    """A meeting's notes as Markdown: news, initiatives, budget, research, questions.

    Without a meeting file for the date, the agenda is a draft and says so. An
    issued agenda (--issue) is a record: the command gives it as it was issued,
    and says when the portfolio now gives another.
    """
    from kontrakt.render.agenda import AgendaRequest, render_agenda
    from kontrakt.views.agenda import agenda as plan_agenda
    from kontrakt.views.agenda import next_meeting

    with contextlib.suppress(KontraktError):  # no portfolio: said once it is needed
        _speak_for(_root(portfolio))
    if day is None and not next_:
        _fail(_("give the meeting's date (kontrakt agenda 2024-02-27) or --next"))
    if day is not None and next_:
        _fail(_("give the meeting's date or --next, not both"))
    loaded = _load_valid(portfolio)
    if day is None:
        found = next_meeting(loaded, date.today(), kind)
        if found is None:
            if kind:
                missing = _("no {kind} meeting on or after today in meetings/; give a date")
            else:
                missing = _("no meeting on or after today in meetings/; give a date")
            _fail(missing.format(kind=kind), EXIT_PROBLEMS)
        when, kind = found[1].date, found[1].kind
    else:
        when = _day(day)
    plan = plan_agenda(loaded, when, kind=kind, days=_days(days))
    if output_format != "markdown":
        request = AgendaRequest(loaded, plan, template, reference)
        _emit_output(lambda: formats.renderer("agenda", output_format)(request), output)
        return
    text = render_agenda(loaded, plan, template)
    meeting_id = plan.meeting_id
    if meeting_id is None:
        if issue or reissue:
            _fail(_("a draft is not issued: write the meeting's file first (kontrakt new meeting)"))
        _emit(lambda: text, output)
        return
    _emit(lambda: _agenda_record(loaded, meeting_id, text, issue, reissue, fresh), output)


def _agenda_record(
    loaded: Portfolio, meeting_id: str, text: str, issue: bool, reissue: bool, fresh: bool
) -> str:
    """The agenda to give: issued now, the record, or (no record, or --fresh) `text`."""
    from kontrakt import issued

    kept = issued.record(loaded, meeting_id)
    shown = _one_line(kept.path.relative_to(loaded.root).as_posix())
    if issue or reissue:
        if issued.issue(loaded, kept, text, replace=reissue):
            _print(_("issued the agenda as {file}").format(file=shown), err=True)
        else:
            _print(_("{file} holds this agenda already").format(file=shown), err=True)
        return text
    if kept.text is None or fresh:
        return text
    if kept.text != text:
        _print(
            "kontrakt: "
            + _(
                "this is the agenda issued as {file}; the portfolio now gives another "
                "(--fresh shows it)"
            ).format(file=shown),
            err=True,
        )
    return kept.text


@app.command()
def meetings(
    portfolio: PortfolioOption = None,
    output_format: Annotated[
        MeetingsFormat, typer.Option("--format", "-f", help="text or json.")
    ] = "text",
) -> None:
    """List the meetings, oldest first, with the file that holds each."""
    from kontrakt.render.meetings import MeetingsRequest

    _result, loaded = _load_tolerant(portfolio)
    _out(formats.renderer("meetings", output_format)(MeetingsRequest(loaded, Path.cwd())))


@app.command()
def decisions(
    portfolio: PortfolioOption = None,
    initiative: Annotated[
        str | None,
        typer.Option(
            "--initiative",
            "-i",
            help="Only the decisions that name this initiative or a budget line funding it.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    output_format: Annotated[
        DecisionsFormat,
        typer.Option("--format", "-f", help="table, markdown, json or csv."),
    ] = "table",
) -> None:
    """The decisions log, newest first: meetings' decisions and budget lines decided."""
    import difflib

    from kontrakt.render.decisions import DecisionsRequest

    loaded = _load_valid(portfolio)
    if initiative is not None and initiative not in loaded.initiatives:
        close = difflib.get_close_matches(initiative, list(loaded.initiatives), n=1, cutoff=0.6)
        message = _("there is no {folder}/{id}.yaml").format(folder="initiatives", id=initiative)
        if close:
            message += _("; did you mean {ids}?").format(ids=close[0])
        _fail(message)
    request = DecisionsRequest(loaded, _day(as_of), initiative)
    _out(formats.renderer("decisions", output_format)(request))


@app.command()
def calendar(portfolio: PortfolioOption = None, output: OutputOption = None) -> None:
    """Events and meetings as iCalendar (.ics), to import into a calendar program.

    Importing again updates the entries instead of duplicating them.
    """
    from datetime import UTC

    from kontrakt.render.calendar import export_calendar

    loaded = _load_valid(portfolio)
    export = export_calendar(loaded, datetime.now(UTC).replace(microsecond=0))
    if export.undated:
        left_out = len(export.undated)
        message = ngettext(
            "left out {count} event(s) without a date: {events}",
            "left out {count} event(s) without a date: {events}",
            left_out,
        ).format(count=numeral(left_out), events=", ".join(export.undated))
        _print(f"kontrakt: {message}", err=True)
    _emit(lambda: export.text, output)


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to format; default: the whole portfolio.", show_default=False
        ),
    ] = None,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Change nothing; list the files that would change, exit 1."),
    ] = False,
    portfolio: PortfolioOption = None,
    jobs: JobsOption = None,
) -> None:
    """Put keys in one order and indent one way, keeping comments, quoting and values."""
    from kontrakt.fmt import portfolio_around, run
    from kontrakt.render.diagnostics import display_path

    cwd = Path.cwd()
    root = portfolio_around(portfolio, cwd) if paths else _root(portfolio)
    if root is not None:  # files of a portfolio: messages in its language
        _speak_for(root)
    done = run(paths or [], root, check_only=check_only, workers=_jobs(jobs))
    for line in _problem_lines(done.problems):
        _print(line, err=True)
    for outcome in done.outcomes:
        shown = _one_line(display_path(outcome.path, cwd))
        if outcome.refusal is not None:
            verb, reason = outcome.refusal
            if verb == "will not write":
                said = _("will not write {path}: {reason}").format(
                    path=shown, reason=_one_line(reason)
                )
            else:
                said = _cannot_write(shown, _one_line(reason))
            _print(f"kontrakt: {said}", err=True)
        elif check_only:
            _print(_("would reformat {path}").format(path=shown))
        else:
            _print(_("reformatted {path}").format(path=shown))
    not_formatted = len(done.problems) + done.unwritten
    written = len(done.outcomes) - done.unwritten
    if check_only:
        # TRANSLATORS: a summary; {files} is always a count of files, also when it is 1.
        tally = _("{files} files, {written} would change, {not_formatted} not formatted")
    else:
        # TRANSLATORS: a summary; {files} is always a count of files, also when it is 1.
        tally = _("{files} files, {written} changed, {not_formatted} not formatted")
    _print(
        tally.format(
            files=numeral(done.files),
            written=numeral(written),
            not_formatted=numeral(not_formatted),
        )
    )
    raise typer.Exit(EXIT_PROBLEMS if done.failing else EXIT_OK)


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            help="Default: the merge base with the main branch; on the main branch itself, "
            "the commit before HEAD.",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Argument(help="Default: the working tree, as it is now.", show_default=False),
    ] = None,
    portfolio: PortfolioOption = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option(
            "--format", "-f", help="auto: rich on a terminal, Markdown otherwise (for a PR)."
        ),
    ] = "auto",
) -> None:
    """What a change does to the portfolio, read from git without checking anything out."""
    from kontrakt.comparison import compare_revisions
    from kontrakt.i18n import default_locale, message_language
    from kontrakt.render.diff import render_diff

    root = _root(portfolio)
    _speak_for(root)
    comparison = compare_revisions(root, base, head)
    shown = comparison.portfolio
    # Without a valid side, the document speaks as the messages do.
    language = shown.settings.language if shown else message_language()
    sides = (comparison.before, comparison.after)
    text = render_diff(
        shown,
        comparison.changes,
        base=comparison.before.label,
        head=comparison.after.label,
        errors={side.label: list(side.errors) for side in sides if side.errors},
        language=language,
        locale=shown.settings.resolved_locale() if shown else default_locale(language),
        default_base=comparison.default_base,
    )
    if output_format == "auto":
        output_format = "rich" if sys.stdout.isatty() else "markdown"
    _out(formats.renderer("diff", output_format)(text))


def _emit(produce: Callable[[], str], output: Path | None) -> None:
    """Print or atomically write a rendered document."""
    from kontrakt.write import write_text_atomic

    text = produce()  # a TemplateProblem is a ProblemFound: exit 1 with its message
    if output is None:
        _print(text, nl=False)
        return
    try:
        write_text_atomic(output, text)
    except OSError as exc:
        _fail(_cannot_write(output, exc.strerror), EXIT_PROBLEMS)
    _print(_("wrote {path}").format(path=_one_line(str(output))), err=True)


def _emit_output(produce: Callable[[], Output], output: Path | None) -> None:
    """Print or write what a document renderer returned; a binary document (a deck,
    a workbook) only to the file `-o` names."""
    from kontrakt.write import write_bytes_atomic

    rendered = produce()
    if rendered.data is None:
        _emit(lambda: rendered.text, output)
        return
    if output is None:
        _fail(_("this format is a file, not text for the terminal: give -o FILE"))
    try:
        write_bytes_atomic(output, rendered.data)
    except OSError as exc:
        _fail(_cannot_write(output, exc.strerror), EXIT_PROBLEMS)
    _print(_("wrote {path}").format(path=_one_line(str(output))), err=True)


def _load_tolerant(given: Path | None) -> tuple[LoadResult, Portfolio]:
    """The portfolio even with errors in its files; only a broken kontrakt.yaml stops."""
    result = _load(given)
    if result.portfolio is None:
        for line in _problem_lines(result.diagnostics):
            _print(line, err=True)
        _fail(_("kontrakt.yaml has errors, so there is no portfolio to show"), EXIT_PROBLEMS)
    return result, result.portfolio


def _problem_lines(diagnostics: list[Diagnostic]) -> list[str]:
    from kontrakt.render import diagnostics as show

    return show.as_lines(diagnostics, Path.cwd())


def _load_valid(given: Path | None) -> Portfolio:
    """The linked portfolio, or exit 1 with its errors: views are never computed on errors."""
    portfolio = _loaded_valid(given).portfolio
    assert portfolio is not None
    return portfolio


def _loaded_valid(given: Path | None, *, to_change: bool = False) -> LoadResult:
    """What loading found, or exit 1 with its errors (`_load_valid`)."""
    from kontrakt.diagnostics import Severity

    result = _load(given, to_change=to_change)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if errors or result.portfolio is None:
        for line in _problem_lines(errors):
            _print(line, err=True)
        message = ngettext(
            "the portfolio has {count} error; fix them first (`kontrakt check` lists them)",
            "the portfolio has {count} errors; fix them first (`kontrakt check` lists them)",
            len(errors),
        )
        _fail(message.format(count=numeral(len(errors))), EXIT_PROBLEMS)
    return result


def _console() -> Console:
    from kontrakt.render.console import safe_console

    return safe_console()


def _out(output: Output, console: Console | None = None) -> None:
    """Print what a renderer returned: text through the safe way out, or a renderable
    through the safe console."""
    if output.renderable is not None:
        _show(output.renderable, console, wrap=output.wrap)
    else:
        _print(output.text, nl=False, commands=output.commands)


def _show(renderable: RenderableType, console: Console | None = None, *, wrap: bool = True) -> None:
    """Print a rich renderable: straight to a colour terminal, else as checked text."""
    console = console or _console()
    if console.is_terminal and console.color_system is not None:
        console.print(renderable, soft_wrap=not wrap)
        return
    with console.capture() as captured:
        console.print(renderable, soft_wrap=not wrap)
    _print(captured.get(), nl=False)


@app.command()
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            help="initiative, budget, event, meeting, news, question or settings; "
            "default: all, as one JSON object by kind.",
            show_default=False,
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            "-o",
            help="Write one <kind>.schema.json per kind into this folder instead.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of portfolio files, generated from kontrakt's models."""
    import json

    from kontrakt.schema import schema_for, schema_names, schema_text
    from kontrakt.write import write_text_atomic

    names = schema_names()
    if kind is not None and kind not in names:
        _fail(
            _("unknown kind '{kind}'; choose one of {kinds}").format(
                kind=kind, kinds=", ".join(names)
            )
        )
    chosen = [kind] if kind is not None else names
    if output_dir is not None:
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
            for name in chosen:
                write_text_atomic(output_dir / f"{name}.schema.json", schema_text(name))
        except OSError as exc:
            target = exc.filename or output_dir
            _fail(_cannot_write(target, exc.strerror), EXIT_PROBLEMS)
        written = ngettext(
            "wrote {count} schema file(s) to {folder}",
            "wrote {count} schema file(s) to {folder}",
            len(chosen),
        )
        _print(written.format(count=numeral(len(chosen)), folder=_one_line(str(output_dir))))
        return
    document = schema_for(chosen[0]) if kind is not None else {n: schema_for(n) for n in names}
    _print(json.dumps(document, ensure_ascii=False, indent=2))


# What may stand before a command's name and still leave the command the only one
# the run needs: `--lang X` (its value follows it) and `--version`.
_BEFORE_COMMAND = {"--lang": 1, "--version": 0}


def narrowed(whole: typer.Typer, args: Sequence[str]) -> typer.Typer:
    """`whole` with only the command (or group of commands) that `args` name.

    Typer builds every command's options from its signature before it runs one:
    30 commands, a fifth of a short run such as `kontrakt check` of a small
    portfolio. Building only the named one gives the same command, the same help
    and the same messages. Anything else (no command, a name no command has,
    `--help` before the name) gets the whole app, which lists or suggests them all.
    """
    index = 0
    while index < len(args):
        arg = args[index]
        option = arg.partition("=")[0]
        if option in _BEFORE_COMMAND:
            index += 1 + (_BEFORE_COMMAND[option] if option == arg else 0)
            continue
        if arg.startswith("-"):
            return whole
        break
    else:
        return whole
    name = args[index]
    only = copy.copy(whole)
    only.registered_commands = [
        command
        for command in whole.registered_commands
        if (command.name or get_command_name(getattr(command.callback, "__name__", ""))) == name
    ]
    only.registered_groups = [group for group in whole.registered_groups if group.name == name]
    return only if only.registered_commands or only.registered_groups else whole


_stopped_by: list[int] = []  # the signal (SIGTERM, SIGHUP) that stopped this run, if one did


def _stop_as_on_ctrl_c() -> None:
    """SIGTERM and SIGHUP (`kill`, a closed terminal, a cancelled CI job) stop kontrakt
    as Ctrl-C does: the write under way is finished, worker processes finish the
    pages they are writing, and kontrakt says so and exits with 128 + the signal.
    Ended at once instead, the process's workers were killed in the middle of
    writing a page (workers.py ends them with their parent)."""

    def stop(signum: int, _frame: object) -> None:
        _stopped_by.append(signum)
        raise KeyboardInterrupt

    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, stop)


def _interrupted_exit() -> int:
    return 128 + _stopped_by[0] if _stopped_by else EXIT_INTERRUPTED


def main() -> None:
    """Console entry point: a bug shows one line and an exit status, never a traceback.

    Set KONTRAKT_DEBUG=1 to see the traceback of an internal error.
    """
    # A short-lived process: the cyclic collector's passes over thousands of
    # entities cost a tenth of a large portfolio's time and free nothing here.
    gc.disable()
    # kontrakt uses no Pydantic plugins; looking for them scans every installed
    # package's entry points (20 ms of each run), and even the loader's import
    # costs 8 ms (plugins_off.py). Set the variable to override.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    keep_loader_off()
    _stop_as_on_ctrl_c()
    try:
        narrowed(app, sys.argv[1:])()
    except KeyboardInterrupt:
        _print("kontrakt: " + _("interrupted"), err=True)
        sys.exit(_interrupted_exit())
    except Exception as exc:  # pragma: no cover - exercised only by bugs
        if os.environ.get("KONTRAKT_DEBUG"):
            raise
        from kontrakt.render.safe import one_line

        message = _(
            "internal error ({error}); please report it, with KONTRAKT_DEBUG=1 for the details"
        ).format(error=f"{type(exc).__name__}: {one_line(str(exc))}")
        _print(f"kontrakt: {message}", err=True)
        sys.exit(EXIT_INTERNAL)
    finally:
        # With the collector off, every object is still in the young generation,
        # and the interpreter's last collection at exit would walk them all: a
        # fifth of a second after a large report, to free what exit frees anyway.
        gc.freeze()


# `new` and the editing commands (set-status, decide, answer, add-part, move) live
# in modules of their own; importing them registers them on `app`.
from kontrakt import cli_edit, cli_new, cli_site  # noqa: E402, F401
