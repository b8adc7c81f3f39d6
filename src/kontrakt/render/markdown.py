"""Escaping user text for Markdown, so a title can never break the document."""

from __future__ import annotations

import html
import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def escape_inline(value: object) -> str:
    """Text safe inside a Markdown paragraph or table cell: one line, no markup, no HTML."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _SPECIAL.sub(r"\\\1", text)
