"""Stage 2a, decode.py: bytes to text before any YAML parser sees them.

Only UTF-8 is read (with or without a BOM); UTF-16 and UTF-32, with a BOM or
recognised by their NUL bytes, are refused at 1:1; an invalid byte and every
forbidden character (NUL, controls, bidi, zero-width, U+2028/9, noncharacters)
are reported at their line and column, counted in characters after the BOM.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kontrakt.decode import MAX_CHARACTER_PROBLEMS, decode, first_forbidden, text_position

PATH = Path("initiatives/x.yaml")
REMOVE = "; remove it"
CONTROL = "(control character): control characters do not belong in portfolio text"
BELL = f"forbidden character U+0007 {CONTROL}{REMOVE}"
NUL = "U+0000 (control character): a NUL byte means the file is binary or not UTF-8"


def _problems(raw: bytes) -> list[tuple[int, int, str, str]]:
    text, problems = decode(PATH, raw)
    assert text is None and problems
    assert {d.path for d in problems} == {PATH}
    assert {d.severity.value for d in problems} == {"error"}
    return [(d.line, d.column, d.rule, d.message) for d in problems]


@pytest.mark.parametrize(
    "text",
    [
        "title: Måltider och möten\n",
        "title: A\r\nnotes:\r\n  - 'tab\there'\r\n",  # CRLF and tab are kept as they are
        "title: 1\u00a0000 kr, 🙂, ½\n",  # no-break space, emoji: text, not controls
        "",
    ],
)
def test_utf8_is_returned_unchanged(text: str) -> None:
    assert decode(PATH, text.encode("utf-8")) == (text, [])


def test_a_utf8_bom_is_dropped_and_not_counted_in_columns() -> None:
    assert decode(PATH, b"\xef\xbb\xbftitle: A\n") == ("title: A\n", [])
    assert _problems(b"\xef\xbb\xbfa: \xff\n") == [
        (1, 4, "encoding", "invalid UTF-8 byte 0xff; save the file as UTF-8 (kontrakt reads "
         "no other encoding)"),
    ]  # fmt: skip
    # A second BOM is text, and invisible.
    assert _problems(b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n") == [
        (1, 1, "character", "forbidden character U+FEFF ZERO WIDTH NO-BREAK SPACE: it is "
         "invisible" + REMOVE),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("codec", "message"),
    [
        ("utf-16", "file is UTF-16; save it as UTF-8 instead"),
        ("utf-32", "file is UTF-32; save it as UTF-8 instead"),
        ("utf-16-le", "file looks like UTF-16 without a byte order mark; save it as UTF-8 instead"),
        ("utf-16-be", "file looks like UTF-16 without a byte order mark; save it as UTF-8 instead"),
        ("utf-32-le", "file looks like UTF-32 without a byte order mark; save it as UTF-8 instead"),
    ],
)
def test_utf16_and_utf32_are_refused_with_or_without_a_bom(codec: str, message: str) -> None:
    assert _problems("title: Ängsgärdet\n".encode(codec)) == [(1, 1, "encoding", message)]


def test_too_short_to_guess_a_wide_encoding_the_nul_is_reported() -> None:
    nul = f"forbidden character {NUL}{REMOVE}"
    assert _problems("a: 1".encode("utf-16-le")[:7]) == [
        (1, 2, "character", nul),
        (1, 4, "character", nul),
        (1, 6, "character", nul),
    ]


@pytest.mark.parametrize(
    ("raw", "line", "column", "byte"),
    [
        (b"a: 1\nb: \xc3(\n", 2, 4, "0xc3"),  # a lead byte without its continuation
        (b"title: \xc3\xa5\xc3\xa4\xc3\xb6 \xe9\n", 1, 12, "0xe9"),  # Latin-1 é after åäö
        (b"a: 1\r\nb: 2\r\n\x80", 3, 1, "0x80"),  # CRLF is one line break
        (b"a: 1\rb: 2\r\xfe", 3, 1, "0xfe"),  # so is a lone CR
        (b"title: \xe2\x82", 1, 8, "0xe2"),  # cut off at the end of the file
    ],
)
def test_an_invalid_byte_is_reported_at_its_character(
    raw: bytes, line: int, column: int, byte: str
) -> None:
    message = (
        f"invalid UTF-8 byte {byte}; save the file as UTF-8 (kontrakt reads no other encoding)"
    )
    assert _problems(raw) == [(line, column, "encoding", message)]


@pytest.mark.parametrize(
    ("char", "description"),
    [
        ("\x00", NUL),
        ("\x1b", f"U+001B {CONTROL}"),
        ("\x7f", f"U+007F {CONTROL}"),
        ("\x9b", f"U+009B {CONTROL}"),
        ("\u200d", "U+200D ZERO WIDTH JOINER: it is invisible"),
        ("\u2060", "U+2060 WORD JOINER: it is invisible"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE: it can make text display differently "
         "from what it says"),
        ("\u2029", "U+2029 PARAGRAPH SEPARATOR: YAML counts it as a line break that editors "
         "do not show; use a newline"),
    ],
)  # fmt: skip
def test_each_forbidden_character_says_why(char: str, description: str) -> None:
    message = f"forbidden character {description}{REMOVE}"
    assert _problems(f"title: Ok\nnote: a{char}b\n".encode()) == [(2, 8, "character", message)]
    assert first_forbidden(f"x{char}") == message


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="a noncharacter has no Unicode name, so it is labelled '(control character)' "
    "and the message contradicts itself: 'U+FFFF (control character): it is a noncharacter'",
)
@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_a_noncharacter_is_not_called_a_control_character(char: str) -> None:
    ((line, column, rule, message),) = _problems(f"a: {char}\n".encode())
    assert (line, column, rule) == (1, 4, "character")
    assert message.endswith(": it is a noncharacter, not text; remove it")
    assert "control character" not in message


def test_forbidden_characters_stop_at_the_cap_then_count_the_rest() -> None:
    def bells(count: int) -> list[tuple[int, int, str, str]]:
        return _problems(("a: " + "\x07" * count + "\n").encode())

    assert len(bells(MAX_CHARACTER_PROBLEMS)) == MAX_CHARACTER_PROBLEMS == 20
    one_more = bells(21)
    assert one_more[:2] == [(1, 4, "character", BELL), (1, 5, "character", BELL)]
    assert one_more[20:] == [(1, 24, "character", "and 1 more forbidden character")]
    assert bells(25)[20:] == [(1, 24, "character", "and 5 more forbidden characters")]


def test_text_position_counts_cr_lf_and_crlf_as_one_break_each() -> None:
    text = "ab\r\ncd\ref\ngh"
    assert [text_position(text, text.index(c)) for c in "acdefgh"] == [
        (1, 1), (2, 1), (2, 2), (3, 1), (3, 2), (4, 1), (4, 2),
    ]  # fmt: skip
    assert text_position(text, len(text)) == (4, 3)
    assert first_forbidden("title: Måltider\n\ttab\r\n") is None
