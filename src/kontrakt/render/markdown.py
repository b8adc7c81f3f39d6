"""Escaping user text for Markdown, so a title can never break the document."""

from __future__ import annotations

import html
import re

from kontrakt.render.safe import BEYOND_C0, one_line

# Inline syntax anywhere in a line; `|` because text lands in table cells.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# Block syntax that only means something at the start of a line; and `::`, which
# would start a GitHub workflow command were the value printed first on a line.
_LEADING = re.compile(r"^(#|\+|-|=|:(?=:)|(\d+)([.)]))")
# Line breaks and other breaking white space fold to one space; no-break spaces stay.
_BREAKING_SPACE = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


class Markdown(str):
    """Text that is already Markdown: templates print it as it is."""

    __slots__ = ()


# Text with none of the characters or starts escaping deals with needs no work.
_PLAIN = re.compile(r"(?![#+=\-]|\d+[.)]|::)" f"[^\\\\`*_\\[\\]|~<>&\x00-\x1f{BEYOND_C0}]*")


def escape_inline(value: object) -> Markdown:
    """Text safe in a Markdown paragraph, list item or table cell: one line, no markup, no HTML."""
    if isinstance(value, Markdown):
        return value
    text = str(value)
    if _PLAIN.fullmatch(text) and "  " not in text and text == text.strip():
        return Markdown(text)  # the common case: nothing to escape or fold
    return escape_full(text)


def escape_full(text: str) -> Markdown:
    """The escaping itself, without the shortcut for plain text.

    Line breaks fold into spaces; other control characters are shown as `\\x1b`,
    so no value can drive the terminal the document is printed on.
    """
    folded = one_line(_BREAKING_SPACE.sub(" ", text).strip())
    escaped = html.escape(folded, quote=False)
    escaped = _INLINE.sub(r"\\\1", escaped)
    return Markdown(_LEADING.sub(_escape_leading, escaped))


def _escape_leading(match: re.Match[str]) -> str:
    """`# x` -> `\\# x`; `1. x` -> `1\\. x` (a digit cannot be escaped, its period can)."""
    if match.group(2):
        return f"{match.group(2)}\\{match.group(3)}"
    return "\\" + match.group(1)


# A label with single spaces and none of # " < > % ` or a control is already safe.
_MERMAID_WORD = f'[^#"<>%`\\s\x00-\x1f{BEYOND_C0}]+'
_MERMAID_PLAIN = re.compile(f"{_MERMAID_WORD}(?: {_MERMAID_WORD})*")


def escape_mermaid(value: object) -> str:
    """Text safe inside a quoted Mermaid label: one line, entity codes for # " < > and
    for % (no `%%{…}%%` directive) and ` (no Markdown string, no closing fence)."""
    text = str(value)
    if _MERMAID_PLAIN.fullmatch(text):
        return text  # the common case
    return escape_mermaid_full(text)


def escape_mermaid_full(text: str) -> str:
    """The Mermaid escaping itself, without the shortcut for plain labels."""
    text = one_line(" ".join(text.split()))
    for char, code in (
        ("#", "#35;"),
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("%", "#37;"),
        ("`", "#96;"),
    ):
        text = text.replace(char, code)
    return text
