"""Shared assertions that rendered Markdown is valid CommonMark with sound tables."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark").enable("table")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def assert_valid_markdown(text: str, *, tables: int | None = None) -> None:
    """No raw HTML gets through, and every table row has its header's column count."""
    tokens = _PARSER.parse(text)
    kinds = {token.type for token in tokens}
    inline = {child.type for token in tokens for child in token.children or []}
    assert "html_block" not in kinds
    assert "html_inline" not in inline
    found = sum(1 for token in tokens if token.type == "table_open")
    if tables is not None:
        assert found == tables
    for block in _table_blocks(text):
        widths = {len(_UNESCAPED_PIPE.findall(line)) for line in block}
        assert len(widths) == 1, f"a table row has the wrong number of cells: {block}"


def _table_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks
