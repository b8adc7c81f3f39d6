"""Money spent (utfall) and who pays (funders): docs/budget.md, "Money spent" and
"Who pays".

tests/fixtures/good/money holds three lines: two decided with spending entries
and funders (organisations by share and by amount, an external funder, hours in
kind), one proposed without either.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import FIXTURES, check, lines, write
from kontrakt.allocation import spent_on
from kontrakt.cli import app
from kontrakt.funders import payments
from kontrakt.load import load_portfolio
from kontrakt.models import BudgetLine, Initiative, Settings
from kontrakt.portfolio import Portfolio
from kontrakt.render import funders as paying
from kontrakt.views.budget import DIMENSIONS, Filters, Group, budget_view
from kontrakt.views.funders import funders_view
from kontrakt.views.spending import spending_view

runner = CliRunner()
MONEY = FIXTURES / "good" / "money" / "portfolio"


def _load(root: Path = MONEY) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


@pytest.fixture
def money(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the money fixture, run from its parent so messages show
    `portfolio/…` wherever the repository is checked out."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "portfolio"
    shutil.copytree(MONEY, target)
    return target


def _run(*args: str) -> tuple[int, str]:
    """The exit code and output, no-break spaces (in amounts) as spaces."""
    result = runner.invoke(app, list(args))
    return result.exit_code, _plain(result.output)


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def _check(root: Path) -> list[str]:
    return [_plain(line) for line in check(root)]


# --- the fixture, as check and the views see it ----------------------------------------


def test_the_fixture_is_clean() -> None:
    assert check(MONEY) == []


def test_spent_splits_over_the_categories_as_the_line_does() -> None:
    view = budget_view(_load(), ["category"], Filters(as_of=date(2024, 5, 1)))
    ordinary, pilot = view.groups
    # Måltider och möten: 57 000 spent by May, 185/285 in ordinarie, 100/285 in pilot.
    assert (ordinary.decided, ordinary.spent, ordinary.unspent) == (185_000, 37_000, 148_000)
    assert (pilot.decided, pilot.spent, pilot.unspent) == (360_000, 125_000, 235_000)
    assert (view.total.spent, view.total.unspent, view.total.remaining) == (
        162_000,
        383_000,
        1_565_000,
    )
    assert view.spending


def test_an_entry_after_the_day_is_not_yet_spent() -> None:
    line = _load().budget["trygghetslosning"]
    assert spent_on(line, date(2024, 3, 14)) == 0
    assert spent_on(line, date(2024, 3, 15)) == 40_000
    assert spent_on(line) == 125_001


def test_funders_shares_are_exact_and_the_rest_is_unassigned() -> None:
    portfolio = _load()
    paid = payments(portfolio.budget["trygghetslosning"], 125_001)
    assert [(p.key, p.amount, p.spent) for p in paid] == [
        (("organisation", "vasteras"), 130_000, 62_501),
        (("organisation", "eskilstuna"), 65_000, 31_250),
        (("external", "Vinnova"), 65_000, 31_250),
    ]
    unfunded = payments(portfolio.budget["angsgardet"], 0)
    assert [(p.key, p.amount) for p in unfunded] == [(None, 375_000)]
    framed = payments(portfolio.budget["angsgardet"], 0, portfolio.settings.frames[0].funders)
    assert [(p.key, p.amount) for p in framed] == [
        (("organisation", "eskilstuna"), 187_500),
        (("organisation", "vasteras"), 187_500),
    ]


def test_the_funders_view_adds_up_to_the_budget() -> None:
    portfolio = _load()
    view = funders_view(portfolio, Filters(), paying.labeller(portfolio))
    assert [(row.label, row.decided, row.proposed, row.spent, row.hours) for row in view.rows] == [
        ("Mälardalens universitet", 35_000, 0, 12_219, 80),
        # Ängsgärdet names no funders: its frame's, half each, pay the proposal.
        ("Eskilstuna kommun", 215_000, 187_500, 83_619, 0),
        ("Västerås stad", 230_000, 187_500, 97_413, 120),
        ("Vinnova", 65_000, 0, 31_250, 0),
    ]
    budget = budget_view(portfolio, ["category"])
    assert (view.total.decided, view.total.proposed, view.total.spent) == (
        budget.total.decided,
        budget.total.proposed,
        budget.total.spent,
    )


def test_spending_over_time_runs_up_to_the_budget_s_spent() -> None:
    view = spending_view(_load(), "quarter", Filters())
    assert [(s.key, s.spent, s.to_date) for s in view.spans] == [
        ("2024 Q1", 97_000, 97_000),
        ("2024 Q2", 127_501, 224_501),
    ]
    assert (view.decided, view.spent, view.unspent) == (545_000, 224_501, 320_499)


# --- the command's outputs -------------------------------------------------------------


def test_the_table_shows_spent_and_left_of_decided() -> None:
    result = runner.invoke(
        app,
        ["budget", "-p", str(MONEY), "--as-of", "2024-05-01", "--no-lines"],
        env={"COLUMNS": "100"},
    )
    assert result.exit_code == 0
    rows = [line[18:].rstrip() for line in _plain(result.output).splitlines()[1:]]
    heads = [line[:18].rstrip() for line in _plain(result.output).splitlines()[4:]]
    assert heads == ["Ordinarie budget", "Pilotbudget", "Totalt"]
    assert rows == [
        "                                           Kvar av             Kvar inkl.",
        "      Ram  Beslutat  Föreslaget   Utfall  beslutat       Kvar     förslag",
        "─────────────────────────────────────────────────────────────────────────",
        "1 310 000   185 000     375 000   37 000   148 000  1 125 000     750 000",
        "  800 000   360 000           0  125 000   235 000    440 000     440 000",
        "2 110 000   545 000     375 000  162 000   383 000  1 565 000   1 190 000",
    ]


def test_json_and_csv_carry_spent() -> None:
    code, output = _run("budget", "-p", str(MONEY), "-f", "json")
    assert code == 0
    total = json.loads(output)["total"]
    assert (total["spent"], total["unspent"], total["decided"]) == (224_501, 320_499, 545_000)
    line = json.loads(output)["groups"][1]["lines"][1]
    assert (line["id"], line["spent"]) == ("trygghetslosning", 125_001)
    code, output = _run("budget", "-p", str(MONEY), "-f", "csv", "--no-lines")
    rows = list(csv.reader(io.StringIO(output.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:7] == [
        "Kategori",
        "Ram",
        "Beslutat",
        "Föreslaget",
        "Totalt",
        "Utfall",
        "Kvar av beslutat",
    ]
    assert rows[-1][:7] == ["Totalt", "2110000", "545000", "375000", "920000", "224501", "320499"]


def test_a_portfolio_without_spending_keeps_its_columns() -> None:
    code, output = _run(
        "budget", "-p", str(FIXTURES / "good" / "journal" / "portfolio"), "-f", "csv"
    )
    assert code == 0 and "Utfall" not in output


def test_budget_by_funder_in_json_and_csv() -> None:
    code, output = _run("budget", "-p", str(MONEY), "--by", "funder", "-f", "json")
    assert code == 0
    document = json.loads(output)
    assert [f["funder"] for f in document["funders"]] == [
        {"organisation": "mdu"},
        {"organisation": "eskilstuna"},
        {"organisation": "vasteras"},
        {"name": "Vinnova"},
    ]
    assert document["total"] == {
        "label": "Totalt",
        "decided": 545_000,
        "proposed": 375_000,
        "total": 920_000,
        "spent": 224_501,
        "unspent": 320_499,
        "hours": 200,
    }
    code, output = _run("budget", "-p", str(MONEY), "--by", "funder", "-f", "csv", "--no-lines")
    rows = list(csv.reader(io.StringIO(output.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["Finansiär", "Beslutat", "Föreslaget", "Utfall", "Kvar av beslutat", "Timmar in natura"],
        ["Mälardalens universitet", "35000", "0", "12219", "22781", "80"],
        ["Eskilstuna kommun", "215000", "187500", "83619", "131381", "0"],
        ["Västerås stad", "230000", "187500", "97413", "132587", "120"],
        ["Vinnova", "65000", "0", "31250", "33750", "0"],
        ["Totalt", "545000", "375000", "224501", "320499", "200"],
    ]


def test_one_organisation_s_year(tmp_path: Path) -> None:
    """What Västerås stad has committed and spent in 2024, as a workbook."""
    target = tmp_path / "funders.xlsx"
    code, _output = _run(
        "budget", "-p", str(MONEY), "--by", "funder", "--period", "2024", "-f", "xlsx",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(target)["Finansiärer"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert rows[0] == (
        "Finansiär",
        "Beslutat",
        "Föreslaget",
        "Utfall",
        "Kvar av beslutat",
        "Timmar in natura",
    )
    vasteras = next(row for row in rows if row[0] == "Västerås stad")
    assert vasteras == ("Västerås stad", 230_000, 187_500, 97_413, 132_587, 120)


def test_the_budget_workbook_has_spent_and_a_funders_sheet(tmp_path: Path) -> None:
    target = tmp_path / "budget.xlsx"
    assert _run("budget", "-p", str(MONEY), "-f", "xlsx", "-o", str(target))[0] == 0
    from openpyxl import load_workbook

    book = load_workbook(target)
    assert book.sheetnames[-1] == "Finansiärer"
    sheet = book["Kategori"]
    assert [cell.value for cell in sheet[3]][-2:] == ["Utfall", "Kvar av beslutat"]
    assert [cell.value for cell in sheet[6]][-2:] == ["=SUM(J4,J5)", "=C6-J6"]


def test_by_month_lists_the_entries() -> None:
    code, output = _run("budget", "-p", str(MONEY), "--by", "month", "-f", "markdown")
    assert code == 0
    assert "| **2024-03** | 97 000 | 97 000 | 448 000 |" in output
    assert "|   ↳ *2024-03-15 Trygghetslösning (V-2024-118)* | 40 000 |  |  |" in output
    assert "| **Totalt** | **224 501** | **224 501** | **320 499** |" in output


def test_stand_alone_groupings_are_refused_with_others() -> None:
    assert _run("budget", "-p", str(MONEY), "--by", "funder", "--by", "category") == (
        2,
        "kontrakt: --by funder stands alone; leave out the other --by\n",
    )
    assert _run("budget", "-p", str(MONEY), "--by", "month", "--initiative", "salus-mea") == (
        2,
        "kontrakt: --by month counts whole budget lines: leave out --category and --initiative\n",
    )


# --- the rules -------------------------------------------------------------------------

LINE = """\
title: Rad
amount: 100000
category: pilot
period: 2024
decision: decided
decided_on: 2024-03-01
"""


def test_spending_above_the_line_is_an_error_at_the_entry(money: Path) -> None:
    write(
        money,
        "budget/rad.yaml",
        LINE
        + "spent:\n  - {date: 2024-03-02, amount: 60000}\n  - {date: 2024-04-02, amount: 50000}\n"
        "  - {date: 2024-05-02, amount: 1}\n",
    )
    assert _check(money) == [
        "budget/rad.yaml:9:32: error: spending adds up to 110 000 kr with this entry, more than "
        "the line's amount 100 000 kr; check the amount, or raise the line's amount by a new "
        "decision [spending-exceeds]"
    ]


def test_spending_on_an_undecided_line_or_before_its_decision_is_a_warning(money: Path) -> None:
    write(
        money,
        "budget/rad.yaml",
        LINE + "spent:\n  - {date: 2024-02-20, amount: 1000}\n  - {date: 2024-02-10, amount: 1}\n",
    )
    write(
        money,
        "budget/annan.yaml",
        "title: Annan\namount: 5000\nperiod: 2024\nspent:\n  - {date: 2024-02-20, amount: 1000}\n",
    )
    assert _check(money) == [
        "budget/annan.yaml:4:1: warning: money is spent on a line that is not decided; write "
        "decision: decided and decided_on: YYYY-MM-DD once it is [spending-undecided]",
        "budget/rad.yaml:8:12: warning: spent on 2024-02-20, before the line was decided on "
        "2024-03-01 [spending-undecided]",
        "budget/rad.yaml:9:12: warning: spending of 2024-02-10 is listed after spending of "
        "2024-02-20; list spending oldest first [spending-order]",
        "budget/rad.yaml:9:12: warning: spent on 2024-02-10, before the line was decided on "
        "2024-03-01 [spending-undecided]",
    ]


def test_spending_listed_twice_is_a_warning_at_the_second_entry(money: Path) -> None:
    write(
        money,
        "budget/rad.yaml",
        LINE + "spent:\n"
        "  - {date: 2024-03-02, amount: 1000}\n"
        "  - {date: 2024-03-02, amount: 1000, note: Samma igen}\n"
        "  - {date: 2024-03-05, amount: 2000, voucher: V-1}\n"
        "  - {date: 2024-03-05, amount: 2000, voucher: V-1}\n"
        "  - {date: 2024-03-09, amount: 700, voucher: V-1}\n"
        "  - {date: 2024-03-09, amount: 700, voucher: V-2}\n"
        "  - {date: 2024-03-09, amount: 1000}\n",
    )
    # Another line may give the same voucher: one invoice can pay two lines.
    write(
        money,
        "budget/annan.yaml",
        LINE.replace("Rad", "Annan")
        + "spent:\n  - {date: 2024-03-05, amount: 2000, voucher: V-1}\n",
    )
    assert _check(money) == [
        "budget/rad.yaml:9:5: warning: this spending repeats the entry on line 8 (the same date "
        "and amount, no voucher), so it is counted twice; remove it if it was entered twice, or "
        "give each its voucher [spending-duplicate]",
        "budget/rad.yaml:11:5: warning: this spending repeats the entry on line 10 (the same "
        "date, amount and voucher), so it is counted twice; remove it if it was entered twice "
        "[spending-duplicate]",
        "budget/rad.yaml:12:46: warning: voucher 'V-1' is already given on line 10, so the "
        "money is counted twice; remove the entry entered twice, or correct the voucher "
        "[spending-duplicate]",
    ]


def test_spending_dated_after_today_is_a_warning_at_its_date(money: Path) -> None:
    """The day of the check is passed in (the core asks no clock): an entry of that
    day is spent, one of the next day a warning; without a day, none is."""
    write(
        money,
        "budget/rad.yaml",
        LINE + "spent:\n  - {date: 2024-06-10, amount: 1000}\n"
        "  - {date: 2024-06-11, amount: 2000, voucher: V-9}\n",
    )
    found = lines(load_portfolio(money, today=date(2024, 6, 10)), money)
    assert [_plain(line) for line in found] == [
        "budget/rad.yaml:9:12: warning: this spending is dated 2024-06-11, after today "
        "(2024-06-10), so it is not counted until then; check the date [spending-future]",
    ]
    assert lines(load_portfolio(money, today=date(2024, 6, 11)), money) == []
    assert _check(money) == []


def _spent_later(money: Path, days: int) -> date:
    """An entry of 5 000 kr on Trygghetslösning, `days` after today; its day."""
    later = date.today() + timedelta(days=days)
    path = money / "budget" / "trygghetslosning.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + f"  - {{date: {later}, amount: 5000}}\n",
        encoding="utf-8",
    )
    return later


def test_budget_counts_spending_up_to_today(money: Path) -> None:
    """`kontrakt budget` without --as-of leaves out an entry dated after today, as the
    report, the site and the agenda do: in every grouping, by funder and by month;
    with an --as-of on or after its day, it counts."""
    later = _spent_later(money, 3)

    def spent(*args: str) -> list[int]:
        """Spent in the budget, by funder, and over time, as JSON."""
        found = []
        for by in ("category", "funder", "month"):
            code, output = _run("budget", "-p", str(money), "--by", by, "-f", "json", *args)
            assert code == 0, output
            document = json.loads(output)
            found.append(
                document["spans"][-1]["spent_to_date"]
                if by == "month"
                else document["total"]["spent"]
            )
        return found

    assert spent() == [224_501, 224_501, 224_501]
    assert spent("--as-of", later.isoformat()) == [229_501, 229_501, 229_501]
    assert spent("--as-of", (later - timedelta(days=1)).isoformat()) == [224_501] * 3
    # The core asks no clock: the day is passed in, and without one every entry counts.
    portfolio = _load(money)
    assert budget_view(portfolio, ["category"], Filters(today=later)).total.spent == 229_501
    assert budget_view(portfolio, ["category"]).total.spent == 229_501


def test_check_warns_of_spending_after_today(money: Path) -> None:
    later = _spent_later(money, 3)
    code, output = _run("check", "-p", str(money))
    assert (code, output) == (
        0,
        f"portfolio/budget/trygghetslosning.yaml:16:12: warning: this spending is dated "
        f"{later}, after today ({date.today()}), so it is not counted until then; check the "
        "date [spending-future]\n9 files checked: 1 warning\n",
    )
    assert _run("check", "--strict", "-p", str(money))[0] == 1


def test_funders_are_checked(money: Path) -> None:
    write(
        money,
        "budget/rad.yaml",
        LINE + "funders:\n"
        "  - {organisation: vasteraas, share: 60}\n"
        "  - {organisation: mdu, name: MDU, amount: 1}\n"
        "  - {name: Vinnova, amount: 10000, share: 10}\n"
        "  - {name: Vinnova, hours: 3}\n"
        "  - {name: Stiftelse}\n",
    )
    assert _check(money) == [
        "budget/rad.yaml:7:1: warning: the funders give 80 001 kr of the line's 100 000 kr; the "
        "remaining 19 999 kr is shown as unassigned: add a funder or raise a share "
        "[funders-short]",
        "budget/rad.yaml:8:20: error: unknown organisation 'vasteraas'; did you mean "
        "'vasteras'? (organisations are listed under organisations in kontrakt.yaml) "
        "[unknown-reference]",
        "budget/rad.yaml:9:5: error: a funder needs either organisation: (an organisation's id) "
        "or name: (an external funder, such as Vinnova), not both and not neither [funder]",
        "budget/rad.yaml:10:43: error: a funder gives an amount or a share (per cent), not both; "
        "keep one [funder]",
        "budget/rad.yaml:11:5: error: funder 'Vinnova' is already listed on line 10; merge the "
        "two into one entry, with what they give added up [duplicate-funder]",
        "budget/rad.yaml:12:5: error: the funder gives nothing; add amount: (kronor), share: "
        "(per cent of the line) or hours: (in kind) [funder]",
    ]


def test_a_funder_listed_twice_on_a_line_is_an_error_at_the_second(money: Path) -> None:
    write(
        money,
        "budget/rad.yaml",
        LINE + "funders:\n"
        "  - {organisation: vasteras, amount: 40000}\n"
        "  - {name: Vinnova, share: 10}\n"
        "  - {organisation: vasteras, hours: 30}\n"
        "  - {name: ' vinnova', share: 20}\n"
        "  - {organisation: eskilstuna, share: 30}\n",
    )
    assert _check(money) == [
        "budget/rad.yaml:10:5: error: funder 'vasteras' is already listed on line 8; merge the "
        "two into one entry, with what they give added up [duplicate-funder]",
        "budget/rad.yaml:11:5: error: funder ' vinnova' is already listed on line 9; merge the "
        "two into one entry, with what they give added up [duplicate-funder]",
    ]


def test_a_funder_listed_twice_on_a_frame_is_an_error_at_the_second(money: Path) -> None:
    settings_ = money / "kontrakt.yaml"
    text = settings_.read_text(encoding="utf-8")
    text = text.replace(
        "      - {organisation: vasteras, share: 50}\n",
        "      - {organisation: vasteras, share: 25}\n"
        "      - {organisation: eskilstuna, share: 25}\n",
    )
    settings_.write_text(text, encoding="utf-8")
    assert _check(money) == [
        "kontrakt.yaml:26:9: error: funder 'eskilstuna' is already listed on line 24; merge the "
        "two into one entry, with what they give added up [duplicate-funder]",
    ]


def test_funders_above_the_line_are_an_error(money: Path) -> None:
    write(
        money,
        "budget/rad.yaml",
        LINE + "funders:\n  - {organisation: vasteras, share: 60}\n  - {name: EU, amount: 50000}\n",
    )
    assert _check(money) == [
        "budget/rad.yaml:7:1: error: the funders give 110 000 kr, more than the line's amount "
        "100 000 kr (shares are per cent of the line and add up to at most 100); lower an "
        "amount or a share [funders-exceed-line]",
    ]


def test_funders_short_of_the_line_leave_an_unassigned_rest(money: Path) -> None:
    write(money, "budget/rad.yaml", LINE + "funders:\n  - {organisation: vasteras, share: 40}\n")
    assert _check(money) == [
        "budget/rad.yaml:7:1: warning: the funders give 40 000 kr of the line's 100 000 kr; the "
        "remaining 60 000 kr is shown as unassigned: add a funder or raise a share "
        "[funders-short]"
    ]
    portfolio = _load(money)
    paid = payments(portfolio.budget["rad"], 0)
    assert [(p.key, p.amount) for p in paid] == [
        (("organisation", "vasteras"), 40_000),
        (None, 60_000),
    ]


def test_hours_only_funders_leave_the_kronor_to_the_frame_s_shares(money: Path) -> None:
    """Hours in kind pay no kronor: a line whose funders give only hours is paid by
    its frame's shares, as a line without funders is, and keeps its hours; check
    and the views agree that nothing is unassigned."""
    write(
        money,
        "budget/rad.yaml",
        LINE.replace("category: pilot", "category: ordinarie")
        + "funders:\n  - {organisation: mdu, hours: 40}\n"
        "spent:\n  - {date: 2024-03-02, amount: 10001}\n",
    )
    assert _check(money) == []
    portfolio = _load(money)
    inherited = portfolio.settings.frames[0].funders
    paid = payments(portfolio.budget["rad"], 10_001, inherited)
    assert [(p.key, p.amount, p.spent, p.hours) for p in paid] == [
        (("organisation", "eskilstuna"), 50_000, 5_001, 0),
        (("organisation", "vasteras"), 50_000, 5_000, 0),
        (("organisation", "mdu"), 0, 0, 40),
    ]
    view = funders_view(portfolio, Filters(), paying.labeller(portfolio))
    assert [row.key for row in view.rows] == [
        ("organisation", "mdu"),
        ("organisation", "eskilstuna"),
        ("organisation", "vasteras"),
        ("external", "Vinnova"),
    ]
    mdu = view.rows[0]
    assert [(part.line, part.amount, part.hours) for part in mdu.lines] == [
        ("maltider-och-moten", 35_000, 80),
        ("rad", 0, 40),
    ]


def test_hours_only_funders_without_frame_shares_leave_the_line_unassigned(
    money: Path,
) -> None:
    """In a frame that names no funders, such a line is all unassigned, without a
    warning, as a line without funders is."""
    write(money, "budget/rad.yaml", LINE + "funders:\n  - {name: Röda Korset, hours: 12}\n")
    assert _check(money) == []
    paid = payments(_load(money).budget["rad"], 0)
    assert [(p.key, p.amount, p.hours) for p in paid] == [
        (("external", "Röda Korset"), 0, 12),
        (None, 100_000, 0),
    ]


def test_a_frame_s_shares_short_of_100_are_a_warning(money: Path) -> None:
    settings_ = money / "kontrakt.yaml"
    text = settings_.read_text(encoding="utf-8")
    text = text.replace("vasteras, share: 50}", "vasteras, share: 20}")
    settings_.write_text(text, encoding="utf-8")
    assert _check(money) == [
        "kontrakt.yaml:23:5: warning: the frame's funders' shares add up to 70 per cent; the "
        "remaining 30 per cent of each line they pay is shown as unassigned: add a funder or "
        "raise a share [funders-short]",
    ]
    view = funders_view(_load(money), Filters(), paying.labeller(_load(money)))
    assert (view.rows[-1].key, view.rows[-1].proposed) == (None, 112_500)  # 30 % of Ängsgärdet


# --- kontrakt spend --------------------------------------------------------------------


def test_spend_appends_an_entry_keeping_the_file(money: Path) -> None:
    code, output = _run(
        "spend", "angsgardet", "40 tkr", "--on", "2024-06-03", "--voucher", "V-7",
        "--note", "Första fakturan", "-p", str(money), "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert output.splitlines()[-7:] == [
        " initiatives: [angsgardet]",
        "+spent:",
        "+  - date: 2024-06-03",
        "+    amount: 40000",
        "+    note: Första fakturan",
        "+    voucher: V-7",
        # A warning, not a refusal: the line is proposed, and spending says so.
        "portfolio/budget/angsgardet.yaml:7:1: warning: money is spent on a line that "
        "is not decided; write decision: decided and decided_on: YYYY-MM-DD once it is "
        "[spending-undecided]",
    ]
    assert "spent" not in (money / "budget" / "angsgardet.yaml").read_text(encoding="utf-8")
    code, output = _run("spend", "trygghetslosning", "1000", "--on", "2024-06-30", "-p", str(money))
    assert (code, output) == (0, "changed budget/trygghetslosning.yaml\n")
    text = (money / "budget" / "trygghetslosning.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "  - {date: 2024-06-10, amount: 20001}\n  - {date: 2024-06-30, amount: 1000}\n"
    )


def test_spend_warns_of_a_voucher_the_line_has_already(money: Path) -> None:
    code, output = _run(
        "spend", "trygghetslosning", "5000", "--on", "2024-06-30", "--voucher", "V-2024-118",
        "-p", str(money),
    )  # fmt: skip
    assert (code, output.splitlines()) == (
        0,
        [
            "changed budget/trygghetslosning.yaml",
            "portfolio/budget/trygghetslosning.yaml:16:47: warning: voucher 'V-2024-118' is "
            "already given on line 13, so the money is counted twice; remove the entry entered "
            "twice, or correct the voucher [spending-duplicate]",
        ],
    )


def test_spend_refuses_what_check_would_refuse(money: Path) -> None:
    code, output = _run(
        "spend", "trygghetslosning", "200000", "--on", "2024-07-01", "-p", str(money)
    )
    assert code == 1
    assert output.splitlines()[0] == (
        "portfolio/budget/trygghetslosning.yaml:16:32: error: spending adds up to 325 001 kr "
        "with this entry, more than the line's amount 260 000 kr; check the amount, or raise "
        "the line's amount by a new decision [spending-exceeds]"
    )
    later = (date.today() + timedelta(days=1)).isoformat()
    code, output = _run("spend", "trygghetslosning", "1", "--on", later, "-p", str(money))
    assert code == 2 and "is after today" in output
    code, output = _run("spend", "trygghetslosning", "1", "--on", "2024-05-01", "-p", str(money))
    assert (code, output) == (
        2,
        "kontrakt: the spending of trygghetslosning goes up to 2024-06-10; an entry on "
        "2024-05-01 comes before it: give --on 2024-06-10 or later, or edit the list by hand\n",
    )
    code, output = _run("spend", "trygghetslosning", "2,5", "--on", "2024-07-01", "-p", str(money))
    assert code != 0 and "decimals" in output


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        ("-5", "-5 kr"),
        ("-40 tkr", "-40 000 kr"),
        ("\u22121000", "-1 000 kr"),  # the minus sign itself
    ],
)
def test_spend_of_a_negative_amount_says_how_to_correct_spending(
    money: Path, amount: str, said: str
) -> None:
    """`-5` reaches kontrakt (click would take it for an option), and is refused with
    what to do instead: spending entries are what was paid; a wrong one, or money
    paid back, is corrected in the entry it concerns."""
    before = (money / "budget" / "trygghetslosning.yaml").read_text(encoding="utf-8")
    code, output = _run("spend", "trygghetslosning", amount, "--on", "2024-07-01", "-p", str(money))
    assert (code, output) == (
        2,
        f"kontrakt: spending is an amount above 0 kr, not {said}; to correct an entry, or for "
        "money paid back, lower the entry it concerns in budget/trygghetslosning.yaml (or "
        "remove it)\n",
    )
    assert (money / "budget" / "trygghetslosning.yaml").read_text(encoding="utf-8") == before
    assert _run("spend", "trygghetslosning", "-0", "-p", str(money)) == (
        2,
        "kontrakt: nothing is spent: give an amount above 0 kr\n",
    )


@pytest.mark.usefixtures("messages_in_portfolio_language")
def test_spend_of_a_negative_amount_in_swedish(money: Path) -> None:
    assert _run("spend", "trygghetslosning", "-5", "-p", str(money)) == (
        2,
        "kontrakt: utfall är ett belopp över 0 kr, inte -5 kr; för att rätta en post, eller för "
        "pengar som betalats tillbaka, sänk den post det gäller i budget/trygghetslosning.yaml "
        "(eller ta bort den)\n",
    )


def test_add_part_of_a_negative_amount_says_it_is_negative(money: Path) -> None:
    assert _run("add-part", "trygghetslosning", "-100 tkr pilot", "-p", str(money)) == (
        2,
        "kontrakt: amount '-100 tkr' is negative; amounts are kronor of 0 or more\n",
    )


# --- documents -------------------------------------------------------------------------


def test_the_agenda_says_what_was_spent_by_the_meeting() -> None:
    code, output = _run("agenda", "2024-05-28", "-p", str(MONEY))
    assert code == 0
    assert (
        "- **Trygghetslösning:** 260 000 kr, pilotbudget – redan beslutad 2024-02-27, "
        "utfall 105 000 kr\n" in output
    )
    assert "; utfall 125 000 kr, kvar av beslutat 235 000 kr\n" in output
    assert "▚ utfall · █ beslutat" in output
    code, output = _run("agenda", "2024-02-27", "-p", str(MONEY))
    assert "utfall 0 kr" in output and "redan beslutad 2024-02-27, utfall" not in output


def test_the_word_report_s_table_has_the_spent_column(tmp_path: Path) -> None:
    from docx import Document

    target = tmp_path / "report.docx"
    args = ["report", "--as-of", "2024-05-28", "-p", str(MONEY), "-f", "docx", "-o", str(target)]
    assert _run(*args)[0] == 0
    tables = Document(str(target)).tables
    budget = next(t for t in tables if t.rows[0].cells[0].text == "Kategori")
    assert [cell.text for cell in budget.rows[0].cells][4:6] == ["Utfall", "Kvar av beslutat"]
    assert [_plain(cell.text) for cell in budget.rows[-1].cells][4:6] == ["162 000", "383 000"]


def test_the_deck_s_chart_has_a_patterned_spent_series(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.enum.dml import MSO_FILL

    target = tmp_path / "agenda.pptx"
    assert _run("agenda", "2024-05-28", "-p", str(MONEY), "-f", "pptx", "-o", str(target))[0] == 0
    chart = next(
        shape.chart for slide in Presentation(str(target)).slides for shape in slide.shapes
        if shape.has_chart
    )  # fmt: skip
    series = {s.name: s for s in chart.plots[0].series}
    assert list(series.values())[2].name == "Utfall"
    assert list(series["Utfall"].values) == [37_000, 125_000]
    assert series["Utfall"].format.fill.type == MSO_FILL.PATTERNED


def test_the_html_report_s_chart_names_spent_in_words() -> None:
    code, output = _run("report", "--as-of", "2024-05-28", "-p", str(MONEY), "-f", "html")
    assert code == 0
    assert "Ordinarie budget: Beslutat 185 000 kr, Utfall 37 000 kr, Föreslaget" in output
    assert 'id="budget-chart-spent"' in output


# --- a property over generated portfolios ----------------------------------------------

ORGANISATIONS = ["mdu", "eskilstuna", "vasteras"]


@st.composite
def money_lines(draw: st.DrawFn) -> dict[str, object]:
    amount = draw(st.integers(min_value=0, max_value=3_000_000))
    funded = draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3))
    parts: list[dict[str, object]] = []
    if amount and draw(st.booleans()):
        parts.append({"amount": draw(st.integers(0, amount)), "category": "pilot"})
    funders: list[dict[str, object]] = []
    left_share = 100
    for name in draw(st.lists(st.sampled_from([*ORGANISATIONS, "Vinnova"]), unique=True)):
        key = {"name": name} if name == "Vinnova" else {"organisation": name}
        if left_share > 0 and draw(st.booleans()):
            share = draw(st.integers(1, left_share))
            left_share -= share
            funders.append({**key, "share": share})
        else:
            funders.append({**key, "hours": draw(st.integers(0, 50))})
    spent: list[dict[str, object]] = []
    left = amount
    day = date(2024, 1, 1)
    for _ in range(draw(st.integers(0, 4))):
        piece = draw(st.integers(0, left))
        left -= piece
        day += timedelta(days=draw(st.integers(0, 60)))
        spent.append({"date": day.isoformat(), "amount": piece})
    return {
        "title": "Rad",
        "amount": amount,
        "category": draw(st.sampled_from(["ordinarie", "pilot", None])),
        "period": 2024,
        "decision": draw(st.sampled_from(["proposed", "decided"])),
        "initiatives": funded,
        "parts": parts,
        "funders": funders,
        "spent": spent,
    }


def _generated(data: list[dict[str, object]]) -> Portfolio:
    settings_ = Settings.model_validate(
        {
            "name": "P",
            "mission": "M",
            "organisations": {o: o.upper() for o in ORGANISATIONS},
            "vocabularies": {
                "categories": {"ordinarie": "Ordinarie", "pilot": "Pilot"},
                "kinds": {"pilot": "Pilot"},
            },
            "frames": [
                {
                    "category": "pilot",
                    "period": 2024,
                    "amount": 797_500,
                    "funders": [{"organisation": "mdu", "share": 40}, {"name": "EU", "share": 33}],
                }
            ],
        }
    )
    portfolio = Portfolio(Path(), settings_)
    for name in ("a", "b", "c"):
        portfolio.initiatives[name] = Initiative.model_validate(
            {"title": name.upper(), "status": "ongoing", "kind": "pilot"}
        )
    for index, line in enumerate(data):
        portfolio.budget[f"rad-{index}"] = BudgetLine.model_validate(line)
    return portfolio


def _reconciles(groups: list[Group]) -> None:
    for group in groups:
        assert group.spent + group.unspent == group.decided
        assert sum(share.spent for share in group.lines) == group.spent or group.children
        if group.children:
            assert sum(child.spent for child in group.children) == group.spent
            _reconciles(group.children)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(money_lines(), max_size=6),
    st.lists(st.sampled_from(DIMENSIONS), unique=True, min_size=1, max_size=2),
    st.sampled_from([None, date(2024, 2, 1), date(2024, 4, 1), date(2025, 1, 1)]),
)
def test_spent_and_left_reconcile_in_every_view(
    data: list[dict[str, object]], dimensions: list[str], as_of: date | None
) -> None:
    portfolio = _generated(data)
    filters = Filters(as_of=as_of)
    spent = sum(spent_on(line, as_of) for line in portfolio.budget.values())
    view = budget_view(portfolio, dimensions, filters)
    assert view.total.spent == spent
    assert sum(group.spent for group in view.groups) == spent
    assert view.total.spent + view.total.unspent == view.total.decided
    _reconciles(view.groups)
    paid = funders_view(portfolio, filters, paying.labeller(portfolio))
    assert (paid.total.decided, paid.total.proposed, paid.total.spent) == (
        view.total.decided,
        view.total.proposed,
        spent,
    )
    for row in paid.rows:
        assert row.spent + row.unspent == row.decided
        assert sum(part.spent for part in row.lines) == row.spent
    assert sum(row.spent for row in paid.rows) == spent
    framed = portfolio.settings.frames[0].funders
    for line_id, line in portfolio.budget.items():
        inherited = framed if line.category == "pilot" else ()
        parts = payments(line, spent_on(line, as_of), inherited)
        assert sum(p.amount for p in parts) == line.amount, line_id
        assert sum(p.spent for p in parts) == spent_on(line, as_of)
    over_time = spending_view(portfolio, "month", filters)
    assert over_time.spent == spent
    assert over_time.decided == view.total.decided


# --- kontrakt diff ---------------------------------------------------------------------


def test_diff_tells_spending_added_and_removed_and_funders_changed(tmp_path: Path) -> None:
    from conftest import git
    from markdown_checks import assert_valid_markdown

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(MONEY, repo / "portfolio")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    portfolio = repo / "portfolio"
    assert _run("spend", "trygghetslosning", "30000", "--on", "2024-06-30", "--voucher", "V-9",
                "-p", str(portfolio))[0] == 0  # fmt: skip
    line = portfolio / "budget" / "maltider-och-moten.yaml"
    text = line.read_text(encoding="utf-8")
    text = text.replace("  - {date: 2024-05-31, amount: 42500}\n", "")
    text = text.replace("{organisation: mdu, amount: 35000, hours: 80, note: Forskarstöd}",
                        "{name: Vinnova, amount: 35000}")  # fmt: skip
    line.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["diff", "-p", str(portfolio), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert_valid_markdown(result.output)
    budget = _plain(result.output).split("### Budget\n\n")[1].split("\n\n")[0]
    assert budget.splitlines() == [
        "- **Utfall:** Trygghetslösning, 2024-06-30: 30 000 kr (V-9)",
        "- **Utfall borttaget:** Måltider och möten, 3 piloter, 2024-05-31: 42 500 kr",
        "- **Finansiärer:** Måltider och möten, 3 piloter: Eskilstuna kommun 150 000 kr, "
        "Västerås stad 100 000 kr 120 h, Mälardalens universitet 35 000 kr 80 h → Eskilstuna "
        "kommun 150 000 kr, Västerås stad 100 000 kr 120 h, Vinnova 35 000 kr",
    ]


def test_a_frame_s_funders_give_shares(money: Path) -> None:
    settings_ = money / "kontrakt.yaml"
    text = settings_.read_text(encoding="utf-8")
    text = text.replace(
        "      - {organisation: vasteras, share: 50}\n",
        "      - {organisation: vasteras, share: 60}\n      - {name: EU, amount: 5}\n",
    )
    settings_.write_text(text, encoding="utf-8")
    assert _check(money) == [
        "kontrakt.yaml:23:5: error: the frame's funders' shares add up to more than 100 per "
        "cent [funders-exceed-line]",
        "kontrakt.yaml:26:9: error: a frame's funder gives a share: (per cent of each line of "
        "the frame that names no funders); give amounts and hours on the budget lines [funder]",
    ]


@pytest.mark.parametrize(
    ("amounts", "shares", "exceeds"),
    [([2], [50], True), ([1], [50], False), ([67000], [33], False), ([1], [33, 33, 34], True)],
)
def test_check_counts_shares_as_the_views_split_them(
    amounts: list[int], shares: list[int], exceeds: bool
) -> None:
    """A line paid partly by amounts and partly by shares: check refuses it exactly
    when the split the views make would pay more than the line, so what passes
    check always reconciles."""
    from kontrakt.funders import covered
    from kontrakt.models.budget import Funder

    for total in (3, 99_999, 100_001):
        funders = [Funder(organisation="mdu", amount=amount) for amount in amounts]
        funders += [Funder(name=f"F{index}", share=share) for index, share in enumerate(shares)]
        line = BudgetLine(title="L", amount=total, period=2024, funders=funders)
        paid = sum(payment.amount for payment in payments(line, 0) if payment.key is not None)
        assert covered(line) == paid
        if covered(line) <= total:
            assert sum(payment.amount for payment in payments(line, 0)) == total
    if exceeds:
        line = BudgetLine(
            title="L",
            amount=3,
            period=2024,
            funders=[Funder(organisation="mdu", amount=amounts[0])]
            + [Funder(name=f"F{i}", share=s) for i, s in enumerate(shares)],
        )
        assert covered(line) > 3


def test_a_frames_funders_alone_give_the_workbook_its_funders_sheet(money: Path) -> None:
    """Who pays is in the budget workbook wherever funders are named: here only the
    ordinary frame's shares, split over its lines."""
    import re

    for path in (money / "budget").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^funders:\n(?:  .*\n)*", "", text), encoding="utf-8")
    target = money / "budget.xlsx"
    assert _run("budget", "-p", str(money), "-f", "xlsx", "-o", str(target))[0] == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(target)["Finansiärer"].iter_rows(min_row=4, values_only=True))
    by_name = {row[0]: row[1:3] for row in rows}
    # The ordinary frame's lines, half each: decided 285 000 (a line is its
    # category's, parts in another included) and proposed 375 000.
    assert by_name["Eskilstuna kommun"] == (142_500, 187_500)
    assert by_name["Västerås stad"] == (142_500, 187_500)
    assert by_name["Ofördelat"] == (260_000, 0)  # the pilot frame names no funders


def test_the_funders_sheet_is_left_out_of_a_year_without_funders(money: Path) -> None:
    """`--period 2025` shows a year no frame or line of which names funders: the
    workbook has no Finansiärer sheet of all Ofördelat."""
    (money / "budget" / "nasta-ar.yaml").write_text(
        "title: Nästa år\namount: 1000\ncategory: pilot\nperiod: 2025\n", encoding="utf-8"
    )
    target = money / "budget.xlsx"
    code, _output = _run(
        "budget", "-p", str(money), "--period", "2025", "-f", "xlsx", "-o", str(target)
    )
    assert code == 0
    from openpyxl import load_workbook

    assert "Finansiärer" not in load_workbook(target).sheetnames
