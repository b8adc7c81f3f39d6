"""The table of formats: every entry renders, and --format offers exactly its names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kontrakt.cli import app
from kontrakt.render import formats

runner = CliRunner()


@pytest.mark.parametrize("command", list(formats.FORMATS))
def test_every_renderer_is_found(command: str) -> None:
    for name in formats.names(command):
        assert callable(formats.renderer(command, name))


@pytest.mark.parametrize(
    ("command", "extra"),
    [("check", ["auto"]), ("budget", []), ("status", []), ("meetings", []), ("diff", ["auto"])],
)
def test_the_format_choices_are_the_table(command: str, extra: list[str]) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    shown = re.search(r"--format <([a-z|]+)>", result.output)
    assert shown is not None, result.output
    assert shown.group(1).split("|") == [*extra, *formats.names(command)]


def test_meetings_in_both_formats(bundled: Path) -> None:
    listed = runner.invoke(app, ["meetings", "-p", str(bundled), "-f", "json"])
    rows = json.loads(listed.output)
    assert [(row["id"], row["date"], row["title"]) for row in rows] == [
        ("2024-02-27-core-team", "2024-02-27", "Core team-möte")
    ]
    text = runner.invoke(app, ["meetings", "-p", str(bundled)]).output
    assert text == f"2024-02-27  Core team-möte  {rows[0]['path']}\n"


def test_budget_filters_name_what_exists(bundled: Path) -> None:
    result = runner.invoke(app, ["budget", "-p", str(bundled), "--initiative", "salus"])
    assert (result.exit_code, result.output) == (
        2,
        "kontrakt: unknown initiative 'salus'; did you mean 'salus-mea'?\n",
    )
    result = runner.invoke(app, ["budget", "-p", str(bundled), "--category", "Pilotbudget"])
    assert (result.exit_code, result.output) == (
        2,
        "kontrakt: unknown category 'Pilotbudget'; did you mean 'pilot'?\n",
    )


SWEDISH_CSV = (
    "Kategori Budgetrad Ram Beslutat Föreslaget Totalt Kvar|Kvar inkl. förslag|"
    "Beslutat inom ramarna|Föreslaget inom ramarna|Radens belopp|Delad"
)
ENGLISH_CSV = (
    "Category|Budget line|Frame|Decided|Proposed|Total|Remaining|If approved|"
    "Decided within frames|Proposed within frames|Line amount|Shared"
)


@pytest.mark.parametrize(
    ("language", "locale", "delimiter"),
    [("sv", "sv_SE", ";"), ("en", "en_GB", ","), ("en", "de_DE", ";"), ("sv", "en_US", ",")],
)
def test_the_csv_delimiter_follows_the_locale(
    minimal: Path, language: str, locale: str, delimiter: str
) -> None:
    """The locale sets the delimiter, the language the headings; a BOM for Excel."""
    settings = minimal / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8").replace("language: sv", f"language: {language}")
    settings.write_text(f"{text}locale: {locale}\n", encoding="utf-8")
    result = runner.invoke(app, ["budget", "-p", str(minimal), "-f", "csv"])
    assert result.exit_code == 0, result.output
    words = SWEDISH_CSV.replace(" ", "|", 6) if language == "sv" else ENGLISH_CSV
    assert result.output.splitlines()[0] == "\ufeff" + delimiter.join(words.split("|"))
