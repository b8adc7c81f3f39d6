"""`kontrakt check --format github`: workflow commands that GitHub can place on lines."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from conftest import write
from kontrakt.cli import app

runner = CliRunner()
COMMAND = re.compile(r"^::(?P<level>error|warning) (?P<properties>[^:]*)::(?P<message>.*)$")


def _parse(line: str) -> dict[str, str]:
    """A workflow command back into its parts, decoding GitHub's %-escapes."""
    match = COMMAND.match(line)
    assert match, line
    properties = dict(part.split("=", 1) for part in match["properties"].split(","))
    return {
        "level": match["level"],
        **{key: unquote(value) for key, value in properties.items()},
        "message": unquote(match["message"]),
    }


@pytest.fixture
def broken(minimal: Path) -> Path:
    write(minimal, "initiatives/beta.yaml", "title: Beta\nkind: pilott\nstart: 2024-02-30\n")
    write(minimal, "events/e.yaml", 'title: "50% | klart\nkind: x\n')
    write(minimal, "budget/a.yaml", "title: A\namount: 900000\nperiod: 2024\ncategory: pilot\n")
    return minimal


def test_every_problem_carries_file_line_and_column(
    broken: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(broken)
    result = runner.invoke(app, ["check", "--format", "github"])
    assert result.exit_code == 1
    *commands, summary = result.output.splitlines()
    assert summary == "5 files checked: 3 errors, 1 warning"
    parsed = [_parse(line) for line in commands]
    assert [(p["level"], p["file"], p["line"], p["col"], p["title"]) for p in parsed] == [
        ("error", "events/e.yaml", "1", "8", "kontrakt yaml-syntax"),
        ("error", "initiatives/beta.yaml", "2", "7", "kontrakt unknown-vocabulary"),
        ("error", "initiatives/beta.yaml", "3", "8", "kontrakt invalid-value"),
        ("warning", "kontrakt.yaml", "23", "13", "kontrakt frame-exceeded"),
    ]
    assert [p["message"] for p in parsed] == [
        "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar "
        "started on line 1); close the quote or bracket that was opened",
        "unknown initiative kind 'pilott'; did you mean 'pilot'? (known: pilot; "
        "add new ones under vocabularies.kinds in kontrakt.yaml)",
        "2024-02-30 is not a date in the calendar",
        "pilotbudget 2024: decided + proposed 900\u00a0000\u00a0kr "
        "exceeds the frame 797\u00a0500\u00a0kr "
        "by 102\u00a0500\u00a0kr",
    ]


def test_auto_picks_github_under_actions(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(broken)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert runner.invoke(app, ["check"]).output.startswith("::error file=")
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    assert runner.invoke(app, ["check"]).output.startswith("events/e.yaml:1:8: error:")


def test_escaping_round_trips(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    write(minimal, "initiatives/x,y.yaml", "title: X\n")
    write(minimal, "initiatives/procent.yaml", "title: X\nkind: '100%'\n")
    result = runner.invoke(app, ["check", "--format", "github"])
    lines = result.output.splitlines()
    assert lines[0].startswith("::error file=initiatives/procent.yaml,")
    assert lines[1].startswith("::error file=initiatives/x%2Cy.yaml,line=1,col=1,")
    assert _parse(lines[0])["message"].startswith("'100%' is not a valid id")
    assert "%25" in lines[0]
    assert _parse(lines[1])["file"] == "initiatives/x,y.yaml"


def test_on_a_colour_terminal_only_the_severity_is_coloured(tmp_path: Path) -> None:
    from rich.text import Text

    from kontrakt.diagnostics import error, warning
    from kontrakt.render.diagnostics import CheckReport, as_lines, text_output

    found = [
        error(tmp_path / "a: error: b.yaml", 3, 7, "missing-key", "missing required key 'title'"),
        warning(tmp_path / "kontrakt.yaml", 62, 13, "frame-exceeded", "över ramen"),
    ]
    output = text_output(CheckReport(found, 2, tmp_path, color=True))
    assert output.renderable is not None
    lines = [part for part in output.renderable.renderables if isinstance(part, Text)]
    assert [line.plain for line in lines[:2]] == as_lines(found, tmp_path)
    coloured = [
        [(line.plain[span.start : span.end], str(span.style)) for span in line.spans]
        for line in lines[:2]
    ]
    assert coloured == [[("error", "bold red")], [("warning", "bold yellow")]]
