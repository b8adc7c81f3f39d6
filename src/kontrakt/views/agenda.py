"""A meeting's agenda: what only the meeting brings, and the portfolio as of its date.

- The meeting is the file in meetings/ with that date, of the kind asked for.
  Without a kind, the date must name one meeting: when several kinds meet that
  day the choice is the caller's (`AmbiguousMeeting`, never a silent pick).
  Without a meeting file, the agenda is a draft for the date (of the kind asked
  for, else the vocabulary's first meeting kind).
- News is what is dated after the previous meeting of the same kind and up to
  the meeting's date (news dated on the previous meeting's date belonged to that
  meeting); without a previous meeting, all news up to the date.
- Events, initiatives, budget and open questions follow the snapshot's rules
  (views/snapshot.py) with the meeting's date as the day.
- Questions answered since the previous meeting are listed too.
- Actions: every one open on the meeting's date (carried from meeting to meeting
  until done), by due day; those done since the previous meeting, once.
- Since the last meeting, per initiative: its journal entries, its status
  changes (history entries after its first), the decisions that name it (or a
  budget line funding it) taken at other meetings or by a line's own file, and
  the answers to questions about it, dated in the same window as news. Each
  kind is indexed once, so a portfolio of any size takes one pass of each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from kontrakt.errors import EXIT_PROBLEMS, KontraktError
from kontrakt.i18n import _, ngettext, numeral
from kontrakt.models import Action, Meeting, News, Question
from kontrakt.models.common import Status
from kontrakt.models.initiative import JournalEntry
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio
from kontrakt.views.asof import known_on
from kontrakt.views.snapshot import DecisionTaken, Snapshot, snapshot


@dataclass(frozen=True, slots=True)
class StatusMoved:
    """A dated status change: from the status before (None: it had none) to the new."""

    day: date
    before: Status | None
    after: Status
    note: str | None


@dataclass(slots=True)
class Since:
    """What happened to one initiative since the last meeting, each list oldest first."""

    id: str
    journal: list[JournalEntry] = field(default_factory=list)
    moves: list[StatusMoved] = field(default_factory=list)
    decisions: list[DecisionTaken] = field(default_factory=list)
    answers: list[tuple[str, Question]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.journal or self.moves or self.decisions or self.answers)


@dataclass(slots=True)
class Agenda:
    day: date
    kind: str | None
    meeting_id: str | None
    meeting: Meeting | None
    previous: date | None
    news: list[tuple[str, News]]
    answered_since: list[tuple[str, Question]]
    snapshot: Snapshot
    since: list[Since] = field(default_factory=list)  # initiatives in listing order
    open_actions: list[tuple[str, Action]] = field(default_factory=list)  # by due day
    done_actions: list[tuple[str, Action]] = field(default_factory=list)  # done since the last

    @property
    def draft(self) -> bool:
        return self.meeting is None


class MeetingChoice(KontraktError):
    """Why a date (and a kind) does not pick one meeting; `str()` is the message."""


class UnknownMeetingKind(MeetingChoice):
    """A kind that is not in vocabularies.meeting_kinds: a usage error."""

    def __init__(self, kind: str, known: Sequence[str]) -> None:
        self.kind, self.known = kind, tuple(known)
        if known:
            message = _("unknown meeting kind '{kind}'; known: {known}").format(
                kind=kind, known=", ".join(known)
            )
        else:
            message = _(
                "unknown meeting kind '{kind}'; "
                "kontrakt.yaml lists none under vocabularies.meeting_kinds"
            ).format(kind=kind)
        super().__init__(message)


class AmbiguousMeeting(MeetingChoice):
    """Several meetings on one date and no kind given to choose between them."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, day: date, kinds: Sequence[str]) -> None:
        self.day, self.kinds = day, tuple(kinds)
        super().__init__(
            ngettext(
                "{count} meeting on {date}: {kinds}; choose one with --kind",
                "{count} meetings on {date}: {kinds}; choose one with --kind",
                len(kinds),
            ).format(count=numeral(len(kinds)), date=day.isoformat(), kinds=", ".join(kinds))
        )


def meetings_on(portfolio: Portfolio, day: date) -> list[tuple[str, Meeting]]:
    """The meetings on a day, in the order of the meeting-kind vocabulary."""
    kinds = list(portfolio.settings.vocabularies.meeting_kinds)
    found = [(key, m) for key, m in portfolio.meetings.items() if m.date == day]
    return sorted(found, key=lambda item: (_rank(kinds, item[1].kind), item[0]))


def known_kind(portfolio: Portfolio, kind: str | None) -> None:
    """Raise `UnknownMeetingKind` unless `kind` is None or in vocabularies.meeting_kinds."""
    known = list(portfolio.settings.vocabularies.meeting_kinds)
    if kind is not None and kind not in known:
        raise UnknownMeetingKind(kind, known)


def choose(portfolio: Portfolio, day: date, kind: str | None) -> tuple[str, Meeting] | None:
    """The meeting on `day` of `kind`; without a kind, the only meeting that day.

    None when there is no such meeting. `UnknownMeetingKind` for a kind not in the
    vocabulary; `AmbiguousMeeting` when no kind is given and several meetings
    share the day: the caller chooses, kontrakt never picks one silently.
    """
    known_kind(portfolio, kind)
    on_day = meetings_on(portfolio, day)
    if kind is not None:
        return next(((key, m) for key, m in on_day if m.kind == kind), None)
    if len(on_day) > 1:
        raise AmbiguousMeeting(day, [m.kind for _key, m in on_day])
    return on_day[0] if on_day else None


def next_meeting(
    portfolio: Portfolio, today: date, kind: str | None = None
) -> tuple[str, Meeting] | None:
    """The first meeting on or after today (of `kind`, if given); it raises as
    `choose` does when several meetings share that first date."""
    known_kind(portfolio, kind)
    upcoming = [
        m.date
        for m in portfolio.meetings.values()
        if m.date >= today and (kind is None or m.kind == kind)
    ]
    if not upcoming:
        return None
    return choose(portfolio, min(upcoming), kind)


def agenda(portfolio: Portfolio, day: date, *, kind: str | None = None, days: int = 60) -> Agenda:
    """The agenda of the meeting `choose` finds, else a draft for the date."""
    portfolio = known_on(portfolio, day)
    found = choose(portfolio, day, kind)
    meeting_id, meeting = found if found else (None, None)
    kinds = list(portfolio.settings.vocabularies.meeting_kinds)
    if meeting is not None:
        kind = meeting.kind
    elif kind is None:
        kind = kinds[0] if kinds else None
    previous = max(
        (m.date for m in portfolio.meetings.values() if m.date < day and m.kind == kind),
        default=None,
    )

    def since_previous(when: date) -> bool:
        return (previous is None or when > previous) and when <= day

    news = sorted(
        ((key, item) for key, item in portfolio.news.items() if since_previous(item.date)),
        key=lambda pair: (pair[1].date, pair[0]),
    )
    answered = sorted(
        (
            (key, question)
            for key, question in portfolio.questions.items()
            if question.answered is not None and since_previous(question.answered)
        ),
        key=lambda pair: (pair[1].answered or day, pair[0]),
    )
    snap = snapshot(portfolio, day, days)
    since = since_last(portfolio, snap, meeting_id, since_previous)
    opened, done = snap.open_actions, []
    for key, action in portfolio.actions.items():
        if action.done is not None and since_previous(action.done):
            done.append((key, action))
    done.sort(key=lambda pair: (pair[1].done or day, pair[0]))
    return Agenda(
        day, kind, meeting_id, meeting, previous, news, answered, snap, since, opened, done
    )


def since_last(
    portfolio: Portfolio,
    snap: Snapshot,
    meeting_id: str | None,
    within: Callable[[date], bool],
) -> list[Since]:
    """Per initiative, in listing order, what happened on the days `within` accepts
    (only those with something); the decisions of meeting `meeting_id` itself are
    the agenda's own, not news."""
    found: dict[str, Since] = {}

    def of(key: str) -> Since:
        if key not in found:
            found[key] = Since(key)
        return found[key]

    for key, initiative in portfolio.initiatives.items():
        for entry in initiative.journal:
            if within(entry.date):
                of(key).journal.append(entry)
        history = initiative.history
        for index in range(1, len(history)):
            change, before = history[index], history[index - 1]
            if within(change.date) and change.status != before.status:
                of(key).moves.append(
                    StatusMoved(change.date, before.status, change.status, change.note)
                )
    funded: dict[str, list[str]] = {}
    for line_id, line in portfolio.budget.items():
        funded[line_id] = [item.initiative for item in line.initiatives]
    for decision in snap.decisions:
        if decision.day is None or not within(decision.day):
            continue
        if meeting_id is not None and decision.meeting == meeting_id:
            continue
        named = dict.fromkeys(decision.initiatives)
        for line_id in decision.budget:
            named.update(dict.fromkeys(funded.get(line_id, ())))
        for key in named:
            if key in portfolio.initiatives:
                of(key).decisions.append(decision)
    for key, question in portfolio.questions.items():
        if question.answered is not None and within(question.answered):
            for about in question.initiatives:
                if about in portfolio.initiatives:
                    of(about).answers.append((key, question))
    for since in found.values():
        since.journal.sort(key=lambda entry: entry.date)
        since.decisions.sort(key=lambda d: (d.day or date.min, d.text))
        since.answers.sort(key=lambda pair: (pair[1].answered or date.min, pair[0]))
    ordered = sorted(((key, portfolio.initiatives[key]) for key in found), key=listing_order)
    return [found[key] for key, _initiative in ordered]


def _rank(order: list[str], value: str) -> int:
    return order.index(value) if value in order else len(order)
