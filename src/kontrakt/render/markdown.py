"""Escaping user text for Markdown, so a title can never break the document."""

from __future__ import annotations

import html
import re

# Inline syntax anywhere in a line; `|` because text lands in table cells.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# Block syntax that only means something at the start of a line.
_LEADING = re.compile(r"^(#|\+|-|=|\d+[.)])")
# Line breaks and other breaking white space fold to one space; no-break spaces stay.
_BREAKING_SPACE = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


class Markdown(str):
    """Text that is already Markdown: templates print it as it is."""

    __slots__ = ()


# Text with none of the characters or starts escaping deals with needs no work.
_PLAIN = re.compile(r"(?![#+=\-]|\d+[.)])[^\\`*_\[\]|~<>&\t\r\n\f\v\u2028\u2029]*")


def escape_inline(value: object) -> Markdown:
    """Text safe in a Markdown paragraph, list item or table cell: one line, no markup, no HTML."""
    if isinstance(value, Markdown):
        return value
    plain = str(value)
    if _PLAIN.fullmatch(plain) and "  " not in plain and plain == plain.strip():
        return Markdown(plain)
    text = html.escape(_BREAKING_SPACE.sub(" ", str(value)).strip(), quote=False)
    text = _INLINE.sub(r"\\\1", text)
    return Markdown(_LEADING.sub(lambda match: "\\" + match.group(1), text))


def escape_mermaid(value: object) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for # " < > and one line."""
    text = " ".join(str(value).split())
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text
