"""`kontrakt budget` filters: --decided and --proposed together, what remains under a
filter, frames in every grouping that holds whole frames, and filters that name
nothing the portfolio has.

What remains always counts every line of a frame: the filters choose which money
the decided and proposed columns sum, never how much of the frame is used.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, FIXTURES, write
from kontrakt.cli import app
from kontrakt.errors import KontraktError
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.render import budget as show
from kontrakt.views.budget import Filters, Group, budget_view

runner = CliRunner()
ENGLISH = FIXTURES / "good" / "english" / "portfolio"
NBSP = "\u00a0"


def _bundled() -> Portfolio:
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    return portfolio


def budget(*args: str, root: Path = BUNDLED) -> str:
    result = runner.invoke(app, ["budget", "-p", str(root), *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def table(*args: str, root: Path = BUNDLED) -> list[str]:
    """The terminal table's lines, with plain spaces for no-break ones."""
    return budget(*args, root=root).replace(NBSP, " ").splitlines()


def figures(groups: list[Group]) -> list[tuple[object, ...]]:
    return [
        (g.key, g.frame, g.decided, g.proposed, g.remaining, g.remaining_if_approved)
        for g in groups
    ]


# --- --decided and --proposed ----------------------------------------------------


def test_decided_and_proposed_together_mean_all_money() -> None:
    everything = budget("--format", "json")
    both = budget("--decided", "--proposed", "--format", "json")
    assert both == budget("--proposed", "--decided", "--format", "json") == everything
    assert json.loads(both)["filters"]["decided"] is None
    assert budget("--decided", "--proposed") == budget()


@pytest.mark.parametrize(
    ("flag", "rows"),
    [
        (
            "--decided",
            [
                "Ordinarie budget    1 310 000         0           0  1 310 000     750 000",
                "Pilotbudget           797 500   260 000           0    537 500    -102 500",
                "  Trygghetslösning              260 000",
                "Totalt              2 107 500   260 000           0  1 847 500     647 500",
            ],
        ),
        (
            "--proposed",
            [
                "Ordinarie budget          1 310 000         0     560 000  1 310 000     750 000",
                "  Målti… (av 285 000 kr)                          185 000",
                "  Framtidens äldreboend…                          375 000",
                "Pilotbudget                 797 500         0     640 000    537 500    -102 500",
                "  Målti… (av 285 000 kr)                          100 000",
                "  Civilsamhället som pa…                          540 000",
                "Utan kategori                     –         0     200 000          –           –",
                "  Servicetjänster                                 200 000",
                "Totalt                    2 107 500         0   1 400 000  1 847 500     647 500",
            ],
        ),
    ],
)
def test_one_of_them_chooses_the_money_and_what_remains_counts_all(
    flag: str, rows: list[str]
) -> None:
    lines = table(flag)
    assert lines[-len(rows) :] == rows
    # The note names the filter and what the columns count, in the portfolio's words.
    note = " ".join(lines[1:3])
    assert f"räknar bara raderna som {flag} väljer ut;" in note
    assert "räknar alla rader i ramarna." in note


def test_the_view_keeps_frames_and_what_remains_under_every_filter() -> None:
    portfolio = _bundled()
    whole = budget_view(portfolio, ["category"])
    unfiltered = [
        (g.key, g.frame, g.remaining, g.remaining_if_approved, g.over_frame)
        for g in [*whole.groups, whole.total]
    ]
    assert unfiltered == [
        ("ordinarie", 1_310_000, 1_310_000, 750_000, False),
        ("pilot", 797_500, 537_500, -102_500, True),
        (None, None, None, None, False),
        (None, 2_107_500, 1_847_500, 647_500, False),
    ]
    for initiative, decided in itertools.product(
        [(), ("angsgardet",), ("salus-mea", "servicetjanster")], [None, True, False]
    ):
        view = budget_view(
            portfolio, ["category"], Filters(initiatives=initiative, decided=decided)
        )
        framed = [
            (g.key, g.frame, g.remaining, g.remaining_if_approved, g.over_frame)
            for g in [*view.groups, view.total]
            if g.frame is not None
        ]
        assert framed == [row for row in unfiltered if row[1] is not None]
        # The frame rows stay, so the frames add up to the total's.
        assert sum(g.frame or 0 for g in view.groups) == view.total.frame == 2_107_500


def test_an_initiatives_money_against_the_whole_frames() -> None:
    view = budget_view(_bundled(), ["category"], Filters(initiatives=("angsgardet",)))
    assert figures([*view.groups, view.total]) == [
        ("ordinarie", 1_310_000, 0, 187_500, 1_310_000, 750_000),
        ("pilot", 797_500, 0, 0, 537_500, -102_500),
        (None, 2_107_500, 0, 187_500, 1_847_500, 647_500),
    ]
    assert [(g.frame_decided, g.frame_proposed) for g in view.groups] == [
        (0, 560_000),
        (260_000, 640_000),
    ]


# --- every format says and carries the same --------------------------------------


def _reconciles(row: dict[str, object]) -> None:
    """A framed row's remaining follows from its frame and its frame's lines."""
    frame = row["frame"]
    if frame in (None, ""):
        assert row["remaining"] in (None, "") and row["remaining_if_approved"] in (None, "")
        return
    frame, used_decided, used_proposed = (
        int(str(row[key])) for key in ("frame", "frame_decided", "frame_proposed")
    )
    assert int(str(row["remaining"])) == frame - used_decided
    assert int(str(row["remaining_if_approved"])) == frame - used_decided - used_proposed
    assert int(str(row["total"])) == int(str(row["decided"])) + int(str(row["proposed"]))


# The CSV's amount headings (render/budget.py AMOUNT_COLUMNS, FRAME_USE_COLUMNS).
CSV_HEADERS = (
    "Ram",
    "Beslutat",
    "Föreslaget",
    "Totalt",
    "Kvar",
    "Kvar inkl. förslag",
    "Beslutat inom ramarna",
    "Föreslaget inom ramarna",
)

FILTERS = [
    [],
    ["--proposed"],
    ["--decided"],
    ["--initiative", "angsgardet"],
    ["--initiative", "salus-mea", "--proposed"],
    ["--category", "pilot", "--decided"],
]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("by", [["category"], ["period"], ["phase"], ["period", "category"]])
def test_json_and_csv_reconcile_under_filters(filters: list[str], by: list[str]) -> None:
    grouping = [arg for dimension in by for arg in ("--by", dimension)]
    document = json.loads(budget(*grouping, *filters, "--format", "json"))

    def walk(groups: list[dict[str, object]]) -> list[dict[str, object]]:
        found = []
        for group in groups:
            found.append(group)
            found.extend(walk(group["groups"]))  # type: ignore[arg-type]
        return found

    for group in [*walk(document["groups"]), document["total"]]:
        _reconciles(group)
    total = document["total"]
    assert total["decided"] == sum(g["decided"] for g in document["groups"])
    assert total["proposed"] == sum(g["proposed"] for g in document["groups"])
    text = budget(*grouping, *filters, "-f", "csv").removeprefix("\ufeff")
    keys = dict(zip(CSV_HEADERS, (*show.AMOUNT_COLUMNS, *show.FRAME_USE_COLUMNS), strict=True))
    rows = [
        {keys.get(header, header): cell for header, cell in row.items()}
        for row in csv.DictReader(io.StringIO(text), delimiter=";")
    ]
    for row in rows:
        if not row["Budgetrad"]:  # a group or the total, not a line
            _reconciles(row)
    csv_total = rows[-1]
    assert next(iter(csv_total.values())) == "Totalt"
    for column in ("frame", "decided", "proposed", "remaining", "remaining_if_approved"):
        assert csv_total[column] == ("" if total[column] is None else str(total[column]))


def test_markdown_says_what_the_columns_count_and_shows_the_same_numbers() -> None:
    text = budget("--initiative", "meals", "--format", "markdown", root=ENGLISH)
    assert text.splitlines()[:5] == [
        "## Budget 2024 – Healthy and independent older people",
        "",
        "*Decided and Proposed count only the lines chosen by --initiative meals; "
        "Frame, Remaining and If approved count every line of the frames.*",
        "",
        "| Category | Frame | Decided | Proposed | Remaining | If approved |",
    ]
    assert "| **Total** | **700,000** | **142,500** | **0** | **415,000** | **265,000** |" in text
    assert (
        "Remaining: the frame less what is decided. "
        "If approved: the frame less what is decided and proposed."
    ) in text
    document = json.loads(budget("--initiative", "meals", "--format", "json", root=ENGLISH))
    assert [
        document["total"][k] for k in ("frame", "decided", "remaining", "remaining_if_approved")
    ] == [700_000, 142_500, 415_000, 265_000]


def test_no_note_without_a_filter_inside_the_frames() -> None:
    for args in ([], ["--category", "pilot"], ["--period", "2024"]):
        assert "count every line" not in budget(*args, root=ENGLISH)
        assert "count every line" not in budget(*args, "-f", "markdown", root=ENGLISH)


# --- frames in every grouping that holds them -------------------------------------


def test_by_period_and_by_phase_totals_show_the_frames() -> None:
    assert table("--by", "period", "--no-lines")[-2:] == [
        "2024      2 107 500   260 000   1 400 000  1 847 500     647 500",
        "Totalt    2 107 500   260 000   1 400 000  1 847 500     647 500",
    ]
    assert table("--by", "phase", "--no-lines")[-3:] == [
        "Pågående          –   260 000     660 000          –           –",
        "Uppstart          –         0     740 000          –           –",
        "Totalt    2 107 500   260 000   1 400 000  1 847 500     647 500",
    ]


def test_only_groups_that_hold_whole_frames_have_one() -> None:
    portfolio = _bundled()
    nested = budget_view(portfolio, ["initiative", "category"])
    # An initiative holds part of a frame: its categories show no frame, and only
    # those it has money in.
    assert {c.frame for g in nested.groups for c in g.children} == {None}
    salus = next(g for g in nested.groups if g.key == "salus-mea")
    assert [c.key for c in salus.children] == ["pilot"]
    assert nested.total.frame == 2_107_500
    by_period = budget_view(portfolio, ["period", "category"])
    assert figures(by_period.groups) == [(2024, 2_107_500, 260_000, 1_400_000, 1_847_500, 647_500)]
    assert figures(by_period.groups[0].children) == [
        ("ordinarie", 1_310_000, 0, 560_000, 1_310_000, 750_000),
        ("pilot", 797_500, 260_000, 640_000, 537_500, -102_500),
        (None, None, 0, 200_000, None, None),
    ]
    by_category = budget_view(portfolio, ["category", "period"])
    assert [figures(g.children) for g in by_category.groups] == [
        [(2024, 1_310_000, 0, 560_000, 1_310_000, 750_000)],
        [(2024, 797_500, 260_000, 640_000, 537_500, -102_500)],
        [(2024, None, 0, 200_000, None, None)],
    ]
    by_phase = budget_view(portfolio, ["phase", "category"])
    assert {c.frame for g in by_phase.groups for c in g.children} == {None}


# --- filters that name nothing ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2031"], "no budget line or frame for 2031; periods with a budget: 2024"),
        (
            ["--period", "2024", "--period", "2025"],
            "no budget line or frame for 2025; periods with a budget: 2024",
        ),
        (["--category", "pilott"], "unknown category 'pilott'; did you mean 'pilot'?"),
        (["--category", "Pilotbudget"], "unknown category 'Pilotbudget'; did you mean 'pilot'?"),
        (["--category", "extra"], "unknown category 'extra'; known: ordinarie, pilot"),
        (["--initiative", "salus"], "unknown initiative 'salus'; did you mean 'salus-mea'?"),
        (
            ["--initiative", "Ängsgärdet"],
            "unknown initiative 'Ängsgärdet'; did you mean 'angsgardet'?",
        ),
    ],
)
def test_a_filter_naming_nothing_is_a_usage_error(args: list[str], message: str) -> None:
    for shape in ("table", "json"):
        result = runner.invoke(app, ["budget", "-p", str(BUNDLED), *args, "-f", shape])
        assert (result.exit_code, result.output) == (2, f"kontrakt: {message}\n")


def test_an_unknown_initiative_without_a_likely_one_lists_them() -> None:
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "--initiative", "xyz"])
    assert result.exit_code == 2
    assert result.output.startswith("kontrakt: unknown initiative 'xyz'; known: angsgardet, ")
    assert result.output.endswith(", tvarvetenskapligt-forskningsinitiativ\n")


def test_a_portfolio_without_budget_says_so(minimal: Path) -> None:
    settings = minimal / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[: text.index("frames:")], encoding="utf-8")
    with pytest.raises(
        KontraktError,
        match=re.escape("no budget line or frame for 2024; the portfolio has no budget yet"),
    ):
        portfolio = load_portfolio(minimal).portfolio
        assert portfolio is not None
        budget_view(portfolio, ["category"], Filters(periods=(2024,)))
    write(minimal, "budget/rad.yaml", "title: Rad\namount: 100\nperiod: 2025\n")
    result = runner.invoke(app, ["budget", "-p", str(minimal), "--period", "2025", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Totalt;;;0;100;100;;;;;;"


def test_the_labeller_and_the_view_agree_on_the_total_label() -> None:
    portfolio = _bundled()
    view = budget_view(portfolio, ["phase"], labels=show.labeller(portfolio))
    assert view.total.label == "Totalt"
