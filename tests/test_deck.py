"""`kontrakt agenda DATE --format pptx`: the core team's deck, read back with python-pptx.

The deck of 2024-02-27 is checked against the source deck (tests/data): its
slides in order, every fact it shows, tables as tables, the chart's numbers
against render/charts.py, and every text frame and table against the deck's own
measure, on the bundled portfolio and on one far too large for one slide per
section. Then the team's template (`--reference`), bad templates, hostile text,
and the same deck twice.
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
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from typer.testing import CliRunner

from conftest import BUNDLED, write
from kontrakt.cli import app
from kontrakt.i18n import pgettext, speaking
from kontrakt.load import load_portfolio
from kontrakt.render import deck
from kontrakt.render.agenda import AgendaRequest
from kontrakt.render.budget import labeller
from kontrakt.render.charts import budget_bars
from kontrakt.render.numbers import kronor
from kontrakt.views.agenda import agenda
from kontrakt.views.asof import known_on
from kontrakt.views.budget import Filters, budget_view

runner = CliRunner()
DATA = Path(__file__).parent / "data"
DAY = "2024-02-27"
MEETING = date(2024, 2, 27)
TITLES = [
    "Core team-möte",
    "Nytt på Samhällskontraktet",
    "På gång!",
    "Budget update",
    "Forskning",
    "Öppna frågor",
    "Kommunikation",
]


def render(root: Path, out: Path, *extra: str) -> Any:
    result = runner.invoke(
        app, ["agenda", DAY, "-p", str(root), "--format", "pptx", "-o", str(out), *extra]
    )
    assert result.exit_code == 0, result.output
    return Presentation(str(out))


@pytest.fixture(scope="module")
def bundled_deck(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return render(BUNDLED, tmp_path_factory.mktemp("deck") / "deck.pptx")


def title_of(slide: Any) -> str:
    shape = slide.shapes.title
    assert shape is not None
    return str(shape.text_frame.text)


def continued(title: str) -> str:
    with speaking("sv"):
        return deck.continued_title(title)


def table_rows(table: Any) -> list[list[str]]:
    """Rows as their cells' text; a row merged across the table is one cell."""
    rows = []
    for row in table.rows:
        cells = list(row.cells)
        if cells[0].is_merge_origin and cells[0].span_width == len(cells):
            rows.append([cells[0].text])
        else:
            rows.append([cell.text for cell in cells])
    return rows


def texts(slide: Any) -> list[str]:
    """A slide's text in reading order: paragraphs, and table rows as one line."""
    found: list[str] = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found += [paragraph.text for paragraph in shape.text_frame.paragraphs]
        if getattr(shape, "has_table", False) and shape.has_table:
            found += [" ".join(row) for row in table_rows(shape.table)]
    return found


def all_text(prs: Any) -> str:
    return "\n".join(line for slide in prs.slides for line in texts(slide))


def tables(slide: Any) -> list[list[list[str]]]:
    return [
        table_rows(shape.table)
        for shape in slide.shapes
        if getattr(shape, "has_table", False) and shape.has_table
    ]


def charts(slide: Any) -> list[Any]:
    return [
        shape.chart
        for shape in slide.shapes
        if getattr(shape, "has_chart", False) and shape.has_chart
    ]


# --- the deck of 2024-02-27 against the source deck ---------------------------------


def test_slide_titles_in_the_decks_order(bundled_deck: Any) -> None:
    assert [title_of(slide) for slide in bundled_deck.slides] == TITLES
    assert bundled_deck.slide_width == 12192000 and bundled_deck.slide_height == 6858000
    first = bundled_deck.slides[0]
    subtitle = [
        shape
        for shape in first.placeholders
        if shape.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE
    ]
    assert [p.text for p in subtitle[0].text_frame.paragraphs] == [
        "Välmående och självständiga äldre",
        "Samhällskontraktet",
        "Februari",
        DAY,
    ]


def _normal(text: str) -> str:
    """Words, not layout (as tests/test_agenda.py compares the Markdown with the deck)."""
    text = text.replace("\u00a0", " ").replace("…", "...")
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = re.sub(r"(\d{2})\.(\d{2})\s*-\s*(\d{2})\.(\d{2})", r"\1:\2–\3:\4", text)
    text = re.sub(r"(\d+)´", r"\1 000 kr", text)
    text = re.sub(r"[*#|]", " ", text)
    text = re.sub(r":(?=\s|$)", " ", text)
    text = re.sub(r"\s[–-]\s|\s[–-]$", " ", text)
    return " ".join(text.split())


def deck_facts() -> list[str]:
    """Each fact of the source deck, in order; budget lines cut into their parts."""
    facts: list[str] = []
    layout = {"SAMHÄLLS", "KONTRAKTET", "Välståndsjävständiga äldre"}
    for raw in (DATA / "deck-2024-02-27.txt").read_text(encoding="utf-8").splitlines():
        line = _normal(raw.strip().lstrip("-").strip()).replace("stadsbidrag", "statsbidrag")
        if not line or line in layout:
            continue
        budget = re.fullmatch(r"(.+?) (\d[\d ]* kr) ?(?:\((.*)\))?(?: (redan beslutad))?", line)
        if budget and "Totalt" not in line:
            title, amount, details, decided = budget.groups()
            facts += [title, amount]
            facts += [part.strip() for part in (details or "").split(",") if part.strip()]
            facts += [decided] if decided else []
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2} \S+", line):
            facts += line.split(" ")
        else:
            facts.append(line)
    return facts


def test_every_fact_of_the_source_deck_is_on_the_slides_in_order(bundled_deck: Any) -> None:
    shown = _normal(all_text(bundled_deck))
    facts = deck_facts()
    assert len(facts) >= 60
    for expected in (
        "Budget update",
        "285 000 kr",
        "varav 100 000 kr pilotbudget",
        "redan beslutad",
        "Totalt ordinarie budget 1 310 000 kr",
        "Totalt pilotbudget 797 500 kr",
        "Elite Stadshotell, Eskilstuna",
        "Kan ni skicka ut info på kontaktlista?",
    ):
        assert expected in facts
    position = 0
    for fact in facts:
        found = shown.find(fact, position)
        assert found >= 0, f"not on the slides after position {position}: {fact!r}"
        position = found + len(fact)


def test_each_section_holds_its_own_facts(bundled_deck: Any) -> None:
    slides = {title_of(slide): texts(slide)[1:] for slide in bundled_deck.slides}
    assert slides["Nytt på Samhällskontraktet"][:3] == [
        "Blerim stöttar kring kommunikation i sociala medier",
        "Öppen verkstad, två tillfällen med fokus Välmående självständiga äldre",
        "Kommande händelser",
    ]
    groups = slides["På gång!"]
    assert groups[: groups.index("På gång")] == [
        "Pågående",
        "Måltider och möten – tre piloter",
        "Ängsgärdet – konkreta idéer snart redo för utvärdering",
        "Salus mea – trygghetslarm med civilsamhället",
        "Utbildning Systematisk innovationsledning",
        'Utvecklingsprogram "Future impact champions"',
        "Project management i Innovationsmaster",
    ]
    assert groups[groups.index("Idéer framåt") :] == [
        "Idéer framåt",
        "Policy för äldre – kraftsamling Västerås",
        "KUG självständigt liv",
        "Existentiell hälsa eller psykosocial hälsa",
        "Hälsoekonomi?",
        "Datadrivet arbete och AI?",
    ]
    research = slides["Forskning"]
    assert research[research.index("…och utbildning") + 1 :] == [
        "Project management i Innovationsmaster",
        "Existentiell hälsa och social samvaro",
        "Digitalisering som verktyg för ovan",
        "Examensarbeten kopplat till testbädd Ängsgärdet formas inför HT24",
        "Studentuppdrag kopplat till marknadsföring och äldrebössan",
    ]
    assert slides["Öppna frågor"] == [
        "Ofrivillig ensamhet statsbidrag",
        "Ska ni söka?",
        "Potential att växla upp något som ändå är planerat i våra initiativ?",
        "Salus mea trygghetslarm",
        "Test tänkt att starta i maj KPR möte först i april?",
        "Kan ni skicka ut info på kontaktlista?",
        "Gäller: Salus mea – trygghetslarm med civilsamhället",
    ]
    assert slides["Kommunikation"] == [
        "Vad har vi gjort?",
        "Vad behöver vi fokusera på nu?",
        "Vad behöver andra veta?",
    ]


def test_events_and_budget_are_tables_with_the_views_numbers(bundled_deck: Any) -> None:
    news, budget = bundled_deck.slides[1], bundled_deck.slides[3]
    assert tables(news) == [
        [
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
    ]
    lines, totals = tables(budget)
    nbsp = "\u00a0"
    assert [row[:2] for row in lines[1:]] == [
        ["Pågående"],
        ["Måltider och möten, 3 piloter", f"285{nbsp}000{nbsp}kr"],
        ["Framtidens äldreboende och Ängsgärdet", f"375{nbsp}000{nbsp}kr"],
        ["Trygghetslösning", f"260{nbsp}000{nbsp}kr"],
        ["Uppstart"],
        ["Civilsamhället som partner", f"540{nbsp}000{nbsp}kr"],
        ["Servicetjänster", f"200{nbsp}000{nbsp}kr"],
    ]
    assert lines[2][2] == f"ordinarie budget, varav 100{nbsp}000{nbsp}kr pilotbudget – föreslagen"
    assert lines[4][2] == "pilotbudget – redan beslutad"
    # The totals are budget_view's, written as the document writes money.
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    day = datetime(2024, 2, 27).date()
    known = known_on(portfolio, day)
    with speaking("sv"):
        view = budget_view(known, ["category"], Filters(as_of=day), labeller(known))
    expected = []
    for group in view.groups:
        assert group.label is not None
        frame = kronor(group.frame, "sv_SE") if group.frame is not None else "–"
        left = group.remaining_if_approved
        expected.append(
            [
                f"Totalt {group.label.lower()}" if group.frame is not None else group.label,
                frame,
                kronor(group.decided, "sv_SE"),
                kronor(group.proposed, "sv_SE"),
                (kronor(left, "sv_SE") if left is not None else "–")
                + (" (över ramen)" if group.over_frame else ""),
            ]
        )
    assert totals[1:] == expected
    assert totals[1][:2] == ["Totalt ordinarie budget", f"1{nbsp}310{nbsp}000{nbsp}kr"]
    assert totals[2][:2] == ["Totalt pilotbudget", f"797{nbsp}500{nbsp}kr"]
    assert totals[2][4] == f"-102{nbsp}500{nbsp}kr (över ramen)"


def test_the_chart_is_native_and_shows_budget_bars(bundled_deck: Any) -> None:
    budget = bundled_deck.slides[3]
    (chart,) = charts(budget)
    assert all(not charts(slide) for slide in bundled_deck.slides if slide is not budget)
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    portfolio = load_portfolio(BUNDLED).portfolio
    assert portfolio is not None
    day = datetime(2024, 2, 27).date()
    known = known_on(portfolio, day)
    with speaking("sv"):
        bars = budget_bars(budget_view(known, ["category"], Filters(as_of=day), labeller(known)))
    plot = chart.plots[0]
    assert list(plot.categories) == [bar.label for bar in bars]
    assert list(plot.categories) == [
        "Ordinarie budget",
        "Pilotbudget",
        "Utan kategori",
    ]
    values = {series.name: list(series.values) for series in plot.series}
    assert list(values.values()) == [
        [bar.frame for bar in bars],
        [bar.decided for bar in bars],
        [bar.proposed for bar in bars],
        [bar.remaining for bar in bars],
        [bar.over for bar in bars],
    ]
    names = list(values)
    assert values[names[0]] == [1310000, 797500, None]
    assert values[names[4]] == [0, 102500, 0]
    # Each non-zero amount is labelled as the document writes money.
    labels = [
        point.data_label.text_frame.text
        for series in plot.series
        for point, value in zip(series.points, series.values, strict=True)
        if value
    ]
    assert "797\u00a0500\u00a0kr" in labels and "102\u00a0500\u00a0kr" in labels
    assert len(labels) == 8  # 2 frames, 1 decided, 3 proposed, 1 remaining, 1 over


def test_every_slide_has_notes_naming_its_sources(bundled_deck: Any) -> None:
    notes = {
        title_of(slide): slide.notes_slide.notes_text_frame.text for slide in bundled_deck.slides
    }
    assert all(text.strip() for text in notes.values())
    assert all(DAY in text for text in notes.values())
    expected = {
        "Core team-möte": ["kontrakt.yaml", "meetings/2024-02-27-core-team.yaml"],
        "Nytt på Samhällskontraktet": ["news/*.yaml", "events/*.yaml"],
        "På gång!": ["initiatives/*.yaml"],
        "Budget update": ["budget/*.yaml", "kontrakt.yaml", "kontrakt budget --by category"],
        "Forskning": ["initiatives/*.yaml"],
        "Öppna frågor": ["questions/*.yaml"],
        "Kommunikation": ["meetings/2024-02-27-core-team.yaml"],
    }
    for title, sources in expected.items():
        for source in sources:
            assert source in notes[title], (title, notes[title])


# --- nothing overflows -------------------------------------------------------------------


def paras_of(frame: Any) -> list[deck.Para]:
    """A text frame's paragraphs as the measure sees them."""
    paras = []
    for paragraph in frame.paragraphs:
        properties = paragraph._p.pPr
        bullet = properties is not None and properties.find(qn("a:buChar")) is not None
        run = paragraph.runs[0]
        para = deck.Para(
            paragraph.text,
            level=paragraph.level,
            bullet=bullet,
            bold=bool(run.font.bold),
            size=run.font.size.pt,
        )
        if properties is not None and properties.get("marL") is not None:
            assert int(properties.get("marL")) == round(para.margin * 12700)
        paras.append(para)
    return paras


def assert_fits(prs: Any) -> int:
    """Every shape on its slide, none over another, every text frame and table within
    the lines its size holds; the number of frames checked."""
    checked = 0
    for slide in prs.slides:
        boxes = []
        for shape in slide.shapes:
            left, top = shape.left, shape.top
            right, bottom = left + shape.width, top + shape.height
            assert left >= 0 and right <= prs.slide_width, title_of(slide)
            assert top >= 0 and bottom <= prs.slide_height, title_of(slide)
            for other in boxes:
                assert (
                    right <= other[0] or left >= other[2] or bottom <= other[1] or (top >= other[3])
                ), f"shapes overlap on {title_of(slide)!r}"
            boxes.append((left, top, right, bottom))
            width, height = shape.width / 12700, shape.height / 12700
            if shape.has_text_frame and shape.text_frame.text:
                needed = deck.text_height(paras_of(shape.text_frame), width)
                assert needed <= height + 0.01, (title_of(slide), shape.text_frame.text[:60])
                checked += 1
            if getattr(shape, "has_table", False) and shape.has_table:
                table = shape.table
                widths = [column.width / 12700 for column in table.columns]
                size = table.cell(0, 0).text_frame.paragraphs[0].runs[0].font.size.pt
                total = 0.0
                for index, (row, cells) in enumerate(
                    zip(table.rows, table_rows(table), strict=True)
                ):
                    needed = deck.row_height(cells, widths, size, index == 0)
                    assert row.height / 12700 >= needed - 0.01, (title_of(slide), cells)
                    total += row.height / 12700
                assert total <= height + 0.01
                checked += 1
    return checked


def test_the_bundled_deck_fits_its_frames(bundled_deck: Any) -> None:
    assert assert_fits(bundled_deck) >= 15


def test_measure_wraps_at_spaces_and_keeps_amounts_whole() -> None:
    assert deck.wrap("ett två tre fyra", 8) == ["ett två", "tre fyra"]
    assert deck.wrap("1\u00a0310\u00a0000\u00a0kr och mer", 12) == [
        "1\u00a0310\u00a0000\u00a0kr",
        "och mer",
    ]
    assert deck.wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    para = deck.Para("x " * 100, size=10)
    lines = deck.para_lines(para, 200)
    # 100 words "x" of 2 characters each, wrapped at spaces to the measured width:
    # full lines of 29 characters (14 words, stripped), the rest on the last.
    assert [len(line) for line in lines] == [29] * 6 + [20]
    assert deck.text_height([para], 200) == pytest.approx(
        2 * deck.INSET_Y + para.space_before + len(lines) * 10 * deck.LINE_EM
    )


def large_portfolio(root: Path) -> Path:
    """The bundled portfolio with 60 more initiatives, 40 more budget lines, and a
    meeting with decisions and notes: far too much for one slide per section."""
    shutil.copytree(BUNDLED, root)
    statuses = ["ongoing"] * 30 + ["upcoming"] * 14 + ["idea"] * 10 + ["paused"] * 6
    for number, status in enumerate(statuses):
        kind = ("research", "education", "pilot")[number % 3]
        words = " ".join(["samverkan"] * (number % 7))
        write(
            root,
            f"initiatives/stor-{number:02d}.yaml",
            f"title: Initiativ {number:02d} {words} om välmående\nstatus: {status}\n"
            f"kind: {kind}\nnotes:\n  - Anteckning {number} om vägen framåt\n",
        )
    for number in range(40):
        category = ("ordinarie", "pilot")[number % 2]
        phase = ("pagaende", "uppstart")[number % 2]
        write(
            root,
            f"budget/stor-{number:02d}.yaml",
            f"title: Budgetpost {number:02d} för {'en lång rad ord ' * (number % 4)}arbetet\n"
            f"amount: {1000 * (number + 1)}\ncategory: {category}\nperiod: 2024\n"
            f"phase: {phase}\nproposed_on: 2024-02-01\ndecision: proposed\n"
            f"initiatives: [stor-{number:02d}]\n",
        )
    meeting = root / "meetings" / "2024-02-27-core-team.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8")
        + "decisions:\n  - text: Piloten fortsätter\n    initiatives: [salus-mea]\n"
        + "notes:\n  - Nästa möte i mars\n",
        encoding="utf-8",
    )
    return root


def test_a_large_portfolio_continues_on_more_slides_and_fits(tmp_path: Path) -> None:
    root = large_portfolio(tmp_path / "stor")
    prs = render(root, tmp_path / "stor.pptx")
    titles = [title_of(slide) for slide in prs.slides]
    for title in ("På gång!", "Budget update", "Forskning"):
        assert titles.count(title) == 1
        assert continued(title) in titles, titles
    assert titles.index("Budget update") < titles.index(continued("Budget update"))
    assert titles[-3:] == ["Beslut", "Kommunikation", "Övrigt"]
    assert assert_fits(prs) >= 40
    shown = all_text(prs)
    for number in range(60):
        assert f"Initiativ {number:02d}" in shown
    assert "Pausade" in shown  # a fourth status column, on the next slide
    for number in range(40):
        assert f"Budgetpost {number:02d} för" in shown
        assert kronor(1000 * (number + 1), "sv_SE") in shown
    assert "Piloten fortsätter (gäller Salus mea – trygghetslarm med civilsamhället)" in shown
    assert "Nästa möte i mars" in shown
    # a continued status column says so
    assert continued("Pågående") in shown
    # the chart only on the budget's first slide
    assert [bool(charts(slide)) for slide in prs.slides].count(True) == 1
    assert all(slide.notes_slide.notes_text_frame.text.strip() for slide in prs.slides)


# --- the team's template ---------------------------------------------------------------


def make_template(path: Path) -> Path:
    """A 4:3 template with renamed layouts, the title-and-content layout first, and
    a slide of its own that the deck must not keep."""
    prs = Presentation()
    layouts = list(prs.slide_layouts)
    layouts[0].name = "Teamets titel"
    layouts[1].name = "Teamets innehåll"
    ids = prs.slide_master._element.find(qn("p:sldLayoutIdLst"))
    ids.insert(0, ids[1])  # "Title and Content" first: a pick by index would be wrong
    slide = prs.slides.add_slide(layouts[6])
    box = slide.shapes.add_textbox(0, 0, 1000000, 1000000)
    box.text_frame.text = "MALLENS EGEN BILD"
    prs.save(str(path))
    return path


def test_reference_template_gives_its_layouts_and_size(tmp_path: Path) -> None:
    template = make_template(tmp_path / "mall.pptx")
    prs = render(BUNDLED, tmp_path / "deck.pptx", "--reference", str(template))
    assert prs.slide_width == 9144000  # the template's 4:3, not the default 16:9
    layouts = [slide.slide_layout.name for slide in prs.slides]
    assert layouts == ["Teamets titel"] + ["Teamets innehåll"] * (len(layouts) - 1)
    titles = [title_of(slide) for slide in prs.slides]
    assert [title for title in titles if title in TITLES] == TITLES
    assert set(titles) - set(TITLES) <= {continued(title) for title in TITLES}
    assert "MALLENS EGEN BILD" not in all_text(prs)
    with zipfile.ZipFile(tmp_path / "deck.pptx") as package:
        slides = [n for n in package.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
    assert len(slides) == len(titles)
    assert assert_fits(prs) >= 15


def test_template_named_in_kontrakt_yaml(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(BUNDLED, root)
    make_template(root / "mall.pptx")
    settings = root / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "documents:\n  pptx: mall.pptx\n", encoding="utf-8"
    )
    prs = render(root, tmp_path / "deck.pptx")
    assert prs.slides[0].slide_layout.name == "Teamets titel"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("text.pptx", b"not a presentation", "is not a PowerPoint file"),
        ("word.pptx", None, "is not a PowerPoint file"),
        ("missing.pptx", "", "cannot read"),
        ("mall.potx", b"x", "is not a .pptx file"),
    ],
)
def test_a_bad_reference_is_a_clean_error(
    tmp_path: Path, name: str, content: bytes | str | None, says: str
) -> None:
    path = tmp_path / name
    if content is None:  # a zip, but no presentation in it
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr("word/document.xml", "<document/>")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    out = tmp_path / "deck.pptx"
    arguments = ["agenda", DAY, "-p", str(BUNDLED), "--format", "pptx", "-o", str(out)]
    result = runner.invoke(app, [*arguments, "--reference", str(path)])
    assert result.exit_code == 1, result.output
    assert says in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not out.exists()


# --- hostile text, and the same deck twice ----------------------------------------------

FORMULA = '=HYPERLINK("x")'


def test_hostile_titles_stay_text(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(BUNDLED, root)
    write(root, "news/2024-02-27-hostile.yaml", f"date: 2024-02-27\ntitle: '{FORMULA}'\n")
    settings = root / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(
            "ordinarie: Ordinarie budget", f"ordinarie: '{FORMULA}'", 1
        ),
        encoding="utf-8",
    )
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    # `check` refuses control characters in files; the deck must hold them safely
    # all the same, so this title is put in after loading.
    salus = portfolio.initiatives["salus-mea"]
    portfolio.initiatives["salus-mea"] = salus.model_copy(
        update={"title": "<script>alert(1)</script> \x1b[31m { DATE } \u202e\x07"}
    )
    data = deck.pptx_output(AgendaRequest(portfolio, agenda(portfolio, MEETING))).data
    assert data is not None
    out = tmp_path / "deck.pptx"
    out.write_bytes(data)
    prs = Presentation(str(out))
    shown = all_text(prs)
    assert "<script>alert(1)</script> \\x1b[31m { DATE } \\u202e\\x07" in shown
    assert FORMULA in shown
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            data = package.read(name)
            if name.endswith(".xml") or name.endswith(".rels"):
                text = data.decode("utf-8")
                assert "\x1b" not in text and "\u202e" not in text, name
                assert "<script>" not in text and "hlinkClick" not in text, name
                if name.startswith("ppt/slides/"):  # no field (the master has its date)
                    assert "<a:fld" not in text, name
            if name.endswith(".xlsx"):  # the chart's data: labels as text, no formula
                sheet = openpyxl.load_workbook(io.BytesIO(data)).active
                assert sheet is not None
                cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
                assert FORMULA in [cell.value for cell in cells]
                assert all(cell.data_type != "f" for cell in cells)
    (chart,) = charts(prs.slides[3])
    assert tuple(chart.plots[0].categories)[:1] == (FORMULA,)


def test_the_same_deck_twice_is_the_same_file(tmp_path: Path) -> None:
    first = render(BUNDLED, tmp_path / "a.pptx")
    render(BUNDLED, tmp_path / "b.pptx")
    assert (tmp_path / "a.pptx").read_bytes() == (tmp_path / "b.pptx").read_bytes()
    properties = first.core_properties
    assert properties.author == "Samhällskontraktet"
    assert properties.title == "Core team-möte: Välmående och självständiga äldre 2024-02-27"
    assert properties.created == datetime(2024, 2, 27)
    assert properties.modified == datetime(2024, 2, 27)


def test_a_deck_is_a_file_not_terminal_text() -> None:
    result = runner.invoke(app, ["agenda", DAY, "-p", str(BUNDLED), "--format", "pptx"])
    assert result.exit_code != 0
    assert "-o FILE" in result.output


def test_title_slide_gives_time_and_place_and_a_draft_says_so(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(BUNDLED, root)
    meeting = root / "meetings" / "2024-02-27-core-team.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8")
        + "start: '13:00'\nend: '15:00'\nvenue: Rum 1\ncity: Eskilstuna\n",
        encoding="utf-8",
    )
    prs = render(root, tmp_path / "deck.pptx")
    lines = texts(prs.slides[0])
    assert lines[-1] == "2024-02-27 · 13:00–15:00 · Rum 1, Eskilstuna"
    result = runner.invoke(
        app,
        ["agenda", "2024-03-26", "-p", str(root), "-f", "pptx", "-o", str(tmp_path / "d.pptx")],
    )
    assert result.exit_code == 0, result.output
    draft = Presentation(str(tmp_path / "d.pptx"))
    with speaking("sv"):
        word = pgettext("deck", "Draft")
    assert texts(draft.slides[0])[-1] == word
    assert "2024-03-26" in texts(draft.slides[0])
    notes = draft.slides[0].notes_slide.notes_text_frame.text
    assert "meetings/" in notes and "2024-03-26" in notes
    assert texts(draft.slides[-1])[1:] == [
        "Vad har vi gjort?",
        "Vad behöver vi fokusera på nu?",
        "Vad behöver andra veta?",
    ]
    assert assert_fits(draft) >= 10


def test_a_template_named_through_a_linked_folder_outside_is_refused(tmp_path: Path) -> None:
    """documents.pptx must name a file inside the portfolio, also when a folder on
    the way is a link that leads out of it."""
    import shutil

    from kontrakt.errors import ProblemFound
    from kontrakt.load import load_portfolio
    from kontrakt.render.reference import reference

    root = tmp_path / "p"
    shutil.copytree(BUNDLED, root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "mall.pptx").write_bytes(b"PK")
    (root / "mallar").symlink_to(outside, target_is_directory=True)
    settings = root / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "documents:\n  pptx: mallar/mall.pptx\n",
        encoding="utf-8",
    )
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    with pytest.raises(ProblemFound, match="outside the portfolio"):
        reference(portfolio, None, "pptx")


@pytest.mark.parametrize("meeting", ["2024-02-27", "2024-05-28"])
def test_no_word_of_a_budget_table_is_broken_across_lines(tmp_path: Path, meeting: str) -> None:
    """With spending, the frames' table has six columns: each word of a header or a
    cell (an amount is one, its spaces no-break) fits its column's width as the
    deck measures text, so no column breaks `Föreslaget` or `125 000 kr` apart."""
    from conftest import FIXTURES

    out = tmp_path / "agenda.pptx"
    root = FIXTURES / "good" / "money" / "portfolio"
    result = runner.invoke(app, ["agenda", meeting, "-p", str(root), "-f", "pptx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    checked = 0
    for slide in Presentation(str(out)).slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            table = shape.table
            for row_index, row in enumerate(table.rows):
                for column, cell in zip(table.columns, row.cells, strict=True):
                    width = column.width / deck.EMU_PER_PT - 2 * deck.INSET_X
                    for paragraph in cell.text_frame.paragraphs:
                        for run in paragraph.runs:
                            size = run.font.size.pt if run.font.size else 18.0
                            bold = bool(run.font.bold) or row_index == 0
                            fits = deck.chars_per_line(width, size, bold)
                            for word in run.text.split(" "):
                                assert len(word) <= fits, (word, fits)
                                checked += 1
    assert checked > 50
