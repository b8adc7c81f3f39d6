"""Escaping user text for Markdown, so a title can never break the document."""

from __future__ import annotations

import html
import re

# Inline syntax anywhere in a line; `|` because text lands in table cells.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# Block syntax that only means something at the start of a line.
_LEADING = re.compile(r"^(#|\+|-|=|\d+[.)])")


def escape_inline(value: object) -> str:
    """Text safe in a Markdown paragraph, list item or table cell: one line, no markup, no HTML."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    text = _INLINE.sub(r"\\\1", text)
    return _LEADING.sub(lambda match: "\\" + match.group(1), text)
