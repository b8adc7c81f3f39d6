"""Views, the portfolio on one day (views/snapshot.py): `snapshot` groups the
initiatives by their status on the day, in the portfolio's order and language, and
sorts events, questions and decisions around the day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, lines, write
from kontrakt.load import load_portfolio
from kontrakt.models.common import Status
from kontrakt.portfolio import Portfolio
from kontrakt.views.snapshot import Snapshot, snapshot

DAY = date(2024, 2, 27)
# Two statuses labelled and ordered by the portfolio; the others follow in the default
# order with their default labels in its language (Swedish).
SETTINGS = MINIMAL_SETTINGS.replace(
    "vocabularies:\n", "vocabularies:\n  statuses:\n    paused: Vilande\n    ongoing: Igång\n"
)
FILES = {
    "initiatives/alfa.yaml": "title: Alfa\nstatus: ongoing\nmilestones:\n"
    "  - {date: 2024-01-15, title: Klar, done: true}\n"
    "  - {date: 2024-03-10, title: Sen}\n  - {date: 2024-02-20, title: Tidig}\n",
    "initiatives/beta.yaml": "title: Beta\nstatus: ongoing\norder: 1\n",
    "initiatives/gamma.yaml": "title: Gamma\nstatus: paused\n"
    "milestones:\n  - {date: 2024-02-27, title: Idag}\n",
    "initiatives/delta.yaml": "title: Delta\nstatus: ongoing\nhistory:\n"
    "  - {date: 2024-01-01, status: idea}\n  - {date: 2024-03-01, status: ongoing}\n",
    "initiatives/epsilon.yaml": "title: Epsilon\n",
    "budget/rad.yaml": "title: Rad\namount: 10\nperiod: 2024\ninitiatives: [alfa, beta]\n"
    "decision: decided\ndecided_on: 2024-02-15\n",
    "budget/egen.yaml": "title: Egen\namount: 5\nperiod: 2024\ninitiatives: [alfa]\n"
    "decision: decided\n",
    "meetings/m-feb.yaml": "date: 2024-02-15\nkind: core-team\ndecisions:\n"
    "  - {text: Starta Beta, initiatives: [beta]}\n  - {text: Budget, budget: [rad]}\n",
    "meetings/m-mar.yaml": "date: 2024-03-15\nkind: core-team\ndecisions:\n  - text: Sent\n",
}
EVENTS = {  # id: (date, end_date, start)
    "forra-aret": ("2023-05-01", None, None),
    "slut-igar": ("2024-02-20", "2024-02-26", None),
    "pagar": ("2024-02-20", "2024-02-28", None),  # began before the day, not over
    "b-morgon": ("2024-02-28", None, "13:00"),
    "a-morgon": ("2024-02-28", None, "09:00"),
    "c-morgon": ("2024-02-28", None, None),  # no time sorts first on its date
    "horisont": ("2024-03-08", None, None),  # the day + 10: the last upcoming day
    "bortom": ("2024-03-09", None, None),
    "odaterad-b": (None, None, None),
    "odaterad-a": (None, None, None),
}
QUESTIONS = {  # id: (raised, answered)
    "ny": ("2024-02-28", None),  # raised after the day: neither open nor answered
    "oppen": ("2024-02-01", None),
    "tidig": ("2024-01-15", None),
    "besvarad": ("2024-01-01", "2024-02-27"),
    "svar-senare": ("2024-01-10", "2024-03-01"),  # still open on the day
}


@pytest.fixture
def portfolio(tmp_path: Path) -> Portfolio:
    write(tmp_path, "kontrakt.yaml", SETTINGS)
    for relative, text in FILES.items():
        write(tmp_path, relative, text)
    for key, (day, end_date, start) in EVENTS.items():
        text = f"title: {key}\nkind: oppen-verkstad\n"
        text += "".join(
            f"{name}: '{value}'\n"
            for name, value in (("date", day), ("end_date", end_date), ("start", start))
            if value
        )
        write(tmp_path, f"events/{key}.yaml", text)
    for key, (raised, answered) in QUESTIONS.items():
        answer = f"answer: Ja\nanswered: {answered}\n" if answered else ""
        write(tmp_path, f"questions/{key}.yaml", f"title: {key}\nraised: {raised}\n{answer}")
    result = load_portfolio(tmp_path)
    assert lines(result, tmp_path) == []
    assert result.portfolio is not None
    return result.portfolio


def _groups(snap: Snapshot) -> list[tuple[Status | None, str, list[str]]]:
    return [(g.status, g.label, [s.id for s in g.initiatives]) for g in snap.groups]


def test_initiatives_are_grouped_by_their_status_on_the_day(portfolio: Portfolio) -> None:
    assert _groups(snapshot(portfolio, DAY)) == [
        (Status.PAUSED, "Vilande", ["gamma"]),
        (Status.ONGOING, "Igång", ["beta", "alfa"]),  # `order` first, then by title
        (Status.IDEA, "Idéer framåt", ["delta"]),  # its history, not its stated status
        (None, "Utan status", ["epsilon"]),  # last, in the portfolio's language
    ]
    assert _groups(snapshot(portfolio, date(2024, 3, 1)))[1] == (
        Status.ONGOING,
        "Igång",
        ["beta", "alfa", "delta"],
    )


def test_each_initiative_has_its_next_milestone_and_funding(portfolio: Portfolio) -> None:
    snap = snapshot(portfolio, DAY)
    states = {s.id: s for s in snap.initiatives}
    assert [s.id for s in snap.initiatives] == ["gamma", "beta", "alfa", "delta", "epsilon"]
    found = {
        key: (s.next_milestone.title if s.next_milestone else None, s.overdue, s.budget)
        for key, s in states.items()
    }
    assert found == {
        "alfa": ("Tidig", True, ("egen", "rad")),  # the earliest not done, before the day
        "beta": (None, False, ("rad",)),
        "gamma": ("Idag", False, ()),  # due on the day: not overdue yet
        "delta": (None, False, ()),
        "epsilon": (None, False, ()),
    }


def test_events_around_the_day_within_the_horizon(portfolio: Portfolio) -> None:
    snap = snapshot(portfolio, DAY, days=10)
    assert [k for k, _ in snap.upcoming_events] == [
        "pagar",
        "c-morgon",
        "a-morgon",
        "b-morgon",
        "horisont",
    ]
    assert [k for k, _ in snap.past_events] == ["forra-aret", "slut-igar"]
    assert [k for k, _ in snap.undated_events] == ["odaterad-a", "odaterad-b"]
    assert [k for k, _ in snapshot(portfolio, DAY, days=0).upcoming_events] == ["pagar"]


def test_open_and_answered_questions_on_the_day(portfolio: Portfolio) -> None:
    snap = snapshot(portfolio, DAY)
    assert [k for k, _ in snap.open_questions] == ["svar-senare", "tidig", "oppen"]  # by raised
    assert [k for k, _ in snap.answered_questions] == ["besvarad"]
    later = snapshot(portfolio, date(2024, 3, 1))
    assert [k for k, _ in later.open_questions] == ["tidig", "oppen", "ny"]
    assert [k for k, _ in later.answered_questions] == ["besvarad", "svar-senare"]


def test_decisions_taken_by_the_day_undated_last(portfolio: Portfolio) -> None:
    taken = [
        (d.day, d.text, d.meeting, d.budget, d.initiatives)
        for d in snapshot(portfolio, DAY).decisions
    ]
    assert taken == [
        # The line "rad" is decided, and m-feb's decision names it: one fact, listed once.
        (date(2024, 2, 15), "Budget", "m-feb", ("rad",), ()),
        (date(2024, 2, 15), "Starta Beta", "m-feb", (), ("beta",)),
        (None, "Egen", None, ("egen",), ("alfa",)),  # decided, no date: counts on any day
    ]
    assert [d.text for d in snapshot(portfolio, date(2024, 2, 9)).decisions] == ["Egen"]
