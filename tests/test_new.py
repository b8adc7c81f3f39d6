"""`kontrakt new`: valid files with slug ids, never overwriting, never outside the folder."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from conftest import check, write
from kontrakt.cli import app
from kontrakt.yamlload import parse

runner = CliRunner()


def _new(root: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["new", *args, "-p", str(root)])
    return result.exit_code, result.output


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_each_kind_writes_a_valid_file(minimal: Path) -> None:
    assert _new(
        minimal,
        "initiative",
        "Ny pilot: trygg hemma",
        "--status",
        "idea",
        "--kind",
        "pilot",
        "--on",
        "2024-03-26",
    ) == (
        0,
        f"wrote {_display(minimal / 'initiatives/ny-pilot-trygg-hemma.yaml')}\n"
        f"wrote {_display(minimal / '.kontrakt/schema/initiative.schema.json')}, which "
        "editors use to check the file as you type; commit it with the file (it belongs "
        "in git)\n",
    )
    assert (minimal / "initiatives/ny-pilot-trygg-hemma.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/initiative.schema.json\n"
        "title: 'Ny pilot: trygg hemma'\n"
        "status: idea\n"
        "kind: pilot\n"
        "proposed_on: 2024-03-26\n"
        "history:\n"
        "  - date: 2024-03-26\n"
        "    status: idea\n"
    )
    # The schema is written once; the next file of the kind says nothing of it.
    assert _new(minimal, "initiative", "Tvåan", "--on", "2024-03-26") == (
        0,
        f"wrote {_display(minimal / 'initiatives/tvaan.yaml')}\n",
    )
    code, _ = _new(
        minimal,
        "budget",
        "Måltider och möten",
        "--amount",
        "285 000 kr",
        "--period",
        "2024",
        "--category",
        "pilot",
        "-i",
        "alfa",
        "--decided",
        "--purpose",
        "konsult",
        "--part",
        "100 tkr ordinarie",
        "--part",
        "50000 Konsult",
        "--note",
        "Tre piloter",
        "--on",
        "2024-01-20",
    )
    assert code == 0
    assert (minimal / "budget/maltider-och-moten.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/budget.schema.json\n"
        "title: Måltider och möten\n"
        "amount: 285000\n"
        "category: pilot\n"
        "purpose: konsult\n"
        "period: 2024\n"
        "proposed_on: 2024-01-20\n"
        "decision: decided\n"
        "decided_on: 2024-01-20\n"
        "initiatives:\n"
        "  - alfa\n"
        "parts:\n"
        "  - amount: 100000\n"
        "    category: ordinarie\n"
        "  - amount: 50000\n"
        "    purpose: konsult\n"
        "note: Tre piloter\n"
    )
    assert (
        _new(
            minimal,
            "event",
            "Öppen verkstad",
            "--kind",
            "oppen-verkstad",
            "--date",
            "2024-03-15",
            "--start",
            "08:30",
            "--end",
            "14:00",
            "--city",
            "Eskilstuna",
            "--venue",
            "Elite Stadshotell",
            "--url",
            "https://example.se/verkstad",
            "--description",
            "Om existentiell hälsa.",
            "--on",
            "2024-02-01",
        )[0]
        == 0
    )
    assert (minimal / "events/oppen-verkstad.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/event.schema.json\n"
        "title: Öppen verkstad\n"
        "kind: oppen-verkstad\n"
        "date: 2024-03-15\n"
        "start: 08:30\n"
        "end: 14:00\n"
        "venue: Elite Stadshotell\n"
        "city: Eskilstuna\n"
        "description: Om existentiell hälsa.\n"
        "url: https://example.se/verkstad\n"
        "announced: 2024-02-01\n"
    )
    assert (
        _new(
            minimal,
            "meeting",
            "2024-03-26",
            "--kind",
            "core-team",
            "--start",
            "13:00",
            "--venue",
            "MDU",
            "--city",
            "Västerås",
        )[0]
        == 0
    )
    assert (minimal / "meetings/2024-03-26-core-team.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/meeting.schema.json\n"
        "date: 2024-03-26\n"
        "kind: core-team\n"
        "start: 13:00\n"
        "venue: MDU\n"
        "city: Västerås\n"
    )
    assert (
        _new(
            minimal,
            "question",
            "Ska ni söka?",
            "--point",
            "Statsbidrag?",
            "--raised",
            "2024-02-27",
            "-i",
            "alfa",
        )[0]
        == 0
    )
    assert (
        _new(
            minimal,
            "news",
            "Blerim stöttar",
            "--date",
            "2024-02-27",
            "--description",
            "Kring sociala medier.",
            "--event",
            "oppen-verkstad",
        )[0]
        == 0
    )
    assert (minimal / "news/2024-02-27-blerim-stottar.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/news.schema.json\n"
        "date: 2024-02-27\n"
        "title: Blerim stöttar\n"
        "description: Kring sociala medier.\n"
        "events:\n"
        "  - oppen-verkstad\n"
    )
    assert check(minimal) == []
    assert {
        "initiatives/ny-pilot-trygg-hemma.yaml",
        "budget/maltider-och-moten.yaml",
        "events/oppen-verkstad.yaml",
        "meetings/2024-03-26-core-team.yaml",
        "questions/ska-ni-soka.yaml",
        "news/2024-02-27-blerim-stottar.yaml",
    } <= _files(minimal)


def _display(path: Path) -> str:
    from kontrakt.render.diagnostics import display_path

    return display_path(path, Path.cwd())


def test_the_schema_comment_points_at_a_schema_the_file_satisfies(minimal: Path) -> None:
    _new(minimal, "initiative", "Beta", "--status", "ongoing")
    text = (minimal / "initiatives/beta.yaml").read_text(encoding="utf-8")
    target = text.splitlines()[0].split("$schema=", 1)[1]
    schema = json.loads((minimal / "initiatives" / target).read_text(encoding="utf-8"))
    jsonschema.validate(parse(text).data, schema)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["initiative", "Alfa"], "initiatives/alfa.yaml exists already; pass another --id"),
        (["initiative", "x", "--id", "../../etc"], "'../../etc' is not a valid id"),
        (["initiative", "x", "--id", "Stor Bokstav"], "use 'stor-bokstav'"),
        (["initiative", "???"], "the title gives no id; pass --id"),
        (
            ["initiative", "x", "--kind", "pilott"],
            "unknown initiative kind 'pilott'; did you mean 'pilot'? (known: pilot;",
        ),
        (["budget", "x", "--amount", "1,5 mnkr"], "amount: '1,5 mnkr' has decimals"),
        (["budget", "x", "--amount", "100", "-i", "nope"], "unknown initiative 'nope'"),
        (["event", "x", "--kind", "oppen-verkstad", "--start", "8.30"], "(write 08:30)"),
        (
            ["meeting", "2024-02-30", "--kind", "core-team"],
            "2024-02-30 is not a day in the calendar",
        ),
        (
            ["meeting", "27.02.2024", "--kind", "core-team"],
            "'27.02.2024' is not a date kontrakt reads; did you mean 2024-02-27?",
        ),
    ],
)
def test_refusals_write_nothing(minimal: Path, args: list[str], message: str) -> None:
    before = _files(minimal)
    code, output = _new(minimal, *args)
    assert code == 2
    assert message in output
    assert _files(minimal) == before


def test_a_status_label_is_taken_as_set_status_takes_it(minimal: Path) -> None:
    assert _new(minimal, "initiative", "X", "--status", "Pågående", "--on", "2024-03-01")[0] == 0
    assert (
        (minimal / "initiatives/x.yaml")
        .read_text(encoding="utf-8")
        .endswith(
            "title: X\nstatus: ongoing\nproposed_on: 2024-03-01\nhistory:\n"
            "  - date: 2024-03-01\n    status: ongoing\n"
        )
    )


def test_a_file_that_would_fail_check_is_not_written(minimal: Path) -> None:
    before = _files(minimal)
    result = runner.invoke(
        app, ["new", "budget", "X", "--amount", "100", "--part", "200 pilot", "-p", str(minimal)]
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{_display(minimal / 'budget/x.yaml')}:6:1: error: the 'of which' parts add up to "
        "200\xa0kr, "
        "more than the line's amount 100\xa0kr; lower a part or raise the amount "
        "[parts-exceed-line]",
        "kontrakt: not written: budget/x.yaml would fail kontrakt check",
    ]
    assert _files(minimal) == before


def test_new_refuses_a_portfolio_with_errors(minimal: Path) -> None:
    write(minimal, "initiatives/trasig.yaml", "title: [\n")
    code, output = _new(minimal, "initiative", "Gamma")
    assert code == 1
    assert "fix them first" in output
