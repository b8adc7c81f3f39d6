"""`kontrakt budget`: exact figures on the bundled portfolio and on hand-made ones.

The golden Markdown lives in tests/golden/; regenerate it on purpose with
`KONTRAKT_REGENERATE=1 make test` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import BUNDLED, write
from kontrakt.allocation import split_exact
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.models import BudgetLine, Initiative, Settings
from kontrakt.portfolio import Portfolio
from kontrakt.render import budget as show
from kontrakt.views.budget import DIMENSIONS, Filters, Group, budget_view

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"


def _bundled() -> Portfolio:
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    return portfolio


def _figures(groups: list[Group]) -> dict[object, tuple[object, ...]]:
    return {
        g.key: (g.frame, g.decided, g.proposed, g.remaining, g.remaining_if_approved)
        for g in groups
    }


def test_by_category_shows_frames_and_the_gap() -> None:
    portfolio = _bundled()
    view = budget_view(portfolio, ["category"], labels=show.labeller(portfolio))
    assert _figures(view.groups) == {
        "ordinarie": (1_310_000, 0, 560_000, 1_310_000, 750_000),
        "pilot": (797_500, 260_000, 640_000, 537_500, -102_500),
        None: (None, 0, 200_000, None, None),
    }
    assert [g.over_frame for g in view.groups] == [False, True, False]
    assert [g.label for g in view.groups] == ["Ordinarie budget", "Pilotbudget", "Utan kategori"]
    total = view.total
    assert (total.frame, total.decided, total.proposed, total.total) == (
        2_107_500,
        260_000,
        1_400_000,
        1_660_000,
    )
    pilot_lines = {s.title: (s.amount, s.decided) for s in view.groups[1].lines}
    assert pilot_lines == {
        "Måltider och möten, 3 piloter": (100_000, False),
        "Trygghetslösning": (260_000, True),
        "Civilsamhället som partner": (540_000, False),
    }


def test_by_phase_reproduces_the_decks_split() -> None:
    portfolio = _bundled()
    view = budget_view(portfolio, ["phase"], labels=show.labeller(portfolio))
    assert [(g.label, g.decided, g.proposed) for g in view.groups] == [
        ("Pågående", 260_000, 660_000),
        ("Uppstart", 0, 740_000),
    ]
    assert [sorted(s.line for s in g.lines) for g in view.groups] == [
        ["framtidens-aldreboende-och-angsgardet", "maltider-och-moten", "trygghetslosning"],
        ["civilsamhallet-som-partner", "servicetjanster"],
    ]


def test_shared_line_is_split_evenly_and_marked() -> None:
    portfolio = _bundled()
    view = budget_view(portfolio, ["initiative"])
    by_initiative = {g.key: (g.total, g.shared) for g in view.groups}
    assert by_initiative["angsgardet"] == (187_500, True)
    assert by_initiative["framtidens-aldreboende"] == (187_500, True)
    assert by_initiative["maltider-och-moten"] == (285_000, False)
    assert by_initiative["salus-mea"] == (260_000, False)


def test_purposes_are_a_breakdown_never_counted_twice() -> None:
    view = budget_view(_bundled(), ["category", "purpose"])
    nested = {(g.key, child.key): child.total for g in view.groups for child in g.children}
    assert nested == {
        ("ordinarie", None): 560_000,
        ("pilot", "extern-processledare"): 540_000,
        ("pilot", None): 360_000,
        (None, "konsult"): 100_000,
        (None, None): 100_000,
    }


def test_filters() -> None:
    portfolio = _bundled()
    pilot = budget_view(portfolio, ["category"], Filters(categories=("pilot",)))
    assert [(g.key, g.total) for g in pilot.groups] == [("pilot", 900_000)]
    decided = budget_view(portfolio, ["category"], Filters(decided=True))
    assert decided.total.total == 260_000
    proposed = budget_view(portfolio, ["category"], Filters(decided=False))
    assert proposed.total.total == 1_400_000
    one = budget_view(portfolio, ["initiative"], Filters(initiatives=("angsgardet",)))
    assert [(g.key, g.total) for g in one.groups] == [("angsgardet", 187_500)]
    # What remains counts every line of the frames, whatever the filters chose.
    for view in (decided, proposed, one):
        assert (view.total.frame, view.total.remaining, view.total.remaining_if_approved) == (
            2_107_500,
            1_847_500,
            647_500,
        )


def test_as_of_counts_only_lines_decided_by_then(minimal: Path) -> None:
    write(
        minimal,
        "budget/tidig.yaml",
        "title: Tidig\namount: 1000\nperiod: 2024\ncategory: pilot\n"
        "decision: decided\ndecided_on: 2024-01-10\n",
    )
    write(
        minimal,
        "budget/sen.yaml",
        "title: Sen\namount: 500\nperiod: 2024\ncategory: pilot\n"
        "decision: decided\ndecided_on: 2024-03-01\n",
    )
    portfolio = load_portfolio(minimal).portfolio
    assert portfolio is not None

    def decided_on(day: date) -> tuple[int, int]:
        total = budget_view(portfolio, ["category"], Filters(as_of=day)).total
        return total.decided, total.proposed

    assert decided_on(date(2024, 1, 9)) == (0, 1500)
    assert decided_on(date(2024, 1, 10)) == (1000, 500)
    assert decided_on(date(2024, 3, 1)) == (1500, 0)


def test_explicit_shares_split_by_share(minimal: Path) -> None:
    write(minimal, "initiatives/beta.yaml", "title: Beta\n")
    write(
        minimal,
        "budget/rad.yaml",
        "title: Rad\namount: 1000\nperiod: 2024\ncategory: pilot\ninitiatives:\n"
        "  - {initiative: alfa, share: 700}\n  - {initiative: beta, share: 300}\n"
        "parts:\n  - {amount: 100, purpose: konsult}\n",
    )
    portfolio = load_portfolio(minimal).portfolio
    assert portfolio is not None
    view = budget_view(portfolio, ["initiative", "purpose"])
    assert {(g.key, c.key): c.total for g in view.groups for c in g.children} == {
        ("alfa", "konsult"): 70,
        ("alfa", None): 630,
        ("beta", "konsult"): 30,
        ("beta", None): 270,
    }


def test_markdown_matches_golden() -> None:
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / "budget-by-category.md"
    if os.environ.get("KONTRAKT_REGENERATE"):
        golden.write_text(result.output, encoding="utf-8")
    assert result.output == golden.read_text(encoding="utf-8")


def test_csv_is_for_swedish_excel() -> None:
    """UTF-8 with a BOM, semicolons, the table's Swedish headings, plain integers."""
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "--format", "csv", "--no-lines"])
    assert result.exit_code == 0
    assert result.output == (
        "\ufeffKategori;Ram;Beslutat;Föreslaget;Totalt;Kvar;Kvar inkl. förslag;"
        "Beslutat inom ramarna;Föreslaget inom ramarna;Delad\n"
        "Ordinarie budget;1310000;0;560000;560000;1310000;750000;0;560000;\n"
        "Pilotbudget;797500;260000;640000;900000;537500;-102500;260000;640000;\n"
        "Utan kategori;;0;200000;200000;;;;;\n"
        "Totalt;2107500;260000;1400000;1660000;1847500;647500;260000;1200000;\n"
    )


def _csv(*args: str, root: Path = BUNDLED) -> list[list[str]]:
    result = runner.invoke(app, ["budget", "-p", str(root), "--format", "csv", *args])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeff")
    return list(csv.reader(io.StringIO(result.output.removeprefix("\ufeff")), delimiter=";"))


def test_csv_shows_each_part_beside_its_whole_line_and_marks_shared_ones() -> None:
    rows = _csv("--by", "category", "--by", "initiative", "--as-of", "2024-02-27")
    assert rows[0] == [
        "Kategori",
        "Initiativ",
        "Budgetrad",
        "Ram",
        "Beslutat",
        "Föreslaget",
        "Totalt",
        "Kvar",
        "Kvar inkl. förslag",
        "Beslutat inom ramarna",
        "Föreslaget inom ramarna",
        "Radens belopp",
        "Delad",
    ]
    angsgardet = "Ängsgärdet – konkreta idéer snart redo för utvärdering"
    line = "Framtidens äldreboende och Ängsgärdet"
    framed = ["1310000", "0", "560000", "560000", "1310000", "750000", "0", "560000"]
    part = ["", "", "187500", "187500", "", "", "", ""]
    assert rows[1:4] == [
        ["Ordinarie budget", "", "", *framed, "", ""],
        ["Ordinarie budget", angsgardet, "", "", "0", "187500", "187500", "", "", "", "", "", "ja"],
        ["Ordinarie budget", angsgardet, line, *part, "375000", "ja"],
    ]
    meals = [row for row in rows if row[2] == "Måltider och möten, 3 piloter"]
    assert [(row[0], row[5], row[11], row[12]) for row in meals] == [
        ("Ordinarie budget", "185000", "285000", ""),
        ("Pilotbudget", "100000", "285000", ""),
    ]
    assert rows[-1][:1] == ["Totalt"]
    assert rows[-1][3:11] == [
        "2107500",
        "260000",
        "1400000",
        "1660000",
        "1847500",
        "647500",
        "260000",
        "1200000",
    ]
    assert {len(row) for row in rows} == {13}


def test_csv_never_hands_a_spreadsheet_a_formula(bundled: Path) -> None:
    path = bundled / "budget/trygghetslosning.yaml"
    text = path.read_text(encoding="utf-8")
    title = '=HYPERLINK("http://x","klicka")'
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: '{title}'", text), encoding="utf-8")
    rows = _csv("--by", "category", root=bundled)
    labels = [row[1] for row in rows[1:] if row[1]]
    assert f"'{title}" in labels
    assert not [label for label in labels if label.startswith(("=", "+", "-", "@"))]


def test_json_has_the_same_numbers_as_the_table() -> None:
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["group_by"] == ["category"]
    assert document["periods"] == [2024]
    assert [
        (g["key"], g["frame"], g["decided"], g["proposed"], g["remaining_if_approved"])
        for g in document["groups"]
    ] == [
        ("ordinarie", 1310000, 0, 560000, 750000),
        ("pilot", 797500, 260000, 640000, -102500),
        (None, None, 0, 200000, None),
    ]
    assert document["total"]["total"] == 1660000


def test_terminal_table_fits_80_columns_and_never_cuts_amounts() -> None:
    from rich.console import Console

    portfolio = _bundled()
    view = budget_view(portfolio, ["category", "initiative"], labels=show.labeller(portfolio))
    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    console.print(show.as_table(portfolio, view, width=80))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "Pilotbudget                 797 500   260 000     640 000    537 500    -102 500" in (
        text.replace("\u00a0", " ")
    )
    assert "Totalt                    2 107 500   260 000   1 400 000  1 847 500     647 500" in (
        text.replace("\u00a0", " ")
    )


def test_budget_refuses_a_portfolio_with_errors(minimal: Path) -> None:
    write(minimal, "budget/rad.yaml", "title: Rad\namount: 1,5 mnkr\nperiod: 2024\n")
    result = runner.invoke(app, ["budget", "-p", str(minimal)])
    assert result.exit_code == 1
    assert result.output.endswith(
        "kontrakt: the portfolio has 1 error; fix them first (`kontrakt check` lists them)\n"
    )


def test_unknown_filter_values_are_usage_errors() -> None:
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "--category", "pilott"])
    assert (result.exit_code, result.output) == (
        2,
        "kontrakt: unknown category 'pilott'; did you mean 'pilot'?\n",
    )
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "--category", "extra"])
    assert (result.exit_code, result.output) == (
        2,
        "kontrakt: unknown category 'extra'; known: ordinarie, pilot\n",
    )


# --- properties over generated portfolios -------------------------------------------

CATEGORIES = ["ordinarie", "pilot"]
INITIATIVES = ["a", "b", "c"]


@st.composite
def lines(draw: st.DrawFn) -> dict[str, object]:
    amount = draw(st.integers(min_value=0, max_value=5_000_000))
    funded = draw(st.lists(st.sampled_from(INITIATIVES), unique=True, max_size=3))
    with_shares = funded and draw(st.booleans())
    initiatives: list[object] = list(funded)
    if with_shares:
        cuts = sorted(
            draw(
                st.lists(st.integers(0, amount), min_size=len(funded) - 1, max_size=len(funded) - 1)
            )
        )
        bounds = [0, *cuts, amount]
        initiatives = [
            {"initiative": name, "share": bounds[i + 1] - bounds[i]}
            for i, name in enumerate(funded)
        ]
    parts: list[dict[str, object]] = []
    left = amount
    for _ in range(draw(st.integers(0, 3))):
        part = draw(st.integers(0, left))
        left -= part
        if draw(st.booleans()):
            parts.append({"amount": part, "category": draw(st.sampled_from(CATEGORIES))})
        else:
            parts.append({"amount": part, "purpose": "konsult"})
    return {
        "title": "Rad",
        "amount": amount,
        "category": draw(st.sampled_from([*CATEGORIES, None])),
        "period": draw(st.sampled_from([2024, 2025])),
        "decision": draw(st.sampled_from(["proposed", "decided"])),
        "phase": draw(st.sampled_from(["pagaende", "uppstart", None])),
        "initiatives": initiatives,
        "parts": parts,
    }


def _generated(data: list[dict[str, object]]) -> Portfolio:
    settings_ = Settings.model_validate(
        {
            "name": "P",
            "mission": "M",
            "vocabularies": {
                "categories": {c: c for c in CATEGORIES},
                "purposes": {"konsult": "Konsult"},
                "phases": {"pagaende": "Pågående", "uppstart": "Uppstart"},
                "kinds": {"pilot": "Pilot"},
            },
            "frames": [{"category": "pilot", "period": 2024, "amount": 797_500}],
        }
    )
    portfolio = Portfolio(Path(), settings_)
    for name in INITIATIVES:
        portfolio.initiatives[name] = Initiative.model_validate(
            {"title": name.upper(), "status": "ongoing" if name == "a" else None, "kind": "pilot"}
        )
    for index, line in enumerate(data):
        portfolio.budget[f"rad-{index}"] = BudgetLine.model_validate(line)
    return portfolio


def _leaves(groups: list[Group]) -> list[Group]:
    found: list[Group] = []
    for group in groups:
        found.extend(_leaves(group.children) if group.children else [group])
    return found


def _check_sums(groups: list[Group]) -> None:
    for group in groups:
        if group.children:
            assert sum(c.decided for c in group.children) == group.decided
            assert sum(c.proposed for c in group.children) == group.proposed
            _check_sums(group.children)
        assert sum(share.amount for share in group.lines) == group.total


@settings(max_examples=150, deadline=None)
@given(
    st.lists(lines(), max_size=8),
    st.lists(st.sampled_from(DIMENSIONS), unique=True, min_size=1, max_size=3),
)
def test_every_grouping_adds_up_to_the_total_of_all_lines(
    data: list[dict[str, object]], dimensions: list[str]
) -> None:
    portfolio = _generated(data)
    view = budget_view(portfolio, dimensions)
    everything = sum(line.amount for line in portfolio.budget.values())
    assert view.total.total == everything
    assert sum(g.total for g in view.groups) == everything
    assert sum(g.total for g in _leaves(view.groups)) == everything
    _check_sums(view.groups)
    decided = sum(line.amount for line in portfolio.budget.values() if line.decision == "decided")
    assert view.total.decided == decided


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_split_exact_adds_up_and_stays_proportional(amount: int, weights: list[int]) -> None:
    parts = split_exact(amount, weights)
    assert sum(parts) == amount
    total = sum(weights) or len(weights)
    used = weights if sum(weights) else [1] * len(weights)
    for part, weight in zip(parts, used, strict=True):
        assert abs(part - amount * weight / total) < 1
