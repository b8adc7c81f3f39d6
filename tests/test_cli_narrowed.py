"""The console entry builds only the command it runs (cli.narrowed): the same
command, help and messages as the whole app gives, for every command."""

from __future__ import annotations

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from kontrakt.cli import app, narrowed

runner = CliRunner()


def _names(whole: typer.Typer) -> list[str]:
    command = get_command(whole)
    return sorted(command.commands)  # type: ignore[attr-defined]


NAMES = _names(app)


def test_every_command_is_found_alone() -> None:
    assert len(NAMES) > 20 and "check" in NAMES and "new" in NAMES
    for name in NAMES:
        built = get_command(narrowed(app, [name]))
        assert sorted(built.commands) == [name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_a_commands_help_is_the_same_alone(name: str) -> None:
    whole = runner.invoke(app, [name, "--help"])
    alone = runner.invoke(narrowed(app, [name, "--help"]), [name, "--help"])
    assert whole.exit_code == alone.exit_code == 0
    assert alone.output == whole.output


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "en", "check"],
        ["--lang=en", "check", "--strict"],
        ["--version", "check"],
    ],
)
def test_options_before_the_name_are_passed_over(args: list[str]) -> None:
    assert sorted(get_command(narrowed(app, args)).commands) == ["check"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["--help", "check"], ["chek"], ["--lang"], ["--", "check"]]
)
def test_anything_else_gets_the_whole_app(args: list[str]) -> None:
    assert narrowed(app, args) is app


def test_a_group_keeps_its_commands() -> None:
    built = get_command(narrowed(app, ["new", "initiative", "x"]))
    assert sorted(built.commands) == ["new"]  # type: ignore[attr-defined]
    whole = runner.invoke(app, ["new", "--help"])
    alone = runner.invoke(narrowed(app, ["new"]), ["new", "--help"])
    assert alone.output == whole.output


def test_a_mistyped_option_reads_the_same() -> None:
    whole = runner.invoke(app, ["check", "--strikt"])
    alone = runner.invoke(narrowed(app, ["check"]), ["check", "--strikt"])
    assert whole.exit_code == alone.exit_code == 2
    assert alone.output == whole.output
