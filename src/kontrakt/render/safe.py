"""Text that cannot drive a terminal or a CI log, whatever a file or its name holds.

File names, folder names, git revisions and values from pull requests end up in
kontrakt's output, which reviewers read in a terminal and CI reads as commands.
So:

- no control character (C0, DEL, C1, so no ESC sequence, OSC 8 link or OSC 52
  clipboard write) and no bidi override reaches a terminal: each is shown as
  `\\x1b` or `\\u202e` (`escape_controls`);
- a value or path echoed on one line stays on one line: CR, LF and tab are shown
  as `\\r`, `\\n` and `\\t` (`one_line`), or folded into a space in table cells
  (`fold`);
- JSON escapes what `json.dumps` leaves raw (DEL, C1, bidi, U+2028/2029) as
  `\\uXXXX`, so it stays valid and lossless (`to_json`);
- under GitHub Actions no line starts a workflow command: a leading `::` (after
  spaces, as the runner reads it) and a `##[` anywhere (the legacy form) are
  written with a `\\u` escape (`guard_ci`); the escape is valid inside JSON.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

# Everything a terminal may act on, except tab, line feed and a CR right before a
# line feed (the line ends of an .ics file), which end a line and overwrite nothing;
# and lone surrogates, which a file name that is not UTF-8 holds (its bytes kept by
# surrogateescape) and which can be neither shown nor encoded.
#
# BEYOND_C0 is the part past the C0 controls (DEL and C1, bidi controls, line and
# paragraph separators, lone surrogates), as a character class's body: every
# pattern that keeps such characters out (here, and in markdown.py) is built from it.
BEYOND_C0 = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{BEYOND_C0}]|\r(?!\n)")
_CONTROL_BUT_CR = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{BEYOND_C0}]")
# The same with tab and line feed: for what must stay on one line.
_CONTROL_ONE_LINE = re.compile(f"[\x00-\x1f{BEYOND_C0}]")
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")
_JSON_RAW = re.compile(f"[{BEYOND_C0}]")  # json.dumps escapes the C0 controls itself
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# A workflow command: `::` first on a line after spaces, or the legacy `##[` anywhere.
# The runner trims any Unicode white space (a no-break space too) before `::`.
_WORKFLOW_COMMAND = re.compile(r"^([^\S\n]*):(?=:)|##\[", re.MULTILINE)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Every character these escape is one str.isprintable() refuses (test_output_safety.py
# proves it over all of Unicode), so printable text, most of it, is let through at C
# speed without a regular expression's search.


def escape_controls(text: str) -> str:
    """Multi-line text for a terminal: every control shown escaped but tab, LF and CRLF."""
    if text.isprintable():
        return text
    # One character class finds the rest, three times as fast as _CONTROL's
    # alternation over a page of text; a lone CR is one no LF follows (CRLF text,
    # a calendar, counts its CRs twice over at C speed).
    if _CONTROL_BUT_CR.search(text) is None and (
        "\r" not in text or text.count("\r") == text.count("\r\n")
    ):
        return text
    return _CONTROL.sub(_escape, text)


def one_line(text: str) -> str:
    """A value or path inside a one-line message: line breaks shown as `\\n` too."""
    if text.isprintable():
        return text
    return _CONTROL_ONE_LINE.sub(_escape, text) if _CONTROL_ONE_LINE.search(text) else text


def fold(text: str) -> str:
    """A table cell: line breaks and tabs become one space, other controls escaped."""
    if text.isprintable() or _CONTROL_ONE_LINE.search(text) is None:
        return text
    return one_line(_LINE_BREAKS.sub(" ", text))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(document: Any) -> str:
    """JSON as kontrakt prints it: UTF-8 text, indented, nothing a terminal acts on."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _JSON_RAW.sub(_json_escape, text)


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _defuse(match: re.Match[str]) -> str:
    if match.group() == "##[":
        return "##\\u005b"
    return f"{match.group(1)}\\u003a"


def guard_ci(text: str) -> str:
    """Text with no line that GitHub's runner would read as a workflow command."""
    if "::" not in text and "##[" not in text:
        return text
    return _WORKFLOW_COMMAND.sub(_defuse, text)


def guard_command_data(text: str) -> str:
    """The data of a workflow command kontrakt means to print: the legacy `##[`
    written escaped, as everywhere else, so no second command hides in it."""
    return text.replace("##[", "##\\u005b")


def for_terminal(text: str, *, ci: bool | None = None) -> str:
    """Everything kontrakt prints passes here last (the CLI's one way out)."""
    text = escape_controls(text)
    if in_github_actions() if ci is None else ci:
        text = guard_ci(text)
    return text
