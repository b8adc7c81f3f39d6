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
        minimal, "initiative", "Ny pilot: trygg hemma", "--status", "idea", "--kind", "pilot"
    ) == (0, f"wrote {_display(minimal / 'initiatives/ny-pilot-trygg-hemma.yaml')}\n")
    assert (minimal / "initiatives/ny-pilot-trygg-hemma.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/initiative.schema.json\n"
        "title: 'Ny pilot: trygg hemma'\n"
        "status: idea\n"
        "kind: pilot\n"
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
    )
    assert code == 0
    assert (minimal / "budget/maltider-och-moten.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/budget.schema.json\n"
        "title: Måltider och möten\n"
        "amount: 285000\n"
        "category: pilot\n"
        "period: 2024\n"
        "decision: decided\n"
        "initiatives:\n"
        "  - alfa\n"
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
        )[0]
        == 0
    )
    assert _new(minimal, "meeting", "2024-03-26", "--kind", "core-team")[0] == 0
    assert (minimal / "meetings/2024-03-26-core-team.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/meeting.schema.json\n"
        "date: 2024-03-26\n"
        "kind: core-team\n"
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
    assert _new(minimal, "news", "Blerim stöttar", "--date", "2024-02-27")[0] == 0
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
        (
            ["initiative", "x", "--status", "pågående"],
            "status: 'pågående' is the label of 'ongoing'; write ongoing",
        ),
        (["budget", "x", "--amount", "1,5 mnkr"], "amount: '1,5 mnkr' has decimals"),
        (["budget", "x", "--amount", "100", "-i", "nope"], "unknown initiative 'nope'"),
        (["event", "x", "--kind", "oppen-verkstad", "--start", "8.30"], "(write 08:30)"),
        (["meeting", "2024-02-30", "--kind", "core-team"], "not a date in the calendar"),
        (["meeting", "27.02.2024", "--kind", "core-team"], "date: expected a date as YYYY-MM-DD"),
    ],
)
def test_refusals_write_nothing(minimal: Path, args: list[str], message: str) -> None:
    before = _files(minimal)
    code, output = _new(minimal, *args)
    assert code == 2
    assert message in output
    assert _files(minimal) == before


def test_new_refuses_a_portfolio_with_errors(minimal: Path) -> None:
    write(minimal, "initiatives/trasig.yaml", "title: [\n")
    code, output = _new(minimal, "initiative", "Gamma")
    assert code == 1
    assert "fix them first" in output
