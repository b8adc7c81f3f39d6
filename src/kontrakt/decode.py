"""Stage 2a: bytes to text, before any YAML parser sees them.

Only UTF-8 is accepted (a BOM is fine). Characters that hide or garble what a
reviewer sees in a pull request (NUL, control characters, bidi overrides,
zero-width characters) are refused with their line and column.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from kontrakt.diagnostics import Diagnostic, FilePath, error
from kontrakt.i18n import _, ngettext, numeral

_UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_BOM_STARTS = frozenset(bom[:1] for bom, _name in _OTHER_BOMS)

# C0 controls except tab, line feed and carriage return; DEL and C1 controls;
# zero-width characters; bidi embeddings, overrides and isolates; U+2028/2029,
# which YAML counts as line breaks but editors and diffs do not.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200d\u2060\ufeff"
    "\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ufffe\uffff]"
)
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH = set("\u200b\u200c\u200d\u2060\ufeff")

MAX_CHARACTER_PROBLEMS = 20


def decode(path: FilePath, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Return the file's text, or None with the reasons it cannot be read."""
    if raw[:1] in _BOM_STARTS:  # most files: none of the checks below applies
        for bom, name in _OTHER_BOMS:
            if raw.startswith(bom):
                message = _("file is {encoding}; save it as UTF-8 instead").format(encoding=name)
                return None, [error(path, 1, 1, "encoding", message)]
    body = raw[len(_UTF8_BOM) :] if raw.startswith(_UTF8_BOM) else raw
    wide = _utf16_or_32_without_bom(body)
    if wide:
        return None, [
            error(
                path,
                1,
                1,
                "encoding",
                _(
                    "file looks like {encoding} without a byte order mark; save it as UTF-8 instead"
                ).format(encoding=wide),
            )
        ]
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
                _(
                    "invalid UTF-8 byte {byte}; "
                    "save the file as UTF-8 (kontrakt reads no other encoding)"
                ).format(byte=f"0x{body[exc.start]:02x}"),
            )
        ]
    problems = _forbidden_characters(path, text)
    return (None if problems else text), problems


def _utf16_or_32_without_bom(data: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when NUL bytes make up a half or three quarters of the start.

    Text in UTF-16 has a NUL in about every second byte, UTF-32 in three of four;
    a stray NUL in UTF-8 text is reported as a forbidden character instead.
    """
    head = data[:256]
    if len(head) < 8:
        return None
    share = head.count(0) / len(head)
    if share > 0.6:
        return "UTF-32"
    if share > 0.3:
        return "UTF-16"
    return None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    prefix = data[:offset].decode("utf-8", errors="replace")
    return text_position(prefix, len(prefix))


def text_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, counting CR, LF and CRLF as breaks."""
    prefix = text[:offset]
    crlf = prefix.count("\r\n")
    line = prefix.count("\n") + prefix.count("\r") - crlf + 1
    line_start = max(prefix.rfind("\n"), prefix.rfind("\r")) + 1
    return line, len(prefix) - line_start + 1


def first_forbidden(text: str) -> str | None:
    """The description of the first forbidden character in `text`, if any."""
    match = _FORBIDDEN.search(text)
    return None if match is None else _describe(match.group())


def _forbidden_characters(path: FilePath, text: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    if _FORBIDDEN.search(text) is None:
        return problems  # nearly every file: one search, no iterators
    matches = _FORBIDDEN.finditer(text)  # an iterator: a file of them is never all held
    for match in itertools.islice(matches, MAX_CHARACTER_PROBLEMS):
        line, column = text_position(text, match.start())
        problems.append(error(path, line, column, "character", _describe(match.group())))
    following = next(matches, None)
    if following is not None:
        line, column = text_position(text, following.start())
        more = 1 + sum(1 for _match in matches)
        message = ngettext(
            "and {count} more forbidden character",
            "and {count} more forbidden characters",
            more,
        ).format(count=numeral(more))
        problems.append(error(path, line, column, "character", message))
    return problems


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    unnamed = _("{code} (control character)")
    label = f"{code} {name}".strip() if name else unnamed.format(code=code)
    if char in _BIDI:
        why = _("it can make text display differently from what it says")
    elif char in _ZERO_WIDTH:
        why = _("it is invisible")
    elif char == "\x00":
        why = _("a NUL byte means the file is binary or not UTF-8")
    elif char in "\u2028\u2029":
        why = _("YAML counts it as a line break that editors do not show; use a newline")
    elif char in "\ufffe\uffff":
        why = _("it is a noncharacter, not text")
    else:
        why = _("control characters do not belong in portfolio text")
    return _("forbidden character {character}: {reason}; remove it").format(
        character=label, reason=why
    )
