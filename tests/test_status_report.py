"""`kontrakt status` and `kontrakt report`: goldens, escaping, and as-of edges.

Goldens live in tests/golden/; regenerate them on purpose with
`KONTRAKT_REGENERATE=1 make test` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from typer.testing import CliRunner

from conftest import BUNDLED, FIXTURES, write
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.render import status as show_status
from kontrakt.render.budget import labeller
from kontrakt.render.report import render_report
from kontrakt.views.budget import Filters, budget_view
from kontrakt.views.snapshot import snapshot
from markdown_checks import assert_valid_markdown

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
ENGLISH = FIXTURES / "good" / "english" / "portfolio"
DAY = date(2024, 2, 27)


def _load(root: Path) -> Portfolio:
    portfolio = load_portfolio(root).portfolio
    assert portfolio is not None
    return portfolio


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KONTRAKT_REGENERATE"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _status_text(root: Path, day: date = DAY, width: int = 80) -> str:
    result = load_portfolio(root)
    portfolio = result.portfolio
    assert portfolio is not None
    snap = snapshot(portfolio, day)
    view = budget_view(portfolio, ["category"], Filters(as_of=day), labeller(portfolio))
    counts = show_status.CheckCounts(0, 1, result.files)
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(show_status.as_renderable(portfolio, snap, view, counts))
    return console.export_text()


@pytest.mark.parametrize(
    ("root", "name"),
    [(BUNDLED, "status-2024-02-27.txt"), (ENGLISH, "status-english-2024-02-27.txt")],
)
def test_status_golden_fits_80_columns(root: Path, name: str) -> None:
    text = _status_text(root)
    assert max(len(line) for line in text.splitlines()) <= 80
    _golden(name, text)


@pytest.mark.parametrize(
    ("root", "name"),
    [(BUNDLED, "report-2024-02-27.md"), (ENGLISH, "report-english-2024-02-27.md")],
)
def test_report_golden_is_valid_markdown(root: Path, name: str) -> None:
    text = render_report(_load(root), DAY)
    assert_valid_markdown(text)
    _golden(name, text)


def test_bundled_report_holds_the_portfolio() -> None:
    text = render_report(_load(BUNDLED), DAY)
    assert "- **19 initiativ:** 6 pågående, 3 på gång, 5 idéer framåt, 5 utan status" in text
    over = "- **Pilotbudget** överskrider ramen med 102\u00a0500\u00a0kr om förslagen beslutas"
    assert over in text
    assert (
        "| 2024-03-15 08:30–14:00 | Öppen verkstad - Existentiell hälsa i fokus | "
        "Öppen verkstad | Elite Stadshotell, Eskilstuna |" in text
    )
    assert '  i_examensarbeten_angsgardet -->|"Kopplat till testbädd"| i_angsgardet' in text
    assert "  b_framtidens_aldreboende_och_angsgardet -.- i_angsgardet" in text


@pytest.mark.parametrize("title", ["A [/] b", "[red]röd[/red] :smile:"])
def test_status_prints_titles_as_text_never_as_markup(bundled: Path, title: str) -> None:
    """rich reads [brackets] in a plain string as markup: '[/]' raised an internal error."""
    write(bundled, "initiatives/salus-mea.yaml", f"title: '{title}'\nstatus: ongoing\n")
    write(bundled, "questions/q.yaml", f"title: '{title}'\nraised: 2024-02-01\n")
    text = _status_text(bundled, width=200)
    # The question, and the initiative (ongoing since no day its file says: not stale).
    assert (text.count(f"  {title}"), text.count(f"⚠ {title}")) == (2, 0)
    result = runner.invoke(app, ["status", "-p", str(bundled), "--as-of", "2024-02-27"])
    assert result.exit_code == 0
    assert result.output.count(title) == 3  # also in the question about salus-mea


@pytest.mark.parametrize(
    ("day", "shown"), [(date(2024, 1, 10), "proposed"), (date(2024, 1, 20), "decided 2024-01-15")]
)
def test_report_shows_a_line_as_it_stood_on_the_day(day: date, shown: str) -> None:
    """The line decided on 2024-01-15 is still proposed in a report as of 2024-01-10.

    It funds meals and alarm; alarm entered the portfolio on 2024-02-27 (its first
    history entry), so on both days only meals is there to show it."""
    lines = render_report(_load(ENGLISH), day).splitlines()
    # In the table of its status, the line's amount and its state on the day; in the
    # paragraph under it, the line in full.
    rows = [line for line in lines if line.startswith("| Meals and meetings |")]
    assert rows == [f"| Meals and meetings | Pilot | Harbour City | SEK\u00a0285,000, {shown} |"]
    (paragraph,) = [line for line in lines if line.startswith("**Meals and meetings")]
    assert "Budget: Meals and meetings, 3 pilots, SEK\u00a0285,000, core budget," in paragraph
    assert "shared with other initiatives." in paragraph


def test_status_cli_plain_text_and_json() -> None:
    result = runner.invoke(app, ["status", "-p", str(BUNDLED), "--as-of", "2024-02-27"])
    assert result.exit_code == 0
    assert "\x1b[" not in result.output
    assert "Kontroll: 0 fel, 1 varning · visa med: kontrakt check" in result.output
    result = runner.invoke(
        app, ["status", "-p", str(BUNDLED), "--as-of", "2024-02-27", "--format", "json"]
    )
    document = json.loads(result.output)
    assert document["as_of"] == "2024-02-27"
    assert [(g["label"], len(g["initiatives"])) for g in document["initiatives"]] == [
        ("Pågående", 6),
        ("På gång", 3),
        ("Idéer framåt", 5),
        (None, 5),
    ]
    assert [e["date"] for e in document["events"]["upcoming"]] == ["2024-03-15", "2024-04-19"]
    assert [q["id"] for q in document["open_questions"]] == [
        "ofrivillig-ensamhet-statsbidrag",
        "salus-mea-trygghetslarm",
    ]
    pilot = next(row for row in document["budget"] if row["category"] == "pilot")
    assert (pilot["remaining_if_approved"], pilot["over_frame"]) == (-102500, True)
    assert document["check"] == {
        "errors": 0,
        "warnings": 1,
        "files": 35,
        "command": "kontrakt check",
    }


def test_status_with_errors_still_shows_and_withholds_the_budget(bundled: Path) -> None:
    write(bundled, "budget/trasig.yaml", "title: T\namount: 1,5 mnkr\nperiod: 2024\n")
    result = runner.invoke(app, ["status", "-p", str(bundled), "--as-of", "2024-02-27"])
    assert result.exit_code == 0
    assert "Budgeten visas inte: portföljen har fel." in result.output
    assert "Kontroll: 1 fel, 1 varning · visa med: kontrakt check" in result.output


def test_no_color_gives_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    result = runner.invoke(app, ["status", "-p", str(BUNDLED), "--as-of", "2024-02-27"], color=True)
    assert "\x1b[" not in result.output


# --- escaping -------------------------------------------------------------------------

HOSTILE_TITLES = {
    "pipe": "A | B | C",
    "script": "<script>alert(1)</script>",
    "template": "{{ 7*7 }} {% if true %}x{% endif %}",
    "heading": "# Not a heading",
    "link": "[click](javascript:alert(1))",
    "mermaid": 'Quote " and ]"] end',
}


@pytest.fixture
def hostile(minimal: Path) -> Path:
    for key, title in HOSTILE_TITLES.items():
        write(minimal, f"initiatives/{key}.yaml", f"title: {json.dumps(title)}\nstatus: idea\n")
    write(
        minimal,
        "budget/delad.yaml",
        'title: "| delad <b>rad</b> |"\namount: 1000\nperiod: 2024\ncategory: pilot\n'
        "initiatives: [pipe, script]\n",
    )
    write(
        minimal,
        "events/e.yaml",
        'title: "{{ 7*7 }} | <i>x</i>"\nkind: oppen-verkstad\ndate: 2024-03-01\n'
        "initiatives: [mermaid]\n",
    )
    return minimal


def test_user_text_cannot_break_the_report(hostile: Path) -> None:
    text = render_report(_load(hostile), DAY)
    assert_valid_markdown(text)
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    # The titles in their status's table: every cell one cell, nothing evaluated.
    assert "| \\{{ 7\\*7 }} {% if true %}x{% endif %} |" not in text  # braces are not escaped
    assert "| {{ 7\\*7 }} {% if true %}x{% endif %} | – | – |" in text  # printed, never evaluated
    assert "49" not in text
    assert "| \\# Not a heading | – | – |" in text
    assert "| \\[click\\](javascript:alert(1)) | – | – |" in text
    assert "| A \\| B \\| C | – | 1\u00a0000\u00a0kr, föreslagen |" in text
    # In the paragraph under the table, with the shared line's title escaped too.
    assert (
        "**A \\| B \\| C.** Budget: \\| delad &lt;b&gt;rad&lt;/b&gt; \\|, "
        "1\u00a0000\u00a0kr, pilotbudget, delad med andra initiativ." in text
    )
    assert '["Quote #quot; and \\]#quot;\\] end"]' not in text
    assert 'i_mermaid["Quote #quot; and ]#quot;] end"]' in text
    assert "| {{ 7\\*7 }} \\| &lt;i&gt;x&lt;/i&gt; |" in text


def test_user_text_cannot_break_the_budget_table(hostile: Path) -> None:
    result = runner.invoke(app, ["budget", "-p", str(hostile), "--format", "markdown"])
    assert result.exit_code == 0
    assert_valid_markdown(result.output, tables=1)
    assert "↳ *\\| delad &lt;b&gt;rad&lt;/b&gt; \\|*" in result.output


# --- as-of edges ----------------------------------------------------------------------


def test_as_of_edges(minimal: Path) -> None:
    write(
        minimal,
        "initiatives/beta.yaml",
        "title: Beta\nstatus: ongoing\nhistory:\n"
        "  - {date: 2024-01-01, status: upcoming}\n"
        "  - {date: 2024-02-27, status: ongoing}\n"
        "milestones:\n"
        "  - {date: 2024-02-26, title: Dagen före}\n",
    )
    write(
        minimal,
        "initiatives/gamma.yaml",
        "title: Gamma\nmilestones:\n  - {date: 2024-02-27, title: Samma dag}\n",
    )
    write(minimal, "events/idag.yaml", "title: Idag\nkind: oppen-verkstad\ndate: 2024-02-27\n")
    write(minimal, "events/igar.yaml", "title: Igår\nkind: oppen-verkstad\ndate: 2024-02-26\n")
    write(minimal, "events/sist.yaml", "title: Sist\nkind: oppen-verkstad\ndate: 2024-04-27\n")
    write(minimal, "events/for-sent.yaml", "title: Sent\nkind: oppen-verkstad\ndate: 2024-04-28\n")
    for name, answered in (
        ("fore", "2024-02-26"),
        ("samma", "2024-02-27"),
        ("efter", "2024-02-28"),
    ):
        write(
            minimal,
            f"questions/{name}.yaml",
            f"title: {name}\nraised: 2024-02-01\nanswer: Ja\nanswered: {answered}\n",
        )
    write(minimal, "questions/ny.yaml", "title: ny\nraised: 2024-02-28\n")
    portfolio = _load(minimal)

    on_day = snapshot(portfolio, DAY)
    states = {s.id: s for s in on_day.initiatives}
    assert states["beta"].status is not None and states["beta"].status.value == "ongoing"
    assert states["beta"].overdue is True  # a milestone the day before
    assert states["gamma"].overdue is False  # due on the day itself: not overdue yet
    assert [k for k, _ in on_day.upcoming_events] == ["idag", "sist"]  # the day and day+60
    assert [k for k, _ in on_day.past_events] == ["igar"]
    assert [k for k, _ in on_day.open_questions] == ["efter"]
    assert sorted(k for k, _ in on_day.answered_questions) == ["fore", "samma"]

    day_before = snapshot(portfolio, date(2024, 2, 26))
    states = {s.id: s for s in day_before.initiatives}
    assert states["beta"].status is not None and states["beta"].status.value == "upcoming"
    assert states["beta"].overdue is False
    assert sorted(k for k, _ in day_before.open_questions) == ["efter", "samma"]


# --- output and templates -------------------------------------------------------------


def test_report_output_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "rapport.md"
    result = runner.invoke(
        app, ["report", "-p", str(BUNDLED), "--as-of", "2024-02-27", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") == render_report(_load(BUNDLED), DAY)
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.md"]


def test_a_failing_template_leaves_the_output_untouched(tmp_path: Path) -> None:
    target = tmp_path / "rapport.md"
    target.write_text("före\n", encoding="utf-8")
    template = tmp_path / "egen.md.j2"
    template.write_text("# {{ mission }}\n{{ no_such_name }}\n", encoding="utf-8")
    result = runner.invoke(
        app, ["report", "-p", str(BUNDLED), "--template", str(template), "-o", str(target)]
    )
    assert result.exit_code == 1
    assert "template egen.md.j2 (line 2): 'no_such_name' is undefined" in result.output
    assert target.read_text(encoding="utf-8") == "före\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["egen.md.j2", "rapport.md"]


def test_own_template_can_include_the_bundled_budget_table(tmp_path: Path) -> None:
    template = tmp_path / "kort.md.j2"
    template.write_text(
        "# {{ mission }} ({{ day }})\n\n{% with table = budget.table %}"
        '{% include "budget-table.md.j2" %}{% endwith %}',
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["report", "-p", str(BUNDLED), "--as-of", "2024-02-27", "--template", str(template)],
    )
    assert result.exit_code == 0
    assert result.output.startswith("# Välmående och självständiga äldre (2024-02-27)\n\n| ")
    assert_valid_markdown(result.output, tables=1)


def test_sandbox_refuses_unsafe_template_code(tmp_path: Path) -> None:
    template = tmp_path / "elak.md.j2"
    template.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "-p", str(BUNDLED), "--template", str(template)])
    assert result.exit_code == 1
    assert "template elak.md.j2" in result.output
    assert "unsafe" in result.output


def test_report_refuses_a_portfolio_with_errors(bundled: Path) -> None:
    shutil.rmtree(bundled / "events")
    result = runner.invoke(app, ["report", "-p", str(bundled)])
    assert result.exit_code == 1
    assert "unknown event 'oppen-verkstad-existentiell-halsa'" in result.output


@given(st.text(max_size=60))
def test_plain_text_shortcut_escapes_exactly_like_the_full_escaping(text: str) -> None:
    from kontrakt.render.markdown import escape_full, escape_inline

    assert escape_inline(text) == escape_full(text)


@given(
    st.text(alphabet=st.sampled_from(' #"<>ab\t\n\u00a0\u2028'), max_size=20) | st.text(max_size=40)
)
def test_mermaid_shortcut_escapes_exactly_like_the_full_escaping(text: str) -> None:
    from kontrakt.render.markdown import escape_mermaid, escape_mermaid_full

    assert escape_mermaid(text) == escape_mermaid_full(text)


def test_escaping_examples() -> None:
    from kontrakt.render.markdown import escape_inline

    assert escape_inline("A | B") == "A \\| B"
    assert escape_inline("# rubrik") == "\\# rubrik"
    assert escape_inline("1. punkt") == "1\\. punkt"
    assert escape_inline("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert escape_inline(" två\n rader ") == "två rader"
    assert escape_inline("Ängsgärdet – testbädd") == "Ängsgärdet – testbädd"


def test_a_weave_too_large_to_read_is_said_not_drawn(minimal: Path) -> None:
    """Past WEAVE_MOST initiatives the weave is a wall of boxes: every format of
    the report says so in its place, and draws none."""
    from docx import Document

    from kontrakt.render.html import render_report_html
    from kontrakt.render.report import WEAVE_MOST, ReportRequest
    from kontrakt.render.word import report_docx

    for number in range(WEAVE_MOST):  # with alfa, one more than is drawn
        write(minimal, f"initiatives/i{number}.yaml", f"title: Initiativ {number}\nstatus: idea\n")
    portfolio = _load(minimal)
    note = (
        f"Väven ritas för högst {WEAVE_MOST} initiativ; portföljen har {WEAVE_MOST + 1} "
        "per 2024-02-27."
    )
    markdown = render_report(portfolio, DAY)
    assert "```mermaid" not in markdown
    assert f"## Portföljens väv\n\n{note}\n" in markdown
    page = render_report_html(ReportRequest(portfolio, DAY))
    assert 'id="weave-chart"' not in page and f"<p>{note}</p>" in page
    document = Document(io.BytesIO(report_docx(ReportRequest(portfolio, DAY)).data or b""))
    assert note in [paragraph.text for paragraph in document.paragraphs]
    assert len(document.inline_shapes) == 2  # initiatives by status, the budget
    # One fewer and it is drawn; with --no-diagram neither drawn nor said.
    (minimal / "initiatives" / "i0.yaml").unlink()
    assert "```mermaid" in render_report(_load(minimal), DAY)
    assert "Portföljens väv" not in render_report(_load(minimal), DAY, diagram=False)
