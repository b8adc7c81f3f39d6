"""What a change does to the portfolio: two linked portfolios compared.

Entities are matched by id. A file renamed with its title unchanged is a rename,
not a removal and an addition. The budget is compared per category against the
frames, so a reviewer sees the remaining frame before and after the change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from kontrakt.allocation import is_decided, meeting_days
from kontrakt.currency import kronor
from kontrakt.models import BudgetLine, Event
from kontrakt.models.budget import Spending
from kontrakt.models.common import Gate
from kontrakt.models.indicator import Measurement, Unit
from kontrakt.models.initiative import JournalEntry
from kontrakt.portfolio import Portfolio
from kontrakt.views.budget import budget_view


@dataclass(frozen=True, slots=True)
class Change:
    """One entity's change: what it is, and a short before/after where that says more."""

    id: str
    title: str
    before: str | None = None
    after: str | None = None
    gate: Gate | None = None  # a decision's gate


@dataclass(frozen=True, slots=True)
class JournalAdded:
    """A journal entry the change adds to an initiative."""

    id: str
    title: str  # the initiative's
    entry: JournalEntry


@dataclass(frozen=True, slots=True)
class Measured:
    """A measurement the change adds to (or takes from) an indicator."""

    id: str
    title: str  # the indicator's
    unit: Unit
    measurement: Measurement


@dataclass(frozen=True, slots=True)
class SpendingAdded:
    """A spending entry the change adds to (or removes from) a budget line."""

    id: str
    title: str  # the line's
    entry: Spending


@dataclass(frozen=True, slots=True)
class LineState:
    amount: int
    category: str | None  # the category's label
    decided: bool


@dataclass(frozen=True, slots=True)
class LineChange:
    id: str
    title: str
    before: LineState | None
    after: LineState | None


@dataclass(frozen=True, slots=True)
class Totals:
    """One category's money on one side of the change."""

    decided: int
    proposed: int
    remaining: int | None
    remaining_if_approved: int | None


@dataclass(frozen=True, slots=True)
class CategoryChange:
    label: str
    frame: int | None
    before: Totals
    after: Totals

    @property
    def delta(self) -> int:
        total_after = self.after.decided + self.after.proposed
        return total_after - (self.before.decided + self.before.proposed)


@dataclass(slots=True)
class PortfolioDiff:
    initiatives_added: list[Change] = field(default_factory=list)
    initiatives_removed: list[Change] = field(default_factory=list)
    initiatives_renamed: list[Change] = field(default_factory=list)
    status_changes: list[Change] = field(default_factory=list)
    budget_added: list[LineChange] = field(default_factory=list)
    budget_removed: list[LineChange] = field(default_factory=list)
    budget_changed: list[LineChange] = field(default_factory=list)
    categories: list[CategoryChange] = field(default_factory=list)
    events_added: list[Change] = field(default_factory=list)
    events_removed: list[Change] = field(default_factory=list)
    events_moved: list[Change] = field(default_factory=list)
    news_added: list[Change] = field(default_factory=list)
    news_removed: list[Change] = field(default_factory=list)
    meetings_added: list[Change] = field(default_factory=list)
    meetings_removed: list[Change] = field(default_factory=list)
    questions_opened: list[Change] = field(default_factory=list)
    questions_answered: list[Change] = field(default_factory=list)
    decisions: list[Change] = field(default_factory=list)
    decisions_regated: list[Change] = field(default_factory=list)  # gate: the new one
    spending_added: list[SpendingAdded] = field(default_factory=list)
    spending_removed: list[SpendingAdded] = field(default_factory=list)  # or edited
    funders_changed: list[Change] = field(default_factory=list)  # before/after: who pays
    journal_added: list[JournalAdded] = field(default_factory=list)
    journal_removed: list[JournalAdded] = field(default_factory=list)  # or edited
    actions_opened: list[Change] = field(default_factory=list)  # after: due day
    actions_done: list[Change] = field(default_factory=list)  # after: done day
    actions_reopened: list[Change] = field(default_factory=list)  # before: the done day
    actions_due: list[Change] = field(default_factory=list)  # before/after: due days
    actions_removed: list[Change] = field(default_factory=list)
    indicators_added: list[Change] = field(default_factory=list)
    indicators_removed: list[Change] = field(default_factory=list)
    measurements_added: list[Measured] = field(default_factory=list)
    measurements_removed: list[Measured] = field(default_factory=list)  # or edited

    @property
    def empty(self) -> bool:
        return (
            not any(
                getattr(self, name) for name in self.__dataclass_fields__ if name != "categories"
            )
            and not self.categories
        )


def compare(before: Portfolio, after: Portfolio) -> PortfolioDiff:
    diff = PortfolioDiff()
    _initiatives(before, after, diff)
    _budget(before, after, diff)
    _events(before, after, diff)
    _questions(before, after, diff)
    _news_and_meetings(before, after, diff)
    _decisions(before, after, diff)
    _journals(before, after, diff)
    _actions(before, after, diff)
    if before.indicators or after.indicators:
        _indicators(before, after, diff)
    return diff


def _indicators(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    """Indicators added and removed, and the measurements the change adds to an
    indicator or takes from it (an edited one is one taken and one added), oldest
    first; a new indicator's measurements are its own, not listed again."""
    for key in sorted(set(before.indicators) | set(after.indicators)):
        now, then = after.indicators.get(key), before.indicators.get(key)
        if then is None and now is not None:
            diff.indicators_added.append(Change(key, now.title))
            continue
        if now is None and then is not None:
            diff.indicators_removed.append(Change(key, then.title))
            continue
        assert now is not None and then is not None
        new, old = Counter(now.measurements), Counter(then.measurements)
        for found, into in (
            (new - old, diff.measurements_added),
            (old - new, diff.measurements_removed),
        ):
            into += [
                Measured(key, now.title, now.unit, m)
                for m in sorted(found.elements(), key=lambda m: m.date)
            ]


def _journals(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    """Entries in an initiative's journal after the change that it did not have
    before (as many times as it has more), and entries it had that are gone (an
    edited entry is one gone and one added), oldest first."""
    for key in sorted(set(before.initiatives) | set(after.initiatives)):
        now, then = after.initiatives.get(key), before.initiatives.get(key)
        new = Counter(now.journal if now is not None else ())
        old = Counter(then.journal if then is not None else ())
        title = (now or then).title  # type: ignore[union-attr]
        for entries, into in ((new - old, diff.journal_added), (old - new, diff.journal_removed)):
            into += [
                JournalAdded(key, title, entry)
                for entry in sorted(entries.elements(), key=lambda e: e.date)
            ]


def _actions(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    """Actions the change opens (new files not done yet), marks done, opens again,
    gives another due day, or removes."""
    old = before.actions
    for key, action in sorted(after.actions.items()):
        due = action.due.isoformat() if action.due else None
        earlier = old.get(key)
        if earlier is None:
            if action.done is None:
                diff.actions_opened.append(Change(key, action.title, None, due))
            else:
                diff.actions_done.append(Change(key, action.title, due, action.done.isoformat()))
            continue
        if action.done is not None and earlier.done is None:
            diff.actions_done.append(Change(key, action.title, due, action.done.isoformat()))
        elif action.done is None and earlier.done is not None:
            diff.actions_reopened.append(Change(key, action.title, earlier.done.isoformat(), due))
        if action.done is None and earlier.due != action.due:
            was = earlier.due.isoformat() if earlier.due else None
            diff.actions_due.append(Change(key, action.title, was, due))
    diff.actions_removed += [
        Change(key, action.title) for key, action in sorted(old.items()) if key not in after.actions
    ]


def _news_and_meetings(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    diff.news_added += [
        Change(key, item.title, None, item.date.isoformat())
        for key, item in after.news.items()
        if key not in before.news
    ]
    diff.news_removed += [
        Change(key, item.title, item.date.isoformat())
        for key, item in before.news.items()
        if key not in after.news
    ]
    kinds = after.settings.vocabularies.meeting_kinds
    diff.meetings_added += [
        Change(
            key,
            meeting.heading(kinds),
            None,
            meeting.date.isoformat(),
        )
        for key, meeting in after.meetings.items()
        if key not in before.meetings
    ]
    diff.meetings_removed += [
        Change(key, meeting.heading(kinds), meeting.date.isoformat())
        for key, meeting in before.meetings.items()
        if key not in after.meetings
    ]


def _initiatives(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    old, new = before.initiatives, after.initiatives
    gone = {key: item for key, item in old.items() if key not in new}
    came = {key: item for key, item in new.items() if key not in old}
    by_title = {item.title: key for key, item in gone.items()}
    labels = after.settings.status_labels()
    moved: dict[str, str] = {}  # a renamed file's new id -> its old id
    for key, item in came.items():
        if item.title in by_title:
            old_id = by_title.pop(item.title)
            moved[key] = old_id
            diff.initiatives_renamed.append(
                Change(key, item.title, f"{old_id}.yaml", f"{key}.yaml")
            )
            gone.pop(old_id)
        else:
            diff.initiatives_added.append(
                Change(key, item.title, None, labels[item.status] if item.status else None)
            )
    diff.initiatives_removed += [Change(key, item.title) for key, item in gone.items()]
    for key, item in new.items():
        previous = old.get(moved.get(key, key))
        if previous is None:
            continue
        if previous.title != item.title:
            diff.initiatives_renamed.append(Change(key, key, previous.title, item.title))
        if previous.status != item.status:
            diff.status_changes.append(
                Change(
                    key,
                    item.title,
                    labels[previous.status] if previous.status else None,
                    labels[item.status] if item.status else None,
                )
            )


def _state(portfolio: Portfolio, key: str, days: dict[str, date]) -> LineState:
    """A line's amount, category and whether it is decided (by itself, or by a
    meeting's decision: `days`, from allocation.meeting_days)."""
    line = portfolio.budget[key]
    labels = portfolio.settings.vocabularies.categories
    category = labels.get(line.category, line.category) if line.category else None
    return LineState(line.amount, category, is_decided(line, None, days.get(key)))


def _budget(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    old, new = before.budget, after.budget
    was_by, now_by = meeting_days(before), meeting_days(after)

    def state(portfolio: Portfolio, key: str) -> LineState:
        return _state(portfolio, key, was_by if portfolio is before else now_by)

    for key, line in new.items():
        if key not in old:
            diff.budget_added.append(LineChange(key, line.title, None, state(after, key)))
        elif _rest(old[key]) != _rest(line) or state(before, key) != state(after, key):
            diff.budget_changed.append(
                LineChange(key, line.title, state(before, key), state(after, key))
            )
    diff.budget_removed += [
        LineChange(key, line.title, state(before, key), None)
        for key, line in old.items()
        if key not in new
    ]
    _money(before, after, diff)
    if old == new and was_by == now_by and before.settings == after.settings:
        return  # the totals by category come from these alone: they are the same
    empty = Totals(0, 0, None, None)
    sides: dict[str | int | None, list[Totals]] = {}
    frames: dict[str | int | None, int | None] = {}
    for side, portfolio in enumerate((before, after)):
        for group in budget_view(portfolio, ["category"]).groups:
            totals = Totals(
                group.decided, group.proposed, group.remaining, group.remaining_if_approved
            )
            sides.setdefault(group.key, [empty, empty])[side] = totals
            if side == 1 or group.key not in frames:
                frames[group.key] = group.frame
    labels = after.settings.vocabularies.categories
    for category, (was, now) in sides.items():
        if was == now:
            continue
        label = labels.get(str(category), str(category)) if category is not None else ""
        diff.categories.append(CategoryChange(label, frames.get(category), was, now))


def _rest(line: BudgetLine) -> BudgetLine:
    """The line without its spending and funders, which the diff tells of apart."""
    if not line.spent and not line.funders:
        return line
    return line.model_copy(update={"spent": [], "funders": []})


def _money(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    """Spending entries a line has after the change and had not before (and those
    gone: an edited entry is one gone and one added), and funders changed."""
    for key in sorted(set(before.budget) & set(after.budget)):
        then, now = before.budget[key], after.budget[key]
        if then.spent != now.spent:
            new, old = Counter(now.spent), Counter(then.spent)
            for entries, into in (
                (new - old, diff.spending_added),
                (old - new, diff.spending_removed),
            ):
                into += [
                    SpendingAdded(key, now.title, entry)
                    for entry in sorted(entries.elements(), key=lambda e: e.date)
                ]
        if then.funders != now.funders:
            diff.funders_changed.append(
                Change(key, now.title, _paying(before, then), _paying(after, now))
            )


def _paying(portfolio: Portfolio, line: BudgetLine) -> str:
    """`Västerås stad 50 %, Vinnova 65000 kr, MDU 80 h`: a line's funders in a few words."""
    named = portfolio.settings.organisations
    locale = portfolio.settings.resolved_locale()
    said = []
    for funder in line.funders:
        who = named.get(funder.organisation, funder.organisation) if funder.organisation else ""
        parts = [who or funder.name or ""]
        if funder.share is not None:
            parts.append(f"{funder.share} %")
        if funder.amount is not None:
            parts.append(kronor(funder.amount, locale))
        if funder.hours:
            parts.append(f"{funder.hours} h")
        said.append(" ".join(parts))
    return ", ".join(said)


def _event_when(event: Event) -> str:
    when = event.when or "–"
    return f"{when}, {event.place}" if event.place else when


def _events(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    old, new = before.events, after.events
    for key, event in new.items():
        if key not in old:
            diff.events_added.append(Change(key, event.title, None, _event_when(event)))
        else:
            was, now = _event_when(old[key]), _event_when(event)
            if was != now:
                diff.events_moved.append(Change(key, event.title, was, now))
    diff.events_removed += [
        Change(key, event.title, _event_when(event)) for key, event in old.items() if key not in new
    ]


def _questions(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    old = before.questions
    for key, question in after.questions.items():
        if key not in old and question.answered is None:
            diff.questions_opened.append(Change(key, question.title, None, question.to))
        was_answered = key in old and old[key].answered is not None
        if question.answered is not None and not was_answered:
            diff.questions_answered.append(Change(key, question.title, None, question.answer))


def _decisions(before: Portfolio, after: Portfolio, diff: PortfolioDiff) -> None:
    """Decisions the change adds: a meeting's (with its gate), and a budget line
    decided on its own. A line a meeting's decision names is that decision: it is
    listed once, as the meeting's."""
    named = {
        line for meeting in after.meetings.values() for d in meeting.decisions for line in d.budget
    }
    was_by, now_by = meeting_days(before), meeting_days(after)
    for key, line in after.budget.items():
        was = key in before.budget and is_decided(before.budget[key], None, was_by.get(key))
        if key not in named and is_decided(line, None, now_by.get(key)) and not was:
            diff.decisions.append(Change(key, line.title, None, None))
    for key, meeting in after.meetings.items():
        earlier = before.meetings.get(key)
        known = {d.text: d.gate for d in earlier.decisions} if earlier else {}
        for decision in meeting.decisions:
            day = meeting.date.isoformat()
            if decision.text not in known:
                diff.decisions.append(Change(key, decision.text, None, day, decision.gate))
            elif known[decision.text] != decision.gate:
                gate = known[decision.text]
                diff.decisions_regated.append(
                    Change(key, decision.text, gate.value if gate else None, day, decision.gate)
                )
