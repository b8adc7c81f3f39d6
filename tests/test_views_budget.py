"""Views, the budget (views/budget.py, allocation.py): `budget_view` on a hand-made
portfolio, in exact whole kronor.

Shared lines are split with the largest-remainder method (`split_exact`), "of which"
parts with a category count under it, frames are summed per category over the
periods shown, filters and `as_of` choose the money, and every grouping's rows add
up to the total.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, write
from kontrakt.allocation import split_exact
from kontrakt.errors import KontraktError
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.views.budget import DIMENSIONS, Filters, Group, budget_view

FRAMES = """\
frames:
  - {category: ordinarie, period: 2024, amount: 1000}
  - {category: ordinarie, period: 2025, amount: 2000}
  - {category: pilot, period: 2024, amount: 1350}
"""
SETTINGS = MINIMAL_SETTINGS[: MINIMAL_SETTINGS.index("frames:")] + FRAMES
FILES = {
    "initiatives/a.yaml": "title: A\nstatus: ongoing\nkind: pilot\nhistory:\n"
    "  - {date: 2024-01-01, status: upcoming}\n  - {date: 2024-03-01, status: ongoing}\n",
    "initiatives/b.yaml": "title: B\nstatus: ongoing\nkind: pilot\n",
    "initiatives/c.yaml": "title: C\nstatus: idea\n",
    # 1000 kr for three: 334 + 333 + 333, the odd krona to the first.
    "budget/delad.yaml": "title: Delad\namount: 1000\nperiod: 2024\ncategory: pilot\n"
    "initiatives: [a, b, c]\ndecision: decided\ndecided_on: 2024-03-01\n",
    "budget/andelar.yaml": "title: Andelar\namount: 100\nperiod: 2024\ncategory: pilot\n"
    "initiatives:\n  - {initiative: a, share: 30}\n  - {initiative: b, share: 70}\n",
    # 300 of it is pilot money; 200 of the ordinarie rest is for a consultant.
    "budget/varav.yaml": "title: Varav\namount: 900\nperiod: 2024\ncategory: ordinarie\n"
    "initiatives: [a]\ndecision: decided\n"
    "parts:\n  - {amount: 300, category: pilot}\n  - {amount: 200, purpose: konsult}\n",
    "budget/utan.yaml": "title: Utan\namount: 50\nperiod: 2025\n",
}
TOTAL = 2050


@pytest.fixture
def portfolio(tmp_path: Path) -> Portfolio:
    write(tmp_path, "kontrakt.yaml", SETTINGS)
    for relative, text in FILES.items():
        write(tmp_path, relative, text)
    result = load_portfolio(tmp_path)
    assert not result.has_errors, result.diagnostics  # pilot is over its frame: a warning
    assert result.portfolio is not None
    return result.portfolio


def _rows(groups: list[Group]) -> list[tuple[object, ...]]:
    return [
        (g.key, g.frame, g.decided, g.proposed, g.remaining, g.remaining_if_approved)
        for g in groups
    ]


def test_by_category_frames_remaining_and_over_frame(portfolio: Portfolio) -> None:
    view = budget_view(portfolio, ["category"])
    assert view.periods == (2024, 2025)
    assert _rows(view.groups) == [
        ("ordinarie", 3000, 600, 0, 2400, 2400),  # both years' frames; 900 less the pilot part
        ("pilot", 1350, 1300, 100, 50, -50),
        (None, None, 0, 50, None, None),  # no category: against no frame
    ]
    assert [g.over_frame for g in view.groups] == [False, True, False]
    assert _rows([view.total]) == [(None, 4350, 1900, 150, 2450, 2350)]  # the rows add up
    assert [(s.line, s.amount, s.line_amount) for s in view.groups[1].lines] == [
        ("andelar", 100, 100),
        ("delad", 1000, 1000),
        ("varav", 300, 900),  # the part of the line in this group
    ]


def test_shared_lines_are_split_exactly(portfolio: Portfolio) -> None:
    view = budget_view(portfolio, ["initiative"])
    assert [(g.key, g.decided, g.proposed, g.shared) for g in view.groups] == [
        ("a", 334 + 900, 30, True),
        ("b", 333, 70, True),
        ("c", 333, 0, True),
        (None, 0, 50, False),
    ]
    assert [(s.line, s.amount, s.shared) for s in view.groups[0].lines] == [
        ("andelar", 30, True),
        ("delad", 334, True),
        ("varav", 900, False),
    ]


def test_purpose_parts_break_down_the_rest_of_their_line(portfolio: Portfolio) -> None:
    view = budget_view(portfolio, ["category", "purpose"])
    assert [(g.key, [(c.key, c.total) for c in g.children]) for g in view.groups] == [
        ("ordinarie", [("konsult", 200), (None, 400)]),  # varav's 600 outside the pilot part
        ("pilot", [(None, 1400)]),
        (None, [(None, 50)]),
    ]


@pytest.mark.parametrize(
    ("amount", "weights", "parts"),
    [
        (1000, [1, 1, 1], [334, 333, 333]),
        (2, [1, 1, 1], [1, 1, 0]),  # ties in the remainders go to the earlier weight
        (100, [1, 2], [33, 67]),  # else the largest remainder gets the krona
        (5, [3, 1], [4, 1]),
        (10, [0, 0], [5, 5]),  # no weight at all: evenly
        (7, [], []),
    ],
)
def test_split_exact(amount: int, weights: list[int], parts: list[int]) -> None:
    assert split_exact(amount, weights) == parts


def test_frames_per_period_even_without_money(portfolio: Portfolio) -> None:
    view = budget_view(portfolio, ["period", "category"])
    assert [(g.key, g.total, _rows(g.children)) for g in view.groups] == [
        (2024, 2000, [("ordinarie", 1000, 600, 0, 400, 400), ("pilot", 1350, 1300, 100, 50, -50)]),
        (2025, 50, [("ordinarie", 2000, 0, 0, 2000, 2000), (None, None, 0, 50, None, None)]),
    ]


def test_filters_choose_the_money_and_the_frames(portfolio: Portfolio) -> None:
    def view(filters: Filters) -> list[tuple[object, ...]]:
        found = budget_view(portfolio, ["category"], filters)
        return [*_rows(found.groups), ("total", *_rows([found.total])[0][1:])]

    assert view(Filters(periods=(2025,))) == [
        ("ordinarie", 2000, 0, 0, 2000, 2000),
        (None, None, 0, 50, None, None),
        ("total", 2000, 0, 50, 2000, 2000),
    ]
    assert view(Filters(categories=("pilot",))) == [
        ("pilot", 1350, 1300, 100, 50, -50),  # with varav's pilot part
        ("total", 1350, 1300, 100, 50, -50),
    ]
    # What remains counts every line of the frames, whichever money the filter chose.
    assert view(Filters(decided=False))[-1] == ("total", 4350, 0, 150, 2450, 2350)
    assert view(Filters(decided=True))[-1] == ("total", 4350, 1900, 0, 2450, 2350)
    # Before 2024-03-01, delad is only proposed.
    assert view(Filters(as_of=date(2024, 2, 29)))[1] == ("pilot", 1350, 300, 1100, 1050, -50)
    only_b = budget_view(portfolio, ["initiative"], Filters(initiatives=("b",)))
    assert [(g.key, g.total) for g in only_b.groups] == [("b", 403)]


def test_status_is_taken_as_of_the_day(portfolio: Portfolio) -> None:
    def by_status(day: date | None) -> list[tuple[object, int]]:
        view = budget_view(portfolio, ["status"], Filters(as_of=day))
        return [(g.key, g.total) for g in view.groups]

    assert by_status(None) == [("ongoing", 1264 + 403), ("idea", 333), (None, 50)]
    assert by_status(date(2024, 2, 29)) == [
        ("ongoing", 403),
        ("upcoming", 1264),  # a's history
        ("idea", 333),
        (None, 50),
    ]


@pytest.mark.parametrize(
    "dimensions", [[d] for d in DIMENSIONS] + [["category", "initiative"], ["kind", "purpose"]]
)
@pytest.mark.parametrize("as_of", [None, date(2024, 2, 29)])
def test_every_grouping_reconciles_with_the_total(
    portfolio: Portfolio, dimensions: list[str], as_of: date | None
) -> None:
    view = budget_view(portfolio, dimensions, Filters(as_of=as_of))
    assert view.total.total == TOTAL == sum(line.amount for line in portfolio.budget.values())
    assert sum(g.total for g in view.groups) == TOTAL
    assert sum(g.decided for g in view.groups) == view.total.decided
    for group in view.groups:
        assert sum(share.amount for share in group.lines) == group.total
        if group.children:
            assert sum(child.total for child in group.children) == group.total


def test_unknown_filters_and_dimensions_are_refused(portfolio: Portfolio) -> None:
    with pytest.raises(KontraktError, match=r"^unknown category 'pilott'; did you mean 'pilot'\?$"):
        budget_view(portfolio, ["category"], Filters(categories=("pilott",)))
    with pytest.raises(KontraktError, match=r"^unknown category 'extra'; known: ordinarie, pilot$"):
        budget_view(portfolio, ["category"], Filters(categories=("extra",)))
    with pytest.raises(KontraktError, match=r"^unknown initiative 'd'; known: a, b, c$"):
        budget_view(portfolio, ["category"], Filters(initiatives=("d",)))
    with pytest.raises(ValueError, match=r"^unknown dimension 'year'$"):
        budget_view(portfolio, ["year"])


def test_an_initiatives_categories_are_those_it_has_money_in(portfolio: Portfolio) -> None:
    view = budget_view(portfolio, ["initiative", "category"])
    assert [(g.key, [c.key for c in g.children]) for g in view.groups] == [
        ("a", ["ordinarie", "pilot"]),
        ("b", ["pilot"]),
        ("c", ["pilot"]),
        (None, [None]),
    ]


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_the_sites_views_from_allocations_made_once_are_the_views(
    portfolio: Portfolio, dimension: str
) -> None:
    """The site makes the day's allocations once (Site.allocated) and draws every
    view of the budget from them, as its pages ask for them: each must be the view
    `budget_view` makes on its own, to the krona, spending of later days left out."""
    from kontrakt.allocation import allocations
    from kontrakt.render.site.model import Site

    day = date(2024, 3, 1)
    site = Site(portfolio, day, 60)
    for filters in (Filters(as_of=site.day), Filters(as_of=site.day, periods=(2024,))):
        alone = budget_view(site.portfolio, [dimension], filters)
        shared = budget_view(site.portfolio, [dimension], filters, allocated=site.allocated)
        assert shared == alone
        assert shared.total.decided + shared.total.proposed > 0
    # The day's allocations (spending up to the day), not those of every day.
    assert site.allocated == allocations(site.portfolio, day, spent_by=day)


def _usage_of_pieces(portfolio: Portfolio) -> dict[tuple[str, int], tuple[int, int]]:
    from kontrakt.allocation import allocations

    usage: dict[tuple[str, int], tuple[int, int]] = {}
    for piece in allocations(portfolio):
        if piece.category is None:
            continue
        decided, proposed = usage.get((piece.category, piece.period), (0, 0))
        if piece.decided:
            usage[(piece.category, piece.period)] = (decided + piece.amount, proposed)
        else:
            usage[(piece.category, piece.period)] = (decided, proposed + piece.amount)
    return usage


def test_frame_usage_is_the_sum_of_the_pieces(portfolio: Portfolio) -> None:
    """check's frame totals are made without splitting lines between initiatives:
    they must be what the pieces every view shows add up to, to the krona (parts
    with a category or a purpose, shares, a line a meeting decided)."""
    from conftest import BUNDLED
    from kontrakt.allocation import frame_usage

    usage = frame_usage(portfolio)
    assert usage == _usage_of_pieces(portfolio)
    assert usage[("pilot", 2024)] == (1300, 100)
    bundled = load_portfolio(BUNDLED).portfolio
    assert bundled is not None
    assert frame_usage(bundled) == _usage_of_pieces(bundled) != {}
