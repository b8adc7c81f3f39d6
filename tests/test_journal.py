"""Journals, actions and decisions with gates (docs/journal.md).

The fixture tests/fixtures/good/journal holds one of each: initiatives with
journals, actions open, overdue and done, two core team meetings whose decisions
name budget lines. tests/fixtures/bad/journal (its expected.txt, in test_cli.py)
holds every problem the rules report.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, check, write
from kontrakt.allocation import frame_usage
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.views.asof import known_on
from kontrakt.views.budget import Filters, budget_view
from kontrakt.views.snapshot import decisions

runner = CliRunner()
JOURNAL = FIXTURES / "good" / "journal" / "portfolio"


def _load(root: Path = JOURNAL) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """A writable copy of the journal fixture."""
    target = tmp_path / "portfolio"
    shutil.copytree(JOURNAL, target)
    return target


# --- the journal as of a day -----------------------------------------------------------


def test_an_entry_after_the_day_is_not_yet_known() -> None:
    portfolio = _load()
    salus = known_on(portfolio, date(2024, 3, 26)).initiatives["salus-mea"]
    assert [entry.date for entry in salus.journal] == [date(2024, 2, 20), date(2024, 3, 10)]
    later = known_on(portfolio, date(2024, 4, 2)).initiatives["salus-mea"]
    assert [entry.alert for entry in later.journal][-1] == "red"
    # Nothing left out: the same object, not a copy.
    assert (
        known_on(portfolio, date(2024, 4, 2)).initiatives["angsgardet"]
        is (portfolio.initiatives["angsgardet"])
    )


def test_actions_enter_on_the_day_they_were_opened() -> None:
    portfolio = _load()
    assert sorted(known_on(portfolio, date(2024, 3, 1)).actions) == ["boka-kpr", "skicka-info"]
    assert sorted(known_on(portfolio, date(2024, 3, 5)).actions) == [
        "boka-kpr",
        "sammanstall-menyer",
        "skicka-info",
    ]


def test_a_journal_entry_without_text_is_fine_unless_red(journal: Path) -> None:
    write(
        journal,
        "initiatives/angsgardet.yaml",
        "title: Ängsgärdet\nstatus: ongoing\njournal:\n"
        "  - date: 2024-03-01\n    progress: 40\n"
        "  - date: 2024-03-02\n    alert: yellow\n"
        "  - date: 2024-03-03\n    alert: red\n",
    )
    assert check(journal) == [
        "initiatives/angsgardet.yaml:9:12: error: a red alert needs a text: add text: with "
        "what is wrong and what is done about it [journal]"
    ]


def test_progress_is_a_whole_per_cent(journal: Path) -> None:
    write(
        journal,
        "initiatives/angsgardet.yaml",
        "title: Ängsgärdet\njournal:\n  - date: 2024-03-01\n    progress: -5\n",
    )
    assert check(journal) == [
        "initiatives/angsgardet.yaml:4:15: error: expected a number greater than or equal "
        "to 0, found the number -5 [invalid-value]"
    ]


def test_an_action_names_what_exists(journal: Path) -> None:
    write(
        journal,
        "actions/ny.yaml",
        "title: Ny\nowner: mdu\ndue: 2024-04-01\ninitiatives: [salus-mae]\n",
    )
    assert check(journal) == [
        "actions/ny.yaml:4:15: error: unknown initiative 'salus-mae'; did you mean "
        "'salus-mea'? (there is no initiatives/salus-mae.yaml) [unknown-reference]"
    ]


def test_the_swedish_portfolio_is_told_in_swedish(
    messages_in_portfolio_language: None, journal: Path
) -> None:
    write(journal, "actions/ny.yaml", "title: Ny\n")
    write(
        journal,
        "initiatives/angsgardet.yaml",
        "title: Ängsgärdet\njournal:\n  - date: 2024-03-01\n    alert: Röd\n",
    )
    assert check(journal) == [
        "actions/ny.yaml:1:1: warning: åtgärden saknar ansvarig; lägg till owner: med en "
        "organisation (mdu, eskilstuna) eller en persons namn [action]",
        "actions/ny.yaml:1:1: warning: åtgärden saknar slutdatum; lägg till due: ÅÅÅÅ-MM-DD "
        "[action]",
        "initiatives/angsgardet.yaml:4:12: error: 'Röd' är etiketten för 'red'; skriv red "
        "[invalid-value]",
    ]


def test_alert_and_gate_labels_are_the_portfolios_own(journal: Path) -> None:
    settings = (journal / "kontrakt.yaml").read_text(encoding="utf-8")
    write(
        journal,
        "kontrakt.yaml",
        settings.replace(
            "vocabularies:\n",
            "vocabularies:\n  alerts:\n    red: Akut\n  gates:\n    stop: Stopp\n",
        ),
    )
    portfolio = _load(journal)
    assert portfolio.settings.alert_labels() == {"red": "Akut", "green": "Grön", "yellow": "Gul"}
    assert portfolio.settings.gate_labels()["stop"] == "Stopp"
    assert portfolio.settings.gate_labels()["to-pilot"] == "Till pilot"


# --- a meeting's decision is the line's decision -----------------------------------------


def test_a_line_named_by_a_decision_is_decided_from_the_meetings_date() -> None:
    portfolio = _load()

    def decided(day: date) -> int:
        view = budget_view(known_on(portfolio, day), ["category"], Filters(as_of=day))
        return view.total.decided

    # Trygghetslösning's own file says nothing of a decision: the meeting of
    # 2024-03-26 decided it. Civilsamhället som partner says 2024-02-27, as its
    # meeting does.
    assert decided(date(2024, 2, 26)) == 0
    assert decided(date(2024, 2, 27)) == 540_000
    assert decided(date(2024, 3, 25)) == 540_000
    assert decided(date(2024, 3, 26)) == 800_000
    assert frame_usage(portfolio) == {("pilot", 2024): (800_000, 0)}


def test_a_decision_is_listed_once() -> None:
    found = decisions(_load(), date(2024, 4, 30))
    assert [(d.day, d.text, d.meeting, d.gate) for d in found] == [
        (
            date(2024, 2, 27),
            "Civilsamhället som partner får pilotbudget",
            "2024-02-27-core-team",
            "to-pilot",
        ),
        (
            date(2024, 3, 26),
            "Trygghetslösning får pilotbudget; testet fortsätter",
            "2024-03-26-core-team",
            "continue",
        ),
    ]


def test_a_line_decided_on_another_day_than_its_meeting_is_an_error(journal: Path) -> None:
    line = journal / "budget" / "civilsamhallet-som-partner.yaml"
    line.write_text(
        line.read_text(encoding="utf-8").replace("2024-02-27", "2024-02-20"), encoding="utf-8"
    )
    assert check(journal) == [
        "meetings/2024-02-27-core-team.yaml:7:14: error: budget/civilsamhallet-som-partner.yaml "
        "says decided_on: 2024-02-20, but this meeting decided it on 2024-02-27; write "
        "decided_on: 2024-02-27 there, or remove the line from this decision [decision]"
    ]


def test_decide_refuses_a_day_that_disagrees_with_the_meeting(journal: Path) -> None:
    result = runner.invoke(
        app, ["decide", "trygghetslosning", "--on", "2024-03-20", "--portfolio", str(journal)]
    )
    assert result.exit_code == 1
    assert "meetings/2024-03-26-core-team.yaml:7:14: error: budget/trygghetslosning.yaml " in (
        result.output
    )
    ok = runner.invoke(
        app,
        ["decide", "trygghetslosning", "--on", "2024-03-26", "--portfolio", str(journal)],
    )
    assert ok.exit_code == 0, ok.output


# --- kontrakt decisions ---------------------------------------------------------------


def test_decisions_newest_first_as_markdown() -> None:
    result = runner.invoke(
        app, ["decisions", "--as-of", "2024-04-30", "--format", "markdown", "-p", str(JOURNAL)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "# Beslut per 2024-04-30\n\n"
        "| Datum | Beslut | Beslutspunkt | Möte |\n"
        "| --- | --- | --- | --- |\n"
        "| 2024-03-26 | Trygghetslösning får pilotbudget; testet fortsätter (budget: "
        "Trygghetslösning; gäller Salus mea – trygghetslarm med civilsamhället) | Fortsätt | "
        "Core team-möte |\n"
        "| 2024-02-27 | Civilsamhället som partner får pilotbudget (budget: Civilsamhället "
        "som partner; gäller Utvecklat samarbete med civilsamhället) | Till pilot | "
        "Core team-möte |\n"
    )


def test_decisions_of_one_initiative_as_of_a_day_as_csv() -> None:
    args = ["decisions", "-i", "salus-mea", "--as-of", "2024-03-26", "-f", "csv"]
    result = runner.invoke(app, [*args, "-p", str(JOURNAL)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "\ufeffDatum;Beslut;Beslutspunkt;Möte\n"
        '2024-03-26;"Trygghetslösning får pilotbudget; testet fortsätter (budget: '
        'Trygghetslösning; gäller Salus mea – trygghetslarm med civilsamhället)";Fortsätt;'
        "Core team-möte\n"
    )
    before = runner.invoke(app, [*args[:-2], "--as-of", "2024-03-25", "-p", str(JOURNAL)])
    assert before.output == "Inga beslut ännu.\n"


def test_decisions_json_names_the_gate_and_the_meeting() -> None:
    import json

    result = runner.invoke(
        app, ["decisions", "--as-of", "2024-03-01", "-f", "json", "-p", str(JOURNAL)]
    )
    assert json.loads(result.output) == [
        {
            "date": "2024-02-27",
            "text": "Civilsamhället som partner får pilotbudget",
            "gate": "to-pilot",
            "gate_label": "Till pilot",
            "meeting": "2024-02-27-core-team",
            "meeting_title": "Core team-möte",
            "budget": ["civilsamhallet-som-partner"],
            "budget_titles": ["Civilsamhället som partner"],
            "initiatives": ["samarbete-civilsamhallet"],
            "initiative_titles": ["Utvecklat samarbete med civilsamhället"],
        }
    ]


def test_decisions_of_the_bundled_portfolio_hold_the_line_already_decided() -> None:
    from conftest import BUNDLED

    result = runner.invoke(
        app, ["decisions", "--as-of", "2024-02-27", "-f", "markdown", "-p", str(BUNDLED)]
    )
    assert result.output.splitlines()[-1] == (
        "| odaterat | Budgetraden Trygghetslösning är beslutad (gäller Salus mea – "
        "trygghetslarm med civilsamhället) |  | budgetrad |"
    )


def test_decisions_for_an_unknown_initiative_is_a_usage_error() -> None:
    result = runner.invoke(app, ["decisions", "-i", "salus", "-p", str(JOURNAL)])
    assert result.exit_code == 2
    assert "there is no initiatives/salus.yaml; did you mean salus-mea?" in result.output
