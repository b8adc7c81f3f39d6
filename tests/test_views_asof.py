"""Views, as of a day (views/asof.py, allocation.is_decided): the status an initiative
had on a given day, from its history, and whether a budget line was decided by then.

The day is inclusive: a change or decision dated on the day counts on it. Without a
history an initiative has its stated status on every day; before its first history
entry it had none; a decided line without `decided_on` counts on any day.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, lines, write
from kontrakt.allocation import is_decided
from kontrakt.load import load_portfolio
from kontrakt.models.common import Status
from kontrakt.portfolio import Portfolio
from kontrakt.views.asof import status_on

HISTORY = (
    "history:\n"
    "  - {date: 2024-01-10, status: idea}\n"
    "  - {date: 2024-02-01, status: upcoming}\n"
    "  - {date: 2024-03-01, status: ongoing}\n"
)
BUDGET = "title: {title}\namount: 100\nperiod: 2024\ncategory: pilot\n"


@pytest.fixture
def portfolio(tmp_path: Path) -> Portfolio:
    root = tmp_path / "p"
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    write(root, "initiatives/fast.yaml", "title: Fast\nstatus: paused\n")
    write(root, "initiatives/historik.yaml", "title: Historik\nstatus: ongoing\n" + HISTORY)
    write(root, "initiatives/bara-historik.yaml", "title: Bara historik\n" + HISTORY)
    write(root, "budget/foreslagen.yaml", BUDGET.format(title="F"))
    decided = "decision: decided\n"
    write(
        root,
        "budget/beslutad.yaml",
        BUDGET.format(title="B") + decided + "decided_on: 2024-02-15\n",
    )
    write(root, "budget/odaterad.yaml", BUDGET.format(title="O") + decided)
    result = load_portfolio(root)
    assert lines(result, root) == []
    assert result.portfolio is not None
    return result.portfolio


@pytest.mark.parametrize("day", [None, date.min, date(2024, 1, 1), date(2024, 3, 1), date.max])
def test_without_a_history_the_stated_status_holds_every_day(
    portfolio: Portfolio, day: date | None
) -> None:
    assert status_on(portfolio.initiatives["fast"], day) is Status.PAUSED


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date.min, None),
        (date(2024, 1, 9), None),  # before the first entry: no status yet
        (date(2024, 1, 10), Status.IDEA),  # an entry counts on its own date
        (date(2024, 1, 31), Status.IDEA),
        (date(2024, 2, 1), Status.UPCOMING),
        (date(2024, 2, 29), Status.UPCOMING),
        (date(2024, 3, 1), Status.ONGOING),
        (date.max, Status.ONGOING),
        (None, Status.ONGOING),  # no day: the stated status
    ],
)
def test_the_history_gives_the_status_on_a_day(
    portfolio: Portfolio, day: date | None, status: Status | None
) -> None:
    assert status_on(portfolio.initiatives["historik"], day) is status
    if day is not None:  # the stated status plays no part once there is a history
        assert status_on(portfolio.initiatives["bara-historik"], day) is status


def test_with_no_day_a_history_alone_gives_the_latest_status(portfolio: Portfolio) -> None:
    """So `kontrakt budget --by status` without --as-of files it under its status."""
    assert status_on(portfolio.initiatives["bara-historik"], None) is Status.ONGOING


@pytest.mark.parametrize(
    ("day", "decided"),
    [
        (None, {"beslutad", "odaterad"}),
        (date.min, {"odaterad"}),  # a decision without a date counts on any day
        (date(2024, 2, 14), {"odaterad"}),
        (date(2024, 2, 15), {"beslutad", "odaterad"}),  # decided on the day counts
        (date.max, {"beslutad", "odaterad"}),
    ],
)
def test_a_line_counts_as_decided_from_its_decision_day(
    portfolio: Portfolio, day: date | None, decided: set[str]
) -> None:
    """A proposed line (foreslagen) is decided on no day."""
    assert {key for key, line in portfolio.budget.items() if is_decided(line, day)} == decided
