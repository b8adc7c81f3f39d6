"""The editing commands: one monthly change, one command, the file's layout kept.

Each test runs the real command on a small portfolio and reads the file back
byte for byte: what changed is exactly what was asked, comments and quoting
stay, a change that would fail `check` writes nothing and says why at file:line.
"""

from __future__ import annotations

import stat
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import check, write
from kontrakt import edit
from kontrakt.changes import decide
from kontrakt.cli import app
from kontrakt.load import load_portfolio

runner = CliRunner()


def _run(root: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "-p", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mini(minimal: Path) -> Path:
    write(
        minimal,
        "initiatives/alfa.yaml",
        "# Alfa: from the deck\n"
        "title: Alfa   # short name\n"
        "status: ongoing\n"
        "kind: pilot\n"
        "history:\n"
        "  # first seen in February\n"
        "  - date: 2024-02-27\n"
        "    status: ongoing\n"
        "order: 1\n",
    )
    write(
        minimal,
        "budget/rad.yaml",
        "title: 'Rad: ett'\n"
        "amount: 100 000 kr   # as in the deck\n"
        "category: pilot\n"
        "period: 2024\n"
        "proposed_on: 2024-02-27\n"
        "decision: proposed\n"
        "initiatives: [alfa]\n",
    )
    write(
        minimal,
        "questions/fraga.yaml",
        "title: Fråga\npoints:\n  - Kan ni?\ninitiatives: [alfa]\nraised: 2024-02-27\n",
    )
    write(minimal, "meetings/2024-02-27-core-team.yaml", "date: 2024-02-27\nkind: core-team\n")
    assert check(minimal) == []
    return minimal


def _shown(path: Path) -> str:
    """A path as kontrakt prints it: relative to the working folder when that is short."""
    from kontrakt.render.diagnostics import display_path

    return display_path(path, Path.cwd())


def _text(root: Path, relative: str) -> str:
    return (root / relative).read_bytes().decode("utf-8")


def test_set_status_appends_a_dated_entry_and_keeps_comments(mini: Path) -> None:
    code, out, err = _run(mini, "set-status", "alfa", "completed", "--on", "2024-03-26")
    assert (code, out, err) == (0, "changed initiatives/alfa.yaml\n", "")
    assert _text(mini, "initiatives/alfa.yaml") == (
        "# Alfa: from the deck\n"
        "title: Alfa   # short name\n"
        "status: completed\n"
        "kind: pilot\n"
        "history:\n"
        "  # first seen in February\n"
        "  - date: 2024-02-27\n"
        "    status: ongoing\n"
        "  - date: 2024-03-26\n"
        "    status: completed\n"
        "order: 1\n"
    )
    assert check(mini) == []


def test_set_status_by_label_with_a_note_and_on_the_same_day_replaces(mini: Path) -> None:
    assert _run(mini, "set-status", "alfa", "pausade", "--on", "2024-03-26")[0] == 0
    code, _out, _err = _run(
        mini, "set-status", "alfa", "stopped", "--on", "2024-03-26", "--note", "Beslut: nej"
    )
    assert code == 0
    assert _text(mini, "initiatives/alfa.yaml").endswith(
        "  - date: 2024-03-26\n    status: stopped\n    note: 'Beslut: nej'\norder: 1\n"
    )
    assert _text(mini, "initiatives/alfa.yaml").count("2024-03-26") == 1


def test_set_status_refuses_a_day_before_the_history_ends(mini: Path) -> None:
    before = _text(mini, "initiatives/alfa.yaml")
    code, out, err = _run(mini, "set-status", "alfa", "idea", "--on", "2024-01-01")
    assert code == 2 and out == ""
    assert err == (
        "kontrakt: the history of alfa goes up to 2024-02-27; a change on 2024-01-01 comes "
        "before it: give --on 2024-02-27 or later, or edit the history by hand\n"
    )
    assert _text(mini, "initiatives/alfa.yaml") == before


def test_set_status_without_history_asks_since_when_first(minimal: Path) -> None:
    """alfa has a status but neither a history nor proposed_on: a first history entry
    in March alone would make it vanish from every view of February."""
    code, _out, err = _run(minimal, "set-status", "alfa", "completed", "--on", "2024-03-26")
    assert code == 2
    assert err == (
        "kontrakt: alfa has no history and no proposed_on, so kontrakt cannot tell since "
        "when it is in the portfolio, and a view of an earlier day would lose it; give that "
        "day: kontrakt set-status alfa completed --on 2024-03-26 --entered DAY\n"
    )
    code, _out, err = _run(
        minimal, "set-status", "alfa", "completed", "--on", "2024-03-26", "--entered", "2024-04-01"
    )
    assert (code, err) == (
        2,
        "kontrakt: alfa entered the portfolio on 2024-04-01, after 2024-03-26; give --on "
        "2024-04-01 or later\n",
    )
    assert (
        _run(
            minimal,
            "set-status",
            "alfa",
            "completed",
            "--on",
            "2024-03-26",
            "--entered",
            "2024-02-01",
        )[0]
        == 0
    )
    assert _text(minimal, "initiatives/alfa.yaml") == (
        "title: Alfa\nstatus: completed\nkind: pilot\nproposed_on: 2024-02-01\nhistory:\n"
        "  - date: 2024-02-01\n    status: ongoing\n"
        "  - date: 2024-03-26\n    status: completed\n"
    )


def test_a_status_for_an_initiative_without_one_keeps_it_in_the_past(minimal: Path) -> None:
    write(minimal, "initiatives/beta.yaml", "title: Beta\nproposed_on: 2024-02-27\n")
    assert _run(minimal, "set-status", "beta", "upcoming", "--on", "2024-03-20")[0] == 0
    assert _text(minimal, "initiatives/beta.yaml") == (
        "title: Beta\nstatus: upcoming\nproposed_on: 2024-02-27\nhistory:\n"
        "  - date: 2024-03-20\n    status: upcoming\n"
    )
    february = runner.invoke(
        app, ["status", "-p", str(minimal), "--as-of", "2024-02-27", "-f", "json"]
    )
    assert '"beta"' in february.stdout  # there, without a status yet


def test_nothing_to_change_writes_nothing(mini: Path) -> None:
    path = mini / "initiatives/alfa.yaml"
    stamp = path.stat().st_mtime_ns
    code, out, _err = _run(mini, "set-status", "alfa", "ongoing", "--on", "2024-03-26")
    assert (code, out) == (0, "initiatives/alfa.yaml says so already; nothing to change\n")
    assert path.stat().st_mtime_ns == stamp


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("set-status", "alfaa", "ongoing"),
            "there is no initiatives/alfaa.yaml; did you mean alfa?",
        ),
        (
            ("set-status", "ALFA", "ongoing"),
            "there is no initiatives/ALFA.yaml; did you mean alfa?",
        ),
        (("decide", "rd"), "there is no budget/rd.yaml; did you mean rad?"),
        (
            ("answer", "zzz", "Ja"),
            "there is no questions/zzz.yaml; kontrakt status lists what there is",
        ),
        (
            ("set-status", "alfa", "ongoin"),
            "unknown status 'ongoin'; did you mean 'ongoing'? "
            "(one of ongoing, upcoming, idea, paused, completed, stopped)",
        ),
        (
            ("decide", "rad", "--on", "27/3"),
            "'27/3' is not a date kontrakt reads; did you mean ",
        ),
        (("decide", "rad", "--on", "2024-02-30"), "2024-02-30 is not a day in the calendar"),
        (
            ("add-part", "rad", "tio tkr pilot"),
            "write a part as an amount and a category or purpose, e.g. '100 tkr pilot' or "
            "'50000 konsult'; got 'tio tkr pilot'",
        ),
        (
            ("add-part", "rad", "10 tkr pilott"),
            "unknown category or purpose 'pilott'; did you mean 'pilot'? "
            "(one of konsult, ordinarie, pilot)",
        ),
    ],
)
def test_a_wrong_name_or_value_says_what_to_write(
    mini: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = _run(mini, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"kontrakt: {message}")


def test_decide_sets_decision_and_day_in_place(mini: Path) -> None:
    assert _run(mini, "decide", "rad", "--on", "2024-03-26")[:2] == (0, "changed budget/rad.yaml\n")
    assert _text(mini, "budget/rad.yaml") == (
        "title: 'Rad: ett'\n"
        "amount: 100 000 kr   # as in the deck\n"
        "category: pilot\n"
        "period: 2024\n"
        "proposed_on: 2024-02-27\n"
        "decision: decided\n"
        "decided_on: 2024-03-26\n"
        "initiatives: [alfa]\n"
    )
    code, _out, err = _run(mini, "decide", "rad", "--on", "2024-04-01")
    assert code == 2
    assert err == (
        "kontrakt: rad was decided on 2024-03-26 already; change it by hand if that is wrong\n"
    )


def test_a_change_that_would_fail_check_is_refused_at_its_line(mini: Path) -> None:
    before = _text(mini, "budget/rad.yaml")
    code, out, err = _run(mini, "decide", "rad", "--on", "2024-01-01")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{_shown(mini / 'budget/rad.yaml')}:7:13: error: decided_on 2024-01-01 is before "
        "proposed_on 2024-02-27 [date-order]",
        "kontrakt: not written: the change would make budget/rad.yaml fail kontrakt check",
    ]
    assert _text(mini, "budget/rad.yaml") == before


def test_a_part_too_large_for_its_line_is_refused(mini: Path) -> None:
    code, _out, err = _run(mini, "add-part", "rad", "150 tkr pilot")
    assert code == 1
    assert "[parts-exceed-line]" in err.splitlines()[0]
    assert err.splitlines()[0].startswith(f"{_shown(mini / 'budget/rad.yaml')}:8:")


def test_add_part_by_category_or_purpose_label(mini: Path) -> None:
    assert _run(mini, "add-part", "rad", "60 tkr Pilotbudget")[0] == 0
    assert _run(mini, "add-part", "rad", "20 000 kr konsult", "--note", "Våren")[0] == 0
    assert _text(mini, "budget/rad.yaml").endswith(
        "initiatives: [alfa]\n"
        "parts:\n"
        "  - amount: 60000\n"
        "    category: pilot\n"
        "  - amount: 20000\n"
        "    purpose: konsult\n"
        "    note: Våren\n"
    )
    assert check(mini) == []


def test_answer_and_replace(mini: Path) -> None:
    assert _run(mini, "answer", "fraga", "Ja, vi: gör det", "--on", "2024-03-26")[0] == 0
    assert _text(mini, "questions/fraga.yaml").endswith(
        "raised: 2024-02-27\nanswer: 'Ja, vi: gör det'\nanswered: 2024-03-26\n"
    )
    code, _out, err = _run(mini, "answer", "fraga", "Nej", "--on", "2024-03-27")
    assert code == 2
    assert err == (
        "kontrakt: fraga has an answer already (2024-03-26); pass --replace to replace it\n"
    )
    assert _run(mini, "answer", "fraga", "Nej", "--on", "2024-03-27", "--replace")[0] == 0
    assert _text(mini, "questions/fraga.yaml").endswith("answer: Nej\nanswered: 2024-03-27\n")


def test_move_a_meeting_and_dry_run_writes_nothing(mini: Path) -> None:
    relative = "meetings/2024-02-27-core-team.yaml"
    code, out, _err = _run(
        mini, "move", "2024-02-27-core-team", "--start", "13:00", "--city", "Västerås", "--dry-run"
    )
    assert code == 0
    assert out == (
        f"--- {relative}\n+++ {relative}\n@@ -1,2 +1,4 @@\n"
        " date: 2024-02-27\n kind: core-team\n+start: 13:00\n+city: Västerås\n"
    )
    assert _text(mini, relative) == "date: 2024-02-27\nkind: core-team\n"
    assert _run(mini, "move", "2024-02-27-core-team", "--start", "25:00")[0] == 1
    assert _run(mini, "move", "2024-02-27-core-team")[0] == 2


def test_crlf_and_a_byte_order_mark_stay(mini: Path) -> None:
    path = mini / "questions/fraga.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: Fr\xc3\xa5ga\r\nraised: 2024-02-27\r\n")
    assert _run(mini, "answer", "fraga", "Ja", "--on", "2024-03-01")[0] == 0
    assert path.read_bytes() == (
        b"\xef\xbb\xbftitle: Fr\xc3\xa5ga\r\nraised: 2024-02-27\r\nanswer: Ja\r\n"
        b"answered: 2024-03-01\r\n"
    )


def test_a_file_with_its_own_errors_is_left_alone(mini: Path) -> None:
    write(mini, "budget/rad.yaml", "title: Rad\namount: tio\nperiod: 2024\n")
    code, _out, err = _run(mini, "decide", "rad", "--on", "2024-03-26")
    assert code == 1
    assert err.splitlines()[-1] == (
        "kontrakt: budget/rad.yaml has problems of its own; fix them first (kontrakt check)"
    )
    assert "amount" in err.splitlines()[0] and ":2:9: error:" in err.splitlines()[0]


def test_a_file_changed_meanwhile_or_read_only_is_not_written(mini: Path) -> None:
    planned = edit.plan(
        mini, load_portfolio(mini), "budget", "rad", decide("rad", date(2024, 3, 1))
    )
    path = mini / "budget/rad.yaml"
    path.write_text(path.read_text() + "note: hand-edited\n")
    with pytest.raises(edit.ProblemFound, match="changed while kontrakt worked on it"):
        edit.write(planned)
    assert path.read_text().endswith("note: hand-edited\n")
    # The file's permission bits decide, as for fmt (root could replace it anyway).
    path.chmod(stat.S_IRUSR)
    planned = edit.plan(
        mini, load_portfolio(mini), "budget", "rad", decide("rad", date(2024, 3, 1))
    )
    with pytest.raises(edit.ProblemFound, match="is read-only"):
        edit.write(planned)


def test_a_warning_the_change_brings_is_shown_and_the_change_made(mini: Path) -> None:
    write(
        mini,
        "meetings/2024-03-26-core-team.yaml",
        "date: 2024-03-26\nkind: core-team\n"
        "decisions:\n  - text: Vidare\n    initiatives: [alfa]\n",
    )
    assert check(mini) == []
    code, out, err = _run(mini, "move", "2024-03-26-core-team", "--date", "2024-02-01")
    assert code == 0 and out == "changed meetings/2024-03-26-core-team.yaml\n"
    assert err == (
        f"{_shown(mini / 'initiatives/alfa.yaml')}:7:11: warning: "
        "meetings/2024-03-26-core-team.yaml names this on 2024-02-01, before 2024-02-27, "
        "when it entered the portfolio; write 2024-02-01 or earlier here [entered-later]\n"
    )
    assert _text(mini, "meetings/2024-03-26-core-team.yaml").startswith("date: 2024-02-01\n")


def test_a_line_decided_on_a_day_the_file_does_not_say_stays_so(mini: Path) -> None:
    """Dating the decision today would make the line undecided in every earlier view."""
    write(mini, "budget/gammal.yaml", "title: G\namount: 1\nperiod: 2024\ndecision: decided\n")
    code, out, _err = _run(mini, "decide", "gammal", "--on", "2024-03-26")
    assert (code, out) == (0, "budget/gammal.yaml says so already; nothing to change\n")
    assert _text(mini, "budget/gammal.yaml").endswith("decision: decided\n")


def test_the_same_answer_again_is_nothing_to_change(mini: Path) -> None:
    assert _run(mini, "answer", "fraga", "Ja", "--on", "2024-03-26")[0] == 0
    code, out, _err = _run(mini, "answer", "fraga", "Ja", "--on", "2024-03-26")
    assert (code, out) == (0, "questions/fraga.yaml says so already; nothing to change\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("answer", "fraga", "ring\x07"),
            "the text given has a character a portfolio file cannot hold: forbidden character "
            "U+0007 (control character)",
        ),
        (
            ("set-status", "alfa", "paused", "--note", "a\u2028b"),
            "the text given has a character a portfolio file cannot hold: forbidden character "
            "U+2028 LINE SEPARATOR",
        ),
        (
            ("add-part", "rad", "100 tkr"),
            "write the category or purpose after the amount: '100 tkr pilot'",
        ),
        (
            ("move", "fraga", "--city", "X"),
            "there is no meetings/fraga.yaml; questions/fraga.yaml has that id: a question",
        ),
    ],
)
def test_what_the_user_gave_is_what_the_message_is_about(
    mini: Path, args: tuple[str, ...], message: str
) -> None:
    before = {p: p.read_bytes() for p in mini.rglob("*.yaml")}
    code, out, err = _run(mini, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"kontrakt: {message}")
    assert {p: p.read_bytes() for p in mini.rglob("*.yaml")} == before


def test_a_linked_file_is_named_as_a_link(mini: Path) -> None:
    (mini / "initiatives/lank.yaml").symlink_to(mini / "initiatives/alfa.yaml")
    code, _out, err = _run(mini, "set-status", "lank", "paused")
    assert code == 2
    assert err == (
        "kontrakt: initiatives/lank.yaml: symbolic links are not followed; put the file itself "
        "in the portfolio\n"
    )


def test_a_file_saved_between_check_and_write_is_not_overwritten(mini: Path) -> None:
    """The change is made to the text that was checked; a save in between is kept."""
    import kontrakt.edit as edit_module

    path = mini / "initiatives/alfa.yaml"
    real = edit_module.read_bytes

    def saved_meanwhile(target: Path, limit: int) -> tuple[bytes | None, list[object]]:
        if target == path:
            path.write_text(path.read_text().replace("kind: pilot", "kind: pilot  # x"))
        return real(target, limit)  # type: ignore[return-value]

    edit_module.read_bytes = saved_meanwhile  # type: ignore[assignment]
    try:
        with pytest.raises(edit.ProblemFound, match="changed while kontrakt worked on it"):
            edit.plan(
                mini, load_portfolio(mini), "initiative", "alfa", decide("x", date(2024, 3, 1))
            )
    finally:
        edit_module.read_bytes = real
    assert "kind: pilot  # x" in path.read_text()


def test_mixed_line_endings_are_left_to_fmt(mini: Path) -> None:
    path = mini / "questions/fraga.yaml"
    path.write_bytes(b"title: F\r\nraised: 2024-02-27\n")
    code, _out, err = _run(mini, "answer", "fraga", "Ja", "--on", "2024-03-01")
    assert code == 1
    assert "mixes line endings (LF and CRLF); kontrakt fmt makes them one" in err
    assert path.read_bytes() == b"title: F\r\nraised: 2024-02-27\n"


def test_a_dry_run_shows_the_warnings_and_a_missing_last_line_break(mini: Path) -> None:
    path = mini / "questions/fraga.yaml"
    path.write_bytes(b"title: F\nraised: 2024-02-27")
    code, out, _err = _run(mini, "answer", "fraga", "Ja", "--on", "2024-03-01", "--dry-run")
    assert code == 0
    assert out == (
        "--- questions/fraga.yaml\n+++ questions/fraga.yaml\n@@ -1,2 +1,4 @@\n title: F\n"
        "-raised: 2024-02-27\n\\ No newline at end of file\n+raised: 2024-02-27\n"
        "+answer: Ja\n+answered: 2024-03-01\n"
    )
    write(
        mini,
        "meetings/2024-03-26-core-team.yaml",
        "date: 2024-03-26\nkind: core-team\n"
        "decisions:\n  - text: Vidare\n    initiatives: [alfa]\n",
    )
    code, _out, err = _run(
        mini, "move", "2024-03-26-core-team", "--date", "2024-02-01", "--dry-run"
    )
    assert code == 0 and "[entered-later]" in err


def test_a_default_status_label_of_any_language_is_taken(mini: Path) -> None:
    """As a file may write `status: Paused` in a Swedish portfolio, so may the command."""
    assert _run(mini, "set-status", "alfa", "Paused", "--on", "2024-03-26")[0] == 0
    assert "    status: paused\n" in _text(mini, "initiatives/alfa.yaml")


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every parse of a file's bytes during a command, by the file's path below its folder."""
    import kontrakt.load

    parsed: Counter[str] = Counter()
    real = kontrakt.load.parse_source

    def counted(path: str | Path, raw: bytes) -> object:
        where = Path(path)  # loading passes paths as text
        parsed[f"{where.parent.name}/{where.name}"] += 1
        return real(path, raw)

    monkeypatch.setattr(kontrakt.load, "parse_source", counted)
    return parsed


def test_an_edit_parses_the_changed_file_alone_again(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editing command checks the portfolio with the change before it writes: the
    files it did not change are not parsed a second time (ten thousand of them took
    as long again as `check`). Every refusal test here runs through the same check."""
    parsed = _counting_parses(monkeypatch)
    code, out, err = _run(mini, "set-status", "alfa", "completed", "--on", "2024-03-26")
    assert (code, out, err) == (0, "changed initiatives/alfa.yaml\n", "")
    assert parsed == {
        "mini/kontrakt.yaml": 2,  # read first by each load: it says how to read the rest
        "initiatives/alfa.yaml": 2,  # as it was, and as it will be
        "budget/rad.yaml": 1,
        "questions/fraga.yaml": 1,
        "meetings/2024-02-27-core-team.yaml": 1,
    }


def test_a_new_file_is_the_one_file_parsed_again(
    mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _counting_parses(monkeypatch)
    code, out, _err = _run(mini, "new", "question", "Ny fråga", "--point", "Hur?")
    assert code == 0 and out.startswith("wrote ")
    assert parsed == {
        "mini/kontrakt.yaml": 2,
        "initiatives/alfa.yaml": 1,
        "budget/rad.yaml": 1,
        "questions/fraga.yaml": 1,
        "meetings/2024-02-27-core-team.yaml": 1,
        "questions/ny-fraga.yaml": 1,
    }


def test_a_file_with_a_tab_after_a_value_is_edited_as_check_reads_it(mini: Path) -> None:
    """check reads a tab after a value; so does the editing commands' rewrite (it
    ended in an internal error while it used ruamel's round-trip parser)."""
    write(
        mini,
        "questions/fraga.yaml",
        "title: Fråga\npoints:\n  - Kan ni?\t\ninitiatives: [alfa]\nraised: 2024-02-27\n",
    )
    code, out, err = _run(mini, "answer", "fraga", "Ja", "--on", "2024-03-26")
    assert (code, out, err) == (0, "changed questions/fraga.yaml\n", "")
    assert _text(mini, "questions/fraga.yaml") == (
        "title: Fråga\npoints:\n  - Kan ni?\t\ninitiatives: [alfa]\nraised: 2024-02-27\n"
        "answer: Ja\nanswered: 2024-03-26\n"
    )
