"""Stage 2a: bytes to text, before any YAML parser sees them.

Only UTF-8 is accepted (a BOM is fine). Characters that hide or garble what a
reviewer sees in a pull request (NUL, control characters, bidi overrides,
zero-width characters) are refused with their line and column.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kontrakt.diagnostics import Diagnostic, error

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)

# C0 controls except tab, line feed and carriage return; DEL and C1 controls;
# zero-width characters; bidi embeddings, overrides and isolates; U+2028/2029,
# which YAML counts as line breaks but editors and diffs do not.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200d\u2060\ufeff"
    "\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029]"
)
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff")

MAX_CHARACTER_PROBLEMS = 20


def decode(path: Path, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the file's text, or None with the reasons it cannot be read."""
    for bom, name in _OTHER_BOMS:
        if raw.startswith(bom):
            return None, [
                error(path, 1, 1, "encoding", f"file is {name}; save it as UTF-8 instead")
            ]
    body = raw[len(_UTF8_BOM) :] if raw.startswith(_UTF8_BOM) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(body, exc.start)
        return None, [
            error(
                path,
                line,
                column,
                "encoding",
                f"invalid UTF-8 byte 0x{body[exc.start]:02x}; "
                "save the file as UTF-8 (kontrakt reads no other encoding)",
            )
        ]
    problems = _forbidden_characters(path, text)
    return (None if problems else text), problems


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def text_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _forbidden_characters(path: Path, text: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for match in _FORBIDDEN.finditer(text):
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            break
        char = match.group()
        line, column = text_position(text, match.start())
        problems.append(error(path, line, column, "character", _describe(char)))
    return problems


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    label = f"{code} {name}".strip() if name else f"{code} (control character)"
    if char in _BIDI:
        why = "it can make text display differently from what it says"
    elif char in _ZERO_WIDTH:
        why = "it is invisible"
    elif char == "\x00":
        why = "a NUL byte means the file is binary or not UTF-8"
    elif char in "\u2028\u2029":
        why = "YAML counts it as a line break that editors do not show; use a newline"
    else:
        why = "control characters do not belong in portfolio text"
    return f"forbidden character {label}: {why}; remove it"
