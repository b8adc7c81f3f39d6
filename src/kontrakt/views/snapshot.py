"""The portfolio as it stood on one day: the view behind status, report and agenda.

The day stands in for "today" everywhere:
- an initiative's status is the one its history gives for that day;
- a milestone is overdue when its date is before the day and it is not done
  (one due on the day itself is not overdue yet);
- an event is upcoming from the day itself up to `days` later (or up to
  9999-12-31, where the calendar ends);
- a question is open when it was raised on or before the day and not answered
  on or before it (a question answered on the day is answered);
- a decision counts when it was taken on or before the day;
- an action is open when it was opened on or before the day and not done on or
  before it, overdue when its due day is before the day;
- an initiative's alert is the one its latest journal entry with an alert gives
  (an entry without one leaves it as it was); an ongoing initiative with no
  journal entry for more than journal_stale_days (since its latest, or since it
  became ongoing) is stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kontrakt.allocation import decided_day, is_decided, meeting_days
from kontrakt.i18n import _, speaking
from kontrakt.labels import NO_VALUE
from kontrakt.models import Action, BudgetLine, Event, Initiative, Meeting, Question
from kontrakt.models.common import Alert, Gate, Status
from kontrakt.models.initiative import JournalEntry, Milestone
from kontrakt.order import listing_order
from kontrakt.portfolio import Portfolio
from kontrakt.views.asof import known_on, status_on
from kontrakt.views.dates import shift


@dataclass(frozen=True, slots=True)
class InitiativeState:
    id: str
    initiative: Initiative
    status: Status | None
    next_milestone: Milestone | None
    overdue: bool
    budget: tuple[str, ...]  # ids of the budget lines that fund it
    latest: JournalEntry | None = None  # the latest journal entry written by the day
    alert: Alert | None = None  # the alert the latest entry that gives one gives
    previous_alert: Alert | None = None  # the alert given before that one, if any
    progress: int | None = None  # the latest progress given
    stale: bool = False  # ongoing, and no journal entry for journal_stale_days


@dataclass(frozen=True, slots=True)
class StatusGroup:
    status: Status | None
    label: str
    initiatives: tuple[InitiativeState, ...]


@dataclass(frozen=True, slots=True)
class DecisionTaken:
    """A decision taken: at a meeting, or a budget line decided."""

    day: date | None
    text: str
    meeting: str | None = None
    budget: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    gate: Gate | None = None


@dataclass(slots=True)
class Snapshot:
    day: date
    days: int
    groups: list[StatusGroup]
    upcoming_events: list[tuple[str, Event]]
    past_events: list[tuple[str, Event]]
    undated_events: list[tuple[str, Event]]
    open_questions: list[tuple[str, Question]]
    answered_questions: list[tuple[str, Question]]
    decisions: list[DecisionTaken] = field(default_factory=list)
    open_actions: list[tuple[str, Action]] = field(default_factory=list)  # by due day

    @property
    def initiatives(self) -> list[InitiativeState]:
        return [state for group in self.groups for state in group.initiatives]


def is_open(question: Question, day: date) -> bool:
    return question.raised <= day and (question.answered is None or question.answered > day)


def next_milestone(initiative: Initiative) -> Milestone | None:
    """The earliest milestone not yet done."""
    pending = [m for m in initiative.milestones if not m.done]
    return min(pending, key=lambda m: m.date) if pending else None


@dataclass(frozen=True, slots=True)
class JournalState:
    """What an initiative's journal says on a day."""

    latest: JournalEntry | None
    alert: Alert | None
    previous_alert: Alert | None
    progress: int | None


def journal_state(initiative: Initiative, day: date) -> JournalState:
    """The latest entry on or before `day`, the alert in force (an entry without an
    alert leaves the one before in force) and the one before it, the latest progress."""
    entries = sorted(
        (entry for entry in initiative.journal if entry.date <= day), key=lambda e: e.date
    )
    alerts = [entry.alert for entry in entries if entry.alert is not None]
    progress = [entry.progress for entry in entries if entry.progress is not None]
    return JournalState(
        entries[-1] if entries else None,
        alerts[-1] if alerts else None,
        alerts[-2] if len(alerts) > 1 else None,
        progress[-1] if progress else None,
    )


def is_stale(
    initiative: Initiative, status: Status | None, latest: JournalEntry | None, day: date, days: int
) -> bool:
    """Ongoing, and nothing in the journal for more than `days` days: since its
    latest entry, or, with none, since it became ongoing (its history says when;
    a portfolio that keeps no journal is not flagged the day it starts)."""
    if status is not Status.ONGOING:
        return False
    since = latest.date if latest is not None else _ongoing_since(initiative, day)
    return since is not None and (day - since).days > days


def _ongoing_since(initiative: Initiative, day: date) -> date | None:
    """The day the initiative's status on `day` began, as far as its files say."""
    began: date | None = None
    current: Status | None = None
    for change in sorted(initiative.history, key=lambda change: change.date):
        if change.date > day:
            break
        if change.status is not current:  # a repeated status goes on, it does not begin
            began, current = change.date, change.status
    return began if began is not None else initiative.proposed_on


def snapshot(portfolio: Portfolio, day: date, days: int = 60) -> Snapshot:
    portfolio = known_on(portfolio, day)
    funding: dict[str, list[str]] = {}
    for line_id, line in portfolio.budget.items():
        for item in line.initiatives:
            funding.setdefault(item.initiative, []).append(line_id)
    labels = portfolio.settings.status_labels()
    stale_days = portfolio.settings.journal_stale_days
    by_status: dict[Status | None, list[InitiativeState]] = {}
    for initiative_id, initiative in sorted(portfolio.initiatives.items(), key=listing_order):
        milestone = next_milestone(initiative)
        status = status_on(initiative, day)
        journal = journal_state(initiative, day)
        state = InitiativeState(
            initiative_id,
            initiative,
            status,
            milestone,
            milestone is not None and milestone.date < day,
            tuple(funding.get(initiative_id, ())),
            journal.latest,
            journal.alert,
            journal.previous_alert,
            journal.progress,
            is_stale(initiative, status, journal.latest, day, stale_days),
        )
        by_status.setdefault(state.status, []).append(state)
    groups = [
        StatusGroup(status, label, tuple(by_status[status]))
        for status, label in labels.items()
        if status in by_status
    ]
    if None in by_status:
        with speaking(portfolio.settings.language):
            no_status = _(NO_VALUE["status"])
        groups.append(StatusGroup(None, no_status, tuple(by_status[None])))

    horizon = shift(day, days)  # held at 9999-12-31
    dated = sorted(
        ((key, event) for key, event in portfolio.events.items() if event.date is not None),
        key=lambda item: (item[1].date, item[1].start or "", item[0]),
    )
    questions = sorted(portfolio.questions.items(), key=lambda item: (item[1].raised, item[0]))
    return Snapshot(
        day=day,
        days=days,
        groups=groups,
        upcoming_events=[
            (k, e) for k, e in dated if e.date and day <= _last(e) and e.date <= horizon
        ],
        past_events=[(k, e) for k, e in dated if e.date and _last(e) < day],
        undated_events=sorted(
            ((k, e) for k, e in portfolio.events.items() if e.date is None),
            key=lambda item: item[0],
        ),
        open_questions=[(k, q) for k, q in questions if is_open(q, day)],
        answered_questions=[
            (k, q) for k, q in questions if q.answered is not None and q.answered <= day
        ],
        decisions=decisions(portfolio, day),
        open_actions=open_actions(portfolio, day),
    )


def open_actions(portfolio: Portfolio, day: date) -> list[tuple[str, Action]]:
    """The actions open on `day` (opened by then, not done by then), by due day
    (those without one last), then id."""
    found = [
        (key, a)
        for key, a in portfolio.actions.items()
        if a.is_open(day) and (a.opened is None or a.opened <= day)
    ]
    return sorted(found, key=lambda pair: (pair[1].due is None, pair[1].due or day, pair[0]))


def _last(event: Event) -> date:
    """An event's last day: one that began and has not ended is still ahead, not past."""
    assert event.date is not None
    return event.end_date or event.date


def decisions(portfolio: Portfolio, day: date) -> list[DecisionTaken]:
    """Decisions taken on or before `day`: at meetings, and budget lines decided.

    A line a meeting's decision names is that decision, not a second one: the
    line's own decided state is the same fact, listed once.
    """
    found: list[DecisionTaken] = []
    for meeting_id, meeting in portfolio.meetings.items():
        if meeting.date <= day:
            found.extend(_meeting_decisions(meeting_id, meeting))
    named = {line for decision in found for line in decision.budget}
    by_meeting = meeting_days(portfolio)
    for line_id, line in portfolio.budget.items():
        if line_id not in named and is_decided(line, day, by_meeting.get(line_id)):
            found.append(_line_decision(line_id, line))
    return sorted(found, key=lambda d: (d.day is None, d.day or day, d.text))


def _meeting_decisions(meeting_id: str, meeting: Meeting) -> list[DecisionTaken]:
    return [
        DecisionTaken(
            meeting.date,
            decision.text,
            meeting_id,
            tuple(decision.budget),
            tuple(decision.initiatives),
            decision.gate,
        )
        for decision in meeting.decisions
    ]


def _line_decision(line_id: str, line: BudgetLine) -> DecisionTaken:
    return DecisionTaken(
        decided_day(line)[1],
        line.title,
        None,
        (line_id,),
        tuple(item.initiative for item in line.initiatives),
    )
