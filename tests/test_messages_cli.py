"""The messages of a CLI run, in Swedish: the portfolio's language (MINIMAL_SETTINGS
sets `language: sv`), unless `--lang` or KONTRAKT_LANG asks for another; before
a portfolio is found, the environment's language.

In-process runs (CliRunner) test what comes after the portfolio is found; the
environment's language is tested in a fresh process, as a user starts it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MINIMAL_SETTINGS, write
from kontrakt import i18n
from kontrakt.cli import app

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("messages_in_portfolio_language")

BROKEN_LINE = "title: Trasig\namount: 1,5 mnkr\nperiod: 2024\n"
OVER_THE_FRAME = "title: Stor\namount: 900000\ncategory: pilot\nperiod: 2024\ndecision: decided\n"
ORDINARY_FRAME = "  - category: ordinarie\n    period: 2024\n    amount: 1000\n"
OVER_THE_ORDINARY_FRAME = (
    "title: Ordinarie\namount: 5000\ncategory: ordinarie\nperiod: 2024\ndecision: decided\n"
)


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output


def _last_line(output: str) -> str:
    return output.splitlines()[-1]


# --- check: the summary -------------------------------------------------------------


def test_check_summary_without_problems(minimal: Path) -> None:
    assert _run("check", str(minimal)) == (0, "2 filer kontrollerade: inga problem\n")


def test_check_summary_of_one_file(tmp_path: Path) -> None:
    root = tmp_path / "p"
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    assert _run("check", str(root)) == (0, "1 fil kontrollerad: inga problem\n")


def test_check_summary_with_an_error(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(minimal, "budget/trasig.yaml", BROKEN_LINE)
    monkeypatch.chdir(minimal)
    code, output = _run("check")
    assert code == 1
    lines = output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("budget/trasig.yaml:2:9: error: ")  # the form editors read
    assert lines[0].endswith(" [invalid-value]")
    assert lines[1] == "3 filer kontrollerade: 1 fel"


def test_check_summary_with_errors_and_warnings(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(minimal, "budget/trasig.yaml", BROKEN_LINE)
    write(minimal, "budget/trasig-2.yaml", BROKEN_LINE)
    write(minimal, "budget/stor.yaml", OVER_THE_FRAME)
    monkeypatch.chdir(minimal)
    code, output = _run("check")
    assert code == 1
    assert _last_line(output) == "5 filer kontrollerade: 2 fel, 1 varning"
    # A second frame exceeded: a second warning.
    write(minimal, "kontrakt.yaml", MINIMAL_SETTINGS + ORDINARY_FRAME)
    write(minimal, "budget/ordinarie.yaml", OVER_THE_ORDINARY_FRAME)
    (minimal / "budget/trasig-2.yaml").unlink()
    code, output = _run("check")
    assert (code, _last_line(output)) == (1, "5 filer kontrollerade: 1 fel, 2 varningar")
    (minimal / "budget/trasig.yaml").unlink()
    code, output = _run("check")
    assert (code, _last_line(output)) == (0, "4 filer kontrollerade: 2 varningar")
    code, output = _run("check", "--strict")
    assert (code, _last_line(output)) == (1, "4 filer kontrollerade: 2 varningar")


def test_check_summary_for_github_is_in_the_portfolio_language_too(minimal: Path) -> None:
    write(minimal, "budget/trasig.yaml", BROKEN_LINE)
    code, output = _run("check", str(minimal), "--format", "github")
    assert code == 1
    assert output.startswith("::error file=")
    assert ",title=kontrakt invalid-value::" in output  # the title stays English
    assert _last_line(output) == "3 filer kontrollerade: 1 fel"


# --- --lang and KONTRAKT_LANG ---------------------------------------------------------


def test_lang_en_speaks_english_on_a_swedish_portfolio(minimal: Path) -> None:
    write(minimal, "budget/trasig.yaml", BROKEN_LINE)
    code, output = _run("--lang", "en", "check", str(minimal))
    assert (code, _last_line(output)) == (1, "3 files checked: 1 error")
    assert "'1,5 mnkr' has decimals" in output
    code, output = _run("check", str(minimal))  # the choice lasts one run
    assert (code, _last_line(output)) == (1, "3 filer kontrollerade: 1 fel")


def test_kontrakt_lang_en_speaks_english_on_a_swedish_portfolio(minimal: Path) -> None:
    write(minimal, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    code, output = _run("fmt", "--check", "-p", str(minimal), env={"KONTRAKT_LANG": "en"})
    assert (code, _last_line(output)) == (1, "3 files, 1 would change, 0 not formatted")


def test_lang_sv_wins_over_kontrakt_lang(minimal: Path) -> None:
    code, output = _run("--lang", "sv", "check", str(minimal), env={"KONTRAKT_LANG": "en"})
    assert (code, output) == (0, "2 filer kontrollerade: inga problem\n")


def test_an_unknown_language_is_a_usage_error_naming_the_languages(minimal: Path) -> None:
    known = ", ".join(i18n.languages())
    assert "en" in i18n.languages() and "sv" in i18n.languages()
    for args, env in (
        (["--lang", "xx", "check", str(minimal)], None),
        (["check", str(minimal)], {"KONTRAKT_LANG": "xx"}),
    ):
        code, output = _run(*args, env=env)
        assert code == 2
        # click's own words around ours ("(env var: 'KONTRAKT_LANG')" in some versions)
        assert _last_line(output).startswith("Error: Invalid value for '--lang'")
        assert _last_line(output).endswith(f": write one of {known}")


@pytest.mark.parametrize("value", ["-1", "3661", "tio", "1e3", "9" * 40, "6\x1b[0m"])
def test_a_number_option_out_of_range_is_said_in_the_portfolio_s_language(
    minimal: Path, value: str
) -> None:
    shown = value.replace("\x1b", "\\x1b")
    for command in (["status"], ["report"], ["agenda", "2024-02-27"]):
        code, output = _run(*command, "-p", str(minimal), "--days", value)
        assert (code, output) == (
            2,
            f"kontrakt: --days tar ett heltal från 0 till 3\u00a0660, inte {shown}\n",
        )
    write(minimal, "initiatives/a.yaml", "title: A\nstatus: ongoing\n")
    code, output = _run(
        "note", "a", "Text", "--progress", value, "--on", "2024-02-27", "-p", str(minimal)
    )
    assert (code, output) == (
        2,
        f"kontrakt: --progress tar ett heltal från 0 till 100, inte {shown}\n",
    )
    assert (minimal / "initiatives/a.yaml").read_text() == "title: A\nstatus: ongoing\n"


# --- kontrakt new -------------------------------------------------------------------


def test_new_refuses_an_existing_file(minimal: Path) -> None:
    before = (minimal / "initiatives/alfa.yaml").read_bytes()
    assert _run("new", "initiative", "Alfa", "-p", str(minimal)) == (
        2,
        "kontrakt: initiatives/alfa.yaml finns redan; ange ett annat --id\n",
    )
    assert (minimal / "initiatives/alfa.yaml").read_bytes() == before


def test_new_refuses_a_title_without_an_id(minimal: Path) -> None:
    assert _run("new", "initiative", "???", "-p", str(minimal)) == (
        2,
        "kontrakt: titeln ger inget id; ange --id\n",
    )


def test_new_says_what_it_wrote(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    assert _run("new", "initiative", "Beta") == (
        0,
        "skrev initiatives/beta.yaml\n"
        "skrev .kontrakt/schema/initiative.schema.json, som redigeringsprogram använder för "
        "att kontrollera filen medan du skriver; checka in den tillsammans med filen (den hör "
        "hemma i git)\n",
    )


def test_new_refuses_a_linked_folder(minimal: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (minimal / ".kontrakt").symlink_to(elsewhere, target_is_directory=True)
    assert _run("new", "initiative", "Ny", "-p", str(minimal)) == (
        1,
        f"kontrakt: skriver inte {minimal / '.kontrakt/schema/initiative.schema.json'}: "
        "mappen .kontrakt/ på vägen är en symbolisk länk\n",
    )
    assert list(elsewhere.iterdir()) == []


def test_a_command_refuses_a_portfolio_with_errors(minimal: Path) -> None:
    write(minimal, "budget/trasig.yaml", BROKEN_LINE)
    code, output = _run("new", "initiative", "Gamma", "-p", str(minimal))
    assert code == 1
    assert _last_line(output) == (
        "kontrakt: portföljen har 1 fel; rätta det först (`kontrakt check` listar det)"
    )
    write(minimal, "budget/trasig-2.yaml", BROKEN_LINE)
    code, output = _run("budget", "-p", str(minimal))
    assert (code, _last_line(output)) == (
        1,
        "kontrakt: portföljen har 2 fel; rätta dem först (`kontrakt check` listar dem)",
    )


# --- kontrakt fmt -------------------------------------------------------------------


def test_fmt_check_says_a_file_would_change(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(minimal, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    monkeypatch.chdir(minimal)
    assert _run("fmt", "--check") == (
        1,
        "skulle formatera om initiatives/ny.yaml\n"
        "filer: 3, skulle ändras: 1, inte formaterade: 0\n",
    )
    assert (minimal / "initiatives/ny.yaml").read_text(encoding="utf-8") == (
        "status: idea\ntitle: Ny\n"
    )
    assert _run("fmt") == (
        0,
        "formaterade om initiatives/ny.yaml\nfiler: 3, ändrade: 1, inte formaterade: 0\n",
    )
    assert _run("fmt", "--check") == (0, "filer: 3, skulle ändras: 0, inte formaterade: 0\n")


def test_fmt_of_files_in_a_portfolio_speaks_its_language(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(minimal, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    monkeypatch.chdir(minimal)
    assert _run("fmt", "--check", "initiatives/ny.yaml") == (
        1,
        "skulle formatera om initiatives/ny.yaml\n"
        "filer: 1, skulle ändras: 1, inte formaterade: 0\n",
    )
    code, output = _run("fmt", "saknas.yaml")
    assert (code, output) == (2, "kontrakt: saknas.yaml: filen eller mappen finns inte\n")


def test_fmt_reports_what_it_cannot_format(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(minimal, "initiatives/lista.yaml", "- a\n- b\n")
    write(minimal, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    (minimal / "initiatives/ny.yaml").chmod(0o444)
    monkeypatch.chdir(minimal)
    code, output = _run("fmt")
    assert code == 1
    assert output.splitlines() == [
        "initiatives/lista.yaml:1:1: error: bara en mappning (rader med nyckel: värde) "
        "kan formateras [not-a-mapping]",
        "kontrakt: kan inte skriva initiatives/ny.yaml: filen är skrivskyddad; "
        "gör den skrivbar för att formatera den",
        "filer: 4, ändrade: 0, inte formaterade: 2",
    ]


# --- meetings, agenda, calendar -------------------------------------------------------


def test_meetings_without_any(minimal: Path) -> None:
    assert _run("meetings", "-p", str(minimal)) == (
        0,
        "inga möten än: lägg till ett i meetings/ (se docs/format.md)\n",
    )


def test_agenda_with_an_unknown_meeting_kind(minimal: Path) -> None:
    assert _run("agenda", "2024-02-27", "--kind", "styrgrupp", "-p", str(minimal)) == (
        2,
        "kontrakt: okänd mötestyp 'styrgrupp'; kända: core-team\n",
    )


def test_agenda_next_without_a_meeting(minimal: Path) -> None:
    assert _run("agenda", "--next", "--kind", "core-team", "-p", str(minimal)) == (
        1,
        "kontrakt: inget core-team-möte i dag eller senare i meetings/; ange ett datum\n",
    )
    assert _run("agenda", "--next", "-p", str(minimal)) == (
        1,
        "kontrakt: inget möte i dag eller senare i meetings/; ange ett datum\n",
    )


def test_calendar_names_the_events_it_left_out(minimal: Path, tmp_path: Path) -> None:
    write(minimal, "events/utan-datum.yaml", "title: Utan datum\nkind: oppen-verkstad\n")
    target = tmp_path / "kalender.ics"
    assert _run("calendar", "-p", str(minimal), "-o", str(target)) == (
        0,
        f"kontrakt: utelämnade 1 händelse utan datum: utan-datum\nskrev {target}\n",
    )
    write(minimal, "events/inte-heller.yaml", "title: Inte heller\nkind: oppen-verkstad\n")
    code, output = _run("calendar", "-p", str(minimal), "-o", str(target))
    assert (code, output.splitlines()[0]) == (
        0,
        "kontrakt: utelämnade 2 händelser utan datum: inte-heller, utan-datum",
    )


# --- before a portfolio is found: the environment's language ----------------------------


def _console_script() -> str:
    found = shutil.which("kontrakt", path=str(Path(sys.executable).parent))
    assert found, "the kontrakt console script is not installed next to this Python"
    return found


def _process(args: list[str], cwd: Path, **environment: str) -> tuple[int, str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("KONTRAKT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    env.update(NO_COLOR="1", PYTHONUTF8="1", LANG="C.UTF-8")
    env.update(environment)
    done = subprocess.run(
        [_console_script(), *args], capture_output=True, text=True, check=False, cwd=cwd, env=env
    )
    return done.returncode, done.stdout, done.stderr


def test_before_a_portfolio_messages_follow_the_environment(tmp_path: Path) -> None:
    args = ["agenda", "2024-02-27", "--next"]
    assert _process(args, tmp_path, LC_MESSAGES="sv_SE.UTF-8") == (
        2,
        "",
        "kontrakt: ange mötets datum eller --next, inte båda\n",
    )
    assert _process(args, tmp_path) == (
        2,
        "",
        "kontrakt: give the meeting's date or --next, not both\n",
    )


def test_schema_files_are_counted_in_the_environment_language(tmp_path: Path) -> None:
    out = tmp_path / "scheman"
    code, stdout, stderr = _process(
        ["schema", "initiative", "-o", str(out)], tmp_path, LANGUAGE="sv"
    )
    assert (code, stdout, stderr) == (0, f"skrev 1 schemafil till {out}\n", "")
    code, stdout, stderr = _process(["schema", "-o", str(out)], tmp_path, LANGUAGE="sv")
    assert (code, stdout, stderr) == (0, f"skrev 9 schemafiler till {out}\n", "")
    code, stdout, stderr = _process(["schema", "-o", str(out)], tmp_path)
    assert (code, stdout, stderr) == (0, f"wrote 9 schema file(s) to {out}\n", "")


def test_an_unknown_language_in_a_swedish_environment(tmp_path: Path) -> None:
    known = ", ".join(i18n.languages())
    code, stdout, stderr = _process(["--lang", "xx", "schema"], tmp_path, LANGUAGE="sv")
    assert (code, stdout) == (2, "")
    assert stderr.splitlines()[-1].startswith("Error: Invalid value for '--lang'")
    assert stderr.splitlines()[-1].endswith(f": skriv ett av {known}")


@pytest.mark.parametrize("value", ["abc", "1899", "2201", "20 24x", "2024\x1b[0m"])
def test_a_year_option_that_is_no_year_is_said_in_the_portfolio_s_language(
    minimal: Path, value: str
) -> None:
    """`--period` of budget and of `new budget`: the years the models take, written
    as years (no thousands space), and nothing written."""
    shown = value.replace("\x1b", "\\x1b")
    expected = (2, f"kontrakt: --period tar ett heltal från 1900 till 2200, inte {shown}\n")
    assert _run("budget", "-p", str(minimal), "--period", value) == expected
    args = ("new", "budget", "Ny rad", "--amount", "100", "--period", value, "-p", str(minimal))
    assert _run(*args) == expected
    assert not (minimal / "budget").exists()


def test_a_year_option_takes_a_year(minimal: Path) -> None:
    code, _output = _run(
        "new", "budget", "Ny rad", "--amount", "100", "--period", " 2025 ", "-p", str(minimal)
    )
    assert code == 0
    assert "period: 2025\n" in (minimal / "budget" / "ny-rad.yaml").read_text(encoding="utf-8")
