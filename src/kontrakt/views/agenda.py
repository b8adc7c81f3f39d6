"""A meeting's agenda: what only the meeting brings, and the portfolio as of its date.

- The meeting is the file in meetings/ with that date (the first meeting kind of
  the vocabulary when several kinds meet that day); without one, the agenda is a
  draft for the date.
- News is what is dated after the previous meeting of the same kind and up to
  the meeting's date (news dated on the previous meeting's date belonged to that
  meeting); without a previous meeting, all news up to the date.
- Events, initiatives, budget and open questions follow the snapshot's rules
  (views/snapshot.py) with the meeting's date as the day.
- Questions answered since the previous meeting are listed too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kontrakt.models import Meeting, News, Question
from kontrakt.portfolio import Portfolio
from kontrakt.views.snapshot import Snapshot, snapshot


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

    @property
    def draft(self) -> bool:
        return self.meeting is None


def meetings_on(portfolio: Portfolio, day: date) -> list[tuple[str, Meeting]]:
    """The meetings on a day, in the order of the meeting-kind vocabulary."""
    kinds = list(portfolio.settings.vocabularies.meeting_kinds)
    found = [(key, m) for key, m in portfolio.meetings.items() if m.date == day]
    return sorted(found, key=lambda item: (_rank(kinds, item[1].kind), item[0]))


def next_meeting(portfolio: Portfolio, today: date) -> tuple[str, Meeting] | None:
    """The first meeting on or after today."""
    upcoming = [(key, m) for key, m in portfolio.meetings.items() if m.date >= today]
    return min(upcoming, key=lambda item: (item[1].date, item[0]), default=None)


def agenda(portfolio: Portfolio, day: date, *, days: int = 60) -> Agenda:
    on_day = meetings_on(portfolio, day)
    meeting_id, meeting = on_day[0] if on_day else (None, None)
    kinds = list(portfolio.settings.vocabularies.meeting_kinds)
    kind = meeting.kind if meeting else (kinds[0] if kinds else None)
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
    return Agenda(
        day, kind, meeting_id, meeting, previous, news, answered, snapshot(portfolio, day, days)
    )


def _rank(order: list[str], value: str) -> int:
    return order.index(value) if value in order else len(order)
