"""`kontrakt status`: the portfolio on one screen, and the same as JSON.

The screen is built from rich renderables that fit 80 columns: titles are
shortened with … where they must be, amounts and markers (an overdue milestone's
date) never. Without a terminal, or with NO_COLOR, the CLI prints it as plain text.

A portfolio with files that could not be read is still shown, and says so: at the
top, and in each list those files would have been in, so that a shorter list or
"no open questions" is never taken for the truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kontrakt.i18n import _, ngettext, numbers_in, numeral, speaking
from kontrakt.labels import COLUMNS
from kontrakt.render import numbers
from kontrakt.render.output import Output
from kontrakt.render.safe import fold, to_json
from kontrakt.views.budget import BudgetView
from kontrakt.views.snapshot import InitiativeState, Snapshot

if TYPE_CHECKING:
    from datetime import date

    from rich.console import Console, ConsoleOptions, Group
    from rich.text import Text

    from kontrakt.load import LoadResult
    from kontrakt.portfolio import Portfolio
    from kontrakt.render.grid import Shortened


@dataclass(frozen=True, slots=True)
class CheckCounts:
    errors: int
    warnings: int
    files: int
    # The files (or folders) kept out of the portfolio by their errors, relative to
    # its root: what the screen shows may lack what they hold.
    unreadable: tuple[str, ...] = field(default=())

    def unreadable_in(self, folder: str) -> int:
        """How many of the unreadable files are in `folder` (questions, events, …)."""
        return sum(1 for path in self.unreadable if path.split("/", 1)[0] == folder)


SCREEN_ROWS_PER_STATUS = 12


def as_renderable(
    portfolio: Portfolio,
    snap: Snapshot,
    budget: BudgetView | None,
    counts: CheckCounts,
    *,
    limit: int | None = SCREEN_ROWS_PER_STATUS,
) -> Group:
    """One screen, in the portfolio's language: at most `limit` initiatives per status
    (None: all of them)."""
    settings = portfolio.settings
    with speaking(settings.language), numbers_in(settings.resolved_locale()):
        return _screen(portfolio, snap, budget, counts, limit)


def _screen(
    portfolio: Portfolio,
    snap: Snapshot,
    budget: BudgetView | None,
    counts: CheckCounts,
    limit: int | None,
) -> Group:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    settings = portfolio.settings
    locale = settings.resolved_locale()
    kinds = settings.vocabularies.kinds
    parts: list[Any] = [
        Text(fold(f"{settings.name} – {settings.mission}"), style="bold"),
        Text(_("Status as of {day}").format(day=snap.day.isoformat()), style="dim"),
    ]
    if counts.unreadable:
        not_read = ngettext(
            "{count} file could not be read; run {command}",
            "{count} files could not be read; run {command}",
            len(counts.unreadable),
        )
        not_read = not_read.format(count=numeral(len(counts.unreadable)), command="kontrakt check")
        parts.append(Text(not_read, style="red"))
    states = snap.initiatives
    with_owner = any(state.initiative.owner for state in states)
    with_milestone = any(state.next_milestone for state in states)
    with_alert = any(state.alert for state in states)
    with_stale = any(state.stale for state in states)
    alerts = settings.alert_labels()
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True, overflow="ellipsis", style="cyan", max_width=20)
    if with_alert:  # the alert as a word, never as a colour alone
        table.add_column(no_wrap=True, max_width=16, overflow="ellipsis")
    if with_owner:
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    if with_milestone:
        milestones = [_milestone(state) for state in states]
        # At least as wide as the longest date and "overdue:" before a title, which
        # are never cut (the width of a ratio column is its least).
        least = max(m.least for m in milestones if m is not None)
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis", width=least)
    for group in snap.groups:
        label = group.label
        table.add_row("")
        table.add_row(Text(f"{fold(label)} ({len(group.initiatives)})", style="bold"))
        shown = group.initiatives if limit is None else group.initiatives[:limit]
        for state in shown:
            initiative = state.initiative
            kind = kinds.get(initiative.kind, initiative.kind) if initiative.kind else ""
            # Text, never str: rich would read [brackets] in a title as markup.
            # A stale journal is marked in the margin (explained under the table).
            title = Text("⚠ " if state.stale else "  ", style="yellow")
            title.append(fold(initiative.title), style="")
            row: list[Any] = [title, Text(fold(kind))]
            if with_alert:
                alert = state.alert
                word = fold(alerts[alert]) if alert else ""
                row.append(Text(word, style=_ALERT_STYLE[alert] if alert else ""))
            if with_owner:
                row.append(Text(fold(initiative.owner or "")))
            if with_milestone:
                row.append(_milestone(state) or "")
            table.add_row(*row)
        if len(shown) < len(group.initiatives):
            more = _more(len(group.initiatives) - len(shown))
            table.add_row(Text("  " + more, style="dim"))
    parts.append(table)
    if with_stale:
        stale = ngettext(
            "⚠ ongoing, with no journal entry in the last {days} day",
            "⚠ ongoing, with no journal entry in the last {days} days",
            settings.journal_stale_days,
        )
        parts.append(Text(""))
        parts.append(
            Text("  " + stale.format(days=numeral(settings.journal_stale_days)), style="dim")
        )
    if counts.unreadable_in("initiatives"):
        parts.append(Text(""))
        parts.append(_not_read(counts.unreadable_in("initiatives"), "initiatives"))
    parts.append(Text(""))
    if budget is None:
        parts.append(Text(_("Budget not shown: the portfolio has errors."), style="yellow"))
    else:
        parts.append(BudgetTable(budget, locale))
    upcoming = ngettext(
        "Upcoming events (next {days} day)", "Upcoming events (next {days} days)", snap.days
    )
    parts.append(Text("\n" + upcoming.format(days=numeral(snap.days)), style="bold"))
    if snap.upcoming_events:
        events = Table.grid(padding=(0, 1), expand=True)
        events.add_column(no_wrap=True)
        events.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        listed = snap.upcoming_events if limit is None else snap.upcoming_events[:limit]
        for _key, event in listed:
            events.add_row(Text("  " + event.when), Text(fold(event.title)))
            place = event.place
            if place:
                events.add_row("", Text(fold(place), style="dim"))
        if len(listed) < len(snap.upcoming_events):
            more = _more(len(snap.upcoming_events) - len(listed))
            events.add_row(Text("  " + more, style="dim"), "")
        parts.append(events)
    elif not counts.unreadable_in("events"):
        nothing = ngettext(
            "No events in the next {days} day.", "No events in the next {days} days.", snap.days
        )
        parts.append(Text("  " + nothing.format(days=numeral(snap.days)), style="dim"))
    if counts.unreadable_in("events"):
        parts.append(_not_read(counts.unreadable_in("events"), "events"))
    questions_heading = _("Open questions ({count})").format(
        count=numeral(len(snap.open_questions))
    )
    parts.append(Text("\n" + questions_heading, style="bold"))
    if snap.open_questions:
        questions = Table.grid(padding=(0, 1), expand=True)
        questions.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        questions.add_column(no_wrap=True, style="dim")
        asked = snap.open_questions if limit is None else snap.open_questions[:limit]
        for _key, question in asked:
            text = "  " + fold(question.title)
            if question.to:
                text += " " + _("(to {to})").format(to=fold(question.to))
            questions.add_row(Text(text), _("raised {day}").format(day=question.raised))
            # The initiatives it is about on a line of their own, as an event's place:
            # beside the title they read as part of it (and repeat it, often). One
            # whose file could not be read is named by its id.
            about = [
                found.title if (found := portfolio.initiatives.get(key)) is not None else key
                for key in question.initiatives
            ]
            if about:
                questions.add_row(Text("    ↳ " + fold(", ".join(about)), style="dim"), "")
        if len(asked) < len(snap.open_questions):
            more = _more(len(snap.open_questions) - len(asked))
            questions.add_row(Text("  " + more, style="dim"), "")
        parts.append(questions)
    elif not counts.unreadable_in("questions"):
        parts.append(Text("  " + _("No open questions."), style="dim"))
    if counts.unreadable_in("questions"):
        parts.append(_not_read(counts.unreadable_in("questions"), "questions"))
    if portfolio.actions or counts.unreadable_in("actions"):
        parts.extend(_actions(portfolio, snap, limit))
    if counts.unreadable_in("actions"):
        parts.append(_not_read(counts.unreadable_in("actions"), "actions"))
    errors = ngettext("{count} error", "{count} errors", counts.errors)
    warnings = ngettext("{count} warning", "{count} warnings", counts.warnings)
    summary = _("Check: {errors}, {warnings}").format(
        errors=errors.format(count=numeral(counts.errors)),
        warnings=warnings.format(count=numeral(counts.warnings)),
    )
    style = "red" if counts.errors else ("yellow" if counts.warnings else "green")
    line = Text(f"\n{summary}", style=style)
    if counts.errors or counts.warnings:
        line.append(" · " + _("show them with: {command}").format(command="kontrakt check"))
    parts.append(line)
    return Group(*parts)


def _actions(portfolio: Portfolio, snap: Snapshot, limit: int | None) -> list[Any]:
    """The open actions, by due day: an overdue one says so in words."""
    from rich.table import Table
    from rich.text import Text

    organisations = portfolio.settings.organisations
    heading = _("Open actions ({count})").format(count=numeral(len(snap.open_actions)))
    found: list[Any] = [Text("\n" + heading, style="bold")]
    if not snap.open_actions:
        found.append(Text("  " + _("No open actions."), style="dim"))
        return found
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(no_wrap=True)
    listed = snap.open_actions if limit is None else snap.open_actions[:limit]
    for _key, action in listed:
        owner = organisations.get(action.owner, action.owner) if action.owner else ""
        if action.overdue(snap.day):
            assert action.due is not None
            due = Text(_("overdue: {day}").format(day=action.due.isoformat()), style="bold red")
        elif action.due is not None:
            due = Text(_("due {day}").format(day=action.due.isoformat()), style="dim")
        else:
            due = Text("")
        table.add_row(Text("  " + fold(action.title)), Text(fold(owner), style="dim"), due)
    if len(listed) < len(snap.open_actions):
        table.add_row(Text("  " + _more(len(snap.open_actions) - len(listed)), style="dim"), "", "")
    found.append(table)
    return found


_ALERT_STYLE = {"green": "green", "yellow": "yellow", "red": "bold red"}


def _more(count: int) -> str:
    return _("… and {count} more (--all shows all)").format(count=numeral(count))


def _not_read(count: int, folder: str) -> Text:
    """A list's note that some of its files could not be read."""
    from rich.text import Text

    message = ngettext(
        "{count} file in {folder}/ could not be read",
        "{count} files in {folder}/ could not be read",
        count,
    )
    return Text("  " + message.format(count=numeral(count), folder=folder), style="red")


def _milestone(state: InitiativeState) -> Shortened | None:
    """The next milestone: its date (and "overdue:") kept whole, its title shortened."""
    from rich.text import Text

    from kontrakt.render.grid import Shortened

    milestone = state.next_milestone
    if milestone is None:
        return None
    title = fold(milestone.title)
    if state.overdue:
        # The message is one sentence for translators; the title is cut inside it.
        marker = "\x00"
        whole = _("overdue: {milestone}").format(milestone=f"{milestone.date} {marker}")
        before, _marker, after = whole.partition(marker)
        return Shortened(
            Text(title, style="bold red"),
            Text(before, style="bold red"),
            Text(after, style="bold red"),
        )
    return Shortened(title, f"{milestone.date} ")


class BudgetTable:
    """The budget per category for the screen, laid out for the width it is given:
    amounts right-aligned and never cut, category labels shortened with … to fit,
    column headings over two lines where one is too wide.

    Its words are taken when it is made, in the language speaking then; the layout
    waits for the width."""

    COLUMNS = ("frame", "decided", "proposed", "remaining_if_approved")

    def __init__(self, view: BudgetView, locale: str) -> None:
        from kontrakt.render.budget import budget_title
        from kontrakt.render.grid import Cell

        self.title = fold(budget_title(view))
        self.headings = [_(COLUMNS[column]) for column in self.COLUMNS]
        self.rows: list[list[Cell]] = []
        for group in [*view.groups, view.total]:
            style = "bold" if group is view.total else ""
            cells = [Cell("  " + group.label, style)]
            for column in self.COLUMNS:
                value = getattr(group, column)
                red = column == "remaining_if_approved" and value is not None and value < 0
                shown = "–" if value is None else numbers.amount(value, locale)
                cells.append(Cell(shown, "bold red" if red else style))
            self.rows.append(cells)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        import textwrap

        from rich.text import Text

        from kontrakt.render.grid import layout

        yield Text(self.title, style="bold")
        headings, rows = self.headings, self.rows
        right = [False, *([True] * len(self.COLUMNS))]
        width = options.max_width
        narrow = [textwrap.fill(h, width=10, break_long_words=False) for h in headings]
        # The first layout that fits: headings on one line, on two, and closer together.
        for heads, gap in ((headings, 2), (narrow, 2), (narrow, 1)):
            lines = layout(
                ["", *heads], rows, width=width, right=right, gap=gap, rule=False, first_at_most=24
            )
            if max(line.cell_len for line in lines) <= width:
                break
        for line in lines:
            line.no_wrap = True
            line.overflow = "ignore"
            yield line


def as_json(
    portfolio: Portfolio, snap: Snapshot, budget: BudgetView | None, counts: CheckCounts
) -> str:
    """The status as documented in docs/status-and-report.md."""
    settings = portfolio.settings
    kinds = settings.vocabularies.kinds
    alerts = settings.alert_labels()
    document = {
        "portfolio": {
            "name": settings.name,
            "mission": settings.mission,
            "language": settings.language,
        },
        "as_of": snap.day.isoformat(),
        "initiatives": [
            {
                "status": group.status.value if group.status else None,
                "label": group.label if group.status else None,
                "initiatives": [
                    {
                        "id": state.id,
                        "title": state.initiative.title,
                        "kind": state.initiative.kind,
                        "kind_label": kinds.get(state.initiative.kind)
                        if state.initiative.kind
                        else None,
                        "owner": state.initiative.owner,
                        "alert": state.alert.value if state.alert else None,
                        "alert_label": alerts[state.alert] if state.alert else None,
                        "progress": state.progress,
                        "journal": None
                        if state.latest is None
                        else {
                            "date": state.latest.date.isoformat(),
                            "text": state.latest.text,
                            "learned": state.latest.learned,
                        },
                        "journal_stale": state.stale,
                        "next_milestone": None
                        if state.next_milestone is None
                        else {
                            "date": state.next_milestone.date.isoformat(),
                            "title": state.next_milestone.title,
                            "overdue": state.overdue,
                        },
                    }
                    for state in group.initiatives
                ],
            }
            for group in snap.groups
        ],
        "budget": None
        if budget is None
        else [
            {
                "category": group.key,
                "label": group.label,
                "frame": group.frame,
                "decided": group.decided,
                "proposed": group.proposed,
                "remaining": group.remaining,
                "remaining_if_approved": group.remaining_if_approved,
                "over_frame": group.over_frame,
            }
            for group in budget.groups
        ],
        "events": {
            "days": snap.days,
            "upcoming": [
                {
                    "id": key,
                    "title": event.title,
                    "kind": event.kind,
                    "date": event.date.isoformat() if event.date else None,
                    "start": event.start,
                    "end": event.end,
                    "venue": event.venue,
                    "city": event.city,
                }
                for key, event in snap.upcoming_events
            ],
        },
        "open_questions": [
            {
                "id": key,
                "title": question.title,
                "points": question.points,
                "to": question.to,
                "initiatives": question.initiatives,
                "raised": question.raised.isoformat(),
            }
            for key, question in snap.open_questions
        ],
        "open_actions": [
            {
                "id": key,
                "title": action.title,
                "owner": action.owner,
                "owner_label": settings.organisations.get(action.owner) if action.owner else None,
                "due": action.due.isoformat() if action.due else None,
                "overdue": action.overdue(snap.day),
                "initiatives": action.initiatives,
                "from_meeting": action.from_meeting,
            }
            for key, action in snap.open_actions
        ],
        "check": {
            "errors": counts.errors,
            "warnings": counts.warnings,
            "files": counts.files,
            "command": "kontrakt check",
        },
        "unreadable": list(counts.unreadable),
    }
    return to_json(document)


# --- the formats of `kontrakt status` (render/formats.py names them) ----------------


@dataclass(frozen=True, slots=True)
class StatusRequest:
    """The portfolio as of a day, its budget (None when it has errors), what check found."""

    portfolio: Portfolio
    snap: Snapshot
    budget: BudgetView | None
    counts: CheckCounts
    limit: int | None = SCREEN_ROWS_PER_STATUS  # initiatives per status; None: all


def status_request(
    result: LoadResult, portfolio: Portfolio, day: date, days: int, *, everything: bool = False
) -> StatusRequest:
    """The status as of `day`: the snapshot, the budget by category (only without
    errors: views are never computed on errors), and what check found."""
    from kontrakt.diagnostics import Severity, count
    from kontrakt.render.budget import labeller
    from kontrakt.views.budget import Filters, budget_view
    from kontrakt.views.snapshot import snapshot

    view = None
    if not result.has_errors:
        view = budget_view(portfolio, ["category"], Filters(as_of=day), labeller(portfolio))
    counts = CheckCounts(
        count(result.diagnostics, Severity.ERROR),
        count(result.diagnostics, Severity.WARNING),
        result.files,
        unreadable(result, portfolio),
    )
    limit = None if everything else SCREEN_ROWS_PER_STATUS
    return StatusRequest(portfolio, snapshot(portfolio, day, days), view, counts, limit)


def unreadable(result: LoadResult, portfolio: Portfolio) -> tuple[str, ...]:
    """The files (or folders) with errors that kept them out of the portfolio: not
    read, not YAML, not valid, or a second file with an id; relative to the root."""
    from kontrakt.diagnostics import Severity

    read = {source.path for source in portfolio.sources.values()}
    if portfolio.settings_source is not None:
        read.add(portfolio.settings_source.path)
    kept_out = {
        d.path for d in result.diagnostics if d.severity is Severity.ERROR and d.path not in read
    }
    return tuple(sorted(_relative(path, portfolio.root) for path in kept_out))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def text_output(request: StatusRequest) -> Output:
    screen = as_renderable(
        request.portfolio, request.snap, request.budget, request.counts, limit=request.limit
    )
    return Output(renderable=screen)


def json_output(request: StatusRequest) -> Output:
    document = as_json(request.portfolio, request.snap, request.budget, request.counts)
    return Output(text=document + "\n")
