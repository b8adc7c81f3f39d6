"""The command line, in-process and as the installed console script.

Fixture folders under tests/fixtures: every good/* portfolio checks clean, every
bad/* portfolio prints exactly its expected.txt. Regenerate those on purpose with
`KONTRAKT_REGENERATE=1 make test` and review the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, FIXTURES, REPO, write
from kontrakt.cli import app

runner = CliRunner()
GOOD = sorted(p.name for p in (FIXTURES / "good").iterdir())
BAD = sorted(p.name for p in (FIXTURES / "bad").iterdir())


@pytest.mark.parametrize("name", GOOD)
def test_good_fixture_has_no_errors(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "good" / name)
    result = runner.invoke(app, ["check", "portfolio"])
    assert result.exit_code == 0, result.output
    assert ": error:" not in result.output
    assert " error" not in result.output.splitlines()[-1]


@pytest.mark.parametrize("name", BAD)
def test_bad_fixture_prints_expected(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = FIXTURES / "bad" / name
    monkeypatch.chdir(folder)
    result = runner.invoke(app, ["check", "portfolio"])
    expected = folder / "expected.txt"
    if os.environ.get("KONTRAKT_REGENERATE"):
        expected.write_text(result.output, encoding="utf-8")
    assert result.exit_code == 1
    assert result.output == expected.read_text(encoding="utf-8")


PILOT_WARNING = (
    "kontrakt.yaml:62:13: warning: pilotbudget 2024: decided + "
    "proposed 900\u00a0000\u00a0kr exceeds "
    "the frame 797\u00a0500\u00a0kr by 102\u00a0500\u00a0kr [frame-exceeded]\n"
)
BUNDLED_OUTPUT = "portfolio/" + PILOT_WARNING + "35 files checked: 1 warning\n"


def test_check_finds_the_portfolio_upward(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BUNDLED / "initiatives")
    result = runner.invoke(app, ["check"])
    assert (result.exit_code, result.output) == (
        0,
        "../" + PILOT_WARNING + "35 files checked: 1 warning\n",
    )


def test_check_falls_back_to_portfolio_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("KONTRAKT_PORTFOLIO", raising=False)
    result = runner.invoke(app, ["check"])
    assert (result.exit_code, result.output) == (0, BUNDLED_OUTPUT)


def test_portfolio_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / "tests")
    monkeypatch.setenv("KONTRAKT_PORTFOLIO", str(BUNDLED))
    result = runner.invoke(app, ["check"])
    assert (result.exit_code, result.output) == (0, "../" + BUNDLED_OUTPUT)


def test_strict_fails_on_the_frame_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(app, ["check", "portfolio", "--strict"])
    assert (result.exit_code, result.output) == (1, BUNDLED_OUTPUT)


def test_not_a_portfolio_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KONTRAKT_PORTFOLIO", raising=False)
    result = runner.invoke(app, ["check", "nowhere"])
    assert result.exit_code == 2
    assert result.output == "kontrakt: nowhere: no such file or folder\n"
    result = runner.invoke(app, ["check", "."])
    assert result.exit_code == 2
    assert result.output == (
        "kontrakt: . is not a portfolio: it has no kontrakt.yaml "
        "(see docs/format.md for how to start one)\n"
    )


def test_unknown_option_is_a_usage_error() -> None:
    assert runner.invoke(app, ["check", "--nope"]).exit_code == 2


def _commands() -> list[tuple[str, object]]:
    """Every command of the CLI, `new` and its kinds included, as click holds it."""
    import typer

    group = typer.main.get_command(app)
    found: list[tuple[str, object]] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        found.append((name, command))
        for sub, inner in getattr(command, "commands", {}).items():
            found.append((f"{name} {sub}", inner))
    return found


def test_no_option_name_starts_with_a_digit() -> None:
    """So `-5` is always a negative number, never an option (cli._Command)."""
    import re

    from kontrakt.cli import _Command

    for name, command in _commands():
        if getattr(command, "commands", None):
            continue  # a group: its commands are checked
        assert isinstance(command, _Command), name
        for param in command.params:  # type: ignore[attr-defined]
            for option in [*param.opts, *param.secondary_opts]:
                assert not re.match(r"-[.,]?[0-9]", option), (name, option)


@pytest.mark.parametrize(
    ("args", "read"),
    [
        (["a", "-5"], ["--", "a", "-5"]),
        (["a", "-5", "--on", "2024-01-01"], ["--on", "2024-01-01", "--", "a", "-5"]),
        (["--on", "2024-01-01", "a", "-0,5", "--dry-run"], ["--on", "2024-01-01", "--dry-run",
                                                             "--", "a", "-0,5"]),
        (["-p", "x", "a", "-40 tkr"], ["-p", "x", "--", "a", "-40 tkr"]),
        (["a", "-5", "--note", "-6"], ["--note", "-6", "--", "a", "-5"]),  # --note's own value
        (["a", "5", "--note", "-6"], ["a", "5", "--note", "-6"]),  # nothing to move
        (["a", "--", "-5"], ["a", "--", "-5"]),
        (["a", "-5", "--nope"], ["--nope", "--", "a", "-5"]),  # click names the unknown option
    ],
)  # fmt: skip
def test_a_negative_number_is_read_as_an_argument(args: list[str], read: list[str]) -> None:
    import typer

    from kontrakt.cli import _numbers_as_arguments

    measure = dict(_commands())["measure"]
    context = typer.Context(measure)  # type: ignore[arg-type]
    assert _numbers_as_arguments(measure, context, args) == read  # type: ignore[arg-type]


def test_json_format(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(minimal, "initiatives/beta.yaml", "title: Beta\nkind: pilott\n")
    monkeypatch.chdir(minimal)
    result = runner.invoke(app, ["check", ".", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output) == [
        {
            "path": "initiatives/beta.yaml",
            "line": 2,
            "column": 7,
            "severity": "error",
            "rule": "unknown-vocabulary",
            "message": "unknown initiative kind 'pilott'; did you mean 'pilot'? (known: pilot; "
            "add new ones under vocabularies.kinds in kontrakt.yaml)",
        }
    ]


def test_json_format_clean_is_an_empty_list(minimal: Path) -> None:
    result = runner.invoke(app, ["check", str(minimal), "--format", "json"])
    assert (result.exit_code, json.loads(result.output)) == (0, [])


def test_markdown_format_escapes_user_text(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    write(minimal, "initiatives/beta.yaml", "title: Beta\nkind: 'a|b<script>'\n")
    result = runner.invoke(app, ["check", ".", "--format", "markdown"])
    assert result.exit_code == 1
    assert result.output == (
        "### kontrakt check\n"
        "\n"
        "3 files checked: 1 error\n"
        "\n"
        "| File | Line | Severity | Problem | Rule |\n"
        "| --- | ---: | --- | --- | --- |\n"
        "| initiatives/beta.yaml | 2:7 | error | 'a\\|b&lt;script&gt;' is not a valid id: use "
        "lowercase a-z, digits and single hyphens (å, ä, ö become a, a, o); use 'a-b-script' "
        "| invalid-value |\n"
    )


def test_schema_command_prints_each_kind() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schemas = json.loads(result.output)
    assert sorted(schemas) == [
        "action",
        "budget",
        "event",
        "indicator",
        "initiative",
        "meeting",
        "news",
        "question",
        "settings",
    ]
    single = json.loads(runner.invoke(app, ["schema", "initiative"]).output)
    assert single == schemas["initiative"]
    assert single["additionalProperties"] is False
    assert single["required"] == ["title"]
    bad = runner.invoke(app, ["schema", "initiativ"])
    assert bad.exit_code == 2
    assert "unknown kind 'initiativ'" in bad.output


def test_schema_output_dir(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "--output-dir", str(tmp_path / "schemas")])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [
        f"{name}.schema.json"
        for name in [
            "action",
            "budget",
            "event",
            "indicator",
            "initiative",
            "meeting",
            "news",
            "question",
            "settings",
        ]
    ]


def _console_script() -> str:
    found = shutil.which("kontrakt", path=str(Path(sys.executable).parent))
    assert found, "the kontrakt console script is not installed next to this Python"
    return found


def test_installed_console_script_runs(tmp_path: Path) -> None:
    clean = subprocess.run(
        [_console_script(), "check", "portfolio"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, BUNDLED_OUTPUT, "")
    broken = tmp_path / "p"
    shutil.copytree(BUNDLED, broken)
    (broken / "budget" / "trygghetslosning.yaml").write_text(
        "title: Trygghetslösning\namount: 260 000,50\nperiod: 2024\n", encoding="utf-8"
    )
    result = subprocess.run(
        [_console_script(), "check", "p"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1
    assert result.stdout == (
        "p/budget/trygghetslosning.yaml:2:9: error: '260 000,50' has decimals; write whole "
        "kronor as an integer, e.g. 1300000 instead of 1,3 mnkr [invalid-value]\n"
        "35 files checked: 1 error\n"
    )
    assert result.stderr == ""


def test_ctrl_c_ends_a_command_with_130_and_says_so(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typer turns Ctrl-C into exit 130 and says nothing; kontrakt says it stopped."""

    def stopped(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kontrakt.cli._load", stopped)
    result = runner.invoke(app, ["check", "-p", str(minimal)])
    assert (result.exit_code, result.output) == (130, "kontrakt: interrupted\n")
