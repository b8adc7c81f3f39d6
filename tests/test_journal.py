"""Journals, actions and decisions with gates (docs/journal.md).

The fixture tests/fixtures/good/journal holds one of each: initiatives with
journals, actions open, overdue and done, two core team meetings whose decisions
name budget lines. tests/fixtures/bad/journal (its expected.txt, in test_cli.py)
holds every problem the rules report.
"""

from __future__ import annotations

import io
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


# --- the journal and actions in status, agenda and report -------------------------------

GOLDEN = Path(__file__).parent / "golden"


def _status(day: date, width: int = 100) -> str:
    import io

    from rich.console import Console

    from kontrakt.render import status as show_status
    from kontrakt.views.snapshot import snapshot

    result = load_portfolio(JOURNAL)
    portfolio = result.portfolio
    assert portfolio is not None
    snap = snapshot(portfolio, day)
    counts = show_status.CheckCounts(0, 0, result.files)
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    view = budget_view(portfolio, ["category"], Filters(as_of=day))
    console.print(show_status.as_renderable(portfolio, snap, view, counts))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


def test_status_shows_the_alert_in_words_and_flags_stale_journals() -> None:
    text = _status(date(2024, 3, 26))
    block = text.split("\n\n")[1]
    # The alert as a word; a stale journal marked in the margin, and explained.
    assert block.splitlines() == [
        "Pågående (4)",
        "⚠ Måltider och möten – tre piloter                                 Pilot Grön",
        "  Salus mea – trygghetslarm med civilsamhället                     Pilot Gul"
        "  Eskilstuna kommun",
        "  Utvecklat samarbete med civilsamhället                           Pilot",
        "⚠ Ängsgärdet – konkreta idéer snart redo för utvärdering",
    ]
    assert text.split("\n\n")[2] == "  ⚠ pågående, utan journalpost de senaste 45 dagarna"
    assert text.split("\n\n")[-2].splitlines() == [
        "Öppna åtgärder (2)",
        "  Skicka information om testet till kontaktlistan     Anna Svensson"
        "             försenad: 2024-03-20",
        "  Sammanställ menyerna från piloterna                 Mälardalens universitet"
        "   senast 2024-04-30",
    ]


def test_status_as_json_has_the_journal_and_the_actions() -> None:
    import json

    result = runner.invoke(
        app, ["status", "--as-of", "2024-04-02", "-f", "json", "-p", str(JOURNAL)]
    )
    document = json.loads(result.output)
    salus = document["initiatives"][0]["initiatives"][1]
    assert {key: salus[key] for key in ("alert", "alert_label", "progress", "journal_stale")} == {
        "alert": "red",
        "alert_label": "Röd",
        "progress": 30,
        "journal_stale": False,
    }
    assert salus["journal"] == {
        "date": "2024-04-02",
        "text": "Leverantören kan inte leverera larmen före juni",
        "learned": None,
    }
    assert [(a["id"], a["overdue"]) for a in document["open_actions"]] == [
        ("skicka-info", True),
        ("sammanstall-menyer", False),
    ]


def _agenda(day: date) -> str:
    from kontrakt.render.agenda import render_agenda
    from kontrakt.views.agenda import agenda

    portfolio = _load()
    return render_agenda(portfolio, agenda(portfolio, day))


def test_agenda_since_the_last_meeting_golden() -> None:
    import os

    from markdown_checks import assert_valid_markdown

    text = _agenda(date(2024, 3, 26))
    assert_valid_markdown(text, tables=1)
    golden = GOLDEN / "agenda-journal-2024-03-26.md"
    if os.environ.get("KONTRAKT_REGENERATE"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_agenda_since_the_last_meeting_section() -> None:
    text = _agenda(date(2024, 3, 26))
    section = text.split("## Sedan förra mötet\n\n", 1)[1].split("\n## ", 1)[0]
    assert section == (
        "### Salus mea – trygghetslarm med civilsamhället\n\n"
        "- 2024-03-10: KPR möts först i april; testet kan bli försenat (gul, 30 % klart)\n"
        "  - Lärdom: Boka KPR tidigt, deras möten är glesa\n"
        "- 2024-03-12: Svar på ”Salus mea och KPR”: KPR informeras på aprilmötet\n\n"
        "### Utvecklat samarbete med civilsamhället\n\n"
        "- 2024-03-20: Processledaren är upphandlad (5 % klart)\n"
        "- 2024-03-26: Status På gång → Pågående (Till pilot enligt core team)\n\n"
        "### Öppna åtgärder\n\n"
        "- Skicka information om testet till kontaktlistan (Anna Svensson; senast 2024-03-20; "
        "gäller Salus mea – trygghetslarm med civilsamhället) ⚠ försenad\n"
        "- Sammanställ menyerna från piloterna (Mälardalens universitet; senast 2024-04-30; "
        "gäller Måltider och möten – tre piloter)\n\n"
        "### Klart sedan förra mötet\n\n"
        "- Boka tid på KPR:s aprilmöte (Eskilstuna kommun; klar 2024-03-12; gäller Salus mea "
        "– trygghetslarm med civilsamhället)\n"
    )


def test_decisions_since_the_last_meeting_are_news_but_not_the_meetings_own(
    journal: Path,
) -> None:
    from kontrakt.views.agenda import agenda

    write(
        journal,
        "budget/verkstad.yaml",
        "title: Verkstad på Ängsgärdet\namount: 20000\ncategory: pilot\nperiod: 2024\n"
        "proposed_on: 2024-03-01\ndecision: decided\ndecided_on: 2024-03-05\n"
        "initiatives: [angsgardet]\n",
    )
    portfolio = _load(journal)
    plan = agenda(portfolio, date(2024, 3, 26))
    since = {item.id: item for item in plan.since}
    assert [d.budget for d in since["angsgardet"].decisions] == [("verkstad",)]
    # The meeting's own decision (Trygghetslösning) is its agenda's, not news.
    assert since["salus-mea"].decisions == []
    # A draft for the next month: the entry of 2024-04-02 is news then.
    later = {item.id: item for item in agenda(portfolio, date(2024, 4, 23)).since}
    assert [entry.date for entry in later["salus-mea"].journal] == [date(2024, 4, 2)]
    assert later["salus-mea"].decisions == []


def test_the_agenda_as_html_word_and_deck_has_the_section() -> None:
    from kontrakt.render.agenda import AgendaRequest
    from kontrakt.render.deck import sections
    from kontrakt.render.html import agenda_output
    from kontrakt.views.agenda import agenda

    portfolio = _load()
    request = AgendaRequest(portfolio, agenda(portfolio, date(2024, 3, 26)))
    html = agenda_output(request).text
    assert '<h2 id="since">Sedan förra mötet</h2>' in html
    assert (
        '<li><span class="warning">Skicka information om testet till kontaktlistan (Anna '
        "Svensson; senast 2024-03-20; gäller Salus mea – trygghetslarm med civilsamhället) "
        "⚠ försenad</span></li>"
    ) in html
    from kontrakt.i18n import speaking
    from kontrakt.render.agenda import agenda_context

    with speaking("sv"):
        found = sections(agenda_context(portfolio, request.plan), [], None)
    since = next(s for s in found if s.title == "Sedan förra mötet")
    headings = [block.heading.text for block in since.blocks if block.heading]
    assert headings == [
        "Salus mea – trygghetslarm med civilsamhället",
        "Utvecklat samarbete med civilsamhället",
        "Öppna åtgärder",
        "Klart sedan förra mötet",
    ]


def test_report_tells_the_latest_entry_how_the_alert_moved_and_the_decisions() -> None:
    from kontrakt.render.report import render_report

    text = render_report(_load(), date(2024, 4, 2), diagram=False)
    assert (
        "**Salus mea – trygghetslarm med civilsamhället.** Signal: gul → röd. Senaste "
        "journalpost: 2024-04-02: Leverantören kan inte leverera larmen före juni (röd, 30 % "
        "klart). Ansvarig: Eskilstuna kommun. Budget: Trygghetslösning, 260 000 kr, "
        "pilotbudget. Beslut: 2024-03-26: Trygghetslösning får pilotbudget; testet fortsätter "
        "(beslutspunkt: fortsätt; budget: Trygghetslösning).\n"
    ).replace(" 000", "\u00a0000").replace("000 kr", "000\u00a0kr") in text
    assert "**Ängsgärdet – konkreta idéer snart redo för utvärdering.** Journal: ingen ännu.\n" in (
        text
    )
    actions = text.split("## Åtgärder\n\n", 1)[1].split("\n## ", 1)[0]
    assert actions == (
        "### Öppna åtgärder\n\n"
        "- Skicka information om testet till kontaktlistan (Anna Svensson; senast 2024-03-20; "
        "gäller Salus mea – trygghetslarm med civilsamhället) ⚠ försenad\n"
        "- Sammanställ menyerna från piloterna (Mälardalens universitet; senast 2024-04-30; "
        "gäller Måltider och möten – tre piloter)\n\n"
        "### Klart (60 dagar)\n\n"
        "- Boka tid på KPR:s aprilmöte (Eskilstuna kommun; klar 2024-03-12; gäller Salus mea "
        "– trygghetslarm med civilsamhället)\n"
    )


# --- note, new action, done ---------------------------------------------------------------


def test_note_appends_an_entry_and_keeps_the_comments(journal: Path) -> None:
    args = ["note", "salus-mea", "Leverantören levererar i juni", "--alert", "Gul"]
    args += ["--progress", "35", "--learned", "Fråga om leveranstid först", "--on", "2024-04-05"]
    result = runner.invoke(app, [*args, "--dry-run", "-p", str(journal)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "--- initiatives/salus-mea.yaml\n"
        "+++ initiatives/salus-mea.yaml\n"
        "@@ -20,3 +20,8 @@\n"
        "     text: Leverantören kan inte leverera larmen före juni\n"
        "     alert: red\n"
        "     progress: 30\n"
        "+  - date: 2024-04-05\n"
        "+    text: Leverantören levererar i juni\n"
        "+    learned: Fråga om leveranstid först\n"
        "+    alert: yellow\n"
        "+    progress: 35\n"
    )
    assert runner.invoke(app, [*args, "-p", str(journal)]).exit_code == 0
    text = (journal / "initiatives" / "salus-mea.yaml").read_text(encoding="utf-8")
    assert "  # Written after the meeting of 2024-03-26: its agenda does not know it yet.\n" in text
    assert check(journal) == []


def test_note_on_an_initiative_without_a_journal(journal: Path) -> None:
    result = runner.invoke(
        app,
        [
            "note",
            "angsgardet",
            "Första idén",
            "--on",
            "2024-03-20",
            "--dry-run",
            "-p",
            str(journal),
        ],
    )
    assert result.output.endswith(
        "     status: ongoing\n+journal:\n+  - date: 2024-03-20\n+    text: Första idén\n"
    )


def test_note_refuses_an_entry_before_the_journals_latest(journal: Path) -> None:
    result = runner.invoke(
        app, ["note", "salus-mea", "Sent", "--on", "2024-03-01", "-p", str(journal)]
    )
    assert result.exit_code == 2
    assert result.output == (
        "kontrakt: the journal of salus-mea goes up to 2024-04-02; an entry on 2024-03-01 "
        "comes before it: give --on 2024-04-02 or later, or edit the journal by hand\n"
    )
    wrong = runner.invoke(app, ["note", "salus-mea", "x", "--alert", "orange", "-p", str(journal)])
    assert wrong.output == "kontrakt: unknown alert 'orange'; write one of green, yellow, red\n"


def test_a_red_note_is_written_with_its_text(journal: Path) -> None:
    args = ["note", "angsgardet", "Leverantören har gått i konkurs", "--alert", "red"]
    result = runner.invoke(app, [*args, "--on", "2024-03-20", "-p", str(journal)])
    assert result.exit_code == 0, result.output
    assert result.output == "changed initiatives/angsgardet.yaml\n"


def test_new_action_writes_a_file_with_the_organisations_id(journal: Path) -> None:
    args = ["new", "action", "Boka lokal för workshop", "--owner", "Eskilstuna kommun"]
    args += ["--due", "2024-04-15", "--from-meeting", "2024-03-26-core-team", "-i", "salus-mea"]
    result = runner.invoke(app, [*args, "--on", "2024-03-26", "-p", str(journal)])
    assert result.exit_code == 0, result.output
    assert (journal / "actions" / "boka-lokal-for-workshop.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/action.schema.json\n"
        "title: Boka lokal för workshop\n"
        "owner: eskilstuna\n"
        "due: 2024-04-15\n"
        "from_meeting: 2024-03-26-core-team\n"
        "initiatives:\n"
        "  - salus-mea\n"
        "opened: 2024-03-26\n"
    )


def test_new_action_without_owner_and_due_warns(journal: Path) -> None:
    result = runner.invoke(
        app, ["new", "action", "Ring KPR", "--on", "2024-03-26", "-p", str(journal)]
    )
    assert result.exit_code == 0, result.output
    warnings = sorted(line.rsplit("/", 2)[-2:] for line in result.output.splitlines()[-2:])
    assert ["/".join(parts) for parts in warnings] == [
        "actions/ring-kpr.yaml:2:1: warning: the action has no due day; add due: YYYY-MM-DD "
        "[action]",
        "actions/ring-kpr.yaml:2:1: warning: the action has no owner; add owner: with an "
        "organisation (mdu, eskilstuna) or a person's name [action]",
    ]


def test_new_action_refuses_an_unknown_meeting(journal: Path) -> None:
    result = runner.invoke(
        app,
        ["new", "action", "Ring KPR", "--from-meeting", "2024-03-26-core-tem", "-p", str(journal)],
    )
    assert result.exit_code != 0
    assert "unknown meeting '2024-03-26-core-tem'; did you mean '2024-03-26-core-team'?" in (
        result.output
    )


def test_done_sets_the_day_and_keeps_the_layout(journal: Path) -> None:
    result = runner.invoke(
        app, ["done", "skicka-info", "--on", "2024-03-28", "--dry-run", "-p", str(journal)]
    )
    assert result.exit_code == 0, result.output
    assert result.output == (
        "--- actions/skicka-info.yaml\n"
        "+++ actions/skicka-info.yaml\n"
        "@@ -3,5 +3,6 @@\n"
        " due: 2024-03-20\n"
        " from_meeting: 2024-02-27-core-team\n"
        " initiatives: [salus-mea]\n"
        "+done: 2024-03-28\n"
        " note: Listan finns hos Eskilstuna kommun\n"
        " opened: 2024-02-27\n"
    )
    again = runner.invoke(app, ["done", "boka-kpr", "--on", "2024-03-13", "-p", str(journal)])
    assert again.output == (
        "kontrakt: boka-kpr was done on 2024-03-12 already; change it by hand if that is wrong\n"
    )
    early = runner.invoke(app, ["done", "skicka-info", "--on", "2024-02-01", "-p", str(journal)])
    assert early.exit_code == 1
    assert "actions/skicka-info.yaml:6:7: error: done 2024-02-01 is before opened 2024-02-27" in (
        early.output
    )


# --- kontrakt diff ---------------------------------------------------------------------


def test_diff_tells_journal_entries_actions_and_decisions(tmp_path: Path) -> None:
    from conftest import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(JOURNAL, repo / "portfolio")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    root = repo / "portfolio"
    commands = [
        ["note", "angsgardet", "Första idén utvärderad", "--alert", "green", "--on", "2024-04-20"],
        ["done", "skicka-info", "--on", "2024-04-20"],
        ["new", "action", "Boka lokal", "--owner", "mdu", "--due", "2024-05-15"],
        ["new", "meeting", "2024-04-23", "--kind", "core-team"],
    ]
    for command in commands:
        result = runner.invoke(app, [*command, "-p", str(root)])
        assert result.exit_code == 0, result.output
    meeting = root / "meetings" / "2024-04-23-core-team.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8")
        + "decisions:\n  - text: Ängsgärdet går till implementering\n"
        "    gate: to-implementation\n    initiatives: [angsgardet]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["diff", "-p", str(root), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    tail = result.output.split("### Möten\n", 1)[1]
    assert tail == (
        "\n- **Ny:** Core team-möte 2024-04-23\n\n"
        "### Journal\n\n"
        "- **Ängsgärdet – konkreta idéer snart redo för utvärdering:** 2024-04-20: Första "
        "idén utvärderad (grön)\n\n"
        "### Åtgärder\n\n"
        "- **Öppnad:** Boka lokal (senast 2024-05-15)\n"
        "- **Klar:** Skicka information om testet till kontaktlistan (2024-04-20)\n\n"
        "### Beslut\n\n"
        "- Ängsgärdet går till implementering (2024-04-23, beslutspunkt: till implementering)\n"
    )


def test_diff_lists_a_line_decided_by_a_new_meeting_decision_once(tmp_path: Path) -> None:
    from kontrakt.views.diff import LineState, compare

    before = _load()
    root = tmp_path / "portfolio"
    shutil.copytree(JOURNAL, root)
    write(
        root,
        "budget/verkstad.yaml",
        "title: Verkstad\namount: 10000\ncategory: pilot\nperiod: 2024\n"
        "proposed_on: 2024-03-01\ninitiatives: [angsgardet]\n",
    )
    with_line = _load(root)
    write(
        root,
        "meetings/2024-04-23-core-team.yaml",
        "date: 2024-04-23\nkind: core-team\ndecisions:\n"
        "  - text: Verkstaden beslutas\n    gate: to-pilot\n    budget: [verkstad]\n",
    )
    after = _load(root)
    assert [(c.id, c.title) for c in compare(before, with_line).decisions] == []
    found = compare(with_line, after)
    assert [(c.id, c.title, c.after, c.gate) for c in found.decisions] == [
        ("2024-04-23-core-team", "Verkstaden beslutas", "2024-04-23", "to-pilot")
    ]
    # The line's state moves too, in the budget, but it is one decision.
    assert [(c.id, c.before, c.after) for c in found.budget_changed] == [
        ("verkstad", LineState(10000, "Pilotbudget", False), LineState(10000, "Pilotbudget", True))
    ]


def test_the_word_agenda_has_the_section_with_its_actions() -> None:
    import io

    from docx import Document

    from kontrakt.render.agenda import AgendaRequest
    from kontrakt.render.word import agenda_docx
    from kontrakt.views.agenda import agenda

    portfolio = _load()
    data = agenda_docx(AgendaRequest(portfolio, agenda(portfolio, date(2024, 3, 26)))).data
    assert data is not None
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    start = texts.index("Sedan förra mötet")
    assert texts[start + 1 : start + 4] == [
        "Salus mea – trygghetslarm med civilsamhället",
        "2024-03-10: KPR möts först i april; testet kan bli försenat (gul, 30 % klart)",
        "Lärdom: Boka KPR tidigt, deras möten är glesa",
    ]
    assert "Öppna åtgärder" in texts[start:] and "Klart sedan förra mötet" in texts[start:]


@pytest.mark.parametrize(
    ("history", "day", "stale"),
    [
        ([("2024-02-27", "ongoing")], date(2024, 2, 27), False),  # begun today
        ([("2024-02-27", "ongoing")], date(2024, 4, 12), False),  # 45 days: not yet
        ([("2024-02-27", "ongoing")], date(2024, 4, 13), True),  # 46 days, no entry
        # A repeated ongoing goes on from the first; a pause starts the count again.
        ([("2024-01-01", "ongoing"), ("2024-03-01", "ongoing")], date(2024, 3, 2), True),
        (
            [("2024-01-01", "ongoing"), ("2024-02-01", "paused"), ("2024-03-01", "ongoing")],
            date(2024, 3, 2),
            False,
        ),
        ([], date(2030, 1, 1), False),  # ongoing since no day the file says
    ],
)
def test_stale_counts_from_the_latest_entry_or_the_day_it_became_ongoing(
    history: list[tuple[str, str]], day: date, stale: bool
) -> None:
    """A portfolio that keeps no journal is not flagged the day it starts; an
    initiative with nothing written for journal_stale_days since it became
    ongoing is."""
    from kontrakt.models import Initiative
    from kontrakt.models.common import Status
    from kontrakt.views.snapshot import is_stale

    initiative = Initiative.model_validate(
        {
            "title": "Alfa",
            "status": "ongoing",
            "history": [{"date": when, "status": status} for when, status in history],
        }
    )
    assert is_stale(initiative, Status.ONGOING, None, day, 45) is stale


# --- what a review found: decisions that stop, decide twice, or contradict --------------


def _meeting(root: Path, name: str, body: str) -> None:
    write(root, f"meetings/{name}.yaml", body)


def test_a_decision_to_stop_decides_no_money(journal: Path) -> None:
    _meeting(
        journal,
        "2024-03-26-core-team",
        "date: 2024-03-26\nkind: core-team\ndecisions:\n"
        "  - text: Trygghetslösning avslås; testet avslutas\n    gate: stop\n"
        "    budget: [trygghetslosning]\n",
    )
    assert check(journal) == []
    view = budget_view(_load(journal), ["category"], Filters(as_of=date(2024, 3, 26)))
    assert view.total.decided == 540_000  # civilsamhället alone; trygghetslösning stays proposed
    assert view.total.proposed == 260_000


def test_a_line_decided_at_two_meetings_is_one_error_at_the_later(journal: Path) -> None:
    _meeting(
        journal,
        "2024-03-26-core-team",
        "date: 2024-03-26\nkind: core-team\ndecisions:\n"
        "  - text: Mer till civilsamhället\n    budget: [civilsamhallet-som-partner]\n",
    )
    assert check(journal) == [
        "meetings/2024-03-26-core-team.yaml:5:14: error: budget line civilsamhallet-som-partner "
        "is already decided at meeting 2024-02-27-core-team on 2024-02-27; a line is decided "
        "once: remove it from one of the two decisions [decision]"
    ]


def test_a_line_that_says_proposed_contradicts_the_meeting_deciding_it(journal: Path) -> None:
    line = journal / "budget" / "trygghetslosning.yaml"
    line.write_text(line.read_text(encoding="utf-8") + "decision: proposed\n", encoding="utf-8")
    assert check(journal) == [
        "meetings/2024-03-26-core-team.yaml:7:14: error: budget/trygghetslosning.yaml says "
        "decision: proposed, but this meeting decided it; write decision: decided there, or "
        "remove the line from this decision [decision]"
    ]


def test_true_is_no_number_of_per_cent_or_days(journal: Path) -> None:
    salus = journal / "initiatives" / "salus-mea.yaml"
    text = salus.read_text(encoding="utf-8")
    assert "progress: 30" in text
    salus.write_text(text.replace("progress: 30", "progress: true"), encoding="utf-8")
    settings = journal / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "journal_stale_days: 45" in text
    settings.write_text(text.replace("journal_stale_days: 45", "journal_stale_days: true"), "utf-8")
    found = [f for f in check(journal) if "expected a whole number, found 'true'" in f]
    assert [f.split(":")[0] for f in found] == [
        "initiatives/salus-mea.yaml",
        "initiatives/salus-mea.yaml",
        "kontrakt.yaml",
    ]


def test_the_report_says_a_journal_has_gone_quiet(journal: Path) -> None:
    from kontrakt.render.report import render_report

    text = render_report(_load(journal), date(2024, 4, 10))
    (line,) = [line for line in text.splitlines() if line.startswith("**Måltider och möten")]
    assert "Journal: inget skrivet på mer än 45 dagar." in line


def test_what_has_happened_is_never_written_for_a_day_to_come(journal: Path) -> None:
    before = (journal / "initiatives" / "angsgardet.yaml").read_bytes()
    result = runner.invoke(
        app, ["note", "angsgardet", "fel år", "--on", "2999-03-20", "-p", str(journal)]
    )
    assert result.exit_code == 2
    assert "2999-03-20 is after today: write what has happened" in result.output
    assert (journal / "initiatives" / "angsgardet.yaml").read_bytes() == before
    result = runner.invoke(
        app, ["done", "sammanstall-menyer", "--on", "2999-01-01", "-p", str(journal)]
    )
    assert result.exit_code == 2


def test_nothing_is_written_before_what_it_follows(journal: Path) -> None:
    """An action opened before the meeting it came from, and a journal entry dated
    before its initiative entered, would show in agendas of days they were unknown."""
    write(
        journal,
        "actions/ring-kpr.yaml",
        "title: Ring KPR\nowner: mdu\ndue: 2024-04-10\n"
        "from_meeting: 2024-03-26-core-team\nopened: 2024-02-01\n",
    )
    angsgardet = journal / "initiatives" / "angsgardet.yaml"
    angsgardet.write_text(
        angsgardet.read_text(encoding="utf-8")
        + "journal:\n  - date: 2023-01-01\n    text: Tidig anteckning\n",
        encoding="utf-8",
    )
    assert check(journal) == [
        "actions/ring-kpr.yaml:5:9: warning: the action is opened on 2024-02-01, before "
        "meetings/2024-03-26-core-team.yaml has it (2024-03-26); write opened: 2024-03-26 "
        "or later [entered-later]",
        "initiatives/angsgardet.yaml:7:11: warning: this journal entry is dated 2023-01-01, "
        "before 2024-01-10, when the initiative entered the portfolio; write 2024-01-10 or "
        "later [entered-later]",
    ]


def test_diff_tells_what_is_taken_back_and_changed(tmp_path: Path) -> None:
    """A journal entry removed (or edited: one gone, one added), an action opened
    again, given another due day or removed, and a decision's gate changed."""
    from conftest import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(JOURNAL, repo / "portfolio")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    root = repo / "portfolio"

    def edit(name: str, old: str, new: str) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")

    edit(
        "initiatives/maltider-och-moten.yaml", "Första måltiden hölls i Västerås", "Första måltiden"
    )
    edit("actions/boka-kpr.yaml", "done: 2024-03-12\n", "")
    edit("actions/sammanstall-menyer.yaml", "due: 2024-04-30", "due: 2024-05-31")
    (root / "actions" / "skicka-info.yaml").unlink()
    edit("meetings/2024-03-26-core-team.yaml", "gate: continue", "gate: adapt")
    result = runner.invoke(app, ["diff", "-p", str(root), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    tail = result.output.split("### Journal\n", 1)[1]
    assert tail == (
        "\n- **Måltider och möten – tre piloter:** 2024-01-20: Första måltiden (grön, 10 % klart)\n"
        "- **Borttagen ur Måltider och möten – tre piloter:** 2024-01-20: Första måltiden hölls i "
        "Västerås (grön, 10 % klart)\n\n"
        "### Åtgärder\n\n"
        "- **Öppnad igen:** Boka tid på KPR:s aprilmöte (var klar 2024-03-12)\n"
        "- **Ny sista dag:** Sammanställ menyerna från piloterna (2024-04-30 → 2024-05-31)\n"
        "- **Borttagen:** Skicka information om testet till kontaktlistan\n\n"
        "### Beslut\n\n"
        "- Trygghetslösning får pilotbudget; testet fortsätter (2024-03-26, beslutspunkt: "
        "fortsätt → anpassa)\n"
    )


def test_a_report_without_events_says_so_in_every_format(journal: Path) -> None:
    """The journal fixture has no events: the section says so instead of standing empty."""
    from docx import Document

    from kontrakt.render.html import render_report_html
    from kontrakt.render.report import ReportRequest, render_report
    from kontrakt.render.word import report_docx

    portfolio, day = _load(journal), date(2024, 4, 10)
    assert not portfolio.events
    assert "## Händelser\n\nInga händelser.\n" in render_report(portfolio, day)
    assert "<p>Inga händelser.</p>" in render_report_html(ReportRequest(portfolio, day))
    document = Document(io.BytesIO(report_docx(ReportRequest(portfolio, day)).data or b""))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[texts.index("Händelser") + 1] == "Inga händelser."
