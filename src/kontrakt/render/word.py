"""The agenda and the status report as Word documents (`--format docx`).

Built from the same plain-data contexts as the Markdown (render/agenda.py
`agenda_context`, render/report.py `report_context`), section for section in the
same order, so the facts agree: real headings (Heading 1–4), real lists (List
Bullet, List Bullet 2), real tables (a repeating header row, amounts right-aligned,
columns sized to the page) and the charts of render/charts.py as pictures, each
with its text equivalent as the picture's description (alt text) and a caption.

With the team's own Word file (`--reference`, or `documents: docx:` in
kontrakt.yaml) the document is written into it: its body is emptied, its styles,
headers, footers, page size and margins stay, and its styles are used by name. A
style the template lacks (a file saved by Word holds only the styles it used) is
copied into it from python-docx's default template, list numbering included, so
headings are still headings and lists still lists; docs/documents.md says so.

Text from the portfolio is only ever text: a run's text, never a field, a
hyperlink or XML; control characters are shown as `\\x1b`, line breaks fold into
spaces (a description's blank lines part its paragraphs). The same portfolio and
day give the same bytes: the core properties carry the document's day, and the
zip entries a fixed time.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from xml.etree import ElementTree

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _, ngettext, pgettext, speaking
from kontrakt.portfolio import Portfolio
from kontrakt.render import charts
from kontrakt.render.agenda import AgendaRequest, agenda_context
from kontrakt.render.budget import labeller
from kontrakt.render.output import Output
from kontrakt.render.reference import reference
from kontrakt.render.report import ReportRequest, report_context
from kontrakt.render.safe import fold
from kontrakt.views.asof import known_on
from kontrakt.views.budget import Filters, budget_view
from kontrakt.views.snapshot import Snapshot, snapshot

if TYPE_CHECKING:
    from docx.document import Document
    from docx.shared import Length
    from docx.table import Table
    from docx.text.paragraph import Paragraph

# The styles kontrakt writes with, by the names Word shows.
STYLES = (
    "Normal",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "List Bullet",
    "List Bullet 2",
    "List Continue",
    "Caption",
    "Table Grid",
)
# A budget table's amount columns, and the least its first column needs: the
# categories' names, or (wider) the titles of budget lines too. A page narrower than
# that gets the table on a landscape page of its own.
AMOUNT_COLUMN_CM = 2.0
LABEL_COLUMN_MIN_CM = 4.0
LINES_LABEL_MIN_CM = 5.0
TABLE_FONT_PT = 8
CELL_MARGIN_TWIPS = 45  # 0.08 cm
PICTURE_MAX_WIDTH_CM = 16.0
PICTURE_MAX_HEIGHT_CM = 20.0
PICTURE_SPACE_PT = 8
HEADER_FILL = "D9D9D9"
ALERT_COLOUR = "C00000"
# What XML 1.0 cannot hold and fold() leaves: the two noncharacters of the BMP.
_NONCHARACTER = re.compile("[\ufffe\uffff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a paragraph's text, and how it looks."""

    text: str
    bold: bool = False
    italic: bool = False
    alert: bool = False  # red: money over a frame


Part = str | Span


def bold(text: str) -> Span:
    return Span(text, bold=True)


def italic(text: str) -> Span:
    return Span(text, italic=True)


def clean(value: object) -> str:
    """Text for a run: on one line, every control shown as `\\x1b`, nothing XML refuses."""
    text = fold(str(value))
    return _NONCHARACTER.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _t(message: str, **values: object) -> str:
    """A message of kontrakt's in the document's language, filled as the templates
    fill theirs (`%(name)s`)."""
    text = _(message)
    return text % values if values else text


def _pt(context: str, message: str, **values: object) -> str:
    text = pgettext(context, message)
    return text % values if values else text


def _nt(singular: str, plural: str, num: int, **values: object) -> str:
    return ngettext(singular, plural, num) % {"num": num, **values}


def _marked(message: str, **values: object) -> list[Span]:
    """A translated message that marks its bold parts as Markdown does (`**x**`)."""
    pieces = _(message).split("**")
    return [
        Span(piece % values if "%(" in piece else piece, bold=index % 2 == 1)
        for index, piece in enumerate(pieces)
        if piece
    ]


@cache
def _default_template() -> bytes:
    """python-docx's own template: the styles a team's template may lack come from it."""
    from docx import Document as new_document

    buffer = BytesIO()
    new_document().save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Column:
    """A table's column: its header, its share of the width, whether it holds amounts."""

    header: str
    share: float  # of the width the fixed columns leave
    amount: bool = False
    fixed_cm: float | None = None  # a width of its own instead


class Word:
    """A Word document being written: the team's template or python-docx's default."""

    def __init__(self, template: bytes | None, source: object) -> None:
        from docx import Document as open_document
        from docx.shared import Cm, Mm

        self.source = source
        self._style_ids: dict[str, str] = {}
        if template is None:
            self.doc: Document = open_document()
            section = self.doc.sections[0]
            section.page_width, section.page_height = Mm(210), Mm(297)  # A4
            section.left_margin = section.right_margin = Cm(2.5)
            section.top_margin = section.bottom_margin = Cm(2.2)
        else:
            try:
                self.doc = open_document(BytesIO(template))
                self._empty_body()
            except Exception as exc:  # the team's file: any way it fails to read is its own
                raise self._unreadable(exc) from None
        try:
            for name in STYLES:
                self._ensure_style(name)
        except ProblemFound:
            raise
        except Exception as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: Exception) -> ProblemFound:
        reason = clean(str(exc) or type(exc).__name__)
        return ProblemFound(
            _("{path} is not a Word document kontrakt can write into: {reason}").format(
                path=self.source, reason=reason
            )
        )

    def _empty_body(self) -> None:
        """Nothing of the template's own text stays; its last section's settings (page
        size, margins, headers and footers) do."""
        from docx.oxml.ns import qn

        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    # --- styles the template lacks ------------------------------------------------

    def _has_style(self, name: str) -> bool:
        try:
            self.doc.styles[name]
        except KeyError:
            return False
        return True

    def _ensure_style(self, name: str) -> None:
        """`name` in the document: the template's own, else a copy of the default's."""
        from docx import Document as open_document
        from docx.oxml.ns import qn

        if self._has_style(name):
            return
        default = open_document(BytesIO(_default_template()))
        source = default.styles[name]
        copy = deepcopy(source.element)
        taken = {s.style_id for s in self.doc.styles}
        if copy.get(qn("w:styleId")) in taken:
            copy.set(qn("w:styleId"), f"{copy.get(qn('w:styleId'))}Kontrakt")
        for tag in ("w:basedOn", "w:next"):
            found = copy.find(qn(tag))
            if found is None:
                continue
            named = next(
                (s.name for s in default.styles if s.style_id == found.get(qn("w:val"))), None
            )
            if named is None or named == name:
                copy.remove(found)
                continue
            self._ensure_style(named)
            found.set(qn("w:val"), self.doc.styles[named].style_id)
        link = copy.find(qn("w:link"))
        if link is not None:
            copy.remove(link)  # the linked character style is optional
        number = copy.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if number is not None:
            number.set(
                qn("w:val"), str(self._copy_numbering(default, int(number.get(qn("w:val")))))
            )
        self.doc.styles.element.append(copy)

    def _copy_numbering(self, default: Document, number: int) -> int:
        """The default template's list numbering `number` in this document; its id here."""
        from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.oxml.ns import qn
        from docx.parts.numbering import NumberingPart

        source = default.part.numbering_part.element
        num = source.num_having_numId(number)
        abstract_id = num.abstractNumId.val
        abstract = next(
            a
            for a in source.findall(qn("w:abstractNum"))
            if a.get(qn("w:abstractNumId")) == str(abstract_id)
        )
        part = self.doc.part
        try:
            numbering = cast(NumberingPart, part.part_related_by(RELATIONSHIP_TYPE.NUMBERING))
        except KeyError:  # a template without lists has no numbering part: a new one
            from docx.oxml.parser import parse_xml

            element = parse_xml(
                '<w:numbering xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"/>'
            )
            name = "/word/numbering.xml"
            names = {str(p.partname) for p in part.package.iter_parts()}
            counter = 1
            while name in names:
                counter += 1
                name = f"/word/numbering{counter}.xml"
            numbering = NumberingPart(
                PackURI(name), CONTENT_TYPE.WML_NUMBERING, element, part.package
            )
            part.relate_to(numbering, RELATIONSHIP_TYPE.NUMBERING)
        target = numbering.element
        used = [int(a.get(qn("w:abstractNumId"))) for a in target.findall(qn("w:abstractNum"))]
        new_id = max(used, default=-1) + 1
        copied = deepcopy(abstract)
        copied.set(qn("w:abstractNumId"), str(new_id))
        first_num = target.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(copied)  # every abstractNum comes before the nums
        else:
            target.append(copied)
        added: int = target.add_num(new_id).numId
        return added

    # --- the page -----------------------------------------------------------------

    def text_width(self) -> Length:
        from docx.shared import Cm, Emu, Mm

        section = self.doc.sections[-1]
        width = section.page_width or Mm(210)
        left = section.left_margin if section.left_margin is not None else Cm(2.5)
        right = section.right_margin if section.right_margin is not None else Cm(2.5)
        return Emu(max(width - left - right, Cm(4)))

    def _turn(self, landscape: bool) -> None:
        """A new page in a section of its own, turned as asked."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = section.page_width, section.page_height
        if width is not None and height is not None and (width < height) == landscape:
            section.page_width, section.page_height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT

    # --- blocks -------------------------------------------------------------------

    def _style_id(self, name: str) -> str:
        """A style's id by its name, looked up once: python-docx looks it up (and the
        default style of its kind) anew for every paragraph given a name."""
        found = self._style_ids.get(name)
        if found is None:
            found = self._style_ids[name] = str(self.doc.styles[name].style_id)
        return found

    def heading(self, text: str, level: int) -> None:
        self.paragraph(clean(text), style=f"Heading {level}")

    def paragraph(self, *parts: Part, style: str | None = None) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if style is not None:
            paragraph._p.style = self._style_id(style)
        _add_runs(paragraph, parts)
        return paragraph

    def bullet(self, *parts: Part, level: int = 1) -> Paragraph:
        return self.paragraph(*parts, style="List Bullet" if level == 1 else "List Bullet 2")

    def text(self, value: str, style: str | None = None) -> None:
        """A description: its blank lines part paragraphs, other breaks fold."""
        for piece in _PARAGRAPH_BREAK.split(value.strip()):
            if piece.strip():
                self.paragraph(piece.strip(), style=style)

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Part]],
        *,
        indents: Sequence[int] = (),
        size: int | None = None,
        tight: bool = False,
    ) -> Table:
        """A table with a header row that repeats on every page, columns of fixed
        widths that fill the page's text width, amounts right-aligned. `tight`: narrow
        cell margins, for a table of many amounts."""
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm, Emu, Pt

        rows = list(rows)
        table: Table = self.doc.add_table(rows=1 + len(rows), cols=len(columns))
        table._tbl.tblStyle_val = self._style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False  # a fixed layout: the widths below hold
        if tight:
            margins = OxmlElement("w:tblCellMar")
            for side in ("left", "right"):
                margin = OxmlElement(f"w:{side}")
                margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
                margin.set(qn("w:type"), "dxa")
                margins.append(margin)
            table._tbl.tblPr.insert_element_before(
                margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
            )
        fixed = sum(Cm(c.fixed_cm) for c in columns if c.fixed_cm is not None)
        shares = sum(c.share for c in columns if c.fixed_cm is None) or 1
        left = max(self.text_width() - fixed, 0)
        widths = [
            Cm(c.fixed_cm) if c.fixed_cm is not None else Emu(int(left * c.share / shares))
            for c in columns
        ]
        for index, width in enumerate(widths):
            table.columns[index].width = width
        header = table.rows[0]
        properties = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        properties.append(repeat)
        for row_index, row in enumerate(table.rows):
            if row_index:
                keep = OxmlElement("w:cantSplit")
                row._tr.get_or_add_trPr().append(keep)
            content: Sequence[Part] = (
                [bold(c.header) for c in columns] if row_index == 0 else rows[row_index - 1]
            )
            for index, cell in enumerate(row.cells):
                cell.width = widths[index]
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_before = Pt(1)
                paragraph.paragraph_format.space_after = Pt(1)
                part = content[index] if index < len(content) else ""
                _add_runs(paragraph, [part], size=size)
                if size is not None:  # an empty cell's line is as high as the text's
                    mark = OxmlElement("w:rPr")
                    for tag in ("w:sz", "w:szCs"):
                        measure = OxmlElement(tag)
                        measure.set(qn("w:val"), str(size * 2))
                        mark.append(measure)
                    paragraph._p.get_or_add_pPr().insert_element_before(
                        mark, "w:sectPr", "w:pPrChange"
                    )
                if columns[index].amount:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if row_index == 0:
                    shading = OxmlElement("w:shd")
                    shading.set(qn("w:val"), "clear")
                    shading.set(qn("w:color"), "auto")
                    shading.set(qn("w:fill"), HEADER_FILL)
                    cell._tc.get_or_add_tcPr().append(shading)
                elif index == 0 and row_index - 1 < len(indents) and indents[row_index - 1]:
                    paragraph.paragraph_format.left_indent = Cm(0.4 * indents[row_index - 1])
        return table

    def budget_table(
        self,
        table: dict[str, Any],
        *,
        heading: tuple[str, int] | None = None,
        chart: Chart | None = None,
    ) -> None:
        """The budget by category against its frames (render/budget.py markdown_table):
        every column of the Markdown, then the chart. A table that lists budget lines
        needs room for their titles: where the page is too narrow, the heading, the
        table and the chart get a landscape page of their own."""
        from docx.shared import Cm

        amounts = len(table["headers"])
        lines = any(row["kind"] == "line" for row in table["rows"])
        label = LINES_LABEL_MIN_CM if lines else LABEL_COLUMN_MIN_CM
        turn = self.text_width() < Cm(label + AMOUNT_COLUMN_CM * amounts)
        if turn:
            self._turn(landscape=True)
        if heading is not None:
            self.heading(*heading)
        if table["note"]:
            self.paragraph(italic(table["note"]))
        columns = [
            Column(table["first_header"], 1),
            *(
                Column(header, 0, amount=True, fixed_cm=AMOUNT_COLUMN_CM)
                for header in table["headers"]
            ),
        ]
        rows: list[list[Part]] = []
        indents: list[int] = []
        for row in table["rows"]:
            strong = row["kind"] == "total" or (row["kind"] == "group" and row["depth"] == 0)
            label = row["text"]
            title = Span(label, bold=strong, italic=row["kind"] == "line")
            cells: list[Part] = [
                Span(str(cell["text"]), bold=row["kind"] == "total") for cell in row["cells"]
            ]
            if row["over_frame"]:
                title = Span(f"{label} ⚠ {_t('over the frame')}", bold=strong, alert=True)
                cells[-1] = Span(str(row["cells"][-1]["text"]), bold=True, alert=True)
            rows.append([title, *cells])
            indents.append(row["depth"] + (1 if row["kind"] == "line" else 0))
        self.table(columns, rows, indents=indents, size=TABLE_FONT_PT, tight=True)
        self.paragraph(italic(table["legend"]))
        if table["shared"]:
            self.paragraph(_t("* Shared budget line: the amount is split between the initiatives."))
        if chart is not None:
            self.picture(chart)
        if turn:
            self._turn(landscape=False)

    def text_height(self) -> Length:
        from docx.shared import Cm, Emu, Mm

        section = self.doc.sections[-1]
        height = section.page_height or Mm(297)
        top = section.top_margin if section.top_margin is not None else Cm(2.2)
        bottom = section.bottom_margin if section.bottom_margin is not None else Cm(2.2)
        return Emu(max(height - top - bottom, Cm(4)))

    def picture(self, chart: Chart) -> None:
        """A chart: the picture, its description (alt text) the text equivalent, and
        a caption under it; as wide as the text, at most 16 cm, and no taller than
        most of the page."""
        from docx.shared import Cm, Emu, Pt

        width = min(self.text_width(), Cm(PICTURE_MAX_WIDTH_CM))
        tallest = min(Cm(PICTURE_MAX_HEIGHT_CM), Emu(int(self.text_height() * 0.6)))
        paragraph = self.doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(PICTURE_SPACE_PT)
        shape = paragraph.add_run().add_picture(BytesIO(chart.png), width=width)
        if shape.height > tallest:
            shape.width = Emu(int(shape.width * tallest / shape.height))
            shape.height = tallest
        properties = shape._inline.docPr
        properties.set("title", clean(chart.caption))
        properties.set("descr", clean(chart.description))
        self.paragraph(chart.caption, style="Caption")

    def save(self, title: str, author: str, day: date, language: str) -> bytes:
        """The document's bytes: the same for the same content and day."""
        properties = self.doc.core_properties
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        properties.title = clean(title)
        properties.author = clean(author)
        properties.last_modified_by = clean(author)
        properties.created = moment
        properties.modified = moment
        properties.revision = 1
        properties.language = language
        properties.comments = ""
        properties.keywords = ""
        properties.subject = ""
        properties.category = ""
        properties.content_status = ""
        package = self.doc.part.package
        for key, relation in list(package.rels.items()):
            if relation.reltype.endswith("/thumbnail"):  # the template's, not this document's
                del package.rels[key]
        buffer = BytesIO()
        self.doc.save(buffer)
        return _fixed_times(buffer.getvalue(), day)


def _add_runs(paragraph: Paragraph, parts: Iterable[Part], *, size: int | None = None) -> None:
    from docx.shared import Pt, RGBColor

    for part in parts:
        span = part if isinstance(part, Span) else Span(part)
        if not span.text:
            continue
        run = paragraph.add_run(clean(span.text))
        if span.bold:
            run.bold = True
        if span.italic:
            run.italic = True
        if span.alert:
            run.font.color.rgb = RGBColor.from_string(ALERT_COLOUR)
        if size is not None:
            run.font.size = Pt(size)


def _fixed_times(data: bytes, day: date) -> bytes:
    """The zip with every entry dated the document's day (zip's dates start in 1980)."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _description(svg: str) -> str:
    """A chart's text equivalent: the <desc> kontrakt wrote into its own SVG."""
    found = ElementTree.fromstring(svg).find("{http://www.w3.org/2000/svg}desc")
    return "" if found is None or found.text is None else found.text


def _template(portfolio: Portfolio, given: Path | None) -> tuple[bytes | None, object]:
    named = given if given is not None else portfolio.settings.documents.docx
    return reference(portfolio, given, "docx"), named


# --- charts -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chart:
    png: bytes
    caption: str
    description: str


def _budget_chart(known: Portfolio, day: date) -> Chart:
    view = budget_view(known, ["category"], Filters(as_of=day), labeller(known))
    caption = _("Budget against the frames")
    svg = charts.budget_svg(charts.budget_bars(view), known.settings.resolved_locale(), caption)
    return Chart(charts.svg_to_png(svg), caption, _description(svg))


def _status_chart(snap: Snapshot) -> Chart:
    caption = _("Initiatives by status")
    svg = charts.status_svg(charts.status_counts(snap), caption)
    return Chart(charts.svg_to_png(svg), caption, _description(svg))


def _weave_chart(known: Portfolio, snap: Snapshot) -> Chart:
    caption = _("The portfolio's weave")
    svg = charts.weave_svg(known, snap, caption)
    return Chart(charts.svg_to_png(svg), caption, _description(svg))


# --- the agenda ---------------------------------------------------------------------


def agenda_docx(request: AgendaRequest) -> Output:
    portfolio = request.portfolio
    plan = request.plan
    template, source = _template(portfolio, request.reference)
    settings = portfolio.settings
    with speaking(settings.language):
        context = agenda_context(portfolio, plan)
        known = known_on(portfolio, plan.day)
        word = Word(template, source)
        write_agenda(
            word,
            context,
            budget=_budget_chart(known, plan.day),
            status=_status_chart(plan.snapshot),
        )
        title = f"{context['meeting']['title']}: {context['mission']}"
        return Output(data=word.save(title, settings.name, plan.day, settings.language))


def write_agenda(word: Word, c: dict[str, Any], *, budget: Chart, status: Chart) -> None:
    """The agenda's sections, in templates/agenda.md.j2's order and words."""
    meeting = c["meeting"]
    if c["draft"]:
        word.paragraph(
            italic(
                _t(
                    "Draft: there is no meeting file for %(day)s in meetings/, so everything "
                    "below comes from the portfolio as of that date.",
                    day=c["day"],
                )
            )
        )
    word.heading(f"{meeting['title']}: {c['mission']}", 1)
    when: list[Part] = [bold(c["name"]), f" · {c['month']} · {c['day']}"]
    if meeting["start"]:
        end = f"–{meeting['end']}" if meeting["end"] else ""
        when.append(f" · {meeting['start']}{end}")
    if meeting["place"]:
        when.append(f" · {meeting['place']}")
    word.paragraph(*when)

    word.heading(_t("News from %(name)s", name=c["name"]), 2)
    for item in c["news"]:
        word.bullet(item["title"])
        if item["description"]:
            word.text(item["description"], style="List Continue")
    if not c["news"]:
        previous = c["previous"]
        word.bullet(
            _t("No news since the last meeting on %(day)s.", day=previous)
            if previous
            else _t("No news since the last meeting.")
        )
    if c["events"]:
        word.heading(_t("Upcoming events"), 3)
        word.table(
            [
                Column(_t("Event"), 4.2),
                Column(_t("Date"), 2.2),
                Column(_t("Time"), 1.6),
                Column(_t("Place"), 3.0),
            ],
            [
                [
                    event["title"],
                    _dates(event),
                    _times(event),
                    event["place"] or "",
                ]
                for event in c["events"]
            ],
        )

    word.heading(_pt("agenda", "Initiatives"), 2)
    for group in c["groups"]:
        word.heading(group["label"], 3)
        for item in group["initiatives"]:
            word.bullet(item["title"])
    word.picture(status)

    word.heading(_t("Since the last meeting"), 2)
    for item in c["since"]:
        word.heading(item["title"], 3)
        for entry in item["entries"]:
            word.bullet(entry["line"])
            for note in entry["notes"]:
                word.bullet(note, level=2)
    if not c["since"]:
        previous = c["previous"]
        word.paragraph(
            _t("Nothing new on the initiatives since the last meeting on %(day)s.", day=previous)
            if previous
            else _t("Nothing new on the initiatives.")
        )
    for heading, actions in (
        (_t("Open actions"), c["actions"]["open"]),
        (_t("Done since the last meeting"), c["actions"]["done"]),
    ):
        if actions:
            word.heading(heading, 3)
            for action in actions:
                word.bullet(action["line"])

    word.heading(_t("Budget"), 2)
    for phase in c["budget"]["phases"]:
        word.heading(phase["label"], 3)
        for line in phase["lines"]:
            if line["decided"]:
                state = (
                    _pt("agenda", "decided %(day)s", day=line["decided_on"])
                    if line["decided_on"]
                    else _pt("agenda", "decided")
                )
            else:
                state = _t("proposed")
            said = f" {line['details']} – {state}{line['spent_said']}"
            word.bullet(bold(f"{line['title']}:"), said)
    word.heading(_t("Against the frames"), 3)
    for row in c["budget"]["frames"]:
        if row["frame"]:
            parts: list[Part] = [
                bold(f"{_t('Total %(label)s', label=row['label'].lower())}:"),
                " "
                + _t(
                    "%(frame)s; decided %(decided)s, proposed %(proposed)s, remaining "
                    "%(remaining)s, remaining if the proposals pass %(if_approved)s",
                    frame=row["frame"],
                    decided=row["decided"],
                    proposed=row["proposed"],
                    remaining=row["remaining"],
                    if_approved=row["remaining_if_approved"],
                )
                + row["spent_said"],
            ]
            if row["over_frame"]:
                parts.append(Span(f" ⚠ {_t('over the frame')}", bold=True, alert=True))
            word.bullet(*parts)
        else:
            word.bullet(
                bold(f"{row['label']}:"),
                " "
                + _t(
                    "decided %(decided)s, proposed %(proposed)s (counts against no frame)",
                    decided=row["decided"],
                    proposed=row["proposed"],
                )
                + row["spent_said"],
            )
    word.budget_table(c["budget"]["table"], chart=budget)

    word.heading(_t("Research"), 2)
    _by_kind(word, c["by_kind"].get("research", []))
    word.heading(_t("…and education"), 3)
    _by_kind(word, c["by_kind"].get("education", []))

    word.heading(_t("Open questions"), 2)
    for question in c["questions"]:
        word.heading(question["title"], 3)
        for point in question["points"]:
            word.bullet(point)
        concerns = _addressed(question)
        if concerns:
            word.paragraph(" · ".join(concerns))
    if not c["questions"]:
        word.paragraph(_t("No open questions."))
    if c["answered"]:
        word.heading(_t("Answered since the last meeting"), 3)
        for question in c["answered"]:
            word.bullet(bold(question["title"]), f" ({question['answered']}): {question['answer']}")
    if meeting["decisions"]:
        word.heading(_t("Decisions"), 2)
        for decision in meeting["decisions"]:
            word.bullet(decision["line"])

    word.heading(_t("Communication"), 2)
    prompts = meeting["communication"] or [
        _t("What have we done?"),
        _t("What do we need to focus on now?"),
        _t("What do others need to know?"),
    ]
    for prompt in prompts:
        word.bullet(prompt)
    if meeting["notes"]:
        word.heading(_t("Other"), 2)
        for note in meeting["notes"]:
            word.bullet(note)


def _dates(event: dict[str, Any]) -> str:
    text: str = event["date"] or ""
    if event["end_date"] and event["end_date"] != event["date"]:
        text += f"–{event['end_date']}"
    return text


def _times(event: dict[str, Any]) -> str:
    if not event["start"]:
        return ""
    return f"{event['start']}–{event['end']}" if event["end"] else str(event["start"])


def _by_kind(word: Word, items: list[dict[str, Any]]) -> None:
    for item in items:
        word.bullet(item["title"])
        for note in item["notes"]:
            word.bullet(note, level=2)
    if not items:
        word.bullet(_t("Nothing to bring up."))


def _addressed(question: dict[str, Any]) -> list[str]:
    said = []
    if question["to"]:
        said.append(_t("To: %(to)s", to=question["to"]))
    if question["initiatives"]:
        said.append(_t("Concerns: %(initiatives)s", initiatives=", ".join(question["initiatives"])))
    return said


# --- the report ---------------------------------------------------------------------


def report_docx(request: ReportRequest) -> Output:
    portfolio = request.portfolio
    template, source = _template(portfolio, request.reference)
    settings = portfolio.settings
    with speaking(settings.language):
        snap = snapshot(portfolio, request.day, request.days)
        context = report_context(portfolio, snap, diagram=request.diagram)
        known = known_on(portfolio, request.day)
        drawn = context["mermaid"] is not None
        word = Word(template, source)
        write_report(
            word,
            context,
            budget=_budget_chart(known, request.day),
            status=_status_chart(snap),
            weave=_weave_chart(known, snap) if drawn else None,
            ties=_ties(known, snap) if drawn else [],
            outcomes=_outcome_charts(known),
        )
        title = _t("Status report: %(mission)s", mission=context["mission"])
        return Output(data=word.save(title, settings.name, request.day, settings.language))


def _outcome_charts(known: Portfolio) -> dict[str, Chart]:
    """Each indicator's chart as a picture, by the indicator's id."""
    from kontrakt.render.outcomes import outcome_charts

    found = {}
    for key, svg in outcome_charts(known).items():
        caption = _("%(title)s over time") % {"title": known.indicators[key].title}
        found[key] = Chart(charts.svg_to_png(svg), caption, _description(svg))
    return found


def _ties(known: Portfolio, snap: Snapshot) -> list[str]:
    """The weave in words, one line per tie, as the chart's lanes name them."""
    titles = {key: item.title for key, item in known.initiatives.items()}
    lines = []
    for tie in charts.weave_ties(known, snap):
        names = [titles.get(end, end) for end in tie.ends]
        if tie.kind == "relation":
            lines.append(
                f"{names[0]} → {names[1]}" + (f" ({tie.label.lower()})" if tie.label else "")
            )
        else:
            word = _("Shared budget line") if tie.kind == "budget" else _("Event")
            lines.append(f"{word} {tie.label}: {', '.join(names)}")
    return lines


def write_report(
    word: Word,
    c: dict[str, Any],
    *,
    budget: Chart,
    status: Chart,
    weave: Chart | None,
    ties: list[str],
    outcomes: dict[str, Chart] | None = None,
) -> None:
    """The report's sections, in templates/report.md.j2's order and words."""
    word.heading(_t("Status report: %(mission)s", mission=c["mission"]), 1)
    word.paragraph(f"{c['name']} · {_t('status as of %(day)s', day=c['day'])}")
    if c["description"]:
        word.text(c["description"])

    word.heading(_t("Summary"), 2)
    counts = c["counts"]
    by_status = ", ".join(f"{g['count']} {g['label'].lower()}" for g in counts["by_status"])
    initiatives = _nt("%(num)s initiative", "%(num)s initiatives", counts["initiatives"])
    word.bullet(bold(f"{initiatives}:"), f" {by_status}")
    money = c["budget"]
    values = {
        "total": money["total"],
        "decided": money["decided"],
        "proposed": money["proposed"],
    }
    if money["frames"]:
        said = _t(
            "budget lines of %(total)s: %(decided)s decided and %(proposed)s proposed, "
            "against frames of %(frames)s",
            frames=money["frames"],
            **values,
        )
    else:
        said = _t(
            "budget lines of %(total)s: %(decided)s decided and %(proposed)s proposed", **values
        )
    heading = bold(f"{_t('Budget %(periods)s', periods=money['periods'])}:")
    word.bullet(heading, f" {said}{money['spent_said']}")
    for over in money["over"]:
        word.bullet(
            *_marked(
                "**%(label)s** exceeds its frame by %(by)s if the proposals pass",
                label=over["label"],
                by=over["by"],
            )
        )
    upcoming = _nt(
        "%(count)s in the next %(num)s day",
        "%(count)s in the next %(num)s days",
        c["days"],
        count=counts["upcoming_events"],
    )
    word.bullet(bold(f"{_t('Events')}:"), f" {upcoming}")
    word.bullet(bold(f"{_t('Open questions')}:"), f" {counts['open_questions']}")
    word.picture(status)

    if c.get("news"):
        word.heading(_t("News"), 2)
        for item in c["news"]:
            word.bullet(bold(f"{item['date']}:"), f" {item['title']}")
            if item["description"]:
                word.text(item["description"], style="List Continue")

    if c["weave_note"]:
        word.heading(_t("The portfolio's weave"), 2)
        word.paragraph(c["weave_note"])
    if weave is not None:
        word.heading(_t("The portfolio's weave"), 2)
        word.picture(weave)
        for tie in ties:
            word.bullet(tie)

    word.heading(_t("Initiatives"), 2)
    for group in c["groups"]:
        word.heading(group["label"], 3)
        _initiatives(word, group)

    if c["outcomes"]:
        _outcomes(word, c["outcomes"], outcomes or {})

    word.budget_table(money["table"], heading=(_t("Budget"), 2), chart=budget)

    word.heading(_t("Events"), 2)
    events = c["events"]
    columns = [
        Column(_t("Date and time"), 3.2),
        Column(_t("Event"), 4.6),
        Column(_t("Kind"), 2.4),
        Column(_t("Place"), 3.4),
    ]
    if events["upcoming"]:
        word.heading(_nt("Upcoming (%(num)s day)", "Upcoming (%(num)s days)", c["days"]), 3)
        word.table(columns, [_event_row(e) for e in events["upcoming"]])
    if events["past"]:
        word.heading(_t("Past"), 3)
        word.table(columns, [_event_row(e) for e in events["past"]])
    if events["undated"]:
        word.heading(_t("Not yet dated"), 3)
        for event in events["undated"]:
            text = f"{event['title']} ({event['kind'].lower()})"
            series = event["series"]
            if series:
                if series["count"]:
                    text += ", " + _t(
                        "%(number)s of %(count)s in the series %(name)s",
                        number=series["number"],
                        count=series["count"],
                        name=series["name"],
                    )
                else:
                    text += ", " + _t(
                        "%(number)s in the series %(name)s",
                        number=series["number"],
                        name=series["name"],
                    )
            word.bullet(text)
    if not (events["upcoming"] or events["past"] or events["undated"]):
        word.paragraph(_t("No events."))

    word.heading(_t("Open questions"), 2)
    questions = c["questions"]
    for question in questions["open"]:
        word.heading(question["title"], 3)
        for point in question["points"]:
            word.bullet(point)
        word.paragraph(
            " · ".join([*_addressed(question), _t("Raised %(day)s", day=question["raised"])])
        )
    if not questions["open"]:
        word.paragraph(_t("No open questions."))
    if questions["answered"]:
        word.heading(_t("Answered"), 3)
        for question in questions["answered"]:
            word.bullet(bold(question["title"]), f" ({question['answered']}): {question['answer']}")

    actions = c["actions"]
    if actions:
        word.heading(_t("Actions"), 2)
        word.heading(_t("Open actions"), 3)
        for action in actions["open"]:
            word.bullet(action["line"])
        if not actions["open"]:
            word.paragraph(_t("No open actions."))
        if actions["done"]:
            word.heading(_nt("Done (%(num)s day)", "Done (%(num)s days)", c["days"]), 3)
            for action in actions["done"]:
                word.bullet(action["line"])

    word.heading(_t("Decisions"), 2)
    for decision in c["decisions"]:
        word.bullet(decision["line"])
    if not c["decisions"]:
        word.paragraph(_t("No decisions as of %(day)s.", day=c["day"]))


def _outcomes(word: Word, items: list[dict[str, Any]], pictures: dict[str, Chart]) -> None:
    """The outcomes section: the indicators in a table, then each with its chart."""
    word.heading(_t("Outcomes"), 2)
    columns = [
        Column(_t("Indicator"), 3.4),
        Column(_t("Baseline"), 3.3),
        Column(_t("Latest"), 3.3),
        Column(_t("Target"), 3.3),
        Column(_t("Progress"), 2.0),
    ]

    def point(given: dict[str, str] | None) -> str:
        return f"{given['value']} ({given['date']})" if given else "–"

    word.table(
        columns,
        [
            [
                item["title"],
                point(item["baseline"]),
                point(item["latest"]),
                point(item["target"]),
                item["progress"] or "–",
            ]
            for item in items
        ],
        size=9,
        tight=True,
    )
    for item in items:
        word.heading(item["title"], 3)
        if item["description"]:
            word.text(item["description"])
        said = f"{item['unit'].capitalize()}, {item['direction']}."
        if item["progress_said"]:
            said += f" {item['progress_said']}"
        word.paragraph(said)
        if item["id"] in pictures:
            word.picture(pictures[item["id"]])
        if item["initiatives"]:
            word.paragraph(
                _t("Worked on by: %(initiatives)s.", initiatives=", ".join(item["initiatives"]))
            )
        else:
            word.paragraph(_t("No initiative works on it."))


def _event_row(event: dict[str, Any]) -> list[Part]:
    return [event["when"] or "", event["title"], event["kind"], event["place"] or ""]


def _initiatives(word: Word, group: dict[str, Any]) -> None:
    """A status's initiatives as the report's Markdown shows them: a table of title,
    kind, partners (where any has them) and budget, then a paragraph for each that
    has more to say."""
    partners = group["partners"]
    columns = [
        Column(_t("Initiative"), 3),
        Column(_t("Kind"), 2.4),
        *([Column(_t("Partners"), 1.5)] if partners else []),
        Column(_t("Budget"), 1.7),
    ]
    rows: list[list[Part]] = []
    for item in group["initiatives"]:
        row: list[Part] = [bold(item["title"]), item["kind"] or "–"]
        if partners:
            row.append(", ".join(item["organisations"]) or "–")
        row.append(item["budget_summary"] or "–")
        rows.append(row)
    from docx.shared import Pt

    word.table(columns, rows)
    for item in group["initiatives"]:
        if not item["detailed"]:
            continue
        paragraph = word.paragraph(
            bold(item["lead"]),
            *(Span(f" {said['text']}", alert=said["alert"]) for said in item["sentences"]),
        )
        paragraph.paragraph_format.space_before = Pt(PICTURE_SPACE_PT)
        if item["description"]:
            word.text(item["description"])
