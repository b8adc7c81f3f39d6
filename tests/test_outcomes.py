"""Outcome indicators (docs/outcomes.md): the kind, its rules, its commands and
the report's outcomes section.

tests/fixtures/good/outcomes holds three indicators (one measured after the
meeting of 2024-03-26, one never measured) and two initiatives that name them;
tests/fixtures/bad/outcomes (its expected.txt, in test_cli.py) holds every
problem the rules report. The figures are made up for the tests.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES, check, lines, write
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.models.indicator import Direction, Unit
from kontrakt.portfolio import Portfolio
from kontrakt.render import raster
from kontrakt.render.outcomes import outcome_svg, value_text
from kontrakt.render.report import render_report
from kontrakt.views.asof import known_on

runner = CliRunner()
OUTCOMES = FIXTURES / "good" / "outcomes" / "portfolio"
DAY = date(2024, 3, 26)


def _load(root: Path = OUTCOMES) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


@pytest.fixture
def outcomes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the outcomes fixture, run from its parent so messages show
    `portfolio/…` wherever the repository is checked out."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "portfolio"
    shutil.copytree(OUTCOMES, target)
    return target


# --- the model ---------------------------------------------------------------------------


def test_values_are_exact_decimals_as_written() -> None:
    ensamhet = _load().indicators["ensamhet"]
    assert ensamhet.baseline is not None and ensamhet.target is not None
    assert ensamhet.baseline.value == Decimal("24.5")
    assert str(ensamhet.target.value) == "18"
    assert [str(m.value) for m in ensamhet.measurements] == ["23.5", "22", "21.5"]
    assert ensamhet.model_dump(mode="json")["baseline"] == {"value": 24.5, "date": "2023-10-01"}


def test_progress_follows_the_direction() -> None:
    ensamhet = _load().indicators["ensamhet"]  # lower is better, 24.5 -> 18
    assert ensamhet.progress(Decimal("22")) == Decimal("2.5") / Decimal("6.5")
    assert ensamhet.progress(Decimal("26")) is not None
    assert ensamhet.progress(Decimal("26")) < 0  # type: ignore[operator]
    # A target on the wrong side of the baseline for the direction: no way to go.
    wrong = ensamhet.model_copy(update={"direction": Direction.HIGHER})
    assert wrong.progress(Decimal("22")) is None


def test_a_measurement_after_the_day_is_not_yet_known() -> None:
    portfolio = _load()
    ensamhet = known_on(portfolio, DAY).indicators["ensamhet"]
    assert [m.date for m in ensamhet.measurements] == [date(2024, 1, 31), date(2024, 2, 29)]
    assert (
        known_on(portfolio, DAY).indicators["trygghetslarm"]
        is (portfolio.indicators["trygghetslarm"])
    )


def test_an_initiative_naming_an_unknown_indicator_gets_a_did_you_mean(tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(OUTCOMES, root)
    write(root, "initiatives/ny.yaml", "title: Ny\nindicators: [ensamheet]\n")
    assert check(root) == [
        "initiatives/ny.yaml:2:14: error: unknown indicator 'ensamheet'; did you mean "
        "'ensamhet'? (there is no indicators/ensamheet.yaml) [unknown-reference]"
    ]


def test_a_portfolio_without_indicators_has_no_outcomes_section() -> None:
    journal = _load(FIXTURES / "good" / "journal" / "portfolio")
    assert not journal.indicators
    assert "## Utfall" not in render_report(journal, DAY)


# --- the commands ------------------------------------------------------------------------


def test_measure_appends_a_measurement_keeping_the_comments(outcomes: Path) -> None:
    args = ["measure", "ensamhet", "21,25", "--on", "2024-05-31", "--note", "Ny enkät"]
    result = runner.invoke(app, [*args, "--dry-run", "-p", str(outcomes)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "--- indicators/ensamhet.yaml\n"
        "+++ indicators/ensamhet.yaml\n"
        "@@ -13,3 +13,6 @@\n"
        "     note: Färre svar än vanligt\n"
        "   - date: 2024-04-30             # after the meeting of 2024-03-26\n"
        "     value: 21.5\n"
        "+  - date: 2024-05-31\n"
        "+    value: 21.25\n"
        "+    note: Ny enkät\n"
    )
    assert runner.invoke(app, [*args, "-p", str(outcomes)]).exit_code == 0
    assert check(outcomes) == []
    again = runner.invoke(app, [*args, "-p", str(outcomes)])
    assert again.output == "indicators/ensamhet.yaml says so already; nothing to change\n"


def test_measure_refuses_what_the_rules_refuse(outcomes: Path) -> None:
    over = runner.invoke(
        app, ["measure", "ensamhet", "121", "--on", "2024-05-31", "-p", str(outcomes)]
    )
    assert over.exit_code == 1
    assert over.output == (
        "portfolio/indicators/ensamhet.yaml:17:12: error: 121 is more than 100, the most a "
        "percentage can be; check the figure [indicator-range]\n"
        "kontrakt: not written: the change would make indicators/ensamhet.yaml fail "
        "kontrakt check\n"
    )
    early = runner.invoke(
        app, ["measure", "ensamhet", "20", "--on", "2024-03-01", "-p", str(outcomes)]
    )
    assert early.output == (
        "kontrakt: the measurements of ensamhet go up to 2024-04-30; one on 2024-03-01 comes "
        "before it: give --on 2024-04-30 or later, or edit the file by hand\n"
    )
    twice = runner.invoke(
        app, ["measure", "ensamhet", "20", "--on", "2024-02-29", "-p", str(outcomes)]
    )
    assert twice.output == (
        "kontrakt: ensamhet has a measurement on 2024-02-29 already (22); edit it by hand if "
        "that figure is wrong\n"
    )
    text = runner.invoke(app, ["measure", "ensamhet", "tjugo", "-p", str(outcomes)])
    assert text.output == ("kontrakt: expected a number such as 12 or 12,5, got 'tjugo'\n")
    later = runner.invoke(
        app, ["measure", "ensamhet", "20", "--on", "2999-01-01", "-p", str(outcomes)]
    )
    assert later.exit_code == 2
    assert "2999-01-01 is after today" in later.output
    unknown = runner.invoke(app, ["measure", "ensamheet", "20", "-p", str(outcomes)])
    assert "did you mean ensamhet?" in unknown.output


def test_measure_takes_a_negative_value_and_lets_the_rules_judge_it(outcomes: Path) -> None:
    """`-5` reaches kontrakt as a value (click would take it for an option): a score
    may be negative, a percentage may not."""
    write(
        outcomes,
        "indicators/saldo.yaml",
        "title: Saldo\nunit: score\ndirection: higher\nsource: Enkät\n",
    )
    args = ["measure", "saldo", "-0,5", "--on", "2024-05-31", "--note", "-6", "-p", str(outcomes)]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (
        (outcomes / "indicators" / "saldo.yaml")
        .read_text(encoding="utf-8")
        .endswith("measurements:\n  - date: 2024-05-31\n    value: -0.5\n    note: '-6'\n")
    )
    before = runner.invoke(
        app, ["measure", "--on", "2024-06-30", "-p", str(outcomes), "saldo", "-7"]
    )
    assert before.exit_code == 0, before.output
    percent = runner.invoke(
        app, ["measure", "ensamhet", "-5", "--on", "2024-05-31", "-p", str(outcomes)]
    )
    assert (percent.exit_code, percent.output) == (
        1,
        "portfolio/indicators/ensamhet.yaml:17:12: error: -5 is less than 0, the least a "
        "percentage can be; check the figure [indicator-range]\n"
        "kontrakt: not written: the change would make indicators/ensamhet.yaml fail "
        "kontrakt check\n",
    )


def test_new_indicator_writes_a_valid_file(outcomes: Path) -> None:
    args = ["new", "indicator", "Träffar per månad", "--unit", "count", "--direction", "higher"]
    args += ["--baseline", "4", "--baseline-on", "2024-01-01", "--target", "12"]
    args += ["--target-on", "2025-01-01", "--source", "Egen räkning", "-p", str(outcomes)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (outcomes / "indicators" / "traffar-per-manad.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../.kontrakt/schema/indicator.schema.json\n"
        "title: Träffar per månad\n"
        "unit: count\n"
        "direction: higher\n"
        "baseline:\n"
        "  value: 4\n"
        "  date: 2024-01-01\n"
        "target:\n"
        "  value: 12\n"
        "  date: 2025-01-01\n"
        "source: Egen räkning\n"
    )
    # No initiative names it yet: check says so.
    assert result.output.endswith("[indicator-unused]\n")
    half = runner.invoke(
        app,
        [
            "new",
            "indicator",
            "X",
            "--unit",
            "percent",
            "--direction",
            "higher",
            "--baseline",
            "3",
            "-p",
            str(outcomes),
        ],
    )
    assert half.output == (
        "kontrakt: give --baseline and --baseline-on together: a value and its day\n"
    )


def test_measurements_and_baselines_dated_after_today_are_warnings(outcomes: Path) -> None:
    """A figure is measured before it is written: the day of the check is passed in,
    and a measurement or a baseline dated after it is a warning at its date (a day
    that is to come today is right later); without a day, none is."""
    path = outcomes / "indicators" / "vantetid.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2024-01-01", "2024-05-01")
        + "measurements:\n  - {date: 2024-04-30, value: 20}\n  - {date: 2024-05-01, value: 19}\n"
        "  - {date: 2024-05-02, value: 18}\n",
        encoding="utf-8",
    )
    found = lines(load_portfolio(outcomes, today=date(2024, 4, 30)), outcomes)
    assert found == [
        "indicators/vantetid.yaml:4:29: warning: the baseline is dated 2024-05-01, after today "
        "(2024-04-30); a baseline is a figure measured already: check the date "
        "[indicator-future]",
        "indicators/vantetid.yaml:7:12: warning: this measurement is dated 2024-04-30, before the "
        "baseline (2024-05-01); a baseline is where the indicator starts: move it back, or "
        "leave the measurement out [indicator-baseline]",
        "indicators/vantetid.yaml:8:12: warning: this measurement is dated 2024-05-01, after "
        "today (2024-04-30), so it is not shown until then; check the date [indicator-future]",
        "indicators/vantetid.yaml:9:12: warning: this measurement is dated 2024-05-02, after "
        "today (2024-04-30), so it is not shown until then; check the date [indicator-future]",
    ]
    assert [line for line in check(outcomes) if "indicator-future" in line] == []


def test_check_warns_of_a_measurement_after_today(outcomes: Path) -> None:
    later = date.today() + timedelta(days=1)
    path = outcomes / "indicators" / "vantetid.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + f"measurements:\n  - {{date: {later}, value: 20}}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "-p", str(outcomes)])
    assert (result.exit_code, result.output.splitlines()[0]) == (
        0,
        f"portfolio/indicators/vantetid.yaml:7:12: warning: this measurement is dated {later}, "
        f"after today ({date.today()}), so it is not shown until then; check the date "
        "[indicator-future]",
    )


def test_new_indicator_warns_of_a_baseline_after_today(outcomes: Path) -> None:
    later = (date.today() + timedelta(days=1)).isoformat()
    args = ["new", "indicator", "Träffar", "--unit", "count", "--direction", "higher"]
    args += ["--baseline", "4", "--baseline-on", later, "-p", str(outcomes)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (
        f"portfolio/indicators/traffar.yaml:7:9: warning: the baseline is dated {later}, after "
        f"today ({date.today()}); a baseline is a figure measured already: check the date "
        "[indicator-future]\n" in result.output
    )


@pytest.mark.parametrize(
    ("typed", "written", "read"),
    [
        ("0,000001", "0.000001", "0.000001"),  # not 1e-06
        ("0.0000001", "0.0000001", "1E-7"),
        ("1000000", "1000000", "1000000"),
        ("12,50", "12.5", "12.5"),
        ("99,0", "99", "99"),
        ("123456789,012345", "123456789.012345", "123456789.012345"),
        ("0,123456789012345", "0.123456789012345", "0.123456789012345"),  # 15 digits
        ("0,000000000000001", "0.000000000000001", "1E-15"),  # 15 decimals
        ("1 000 000,5", "1000000.5", "1000000.5"),  # as messages show it
        ("1000000000000000", "1000000000000000", "1000000000000000"),
    ],
)
def test_measure_writes_a_plain_decimal_that_reads_back_the_same(
    outcomes: Path, typed: str, written: str, read: str
) -> None:
    """What `measure` writes is a decimal as a person writes it, never an exponent
    or a float's rounding, and the file gives back exactly the value typed."""
    args = ["measure", "vantetid", typed, "--on", "2024-05-31", "-p", str(outcomes)]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output) == (0, "changed indicators/vantetid.yaml\n")
    text = (outcomes / "indicators" / "vantetid.yaml").read_text(encoding="utf-8")
    assert text.endswith(f"measurements:\n  - date: 2024-05-31\n    value: {written}\n")
    value = _load(outcomes).indicators["vantetid"].measurements[-1].value
    assert (value, str(value)) == (Decimal(read), str(Decimal(read)))
    again = runner.invoke(app, args)
    assert again.output == "indicators/vantetid.yaml says so already; nothing to change\n"


def test_measure_keeps_a_flow_list_plain_too(outcomes: Path) -> None:
    """A list of one-line measurements gets one more like them, its value plain."""
    write(
        outcomes,
        "indicators/vantetid.yaml",
        (outcomes / "indicators" / "vantetid.yaml").read_text(encoding="utf-8")
        + "measurements:\n  - {date: 2024-02-01, value: 19}\n",
    )
    args = ["measure", "vantetid", "18,000005", "--on", "2024-03-01", "-p", str(outcomes)]
    assert runner.invoke(app, args).exit_code == 0
    text = (outcomes / "indicators" / "vantetid.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "  - {date: 2024-02-01, value: 19}\n  - {date: 2024-03-01, value: 18.000005}\n"
    )


def test_new_indicator_writes_plain_decimals(outcomes: Path) -> None:
    args = ["new", "indicator", "Halt", "--unit", "score", "--direction", "lower"]
    args += ["--baseline", "0,0000005", "--baseline-on", "2024-01-01", "--target", "0,0000001"]
    args += ["--target-on", "2025-01-01", "--source", "Mätning", "-p", str(outcomes)]
    assert runner.invoke(app, args).exit_code == 0
    text = (outcomes / "indicators" / "halt.yaml").read_text(encoding="utf-8")
    assert "baseline:\n  value: 0.0000005\n  date: 2024-01-01\n" in text
    assert "target:\n  value: 0.0000001\n  date: 2025-01-01\n" in text
    halt = _load(outcomes).indicators["halt"]
    assert halt.baseline is not None and halt.target is not None
    assert (halt.baseline.value, halt.target.value) == (Decimal("5E-7"), Decimal("1E-7"))


def test_yaml_gets_numbers_as_plain_decimals() -> None:
    from kontrakt.scaffold import dump_yaml

    data = {
        "a": Decimal("1E-7"),
        "b": Decimal("1E+3"),
        "c": Decimal("-12.5"),
        "d": 1e-06,
        "e": 1e16,
        "f": float("nan"),
        "g": 12,
    }
    assert dump_yaml(data) == (
        "a: 0.0000001\nb: 1000\nc: -12.5\nd: 0.000001\ne: 10000000000000000.0\nf: .nan\ng: 12\n"
    )


# The same value that measure refuses, and where check says it in a file: 17
# significant digits, which the float YAML makes of it (24.5) would have hidden.
TOO_PRECISE = (
    "24,500000000000001 has 17 significant digits; an indicator's value has at most 15, "
    "kept exactly: round it"
)
TOO_SMALL = "0,0000000000000001 has 16 decimals; an indicator's value has at most 15: round it"


def test_check_refuses_what_measure_refuses_at_the_value(outcomes: Path) -> None:
    refused = runner.invoke(
        app,
        ["measure", "ensamhet", "24,500000000000001", "--on", "2024-05-31", "-p", str(outcomes)],
    )
    assert (refused.exit_code, refused.output) == (2, f"kontrakt: {TOO_PRECISE}\n")
    tiny = runner.invoke(app, ["measure", "ensamhet", "0,0000000000000001", "-p", str(outcomes)])
    assert (tiny.exit_code, tiny.output) == (2, f"kontrakt: {TOO_SMALL}\n")
    write(
        outcomes,
        "indicators/halt.yaml",
        "title: Halt\nunit: percent\ndirection: lower\nsource: Mätning\n"
        "range: [0.0000000000000001, 50]\n"
        "baseline: {value: 24.500000000000001, date: 2024-01-01}\n"
        "target:\n  value: 1234567890.12345678\n  date: 2025-01-01\n"
        "measurements:\n"
        "  - date: 2024-02-01\n    value: 24.500000000000001\n"
        "  - {date: 2024-03-01, value: 0.0000000000000001}\n"
        "  - date: 2024-04-01\n    value: 24.50000000000000\n",  # 24.5, as written
    )
    write(outcomes, "initiatives/halt.yaml", "title: Halt\nindicators: [halt]\n")
    assert check(outcomes) == [
        f"indicators/halt.yaml:5:9: error: {TOO_SMALL} [invalid-value]",
        f"indicators/halt.yaml:6:19: error: {TOO_PRECISE} [invalid-value]",
        "indicators/halt.yaml:8:10: error: 1\u00a0234\u00a0567\u00a0890,12345678 has 18 "
        "significant digits; an indicator's value has at most 15, kept exactly: round it "
        "[invalid-value]",
        f"indicators/halt.yaml:12:12: error: {TOO_PRECISE} [invalid-value]",
        f"indicators/halt.yaml:13:31: error: {TOO_SMALL} [invalid-value]",
    ]


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_the_refusal_in_swedish(outcomes: Path) -> None:
    refused = runner.invoke(app, ["measure", "ensamhet", "24,500000000000001", "-p", str(outcomes)])
    assert refused.output == (
        "kontrakt: 24,500000000000001 har 17 värdesiffror; ett indikatorvärde har högst 15, "
        "som hålls exakt: avrunda det\n"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1e-999999999", "1E-999999999 has 999\u00a0999\u00a0999 decimals; an indicator's "
         "value has at most 15: round it"),
        ("-1e999999999", "a number of 1\u00a0000\u00a0000\u00a0000 digits is larger than any "
         "indicator's value (1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000 at most)"),
        ("1000000000000000.5", "1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000,5 is larger "
         "than any indicator's value (1\u00a0000\u00a0000\u00a0000\u00a0000\u00a0000 at most)"),
    ],
)  # fmt: skip
def test_an_exponent_is_read_as_written_and_never_written_out(
    outcomes: Path, written: str, message: str
) -> None:
    """1e-999999999 is not 0 (the float YAML makes of it), and its digits are never
    written out: check says so at once."""
    write(
        outcomes,
        "indicators/vantetid.yaml",
        (outcomes / "indicators" / "vantetid.yaml").read_text(encoding="utf-8")
        + f"target: {{value: {written}, date: 2025-01-01}}\n",
    )
    assert check(outcomes) == [f"indicators/vantetid.yaml:6:17: error: {message} [invalid-value]"]


def test_a_value_from_yaml_keeps_its_digits() -> None:
    from kontrakt.models.common import describe
    from kontrakt.models.indicator import Point
    from kontrakt.yamlload import parse

    data = parse("value: 12.50\ndate: 2024-01-01\n").data
    assert Point.model_validate(data).value == Decimal("12.5")
    assert describe(parse("x: 1.0e-06\n").data["x"]) == "the number 1.0e-06"  # as written


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=-(10**15 - 1), max_value=10**15 - 1),
    st.integers(min_value=-15, max_value=0),
)
def test_a_typed_value_is_written_so_it_reads_back_the_same(digits: int, places: int) -> None:
    """Any value measure takes (15 digits, 15 decimals at most) is written so that
    check reads back exactly it."""
    from kontrakt.changes import figure
    from kontrakt.i18n import numbers_in
    from kontrakt.models.indicator import Point
    from kontrakt.scaffold import dump_yaml
    from kontrakt.yamlload import parse

    number = Decimal(digits).scaleb(places)
    with numbers_in("sv_SE"):  # a decimal comma
        typed = figure(format(number, "f").replace(".", ","))
    assert typed == number
    with numbers_in("en_GB"):  # a decimal point
        assert figure(format(number, "f")) == number
    written = dump_yaml({"value": typed, "date": date(2024, 1, 1)})
    assert written.splitlines()[0] == f"value: {format(typed, 'f')}"
    assert "e" not in written.splitlines()[0].lower().removeprefix("value")
    assert Point.model_validate(parse(written).data).value == typed


# --- the report --------------------------------------------------------------------------


def test_the_markdown_report_has_the_outcomes_table() -> None:
    text = render_report(_load(), DAY)
    section = text[text.index("## Utfall") : text.index("## Budget")]
    assert section.splitlines()[2:7] == [
        "| Indikator | Utgångsläge | Senast | Mål | Framsteg |",
        "| --- | --- | --- | --- | --- |",
        "| Väntetid på beslut om hemtjänst | 21 (2024-01-01) | – | – | – |",
        "| Äldre med trygghetslarm via civilsamhället | 0 (2024-01-15) | 30 (2024-03-25) "
        "| 200 (2025-12-31) | 15\u00a0% |",
        "| Äldre som ofta känner sig ensamma | 24,5\u00a0% (2023-10-01) | 22\u00a0% (2024-02-29) "
        "| 18\u00a0% (2026-10-01) | 38\u00a0% |",
    ]
    assert "Uppmätt: 2024-01-31: 23,5\u00a0%, 2024-02-29: 22\u00a0%." in section
    assert "2024-04-30" not in section  # measured after the day
    assert (
        "Arbetar med den: Måltider och möten – tre piloter, Salus mea – trygghetslarm med "
        "civilsamhället." in section
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.descs: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th", "desc"):
            self._in = tag
            (self.descs if tag == "desc" else self.cells).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "desc":
            self.descs[-1] += data
        elif self._in:
            self.cells[-1] += data


def test_the_html_report_draws_each_indicator(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", "--as-of", "2024-03-26", "-f", "html", "-o", str(out), "-p", str(OUTCOMES)]
    assert runner.invoke(app, args).exit_code == 0
    parsed = _Text()
    parsed.feed(out.read_text(encoding="utf-8"))
    row = parsed.cells.index("Äldre som ofta känner sig ensamma")
    assert parsed.cells[row : row + 5] == [
        "Äldre som ofta känner sig ensamma",
        "24,5\u00a0% (2023-10-01)",
        "22\u00a0% (2024-02-29)",
        "18\u00a0% (2026-10-01)",
        "38\u00a0%",
    ]
    assert (
        "Utgångsläge 24,5\u00a0% den 2023-10-01. Uppmätt 2024-01-31: 23,5\u00a0%, "
        "2024-02-29: 22\u00a0%. Mål 18\u00a0% senast 2026-10-01." in parsed.descs
    )


def test_the_word_report_has_the_table_and_a_picture_per_indicator(tmp_path: Path) -> None:
    import docx

    out = tmp_path / "r.docx"
    args = ["report", "--as-of", "2024-03-26", "-f", "docx", "-o", str(out), "-p", str(OUTCOMES)]
    assert runner.invoke(app, args).exit_code == 0
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "Utfall" in texts
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Indikator")
    assert [c.text for c in table.rows[3].cells] == [
        "Äldre som ofta känner sig ensamma",
        "24,5\u00a0% (2023-10-01)",
        "22\u00a0% (2024-02-29)",
        "18\u00a0% (2026-10-01)",
        "38\u00a0%",
    ]
    assert "Äldre som ofta känner sig ensamma över tid" in texts  # a picture's caption
    with zipfile.ZipFile(out) as package:
        pictures = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(pictures) == 3 + 3  # status, weave, budget; and one per indicator


def test_the_chart_is_painted_from_the_svg_it_draws() -> None:
    from PIL import Image

    portfolio = known_on(_load(), DAY)
    svg = outcome_svg(portfolio.indicators["ensamhet"], "sv_SE", "Ensamhet", ident="e")
    picture = Image.open(BytesIO(raster.svg_to_png(svg, scale=1)))
    assert picture.size == (600, 230)
    # The line of measurements in the chart's blue, the diamond of the target in ink.
    assert (0x1F, 0x4E, 0x79) in {colour for _n, colour in picture.getcolors(1 << 16)}  # type: ignore[union-attr]


def test_values_are_written_in_the_locale() -> None:
    assert value_text(Decimal("1234.5"), Unit.PERCENT, "sv_SE") == "1\u00a0234,5\u00a0%"
    # Kronor as every other amount in the locale: `SEK 1,234` in British English.
    assert value_text(Decimal("1234.5"), Unit.KRONOR, "en_GB") == "SEK\u00a01,234.5"
    assert value_text(Decimal("-1234.5"), Unit.KRONOR, "sv_SE") == "-1\u00a0234,5\u00a0kr"
    assert value_text(Decimal("0.0005"), Unit.SCORE, "sv_SE") == "0,0005"


# --- the site ----------------------------------------------------------------------------


def _site() -> dict[str, bytes]:
    from kontrakt.render.site.build import SiteRequest, build_site

    return build_site(SiteRequest(_load(), DAY))


def test_the_site_has_an_outcome_page_per_indicator_linked_both_ways() -> None:
    files = _site()
    assert sorted(p for p in files if p.startswith("outcomes/")) == [
        "outcomes/ensamhet.html",
        "outcomes/index.html",
        "outcomes/trygghetslarm.html",
        "outcomes/vantetid.html",
    ]
    page = files["outcomes/ensamhet.html"].decode()
    parsed = _Text()
    parsed.feed(page)
    assert parsed.cells == [
        "Datum", "Värde", "Källa", "Anteckning",
        "2024-01-31", "23,5\u00a0%", "Trygghetsenkäten (exempel)", "–",
        "2024-02-29", "22\u00a0%", "Trygghetsenkäten (exempel)", "Färre svar än vanligt",
    ]  # fmt: skip
    assert '<a href="../initiatives/salus-mea.html">' in page
    assert '<a href="../outcomes/ensamhet.html">Äldre som ofta känner sig ensamma</a>' in (
        files["initiatives/salus-mea.html"].decode()
    )
    assert '<a href="outcomes/index.html">3 utfallsindikatorer' in files["index.html"].decode()
    assert '<a href="outcomes/index.html">Utfall</a>' in files["index.html"].decode()


def test_a_site_without_indicators_has_no_outcome_pages() -> None:
    from kontrakt.render.site.build import SiteRequest, build_site

    files = build_site(SiteRequest(_load(FIXTURES / "good" / "journal" / "portfolio"), DAY))
    assert not [p for p in files if p.startswith("outcomes/")]
    assert b"Utfall" not in files["index.html"]
    assert (
        files["data/indicators.csv"]
        == (
            "\ufeffid,title,description,unit,direction,range,baseline,target,source,measurements\r\n"
        ).encode()
    )


def test_the_open_data_holds_the_indicators_as_their_files_do() -> None:
    import json

    document = json.loads(_site()["data/portfolio.json"])
    assert document["indicators"][0] == {
        "id": "ensamhet",
        "title": "Äldre som ofta känner sig ensamma",
        "description": "Andel av de svarande över 75 år som känner sig ensamma ofta eller "
        "mycket ofta",
        "unit": "percent",
        "direction": "lower",
        "baseline": {"value": 24.5, "date": "2023-10-01"},
        "target": {"value": 18, "date": "2026-10-01"},
        "source": "Trygghetsenkäten (exempel)",
        "measurements": [
            {"date": "2024-01-31", "value": 23.5},
            {"date": "2024-02-29", "value": 22, "note": "Färre svar än vanligt"},
            {"date": "2024-04-30", "value": 21.5},
        ],
    }


# --- kontrakt diff -----------------------------------------------------------------------


def test_diff_tells_measurements_added_and_taken_back(tmp_path: Path) -> None:
    from conftest import git

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(OUTCOMES, repo / "portfolio")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    root = repo / "portfolio"
    args = ["measure", "trygghetslarm", "45", "--on", "2024-04-30", "--source", "Listan"]
    assert runner.invoke(app, [*args, "-p", str(root)]).exit_code == 0
    vantetid = root / "indicators" / "vantetid.yaml"
    vantetid.write_text(
        vantetid.read_text(encoding="utf-8") + "measurements:\n  - {date: 2024-02-01, value: 19}\n",
        encoding="utf-8",
    )
    ensamhet = root / "indicators" / "ensamhet.yaml"
    ensamhet.write_text(
        ensamhet.read_text(encoding="utf-8").replace("value: 21.5", "value: 21.4"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["diff", "-p", str(root), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    tail = result.output.split("### Utfallsindikatorer\n", 1)[1]
    assert tail == (
        "\n- **Äldre som ofta känner sig ensamma:** 2024-04-30: 21,4\u00a0%\n"
        "- **Äldre med trygghetslarm via civilsamhället:** 2024-04-30: 45\n"
        "- **Väntetid på beslut om hemtjänst:** 2024-02-01: 19\n"
        "- **Borttaget ur Äldre som ofta känner sig ensamma:** 2024-04-30: 21,5\u00a0%\n"
    )


def test_new_initiative_names_its_indicators(outcomes: Path) -> None:
    args = ["new", "initiative", "Träffpunkt", "--indicator", "ensamhet", "--on", "2024-03-01"]
    result = runner.invoke(app, [*args, "-p", str(outcomes)])
    assert result.exit_code == 0, result.output
    text = (outcomes / "initiatives" / "traffpunkt.yaml").read_text(encoding="utf-8")
    assert text.endswith("proposed_on: 2024-03-01\nindicators:\n  - ensamhet\n")
    wrong = runner.invoke(
        app, ["new", "initiative", "Annan", "--indicator", "ensamhett", "-p", str(outcomes)]
    )
    assert wrong.output == (
        "kontrakt: unknown indicator 'ensamhett'; did you mean 'ensamhet'? "
        "(there is no indicators/ensamhett.yaml)\n"
    )


def test_axe_finds_nothing_in_the_html_report_with_outcomes(tmp_path: Path) -> None:
    from test_html import browser_check

    out = tmp_path / "report.html"
    args = ["report", "--as-of", "2024-03-26", "-f", "html", "-o", str(out), "-p", str(OUTCOMES)]
    assert runner.invoke(app, args).exit_code == 0
    results = browser_check(out)
    assert [r["width"] for r in results] == [1200, 375]
    for result in results:
        assert result["violations"] == [], result["width"]
        assert result["scrollWidth"] == result["clientWidth"] == result["width"]


@pytest.mark.parametrize(
    ("language", "typed", "written"),
    [
        ("sv", "12,5", "12.5"),
        ("sv", "1,000", "1"),  # a decimal comma in Swedish: one
        ("sv", "12.5", "12.5"),
        ("sv", "1 000,5", "1000.5"),
        ("en", "12.5", "12.5"),
        ("en", "1,000", "1000"),  # a group of three in English: a thousand, never one
        ("en", "1,000.5", "1000.5"),
        ("en", "12,5", None),  # neither: refused, not guessed
        ("en", "1,00", None),
    ],
)
def test_measure_reads_a_comma_as_the_portfolio_s_locale_writes_it(
    outcomes: Path, language: str, typed: str, written: str | None
) -> None:
    settings = outcomes / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("language: sv", f"language: {language}"),
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["measure", "vantetid", typed, "--on", "2024-06-30", "-p", str(outcomes), "--dry-run"],
    )
    if written is None:
        assert (result.exit_code, result.output) == (
            2,
            f"kontrakt: expected a number such as 12 or 12.5, got '{typed}'\n",
        )
    else:
        assert f"+    value: {written}\n" in result.output, result.output


@pytest.mark.parametrize("locale", ["sv_SE", "en_GB", "de_CH", "fr_FR", "nb_NO", "de_DE", "hi_IN"])
@pytest.mark.parametrize("value", ["1234.5", "-1000000", "0.000001", "12"])
def test_measure_takes_a_number_as_kontrakt_s_messages_write_it(locale: str, value: str) -> None:
    """What a message shows (`1'234.5` in de_CH, `1.234,5` in German) is typed back
    as the same number."""
    from kontrakt.changes import figure
    from kontrakt.i18n import numbers_in, numeral

    with numbers_in(locale):
        assert figure(numeral(Decimal(value))) == Decimal(value)


@pytest.mark.parametrize(
    ("locale", "typed", "read"),
    [
        ("de_DE", "1.234", Decimal(1234)),  # a point groups in German: a thousand and more
        ("de_DE", "12.5", None),  # neither a group of three nor German's decimal comma
        ("de_DE", "12,5", Decimal("12.5")),
        ("hi_IN", "1,000", Decimal(1000)),  # grouped otherwise, still never a decimal comma
        ("hi_IN", "12,5", None),
        ("sv_SE", "1.000", Decimal(1)),  # a point is a decimal point where it groups nothing
    ],
)
def test_a_sign_a_locale_groups_with_is_never_read_as_a_decimal_sign(
    locale: str, typed: str, read: Decimal | None
) -> None:
    from kontrakt.changes import figure
    from kontrakt.errors import KontraktError
    from kontrakt.i18n import numbers_in

    with numbers_in(locale):
        if read is None:
            with pytest.raises(KontraktError, match="expected a number such as 12"):
                figure(typed)
        else:
            assert figure(typed) == read
