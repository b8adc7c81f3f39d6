"""Hostile and broken input files: each gets its exact diagnostic, the rest are still checked.

Every case copies the bundled portfolio into tmp_path and adds one hostile file
(or several). It also adds a witness: a second, separately broken file that sorts
after the hostile ones, so each case proves that loading went on past the hostile
file and that the witness still got its own diagnostic.

The last group of cases pins defects this corpus found (a named pipe that hung the
check, a symlinked kontrakt.yaml that was read, escapes that smuggled forbidden
characters, positions past the end of a file, ...) so they stay fixed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

import kontrakt.load
from kontrakt.cli import app
from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.load import LoadResult, load_portfolio

BUNDLED = Path(__file__).resolve().parent.parent / "portfolio"
MIB = 1024 * 1024

HOSTILE = "initiatives/hostile.yaml"
BUDGET = "budget/hostile.yaml"
EVENT = "events/hostile.yaml"
WITNESS_PATH = "initiatives/zz-witness.yaml"
WITNESS_TEXT = "title: Vittne\nstart: 2024-13-01\n"


class Expect(NamedTuple):
    """One expected diagnostic; `message` is the whole message or a distinctive part."""

    path: str
    line: int
    column: int
    rule: str
    message: str


WITNESS = Expect(WITNESS_PATH, 2, 8, "invalid-value", "2024-13-01 is not a date in the calendar")

Found = tuple[str, int, int, str, str]


# What the bundled portfolio reports on its own (it may carry warnings of its own);
# assert_reports leaves these out, so each case asserts only what its files cause.
_baseline: frozenset[Found] = frozenset()


@pytest.fixture(scope="module", autouse=True)
def _bundled_baseline(tmp_path_factory: pytest.TempPathFactory) -> None:
    global _baseline
    target = tmp_path_factory.mktemp("baseline") / "portfolio"
    shutil.copytree(BUNDLED, target)
    _baseline = frozenset(found(load_portfolio(target), target))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A writable copy of the bundled portfolio, plus the witness file."""
    target = tmp_path / "portfolio"
    shutil.copytree(BUNDLED, target)
    put(target, WITNESS_PATH, WITNESS_TEXT.encode())
    return target


def put(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def load(root: Path, files: dict[str, bytes]) -> LoadResult:
    for relative, data in files.items():
        put(root, relative, data)
    return load_portfolio(root)


def found_item(d: Diagnostic, root: Path) -> Found:
    return (d.path.relative_to(root).as_posix(), d.line, d.column, d.rule, d.message)


def found(result: LoadResult, root: Path) -> list[Found]:
    return [found_item(d, root) for d in result.diagnostics]


def _matches(actual: Found, expected: Expect) -> bool:
    return actual[:4] == tuple(expected[:4]) and expected.message in actual[4]


def assert_reports(result: LoadResult, root: Path, *expected: Expect) -> None:
    """Exactly `expected` (in kontrakt's sorted order) plus the witness, all of them errors.

    A budget file that cannot be read is not counted in the frames, which say so
    (tests/test_broken_portfolio.py): those warnings are not the file's own."""
    got = [
        item
        for item in found(result, root)
        if item not in _baseline and item[3] not in ("frame-exceeded", "frame-incomplete")
    ]
    severities = {
        d.severity
        for d in result.diagnostics
        if found_item(d, root) not in _baseline
        and d.rule not in ("frame-exceeded", "frame-incomplete")
    }
    assert severities == {Severity.ERROR}, got
    witness = [item for item in got if _matches(item, WITNESS)]
    assert len(witness) == 1, f"the witness file was not checked: {got}"
    rest = [item for item in got if item not in witness]
    assert len(rest) == len(expected), rest
    assert all(map(_matches, rest, expected)), rest


def budget(amount: str) -> dict[str, bytes]:
    """A budget line whose `amount` value starts at line 2, column 9."""
    return {BUDGET: f"title: Rad\namount: {amount}\nperiod: 2024\n".encode()}


def billion_laughs(levels: int = 9) -> bytes:
    lines = ["title: T", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return ("\n".join(lines) + "\n").encode()


# --- Broken files and their exact diagnostics -----------------------------------------------

SYNTAX = "YAML syntax error: "
FORBIDDEN = "forbidden character "
CONTROL = ": control characters do not belong in portfolio text; remove it"
DIRECTIVE = (
    "%YAML and %TAG directives are not allowed; remove the lines starting with % "
    "(kontrakt always reads YAML 1.2)"
)
SECOND_DOCUMENT = "a second YAML document (---) in one file; put each entity in a file of its own"
TAG_HINT = " is not allowed; write the plain value (quote it if it must stay text)"
DEPTH = "nested deeper than 32 levels; portfolio files are shallow, so flatten this structure"
DECIMAL = "amounts are whole kronor: write an integer such as 285000, not a decimal number"


def _case(files: dict[str, bytes], *expected: Expect, id: str) -> object:
    return pytest.param(files, expected, id=id)


CASES = [
    # YAML syntax errors.
    _case(
        {HOSTILE: 'title: "Ofullständig\nstatus: idea\n'.encode()},
        Expect(
            HOSTILE,
            1,
            8,
            "yaml-syntax",
            SYNTAX + "found unexpected end of stream (while scanning a quoted scalar started "
            "on line 1); close the quote or bracket that was opened",
        ),
        id="unclosed-double-quote",
    ),
    _case(
        {HOSTILE: b"title: T\nstatus: idea\nowner: 'Asa\n"},
        Expect(HOSTILE, 3, 8, "yaml-syntax", "scanning a quoted scalar started on line 3"),
        id="unclosed-single-quote",
    ),
    _case(
        {HOSTILE: b"title: T\nrelated:\n\t- angsgardet\n"},
        Expect(
            HOSTILE,
            3,
            1,
            "yaml-syntax",
            SYNTAX + "found character that cannot start any token (while scanning for the "
            "next token started on line 3); line 3 is indented with a tab; indent with spaces "
            "only",
        ),
        id="tab-indentation",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes:\n  - a\n\t- b\n"},
        Expect(
            HOSTILE,
            4,
            1,
            "yaml-syntax",
            SYNTAX + "found a tab character that violates indentation (while scanning a plain "
            "scalar started on line 3)",
        ),
        id="tab-inside-list",
    ),
    _case(
        {HOSTILE: b"title: a: b: c\n"},
        Expect(
            HOSTILE,
            1,
            9,
            "yaml-syntax",
            SYNTAX + "mapping values are not allowed in this context; the value on line 1 "
            "contains ': ', so it needs quotes: write title: 'a: b: c'",
        ),
        id="a-b-c",
    ),
    _case(
        {HOSTILE: "status: idea\ntitle: Ängsgärdet: nu\n".encode()},
        Expect(HOSTILE, 2, 18, "yaml-syntax", "mapping values are not allowed in this context"),
        id="a-b-c-after-non-ascii",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes: [a, b\nstatus: idea\n"},
        Expect(
            HOSTILE,
            3,
            7,
            "yaml-syntax",
            SYNTAX + "did not find expected ',' or ']' (while parsing a flow sequence started "
            "on line 2)",
        ),
        id="unclosed-flow-bracket",
    ),
    _case(
        {HOSTILE: b"title: T\n...\ntitle: U\n"},
        Expect(HOSTILE, 3, 1, "yaml-syntax", SYNTAX + "did not find expected <document start>"),
        id="document-end-marker",
    ),
    # Text that looks like markup must be quoted; unquoted, YAML reads it as structure.
    _case(
        {HOSTILE: b"title: {{ 7*7 }}\n"},
        Expect(HOSTILE, 1, 9, "yaml-key", "a key must be plain text, not a list or mapping"),
        id="unquoted-jinja",
    ),
    _case(
        {HOSTILE: b"title: | a | b |\n"},
        Expect(
            HOSTILE,
            1,
            10,
            "yaml-syntax",
            SYNTAX + "did not find expected comment or line break (while scanning a block "
            "scalar started on line 1)",
        ),
        id="unquoted-table-row",
    ),
    # Encodings.
    _case(
        {HOSTILE: b"\xff\xfe" + "title: T\n".encode("utf-16-le")},
        Expect(HOSTILE, 1, 1, "encoding", "file is UTF-16; save it as UTF-8 instead"),
        id="utf-16-le-bom",
    ),
    _case(
        {HOSTILE: b"\xfe\xff" + "title: T\n".encode("utf-16-be")},
        Expect(HOSTILE, 1, 1, "encoding", "file is UTF-16; save it as UTF-8 instead"),
        id="utf-16-be-bom",
    ),
    _case(
        {HOSTILE: b"\xff\xfe\x00\x00" + "title: T\n".encode("utf-32-le")},
        Expect(HOSTILE, 1, 1, "encoding", "file is UTF-32; save it as UTF-8 instead"),
        id="utf-32-le-bom",
    ),
    _case(
        {HOSTILE: b"\x00\x00\xfe\xff" + "title: T\n".encode("utf-32-be")},
        Expect(HOSTILE, 1, 1, "encoding", "file is UTF-32; save it as UTF-8 instead"),
        id="utf-32-be-bom",
    ),
    _case(
        {HOSTILE: b"title: T\nstatus: idea\nnotes: [ab\xffcd]\n"},
        Expect(
            HOSTILE,
            3,
            11,
            "encoding",
            "invalid UTF-8 byte 0xff; save the file as UTF-8 (kontrakt reads no other encoding)",
        ),
        id="invalid-utf-8-mid-line-3",
    ),
    _case(
        # Columns count characters, not bytes: åäö are six bytes but three columns.
        {HOSTILE: "title: T\nstatus: idea\nnotes: [åäö".encode() + b"\xff]\n"},
        Expect(HOSTILE, 3, 12, "encoding", "invalid UTF-8 byte 0xff"),
        id="invalid-utf-8-after-multibyte",
    ),
    _case(
        {HOSTILE: "title: Ängsgärdet\n".encode("latin-1")},
        Expect(HOSTILE, 1, 8, "encoding", "invalid UTF-8 byte 0xc4"),
        id="latin-1",
    ),
    _case(
        {HOSTILE: b"title: T\xc3"},
        Expect(HOSTILE, 1, 9, "encoding", "invalid UTF-8 byte 0xc3"),
        id="truncated-utf-8-at-end",
    ),
    # Characters that hide or garble text.
    _case(
        {HOSTILE: b"title: T\nstatus: idea\nnotes: [a\x00b]\n"},
        Expect(
            HOSTILE,
            3,
            10,
            "character",
            FORBIDDEN + "U+0000 (control character): a NUL byte means the file is binary or "
            "not UTF-8; remove it",
        ),
        id="nul",
    ),
    _case(
        {HOSTILE: b"title: T\x07x\n"},
        Expect(HOSTILE, 1, 9, "character", FORBIDDEN + "U+0007 (control character)" + CONTROL),
        id="c0-bell",
    ),
    _case(
        {HOSTILE: b"title: T\nowner: \x1b[31mX\n"},
        Expect(HOSTILE, 2, 8, "character", FORBIDDEN + "U+001B (control character)" + CONTROL),
        id="c0-escape",
    ),
    _case(
        {HOSTILE: b"title: T\x7f\n"},
        Expect(HOSTILE, 1, 9, "character", FORBIDDEN + "U+007F (control character)" + CONTROL),
        id="delete",
    ),
    _case(
        {HOSTILE: "title: T\nstatus: idea\u0085\n".encode()},
        Expect(HOSTILE, 2, 13, "character", FORBIDDEN + "U+0085 (control character)" + CONTROL),
        id="c1-next-line",
    ),
    _case(
        {HOSTILE: "title: T\nnotes: [ab\u202ecd]\n".encode()},
        Expect(
            HOSTILE,
            2,
            11,
            "character",
            FORBIDDEN + "U+202E RIGHT-TO-LEFT OVERRIDE: it can make text display differently "
            "from what it says; remove it",
        ),
        id="bidi-override",
    ),
    _case(
        {HOSTILE: "title: T\nowner: \u2066X\u2069\n".encode()},
        Expect(HOSTILE, 2, 8, "character", FORBIDDEN + "U+2066 LEFT-TO-RIGHT ISOLATE"),
        Expect(HOSTILE, 2, 10, "character", FORBIDDEN + "U+2069 POP DIRECTIONAL ISOLATE"),
        id="bidi-isolates",
    ),
    _case(
        {HOSTILE: "title: T\nstatus: idea\u200b\n".encode()},
        Expect(
            HOSTILE,
            2,
            13,
            "character",
            FORBIDDEN + "U+200B ZERO WIDTH SPACE: it is invisible; remove it",
        ),
        id="zero-width-space",
    ),
    _case(
        {HOSTILE: "title: T\n\ufeffstatus: idea\n".encode()},
        Expect(HOSTILE, 2, 1, "character", FORBIDDEN + "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        id="bom-in-the-middle",
    ),
    _case(
        {HOSTILE: b"\xef\xbb\xbf\xef\xbb\xbftitle: T\n"},
        Expect(HOSTILE, 1, 1, "character", FORBIDDEN + "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        id="double-bom",
    ),
    _case(
        {HOSTILE: "title: a\u2028b\n".encode()},
        Expect(
            HOSTILE,
            1,
            9,
            "character",
            FORBIDDEN + "U+2028 LINE SEPARATOR: YAML counts it as a line break that editors do "
            "not show; use a newline",
        ),
        id="line-separator",
    ),
    _case(
        # Columns count code points: each emoji is one column.
        {HOSTILE: "title: \U0001f600\U0001f600\u200b\n".encode()},
        Expect(HOSTILE, 1, 10, "character", FORBIDDEN + "U+200B ZERO WIDTH SPACE"),
        id="zero-width-after-emoji",
    ),
    _case(
        # A UTF-8 BOM is skipped and does not count as a column.
        {HOSTILE: b"\xef\xbb\xbftitle: T\x00\n"},
        Expect(HOSTILE, 1, 9, "character", FORBIDDEN + "U+0000"),
        id="bom-then-nul",
    ),
    # Files that are not one mapping.
    _case(
        {HOSTILE: b""},
        Expect(HOSTILE, 1, 1, "not-a-mapping", "found nothing (the file is empty)"),
        id="empty",
    ),
    _case(
        {HOSTILE: b"   \n\n  \n"},
        Expect(HOSTILE, 1, 1, "not-a-mapping", "found nothing (the file is empty)"),
        id="blank-lines-only",
    ),
    _case(
        {HOSTILE: b"\xef\xbb\xbf"},
        Expect(HOSTILE, 1, 1, "not-a-mapping", "found nothing (the file is empty)"),
        id="bom-only",
    ),
    _case(
        {HOSTILE: b"# bara\n# kommentarer\n"},
        Expect(HOSTILE, 1, 1, "not-a-mapping", "found nothing"),
        id="comments-only",
    ),
    _case(
        {HOSTILE: b"- title: T\n- status: idea\n"},
        Expect(HOSTILE, 1, 1, "not-a-mapping", "(e.g. `title: ...`), found a list"),
        id="list-instead-of-mapping",
    ),
    _case(
        {HOSTILE: b"# en mening\nbara en mening\n"},
        Expect(HOSTILE, 2, 1, "not-a-mapping", "found 'bara en mening'"),
        id="scalar-document",
    ),
    _case(
        {EVENT: b"[]\n"},
        Expect(EVENT, 1, 1, "not-a-mapping", "found a list"),
        id="empty-flow-list-event",
    ),
    # One document per file, no directives.
    _case(
        {HOSTILE: b"title: T\n---\ntitle: U\n"},
        Expect(HOSTILE, 2, 1, "yaml-documents", SECOND_DOCUMENT),
        id="two-documents",
    ),
    _case(
        {HOSTILE: b"---\ntitle: T\n---\ntitle: U\n"},
        Expect(HOSTILE, 3, 1, "yaml-documents", SECOND_DOCUMENT),
        id="two-documents-with-leading-marker",
    ),
    _case(
        {HOSTILE: b"%YAML 1.2\n---\ntitle: T\n"},
        Expect(HOSTILE, 1, 1, "yaml-directive", DIRECTIVE),
        id="yaml-1.2-directive",
    ),
    _case(
        {HOSTILE: b"%YAML 1.1\n---\ntitle: T\n"},
        Expect(HOSTILE, 1, 1, "yaml-directive", DIRECTIVE),
        id="yaml-1.1-directive",
    ),
    _case(
        {HOSTILE: b"%TAG !e! tag:example.com,2000:\n---\ntitle: !e!x T\n"},
        Expect(HOSTILE, 1, 1, "yaml-directive", DIRECTIVE),
        id="tag-directive",
    ),
    # Explicit tags: nothing is ever constructed from a tag.
    _case(
        {HOSTILE: b'title: !!python/object/apply:os.system ["echo pwned"]\n'},
        Expect(
            HOSTILE,
            1,
            8,
            "yaml-tag",
            "explicit YAML tag '!!python/object/apply:os.system'" + TAG_HINT,
        ),
        id="python-object-apply",
    ),
    _case(
        {HOSTILE: b"title: T\nowner: !!python/name:os.system ''\n"},
        Expect(HOSTILE, 2, 8, "yaml-tag", "explicit YAML tag '!!python/name:os.system'"),
        id="python-name",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes: [!!str 123]\n"},
        Expect(HOSTILE, 2, 9, "yaml-tag", "explicit YAML tag '!!str'" + TAG_HINT),
        id="str-tag",
    ),
    _case(
        {HOSTILE: b"title: !<tag:yaml.org,2002:str> T\n"},
        Expect(HOSTILE, 1, 8, "yaml-tag", "explicit YAML tag '!!str'"),
        id="verbatim-str-tag",
    ),
    _case(
        {HOSTILE: b"title: !custom T\n"},
        Expect(HOSTILE, 1, 8, "yaml-tag", "explicit YAML tag '!custom'" + TAG_HINT),
        id="custom-tag",
    ),
    _case(
        {HOSTILE: b"!!map\ntitle: T\n"},
        Expect(HOSTILE, 1, 1, "yaml-tag", "explicit YAML tag '!!map'"),
        id="tag-on-the-document",
    ),
    # Anchors and aliases.
    _case(
        {HOSTILE: billion_laughs(9)},
        Expect(
            HOSTILE,
            6,
            8,
            "yaml-alias",
            "aliases expand to more than 10\u00a0000 values; write the values out instead of "
            "repeating anchors",
        ),
        id="billion-laughs",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes: &a [*a]\n"},
        Expect(
            HOSTILE,
            2,
            12,
            "yaml-alias",
            "alias *a refers to the collection that contains it; recursive data is not allowed",
        ),
        id="recursive-alias",
    ),
    _case(
        {HOSTILE: b"title: T\nrelated: &r {initiative: *r}\n"},
        Expect(HOSTILE, 2, 26, "yaml-alias", "alias *r refers to the collection that contains it"),
        id="recursive-alias-in-mapping",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes: [*nope]\n"},
        Expect(HOSTILE, 2, 9, "yaml-alias", "alias *nope refers to no anchor &nope above it"),
        id="undefined-alias",
    ),
    _case(
        {HOSTILE: b"title: *t\nowner: &t X\n"},
        Expect(HOSTILE, 1, 8, "yaml-alias", "alias *t refers to no anchor &t above it"),
        id="alias-before-its-anchor",
    ),
    _case(
        {HOSTILE: b"title: T\nx: &k [a]\n*k : v\n"},
        Expect(HOSTILE, 3, 1, "yaml-key", "a key must be plain text, not a list or mapping"),
        id="list-alias-as-key",
    ),
    _case(
        {HOSTILE: b"title: T\n? [a]\n: v\n"},
        Expect(HOSTILE, 2, 3, "yaml-key", "a key must be plain text, not a list or mapping"),
        id="complex-key",
    ),
    # Deep nesting: refused at the 32nd level, before libyaml goes deeper.
    _case(
        {HOSTILE: b"title: T\nnotes: " + b"[" * 10_000 + b"\n"},
        Expect(HOSTILE, 2, 39, "yaml-depth", DEPTH),
        id="10000-open-brackets",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"},
        Expect(HOSTILE, 2, 39, "yaml-depth", DEPTH),
        id="10000-closed-brackets",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes: " + b"{a: " * 10_000 + b"\n"},
        Expect(HOSTILE, 2, 132, "yaml-depth", DEPTH),
        id="10000-open-braces",
    ),
    _case(
        {HOSTILE: b"title: T\nnotes:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 200))},
        Expect(HOSTILE, 34, 33, "yaml-depth", DEPTH),
        id="deep-block-list",
    ),
    # Size.
    _case(
        {HOSTILE: b"title: T\n#" + b"x" * (MIB - 10) + b"\n"},
        Expect(
            HOSTILE,
            1,
            1,
            "file-too-large",
            "file is larger than 1\u00a0048\u00a0576 bytes; portfolio files are small, so split it "
            "(or raise limits.max_file_size in kontrakt.yaml)",
        ),
        id="one-byte-over-1-mib",
    ),
    # Duplicate keys.
    _case(
        {HOSTILE: b"title: T\nstatus: idea\ntitle: U\n"},
        Expect(
            HOSTILE,
            3,
            1,
            "duplicate-key",
            "duplicate key 'title' (first on line 1); keep one of them",
        ),
        id="duplicate-key",
    ),
    _case(
        {HOSTILE: b"title: T\nstatus: idea\nkind: pilot\n\n\nstatus: ongoing\n"},
        Expect(HOSTILE, 6, 1, "duplicate-key", "duplicate key 'status' (first on line 2)"),
        id="duplicate-key-far-below",
    ),
    _case(
        {HOSTILE: b"title: T\n'title': U\n"},
        Expect(HOSTILE, 2, 1, "duplicate-key", "duplicate key 'title' (first on line 1)"),
        id="duplicate-key-quoted",
    ),
    _case(
        {
            HOSTILE: b"title: T\nrelated:\n  - initiative: angsgardet\n    type: testbadd\n"
            b"    initiative: salus-mea\n"
        },
        Expect(HOSTILE, 5, 5, "duplicate-key", "duplicate key 'initiative' (first on line 3)"),
        id="duplicate-key-nested",
    ),
    _case(
        {HOSTILE: b"title: T\nrelated: [{initiative: angsgardet, initiative: salus-mea}]\n"},
        Expect(HOSTILE, 2, 36, "duplicate-key", "duplicate key 'initiative' (first on line 2)"),
        id="duplicate-key-in-flow-mapping",
    ),
    # Numbers the YAML stage refuses.
    _case(
        {HOSTILE: b"title: T\nnotes: [0755]\n"},
        Expect(
            HOSTILE,
            2,
            9,
            "yaml-number",
            "'0755' has a leading zero, which YAML 1.1 reads as octal and YAML 1.2 as 755; "
            "write 755 if it is a number, or '0755' in quotes if it is text",
        ),
        id="leading-zero",
    ),
    _case(
        {HOSTILE: b"title: " + b"9" * 5000 + b"\n"},
        Expect(
            HOSTILE,
            1,
            8,
            "yaml-number",
            "number with 5\u00a0000 digits is too long; write a realistic number, or quote it if "
            "it is text",
        ),
        id="5000-digit-integer",
    ),
    _case(
        {HOSTILE: b"title: -" + b"9" * 5000 + b"\n"},
        Expect(HOSTILE, 1, 8, "yaml-number", "number with 5\u00a0000 digits is too long"),
        id="5000-digit-negative-integer",
    ),
    _case(
        {HOSTILE: b"title: 1." + b"5" * 5000 + b"\n"},
        Expect(HOSTILE, 1, 8, "yaml-number", "number is too long; quote it if it is text"),
        id="5000-digit-float",
    ),
    _case(
        budget("9" * 41),
        Expect(BUDGET, 2, 9, "yaml-number", "number with 41 digits is too long"),
        id="41-digit-amount",
    ),
    # Values the models refuse.
    _case(
        {HOSTILE: b"title: T\nstart: 2024-02-30\n"},
        Expect(HOSTILE, 2, 8, "invalid-value", "2024-02-30 is not a date in the calendar"),
        id="date-that-does-not-exist",
    ),
    _case(
        {HOSTILE: b"title: T\nstart: 2023-02-29\n"},
        Expect(HOSTILE, 2, 8, "invalid-value", "2023-02-29 is not a date in the calendar"),
        id="february-29-in-a-common-year",
    ),
    _case(
        {HOSTILE: b"title: T\nmilestones:\n  - date: 2024-02-30\n    title: M\n"},
        Expect(HOSTILE, 3, 11, "invalid-value", "2024-02-30 is not a date in the calendar"),
        id="date-that-does-not-exist-nested",
    ),
    _case(
        {HOSTILE: b"title: T\nstart: 2024-02-27T10:00:00\n"},
        Expect(
            HOSTILE,
            2,
            8,
            "invalid-value",
            "expected a date as YYYY-MM-DD (e.g. 2024-02-27), found '2024-02-27T10:00:00'",
        ),
        id="timestamp-instead-of-date",
    ),
    _case(
        {HOSTILE: b"title: .nan\n"},
        Expect(
            HOSTILE,
            1,
            8,
            "invalid-value",
            "expected text, found the number nan; put it in quotes to keep it as text",
        ),
        id="nan-title",
    ),
    _case(
        {BUDGET: b"title: Rad\namount: 1\nperiod: 2024\ndecision: yes\n"},
        Expect(
            BUDGET,
            4,
            11,
            "invalid-value",
            "'yes' is not allowed here; write one of 'proposed' or 'decided'",
        ),
        id="decision-yes",
    ),
    _case(
        {BUDGET: b"title: Rad\namount: 1\nperiod: 2024\ndecision: no\n"},
        Expect(BUDGET, 4, 11, "invalid-value", "'no' is not allowed here"),
        id="decision-no",
    ),
    _case(
        {HOSTILE: b"title: T\nmilestones:\n  - date: 2024-01-01\n    title: M\n    done: yes\n"},
        Expect(HOSTILE, 5, 11, "invalid-value", "expected true or false, found 'yes'"),
        id="yaml-1.1-boolean-flag",
    ),
    # Where files are and what they are called.
    _case(
        {"initiatives/hostile.yml": b"title: T\n"},
        Expect("initiatives/hostile.yml", 1, 1, "file-name", "rename hostile.yml to hostile.yaml"),
        id="yml-extension",
    ),
    _case(
        {"initiativ/hostile.yaml": b"title: T\n"},
        Expect(
            "initiativ/hostile.yaml",
            1,
            1,
            "unknown-folder",
            "unknown folder initiativ/: did you mean initiatives/? portfolio files live in "
            "initiatives/, budget/, events/, meetings/, news/, questions/",
        ),
        id="misspelt-folder",
    ),
    _case(
        {"anteckningar.yaml": b"title: T\n"},
        Expect(
            "anteckningar.yaml",
            1,
            1,
            "unknown-folder",
            "anteckningar.yaml is not part of any kind",
        ),
        id="stray-file-at-the-top",
    ),
    _case(
        {"initiatives/Bad Name.yaml": b"title: T\n"},
        Expect(
            "initiatives/Bad Name.yaml",
            1,
            1,
            "invalid-id",
            "file name: 'Bad Name' is not a valid id: use lowercase a-z, digits and single "
            "hyphens (å, ä, ö become a, a, o); use 'bad-name'",
        ),
        id="file-name-with-space-and-capitals",
    ),
    _case(
        {"initiatives/måltider.yaml": b"title: T\n"},
        Expect("initiatives/måltider.yaml", 1, 1, "invalid-id", "use 'maltider'"),
        id="file-name-with-swedish-letter",
    ),
    # Two broken files side by side: both reported.
    _case(
        {HOSTILE: b"title: a: b\n", EVENT: b"\xff\xfe" + "title: T\n".encode("utf-16-le")},
        Expect(EVENT, 1, 1, "encoding", "file is UTF-16"),
        Expect(HOSTILE, 1, 9, "yaml-syntax", "mapping values are not allowed"),
        id="two-hostile-files",
    ),
]


@pytest.mark.parametrize(("files", "expected"), CASES)
def test_hostile_file_gets_its_diagnostic(
    root: Path, files: dict[str, bytes], expected: tuple[Expect, ...]
) -> None:
    assert_reports(load(root, files), root, *expected)


# --- Budget amounts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (".nan", DECIMAL),
        (".NaN", DECIMAL),
        (".inf", DECIMAL),
        ("-.inf", DECIMAL),
        ("1.5", DECIMAL),
        ("285000.0", DECIMAL),
        ("1e3", DECIMAL),
        (
            "1,3 mnkr",
            "'1,3 mnkr' has decimals; write whole kronor as an integer, e.g. 1300000 instead "
            "of 1,3 mnkr",
        ),
        ("1.3 mnkr", "'1.3 mnkr' has decimals"),
        ("-5", "amount -5 is negative; amounts are kronor of 0 or more"),
        ("-285 000 kr", "amount '-285 000 kr' is negative; amounts are kronor of 0 or more"),
        ("true", "an amount must be a number of kronor, e.g. 285000, not true/false"),
        (
            "yes",
            "'yes' is not an amount; write whole kronor as an integer (285000), or as "
            "'285 000 kr', '100 tkr' or '100´'",
        ),
        ("[285000]", "an amount must be a number of kronor, e.g. 285000"),
        ("99999999999999999999", "amount 99999999999999999999 is unrealistically large"),
    ],
)
def test_bad_amount(root: Path, amount: str, message: str) -> None:
    assert_reports(load(root, budget(amount)), root, Expect(BUDGET, 2, 9, "invalid-value", message))


@pytest.mark.parametrize(
    ("amount", "kronor"),
    [
        ("285000", 285_000),
        ("285 000 kr", 285_000),
        ("285 000", 285_000),
        ("285\u00a0000 kr", 285_000),
        ("285_000", 285_000),
        ("100´", 100_000),
        ('"100\'"', 100_000),
        ("100 tkr", 100_000),
        ("100 TKR", 100_000),
        ("2 mnkr", 2_000_000),
        ("0", 0),
    ],
)
def test_accepted_amount_is_whole_kronor(root: Path, amount: str, kronor: int) -> None:
    result = load(root, budget(amount))
    assert_reports(result, root)
    assert result.portfolio is not None
    line = result.portfolio.budget["hostile"]
    assert line.amount == kronor
    assert type(line.amount) is int


# --- Files that must check clean --------------------------------------------------------------


def test_utf8_bom_is_accepted(root: Path) -> None:
    result = load(root, {HOSTILE: "\ufefftitle: Ängsgärdet\nstatus: idea\n".encode()})
    assert_reports(result, root)
    assert result.portfolio is not None
    assert result.portfolio.initiatives["hostile"].title == "Ängsgärdet"


def test_exactly_1_mib_is_accepted(root: Path) -> None:
    data = b"title: T\n#" + b"x" * (MIB - 11) + b"\n"
    assert len(data) == MIB
    result = load(root, {HOSTILE: data})
    assert_reports(result, root)


def test_february_29_in_a_leap_year_is_a_date(root: Path) -> None:
    result = load(root, {HOSTILE: b"title: T\nstart: 2024-02-29\n"})
    assert_reports(result, root)
    assert result.portfolio is not None
    assert str(result.portfolio.initiatives["hostile"].start) == "2024-02-29"


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "on", "off", "y", "n"])
def test_yaml_1_1_boolean_words_are_text(root: Path, word: str) -> None:
    result = load(root, {HOSTILE: f"title: {word}\n".encode()})
    assert_reports(result, root)
    assert result.portfolio is not None
    assert result.portfolio.initiatives["hostile"].title == word


@pytest.mark.parametrize(
    ("written", "title"),
    [
        ("'{{ 7*7 }}'", "{{ 7*7 }}"),
        ('"{{ config.__class__ }}"', "{{ config.__class__ }}"),
        ("'{% include \"/etc/passwd\" %}'", '{% include "/etc/passwd" %}'),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("'<img src=x onerror=alert(1)>'", "<img src=x onerror=alert(1)>"),
        ("'| a | b |'", "| a | b |"),
        ("a | b | c", "a | b | c"),
        ("'# Rubrik'", "# Rubrik"),
        ("'[klicka](javascript:alert(1))'", "[klicka](javascript:alert(1))"),
        ("$(rm -rf ~) ${HOME} `id`", "$(rm -rf ~) ${HOME} `id`"),
        ('"\'; DROP TABLE initiatives; --"', "'; DROP TABLE initiatives; --"),
        ("'=HYPERLINK(\"http://x\")'", '=HYPERLINK("http://x")'),
        ("BEGIN:VEVENT", "BEGIN:VEVENT"),
    ],
)
def test_injection_looking_title_loads_unchanged(root: Path, written: str, title: str) -> None:
    result = load(root, {HOSTILE: f"title: {written}\nnotes:\n  - {written}\n".encode()})
    assert_reports(result, root)
    assert result.portfolio is not None
    initiative = result.portfolio.initiatives["hostile"]
    assert initiative.title == title
    assert initiative.notes == [title]


def test_block_scalar_with_template_syntax_stays_text(root: Path) -> None:
    result = load(root, {HOSTILE: b"title: T\ndescription: |\n  {{ 7*7 }}\n  {% if x %}\n"})
    assert_reports(result, root)
    assert result.portfolio is not None
    assert result.portfolio.initiatives["hostile"].description == "{{ 7*7 }}\n{% if x %}\n"


# --- Symbolic links -----------------------------------------------------------------------------


def _record_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path the pipeline reads, so a test can prove a file was never opened."""
    read: list[Path] = []
    real = kontrakt.load.read_bytes

    def recording(path: str | Path, max_file_size: int) -> tuple[bytes | None, list[Diagnostic]]:
        read.append(Path(path))  # loading passes paths as text
        return real(path, max_file_size)

    monkeypatch.setattr(kontrakt.load, "read_bytes", recording)
    return read


SYMLINK = "symbolic links are not followed; put the file itself in the portfolio"


def test_symlink_to_etc_passwd_is_refused_unread(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = root / "initiatives" / "passwd.yaml"
    link.symlink_to("/etc/passwd")
    read = _record_reads(monkeypatch)
    result = load_portfolio(root)
    assert_reports(result, root, Expect("initiatives/passwd.yaml", 1, 1, "symlink", SYMLINK))
    assert link not in read
    assert (root / WITNESS_PATH) in read
    assert result.portfolio is not None
    assert "passwd" not in result.portfolio.initiatives


def test_symlinks_to_a_folder_and_to_nothing_are_refused(root: Path) -> None:
    (root / "initiatives" / "etc").symlink_to("/etc")
    (root / "initiatives" / "borta.yaml").symlink_to(root / "finns-inte.yaml")
    (root / "budget-lankad").symlink_to(root / "budget")
    result = load_portfolio(root)
    assert_reports(
        result,
        root,
        Expect("budget-lankad", 1, 1, "symlink", SYMLINK),
        Expect("initiatives/borta.yaml", 1, 1, "symlink", SYMLINK),
        Expect("initiatives/etc", 1, 1, "symlink", SYMLINK),
    )


# --- Broken settings -----------------------------------------------------------------------------


def test_broken_settings_do_not_stop_the_other_files(root: Path) -> None:
    result = load(root, {"kontrakt.yaml": b"name: a: b\n", HOSTILE: b"title: [\n"})
    assert result.portfolio is None
    assert_reports(
        result,
        root,
        Expect(
            HOSTILE,
            2,
            1,
            "yaml-syntax",
            SYNTAX + "did not find expected node content (while parsing a flow node started "
            "on line 2)",
        ),
        Expect("kontrakt.yaml", 1, 8, "yaml-syntax", "mapping values are not allowed"),
    )


def test_alias_bomb_in_settings_is_refused(root: Path) -> None:
    bomb = billion_laughs(9).replace(b"title: T\n", b"")
    result = load(root, {"kontrakt.yaml": bomb})
    assert result.portfolio is None
    assert_reports(result, root, Expect("kontrakt.yaml", 5, 8, "yaml-alias", "aliases expand"))


# --- The command line ----------------------------------------------------------------------------


def _errors_and_summary(output: str) -> tuple[list[str], str]:
    """The error lines and the summary line (the bundled portfolio may add warnings)."""
    lines = output.splitlines()
    return [line for line in lines if ": error: " in line], lines[-1]


def test_cli_reports_hostile_file_and_witness(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(root, HOSTILE, b"title: T\nrelated:\n\t- angsgardet\n")
    put(root, BUDGET, b"title: Rad\namount: 1,3 mnkr\nperiod: 2024\n")
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(app, ["check", "portfolio"])
    assert result.exit_code == 1
    errors, summary = _errors_and_summary(result.output)
    assert errors == [
        "portfolio/budget/hostile.yaml:2:9: error: '1,3 mnkr' has decimals; write whole kronor "
        "as an integer, e.g. 1300000 instead of 1,3 mnkr [invalid-value]",
        "portfolio/initiatives/hostile.yaml:3:1: error: YAML syntax error: found character that "
        "cannot start any token (while scanning for the next token started on line 3); line 3 "
        "is indented with a tab; indent with spaces only [yaml-syntax]",
        "portfolio/initiatives/zz-witness.yaml:2:8: error: 2024-13-01 is not a date in the "
        "calendar [invalid-value]",
    ]
    assert summary.startswith("38 files checked: 3 errors")


def test_cli_survives_an_alias_bomb_and_deep_nesting(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(root, HOSTILE, billion_laughs(9))
    put(root, EVENT, b"title: T\nkind: forumtraff\nseries: " + b"[" * 10_000 + b"\n")
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(app, ["check", "portfolio"])
    assert result.exit_code == 1
    errors, summary = _errors_and_summary(result.output)
    assert errors == [
        f"portfolio/{EVENT}:3:40: error: {DEPTH} [yaml-depth]",
        f"portfolio/{HOSTILE}:6:8: error: aliases expand to more than 10\u00a0000 values; write "
        "the values out instead of repeating anchors [yaml-alias]",
        "portfolio/initiatives/zz-witness.yaml:2:8: error: 2024-13-01 is not a date in the "
        "calendar [invalid-value]",
    ]
    assert summary.startswith("38 files checked: 3 errors")


# --- Found by this corpus and fixed: each test pins the fix -----------------------------------


@pytest.mark.parametrize(("relative", "article"), [(HOSTILE, "an initiative"), (EVENT, "an event")])
def test_not_a_mapping_message_uses_the_right_article(
    root: Path, relative: str, article: str
) -> None:
    result = load(root, {relative: b"- a\n"})
    message = f"expected a mapping of keys for {article} (e.g. `title: ...`), found a list"
    assert_reports(result, root, Expect(relative, 1, 1, "not-a-mapping", message))


def test_comments_only_file_is_not_called_empty(root: Path) -> None:
    result = load(root, {HOSTILE: b"# bara\n# kommentarer\n"})
    assert_reports(result, root, Expect(HOSTILE, 1, 1, "not-a-mapping", "found nothing"))
    assert not any("the file is empty" in d.message for d in result.diagnostics)


def test_directive_below_a_comment_is_reported_on_its_line(root: Path) -> None:
    result = load(root, {HOSTILE: b"# Rubrik\n%YAML 1.2\n---\ntitle: T\n"})
    assert_reports(result, root, Expect(HOSTILE, 2, 1, "yaml-directive", DIRECTIVE))


def test_unclosed_bracket_at_end_of_file_points_at_the_bracket(root: Path) -> None:
    result = load(root, {HOSTILE: b"title: T\nnotes: [a, b\n"})
    assert_reports(
        result, root, Expect(HOSTILE, 2, 8, "yaml-syntax", "did not find expected ',' or ']'")
    )


def test_cr_line_endings_give_the_right_position(root: Path) -> None:
    result = load(root, {HOSTILE: b"title: T\rstatus: idea\x07\r"})
    assert_reports(result, root, Expect(HOSTILE, 2, 13, "character", "U+0007"))


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_noncharacter_is_reported_where_it_is(root: Path, char: str) -> None:
    result = load(root, {HOSTILE: f"title: T\nnotes: [a{char}b]\n".encode()})
    got = [item for item in found(result, root) if item[0] == HOSTILE]
    assert [item[1:3] for item in got] == [(2, 10)]
    assert f"{ord(char):x}" in got[0][4].lower()


@pytest.mark.parametrize(
    ("escape", "code"),
    [("\\u202E", "U+202E"), ("\\u200B", "U+200B"), ("\\0", "U+0000"), ("\\a", "U+0007")],
)
def test_escaped_forbidden_character_is_refused(root: Path, escape: str, code: str) -> None:
    result = load(root, {HOSTILE: f'title: "a{escape}b"\n'.encode()})
    got = [item for item in found(result, root) if item[0] == HOSTILE]
    assert len(got) == 1
    _, line, column, rule, message = got[0]
    assert (line, rule) == (1, "character")
    assert column in (8, 10)  # the scalar, or the escape inside it
    assert code in message


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(budget("'١٢٣'"), id="arabic-indic-amount"),
        pytest.param(budget("'１２３ kr'"), id="fullwidth-amount"),
        pytest.param(budget("'1٢3'"), id="mixed-digits-amount"),
    ],
)
def test_non_ascii_digits_are_not_an_amount(root: Path, files: dict[str, bytes]) -> None:
    assert_reports(load(root, files), root, Expect(BUDGET, 2, 9, "invalid-value", "amount"))


def test_non_ascii_digits_are_not_a_time(root: Path) -> None:
    result = load(root, {EVENT: "title: T\nkind: forumtraff\nstart: 0٧:30\n".encode()})
    assert_reports(result, root, Expect(EVENT, 3, 8, "invalid-value", "expected a time as HH:MM"))


def test_non_ascii_digit_date_asks_for_yyyy_mm_dd(root: Path) -> None:
    result = load(root, {HOSTILE: "title: T\nstart: ٢٠٢٤-٠٢-٢٧\n".encode()})
    assert_reports(
        result, root, Expect(HOSTILE, 2, 8, "invalid-value", "expected a date as YYYY-MM-DD")
    )


@pytest.mark.parametrize("time", ["24:00", "25:99"])
def test_impossible_time_hint_does_not_repeat_the_value(root: Path, time: str) -> None:
    result = load(root, {EVENT: f"title: T\nkind: forumtraff\nstart: '{time}'\n".encode()})
    assert_reports(result, root, Expect(EVENT, 3, 8, "invalid-value", "expected a time as HH:MM"))
    assert not any(f"(write {time})" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("digits", [1000, 5000])
def test_huge_quoted_amount_gets_a_short_money_message(root: Path, digits: int) -> None:
    result = load(root, budget(f"'{'9' * digits}'"))
    assert_reports(result, root, Expect(BUDGET, 2, 9, "invalid-value", "unrealistically large"))
    assert all(len(d.message) < 200 for d in result.diagnostics)


@pytest.mark.parametrize("size", [2**50, 10**20])
def test_huge_max_file_size_does_not_crash(root: Path, size: int) -> None:
    settings = root / "kontrakt.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + f"limits:\n  max_file_size: {size}\n",
        encoding="utf-8",
    )
    result = load_portfolio(root)
    assert any(_matches(item, WITNESS) for item in found(result, root))


def test_symlinked_settings_are_not_read(root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "hemlig.txt"
    secret.write_text("hunter2-token-0123456789\n", encoding="utf-8")
    settings = root / "kontrakt.yaml"
    settings.unlink()
    settings.symlink_to(secret)
    result = load_portfolio(root)
    got = found(result, root)
    assert ("kontrakt.yaml", 1, 1, "symlink", SYMLINK) in got
    assert any(_matches(item, WITNESS) for item in got)
    assert not any("hunter2" in message for *_, message in got)


def _run_in_thread(work: Callable[[], LoadResult]) -> tuple[threading.Thread, list[LoadResult]]:
    done: list[LoadResult] = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    return thread, done


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_not_opened(root: Path) -> None:
    fifo = root / "initiatives" / "ror.yaml"
    os.mkfifo(fifo)
    thread, done = _run_in_thread(lambda: load_portfolio(root))
    try:
        # Not a timing assertion: a blocked read never returns, a correct one takes milliseconds.
        thread.join(timeout=5)
        assert not thread.is_alive(), "load_portfolio blocked reading a named pipe"
        got = found(done[0], root)
        assert any(item[0] == "initiatives/ror.yaml" for item in got)
        assert any(_matches(item, WITNESS) for item in got)
    finally:
        if thread.is_alive():  # unblock the reader: a writer that closes at once means EOF
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            thread.join(timeout=10)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_non_utf8_file_name_is_reported(root: Path) -> None:
    os.close(os.open(os.fsencode(root / "initiatives") + b"/\xff.yaml", os.O_CREAT | os.O_WRONLY))
    result = load_portfolio(root)
    got = found(result, root)
    assert [item[1:4] for item in got if item[3] == "invalid-id"] == [(1, 1, "invalid-id")]
    assert any(_matches(item, WITNESS) for item in got)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file names are always UTF-8")
def test_cli_reports_a_non_utf8_file_name(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.close(os.open(os.fsencode(root / "initiatives") + b"/\xff.yaml", os.O_CREAT | os.O_WRONLY))
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(app, ["check", "portfolio"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert "[invalid-id]" in result.output
    assert "zz-witness.yaml:2:8: error:" in result.output


def test_many_errors_beside_many_references_stay_linear(root: Path) -> None:
    """An invalid file's references are checked outside its errors. 20 000 of each in one
    list: every check of a reference against the errors' places is a set lookup, never
    a scan of them (a scan made this 10^8 comparisons)."""
    items = "".join(f"  - {index}\n  - okand-{index}\n" for index in range(10_000))
    put(root, EVENT, f"title: E\nkind: oppen-verkstad\ninitiatives:\n{items}".encode())
    result = load_portfolio(root)
    mine = [d for d in result.diagnostics if d.path.name == "hostile.yaml"]
    assert len(mine) == 50 + 10_000  # the model's errors, capped per file; every reference
    assert [d.rule for d in mine[:3]] == ["invalid-value", "unknown-reference", "invalid-value"]
    assert (mine[0].line, mine[1].line, mine[1].message) == (
        4,
        5,
        "unknown initiative 'okand-0' (there is no initiatives/okand-0.yaml)",
    )
