"""The budget as an Excel workbook (`kontrakt budget --format xlsx -o FILE`).

One sheet per grouping: the one asked for (`--by`) first, then by category, phase,
period and initiative, every one with the command's filters and `--as-of`; then the
budget's lines on a sheet of their own (not with `--no-lines`), with what was spent
of each where money is spent. Every sheet is in
the portfolio's language with the table's column headings, a bold, frozen header
row and columns wide enough for what they hold.

Amounts are whole numbers with the locale's money format (`1 310 000 kr` in
Swedish). What follows from other cells is a formula, with its value cached so that
a viewer that computes nothing shows it too: Totalt = Beslutat + Föreslaget, Kvar =
Ram − Beslutat inom ramarna, Kvar inkl. förslag = Ram − both within the frames, a
group's decided and proposed = the SUM of its sub-groups, and the total row = the
SUM of the rows above it. The frames and what their lines use are values.

Text from the portfolio is always a text cell (never a formula, whatever it starts
with), with a quote prefix where Excel would otherwise read it as one when edited.
The same portfolio gives the same bytes: the document's dates are the `--as-of`
day (else 1980-01-01) and the archive's entries carry no time of writing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from kontrakt import currency
from kontrakt.i18n import N_, _, in_portfolio_language
from kontrakt.labels import COLUMNS, DIMENSIONS
from kontrakt.render import budget as show
from kontrakt.render import numbers
from kontrakt.render.output import Output
from kontrakt.render.safe import fold
from kontrakt.views.budget import BudgetView, Group, LineShare, budget_view

if TYPE_CHECKING:
    from kontrakt.render.amounts import AmountTable

if TYPE_CHECKING:
    from kontrakt.portfolio import Portfolio
    from kontrakt.render.budget import BudgetRequest

# The groupings every workbook has, after the one asked for.
STANDARD = (("category",), ("phase",), ("period",), ("initiative",))
LINES_SHEET = N_("Budget lines")
EPOCH = date(1980, 1, 1)  # the document's date without --as-of (and a ZIP's first)
SUMMARY = (*show.AMOUNT_COLUMNS, *show.FRAME_USE_COLUMNS)
FIRST_ROW = 4  # the title, the filters' note, the header; then the table
MAX_WIDTH = 80  # a column's width at most, in characters
_NOT_IN_A_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def xlsx_output(request: BudgetRequest) -> Output:
    return Output(data=workbook(request.portfolio, request.view, lines=request.lines))


def money_format(locale: str) -> str:
    """Excel's number format for whole kronor as the locale writes them: `#,##0" kr"`
    for sv_SE (`,` is Excel's sign for the reader's own group separator), negatives in
    red, and the locale's Windows id (`[$-41D]`) so that LibreOffice groups as it does."""
    import locale as system

    form = currency.money_form(locale)
    codes = {name.casefold(): code for code, name in system.windows_locale.items()}
    code = codes.get(locale.casefold())
    tag = "" if code is None else f"[$-{code:X}]"

    def section(pattern: str) -> str:
        sign = ""
        if pattern.startswith(form.minus):  # a minus first needs no quotes
            sign, pattern = "-", pattern[len(form.minus) :]
        before, _, after = pattern.replace("\u00a0", " ").partition("#")
        quoted = [f'"{part}"' if part else "" for part in (before, after)]
        return f"{tag}{sign}{quoted[0]}#,##0{quoted[1]}"

    return f"{section(form.positive)};[Red]{section(form.negative)}"


def sheets(asked: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The groupings of the workbook's sheets: the asked one first, then the others."""
    return [asked, *(grouping for grouping in STANDARD if grouping != asked)]


@in_portfolio_language
def workbook(portfolio: Portfolio, view: BudgetView, *, lines: bool = True) -> bytes:
    """The workbook's bytes; the same for the same portfolio, view and `lines`."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    locale = portfolio.settings.resolved_locale()
    book = Workbook()
    book.remove(book.active)
    writer = _Writer(book, locale, money_format(locale), show.title(portfolio, view))
    labels = show.labeller(portfolio)
    for grouping in sheets(view.dimensions):
        shown = view
        if grouping != view.dimensions:
            shown = budget_view(portfolio, grouping, view.filters, labels)
        writer.summary(_sheet_name(grouping), shown)
    if lines:
        writer.lines(_(LINES_SHEET), view)
    filters = view.filters

    # Who pays, wherever funders are named in the years shown: on lines, or as a
    # frame's shares.
    def in_years(period: int) -> bool:
        return not filters.periods or period in filters.periods

    named = any(line.funders for line in portfolio.budget.values() if in_years(line.period)) or any(
        frame.funders for frame in portfolio.settings.frames if in_years(frame.period)
    )
    if named and not (filters.categories or filters.initiatives):
        from kontrakt.render import funders as paying
        from kontrakt.views.funders import funders_view

        paid = funders_view(portfolio, filters, paying.labeller(portfolio))
        writer.table(_(paying.FUNDERS_SHEET), paying.table(portfolio, paid, lines=lines))
    day = view.filters.as_of or EPOCH
    properties = book.properties
    properties.title = writer.title
    properties.creator = "kontrakt"
    properties.created = properties.modified = datetime.combine(day, time())
    return writer.bytes()


def _sheet_name(grouping: tuple[str, ...]) -> str:
    """`Kategori`, `Kategori – Initiativ`: what Excel takes as a name (31 characters)."""
    name = " – ".join(_(DIMENSIONS[d]) for d in grouping) or _("Total")
    return _NOT_IN_A_SHEET_NAME.sub(" ", name)[:31]


@dataclass
class _Sheet:
    """A sheet being written, and the widest cell of each of its columns."""

    sheet: Any
    widths: dict[int, int] = field(default_factory=dict)


class _Writer:
    def __init__(self, book: Any, locale: str, money: str, title: str) -> None:
        from openpyxl.styles import Border, Font, PatternFill, Side  # type: ignore[import-untyped]

        self.book = book
        self.locale = locale
        self.money = money
        self.title = title
        self.cached: dict[str, dict[str, int]] = {}  # sheet -> cell -> its formula's value
        # The workbook's own font, named: a font without a name is a serif elsewhere.
        self.bold = Font(name="Calibri", size=11, bold=True)
        self.plain = Font(name="Calibri", size=11)
        self.heading = Font(name="Calibri", size=13, bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.header_border = Border(bottom=Side(style="thin"))
        self.total_border = Border(top=Side(style="thin"), bottom=Side(style="double"))

    # --- the sheets ------------------------------------------------------------

    def summary(self, name: str, view: BudgetView) -> None:
        """The groups of `view` with their amounts, sub-groups indented, the total last."""
        columns = _summary_columns(view)
        headers = [show.first_header(view), *(_(_heading(c)) for c in columns)]
        page = self._start(name, view, headers, amounts=len(columns))
        row = FIRST_ROW

        def write(group: Group, depth: int) -> int:
            nonlocal row
            at = row
            row += 1
            label = self._text(page, at, 1, group.label, indent=depth)
            if group.children:
                label.font = self.bold
            children = [write(child, depth + 1) for child in group.children]
            self._amounts(page, at, group, children, columns)
            return at

        top = [write(group, 0) for group in view.groups]
        self._text(page, row, 1, view.total.label)
        self._amounts(page, row, view.total, top, columns)
        self._style_total(page, row, 1 + len(columns))
        self._finish(page, freeze="B4")

    def table(self, name: str, table: AmountTable) -> None:
        """A plain table of amounts (the funders, spending over time): its rows as
        values, sub-rows indented, the total in bold, the notes under it."""
        headers = [table.first_header, *table.headers]
        page = _Sheet(self.book.create_sheet(name))
        self._text(page, 1, 1, table.title, measured=False).font = self.heading
        self._header(page, headers, range(2, len(headers) + 1))
        row = FIRST_ROW
        for shown in table.rows:
            label = self._text(page, row, 1, shown.label + shown.tail, indent=shown.depth)
            label.font = self.bold if shown.kind == "group" and shown.depth == 0 else self.plain
            for column, value in enumerate(shown.values, start=2):
                if column - 2 in table.plain:
                    if value is not None:
                        page.sheet.cell(row=row, column=column, value=value)
                else:
                    self._money(page, row, column, value)
            if shown.kind == "total":
                self._style_total(page, row, len(headers))
            row += 1
        for note in table.notes:
            self._text(page, row + 1, 1, note, measured=False)
            row += 1
        self._finish(page, freeze="B4")

    def lines(self, name: str, view: BudgetView) -> None:
        """Every line, or its part, in each innermost group of `view`: its place, its
        amount under Beslutat or Föreslaget, where money is spent what was spent of it
        (Utfall) and what is left of the decided (Kvar av beslutat = Beslutat − Utfall),
        as the table shows them, the whole line's amount, and whether it is shared;
        the total row sums the parts."""
        from openpyxl.styles import Alignment

        centred = Alignment(horizontal="center")
        places = [_(DIMENSIONS[d]) for d in view.dimensions]
        amounts = ("decided", "proposed", *(show.SPENDING_COLUMNS if view.spending else ()))
        headers = [
            *places,
            _("Budget line"),
            *(_(COLUMNS[amount]) for amount in amounts),
            _(show.LINE_AMOUNT),
            _(show.SHARED),
        ]
        page = self._start(name, view, headers, amounts=len(amounts) + 1, after=1)
        page.sheet.cell(row=FIRST_ROW - 1, column=len(headers)).alignment = centred
        split = any(d in ("initiative", "status", "kind") for d in view.dimensions)
        first = column = len(places) + 1
        at = {amount: column + offset for offset, amount in enumerate(amounts, start=1)}
        whole, shared = column + len(amounts) + 1, column + len(amounts) + 2
        row = FIRST_ROW
        for path, share in _shares(view):
            for index, label in enumerate(path, start=1):
                self._text(page, row, index, label)
            self._text(page, row, column, share.title)
            self._money(page, row, at["decided" if share.decided else "proposed"], share.amount)
            if view.spending:
                # As the table: spent on a decided part (0 too) or where any was spent;
                # what is left only of decided money.
                if share.decided or share.spent:
                    self._money(page, row, at["spent"], share.spent)
                if share.unspent is not None:
                    self._unspent(page, row, at, share.unspent)
            self._money(page, row, whole, share.line_amount)
            if share.shared and split:
                self._text(page, row, shared, show.shared_mark()).alignment = centred
            row += 1
        self._text(page, row, 1, view.total.label)
        total = view.total
        sums = {"decided": total.decided, "proposed": total.proposed, "spent": total.spent}
        for amount, value in sums.items():
            if amount in at:
                letter = _letter(at[amount])
                summed = f"SUM({letter}{FIRST_ROW}:{letter}{row - 1})"
                self._formula(page, row, at[amount], summed, value)
        if view.spending:
            self._unspent(page, row, at, total.unspent)
        self._style_total(page, row, len(headers))
        last = _letter(len(headers))
        page.sheet.auto_filter.ref = f"A{FIRST_ROW - 1}:{last}{max(row - 1, FIRST_ROW)}"
        self._finish(page, freeze=f"{_letter(first)}{FIRST_ROW}")

    # --- cells -----------------------------------------------------------------

    def _start(
        self, name: str, view: BudgetView, headers: list[str], *, amounts: int, after: int = 0
    ) -> _Sheet:
        """A sheet with the title, the filters' note and the header row; the headers of
        the `amounts` columns before the last `after` ones are right-aligned."""

        right = range(len(headers) - after - amounts + 1, len(headers) - after + 1)
        page = _Sheet(self.book.create_sheet(name))
        self._text(page, 1, 1, self.title, measured=False).font = self.heading
        note = show.filtered_note(view)
        if note:
            self._text(page, 2, 1, note, measured=False)
        self._header(page, headers, right)
        return page

    def _header(self, page: _Sheet, headers: list[str], right: range) -> None:
        """The bold, filled header row; the `right` columns' headers right-aligned."""
        from openpyxl.styles import Alignment

        for column, header in enumerate(headers, start=1):
            cell = self._text(page, FIRST_ROW - 1, column, header)
            cell.font = self.bold
            cell.fill = self.header_fill
            cell.border = self.header_border
            if column in right:
                cell.alignment = Alignment(horizontal="right")

    def _text(
        self,
        page: _Sheet,
        row: int,
        column: int,
        text: str,
        *,
        indent: int = 0,
        measured: bool = True,
    ) -> Any:
        """A text cell that stays text: never a formula, whatever the text starts with."""
        from openpyxl.styles import Alignment

        value = fold(text)
        cell = page.sheet.cell(row=row, column=column)
        cell.value = value
        cell.data_type = "s"  # `=…` would otherwise be stored as a formula
        if show.formula_like(value):
            cell.quotePrefix = True  # and stays text when someone edits the cell
        if indent:
            cell.alignment = Alignment(horizontal="left", indent=indent)
        if measured:
            self._measure(page, column, len(value) + 2 * indent)
        return cell

    def _money(self, page: _Sheet, row: int, column: int, value: int | None) -> None:
        if value is None:
            return
        cell = page.sheet.cell(row=row, column=column, value=value)
        cell.number_format = self.money
        self._measure(page, column, len(numbers.kronor(value, self.locale)))

    def _formula(self, page: _Sheet, row: int, column: int, formula: str, value: int) -> None:
        cell = page.sheet.cell(row=row, column=column, value=f"={formula}")
        cell.number_format = self.money
        self.cached.setdefault(page.sheet.title, {})[cell.coordinate] = value
        self._measure(page, column, len(numbers.kronor(value, self.locale)))

    def _unspent(self, page: _Sheet, row: int, at: dict[str, int], value: int) -> None:
        """Kvar av beslutat on a row: the formula Beslutat − Utfall, and its value."""
        formula = f"{_letter(at['decided'])}{row}-{_letter(at['spent'])}{row}"
        self._formula(page, row, at["unspent"], formula, value)

    def _amounts(
        self,
        page: _Sheet,
        row: int,
        group: Group,
        children: list[int],
        columns: tuple[str, ...] = SUMMARY,
    ) -> None:
        """A group's amounts: B Ram, C Beslutat, D Föreslaget, E Totalt, F Kvar, G Kvar
        inkl. förslag, H and I what every line of its frames has decided and proposed,
        and where money is spent, J Utfall and K Kvar av beslutat (= C − J)."""
        at = {name: index for index, name in enumerate(columns, start=2)}
        cell = {name: f"{_letter(index)}{row}" for name, index in at.items()}
        self._money(page, row, at["frame"], group.frame)
        sums = [("decided", group.decided), ("proposed", group.proposed)]
        if "spent" in at:
            sums.append(("spent", group.spent))
            unspent = f"{cell['decided']}-{cell['spent']}"
            self._formula(page, row, at["unspent"], unspent, group.unspent)
        for name, value in sums:
            if children:
                letter = _letter(at[name])
                parts = ",".join(f"{letter}{child}" for child in children)
                self._formula(page, row, at[name], f"SUM({parts})", value)
            else:
                self._money(page, row, at[name], value)
        self._formula(page, row, at["total"], f"{cell['decided']}+{cell['proposed']}", group.total)
        if group.frame is None or group.remaining is None or group.remaining_if_approved is None:
            return
        self._money(page, row, at["frame_decided"], group.frame_decided)
        self._money(page, row, at["frame_proposed"], group.frame_proposed)
        self._formula(
            page, row, at["remaining"], f"{cell['frame']}-{cell['frame_decided']}", group.remaining
        )
        self._formula(
            page,
            row,
            at["remaining_if_approved"],
            f"{cell['frame']}-{cell['frame_decided']}-{cell['frame_proposed']}",
            group.remaining_if_approved,
        )

    def _style_total(self, page: _Sheet, row: int, columns: int) -> None:
        for column in range(1, columns + 1):
            cell = page.sheet.cell(row=row, column=column)
            cell.font = self.bold
            cell.border = self.total_border

    def _measure(self, page: _Sheet, column: int, width: int) -> None:
        page.widths[column] = max(page.widths.get(column, 0), width)

    def _finish(self, page: _Sheet, *, freeze: str) -> None:
        sheet = page.sheet
        for column, width in page.widths.items():
            # Bold headers and digits are wider than the average character.
            sheet.column_dimensions[_letter(column)].width = min(width + 3, MAX_WIDTH)
        sheet.freeze_panes = freeze
        sheet.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

    # --- the file --------------------------------------------------------------

    def bytes(self) -> bytes:
        """The archive, with each formula's value cached and no time of writing."""
        from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

        written = io.BytesIO()
        with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(self.book, archive).save()
        # A sheet's file name is known once it is written.
        by_file = {
            sheet.path.lstrip("/"): self.cached.get(sheet.title, {})
            for sheet in self.book.worksheets
        }
        result = io.BytesIO()
        with (
            zipfile.ZipFile(written) as source,
            zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for entry in source.infolist():
                data = source.read(entry.filename)
                values = by_file.get(entry.filename)
                if values:
                    data = _with_values(data, values)
                fixed = zipfile.ZipInfo(entry.filename, date_time=(*EPOCH.timetuple()[:3], 0, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = 0o644 << 16
                target.writestr(fixed, data)
        return result.getvalue()


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>')


def _with_values(xml: bytes, values: dict[str, int]) -> bytes:
    """A sheet's XML with each formula's value after it, as Excel caches it."""

    def cached(match: re.Match[bytes]) -> bytes:
        coordinate, attributes, formula = match.groups()
        value = values[coordinate.decode()]
        return b'<c r="%s"%s><f>%s</f><v>%d</v></c>' % (coordinate, attributes, formula, value)

    return _FORMULA_CELL.sub(cached, xml)


def _summary_columns(view: BudgetView) -> tuple[str, ...]:
    """The summary's amount columns: the spending ones last, where money is spent."""
    return (*SUMMARY, *show.SPENDING_COLUMNS) if view.spending else SUMMARY


def _heading(column: str) -> str:
    return show.FRAME_USE.get(column) or COLUMNS[column]


@in_portfolio_language
def tables_workbook(
    portfolio: Portfolio, title: str, tables: list[tuple[str, AmountTable]], day: date | None
) -> bytes:
    """A workbook of plain tables (the funders, spending over time), one sheet each;
    the same bytes for the same tables."""
    from openpyxl import Workbook

    locale = portfolio.settings.resolved_locale()
    book = Workbook()
    book.remove(book.active)
    writer = _Writer(book, locale, money_format(locale), title)
    for name, table in tables:
        writer.table(_NOT_IN_A_SHEET_NAME.sub(" ", name)[:31], table)
    properties = book.properties
    properties.title = title
    properties.creator = "kontrakt"
    properties.created = properties.modified = datetime.combine(day or EPOCH, time())
    return writer.bytes()


def _shares(view: BudgetView) -> Iterable[tuple[list[str], LineShare]]:
    """Each line share of the innermost groups, with the labels of the groups it is in."""

    def walk(groups: list[Group], path: list[str]) -> Iterable[tuple[list[str], LineShare]]:
        for group in groups:
            here = [*path, group.label]
            if group.children:
                yield from walk(group.children, here)
            else:
                for share in group.lines:
                    yield here, share

    if not view.dimensions:
        for share in view.total.lines:
            yield [], share
        return
    yield from walk(view.groups, [])


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    letter: str = get_column_letter(column)
    return letter
