"""The numbers kontrakt's messages show, written as the portfolio's locale writes
them: `12,5` and `1 234` (no-break space) in a Swedish portfolio, `12.5` and
`1,234` in an English one; a number the reader is to write in a file stays as
YAML writes it (`[1.5, 2.5]`).

MINIMAL_SETTINGS is Swedish (sv_SE); the figures are made up for the tests.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MINIMAL_SETTINGS, check, write
from kontrakt import i18n
from kontrakt.cli import app
from kontrakt.render.diagnostics import summary

runner = CliRunner()
NBSP = "\u00a0"

INDICATORS = {
    "indicators/besok.yaml": (
        "title: Besök\nunit: people\ndirection: higher\nsource: Räkning\n"
        "baseline: {value: 1234.5, date: 2024-01-01}\n"
    ),
    "indicators/andel.yaml": (
        "title: Andel\nunit: percent\ndirection: lower\nsource: Enkät\n"
        "measurements:\n  - {date: 2024-01-31, value: 1234.25}\n"
        "  - {date: 2024-02-29, value: -0.5}\n"
    ),
    "indicators/skala.yaml": (
        "title: Skala\nunit: score\ndirection: higher\nrange: [2.5, 1.5]\nsource: Enkät\n"
    ),
    "indicators/betyg.yaml": (
        "title: Betyg\nunit: score\ndirection: higher\nrange: [1, 4.5]\nsource: Enkät\n"
        "target: {value: 1000.75, date: 2025-01-01}\n"
    ),
    "initiatives/alfa.yaml": "title: Alfa\nindicators: [besok, andel, skala, betyg]\n",
}


def _portfolio(root: Path, settings: str) -> Path:
    write(root, "kontrakt.yaml", settings)
    for relative, text in INDICATORS.items():
        write(root, relative, text)
    return root


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_indicator_figures_in_a_swedish_portfolio(tmp_path: Path) -> None:
    root = _portfolio(tmp_path, MINIMAL_SETTINGS)
    assert check(root) == [
        f"indicators/andel.yaml:6:31: error: 1{NBSP}234,25 är mer än 100, det högsta en andel "
        "i procent kan vara; kontrollera siffran [indicator-range]",
        "indicators/andel.yaml:7:31: error: -0,5 är mindre än 0, det lägsta en andel i procent "
        "kan vara; kontrollera siffran [indicator-range]",
        "indicators/besok.yaml:5:19: error: 1\u00a0234,5 är inget heltal, men ett antal "
        "personer är det; kontrollera siffran [indicator-range]",
        f"indicators/betyg.yaml:6:17: error: 1{NBSP}000,75 ligger utanför indikatorns "
        "intervall, 1 till 4,5; kontrollera siffran, eller intervallet [indicator-range]",
        # The figures in the sentence in the locale, the range to write as YAML.
        "indicators/skala.yaml:4:8: error: intervallet går från 2,5 till 1,5; skriv det minsta "
        "först: [1.5, 2.5] [indicator-range]",
    ]


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_indicator_figures_in_an_english_portfolio(tmp_path: Path) -> None:
    root = _portfolio(tmp_path, MINIMAL_SETTINGS.replace("language: sv", "language: en"))
    assert check(root) == [
        "indicators/andel.yaml:6:31: error: 1,234.25 is more than 100, the most a percentage "
        "can be; check the figure [indicator-range]",
        "indicators/andel.yaml:7:31: error: -0.5 is less than 0, the least a percentage can "
        "be; check the figure [indicator-range]",
        "indicators/besok.yaml:5:19: error: 1,234.5 is not a whole number, and a number of "
        "people is; check the figure [indicator-range]",
        "indicators/betyg.yaml:6:17: error: 1,000.75 is outside the indicator's range, 1 to "
        "4.5; check the figure, or the range [indicator-range]",
        "indicators/skala.yaml:4:8: error: the range goes from 2.5 to 1.5; write the least "
        "first: [1.5, 2.5] [indicator-range]",
    ]


def test_the_portfolio_s_locale_writes_the_numbers_whatever_the_language(
    tmp_path: Path,
) -> None:
    """Messages in English (as the tests ask for, like `--lang en`) of a Swedish
    portfolio write its numbers as it does, as they write its money."""
    root = _portfolio(tmp_path, MINIMAL_SETTINGS)
    assert check(root)[2] == (
        f"indicators/besok.yaml:5:19: error: 1{NBSP}234,5 is not a whole number, and a number "
        "of people is; check the figure [indicator-range]"
    )


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_a_file_too_large_and_the_summary_count_in_the_locale(tmp_path: Path) -> None:
    write(tmp_path, "kontrakt.yaml", MINIMAL_SETTINGS + "limits:\n  max_file_size: 1000\n")
    write(tmp_path, "initiatives/stor.yaml", "title: Stor\ndescription: " + "x" * 1000 + "\n")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.output.splitlines()[0].endswith(
        f"stor.yaml:1:1: error: filen är större än 1{NBSP}000 byte; portföljens filer är små, "
        "så dela upp den (eller höj limits.max_file_size i kontrakt.yaml) [file-too-large]"
    )
    with i18n.numbers_in("sv_SE"), i18n.speaking("sv"):
        assert summary([], 1234) == f"1{NBSP}234 filer kontrollerade: inga problem"
    with i18n.numbers_in("en_GB"), i18n.speaking("en"):
        assert summary([], 1234) == "1,234 files checked: no problems"


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_a_whole_number_option_says_its_bounds_in_the_locale(tmp_path: Path) -> None:
    write(tmp_path, "kontrakt.yaml", MINIMAL_SETTINGS)
    result = runner.invoke(app, ["status", "-p", str(tmp_path), "--days", "5000"])
    assert (result.exit_code, result.output) == (
        2,
        f"kontrakt: --days tar ett heltal från 0 till 3{NBSP}660, inte 5000\n",
    )


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_measure_says_the_figure_a_day_has_in_the_locale(tmp_path: Path) -> None:
    write(tmp_path, "kontrakt.yaml", MINIMAL_SETTINGS)
    write(tmp_path, "initiatives/alfa.yaml", "title: Alfa\nindicators: [andel]\n")
    write(
        tmp_path,
        "indicators/andel.yaml",
        "title: Andel\nunit: percent\ndirection: lower\nsource: Enkät\n"
        "measurements:\n  - {date: 2024-01-31, value: 23.5}\n",
    )
    args = ["measure", "andel", "20", "--on", "2024-01-31", "-p", str(tmp_path)]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (
        2,
        "kontrakt: andel har redan ett mätvärde för 2024-01-31 (23,5); ändra det för hand om "
        "den siffran är fel\n",
    )


@pytest.mark.parametrize(
    ("locale", "value", "written"),
    [
        ("sv_SE", Decimal("1234567.125"), f"1{NBSP}234{NBSP}567,125"),
        ("sv_SE", Decimal("-0.000001"), "-0,000001"),
        ("en_GB", Decimal("1E-7"), "0.0000001"),
        ("en_GB", 10**15, "1,000,000,000,000,000"),
    ],
)
def test_a_number_in_a_message(locale: str, value: int | Decimal, written: str) -> None:
    with i18n.numbers_in(locale):
        assert i18n.numeral(value) == written
