"""The rendered documents convert cleanly with pandoc (the real one, from its wheel)."""

from __future__ import annotations

import re
from pathlib import Path

import pypandoc
import pytest

GOLDEN = Path(__file__).parent / "golden"
DOCUMENTS = sorted(p.name for p in GOLDEN.glob("*.md"))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_converts_to_html_without_leftover_markup(name: str) -> None:
    markdown = (GOLDEN / name).read_text(encoding="utf-8")
    html = pypandoc.convert_text(markdown, "html", format="gfm")
    tables = len(re.findall(r"^\| --- \|", markdown, flags=re.M))
    assert html.count("<table>") == tables
    prose = re.sub(r"<pre.*?</pre>", "", html, flags=re.S)  # code blocks keep their syntax
    text = re.sub(r"<[^>]+>", "", prose)  # what a reader sees
    assert "**" not in text
    assert "|" not in text  # no table row was left as a paragraph
    assert "\\" not in text
    assert html.count("<h2") == len(re.findall(r"^## ", markdown, flags=re.M))


def test_pandoc_sees_the_mermaid_diagram_as_code() -> None:
    markdown = (GOLDEN / "report-2024-02-27.md").read_text(encoding="utf-8")
    html = pypandoc.convert_text(markdown, "html", format="gfm")
    assert '<pre class="mermaid"><code>flowchart LR' in html
