"""Word documents (`agenda --format docx`, `report --format docx`), read back.

Each document is read with python-docx and held against the Markdown of the same
day: the same headings at the same levels in the same order, the same list items
as List Bullet paragraphs, the budget as a real table whose totals are
budget_view's, the charts as pictures with a text equivalent. A team template
given with --reference is written into; a broken one is a clean error; text from
the portfolio stays text.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from typer.testing import CliRunner

from conftest import BUNDLED, MINIMAL_SETTINGS, write
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.render import formats, numbers
from kontrakt.render.agenda import AgendaRequest, render_agenda
from kontrakt.render.budget import labeller
from kontrakt.render.report import ReportRequest, render_report
from kontrakt.views.agenda import agenda
from kontrakt.views.asof import known_on
from kontrakt.views.budget import Filters, budget_view

runner = CliRunner()
WORD = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MEETING = date(2024, 2, 27)


def _load(root: Path = BUNDLED) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


def _agenda_docx(root: Path = BUNDLED, reference: Path | None = None) -> bytes:
    portfolio = _load(root)
    request = AgendaRequest(portfolio, agenda(portfolio, MEETING), None, reference)
    data = formats.renderer("agenda", "docx")(request).data
    assert data is not None
    return data


def _report_docx(root: Path = BUNDLED, reference: Path | None = None) -> bytes:
    data = formats.renderer("report", "docx")(
        ReportRequest(_load(root), MEETING, 60, None, reference)
    ).data
    assert data is not None
    return data


def _open(data: bytes) -> DocumentType:
    return Document(BytesIO(data))


def _headings(doc: DocumentType) -> list[tuple[int, str]]:
    found = []
    for paragraph in doc.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name.startswith("Heading "):
            found.append((int(name.removeprefix("Heading ")), paragraph.text))
    return found


def _plain(markdown: str) -> str:
    """A Markdown line's text as a reader sees it: no escapes, no emphasis marks."""
    text = re.sub(r"\\(.)", r"\1", markdown)
    return text.replace("**", "").replace("\u00a0\u00a0", "").strip()


def _markdown_headings(markdown: str) -> list[tuple[int, str]]:
    return [
        (len(match.group(1)), _plain(match.group(2)))
        for match in re.finditer(r"^(#{1,6}) (.+)$", markdown, re.MULTILINE)
        if not match.group(2).startswith("mermaid")
    ]


def _markdown_bullets(markdown: str) -> list[tuple[int, str]]:
    """Every list item of the Markdown, with its level (1, or 2 when indented)."""
    bullets = []
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        match = re.match(r"^( *)- (.+)$", line)
        if match:
            bullets.append((1 + len(match.group(1)) // 2, _plain(match.group(2))))
    return bullets


def _bullets(doc: DocumentType) -> list[tuple[int, str]]:
    levels = {"List Bullet": 1, "List Bullet 2": 2}
    return [
        (levels[p.style.name], p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name in levels
    ]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _xml(data: bytes, name: str = "word/document.xml") -> str:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def _pictures(doc: DocumentType) -> list[dict[str, str]]:
    found = []
    for shape in doc.inline_shapes:
        properties = shape._inline.docPr
        found.append(
            {"descr": properties.get("descr") or "", "title": properties.get("title") or ""}
        )
    return found


def _view() -> Any:
    known = known_on(_load(), MEETING)
    return budget_view(known, ["category"], Filters(as_of=MEETING), labeller(known))


# --- the agenda of 2024-02-27 ------------------------------------------------------


@pytest.fixture(scope="module")
def agenda_data() -> bytes:
    return _agenda_docx()


@pytest.fixture(scope="module")
def report_data() -> bytes:
    return _report_docx()


def test_agenda_headings_are_the_markdowns_in_order(agenda_data: bytes) -> None:
    portfolio = _load()
    markdown = render_agenda(portfolio, agenda(portfolio, MEETING))
    headings = _headings(_open(agenda_data))
    assert headings == _markdown_headings(markdown)
    assert headings[:4] == [
        (1, "Core team-möte: Välmående och självständiga äldre"),
        (2, "Nytt på Samhällskontraktet"),
        (3, "Kommande händelser"),
        (2, "På gång!"),
    ]
    assert headings[-1] == (2, "Kommunikation")


def test_agenda_lists_are_the_markdowns_as_list_bullet_paragraphs(agenda_data: bytes) -> None:
    portfolio = _load()
    markdown = render_agenda(portfolio, agenda(portfolio, MEETING))
    bullets = _bullets(_open(agenda_data))
    assert bullets == _markdown_bullets(markdown)
    texts = [text for _level, text in bullets]
    for fact in (
        "Blerim stöttar kring kommunikation i sociala medier",
        "Öppen verkstad, två tillfällen med fokus Välmående självständiga äldre",
        "Måltider och möten, 3 piloter: 285\u00a0000\u00a0kr, ordinarie budget, "
        "varav 100\u00a0000\u00a0kr pilotbudget – föreslagen",
        "Trygghetslösning: 260\u00a0000\u00a0kr, pilotbudget – redan beslutad",
        "Civilsamhället som partner: 540\u00a0000\u00a0kr, pilotbudget, extern processledare "
        "– föreslagen",
        "Servicetjänster: 200\u00a0000\u00a0kr, varav 100\u00a0000\u00a0kr konsult – föreslagen",
        "Ska ni söka?",
        "Kan ni skicka ut info på kontaktlista?",
        "Vad behöver andra veta?",
    ):
        assert fact in texts
    totals = [text for text in texts if text.startswith("Totalt ")]
    assert totals[0].startswith("Totalt ordinarie budget: 1\u00a0310\u00a0000\u00a0kr;")
    assert totals[1].startswith("Totalt pilotbudget: 797\u00a0500\u00a0kr;")
    assert totals[1].endswith("kvar om förslagen beslutas -102\u00a0500\u00a0kr ⚠ över ramen")
    # Notes under research and education are second-level items.
    assert (2, "Fallprevention") in bullets


def test_agenda_initiatives_stand_under_their_status(agenda_data: bytes) -> None:
    doc = _open(agenda_data)
    sections: list[tuple[str, list[str]]] = []
    for paragraph in doc.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style.startswith("Heading"):
            sections.append((paragraph.text, []))
        elif style == "List Bullet":
            sections[-1][1].append(paragraph.text)
    under: dict[str, list[str]] = {}
    for heading, items in sections:
        under.setdefault(heading, items)  # the first: statuses come before budget phases
    assert under["Pågående"][0] == "Måltider och möten – tre piloter"
    assert len(under["Pågående"]) == 6
    assert under["På gång"] == [
        "Servicetjänster – kommunens nya roll i servicelandskapet",
        "Utvecklat samarbete med civilsamhället",
        "Framtidens äldreboende – förvaltningsövergripande uppdrag och workshop med KPR",
    ]
    assert under["Idéer framåt"][-1] == "Datadrivet arbete och AI?"
    assert "Gäller: Salus mea – trygghetslarm med civilsamhället" in [
        p.text for p in doc.paragraphs
    ]


def test_agenda_events_are_a_table_with_a_repeating_header(agenda_data: bytes) -> None:
    doc = _open(agenda_data)
    events = doc.tables[0]
    assert _rows(events) == [
        ["Händelse", "Datum", "Tid", "Plats"],
        [
            "Öppen verkstad - Existentiell hälsa i fokus",
            "2024-03-15",
            "08:30–14:00",
            "Elite Stadshotell, Eskilstuna",
        ],
        [
            "Öppen verkstad - Samarbete för samhällsnytta",
            "2024-04-19",
            "08:30–14:00",
            "Plaza hotell, Västerås",
        ],
    ]
    header = events.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in events.rows[0].cells for run in cell.paragraphs[0].runs)


def test_agenda_budget_table_has_every_column_and_budget_views_totals(
    agenda_data: bytes,
) -> None:
    doc = _open(agenda_data)
    table = doc.tables[1]
    rows = _rows(table)
    assert rows[0] == [
        "Kategori",
        "Ram",
        "Beslutat",
        "Föreslaget",
        "Kvar",
        "Kvar inkl. förslag",
    ]  # "Totalt" is decided plus proposed: the chart shows it, a portrait page has no room
    view = _view()
    total = view.total

    def amount(value: int | None) -> str:
        return "–" if value is None else numbers.amount(value, "sv_SE")

    assert rows[-1] == [
        "Totalt",
        *(
            amount(value)
            for value in (
                total.frame,
                total.decided,
                total.proposed,
                total.remaining,
                total.remaining_if_approved,
            )
        ),
    ]
    assert rows[-1][1:] == [
        "2\u00a0107\u00a0500",
        "260\u00a0000",
        "1\u00a0400\u00a0000",
        "1\u00a0847\u00a0500",
        "647\u00a0500",
    ]
    labels = [row[0] for row in rows[1:]]
    assert labels == ["Ordinarie budget", "Pilotbudget ⚠ över ramen", "Utan kategori", "Totalt"]
    assert rows[2][-1] == "-102\u00a0500"
    # Amounts right-aligned, the header row repeats, the columns fit the page.
    for row in table.rows:
        for cell in row.cells[1:]:
            assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    _assert_fits(doc, table, 0)


def _assert_fits(doc: DocumentType, table: Table, section: int) -> None:
    page = doc.sections[section]
    assert page.page_width is not None
    assert page.left_margin is not None and page.right_margin is not None
    text_width = page.page_width - page.left_margin - page.right_margin
    columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [int(column.get(qn("w:w"))) * 635 for column in columns]  # twips to EMU
    assert len(widths) == len(table.rows[0].cells)
    assert sum(widths) <= text_width + 635 * len(widths)  # rounding to whole twips
    assert min(widths) > 0


def test_agenda_charts_are_pictures_with_a_text_equivalent(agenda_data: bytes) -> None:
    doc = _open(agenda_data)
    pictures = _pictures(doc)
    assert len(pictures) == 2
    status, budget = pictures
    assert status["title"] == "Initiatives by status" or status["title"] == "Initiativ per status"
    assert "Pågående: 6" in status["descr"]
    assert "Utan status: 5" in status["descr"]
    for name, amount in (
        ("Ordinarie budget", "1\u00a0310\u00a0000\u00a0kr"),
        ("Pilotbudget", "797\u00a0500\u00a0kr"),
        ("Pilotbudget", "102\u00a0500\u00a0kr"),
        ("Utan kategori", "200\u00a0000\u00a0kr"),
    ):
        assert name in budget["descr"] and amount in budget["descr"], budget["descr"]
    captions = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert captions == [status["title"], budget["title"]]
    with zipfile.ZipFile(BytesIO(agenda_data)) as archive:
        images = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert len(images) == 2
        assert all(archive.read(name).startswith(b"\x89PNG") for name in images)


def test_agenda_has_deterministic_core_properties_and_bytes(agenda_data: bytes) -> None:
    properties = _open(agenda_data).core_properties
    assert properties.title == "Core team-möte: Välmående och självständiga äldre"
    assert properties.author == "Samhällskontraktet"
    assert properties.created == datetime(2024, 2, 27, tzinfo=UTC)
    assert properties.modified == properties.created
    assert properties.language == "sv"
    assert _agenda_docx() == agenda_data  # the same portfolio and day, the same bytes


# --- the report ---------------------------------------------------------------------


def test_report_headings_are_the_markdowns_in_order(report_data: bytes) -> None:
    markdown = render_report(_load(), MEETING)
    headings = _headings(_open(report_data))
    assert headings == _markdown_headings(markdown)
    assert (3, "Pågående") in headings
    assert headings[0] == (1, "Statusrapport: Välmående och självständiga äldre")


def test_report_lists_hold_every_markdown_item_in_order(report_data: bytes) -> None:
    markdown = render_report(_load(), MEETING)
    bullets = _bullets(_open(report_data))
    position = 0
    for item in _markdown_bullets(markdown):
        assert item in bullets[position:], item
        position = bullets.index(item, position) + 1
    texts = [text for _level, text in bullets]
    assert "Pilotbudget överskrider ramen med 102\u00a0500\u00a0kr om förslagen beslutas" in texts
    # The weave in words, beside its picture.
    assert any(
        text.startswith("Examensarbeten kopplat till testbädd Ängsgärdet formas inför HT24 → ")
        for text in texts
    )


def _markdown_tables(markdown: str) -> list[list[list[str]]]:
    """Every table of the Markdown as rows of plain cell text (no separator row)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
            if not all(set(cell.strip()) <= set("-: ") for cell in cells):
                current.append([_plain(cell) for cell in cells])
        elif current:
            tables.append(current)
            current = []
    return tables


def test_report_initiatives_are_the_markdowns_tables_and_paragraphs(report_data: bytes) -> None:
    """Per status a table of title, kind, partners (where any has them) and budget,
    and a paragraph for each initiative with more to say: as the Markdown has them."""
    markdown = render_report(_load(), MEETING)
    doc = _open(report_data)
    groups = _markdown_tables(markdown)[:4]
    assert [_rows(table) for table in doc.tables[:4]] == groups
    assert groups[0][0] == ["Initiativ", "Typ", "Budget"]
    assert groups[0][1] == [
        "Måltider och möten – tre piloter",
        "Pilot",
        "285\u00a0000\u00a0kr, föreslagen",
    ]
    assert groups[2][0] == ["Initiativ", "Typ", "Partner", "Budget"]
    texts = [paragraph.text for paragraph in doc.paragraphs]
    details = [
        _plain(line) for line in markdown.splitlines() if re.match(r"^\*\*[^*]+\.\*\* ", line)
    ]
    assert len(details) == 12  # with the two ongoing initiatives that have no journal yet
    for line in details:
        assert line in texts, line
    assert (
        "Måltider och möten – tre piloter. Journal: ingen ännu. Budget: Måltider och möten, "
        "3 piloter, "
        "285\u00a0000\u00a0kr, ordinarie budget, varav 100\u00a0000\u00a0kr pilotbudget."
    ) in texts


def test_report_tables_and_pictures(report_data: bytes) -> None:
    doc = _open(report_data)
    budget, upcoming, past = doc.tables[4:]
    rows = _rows(budget)
    assert rows[0][0] == "Kategori" and len(rows[0]) == 6
    assert [row[0] for row in rows if row[0].startswith("Måltider")] == [
        "Måltider och möten, 3 piloter (av 285\u00a0000\u00a0kr)"
    ] * 2
    total = _view().total
    assert rows[-1][1] == numbers.amount(total.frame or 0, "sv_SE")
    assert rows[-1][3] == numbers.amount(total.proposed, "sv_SE")
    # Six columns fit a portrait page: no landscape page for the budget.
    assert len(doc.sections) == 1
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    _assert_fits(doc, budget, 0)
    assert _rows(upcoming)[0] == ["Datum och tid", "Händelse", "Typ", "Plats"]
    assert _rows(upcoming)[1] == [
        "2024-03-15 08:30–14:00",
        "Öppen verkstad - Existentiell hälsa i fokus",
        "Öppen verkstad",
        "Elite Stadshotell, Eskilstuna",
    ]
    assert _rows(past)[1][0] == "2023-04-05 07:30–12:00"
    pictures = _pictures(doc)
    assert len(pictures) == 3  # initiatives by status, the weave, the budget
    assert "Pågående: 6" in pictures[0]["descr"]
    assert "Salus mea – trygghetslarm med civilsamhället" in pictures[1]["descr"]
    assert "797\u00a0500\u00a0kr" in pictures[2]["descr"]
    texts = [p.text for p in doc.paragraphs]
    assert "Väckt 2024-02-27" in texts
    assert "Gäller: Salus mea – trygghetslarm med civilsamhället · Väckt 2024-02-27" in texts
    properties = doc.core_properties
    assert properties.title == "Statusrapport: Välmående och självständiga äldre"


# --- the team's own template --------------------------------------------------------


def _team_template(path: Path, *, lists: bool = True) -> Path:
    """A team's Word file: its own Heading 1, a header, text that must not stay;
    without `lists`, none of the list styles nor any numbering (as a file saved by
    Word that never held a list)."""
    doc = Document()
    heading = doc.styles["Heading 1"]
    heading.font.name = "Georgia"
    heading.font.size = Pt(22)
    heading.font.color.rgb = RGBColor(0x12, 0x34, 0x56)
    doc.sections[0].header.paragraphs[0].text = "Teamets mall – internt"
    doc.add_paragraph("GAMMAL TEXT SOM SKA BORT")
    if not lists:
        for name in ("List Bullet", "List Bullet 2", "List Continue", "Caption"):
            element = doc.styles[name].element
            element.getparent().remove(element)
        for key, relation in list(doc.part.rels.items()):
            if relation.reltype.endswith("/numbering"):
                doc.part.drop_rel(key)
    doc.save(str(path))
    return path


@pytest.mark.parametrize("lists", [True, False])
def test_reference_template_is_written_into(tmp_path: Path, lists: bool) -> None:
    template = _team_template(tmp_path / "mall.docx", lists=lists)
    out = tmp_path / "agenda.docx"
    result = runner.invoke(
        app,
        [
            "agenda",
            "2024-02-27",
            "-p",
            str(BUNDLED),
            "--format",
            "docx",
            "--reference",
            str(template),
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    assert doc.sections[0].header.paragraphs[0].text == "Teamets mall – internt"
    heading = doc.styles["Heading 1"]
    assert heading.font.name == "Georgia"
    assert heading.font.size == Pt(22)
    assert heading.font.color.rgb == RGBColor(0x12, 0x34, 0x56)
    texts = [p.text for p in doc.paragraphs]
    assert "GAMMAL TEXT SOM SKA BORT" not in texts
    assert _headings(doc)[0] == (1, "Core team-möte: Välmående och självständiga äldre")
    # Lists are real lists whatever the template held: their style numbers them.
    bullets = _bullets(doc)
    assert len(bullets) > 30
    style = doc.styles["List Bullet"].element
    number = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    assert number is not None
    numbering = doc.part.numbering_part.element
    assert numbering.num_having_numId(int(number.get(qn("w:val")))) is not None
    assert len(doc.tables) == 2 and len(doc.inline_shapes) == 2


def test_reference_from_kontrakt_yaml(tmp_path: Path, bundled: Path) -> None:
    _team_template(bundled / "mall.docx")
    settings = bundled / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "\ndocuments:\n  docx: mall.docx\n",
        encoding="utf-8",
    )
    doc = _open(_report_docx(bundled))
    assert doc.sections[0].header.paragraphs[0].text == "Teamets mall – internt"


@pytest.mark.parametrize(
    "content",
    [
        b"not a zip at all",
        b"PK\x03\x04 truncated",
        "zip-without-word",
    ],
)
def test_a_bad_reference_is_a_clean_error(tmp_path: Path, content: bytes | str) -> None:
    path = tmp_path / "trasig.docx"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hej")
    for command in (["agenda", "2024-02-27"], ["report", "--as-of", "2024-02-27"]):
        result = runner.invoke(
            app,
            [
                *command,
                "-p",
                str(BUNDLED),
                "--format",
                "docx",
                "--reference",
                str(path),
                "-o",
                str(tmp_path / "out.docx"),
            ],
        )
        assert result.exit_code == 1, result.output
        assert "trasig.docx" in result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert not (tmp_path / "out.docx").exists()


def test_docx_is_a_file_not_terminal_text() -> None:
    assert "docx" in formats.names("agenda") and "docx" in formats.names("report")
    result = runner.invoke(app, ["report", "-p", str(BUNDLED), "--format", "docx"])
    assert result.exit_code != 0
    assert "-o" in result.output


# --- hostile text -------------------------------------------------------------------

HOSTILE = {
    "field": "{ DATE }",
    "xml": "<w:t>injected</w:t><w:fldSimple w:instr='TIME'/>",
    "formula": '=HYPERLINK("http://example.org")',
    "script": "<script>alert(1)</script>",
    "long": "Lång" + "ord" * 120,
}


def _hostile(root: Path) -> Path:
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS)
    write(
        root,
        "initiatives/alfa.yaml",
        f"title: '{HOSTILE['field']}'\nstatus: ongoing\nkind: pilot\n"
        f'description: "{HOSTILE["long"]}\\n\\nAndra stycket {{ PAGE }}"\n',
    )
    write(root, "initiatives/beta.yaml", f'title: "{HOSTILE["xml"]}"\nstatus: idea\n')
    write(
        root,
        "news/2024-02-27-nytt.yaml",
        f"date: 2024-02-27\ntitle: '{HOSTILE['script']}'\n"
        'description: "Rad ett\\nrad två\\n\\nStycke två { PAGE }"\n',
    )
    write(
        root,
        "questions/fraga.yaml",
        f"title: Fråga\npoints:\n  - '{HOSTILE['formula']}'\n  - {HOSTILE['long']}\n"
        "raised: 2024-02-20\n",
    )
    write(
        root,
        "budget/rad.yaml",
        f"title: '{HOSTILE['field']} rad'\namount: 1000\ncategory: pilot\nperiod: 2024\n"
        "initiatives: [alfa]\ndecision: proposed\n",
    )
    write(
        root,
        "meetings/2024-02-27.yaml",
        "date: 2024-02-27\nkind: core-team\ncommunication:\n  - '{ MERGEFIELD x }'\n",
    )
    return root


def _with_controls(portfolio: Portfolio) -> Portfolio:
    """Control characters the loader refuses (forbidden-character), put in anyway:
    the renderer must not trust that every portfolio came through it."""
    key, news = next(iter(portfolio.news.items()))
    portfolio.news[key] = news.model_copy(
        update={"description": "Rad ett\nrad två \x07 klocka\n\nStycke två \ufffe"}
    )
    key, question = next(iter(portfolio.questions.items()))
    portfolio.questions[key] = question.model_copy(
        update={
            "title": "Fråga \x1b]8;;x\x1b\\",
            "points": [HOSTILE["formula"], "kontroll \x1b[2J och \u202e vänd", HOSTILE["long"]],
        }
    )
    return portfolio


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    root = _hostile(tmp_path / "fientlig")
    result = load_portfolio(root)
    assert result.portfolio is not None and not result.diagnostics, result.diagnostics
    portfolio = _with_controls(result.portfolio)
    plan = agenda(portfolio, MEETING)
    agenda_data = formats.renderer("agenda", "docx")(AgendaRequest(portfolio, plan)).data
    report_data = formats.renderer("report", "docx")(ReportRequest(portfolio, MEETING)).data
    assert agenda_data is not None and report_data is not None
    for data in (agenda_data, report_data):
        xml = _xml(data)
        tags = {element.tag for element in ElementTree.fromstring(xml).iter()}
        for tag in ("fldSimple", "instrText", "fldChar", "hyperlink", "t"):
            assert (tag == "t") == (f"{{{WORD}}}{tag}" in tags)  # text, and no field
        for code in ("<w:fldSimple", "<w:instrText", "<w:fldChar", "<script"):
            assert code not in xml
        for control in ("\x1b", "\x07", "\u202e", "\ufffe"):
            assert control not in xml
        doc = _open(data)
        texts = [p.text for p in doc.paragraphs] + [
            cell.text for table in doc.tables for row in table.rows for cell in row.cells
        ]
        everything = "\n".join(texts)
        assert "{ DATE }" in everything
        assert HOSTILE["xml"] in everything
        assert HOSTILE["long"] in everything
        assert HOSTILE["script"] in everything
        assert "\\x1b" in everything
    report = [p.text for p in _open(report_data).paragraphs]
    assert HOSTILE["long"] in report and "Andra stycket { PAGE }" in report
    texts = [p.text for p in _open(agenda_data).paragraphs]
    assert HOSTILE["formula"] in texts
    assert "{ MERGEFIELD x }" in texts
    assert "{ DATE } rad: 1\u00a0000\u00a0kr, pilotbudget – föreslagen" in texts
    # A news item's description: its own paragraphs, its line breaks folded.
    assert "Rad ett rad två \\x07 klocka" in texts
    assert "Stycke två \\ufffe" in texts
    assert "kontroll \\x1b[2J och \\u202e vänd" in texts
    assert "Fråga \\x1b]8;;x\\x1b\\" in texts


def test_words_are_the_portfolios_language_in_english(tmp_path: Path, bundled: Path) -> None:
    settings = bundled / "kontrakt.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("language: sv\nlocale: sv_SE", "language: en\nlocale: en_GB"),
        encoding="utf-8",
    )
    doc = _open(_agenda_docx(bundled))
    headings = [text for _level, text in _headings(doc)]
    assert "Open questions" in headings and "Communication" in headings
    assert doc.tables[1].rows[0].cells[1].text == "Frame"
