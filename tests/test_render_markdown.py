"""Escaping user text for Markdown and Mermaid (render/markdown.py): no character a
terminal acts on, or that cannot be encoded, comes back as it was."""

from __future__ import annotations

import pytest

from kontrakt.render.markdown import escape_inline, escape_mermaid

# A lone surrogate is what a file name that is not UTF-8 holds; the others are
# one of each class the escaping keeps out.
UNSAFE = ["\udc80", "\x1b", "\x85", "\u202e", "\u2028"]


@pytest.mark.parametrize("char", UNSAFE)
def test_no_unsafe_character_survives_the_plain_text_shortcut(char: str) -> None:
    for escape in (escape_inline, escape_mermaid):
        shown = escape(f"a{char}b")
        assert char not in shown
        shown.encode("utf-8")  # printable and writable


def test_plain_text_is_left_as_it_is() -> None:
    assert escape_inline("Salus mea – trygghetslarm") == "Salus mea – trygghetslarm"
    assert escape_mermaid("Salus mea – trygghetslarm") == "Salus mea – trygghetslarm"
    assert escape_inline("a*b") == "a\\*b"
