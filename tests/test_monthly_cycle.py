"""The month as the secretary lives it: February's agenda is a record that holds.

Render the 2024-02-27 agenda, make the March changes with kontrakt's commands
(a new budget line, a new initiative, a status change, a decision, an answer, a
new meeting, event, news item and question), render February again: the same
bytes. March's agenda shows every change. A change no date can hide (a part
added to a February line) changes the February agenda, unless it was issued:
then the record is given, and the command says the portfolio now differs.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from conftest import REPO
from kontrakt.cli import app

runner = CliRunner()
GOLDEN = (REPO / "tests" / "golden" / "agenda-2024-02-27.md").read_text(encoding="utf-8")

MARCH = [
    ("new", "budget", "Digitala möten", "--amount", "150 tkr", "--category", "ordinarie",
     "--phase", "uppstart", "--part", "50 tkr konsult", "-i", "maltider-och-moten",
     "--on", "2024-03-26"),
    ("new", "initiative", "Digital mötesplats", "--status", "idea", "--kind", "pilot",
     "--on", "2024-03-26"),
    ("set-status", "salus-mea", "completed", "--on", "2024-03-26", "--note", "Test klart"),
    ("decide", "servicetjanster", "--on", "2024-03-26"),
    ("answer", "salus-mea-trygghetslarm", "Ja, via kontaktlistan.", "--on", "2024-03-26"),
    ("new", "meeting", "2024-03-26", "--kind", "core-team", "--start", "13:00", "--end",
     "15:00", "--venue", "Mälardalens universitet", "--city", "Västerås"),
    ("new", "event", "Forumträff i april", "--kind", "forumtraff", "--date", "2024-04-10",
     "--on", "2024-03-20"),
    ("new", "news", "Ny pilot om digitala möten", "--on", "2024-03-20", "--description",
     "Piloten startar i april."),
    ("new", "question", "Lokaler för april", "--point", "Vem bokar?", "--on", "2024-03-26"),
]  # fmt: skip


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "-p", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _march(root: Path) -> None:
    for command in MARCH:
        code, _out, err = _run(root, *command)
        assert code == 0, (command, err)
    assert _run(root, "check")[0] == 0


def test_february_holds_after_the_march_changes(bundled: Path) -> None:
    assert _run(bundled, "agenda", "2024-02-27")[1] == GOLDEN
    _march(bundled)
    assert _run(bundled, "agenda", "2024-02-27") == (0, GOLDEN, "")


def test_march_shows_every_change(bundled: Path) -> None:
    _march(bundled)
    code, march, _err = _run(bundled, "agenda", "2024-03-26")
    assert code == 0
    lines = march.splitlines()
    assert lines[2] == (
        "**Samhällskontraktet** · Mars · 2024-03-26 · 13:00–15:00 · "
        "Mälardalens universitet, Västerås"
    )
    assert "- Ny pilot om digitala möten" in lines
    assert "| Forumträff i april | 2024-04-10 |  |  |" in lines
    avslutade = lines.index("### Avslutade")
    assert lines[avslutade + 2] == "- Salus mea – trygghetslarm med civilsamhället"
    assert "- Digital mötesplats" in lines
    assert (
        "- **Servicetjänster:** 200\xa0000\xa0kr, varav 100\xa0000\xa0kr konsult – redan "
        "beslutad 2024-03-26"
    ) in lines
    assert (
        "- **Digitala möten:** 150\xa0000\xa0kr, ordinarie budget, varav 50\xa0000\xa0kr "
        "konsult – föreslagen"
    ) in lines
    assert "- **Salus mea trygghetslarm** (2024-03-26): Ja, via kontaktlistan." in lines
    assert "### Lokaler för april" in lines


def test_an_issued_agenda_is_the_record_and_says_when_the_portfolio_differs(
    bundled: Path,
) -> None:
    code, out, err = _run(bundled, "agenda", "2024-02-27", "--issue")
    record = bundled / "meetings" / "2024-02-27-core-team.agenda.md"
    assert (code, out, err) == (
        0,
        GOLDEN,
        "issued the agenda as meetings/2024-02-27-core-team.agenda.md\n",
    )
    assert record.read_text(encoding="utf-8") == GOLDEN
    assert _run(bundled, "check")[0] == 0  # the record is no portfolio file
    _march(bundled)
    # A part added to a line February showed: no date hides it.
    assert _run(bundled, "add-part", "servicetjanster", "50 tkr pilot")[0] == 0
    code, out, err = _run(bundled, "agenda", "2024-02-27")
    assert (code, out) == (0, GOLDEN)
    assert err == (
        "kontrakt: this is the agenda issued as meetings/2024-02-27-core-team.agenda.md; "
        "the portfolio now gives another (--fresh shows it)\n"
    )
    fresh = _run(bundled, "agenda", "2024-02-27", "--fresh")[1]
    assert "varav 50\xa0000\xa0kr pilotbudget – föreslagen" in fresh and fresh != GOLDEN
    code, _out, err = _run(bundled, "agenda", "2024-02-27", "--issue")
    assert code == 1
    assert err == (
        "kontrakt: 2024-02-27-core-team.agenda.md holds the agenda issued before, and the "
        "portfolio now gives another; pass --reissue to replace the record\n"
    )
    assert record.read_text(encoding="utf-8") == GOLDEN
    assert _run(bundled, "agenda", "2024-02-27", "--reissue")[0] == 0
    assert record.read_text(encoding="utf-8") == fresh


def test_a_draft_is_not_issued(bundled: Path) -> None:
    code, _out, err = _run(bundled, "agenda", "2024-05-01", "--issue")
    assert code == 2
    assert err == (
        "kontrakt: a draft is not issued: write the meeting's file first (kontrakt new meeting)\n"
    )
    assert sorted(p.name for p in (bundled / "meetings").iterdir()) == ["2024-02-27-core-team.yaml"]


def test_agenda_dates_say_how_to_write_them(bundled: Path) -> None:
    assert _run(bundled, "agenda") == (
        2,
        "",
        "kontrakt: give the meeting's date (kontrakt agenda 2024-02-27) or --next\n",
    )
    code, _out, err = _run(bundled, "agenda", "27/2/2024")
    assert code == 2
    assert err == (
        "kontrakt: '27/2/2024' is not a date kontrakt reads; did you mean 2024-02-27? "
        "Write YYYY-MM-DD\n"
    )
