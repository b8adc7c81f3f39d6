"""`kontrakt agenda`, `kontrakt meetings` and `kontrakt calendar`.

The agenda of 2024-02-27 is compared with a golden file, and with the deck itself
(tests/data/deck-2024-02-27.txt, a copy of the source document): every fact the
deck states must appear in the agenda, in the deck's order.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from conftest import BUNDLED, write
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.render.agenda import render_agenda
from kontrakt.render.calendar import export_calendar
from kontrakt.views.agenda import agenda
from markdown_checks import assert_valid_markdown

runner = CliRunner()
DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
MEETING = date(2024, 2, 27)


def _load(root: Path) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


def _agenda(root: Path, day: date = MEETING) -> str:
    portfolio = _load(root)
    return render_agenda(portfolio, agenda(portfolio, day))


def test_agenda_golden() -> None:
    text = _agenda(BUNDLED)
    assert_valid_markdown(text, tables=2)  # the budget chart and the events
    golden = GOLDEN / "agenda-2024-02-27.md"
    if os.environ.get("KONTRAKT_REGENERATE"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# --- the deck as the yardstick --------------------------------------------------------

# Lines of the deck that are layout, not facts: the logo, and the title line whose
# text came out garbled from the slide ("Välståndsjävständiga" is "Välmående
# självständiga"; the agenda's title names the mission).
LAYOUT = {"SAMHÄLLS", "KONTRAKTET", "Välståndsjävständiga äldre"}
# The deck's wording and the agenda's, where they differ on purpose.
REWORDED = {
    "Budget update": "Budget",
    "stadsbidrag": "statsbidrag",  # the state grant (statsbidrag); a typo in the deck
}


def _normal(text: str) -> str:
    """Compare words, not markup: no Markdown, links, colons or dashes, one space."""
    text = text.replace("\u00a0", " ").replace("…", "...")
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)  # the deck's [text](#) links
    text = re.sub(r"(\d{2})\.(\d{2})\s*-\s*(\d{2})\.(\d{2})", r"\1:\2–\3:\4", text)
    text = re.sub(r"(\d+)´", r"\1 000 kr", text)  # 100´ is 100 000 kr
    text = re.sub(r"\\(.)", r"\1", text)
    text = re.sub(r"[*#|]", " ", text)
    text = re.sub(r":(?=\s|$)", " ", text)
    text = re.sub(r"\s[–-]\s|\s[–-]$", " ", text)
    return " ".join(text.split())


def _deck_facts() -> list[str]:
    """Each fact of the deck, in order: lines, and budget lines cut into their parts."""
    facts: list[str] = []
    for raw in (DATA / "deck-2024-02-27.txt").read_text(encoding="utf-8").splitlines():
        line = _normal(raw.strip().lstrip("-").strip())
        for wrong, right in REWORDED.items():
            line = line.replace(wrong, right)
        if not line or line in LAYOUT:
            continue
        budget = re.fullmatch(r"(.+?) (\d[\d ]* kr) ?(?:\((.*)\))?(?: (redan beslutad))?", line)
        if budget and "Totalt" not in line:
            title, amount, details, decided = budget.groups()
            facts += [title, amount]
            facts += [part.strip() for part in (details or "").split(",") if part.strip()]
            facts += [decided] if decided else []
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2} \S+", line):
            facts += line.split(" ")  # a date and its times
        else:
            facts.append(line)
    return facts


def test_every_fact_of_the_deck_is_in_the_agenda_in_order() -> None:
    agenda_text = _normal(_agenda(BUNDLED))
    facts = _deck_facts()
    assert len(facts) >= 60
    position = 0
    for fact in facts:
        found = agenda_text.find(fact, position)
        assert found >= 0, f"not in the agenda after position {position}: {fact!r}"
        position = found + len(fact)


def test_deck_facts_cover_every_amount_and_date() -> None:
    facts = _deck_facts()
    for expected in (
        "285 000 kr",
        "varav 100 000 kr pilotbudget",
        "375 000 kr",
        "260 000 kr",
        "redan beslutad",
        "540 000 kr",
        "extern processledare",
        "200 000 kr",
        "varav 100 000 kr konsult",
        "Totalt ordinarie budget 1 310 000 kr",
        "Totalt pilotbudget 797 500 kr",
        "2024-03-15",
        "08:30–14:00",
        "Plaza hotell, Västerås",
        "Kan ni skicka ut info på kontaktlista?",
        "Vad behöver andra veta?",
    ):
        assert expected in facts


# --- as-of rules at their edges -------------------------------------------------------


def test_agenda_as_of_edges(minimal: Path) -> None:
    write(minimal, "meetings/jan.yaml", "date: 2024-01-30\nkind: core-team\n")
    write(minimal, "meetings/feb.yaml", "date: 2024-02-27\nkind: core-team\n")
    write(minimal, "news/pa-forra.yaml", "date: 2024-01-30\ntitle: Dagen för förra mötet\n")
    write(minimal, "news/dagen-efter.yaml", "date: 2024-01-31\ntitle: Dagen efter förra\n")
    write(minimal, "news/motesdagen.yaml", "date: 2024-02-27\ntitle: Mötesdagen\n")
    write(minimal, "news/efter.yaml", "date: 2024-02-28\ntitle: Efter mötet\n")
    write(
        minimal, "events/samma.yaml", "title: Samma dag\nkind: oppen-verkstad\ndate: 2024-02-27\n"
    )
    write(minimal, "events/igar.yaml", "title: Igår\nkind: oppen-verkstad\ndate: 2024-02-26\n")
    write(
        minimal,
        "events/pagar.yaml",
        "title: Pågår\nkind: oppen-verkstad\ndate: 2024-02-26\nend_date: 2024-02-27\n",
    )
    answers = (("fore", "2024-02-26"), ("pa", "2024-02-27"), ("efter", "2024-02-28"))
    for name, answered in answers:
        write(
            minimal,
            f"questions/{name}.yaml",
            f"title: Besvarad {name}\nraised: 2024-02-01\nanswer: Ja\nanswered: {answered}\n",
        )
    plan = agenda(_load(minimal), MEETING)
    assert plan.previous == date(2024, 1, 30)
    assert [key for key, _ in plan.news] == ["dagen-efter", "motesdagen"]
    assert [key for key, _ in plan.snapshot.upcoming_events] == ["pagar", "samma"]
    assert [key for key, _ in plan.snapshot.past_events] == ["igar"]
    assert [key for key, _ in plan.snapshot.open_questions] == ["efter"]
    assert [key for key, _ in plan.answered_since] == ["fore", "pa"]
    text = render_agenda(_load(minimal), plan)
    assert "### Besvarad efter" in text
    assert "- **Besvarad pa** (2024-02-27): Ja" in text
    assert "| Samma dag | 2024-02-27 |" in text and "Igår" not in text
    assert "| Pågår | 2024-02-26–2024-02-27 |" in text


def test_without_a_meeting_file_the_agenda_is_a_draft() -> None:
    text = _agenda(BUNDLED, date(2024, 3, 26))
    assert text.splitlines()[0] == (
        "*Utkast: det finns ingen mötesfil för 2024-03-26 i meetings/, så allt nedan kommer "
        "från portföljen per det datumet.*"
    )
    assert "# Core team-möte: Välmående och självständiga äldre" in text
    assert "**Samhällskontraktet** · Mars · 2024-03-26" in text
    assert "- Inga nyheter sedan förra mötet 2024-02-27." in text
    assert_valid_markdown(text)


def test_english_agenda() -> None:
    english = BUNDLED.parent / "tests" / "fixtures" / "good" / "english" / "portfolio"
    text = _agenda(english)
    draft, _, title = text.splitlines()[:3]
    assert draft == (
        "*Draft: there is no meeting file for 2024-02-27 in meetings/, so everything below "
        "comes from the portfolio as of that date.*"
    )
    assert title == "# Core team meeting: Healthy and independent older people"
    assert "**Harbour Partnership** · February · 2024-02-27" in text
    assert "- The spring workshop is booked" in text
    assert "- **Venue for the spring workshop** (2024-02-20): Yes, booked." in text
    assert "## Communication" in text
    assert_valid_markdown(text)


# --- the commands ---------------------------------------------------------------------


def test_agenda_command_output_and_usage(tmp_path: Path) -> None:
    target = tmp_path / "agenda.md"
    result = runner.invoke(app, ["agenda", "2024-02-27", "-p", str(BUNDLED), "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == _agenda(BUNDLED)
    both = runner.invoke(app, ["agenda", "2024-02-27", "--next", "-p", str(BUNDLED)])
    assert both.exit_code == 2
    neither = runner.invoke(app, ["agenda", "-p", str(BUNDLED)])
    assert neither.exit_code == 2
    assert "give the meeting's date (kontrakt agenda 2024-02-27) or --next" in neither.output
    bad = runner.invoke(app, ["agenda", "2024-02-30", "-p", str(BUNDLED)])
    assert bad.exit_code == 2


def test_agenda_next(minimal: Path) -> None:
    result = runner.invoke(app, ["agenda", "--next", "-p", str(minimal)])
    assert result.exit_code == 1
    assert "no meeting on or after today" in result.output
    write(minimal, "meetings/framtid.yaml", "date: 2099-01-13\nkind: core-team\n")
    write(minimal, "meetings/senare.yaml", "date: 2099-02-10\nkind: core-team\n")
    result = runner.invoke(app, ["agenda", "--next", "-p", str(minimal)])
    assert result.exit_code == 0
    assert "· Januari · 2099-01-13" in result.output


def test_meetings_command(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(minimal, "meetings/b.yaml", "date: 2024-03-26\nkind: core-team\ntitle: Marsmötet\n")
    write(minimal, "meetings/a.yaml", "date: 2024-02-27\nkind: core-team\n")
    monkeypatch.chdir(minimal)
    result = runner.invoke(app, ["meetings"])
    assert result.exit_code == 0
    assert result.output == (
        "2024-02-27  Core team-möte  meetings/a.yaml\n2024-03-26  Marsmötet  meetings/b.yaml\n"
    )


# --- the calendar ---------------------------------------------------------------------

STAMP = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)


def test_calendar_parses_back_with_what_rfc_5545_requires() -> None:
    export = export_calendar(_load(BUNDLED), STAMP)
    assert export.undated == ("forumtraff-digital-stad", "forumtraff-volontarskap")
    calendar = Calendar.from_ical(export.text)
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//kontrakt//")
    entries = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert export.entries == len(entries) == 4  # three dated events and the meeting
    for entry in entries.values():
        assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(entry.keys())
        assert entry.decoded("dtstamp") == STAMP
    workshop = entries["event-oppen-verkstad-existentiell-halsa@samhallskontraktet.kontrakt"]
    start = workshop.decoded("dtstart")
    assert start == datetime(2024, 3, 15, 8, 30, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert start.utcoffset() is not None and start.utcoffset().total_seconds() == 3600
    assert workshop["dtstart"].params["TZID"] == "Europe/Stockholm"
    assert workshop.decoded("dtend").hour == 14
    assert str(workshop["location"]) == "Elite Stadshotell, Eskilstuna"
    meeting = entries["meeting-2024-02-27-core-team@samhallskontraktet.kontrakt"]
    assert meeting.decoded("dtstart") == date(2024, 2, 27)  # all day: no time given
    assert meeting.decoded("dtend") == date(2024, 2, 28)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert "\r\n" in export.text


def test_calendar_uids_are_stable_across_exports() -> None:
    portfolio = _load(BUNDLED)
    first = Calendar.from_ical(export_calendar(portfolio, STAMP).text)
    later = Calendar.from_ical(export_calendar(portfolio, datetime(2025, 1, 1, tzinfo=UTC)).text)
    assert sorted(str(e["uid"]) for e in first.walk("VEVENT")) == sorted(
        str(e["uid"]) for e in later.walk("VEVENT")
    )


def test_calendar_command(tmp_path: Path) -> None:
    target = tmp_path / "kalender.ics"
    result = runner.invoke(app, ["calendar", "-p", str(BUNDLED), "-o", str(target)])
    assert result.exit_code == 0
    assert "left out 2 event(s) without a date" in result.output
    calendar = Calendar.from_ical(target.read_bytes())
    assert len(calendar.walk("VEVENT")) == 4
