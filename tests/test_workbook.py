"""`kontrakt budget --format xlsx`: the workbook read back with openpyxl.

Every amount on every sheet is budget_view's; every formula is recomputed here
from the cells it names and equals both budget_view's number and the value the
workbook caches for viewers that compute nothing.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import BUNDLED, FIXTURES, write
from kontrakt.cli import app
from kontrakt.i18n import speaking
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.render import budget as show
from kontrakt.render.workbook import money_format
from kontrakt.views.budget import BudgetView, Filters, Group, budget_view

runner = CliRunner()
ENGLISH = FIXTURES / "good" / "english" / "portfolio"
AS_OF = "2024-02-27"
TITLE = "Budget 2024 – Välmående och självständiga äldre (per 2024-02-27)"
HEADERS = [
    "Ram",
    "Beslutat",
    "Föreslaget",
    "Totalt",
    "Kvar",
    "Kvar inkl. förslag",
    "Beslutat inom ramarna",
    "Föreslaget inom ramarna",
]
SWEDISH_MONEY = '[$-41D]#,##0" kr";[Red][$-41D]-#,##0" kr"'
SUMMARY_COLUMNS = (
    "frame",
    "decided",
    "proposed",
    "total",
    "remaining",
    "remaining_if_approved",
    "frame_decided",
    "frame_proposed",
)


def xlsx(tmp_path: Path, *args: str, root: Path = BUNDLED) -> tuple[bytes, Any]:
    """The workbook `kontrakt budget -f xlsx -o FILE *args` writes, and it opened."""
    target = tmp_path / "budget.xlsx"
    result = runner.invoke(app, ["budget", "-p", str(root), "-f", "xlsx", "-o", str(target), *args])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    return data, openpyxl.load_workbook(io.BytesIO(data))


def cached(data: bytes) -> Any:
    """The workbook with each formula's cached value instead of the formula."""
    return openpyxl.load_workbook(io.BytesIO(data), data_only=True)


def value(sheet: Any, coordinate: str) -> int:
    """A cell's number, its formula computed from the cells it names (blank = 0)."""
    cell = sheet[coordinate]
    content = cell.value
    if content is None:
        return 0
    if cell.data_type != "f":
        assert isinstance(content, int), (coordinate, content)
        return content
    formula = content[1:]
    summed = re.fullmatch(r"SUM\((.*)\)", formula)
    if summed:
        total = 0
        for part in summed.group(1).split(","):
            if ":" in part:
                total += sum(value(sheet, c.coordinate) for row in sheet[part] for c in row)
            else:
                total += value(sheet, part)
        return total
    terms = re.findall(r"([+-]?)([A-Z]+[0-9]+)", formula)
    assert "".join(sign + ref for sign, ref in terms) == formula, formula
    return sum(-value(sheet, ref) if sign == "-" else value(sheet, ref) for sign, ref in terms)


def numbers(sheet: Any, row: int, first: int, count: int) -> list[int | None]:
    """The numbers of `count` cells from column `first` (None for a blank one)."""
    return [
        None
        if sheet.cell(row, column).value is None
        else value(sheet, sheet.cell(row, column).coordinate)
        for column in range(first, first + count)
    ]


def _bundled() -> Portfolio:
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    return portfolio


def view_of(portfolio: Portfolio, dimensions: list[str], filters: Filters) -> BudgetView:
    return budget_view(portfolio, dimensions, filters, show.labeller(portfolio))


def expected_rows(view: BudgetView) -> list[tuple[str, int, list[int | None]]]:
    """(label, depth, amounts) of every group, depth first, then the total."""
    found: list[tuple[str, int, list[int | None]]] = []

    def amounts(group: Group) -> list[int | None]:
        framed = group.frame is not None
        return [
            group.frame,
            group.decided,
            group.proposed,
            group.total,
            group.remaining,
            group.remaining_if_approved,
            group.frame_decided if framed else None,
            group.frame_proposed if framed else None,
        ]

    def walk(groups: list[Group], depth: int) -> None:
        for group in groups:
            found.append((group.label, depth, amounts(group)))
            walk(group.children, depth + 1)

    walk(view.groups, 0)
    found.append((view.total.label, 0, amounts(view.total)))
    return found


def summary_rows(sheet: Any) -> list[tuple[str, int, list[int | None]]]:
    rows = []
    for row in range(4, sheet.max_row + 1):
        label = sheet.cell(row, 1)
        assert label.data_type == "s"
        rows.append((label.value, int(label.alignment.indent), numbers(sheet, row, 2, 8)))
    return rows


def assert_sheet_is_the_view(data: bytes, name: str, view: BudgetView) -> None:
    """Every label and amount of sheet `name` is the view's, by formula and cached."""
    sheet = openpyxl.load_workbook(io.BytesIO(data))[name]
    assert summary_rows(sheet) == expected_rows(view)
    values = cached(data)[name]
    for row in range(4, sheet.max_row + 1):
        for column in range(2, 10):
            formula = sheet.cell(row, column)
            if formula.data_type == "f":
                assert values.cell(row, column).value == value(sheet, formula.coordinate)


# --- the bundled portfolio as of the meeting ---------------------------------------


def test_the_sheets_their_headers_and_titles(tmp_path: Path) -> None:
    _, book = xlsx(tmp_path, "--as-of", AS_OF)
    assert book.sheetnames == ["Kategori", "Fas", "Period", "Initiativ", "Budgetrader"]
    for name, first in [("Kategori", "Kategori"), ("Fas", "Fas"), ("Period", "Period")]:
        sheet = book[name]
        assert sheet["A1"].value == TITLE
        assert sheet["A1"].font.b
        assert sheet["A2"].value is None  # no filter chose part of the frames
        header = [cell.value for cell in sheet[3]]
        assert header == [first, *HEADERS]
        assert all(cell.font.b for cell in sheet[3])
        assert sheet.freeze_panes == "B4"
    lines = book["Budgetrader"]
    assert [cell.value for cell in lines[3]] == [
        "Kategori",
        "Budgetrad",
        "Beslutat",
        "Föreslaget",
        "Radens belopp",
        "Delad",
    ]
    assert lines.freeze_panes == "B4"
    assert lines.auto_filter.ref == "A3:F9"


def test_the_deck_budget_by_category(tmp_path: Path) -> None:
    """The figures of the deck's budget slide, with the gap it leaves to mental arithmetic."""
    data, book = xlsx(tmp_path, "--as-of", AS_OF)
    sheet = book["Kategori"]
    assert summary_rows(sheet) == [
        (
            "Ordinarie budget",
            0,
            [1_310_000, 0, 560_000, 560_000, 1_310_000, 750_000, 0, 560_000],
        ),
        (
            "Pilotbudget",
            0,
            [797_500, 260_000, 640_000, 900_000, 537_500, -102_500, 260_000, 640_000],
        ),
        ("Utan kategori", 0, [None, 0, 200_000, 200_000, None, None, None, None]),
        (
            "Totalt",
            0,
            [2_107_500, 260_000, 1_400_000, 1_660_000, 1_847_500, 647_500, 260_000, 1_200_000],
        ),
    ]
    # Derived cells are formulas; the frames and their use are values.
    assert sheet["E5"].value == "=C5+D5"
    assert sheet["F5"].value == "=B5-H5"
    assert sheet["G5"].value == "=B5-H5-I5"
    assert sheet["C7"].value == "=SUM(C4,C5,C6)"
    assert sheet["B7"].value == 2_107_500
    assert cached(data)["Kategori"]["G5"].value == -102_500


@pytest.mark.parametrize("name", ["Kategori", "Fas", "Period", "Initiativ"])
def test_every_sheet_is_budget_view(tmp_path: Path, name: str) -> None:
    data, _ = xlsx(tmp_path, "--as-of", AS_OF)
    dimension = {"Kategori": "category", "Fas": "phase", "Period": "period"}.get(name, "initiative")
    view = view_of(_bundled(), [dimension], Filters(as_of=date(2024, 2, 27)))
    assert_sheet_is_the_view(data, name, view)


def test_the_asked_grouping_comes_first_nested(tmp_path: Path) -> None:
    data, book = xlsx(tmp_path, "--as-of", AS_OF, "--by", "category", "--by", "initiative")
    assert book.sheetnames == [
        "Kategori – Initiativ",
        "Kategori",
        "Fas",
        "Period",
        "Initiativ",
        "Budgetrader",
    ]
    view = view_of(_bundled(), ["category", "initiative"], Filters(as_of=date(2024, 2, 27)))
    assert_sheet_is_the_view(data, "Kategori – Initiativ", view)
    sheet = book["Kategori – Initiativ"]
    assert sheet["A3"].value == "Kategori / Initiativ"
    assert [(sheet.cell(row, 1).value, sheet.cell(row, 1).font.b) for row in (4, 5)] == [
        ("Ordinarie budget", True),
        ("Ängsgärdet – konkreta idéer snart redo för utvärdering", False),
    ]
    assert sheet["C4"].value == "=SUM(C5,C6,C7)"  # a category sums its initiatives
    by_initiative = xlsx(tmp_path, "--by", "initiative")[1]
    assert by_initiative.sheetnames == ["Initiativ", "Kategori", "Fas", "Period", "Budgetrader"]


def test_the_lines_sheet_shows_each_part_beside_its_whole_line(tmp_path: Path) -> None:
    data, book = xlsx(tmp_path, "--as-of", AS_OF)
    sheet = book["Budgetrader"]
    rows = [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row - 1)
    ]
    assert rows == [
        ["Ordinarie budget", "Måltider och möten, 3 piloter", None, 185_000, 285_000, None],
        ["Ordinarie budget", "Framtidens äldreboende och Ängsgärdet", None, 375_000, 375_000, None],
        ["Pilotbudget", "Måltider och möten, 3 piloter", None, 100_000, 285_000, None],
        ["Pilotbudget", "Trygghetslösning", 260_000, None, 260_000, None],
        ["Pilotbudget", "Civilsamhället som partner", None, 540_000, 540_000, None],
        ["Utan kategori", "Servicetjänster", None, 200_000, 200_000, None],
    ]
    total = sheet.max_row
    assert [sheet.cell(total, c).value for c in (1, 3, 4)] == [
        "Totalt",
        "=SUM(C4:C9)",
        "=SUM(D4:D9)",
    ]
    assert (value(sheet, f"C{total}"), value(sheet, f"D{total}")) == (260_000, 1_400_000)
    assert [cached(data)["Budgetrader"].cell(total, c).value for c in (3, 4)] == [
        260_000,
        1_400_000,
    ]

    shared = xlsx(tmp_path, "--as-of", AS_OF, "--by", "initiative")[1]["Budgetrader"]
    assert [cell.value for cell in shared[3]][:2] == ["Initiativ", "Budgetrad"]
    assert [[cell.value for cell in row] for row in shared.iter_rows(min_row=4, max_row=5)] == [
        [
            "Ängsgärdet – konkreta idéer snart redo för utvärdering",
            "Framtidens äldreboende och Ängsgärdet",
            None,
            187_500,
            375_000,
            "ja",
        ],
        [
            "Framtidens äldreboende – förvaltningsövergripande uppdrag och workshop med KPR",
            "Framtidens äldreboende och Ängsgärdet",
            None,
            187_500,
            375_000,
            "ja",
        ],
    ]


MONEY = FIXTURES / "good" / "money" / "portfolio"


def test_the_lines_sheet_has_spent_and_left_of_decided_as_the_table(tmp_path: Path) -> None:
    """Where money is spent, each line's part shows Utfall and Kvar av beslutat (a
    formula, Beslutat − Utfall) as the table does: spent on a decided part, or
    wherever any was spent; left only of decided money. The total row sums the parts
    to the budget's spent, and its Kvar av beslutat is its Beslutat less its Utfall."""
    root = tmp_path / "portfolio"
    shutil.copytree(MONEY, root)
    # Spending on a proposed line too (check warns; the budget counts it).
    write(
        root,
        "budget/angsgardet.yaml",
        (MONEY / "budget" / "angsgardet.yaml").read_text(encoding="utf-8")
        + "spent:\n  - {date: 2024-04-02, amount: 7000}\n",
    )
    data, book = xlsx(tmp_path, "--as-of", "2024-05-01", root=root)
    sheet = book["Budgetrader"]
    assert [cell.value for cell in sheet[3]] == [
        "Kategori",
        "Budgetrad",
        "Beslutat",
        "Föreslaget",
        "Utfall",
        "Kvar av beslutat",
        "Radens belopp",
        "Delad",
    ]
    assert [cell.alignment.horizontal for cell in sheet[3]][2:] == ["right"] * 5 + ["center"]
    assert sheet.auto_filter.ref == "A3:H7"
    total = sheet.max_row
    assert total == 8
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4, max_row=total)]
    assert rows == [
        [
            "Ordinarie budget",
            "Framtidens äldreboende och Ängsgärdet",
            None,
            375_000,
            7_000,
            None,  # nothing is decided, so nothing is left of it
            375_000,
            None,
        ],
        ["Ordinarie budget", "Måltider och möten, 3 piloter", 185_000, None, 37_000, "=C5-E5",
         285_000, None],
        ["Pilotbudget", "Måltider och möten, 3 piloter", 100_000, None, 20_000, "=C6-E6",
         285_000, None],
        ["Pilotbudget", "Trygghetslösning", 260_000, None, 105_000, "=C7-E7", 260_000, None],
        ["Totalt", None, "=SUM(C4:C7)", "=SUM(D4:D7)", "=SUM(E4:E7)", "=C8-E8", None, None],
    ]  # fmt: skip
    values = cached(data)["Budgetrader"]
    assert [values.cell(row, 6).value for row in range(4, total + 1)] == [
        None,
        148_000,
        80_000,
        155_000,
        545_000 - 169_000,
    ]
    view = view_of(_load_money(root), ["category"], Filters(as_of=date(2024, 5, 1)))
    assert (view.total.decided, view.total.spent, view.total.unspent) == (
        545_000,
        169_000,
        376_000,
    )
    for column, expected in ((3, view.total.decided), (5, view.total.spent), (6, 376_000)):
        coordinate = sheet.cell(total, column).coordinate
        assert value(sheet, coordinate) == values[coordinate].value == expected
    # The lines' Utfall adds up to the summary's, and every line is Beslutat − Utfall.
    assert value(book["Kategori"], "J6") == value(sheet, f"E{total}")
    for row in range(5, total):
        assert value(sheet, f"F{row}") == value(sheet, f"C{row}") - value(sheet, f"E{row}")


def test_the_lines_sheet_without_spending_keeps_its_columns(tmp_path: Path) -> None:
    _, book = xlsx(tmp_path, "--as-of", AS_OF)
    assert "Utfall" not in [cell.value for cell in book["Budgetrader"][3]]


def _load_money(root: Path) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


def test_no_lines_leaves_out_the_lines_sheet(tmp_path: Path) -> None:
    _, book = xlsx(tmp_path, "--no-lines")
    assert book.sheetnames == ["Kategori", "Fas", "Period", "Initiativ"]


def test_amounts_are_integers_in_the_locales_money_format(tmp_path: Path) -> None:
    _, book = xlsx(tmp_path, "--as-of", AS_OF)
    amounts = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=4)
        for cell in row
        if cell.value is not None and cell.data_type in ("n", "f")
    ]
    assert len(amounts) > 60
    assert {cell.number_format for cell in amounts} == {SWEDISH_MONEY}
    assert all(isinstance(cell.value, int) for cell in amounts if cell.data_type == "n")

    _, english = xlsx(tmp_path, "--by", "category", root=ENGLISH)
    sheet = english["Category"]
    assert english.sheetnames == ["Category", "Phase", "Period", "Initiative", "Budget lines"]
    assert [cell.value for cell in sheet[3]] == [
        "Category",
        "Frame",
        "Decided",
        "Proposed",
        "Total",
        "Remaining",
        "If approved",
        "Decided within frames",
        "Proposed within frames",
    ]
    assert sheet["B4"].number_format == '[$-809]"SEK "#,##0;[Red][$-809]-"SEK "#,##0'


def test_the_money_format_follows_the_locale() -> None:
    assert money_format("sv_SE") == SWEDISH_MONEY
    assert money_format("en_GB") == '[$-809]"SEK "#,##0;[Red][$-809]-"SEK "#,##0'
    assert money_format("de_DE") == '[$-407]#,##0" SEK";[Red][$-407]-#,##0" SEK"'


def test_column_widths_fit_the_longest_cell(tmp_path: Path) -> None:
    _, book = xlsx(tmp_path, "--as-of", AS_OF)
    sheet = book["Initiativ"]
    longest = "Framtidens äldreboende – förvaltningsövergripande uppdrag och workshop med KPR"
    assert sheet.column_dimensions["A"].width >= len(longest)
    for letter, header in zip("BCDEFGHI", HEADERS, strict=True):
        assert sheet.column_dimensions[letter].width >= max(len(header), len("1 400 000 kr"))


# --- filters, dates, reproducibility ----------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        ["--initiative", "angsgardet"],
        ["--category", "pilot", "--decided"],
        ["--proposed", "--period", "2024"],
    ],
)
def test_every_sheet_honours_the_filters(tmp_path: Path, filters: list[str]) -> None:
    data, book = xlsx(tmp_path, "--as-of", AS_OF, *filters)
    options: dict[str, Any] = {"as_of": date(2024, 2, 27)}
    if "--initiative" in filters:
        options["initiatives"] = ("angsgardet",)
    if "--category" in filters:
        options["categories"] = ("pilot",)
    if "--period" in filters:
        options["periods"] = (2024,)
    if "--decided" in filters:
        options["decided"] = True
    if "--proposed" in filters:
        options["decided"] = False
    portfolio = _bundled()
    chosen = Filters(**options)
    for name, dimension in [
        ("Kategori", "category"),
        ("Fas", "phase"),
        ("Period", "period"),
        ("Initiativ", "initiative"),
    ]:
        view = view_of(portfolio, [dimension], chosen)
        assert_sheet_is_the_view(data, name, view)
        with speaking("sv"):
            assert book[name]["A2"].value == (show.filtered_note(view) or None)
    lines = book["Budgetrader"]
    titles = [lines.cell(row, 2).value for row in range(4, lines.max_row)]
    expected = {
        "--initiative": ["Framtidens äldreboende och Ängsgärdet"],
        "--category": ["Trygghetslösning"],
        "--proposed": [
            "Måltider och möten, 3 piloter",
            "Framtidens äldreboende och Ängsgärdet",
            "Måltider och möten, 3 piloter",
            "Civilsamhället som partner",
            "Servicetjänster",
        ],
    }
    assert titles == expected[filters[0]]


def test_the_filter_note_names_the_options(tmp_path: Path) -> None:
    _, book = xlsx(tmp_path, "--initiative", "angsgardet")
    assert book["Kategori"]["A2"].value == (
        "Beslutat och Föreslaget räknar bara raderna som --initiative angsgardet väljer ut; "
        "Ram, Kvar och Kvar inkl. förslag räknar alla rader i ramarna."
    )


def test_the_same_portfolio_gives_the_same_bytes(tmp_path: Path) -> None:
    first, book = xlsx(tmp_path, "--as-of", AS_OF)
    second, _ = xlsx(tmp_path, "--as-of", AS_OF)
    assert first == second
    assert book.properties.created == book.properties.modified == datetime(2024, 2, 27)
    assert book.properties.title == TITLE
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    undated, book = xlsx(tmp_path)
    assert undated == xlsx(tmp_path)[0]
    assert book.properties.created == datetime(1980, 1, 1)


def test_a_workbook_needs_a_file_and_the_table_is_no_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "-f", "xlsx"])
    assert result.exit_code == 2
    assert "-o FILE" in result.output
    target = tmp_path / "table.txt"
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "-o", str(target)])
    assert result.exit_code == 2
    assert "the table is for the terminal" in result.output
    assert not target.exists()
    result = runner.invoke(app, ["budget", "-p", str(BUNDLED), "-f", "csv", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbfKategori;Budgetrad;Ram;")


# --- hostile text -----------------------------------------------------------------

HOSTILE = {
    "budget/trygghetslosning.yaml": '=HYPERLINK("http://x","y")',
    "budget/servicetjanster.yaml": "@SUM(1)",
    "budget/civilsamhallet-som-partner.yaml": "+1+1",
    "budget/maltider-och-moten.yaml": "-2-2",
    "initiatives/salus-mea.yaml": "\t=1+1",
    "initiatives/servicetjanster.yaml": "a\rb { DATE } <script>alert(1)</script>",
}


def test_hostile_titles_stay_text(tmp_path: Path, bundled: Path) -> None:
    for relative, title in HOSTILE.items():
        path = bundled / relative
        text = path.read_text(encoding="utf-8")
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        quoted = quoted.replace("\t", "\\t").replace("\r", "\\r")
        text = re.sub(r"(?m)^title: .*$", lambda _, q=quoted: f'title: "{q}"', text)
        write(bundled, relative, text)
    data, book = xlsx(tmp_path, "--by", "initiative", root=bundled)
    texts = {
        cell.value: cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=4)
        for cell in row
        if isinstance(cell.value, str)
    }
    for title in ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "-2-2", " =1+1"]:
        assert texts[title].data_type == "s", title
        assert texts[title].quotePrefix, title
    folded = "a b { DATE } <script>alert(1)</script>"
    assert texts[folded].data_type == "s"
    formulas = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas
    assert all(
        re.fullmatch(r"=(SUM\([A-Z0-9,:]+\)|[A-Z]+[0-9]+([+-][A-Z]+[0-9]+)*)", f) for f in formulas
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = b"".join(archive.read(name) for name in archive.namelist())
    assert b"HYPERLINK" in xml  # as text ...
    assert b"<f>HYPERLINK" not in xml and b"<f>@" not in xml  # ... never a formula
    assert b"\r" not in xml and b"\t" not in xml
