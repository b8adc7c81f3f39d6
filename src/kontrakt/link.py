"""Stage 4: the portfolio as a whole.

Rules that need more than one file, or the vocabularies in kontrakt.yaml:
references between entities, vocabulary values, duplicate ids, ids that do not
match file names, dates out of order, "of which" parts larger than their line,
budget frames given twice. Each problem points at the exact key or value.

References are checked in files that failed validation too, outside the places
their errors are, so one run shows every problem; and a reference to a file
that exists but has errors (one that failed validation, or could not even be
read or parsed) is not called unknown: that file's own errors say what is wrong.
A frame's total leaves out the budget lines with errors, and says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from kontrakt import currency, indicator_rules
from kontrakt.allocation import decided_day, frame_usage, meeting_days
from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.funders import covered, gives_money
from kontrakt.i18n import _, ngettext, numeral
from kontrakt.models import BudgetLine, Initiative, Loc
from kontrakt.models.budget import Decision, Funder
from kontrakt.models.common import Alert, Gate
from kontrakt.portfolio import Portfolio
from kontrakt.references import all_known, inside, unknown_names
from kontrakt.source import SourceFile
from kontrakt.validate import InvalidFile
from kontrakt.vocabulary_rules import labels_are_distinct


@dataclass(slots=True)
class _Linker:
    """The portfolio a rule looks at, and the one way a rule reports a problem: at a
    place (`loc`) in a file, with a rule id and a message saying what to write."""

    portfolio: Portfolio
    invalid: Sequence[InvalidFile]  # files that exist but failed validation
    duplicates: Sequence[tuple[str, str, SourceFile]]  # (kind, id, file) met twice
    unread: Sequence[tuple[str, str]] = ()  # (kind, id): exist, but unreadable or unparsable
    today: date | None = None  # the day of the check: what is dated after it is warned of
    found: list[Diagnostic] = field(default_factory=list)
    failed: set[tuple[str, str]] = field(init=False)  # (kind, id) of every file with errors

    def __post_init__(self) -> None:
        self.failed = {(file.kind, file.id) for file in self.invalid} | set(self.unread)

    def uncounted_budget(self) -> list[tuple[Any, frozenset[Loc]]]:
        """The budget files no total counts: what each holds (None if it could not be
        read) and where its errors are."""
        uncounted: list[tuple[Any, frozenset[Loc]]] = [
            (file.source.data, file.broken) for file in self.invalid if file.kind == "budget"
        ]
        uncounted += [
            (source.data, frozenset()) for kind, _id, source in self.duplicates if kind == "budget"
        ]
        uncounted += [(None, frozenset()) for kind, _id in self.unread if kind == "budget"]
        return uncounted

    def report(
        self,
        source: SourceFile,
        loc: Loc,
        rule: str,
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        at_key: bool = False,
        subject: str | None = None,
        weight: int | None = None,
    ) -> None:
        found = source.diagnostic(loc, severity, rule, message, at_key=at_key)
        if subject is not None:
            found = replace(found, subject=subject, weight=weight)
        self.found.append(found)

    def names(
        self, source: SourceFile, kind: str, broken: Set[Loc] = frozenset(), held: object = None
    ) -> None:
        """Every name in a file of an entity, organisation or vocabulary value that
        does not exist, outside the places where the file has errors of its own.
        `held` is the file's valid model, read instead of its data (let go)."""
        data = source.data if held is None else held
        for name in unknown_names(self.portfolio, kind, data, broken, self.failed):
            self.report(source, name.loc, name.rule, name.message)

    def kr(self, amount: int) -> str:
        """An amount in a message, as the portfolio's locale writes money."""
        return currency.kronor(amount, self.portfolio.settings.resolved_locale())


E = TypeVar("E")


def out_of_order(first: Any, then: Any) -> bool:
    """Whether `then` (a date or a time) is before `first`, both given. Rules ask
    this before they make their message: formatting one for every file was a
    quarter of link's time."""
    return first is not None and then is not None and bool(then < first)


def _each(
    portfolio: Portfolio, kind: str, table: dict[str, E]
) -> Iterator[tuple[str, E, SourceFile]]:
    """Every entity of a kind with its file, for rules that point into the file."""
    for entity_id, entity in table.items():
        yield entity_id, entity, portfolio.sources[(kind, entity_id)]


def link(
    portfolio: Portfolio,
    duplicates: Sequence[tuple[str, str, SourceFile]] = (),
    invalid: Sequence[InvalidFile] = (),
    unread: Sequence[tuple[str, str]] = (),
    today: date | None = None,
) -> list[Diagnostic]:
    """Every cross-file problem in the portfolio, and the references in its invalid files.

    `unread` holds the (kind, id) of the files that exist but could not be read
    or parsed (their own errors are reported where reading them failed). `today`
    is the day the command runs, passed in (the core asks no clock): spending and
    measurements dated after it are warned of; without it, they are not."""
    linker = _Linker(portfolio, invalid, duplicates, unread, today)
    for rule in RULES:  # within load's numbers_in: the figures in messages
        rule(linker)
    return linker.found


# --- the rules, each one invariant of the whole portfolio ---------------------------------


def ids_are_unique(linker: _Linker) -> None:
    """No two files of a kind have the same id (in different folders of the kind)."""
    portfolio = linker.portfolio
    for kind, entity_id, source in linker.duplicates:
        first = portfolio.sources[(kind, entity_id)].path.relative_to(portfolio.root)
        linker.report(
            source,
            (),
            "duplicate-id",
            _("id '{entity_id}' is already used by {path}; rename one of the files").format(
                entity_id=entity_id, path=first.as_posix()
            ),
        )


def ids_match_file_names(linker: _Linker) -> None:
    """A file's `id:`, where given, is its file name: the name is the id."""
    portfolio = linker.portfolio
    for (kind, entity_id), source in portfolio.sources.items():
        declared = getattr(portfolio.of_kind(kind)[entity_id], "id", None)
        if declared is not None and declared != entity_id:
            linker.report(
                source,
                ("id",),
                "id-mismatch",
                _(
                    "id '{declared}' does not match the file name '{entity_id}.yaml'; "
                    "write id: {entity_id}, or remove the id line (the file name is the id)"
                ).format(declared=declared, entity_id=entity_id),
            )


def names_exist(linker: _Linker) -> None:
    """Every entity, organisation and vocabulary value a file names exists, in valid
    files and in invalid ones outside the places of their own errors."""
    portfolio = linker.portfolio
    for (kind, entity_id), source in portfolio.sources.items():
        held = portfolio.of_kind(kind)[entity_id]
        if not all_known(portfolio, kind, held):  # the quick look first: most files
            linker.names(source, kind, held=held)
    for file in linker.invalid:
        linker.names(file.source, file.kind, file.broken)
    if portfolio.settings_source is not None:
        linker.names(portfolio.settings_source, "settings")


def one_frame_per_category_and_period(linker: _Linker) -> None:
    """kontrakt.yaml gives at most one frame for each category and year."""
    portfolio = linker.portfolio
    source = portfolio.settings_source
    if source is None:
        return
    seen: dict[tuple[str, int], int] = {}
    for index, frame in enumerate(portfolio.settings.frames):
        key = (frame.category, frame.period)
        if key in seen:
            first_line = source.locate(("frames", seen[key]))[0]
            linker.report(
                source,
                ("frames", index),
                "duplicate-frame",
                _(
                    "a frame for {category} {period} is already given on line "
                    "{line}; keep one frame per category and period"
                ).format(category=frame.category, period=frame.period, line=first_line),
            )
        else:
            seen[key] = index


def frames_hold_their_lines(linker: _Linker) -> None:
    """The decided lines of a category and year, and with the proposed ones too, fit
    in its frame; otherwise a warning (an error with --strict).

    A budget line with errors is not counted: where one may draw on a frame, its
    total is a lower bound, and the warning says so; a frame its counted lines
    fit in is then not known to hold, and gets a warning of its own."""
    portfolio = linker.portfolio
    source = portfolio.settings_source
    if source is None or any(
        f.category not in portfolio.settings.vocabularies.categories
        for f in portfolio.settings.frames
    ):
        return
    usage = frame_usage(portfolio)
    uncounted = linker.uncounted_budget()
    labels = portfolio.settings.vocabularies.categories
    for index, frame in enumerate(portfolio.settings.frames):
        decided, proposed = usage.get((frame.category, frame.period), (0, 0))
        missing = sum(
            1
            for data, broken in uncounted
            if _may_draw_on(data, broken, frame.category, frame.period)
        )
        rule = "frame-exceeded"
        if decided > frame.amount:
            used = decided
            if missing:
                message = ngettext(
                    "{category} {period}: decided at least {used} exceeds the frame {frame} "
                    "by at least {over}; {count} budget line has errors and is not counted",
                    "{category} {period}: decided at least {used} exceeds the frame {frame} "
                    "by at least {over}; {count} budget lines have errors and are not counted",
                    missing,
                )
            else:
                message = _(
                    "{category} {period}: decided {used} exceeds the frame {frame} by {over}"
                )
        elif decided + proposed > frame.amount:
            used = decided + proposed
            if missing:
                message = ngettext(
                    "{category} {period}: decided + proposed at least {used} exceeds the frame "
                    "{frame} by at least {over}; {count} budget line has errors and is not "
                    "counted",
                    "{category} {period}: decided + proposed at least {used} exceeds the frame "
                    "{frame} by at least {over}; {count} budget lines have errors and are not "
                    "counted",
                    missing,
                )
            else:
                message = _(
                    "{category} {period}: decided + proposed {used} exceeds the frame "
                    "{frame} by {over}"
                )
        elif missing:
            used = decided + proposed
            rule = "frame-incomplete"
            message = ngettext(
                "{category} {period}: decided + proposed {used} is within the frame {frame}, "
                "but {count} budget line has errors and is not counted; fix it to know "
                "whether the frame holds",
                "{category} {period}: decided + proposed {used} is within the frame {frame}, "
                "but {count} budget lines have errors and are not counted; fix them to know "
                "whether the frame holds",
                missing,
            )
        else:
            continue
        over = max(used - frame.amount, 0)
        linker.report(
            source,
            ("frames", index, "amount"),
            rule,
            message.format(
                category=labels[frame.category].lower(),
                period=frame.period,
                used=linker.kr(used),
                frame=linker.kr(frame.amount),
                over=linker.kr(over),
                count=numeral(missing),
            ),
            Severity.WARNING,
            subject=f"{frame.category}/{frame.period}",
            weight=over + missing,  # an uncounted line makes it no better
        )


def _may_draw_on(data: Any, broken: frozenset[Loc], category: str, period: int) -> bool:
    """Whether a budget file no total counts may hold money of `category` in `period`:
    unless what it says outside its errors rules that out (another year, other
    categories), it may."""

    def given(loc: Loc, value: Any, of: type) -> bool:
        return isinstance(value, of) and not isinstance(value, bool) and not inside(loc, broken)

    if not isinstance(data, dict):
        return True  # unreadable, or not even a mapping: it could be any line
    year = data.get("period")
    if given(("period",), year, int) and year != period:
        return False
    # The line's own category (or none), and each part's (a part with a purpose
    # stays in the line's category).
    categories: set[str | None] = set()
    own = data.get("category")
    if own is not None and not given(("category",), own, str):
        return True
    categories.add(own)
    parts = data.get("parts")
    if parts is not None:
        if not given(("parts",), parts, list):
            return True
        for index, part in enumerate(parts):
            if not isinstance(part, dict) or inside(("parts", index), broken):
                return True
            named = part.get("category")
            if named is not None and not given(("parts", index, "category"), named, str):
                return True
            categories.add(named)
    return category in categories


def no_initiative_relates_to_itself(linker: _Linker) -> None:
    """An initiative's `related` never names the initiative itself."""
    portfolio = linker.portfolio
    for entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        for index, relation in enumerate(initiative.related):
            if relation.initiative == entity_id:
                linker.report(
                    source,
                    ("related", index, "initiative"),
                    "self-reference",
                    _("an initiative cannot relate to itself"),
                )


def initiatives_end_after_they_start(linker: _Linker) -> None:
    """An initiative's `end` is not before its `start`."""
    portfolio = linker.portfolio
    for _entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        if out_of_order(initiative.start, initiative.end):
            linker.report(
                source,
                ("end",),
                "date-order",
                _("end {end} is before start {start}").format(
                    end=initiative.end, start=initiative.start
                ),
            )


def history_is_in_date_order(linker: _Linker) -> None:
    """Status history runs oldest first, one entry per date."""
    portfolio = linker.portfolio
    for _entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        history = initiative.history
        for index in range(1, len(history)):
            previous, current = history[index - 1], history[index]
            if current.date <= previous.date:
                linker.report(
                    source,
                    ("history", index, "date"),
                    "date-order",
                    _(
                        "status history must be in date order: {date} comes after "
                        "{previous}; sort the entries oldest first, one per date"
                    ).format(date=current.date, previous=previous.date),
                )


def journal_is_in_date_order(linker: _Linker) -> None:
    """A journal runs oldest first; an entry out of order is a warning (the views
    sort it, but the file reads wrong)."""
    portfolio = linker.portfolio
    for _entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        journal = initiative.journal
        for index in range(1, len(journal)):
            previous, current = journal[index - 1], journal[index]
            if current.date < previous.date:
                linker.report(
                    source,
                    ("journal", index, "date"),
                    "journal-order",
                    _(
                        "journal entries go oldest first: {date} comes after {previous}; "
                        "move this entry up"
                    ).format(date=current.date, previous=previous.date),
                    Severity.WARNING,
                )


def red_alerts_say_why(linker: _Linker) -> None:
    """A journal entry with a red alert says what is wrong."""
    portfolio = linker.portfolio
    for _entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        for index, entry in enumerate(initiative.journal):
            if entry.alert is Alert.RED and entry.text is None:
                linker.report(
                    source,
                    ("journal", index, "alert"),
                    "journal",
                    _(
                        "a red alert needs a text: add text: with what is wrong and "
                        "what is done about it"
                    ),
                )


def status_agrees_with_history(linker: _Linker) -> None:
    """Where both are given, `status` is the latest history entry's status; when not,
    a view of a past day and of today disagree, so the fix names the command."""
    portfolio = linker.portfolio
    for entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        history = initiative.history
        if history and initiative.status is not None and history[-1].status != initiative.status:
            linker.report(
                source,
                ("status",),
                "status-history",
                _(
                    "status is {status} but the latest history entry ({date}) says "
                    "{latest}; record the change: kontrakt set-status {id} {status} --on DAY"
                ).format(
                    status=initiative.status.value,
                    date=history[-1].date,
                    latest=history[-1].status.value,
                    id=entity_id,
                ),
                Severity.WARNING,
            )


def nothing_is_named_before_it_entered(linker: _Linker) -> None:
    """A meeting, news item or question that names an initiative or a budget line
    did so on its own day; the thing named was in the portfolio then, so its first
    history entry (its `proposed_on`) is not later. Otherwise a past meeting's
    agenda would leave out what the meeting talked about."""
    portfolio = linker.portfolio
    named: dict[tuple[str, str], tuple[date, str]] = {}

    def note(kind: str, entity_id: str, day: date, by: tuple[str, str]) -> None:
        if (kind, entity_id) not in named or day < named[(kind, entity_id)][0]:
            path = portfolio.sources[by].path.relative_to(portfolio.root).as_posix()
            named[(kind, entity_id)] = (day, path)

    for meeting_id, meeting in portfolio.meetings.items():
        for decision in meeting.decisions:
            for initiative in decision.initiatives:
                note("initiative", initiative, meeting.date, ("meeting", meeting_id))
            for line in decision.budget:
                note("budget", line, meeting.date, ("meeting", meeting_id))
    for news_id, item in portfolio.news.items():
        for initiative in item.initiatives:
            note("initiative", initiative, item.date, ("news", news_id))
    for question_id, question in portfolio.questions.items():
        for initiative in question.initiatives:
            note("initiative", initiative, question.raised, ("question", question_id))
    for (kind, entity_id), (day, by) in sorted(named.items()):
        entity = portfolio.of_kind(kind).get(entity_id)
        loc: Loc
        if isinstance(entity, BudgetLine):
            entered, loc = entity.proposed_on, ("proposed_on",)
        elif isinstance(entity, Initiative):
            entered = entity.entered
            at_history = entity.history and entity.history[0].date == entered
            loc = ("history", 0, "date") if at_history else ("proposed_on",)
        else:
            continue
        if entered is not None and entered > day:
            linker.report(
                portfolio.sources[(kind, entity_id)],
                loc,
                "entered-later",
                _(
                    "{file} names this on {day}, before {entered}, when it entered the "
                    "portfolio; write {day} or earlier here"
                ).format(file=by, day=day, entered=entered),
                Severity.WARNING,
            )


def decided_on_only_when_decided(linker: _Linker) -> None:
    """A budget line has a `decided_on` day only if it is decided."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        if line.decided_on is not None and line.decision is not Decision.DECIDED:
            linker.report(
                source,
                ("decided_on",),
                "decision",
                _(
                    "decided_on is given but the line is not decided; "
                    "write decision: decided, or remove decided_on"
                ),
            )
        if out_of_order(line.proposed_on, line.decided_on):
            linker.report(
                source,
                ("decided_on",),
                "date-order",
                _("decided_on {decided} is before proposed_on {proposed}").format(
                    decided=line.decided_on, proposed=line.proposed_on
                ),
            )


def decisions_agree_with_their_lines(linker: _Linker) -> None:
    """A meeting's decision that names a budget line is that line's decision, on the
    meeting's date: a line that gives another `decided_on` of its own is an error
    at the decision (the same date, or none, is the same fact told twice)."""
    portfolio = linker.portfolio
    first: dict[str, tuple[date, str]] = {}  # line -> the earliest meeting deciding it
    for meeting_id, meeting in portfolio.meetings.items():
        for decision in meeting.decisions:
            for line_id in decision.budget if decision.gate is not Gate.STOP else ():
                if line_id not in first or (meeting.date, meeting_id) < first[line_id]:
                    first[line_id] = (meeting.date, meeting_id)
    for meeting_id, meeting, source in _each(portfolio, "meeting", portfolio.meetings):
        for index, decision in enumerate(meeting.decisions):
            if decision.gate is Gate.STOP:
                continue  # decides no money (allocation.meeting_days)
            for place, line_id in enumerate(decision.budget):
                line = portfolio.budget.get(line_id)
                if line is None:
                    continue
                where = ("decisions", index, "budget", place)
                day, earliest = first[line_id]
                if earliest != meeting_id:
                    linker.report(
                        source,
                        where,
                        "decision",
                        _(
                            "budget line {line} is already decided at meeting {meeting} on "
                            "{day}; a line is decided once: remove it from one of the "
                            "two decisions"
                        ).format(line=line_id, meeting=earliest, day=day),
                    )
                    continue
                if line.decision is not Decision.DECIDED:
                    if "decision" in line.model_fields_set:
                        linker.report(
                            source,
                            where,
                            "decision",
                            _(
                                "budget/{line}.yaml says decision: proposed, but this "
                                "meeting decided it; write decision: decided there, or "
                                "remove the line from this decision"
                            ).format(line=line_id),
                        )
                    continue
                if line.decided_on is not None and line.decided_on != meeting.date:
                    linker.report(
                        source,
                        where,
                        "decision",
                        _(
                            "budget/{line}.yaml says decided_on: {own}, but this meeting "
                            "decided it on {day}; write decided_on: {day} there, or remove "
                            "the line from this decision"
                        ).format(line=line_id, own=line.decided_on, day=meeting.date),
                    )


def lines_fund_each_initiative_once(linker: _Linker) -> None:
    """A budget line lists each initiative it funds once."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        funded: set[str] = set()
        for index, funding in enumerate(line.initiatives):
            if funding.initiative in funded:
                linker.report(
                    source,
                    ("initiatives", index),
                    "duplicate-item",
                    _("initiative '{initiative}' is listed twice; keep one").format(
                        initiative=funding.initiative
                    ),
                )
            funded.add(funding.initiative)


def shares_add_up_to_the_line(linker: _Linker) -> None:
    """Shares are all or nothing: given for every initiative, adding up to the amount."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        given = [funding.share for funding in line.initiatives if funding.share is not None]
        shares = sum(given)
        if given and (len(given) != len(line.initiatives) or shares != line.amount):
            linker.report(
                source,
                ("initiatives",),
                "shares",
                _(
                    "shares must be given for every initiative and add up to the line's "
                    "amount {amount} (they add up to {shares} over {given} of {count} "
                    "initiatives); or give no shares to split the line evenly"
                ).format(
                    amount=linker.kr(line.amount),
                    shares=linker.kr(shares),
                    given=numeral(len(given)),
                    count=numeral(len(line.initiatives)),
                ),
                at_key=True,
            )


def parts_have_a_category_or_a_purpose(linker: _Linker) -> None:
    """An 'of which' part names a category or a purpose: exactly one of them."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        for index, part in enumerate(line.parts):
            if (part.category is None) == (part.purpose is None):
                linker.report(
                    source,
                    ("parts", index),
                    "part",
                    _(
                        "an 'of which' part needs either a category (varav 100´ pilotbudget) "
                        "or a purpose (varav 100´ konsult), not both and not neither"
                    ),
                )


def parts_fit_in_the_line(linker: _Linker) -> None:
    """The 'of which' parts of a line add up to at most its amount."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        total = sum(part.amount for part in line.parts)
        if total > line.amount:
            linker.report(
                source,
                ("parts",),
                "parts-exceed-line",
                _(
                    "the 'of which' parts add up to {total}, more than the line's "
                    "amount {amount}; lower a part or raise the amount"
                ).format(total=linker.kr(total), amount=linker.kr(line.amount)),
                at_key=True,
            )


def spending_is_in_date_order(linker: _Linker) -> None:
    """A line's spending entries are listed oldest first, as they are appended."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        for index in range(1, len(line.spent)):
            before, entry = line.spent[index - 1], line.spent[index]
            if entry.date < before.date:
                linker.report(
                    source,
                    ("spent", index, "date"),
                    "spending-order",
                    _(
                        "spending of {day} is listed after spending of {before}; "
                        "list spending oldest first"
                    ).format(day=entry.date, before=before.date),
                    Severity.WARNING,
                )


def spending_is_listed_once(linker: _Linker) -> None:
    """An entry of a line's spending that repeats another (the same date, amount and
    voucher), or gives a voucher another entry gives, is a warning at the second: it
    is counted twice. A voucher may be split over two lines, so only one line's
    entries are compared."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        entries: dict[tuple[date, int, str | None], int] = {}
        vouchers: dict[str, int] = {}
        for index, entry in enumerate(line.spent):
            voucher = entry.voucher.strip() if entry.voucher else None
            same = entries.setdefault((entry.date, entry.amount, voucher), index)
            booked = vouchers.setdefault(voucher, index) if voucher else index
            if same != index:
                where: Loc = ("spent", index)
                first = same
                if voucher:
                    message = _(
                        "this spending repeats the entry on line {line} (the same date, amount "
                        "and voucher), so it is counted twice; remove it if it was entered twice"
                    )
                else:
                    message = _(
                        "this spending repeats the entry on line {line} (the same date and "
                        "amount, no voucher), so it is counted twice; remove it if it was "
                        "entered twice, or give each its voucher"
                    )
            elif booked != index:
                where, first = ("spent", index, "voucher"), booked
                message = _(
                    "voucher '{voucher}' is already given on line {line}, so the money is counted "
                    "twice; remove the entry entered twice, or correct the voucher"
                )
            else:
                continue
            linker.report(
                source,
                where,
                "spending-duplicate",
                message.format(line=source.locate(("spent", first))[0], voucher=voucher),
                Severity.WARNING,
            )


def spending_is_not_dated_after_today(linker: _Linker) -> None:
    """Spending is written once the money is spent: an entry dated after today is a
    warning (a date that is to come today is right later, so not an error). The
    views count it from its day on, as they count a day's spending with --as-of."""
    today = linker.today
    if today is None:
        return
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        for index, entry in enumerate(line.spent):
            if entry.date > today:
                linker.report(
                    source,
                    ("spent", index, "date"),
                    "spending-future",
                    _(
                        "this spending is dated {day}, after today ({today}), so it is not "
                        "counted until then; check the date"
                    ).format(day=entry.date, today=today),
                    Severity.WARNING,
                )


def spending_fits_the_line(linker: _Linker) -> None:
    """What is spent on a line stays within its amount (the decided amount, on a
    decided line): the entry that takes the line above it is an error. Spending on
    a line not decided, or before the day it was decided, is a warning."""
    portfolio = linker.portfolio
    by_meeting: dict[str, date] | None = None  # only where money is spent
    for line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        if not line.spent:
            continue
        if by_meeting is None:
            by_meeting = meeting_days(portfolio)
        running = 0
        for index, entry in enumerate(line.spent):
            running += entry.amount
            if running > line.amount:
                linker.report(
                    source,
                    ("spent", index, "amount"),
                    "spending-exceeds",
                    _(
                        "spending adds up to {spent} with this entry, more than the line's "
                        "amount {amount}; check the amount, or raise the line's amount "
                        "by a new decision"
                    ).format(spent=linker.kr(running), amount=linker.kr(line.amount)),
                )
                break
        decided, day = decided_day(line, by_meeting.get(line_id))
        if not decided:
            linker.report(
                source,
                ("spent",),
                "spending-undecided",
                _(
                    "money is spent on a line that is not decided; "
                    "write decision: decided and decided_on: YYYY-MM-DD once it is"
                ),
                Severity.WARNING,
                at_key=True,
            )
            continue
        for index, entry in enumerate(line.spent):
            if day is not None and entry.date < day:
                linker.report(
                    source,
                    ("spent", index, "date"),
                    "spending-undecided",
                    _("spent on {spent_on}, before the line was decided on {day}").format(
                        spent_on=entry.date, day=day
                    ),
                    Severity.WARNING,
                )


def funders_are_whole(linker: _Linker) -> None:
    """A funder is an organisation or a name, and gives an amount, a share or hours;
    each funder once; together they give at most the line, and if they give money
    but less than the line, the rest is unassigned (a warning). Funders that give
    only hours pay no kronor: the line is paid as its frame says (funders.paying),
    and a frame's shares short of 100 are warned of at the frame."""
    portfolio = linker.portfolio
    for _line_id, line, source in _each(portfolio, "budget", portfolio.budget):
        if not line.funders:
            continue
        seen: dict[object, int] = {}
        for index, funder in enumerate(line.funders):
            if (funder.organisation is None) == (funder.name is None):
                linker.report(
                    source,
                    ("funders", index),
                    "funder",
                    _(
                        "a funder needs either organisation: (an organisation's id) or "
                        "name: (an external funder, such as Vinnova), not both and not neither"
                    ),
                )
                continue
            if funder.amount is not None and funder.share is not None:
                linker.report(
                    source,
                    ("funders", index, "share"),
                    "funder",
                    _("a funder gives an amount or a share (per cent), not both; keep one"),
                )
            elif funder.amount is None and funder.share is None and funder.hours is None:
                linker.report(
                    source,
                    ("funders", index),
                    "funder",
                    _(
                        "the funder gives nothing; add amount: (kronor), share: (per cent "
                        "of the line) or hours: (in kind)"
                    ),
                )
            _once(linker, source, ("funders",), seen, index, funder)
        shares = sum(funder.share or 0 for funder in line.funders)
        given = covered(line)
        if shares > 100 or given > line.amount:
            linker.report(
                source,
                ("funders",),
                "funders-exceed-line",
                _(
                    "the funders give {given}, more than the line's amount {amount} "
                    "(shares are per cent of the line and add up to at most 100); "
                    "lower an amount or a share"
                ).format(given=linker.kr(given), amount=linker.kr(line.amount)),
                at_key=True,
            )
        elif given < line.amount and any(gives_money(funder) for funder in line.funders):
            linker.report(
                source,
                ("funders",),
                "funders-short",
                _(
                    "the funders give {given} of the line's {amount}; the remaining "
                    "{rest} is shown as unassigned: add a funder or raise a share"
                ).format(
                    given=linker.kr(given),
                    amount=linker.kr(line.amount),
                    rest=linker.kr(line.amount - given),
                ),
                Severity.WARNING,
                at_key=True,
            )


def _once(
    linker: _Linker,
    source: SourceFile,
    at: Loc,
    seen: dict[object, int],
    index: int,
    funder: Funder,
) -> None:
    """A funder listed a second time in the list at `at` (the same organisation, or
    the same name in any case) is an error at the second listing: the views would
    show it twice, or add up what two entries give without anyone having said so."""
    key = _same_funder(funder)
    if key is None:
        return
    if key in seen:
        first_line = source.locate((*at, seen[key]))[0]
        linker.report(
            source,
            (*at, index),
            "duplicate-funder",
            _(
                "funder '{funder}' is already listed on line {line}; merge the two into "
                "one entry, with what they give added up"
            ).format(funder=funder.organisation or funder.name, line=first_line),
        )
    else:
        seen[key] = index


def _same_funder(funder: Funder) -> object:
    """What makes two listings the same funder: the organisation, or the name in any
    case and spacing (`Vinnova`, `vinnova `); None for one that names neither."""
    if funder.organisation is not None:
        return ("organisation", funder.organisation)
    if funder.name is not None:
        return ("external", " ".join(funder.name.split()).casefold())
    return None


def frame_funders_give_shares(linker: _Linker) -> None:
    """A frame's funders are organisations or names with a share each (per cent of
    every line of the frame whose own funders give no money), each funder once, at
    most 100 together; less than 100 leaves the rest of each such line unassigned,
    which the views show apart (a warning, as on a line)."""
    portfolio = linker.portfolio
    source = portfolio.settings_source
    if source is None:
        return
    for index, frame in enumerate(portfolio.settings.frames):
        seen: dict[object, int] = {}
        whole = True
        for place, funder in enumerate(frame.funders):
            _once(linker, source, ("frames", index, "funders"), seen, place, funder)
            if (funder.organisation is None) == (funder.name is None):
                whole = False
                linker.report(
                    source,
                    ("frames", index, "funders", place),
                    "funder",
                    _(
                        "a funder needs either organisation: (an organisation's id) or "
                        "name: (an external funder, such as Vinnova), not both and not neither"
                    ),
                )
            elif funder.share is None or funder.amount is not None or funder.hours is not None:
                whole = False
                linker.report(
                    source,
                    ("frames", index, "funders", place),
                    "funder",
                    _(
                        "a frame's funder gives a share: (per cent of each line of the frame "
                        "that names no funders); give amounts and hours on the budget lines"
                    ),
                )
        shares = sum(funder.share or 0 for funder in frame.funders)
        if shares > 100:
            linker.report(
                source,
                ("frames", index, "funders"),
                "funders-exceed-line",
                _("the frame's funders' shares add up to more than 100 per cent"),
                at_key=True,
            )
        elif frame.funders and whole and shares < 100:
            linker.report(
                source,
                ("frames", index, "funders"),
                "funders-short",
                _(
                    "the frame's funders' shares add up to {shares} per cent; the remaining "
                    "{rest} per cent of each line they pay is shown as unassigned: add a "
                    "funder or raise a share"
                ).format(shares=shares, rest=100 - shares),
                Severity.WARNING,
                at_key=True,
            )


def events_end_after_they_start(linker: _Linker) -> None:
    """An event's `end_date` needs a `date` and is not before it; on one day, its
    `end` time is not before its `start`."""
    portfolio = linker.portfolio
    for _entity_id, event, source in _each(portfolio, "event", portfolio.events):
        if event.end_date is not None and event.date is None:
            message = _("end_date needs a date: add date: YYYY-MM-DD")
            linker.report(source, ("end_date",), "date-order", message)
        if out_of_order(event.date, event.end_date):
            linker.report(
                source,
                ("end_date",),
                "date-order",
                _("end_date {end_date} is before date {date}").format(
                    end_date=event.end_date, date=event.date
                ),
            )
        if event.end_date in (None, event.date) and out_of_order(event.start, event.end):
            linker.report(
                source,
                ("end",),
                "date-order",
                _("end {end} is before start {start}").format(end=event.end, start=event.start),
            )


def series_agree(linker: _Linker) -> None:
    """The events of a series agree on its count, and each number is used once and
    is at most the count."""
    portfolio = linker.portfolio
    series: dict[str, list[tuple[str, int | None, int]]] = defaultdict(list)
    for entity_id, event, source in _each(portfolio, "event", portfolio.events):
        if event.series is None:
            continue
        nth, count = event.series.number, event.series.count
        if count is not None and nth > count:
            linker.report(
                source,
                ("series", "number"),
                "series",
                _("number {number} is larger than the series' count {count}").format(
                    number=numeral(nth), count=numeral(count)
                ),
            )
        series[event.series.name].append((entity_id, count, nth))
    for name, members in series.items():
        counts = {count for _entity_id, count, _nth in members if count is not None}
        numbers: dict[int, str] = {}
        for entity_id, _count, nth in members:
            source = portfolio.sources[("event", entity_id)]
            if len(counts) > 1:
                linker.report(
                    source,
                    ("series", "count"),
                    "series",
                    _(
                        "events of the series '{name}' disagree on its count "
                        "({counts}); give them all the same count"
                    ).format(name=name, counts=", ".join(map(numeral, sorted(counts)))),
                )
            if nth in numbers:
                linker.report(
                    source,
                    ("series", "number"),
                    "series",
                    _("event {event} already has number {number} in the series '{name}'").format(
                        event=numbers[nth], number=numeral(nth), name=name
                    ),
                )
            else:
                numbers[nth] = entity_id


def meetings_end_after_they_start(linker: _Linker) -> None:
    """A meeting's `end` time is not before its `start`."""
    portfolio = linker.portfolio
    for _entity_id, meeting, source in _each(portfolio, "meeting", portfolio.meetings):
        if out_of_order(meeting.start, meeting.end):
            linker.report(
                source,
                ("end",),
                "date-order",
                _("end {end} is before start {start}").format(end=meeting.end, start=meeting.start),
            )


def one_meeting_per_kind_and_date(linker: _Linker) -> None:
    """At most one meeting of each kind on a date: an agenda names one meeting."""
    portfolio = linker.portfolio
    taken: dict[tuple[object, str], str] = {}
    for entity_id, meeting, source in _each(portfolio, "meeting", portfolio.meetings):
        key = (meeting.date, meeting.kind)
        if key in taken:
            linker.report(
                source,
                ("date",),
                "duplicate-meeting",
                _(
                    "meeting {meeting} is already a {kind} meeting on {date}; "
                    "keep one file per meeting"
                ).format(meeting=taken[key], kind=meeting.kind, date=meeting.date),
            )
        else:
            taken[key] = entity_id


def answers_come_with_their_day(linker: _Linker) -> None:
    """A question's `answer` and `answered` are given together, and it is answered no
    earlier than it was raised."""
    portfolio = linker.portfolio
    for _entity_id, question, source in _each(portfolio, "question", portfolio.questions):
        if (question.answer is None) != (question.answered is None):
            missing = "answered: YYYY-MM-DD" if question.answered is None else "answer: ..."
            present = "answer" if question.answered is None else "answered"
            linker.report(
                source,
                (present,),
                "answer",
                _("{key} is given without its pair; add {missing}").format(
                    key=present, missing=missing
                ),
            )
        if out_of_order(question.raised, question.answered):
            linker.report(
                source,
                ("answered",),
                "date-order",
                _("answered {answered} is before raised {raised}").format(
                    answered=question.answered, raised=question.raised
                ),
            )


def nothing_is_written_before_what_it_follows(linker: _Linker) -> None:
    """An action is opened no earlier than the meeting or question it came from, and
    no earlier than the initiatives it names entered; a journal entry is dated no
    earlier than its initiative entered. Otherwise a past meeting's agenda would show
    what was agreed or written only later (warnings, as for other names)."""
    portfolio = linker.portfolio
    for _action_id, action, source in _each(portfolio, "action", portfolio.actions):
        if action.opened is None:
            continue
        after: list[tuple[date, str]] = []
        meeting = portfolio.meetings.get(action.from_meeting or "")
        if meeting is not None:
            after.append((meeting.date, f"meetings/{action.from_meeting}.yaml"))
        question = portfolio.questions.get(action.from_question or "")
        if question is not None:
            after.append((question.raised, f"questions/{action.from_question}.yaml"))
        for initiative_id in action.initiatives:
            initiative = portfolio.initiatives.get(initiative_id)
            if initiative is not None and initiative.entered is not None:
                after.append((initiative.entered, f"initiatives/{initiative_id}.yaml"))
        for day, file in after:
            if action.opened < day:
                linker.report(
                    source,
                    ("opened",),
                    "entered-later",
                    _(
                        "the action is opened on {opened}, before {file} has it ({day}); "
                        "write opened: {day} or later"
                    ).format(opened=action.opened, file=file, day=day),
                    Severity.WARNING,
                )
                break
    for _key, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        entered = initiative.entered
        if entered is None:
            continue
        for index, entry in enumerate(initiative.journal):
            if entry.date < entered:
                linker.report(
                    source,
                    ("journal", index, "date"),
                    "entered-later",
                    _(
                        "this journal entry is dated {day}, before {entered}, when the "
                        "initiative entered the portfolio; write {entered} or later"
                    ).format(day=entry.date, entered=entered),
                    Severity.WARNING,
                )


def actions_say_who_and_when(linker: _Linker) -> None:
    """An action has an owner and a due day; without them it is a wish (a warning)."""
    portfolio = linker.portfolio
    organisations = ", ".join(portfolio.settings.organisations)
    for _entity_id, action, source in _each(portfolio, "action", portfolio.actions):
        if action.owner is None:
            if organisations:
                message = _(
                    "the action has no owner; add owner: with an organisation ({known}) "
                    "or a person's name"
                ).format(known=organisations)
            else:
                message = _("the action has no owner; add owner: with a person's name")
            linker.report(source, ("title",), "action", message, Severity.WARNING, at_key=True)
        if action.due is None:
            linker.report(
                source,
                ("title",),
                "action",
                _("the action has no due day; add due: YYYY-MM-DD"),
                Severity.WARNING,
                at_key=True,
            )
        if out_of_order(action.opened, action.done):
            linker.report(
                source,
                ("done",),
                "date-order",
                _("done {done} is before opened {opened}").format(
                    done=action.done, opened=action.opened
                ),
            )


Rule = Callable[[_Linker], None]

# Every cross-file rule, in the order they run: a new rule is a function above and
# an entry here.
RULES: tuple[Rule, ...] = (
    labels_are_distinct,
    ids_are_unique,
    ids_match_file_names,
    names_exist,
    one_frame_per_category_and_period,
    frames_hold_their_lines,
    no_initiative_relates_to_itself,
    initiatives_end_after_they_start,
    history_is_in_date_order,
    journal_is_in_date_order,
    red_alerts_say_why,
    status_agrees_with_history,
    nothing_is_named_before_it_entered,
    nothing_is_written_before_what_it_follows,
    decided_on_only_when_decided,
    decisions_agree_with_their_lines,
    lines_fund_each_initiative_once,
    shares_add_up_to_the_line,
    parts_have_a_category_or_a_purpose,
    parts_fit_in_the_line,
    spending_is_in_date_order,
    spending_is_listed_once,
    spending_is_not_dated_after_today,
    spending_fits_the_line,
    funders_are_whole,
    frame_funders_give_shares,
    events_end_after_they_start,
    series_agree,
    meetings_end_after_they_start,
    one_meeting_per_kind_and_date,
    answers_come_with_their_day,
    actions_say_who_and_when,
    *indicator_rules.RULES,
)
