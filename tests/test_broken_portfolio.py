"""Honest output on a broken portfolio.

A file that exists but cannot be used (a YAML syntax error, a duplicate key, bytes
that are not UTF-8, a file too large, a `.yml` name, a link, a failed validation)
has its own errors; a reference to it from another file is never "unknown", and
never says there is no such file. A budget line that cannot be counted makes the
frames it may draw on say that their totals are lower bounds, or that they cannot
tell whether the frame holds.

Each case is a small portfolio (`minimal`, language sv, messages in English) and
the exact lines `kontrakt check` prints for it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import MINIMAL_SETTINGS, check, lines, write
from kontrakt.load import load_portfolio

NBSP = "\u00a0"

# Every field of every kind that names another file's entity, each naming
# 'trasig': the initiative, the budget line and the event of that id.
REFERRERS = {
    "initiatives/ref-kort.yaml": "title: Kort\nrelated: [trasig]\n",
    "initiatives/ref-lang.yaml": (
        "title: Lång\nrelated:\n  - initiative: trasig\n    type: relaterad\n"
    ),
    "budget/ref-kort.yaml": (
        "title: Kort\namount: 100\nperiod: 2024\ncategory: ordinarie\ninitiatives: [trasig]\n"
    ),
    "budget/ref-lang.yaml": (
        "title: Lång\namount: 100\nperiod: 2024\ncategory: ordinarie\n"
        "initiatives:\n  - initiative: trasig\n    share: 100\n"
    ),
    "events/ref.yaml": "title: E\nkind: oppen-verkstad\ninitiatives: [trasig]\n",
    "meetings/ref.yaml": (
        "date: 2024-02-27\nkind: core-team\ndecisions:\n"
        "  - text: Beslut\n    initiatives: [trasig]\n    budget: [trasig]\n"
    ),
    "news/ref.yaml": "date: 2024-02-27\ntitle: N\ninitiatives: [trasig]\nevents: [trasig]\n",
    "questions/ref.yaml": "title: Q\nraised: 2024-02-27\ninitiatives: [trasig]\n",
}
TARGETS = {
    "initiative": ("initiatives/trasig.yaml", "title: Trasig\n"),
    "budget": (
        "budget/trasig.yaml",
        "title: Trasig\namount: 100\nperiod: 2024\ncategory: ordinarie\n",
    ),
    "event": ("events/trasig.yaml", "title: Trasig\nkind: oppen-verkstad\n"),
}

# What the pilot frame of MINIMAL_SETTINGS (kontrakt.yaml line 23) says when one
# budget line that may draw on it cannot be counted, and no line is counted in it.
FRAME_UNKNOWN = (
    f"kontrakt.yaml:23:13: warning: pilotbudget 2024: decided + proposed 0{NBSP}kr is within "
    f"the frame 797{NBSP}500{NBSP}kr, but 1 budget line has errors and is not counted; fix it "
    "to know whether the frame holds [frame-incomplete]"
)


@pytest.fixture
def referred(tmp_path: Path) -> Path:
    """`minimal` with every referrer, every target valid, and files of at most 300 bytes."""
    root = tmp_path / "mini"
    write(root, "kontrakt.yaml", MINIMAL_SETTINGS + "limits:\n  max_file_size: 300\n")
    write(root, "initiatives/alfa.yaml", "title: Alfa\n")
    for relative, text in REFERRERS.items():
        write(root, relative, text)
    for relative, text in TARGETS.values():
        write(root, relative, text)
    return root


def test_the_referrers_are_valid_and_name_every_target(referred: Path) -> None:
    assert check(referred) == []


def test_without_its_files_every_reference_is_unknown(referred: Path) -> None:
    """The control: every field of the referrers is checked, so the silence below
    is the broken file's existence, not a field left unchecked."""
    for relative, _text in TARGETS.values():
        (referred / relative).unlink()
    initiative = "error: unknown initiative 'trasig' (there is no initiatives/trasig.yaml)"
    budget = "error: unknown budget 'trasig' (there is no budget/trasig.yaml)"
    event = "error: unknown event 'trasig' (there is no events/trasig.yaml)"
    assert check(referred) == [
        f"budget/ref-kort.yaml:5:15: {initiative} [unknown-reference]",
        f"budget/ref-lang.yaml:6:17: {initiative} [unknown-reference]",
        f"events/ref.yaml:3:15: {initiative} [unknown-reference]",
        f"initiatives/ref-kort.yaml:2:11: {initiative} [unknown-reference]",
        f"initiatives/ref-lang.yaml:3:17: {initiative} [unknown-reference]",
        f"meetings/ref.yaml:5:19: {initiative} [unknown-reference]",
        f"meetings/ref.yaml:6:14: {budget} [unknown-reference]",
        f"news/ref.yaml:3:15: {initiative} [unknown-reference]",
        f"news/ref.yaml:4:10: {event} [unknown-reference]",
        f"questions/ref.yaml:3:15: {initiative} [unknown-reference]",
    ]


SYNTAX = "YAML syntax error: "
# How a file breaks: its bytes, by the kind of the file where that matters, and
# its own diagnostics (without the path).
BREAKS: dict[str, tuple[dict[str, bytes], list[str]]] = {
    "syntax error": (
        {"*": b"title: Trasig\nnotes: [a\n"},
        [
            "2:8: error: " + SYNTAX + "did not find expected ',' or ']' (while parsing a flow "
            "sequence started on line 2) [yaml-syntax]"
        ],
    ),
    "key indented too far": (
        {"*": b"title: Trasig\n kind: x\n"},
        [
            "2:2: error: " + SYNTAX + "mapping values are not allowed in this context; line 2 "
            "starts with 1 space, so it is read as part of the value on line 1; start it in "
            "column 1, like title: on line 1 [yaml-syntax]"
        ],
    ),
    "duplicate key": (
        {"*": b"title: A\ntitle: B\n"},
        ["2:1: error: duplicate key 'title' (first on line 1); keep one of them [duplicate-key]"],
    ),
    "not UTF-8": (
        {"*": b"title: Tr\xe4sig\n"},
        [
            "1:10: error: invalid UTF-8 byte 0xe4; save the file as UTF-8 (kontrakt reads no "
            "other encoding) [encoding]"
        ],
    ),
    "UTF-16": (
        {"*": "title: Trasig\n".encode("utf-16")},
        ["1:1: error: file is UTF-16; save it as UTF-8 instead [encoding]"],
    ),
    "forbidden character": (
        {"*": "title: Trasig\u200b\n".encode()},
        [
            "1:14: error: forbidden character U+200B ZERO WIDTH SPACE: it is invisible; "
            "remove it [character]"
        ],
    ),
    "too large": (
        {"*": b"title: " + b"x" * 400 + b"\n"},
        [
            "1:1: error: file is larger than 300 bytes; portfolio files are small, so split it "
            "(or raise limits.max_file_size in kontrakt.yaml) [file-too-large]"
        ],
    ),
    "not a mapping": (
        {"*": b"- Trasig\n"},
        [
            "1:1: error: expected a mapping of keys for {what} (e.g. `title: ...`), found a list "
            "[not-a-mapping]"
        ],
    ),
    "fails validation": (
        {
            "initiative": "title: Trasig\nstatus: pågår\n".encode(),
            "budget": b"title: Trasig\namount: 1,5 mnkr\nperiod: 2024\ncategory: pilot\n",
            "event": b"title: Trasig\nkind: oppen-verkstad\ndate: 2024-02-30\n",
        },
        [],  # by kind, below
    ),
}
INVALID = {
    "initiative": [
        "2:9: error: 'pågår' is not allowed here; write one of 'idea', 'upcoming', 'ongoing', "
        "'completed', 'paused' or 'stopped' [invalid-value]"
    ],
    "budget": [
        "2:9: error: '1,5 mnkr' has decimals; write whole kronor as an integer, e.g. 1300000 "
        "instead of 1,3 mnkr [invalid-value]"
    ],
    "event": ["3:7: error: 2024-02-30 is not a date in the calendar [invalid-value]"],
}
WHAT = {"initiative": "an initiative", "budget": "a budget line", "event": "an event"}


@pytest.mark.parametrize("kind", list(TARGETS))
@pytest.mark.parametrize("how", list(BREAKS))
def test_a_reference_to_a_broken_file_is_not_unknown(referred: Path, kind: str, how: str) -> None:
    relative, _valid = TARGETS[kind]
    contents, own = BREAKS[how]
    (referred / relative).write_bytes(contents.get(kind) or contents["*"])
    own = INVALID[kind] if how == "fails validation" else own
    expected = [f"{relative}:{line.format(what=WHAT[kind])}" for line in own]
    if kind == "budget":
        expected.append(FRAME_UNKNOWN)
    assert check(referred) == expected


@pytest.mark.parametrize("kind", list(TARGETS))
def test_a_reference_to_a_yml_file_is_not_unknown(referred: Path, kind: str) -> None:
    relative, _valid = TARGETS[kind]
    (referred / relative).rename(referred / relative.replace(".yaml", ".yml"))
    folder = relative.partition("/")[0]
    expected = [f"{folder}/trasig.yml:1:1: error: rename trasig.yml to trasig.yaml [file-name]"]
    assert check(referred) == expected + ([FRAME_UNKNOWN] if kind == "budget" else [])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize("kind", list(TARGETS))
def test_a_reference_to_a_link_is_not_unknown(referred: Path, kind: str) -> None:
    relative, valid = TARGETS[kind]
    elsewhere = referred.parent / "elsewhere.yaml"
    elsewhere.write_text(valid, encoding="utf-8")
    (referred / relative).unlink()
    (referred / relative).symlink_to(elsewhere)
    expected = [
        f"{relative}:1:1: error: symbolic links are not followed; put the file itself in the "
        "portfolio [symlink]"
    ]
    assert check(referred) == expected + ([FRAME_UNKNOWN] if kind == "budget" else [])


@pytest.mark.parametrize("kind", list(TARGETS))
def test_a_file_too_large_in_a_git_revision_is_not_unknown(referred: Path, kind: str) -> None:
    """A revision holds the size alone of a file too large to read."""
    files: dict[str, bytes | int] = {
        path.relative_to(referred).as_posix(): path.read_bytes()
        for path in referred.rglob("*.yaml")
    }
    relative, _valid = TARGETS[kind]
    files[relative] = 5000
    expected = [
        f"{relative}:1:1: error: file is larger than 300 bytes; portfolio files are small, so "
        "split it (or raise limits.max_file_size in kontrakt.yaml) [file-too-large]"
    ]
    found = lines(load_portfolio(referred, files), referred)
    assert found == expected + ([FRAME_UNKNOWN] if kind == "budget" else [])


def test_a_misspelt_id_next_to_a_broken_file_is_still_unknown(referred: Path) -> None:
    """The broken file's id is known to exist; a name close to it is still wrong, and
    the broken file is what it is close to."""
    write(referred, "initiatives/trasig.yaml", "title: A\ntitle: B\n")
    write(referred, "questions/ref.yaml", "title: Q\nraised: 2024-02-27\ninitiatives: [trasigg]\n")
    assert check(referred) == [
        "initiatives/trasig.yaml:2:1: error: duplicate key 'title' (first on line 1); keep "
        "one of them [duplicate-key]",
        "questions/ref.yaml:3:15: error: unknown initiative 'trasigg'; did you mean "
        "'trasig'? (there is no initiatives/trasigg.yaml) [unknown-reference]",
    ]


# --- Frames that cannot count every budget line ------------------------------------------

PILOT_LINE = "title: {title}\namount: {amount}\nperiod: 2024\ncategory: pilot\n"
DUPLICATE_KEY = "title: A\ntitle: B\n"
BROKEN_OWN = {
    "budget/trasig.yaml": (
        "budget/trasig.yaml:2:1: error: duplicate key 'title' (first on line 1); keep one of "
        "them [duplicate-key]"
    ),
    "budget/trasig-2.yaml": (
        "budget/trasig-2.yaml:2:8: error: " + SYNTAX + "did not find expected ',' or ']' "
        "(while parsing a flow sequence started on line 2) [yaml-syntax]"
    ),
}


def _frame(message: str, rule: str = "frame-exceeded") -> str:
    return f"kontrakt.yaml:23:13: warning: pilotbudget 2024: {message} [{rule}]"


def test_a_frame_exceeded_without_a_broken_line_says_so_plainly(minimal: Path) -> None:
    write(minimal, "budget/stor.yaml", PILOT_LINE.format(title="Stor", amount=900000))
    assert check(minimal) == [
        _frame(
            f"decided + proposed 900{NBSP}000{NBSP}kr exceeds the frame 797{NBSP}500{NBSP}kr "
            f"by 102{NBSP}500{NBSP}kr"
        )
    ]


def test_a_frame_exceeded_with_a_broken_line_is_a_lower_bound(minimal: Path) -> None:
    write(minimal, "budget/stor.yaml", PILOT_LINE.format(title="Stor", amount=900000))
    write(minimal, "budget/trasig.yaml", DUPLICATE_KEY)
    assert check(minimal) == [
        BROKEN_OWN["budget/trasig.yaml"],
        _frame(
            f"decided + proposed at least 900{NBSP}000{NBSP}kr exceeds the frame "
            f"797{NBSP}500{NBSP}kr by at least 102{NBSP}500{NBSP}kr; 1 budget line has errors "
            "and is not counted"
        ),
    ]


def test_decided_lines_over_the_frame_with_two_broken_lines(minimal: Path) -> None:
    write(
        minimal,
        "budget/stor.yaml",
        PILOT_LINE.format(title="Stor", amount=900000) + "decision: decided\n",
    )
    write(minimal, "budget/trasig.yaml", DUPLICATE_KEY)
    write(minimal, "budget/trasig-2.yaml", "title: Trasig\nnotes: [a\n")
    assert check(minimal) == [
        BROKEN_OWN["budget/trasig-2.yaml"],
        BROKEN_OWN["budget/trasig.yaml"],
        _frame(
            f"decided at least 900{NBSP}000{NBSP}kr exceeds the frame 797{NBSP}500{NBSP}kr by "
            f"at least 102{NBSP}500{NBSP}kr; 2 budget lines have errors and are not counted"
        ),
    ]


def test_a_frame_that_holds_its_counted_lines_is_not_known_to_hold(minimal: Path) -> None:
    """Breaking a line must not make a frame's warning vanish without a word."""
    write(minimal, "budget/liten.yaml", PILOT_LINE.format(title="Liten", amount=500000))
    write(minimal, "budget/trasig.yaml", DUPLICATE_KEY)
    write(minimal, "budget/trasig-2.yaml", "title: Trasig\nnotes: [a\n")
    assert check(minimal) == [
        BROKEN_OWN["budget/trasig-2.yaml"],
        BROKEN_OWN["budget/trasig.yaml"],
        _frame(
            f"decided + proposed 500{NBSP}000{NBSP}kr is within the frame 797{NBSP}500{NBSP}kr, "
            "but 2 budget lines have errors and are not counted; fix them to know whether the "
            "frame holds",
            "frame-incomplete",
        ),
    ]


DECIMALS = (
    "'1,5 mnkr' has decimals; write whole kronor as an integer, e.g. 1300000 instead of "
    "1,3 mnkr [invalid-value]"
)


@pytest.mark.parametrize(
    ("text", "counts_here"),
    [
        ("period: 2023\ncategory: pilot\n", False),  # another year
        ("period: 2024\ncategory: ordinarie\n", False),  # another category
        ("period: 2024\n", False),  # no category: counts in no frame
        ("period: 2024\ncategory: ordinarie\nparts:\n  - amount: 100\n    category: pilot\n", True),
        (
            "period: 2024\ncategory: ordinarie\nparts:\n  - amount: 100\n    purpose: konsult\n",
            False,
        ),
        ("period: 2024\ncategory: pilot\n", True),
        ("period: 2024\ncategory: Pilotbudget\n", True),  # its category is one of its errors
        ("period: tjugotjugofyra\ncategory: pilot\n", True),  # its year is one of its errors
        ("category: pilot\n", True),  # no year: one of its errors
    ],
)
def test_a_line_that_fails_validation_counts_where_it_says_it_may(
    minimal: Path, text: str, counts_here: bool
) -> None:
    """What a budget line with errors says outside its errors (year, categories) rules
    frames out; what it does not say, or says wrongly, rules none out."""
    write(minimal, "budget/trasig.yaml", "title: Trasig\namount: 1,5 mnkr\n" + text)
    found = check(minimal)
    assert f"budget/trasig.yaml:2:9: error: {DECIMALS}" in found
    assert (FRAME_UNKNOWN in found) is counts_here
    assert len(found) == len([line for line in found if "budget/trasig.yaml" in line]) + counts_here


def test_a_second_line_of_the_same_id_is_not_counted_and_its_frame_says_so(
    minimal: Path,
) -> None:
    """Files are met in path order: budget/arkiv/rad.yaml is the line, budget/rad.yaml
    the second file of its id."""
    write(minimal, "budget/arkiv/rad.yaml", PILOT_LINE.format(title="Rad", amount=100))
    write(minimal, "budget/rad.yaml", PILOT_LINE.format(title="Rad igen", amount=900000))
    assert check(minimal) == [
        "budget/rad.yaml:1:1: error: id 'rad' is already used by budget/arkiv/rad.yaml; rename "
        "one of the files [duplicate-id]",
        _frame(
            f"decided + proposed 100{NBSP}kr is within the frame 797{NBSP}500{NBSP}kr, but 1 "
            "budget line has errors and is not counted; fix it to know whether the frame holds",
            "frame-incomplete",
        ),
    ]


def test_a_broken_file_of_another_kind_leaves_the_frames_alone(minimal: Path) -> None:
    write(minimal, "budget/stor.yaml", PILOT_LINE.format(title="Stor", amount=900000))
    write(minimal, "initiatives/trasig.yaml", DUPLICATE_KEY)
    assert check(minimal)[-1] == _frame(
        f"decided + proposed 900{NBSP}000{NBSP}kr exceeds the frame 797{NBSP}500{NBSP}kr "
        f"by 102{NBSP}500{NBSP}kr"
    )
