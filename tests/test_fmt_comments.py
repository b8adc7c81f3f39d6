"""`kontrakt fmt` keeps every comment next to what it is about, keeps one line ending
per file, and leaves read-only files alone."""

from __future__ import annotations

import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from conftest import BUNDLED, write
from kontrakt.cli import app
from kontrakt.diagnostics import error
from kontrakt.fmt import Unformattable, format_file, format_text, line_ending, model_for
from kontrakt.layout import Comment, comments, first_moved, tree
from kontrakt.models import BudgetLine, Initiative, Settings
from kontrakt.models.initiative import Milestone
from kontrakt.models.settings import Frame, Limits, Vocabularies
from kontrakt.yamlload import Path_, parse

runner = CliRunner()


def _about(text: str) -> list[Comment]:
    """The comments of `text` and what each is about, found with the safe loader's parser."""
    from _ruamel_yaml import CParser
    from ruamel.yaml.events import StreamEndEvent

    parser = CParser(text)
    events = [parser.get_event()]
    while events[-1].__class__ is not StreamEndEvent:
        events.append(parser.get_event())
    lines = text.splitlines()
    return comments(lines, tree(events, lines))


# --- comments travel with their keys ----------------------------------------------------


def test_a_comment_above_a_key_travels_with_it() -> None:
    """The header is what a blank line separates from the first key; the comment
    directly above the first key (`# om status`) goes with it."""
    text = """\
# Filhuvud

# om status
status: idea  # ännu inte beslutat
kind: pilot

# Om titeln,
# på två rader
title: Ny pilot
"""
    assert (
        format_text(text, Initiative)
        == """\
# Filhuvud

# Om titeln,
# på två rader
title: Ny pilot
# om status
status: idea  # ännu inte beslutat
kind: pilot
"""
    )


def test_a_comment_above_a_key_of_a_list_item_travels_with_it() -> None:
    """A key that becomes an item's first brings its comment above the `-`; the
    comment above an item stays there."""
    text = """\
title: T
milestones:
  # om första delmålet
  - title: Start
    # om datumet
    date: 2024-03-01
  - done: true  # klart
    # om titeln
    title: Slut
    date: 2024-06-01
"""
    assert (
        format_text(text, Initiative)
        == """\
title: T
milestones:
  # om första delmålet
  # om datumet
  - date: 2024-03-01
    title: Start
  - date: 2024-06-01
    # om titeln
    title: Slut
    done: true  # klart
"""
    )


def test_a_comment_above_a_key_of_a_nested_mapping_travels_with_it() -> None:
    text = """\
name: N
mission: M
limits:
  max_file_size: 1000
vocabularies:
  # om kinds
  kinds:
    pilot: Pilot
  # om statuses
  statuses:
    idea: Idé
    # en okänd nyckel sist
    ongoing: Pågår
"""
    assert (
        format_text(text, Settings)
        == """\
name: N
mission: M
vocabularies:
  # om statuses
  statuses:
    idea: Idé
    # en okänd nyckel sist
    ongoing: Pågår
  # om kinds
  kinds:
    pilot: Pilot
limits:
  max_file_size: 1000
"""
    )


def test_comments_in_and_after_flow_collections_are_kept() -> None:
    text = """\
notes: [a, b]  # om anteckningarna
organisations: [
  mdu,  # universitetet
  # kommunen:
  eskilstuna,
]
related: {initiative: x,  # relationen
  type: testbadd}
title: T
"""
    assert (
        format_text(text, Initiative)
        == """\
title: T
organisations: [
  mdu,  # universitetet
  # kommunen:
  eskilstuna,
]
notes: [a, b]  # om anteckningarna
related: {initiative: x,  # relationen
  type: testbadd}
"""
    )


def test_the_keys_of_a_flow_mapping_are_put_in_order() -> None:
    text = "milestones: [{title: A, date: 1}, {done: true, title: B, date: 2}]  # två\ntitle: T\n"
    assert format_text(text, Initiative) == (
        "title: T\nmilestones: [{date: 1, title: A}, {date: 2, title: B, done: true}]  # två\n"
    )


def test_comments_after_the_document_end_stay_at_the_end() -> None:
    text = "status: idea\ntitle: T\n# om slutet\n...  # slut\n# efter slutet\n\n# allra sist\n"
    assert format_text(text, Initiative) == (
        "title: T\nstatus: idea\n# om slutet\n...  # slut\n# efter slutet\n\n# allra sist\n"
    )


def test_hashes_inside_text_are_not_comments() -> None:
    text = """\
status: idea
title: 'Nr #1'
description: |
  Rubrik
  # ingen kommentar
notes: ["a # b", c#d]
"""
    assert _about(text) == []
    assert (
        format_text(text, Initiative)
        == """\
title: 'Nr #1'
status: idea
description: |
  Rubrik
  # ingen kommentar
notes: ["a # b", c#d]
"""
    )


def test_what_each_comment_is_about() -> None:
    text = """\
# överst
title: T  # om titeln
milestones:  # om listan
  # om första
  - date: 2024-01-01
    title: A
notes: [a,  # om a
  b]  # om notes
description: |  # om beskrivningen
  text
...
# efter
"""
    milestone = ("milestones", 0)
    assert [(c.line, c.text, c.about) for c in _about(text)] == [
        (1, "# överst", frozenset({("above", ("title",))})),
        (2, "# om titeln", frozenset({("on", ("title",))})),
        (3, "# om listan", frozenset({("on", ("milestones",))})),
        (4, "# om första", frozenset({("above", milestone), ("above", (*milestone, "date"))})),
        (7, "# om a", frozenset({("on", ("notes", 0))})),
        (8, "# om notes", frozenset({("on", ("notes",))})),
        (9, "# om beskrivningen", frozenset({("on", ("description",))})),
        (12, "# efter", frozenset({("end", ())})),
    ]


def test_a_blank_line_moved_after_a_keep_block_scalar_is_left_out() -> None:
    """A blank line right after `|+` text would become part of that text."""
    text = "status: |+\n  ny\n\ndescription: d\n\ntitle: T\n"
    once = format_text(text, Initiative)
    assert once == "title: T\nstatus: |+\n  ny\n\ndescription: d\n"
    assert parse(once).data == parse(text).data


def test_block_scalars_are_indented_two_more_than_their_key() -> None:
    text = "title: T\ndescription: |\n      en\n        två\n\n      tre\nnotes:\n- |2\n    x\n"
    assert format_text(text, Initiative) == (
        "title: T\ndescription: |\n  en\n    två\n\n  tre\nnotes:\n  - |2\n      x\n"
    )


# --- a comment indented into a block, after its last entry, stays at its end -----------


def test_a_comment_at_the_end_of_a_list_item_stays_in_it() -> None:
    """The reviewer's case: the comment is indented into the item above, so it ends
    that item and does not go with `status`, which fmt moves up."""
    text = """\
title: T
related:
  - note: N
    initiative: angsgardet
    # end of related item
status: idea
"""
    assert (
        format_text(text, Initiative)
        == """\
title: T
status: idea
related:
  - initiative: angsgardet
    note: N
    # end of related item
"""
    )


def test_comments_at_the_end_of_nested_blocks_stay_at_their_level() -> None:
    """By column: 4 ends the item, 2 ends `related`, 0 is about `status`; the blank
    line above a comment goes with it."""
    text = """\
related:
  - note: N
    initiative: a

    # slut på punkten
  # slut på related
# om status
status: idea
title: T
"""
    assert (
        format_text(text, Initiative)
        == """\
title: T
# om status
status: idea
related:
  - initiative: a
    note: N

    # slut på punkten
  # slut på related
"""
    )


_ENDS_OF_BLOCKS: dict[str, tuple[type[BaseModel], str, str]] = {
    "settings-vocabularies": (
        Settings,
        """\
name: N
mission: M
vocabularies:
  relations:
    testbadd: Kopplat till testbädd
    relaterad: Relaterad
    # slut på relations
  statuses:
    idea: Idé
  # slut på vocabularies
language: sv
""",
        """\
name: N
mission: M
language: sv
vocabularies:
  statuses:
    idea: Idé
  relations:
    testbadd: Kopplat till testbädd
    relaterad: Relaterad
    # slut på relations
  # slut på vocabularies
""",
    ),
    "settings-frames": (
        Settings,
        """\
frames:
  - period: 2024
    category: ordinarie
    amount: 100
    # om första ramen
  - amount: 200
    period: 2024
    category: pilot
    # om sista ramen
  # slut på frames
name: N
mission: M
""",
        """\
name: N
mission: M
frames:
  - category: ordinarie
    period: 2024
    amount: 100
    # om första ramen
  - category: pilot
    period: 2024
    amount: 200
    # om sista ramen
  # slut på frames
""",
    ),
    "budget-parts": (
        BudgetLine,
        """\
amount: 100
parts:
  - purpose: konsult
    amount: 50
    # om konsultdelen
  - amount: 50
    category: pilot
      # om kategorin, indragen i den
title: T
period: 2024
""",
        """\
title: T
amount: 100
period: 2024
parts:
  - amount: 50
    purpose: konsult
    # om konsultdelen
  - amount: 50
    category: pilot
      # om kategorin, indragen i den
""",
    ),
    "initiative-milestone-key": (  # deeper than `title`: it ends `title`, and goes with it
        Initiative,
        """\
milestones:
  - title: A
      # om A:s titel
    date: 2024-01-01
    # slut på A
title: T
""",
        """\
title: T
milestones:
  - date: 2024-01-01
    title: A
      # om A:s titel
    # slut på A
""",
    ),
    "four-levels": (
        Initiative,
        """\
egen:
  a:
    b:
      - x: 1
        # slut på punkten
      # slut på b
    # slut på a
  # slut på egen
title: T
""",
        """\
title: T
egen:
  a:
    b:
      - x: 1
        # slut på punkten
      # slut på b
    # slut på a
  # slut på egen
""",
    ),
    "four-space-indent-at-the-end-of-the-file": (
        Initiative,
        """\
related:
    -   note: N
        initiative: a
        # slut på punkten
    # slut på related
title: T
milestones:
    - date: 2024-01-01
      title: A
      # slut på A
""",
        """\
title: T
related:
  - initiative: a
    note: N
    # slut på punkten
  # slut på related
milestones:
  - date: 2024-01-01
    title: A
    # slut på A
""",
    ),
    "under-a-key-with-no-value-yet": (
        Initiative,
        "title: T\nnotes:\n  # inga än\nstatus: idea\n",
        "title: T\nstatus: idea\nnotes:\n  # inga än\n",
    ),
    "after-a-list-of-texts": (
        Initiative,
        "themes:\n  - a\n  - b\n  # fler kommer\nstatus: idea\ntitle: T\n",
        "title: T\nstatus: idea\nthemes:\n  - a\n  - b\n  # fler kommer\n",
    ),
    "after-a-block-scalar": (  # one deeper than the key: two deeper would be text
        Initiative,
        """\
description: |
    rad
  # om beskrivningen
title: T
""",
        """\
title: T
description: |
  rad
 # om beskrivningen
""",
    ),
}


@pytest.mark.parametrize("case", _ENDS_OF_BLOCKS, ids=str)
def test_a_comment_at_the_end_of_a_block_stays_there(case: str) -> None:
    model, text, expected = _ENDS_OF_BLOCKS[case]
    assert format_text(text, model) == expected
    assert format_text(expected, model) == expected
    assert first_moved(_about(text), _about(expected)) is None


def test_a_comment_at_the_end_of_a_block_in_a_crlf_file(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    path = minimal / "initiatives/crlf.yaml"
    path.write_bytes(
        b"title: T\r\nrelated:\r\n  - note: N\r\n    initiative: alfa\r\n"
        b"    # slut p\xc3\xa5 punkten\r\n  # slut p\xc3\xa5 related\r\nstatus: idea\r\n"
    )
    result = runner.invoke(app, ["fmt", "initiatives/crlf.yaml"])
    assert (result.exit_code, result.output) == (
        0,
        "reformatted initiatives/crlf.yaml\n1 files, 1 changed, 0 not formatted\n",
    )
    assert path.read_bytes() == (
        b"title: T\r\nstatus: idea\r\nrelated:\r\n  - initiative: alfa\r\n    note: N\r\n"
        b"    # slut p\xc3\xa5 punkten\r\n  # slut p\xc3\xa5 related\r\n"
    )


def test_a_comment_indented_into_a_block_is_about_its_end() -> None:
    text = """\
title: T
related:
  - initiative: a
    note: N
    # (1)
  # (2)
# (3)
status: idea
notes: [a,
  b]
  # (4)
milestones:
  - date: 2024-01-01
        # (5)
...
    # (6)
"""
    assert [(c.text, c.about) for c in _about(text)] == [
        ("# (1)", frozenset({("in", ("related", 0))})),
        ("# (2)", frozenset({("in", ("related",))})),
        ("# (3)", frozenset({("above", ("status",))})),
        ("# (4)", frozenset({("in", ("notes",))})),
        ("# (5)", frozenset({("in", ("milestones", 0, "date"))})),
        ("# (6)", frozenset({("end", ())})),
    ]


# --- the comments directly above the first key go with it; the header stays -----------


_FIRST_KEY = {
    "no-blank-line": (
        "# about order\norder: 1\ntitle: T\n",
        "title: T\n# about order\norder: 1\n",
    ),
    "a-header-then-a-blank-line": (
        "# Filhuvud\n\n# about order\norder: 1\ntitle: T\n",
        "# Filhuvud\n\ntitle: T\n# about order\norder: 1\n",
    ),
    "a-modeline-is-always-the-header": (
        "# yaml-language-server: $schema=../.kontrakt/schema/initiative.schema.json\n"
        "# about status\nstatus: idea\ntitle: T\n",
        "# yaml-language-server: $schema=../.kontrakt/schema/initiative.schema.json\n"
        "title: T\n# about status\nstatus: idea\n",
    ),
    "a-modeline-below-other-comments": (
        "# one\n# yaml-language-server: $schema=x.json\nstatus: idea\ntitle: T\n",
        "# one\n# yaml-language-server: $schema=x.json\ntitle: T\nstatus: idea\n",
    ),
    "after-the-document-start": (
        "# before\n---\n# about status\nstatus: idea\ntitle: T\n",
        "# before\n---\ntitle: T\n# about status\nstatus: idea\n",
    ),
    "a-comment-above-a-key-moved-to-the-top-stays-above-it": (
        "status: idea\n\n# about title\ntitle: T\n",
        "# about title\ntitle: T\nstatus: idea\n",
    ),
    "one-blank-line-apart-it-becomes-the-header": (
        "status: idea\n# about title\n\ntitle: T\n",
        "# about title\n\ntitle: T\nstatus: idea\n",
    ),
}


@pytest.mark.parametrize("case", _FIRST_KEY, ids=str)
def test_the_comments_directly_above_the_first_key_go_with_it(case: str) -> None:
    text, expected = _FIRST_KEY[case]
    assert format_text(text, Initiative) == expected
    assert format_text(expected, Initiative) == expected
    assert first_moved(_about(text), _about(expected)) is None


def test_what_kontrakt_new_writes_keeps_its_modeline_first(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new file is already formatted; a key added above its first keeps the modeline
    on the first line, where editors read it, also with CRLF line endings."""
    monkeypatch.chdir(minimal)
    result = runner.invoke(
        app, ["new", "initiative", "Ny", "--status", "idea", "--on", "2024-03-26"]
    )
    assert result.exit_code == 0, result.output
    path = minimal / "initiatives/ny.yaml"
    modeline = b"# yaml-language-server: $schema=../.kontrakt/schema/initiative.schema.json"
    body = b"title: Ny\nstatus: idea\nproposed_on: 2024-03-26\nhistory:\n"
    history = b"  - date: 2024-03-26\n    status: idea\n"
    assert path.read_bytes() == modeline + b"\n" + body + history
    assert runner.invoke(app, ["fmt", "--check", "initiatives/ny.yaml"]).exit_code == 0
    path.write_bytes(modeline + b"\r\n# om ordningen\r\norder: 2\r\ntitle: Ny\r\nstatus: idea\r\n")
    assert runner.invoke(app, ["fmt", "initiatives/ny.yaml"]).exit_code == 0
    assert path.read_bytes() == (
        modeline + b"\r\ntitle: Ny\r\nstatus: idea\r\n# om ordningen\r\norder: 2\r\n"
    )


# --- what fmt cannot keep is reported at the comment's line ---------------------------


def test_a_comment_inside_a_flow_mapping_to_reorder_is_reported_and_the_rest_formatted(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    text = "title: T\nmilestones: [{title: A,  # om titeln\n  date: 2024-01-01}]\n"
    path = write(minimal, "initiatives/flow.yaml", text)
    write(minimal, "initiatives/ny.yaml", "status: idea\ntitle: Ny\n")
    result = runner.invoke(app, ["fmt", "initiatives"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "initiatives/flow.yaml:2:26: error: fmt cannot put the keys of this { } mapping in "
            "order without moving this comment; write the mapping one key per line, or move "
            "the comment above it [fmt]",
            "reformatted initiatives/ny.yaml",
            "3 files, 1 changed, 1 not formatted",
        ],
    )
    assert path.read_bytes() == text.encode()
    assert (minimal / "initiatives/ny.yaml").read_bytes() == b"title: Ny\nstatus: idea\n"


def test_a_comment_the_result_would_lose_is_reported_at_its_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net: whatever the layout code does, a lost comment is never written."""
    import kontrakt.fmt

    monkeypatch.chdir(minimal)
    text = "status: idea\n# om titeln\ntitle: T\nkind: pilot  # typen\n"
    path = write(minimal, "initiatives/x.yaml", text)
    real = kontrakt.fmt._Renderer.document

    def losing(self: kontrakt.fmt._Renderer, model: type[BaseModel] | None) -> list[str]:
        return [line.split("  #")[0] for line in real(self, model)]

    monkeypatch.setattr(kontrakt.fmt._Renderer, "document", losing)
    result = runner.invoke(app, ["fmt", "--check", "initiatives/x.yaml"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "initiatives/x.yaml:4:14: error: fmt cannot keep the comment '# typen' next to "
            "what it is about; put it on a line of its own directly above the key it is "
            "about [fmt]",
            "1 files, 0 would change, 1 not formatted",
        ],
    )
    assert path.read_bytes() == text.encode()


def test_a_comment_the_result_would_move_is_reported_at_its_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kontrakt.fmt

    text = "status: idea\n# om titeln\ntitle: T\n"
    path = write(minimal, "initiatives/x.yaml", text)
    monkeypatch.setattr(
        kontrakt.fmt._Renderer,
        "document",
        lambda self, model: ["# om titeln", *text.split("\n")[::2]],
    )
    assert format_file(path) == (
        None,
        [
            error(
                path,
                2,
                1,
                "fmt",
                "fmt cannot keep the comment '# om titeln' next to what it is about; "
                "put it on a line of its own directly above the key it is about",
            )
        ],
    )


def test_a_comment_at_the_end_of_a_block_moved_away_is_reported_at_its_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net sees what the old rule did (the comment went with `status`)."""
    import kontrakt.fmt

    monkeypatch.chdir(minimal)
    text = "title: T\nrelated:\n  - note: N\n    initiative: alfa\n    # slut\nstatus: idea\n"
    path = write(minimal, "initiatives/x.yaml", text)
    monkeypatch.setattr(kontrakt.fmt, "block_ends", lambda lines, root, positions: {})
    result = runner.invoke(app, ["fmt", "initiatives/x.yaml"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "initiatives/x.yaml:5:5: error: fmt cannot keep the comment '# slut' next to "
            "what it is about; put it on a line of its own directly above the key it is "
            "about [fmt]",
            "1 files, 0 changed, 1 not formatted",
        ],
    )
    assert path.read_bytes() == text.encode()


def test_a_comment_above_the_first_key_left_at_the_top_is_reported_at_its_line(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The safety net sees what the old rule did (the comment stayed at the top)."""
    import kontrakt.fmt

    monkeypatch.chdir(minimal)
    text = "# yaml-language-server: $schema=x.json\n# om ordningen\norder: 1\ntitle: T\n"
    path = write(minimal, "initiatives/x.yaml", text)
    monkeypatch.setattr(kontrakt.fmt, "header_end", lambda lines, full, first: first)
    result = runner.invoke(app, ["fmt", "--check", "initiatives/x.yaml"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "initiatives/x.yaml:2:1: error: fmt cannot keep the comment '# om ordningen' "
            "next to what it is about; put it on a line of its own directly above the key "
            "it is about [fmt]",
            "1 files, 0 would change, 1 not formatted",
        ],
    )
    assert path.read_bytes() == text.encode()


def test_an_alias_that_would_come_before_its_anchor_is_reported(minimal: Path) -> None:
    text = "status: &s idea\ntitle: *s\n"
    path = write(minimal, "initiatives/x.yaml", text)
    assert format_file(path) == (
        None,
        [
            error(
                path,
                1,
                1,
                "fmt",
                "fmt would make this file unreadable (alias *s refers to no anchor &s "
                "above it); left alone",
            )
        ],
    )


def test_a_key_written_with_a_question_mark_is_reported(minimal: Path) -> None:
    path = write(minimal, "initiatives/x.yaml", "status: idea\n? title\n: T\n")
    item, problems = format_file(path)
    assert item is None
    assert [(p.line, p.column, p.rule) for p in problems] == [(2, 3, "fmt")]


# --- line endings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ending"),
    [
        ("a: 1\r\nb: 2\r\n", "\r\n"),
        ("a: 1\nb: 2\r\nc: 3\r\n", "\r\n"),
        ("a: 1\r\nb: 2\nc: 3\n", "\n"),
        ("a: 1\r\nb: 2\n", "\n"),  # a tie
        ("a: 1\rb: 2\r", "\r"),
        ("a: 1\rb: 2\r\nc: 3\n", "\n"),  # a three-way tie
        ("a: 1", "\n"),
    ],
)
def test_the_line_ending_of_a_file_is_the_most_common_one(text: str, ending: str) -> None:
    assert line_ending(text) == ending


def test_a_crlf_file_stays_crlf(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(minimal)
    path = minimal / "initiatives/crlf.yaml"
    path.write_bytes(
        b"# om filen\r\n\r\nstatus: idea\r\ndescription: |\r\n  rad\r\n\r\n  rad\r\ntitle: T\r\n"
    )
    result = runner.invoke(app, ["fmt", "initiatives/crlf.yaml"])
    assert (result.exit_code, result.output) == (
        0,
        "reformatted initiatives/crlf.yaml\n1 files, 1 changed, 0 not formatted\n",
    )
    assert path.read_bytes() == (
        b"# om filen\r\n\r\ntitle: T\r\nstatus: idea\r\ndescription: |\r\n  rad\r\n\r\n  rad\r\n"
    )
    result = runner.invoke(app, ["fmt", "--check", "initiatives/crlf.yaml"])
    assert (result.exit_code, result.output) == (0, "1 files, 0 would change, 0 not formatted\n")


def test_a_file_with_mixed_line_endings_would_change_and_gets_the_common_one(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    mixed = minimal / "initiatives/blandad.yaml"
    mixed.write_bytes(b"title: T\r\nstatus: idea\nkind: pilot\r\n")
    tie = minimal / "initiatives/lika.yaml"
    tie.write_bytes(b"title: T\r\nstatus: idea\n")
    result = runner.invoke(app, ["fmt", "--check", "initiatives"])
    assert (result.exit_code, result.output) == (
        1,
        "would reformat initiatives/blandad.yaml\nwould reformat initiatives/lika.yaml\n"
        "3 files, 2 would change, 0 not formatted\n",
    )
    assert mixed.read_bytes() == b"title: T\r\nstatus: idea\nkind: pilot\r\n"
    result = runner.invoke(app, ["fmt", "initiatives"])
    assert result.exit_code == 0
    assert mixed.read_bytes() == b"title: T\r\nstatus: idea\r\nkind: pilot\r\n"
    assert tie.read_bytes() == b"title: T\nstatus: idea\n"
    result = runner.invoke(app, ["fmt", "--check", "initiatives"])
    assert (result.exit_code, result.output) == (0, "3 files, 0 would change, 0 not formatted\n")


def test_a_file_with_cr_line_endings_keeps_them() -> None:
    text = "status: idea\rtitle: |\r  a\r\r  b\r# slut\r"
    assert format_text(text, Initiative) == "title: |\r  a\r\r  b\rstatus: idea\r# slut\r"


# --- read-only files --------------------------------------------------------------------


def _read_only(path: Path) -> None:
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def test_a_read_only_file_is_reported_and_left_alone_and_the_rest_formatted(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    locked = write(minimal, "events/a.yaml", "kind: oppen-verkstad\ntitle: A\n")
    write(minimal, "events/b.yaml", "kind: oppen-verkstad\ntitle: B\n")
    _read_only(locked)
    result = runner.invoke(app, ["fmt", "events"])
    assert (result.exit_code, result.output.splitlines()) == (
        1,
        [
            "kontrakt: cannot write events/a.yaml: the file is read-only; "
            "make it writable to format it",
            "reformatted events/b.yaml",
            "2 files, 1 changed, 1 not formatted",
        ],
    )
    assert locked.read_bytes() == b"kind: oppen-verkstad\ntitle: A\n"
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert (minimal / "events/b.yaml").read_bytes() == b"title: B\nkind: oppen-verkstad\n"


def test_check_lists_a_read_only_file_that_would_change(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--check says what formatting would do; only writing needs permission."""
    monkeypatch.chdir(minimal)
    _read_only(write(minimal, "events/a.yaml", "kind: oppen-verkstad\ntitle: A\n"))
    result = runner.invoke(app, ["fmt", "--check", "events"])
    assert (result.exit_code, result.output) == (
        1,
        "would reformat events/a.yaml\n1 files, 1 would change, 0 not formatted\n",
    )


def test_a_read_only_file_already_formatted_is_no_problem(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal)
    _read_only(write(minimal, "events/a.yaml", "title: A\nkind: oppen-verkstad\n"))
    result = runner.invoke(app, ["fmt", "events"])
    assert (result.exit_code, result.output) == (0, "1 files, 0 changed, 0 not formatted\n")


# --- properties -------------------------------------------------------------------------

_COMMENT = re.compile(r"(?:^|[ \t])(#.*)$")


def _oracle(text: str) -> Counter[str]:
    """The comments of a text without `#` inside values (the bundled portfolio's)."""
    return Counter(
        m.group(1).rstrip() for line in text.splitlines() if (m := _COMMENT.search(line))
    )


def _reversed(text: str) -> str:
    """The text with its keys in reverse order, recursively (ruamel's round trip)."""
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def reverse(node: object) -> None:
        if isinstance(node, CommentedMap):
            for key in reversed(list(node)):
                node.move_to_end(key)
            for value in node.values():
                reverse(value)
        elif isinstance(node, CommentedSeq):
            for item in node:
                reverse(item)

    yaml = YAML(typ="rt")
    yaml.indent(mapping=4, sequence=4, offset=0)
    data = yaml.load(text)
    reverse(data)
    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("path", sorted(BUNDLED.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_file_keeps_its_comments_when_put_back_in_order(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    model = model_for(path)
    assert format_text(text, model) == text
    assert [(c.line, c.text) for c in _about(text)] == [
        (number, m.group(1).rstrip())
        for number, line in enumerate(text.splitlines(), 1)
        if (m := _COMMENT.search(line))
    ]
    scrambled = _reversed(text)
    once = format_text(scrambled, model)
    assert _oracle(once) == _oracle(scrambled) == _oracle(text)
    assert first_moved(_about(scrambled), _about(once)) is None
    assert parse(once).data == parse(text).data
    assert list(parse(once).data) == list(parse(text).data)
    assert format_text(once, model) == once


# Generated files: every comment is numbered, and the generator notes what it is about
# in terms a reader checks on the output text, independently of kontrakt.layout.

_MODELINE = "# yaml-language-server: $schema=../.kontrakt/schema/initiative.schema.json"


@dataclass
class _Doc:
    lines: list[str] = field(default_factory=list)
    about: dict[str, tuple[str, object]] = field(default_factory=dict)
    modeline: bool = False

    def comment(self, kind: str, what: object = "") -> str:
        text = f"# k{len(self.about) + 1}"
        self.about[text] = (kind, what)
        return text

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


_SCALARS = ["x", "'a # b'", '"c # d"', "e#f", "2024-03-01", "12", "ja", "'it''s'"]
_LISTS_OF_MODELS = {"milestones": Milestone, "frames": Frame}
_MAPPINGS = {"vocabularies": Vocabularies, "limits": Limits}
_DICTS = {"kinds", "statuses", "organisations", "categories"}
_ROOT_KEYS = {
    Initiative: ["title", "status", "kind", "description", "notes", "milestones", "egen"],
    Settings: [
        "name",
        "mission",
        "description",
        "organisations",
        "vocabularies",
        "frames",
        "limits",
        "egen",
    ],
}
_MODEL_KEYS = {
    Milestone: ["date", "title", "done", "egen"],
    Frame: ["category", "period", "amount", "note"],
    Vocabularies: ["kinds", "statuses", "categories", "egen"],
    Limits: ["max_file_size", "egen"],
}


class _Writer:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.doc = _Doc()
        self.step = draw(st.sampled_from([2, 4]))

    def chance(self, p: float = 0.3) -> bool:
        return self.draw(st.floats(0, 1)) < p

    def eol(self, kind: str, what: str) -> str:
        return f"  {self.doc.comment(kind, what)}" if self.chance() else ""

    def above(self, column: int, kind: str, what: str) -> None:
        for _ in range(self.draw(st.integers(0, 2))):
            if self.chance(0.2):
                self.doc.lines.append("")
            else:
                self.doc.lines.append(" " * column + self.doc.comment(kind, what))

    def first_above(self, key: str) -> None:
        """The lines above the file's first key: the comments directly above it (no
        blank line or modeline between) go with it, the others are the header."""
        self.above(0, "header", key)
        for line in reversed(self.doc.lines):
            if not line or line == _MODELINE:
                break
            self.doc.about[line] = ("above", key)

    def tail(self, path: Path_, column: int, inner: int) -> None:
        """Maybe comments that end the key or item at `column`: indented deeper than
        it and no deeper than `inner`, where what it holds starts."""
        if inner <= column or not self.chance(0.3):
            return
        for _ in range(self.draw(st.integers(1, 2))):
            if self.chance(0.2):
                self.doc.lines.append("")
            indent = self.draw(st.integers(column + 1, inner))
            self.doc.lines.append(" " * indent + self.doc.comment("tail", path))

    def keys(self, keys: list[str]) -> list[str]:
        return self.draw(st.permutations(keys).map(lambda k: k[: max(1, len(k) - 2)]))

    def mapping(
        self, keys: list[str], column: int, dash: int | None = None, path: Path_ = ()
    ) -> None:
        """A block mapping at `column`; its first key after `- ` when `dash` is set."""
        for number, key in enumerate(keys):
            prefix = " " * column
            if dash is not None and number == 0:
                self.above(dash, "above-item", key)
                prefix = " " * dash + "-" + " " * (column - dash - 1)
            elif column == 0 and number == 0:
                self.first_above(key)
            else:
                self.above(column, "above", key)
            inner = self.value(key, prefix + key + ":", column, (*path, key))
            self.tail((*path, key), column, inner)

    def value(self, key: str, head: str, column: int, path: Path_) -> int:
        """The value of `key`; the column where what it holds starts."""
        lines = self.doc.lines
        inner = column + self.step
        if key in _LISTS_OF_MODELS:
            lines.append(head + self.eol("eol", key))
            model_keys = _MODEL_KEYS[_LISTS_OF_MODELS[key]]
            dash = column + self.draw(st.sampled_from([0, self.step]))
            for number in range(self.draw(st.integers(1, 3))):
                if self.chance(0.2):
                    lines += self.flow_mapping(self.keys(model_keys), dash)
                    start = dash + 2
                elif self.chance(0.2):
                    lines.append(" " * dash + "-" + self.eol("dash", ""))
                    start = dash + 2
                    self.mapping(self.keys(model_keys), start, path=(*path, number))
                else:
                    start = dash + 1 + self.draw(st.sampled_from([1, 1, 3]))
                    self.mapping(self.keys(model_keys), start, dash, (*path, number))
                self.tail((*path, number), dash, start)
            return dash
        if key in _MAPPINGS or key in _DICTS:
            lines.append(head + self.eol("eol", key))
            names = self.keys(_MODEL_KEYS[_MAPPINGS[key]]) if key in _MAPPINGS else ["b", "a"]
            self.mapping(names, inner, path=path)
            return inner
        if key == "notes" or self.chance(0.15):
            return self.flow_or_block_list(head, key, column, path)
        if self.chance(0.15):
            indicator = self.draw(st.sampled_from(["|", ">-", "|-"]))
            lines.append(f"{head} {indicator}" + self.eol("eol", key))
            lines += [" " * inner + "rad # ingen", "", " " * inner + "  sista"]
            return inner - 1  # a comment as deep as the text would be part of it
        lines.append(f"{head} {self.draw(st.sampled_from(_SCALARS))}" + self.eol("eol", key))
        return inner

    def flow_or_block_list(self, head: str, key: str, column: int, path: Path_) -> int:
        lines = self.doc.lines
        form = self.draw(st.sampled_from(["flow", "multi-line", "block"]))
        if form == "flow":
            lines.append(f"{head} [a, 'b # c']" + self.eol("eol", key))
            return column + self.step
        if form == "multi-line":
            lines.append(f"{head} [a,  {self.doc.comment('line', head.strip() + ' [a,')}")
            lines.append(" " * (column + 2) + self.doc.comment("above-line", "b]"))
            lines.append(" " * (column + 2) + "b]")
            return column + 2
        lines.append(head + self.eol("eol", key))
        for number, item in enumerate(("a", "b")):
            self.above(column, "above-line", f"- {item}")
            lines.append(" " * column + f"- {item}" + self.eol("line", f"- {item}"))
            self.tail((*path, number), column, column + 2)
        return column  # the items are as deep as the key: a deeper comment ends the last

    def flow_mapping(self, keys: list[str], dash: int) -> list[str]:
        """`- {key: value, ...}`, on one line or one key a line with comments inside."""
        values = {"date": "2024-03-01", "title": "T", "done": "true", "period": "2024"}
        pairs = [f"{key}: {values.get(key, 'v')}" for key in keys]
        if self.chance(0.5):
            return [" " * dash + "- {" + ", ".join(pairs) + "}" + self.eol("flow-item", "")]
        lines = []
        for number, pair in enumerate(pairs):
            start = " " * dash + "- {" if number == 0 else " " * (dash + 3)
            end = "}" if number == len(pairs) - 1 else ","
            about = ("flow-end", "") if end == "}" else ("line", pair)
            lines.append(start + pair + end + self.eol(*about))
        return lines


@st.composite
def _documents(draw: st.DrawFn) -> tuple[type[BaseModel], _Doc]:
    model = draw(st.sampled_from([Initiative, Settings]))
    writer = _Writer(draw)
    doc = writer.doc
    if writer.chance(0.2):
        doc.lines.append(_MODELINE)
        doc.modeline = True
    if writer.chance(0.5):
        doc.lines.append(doc.comment("header"))
    writer.mapping(writer.keys(_ROOT_KEYS[model]), 0)
    if writer.chance(0.3):
        doc.lines.append("..." + writer.eol("end", ""))
    for _ in range(draw(st.integers(0, 2))):
        doc.lines.append(doc.comment("end"))
    return model, doc


def _bare(line: str) -> str:
    """A line without its indentation and list dash."""
    return line.strip().removeprefix("- ").lstrip()


def _content(line: str) -> bool:
    return bool(line.strip()) and not line.lstrip().startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _starts(lines: list[str]) -> dict[int, list[tuple[int, Path_]]]:
    """The keys and list items that start on each line of a generated text, outermost
    first, as (column, path): read off the indentation alone."""
    found: dict[int, list[tuple[int, Path_]]] = {}
    open_: list[tuple[int, bool, Path_]] = []  # column, an item, path
    items: dict[Path_, int] = {}
    flow = 0  # brackets open
    block_scalar: int | None = None  # the column of the key a block scalar's text is deeper than
    for number, line in enumerate(lines):
        bare = re.sub(r"\s*# k\d+\b.*$", "", line).rstrip()
        if not bare.strip() or bare == "...":
            continue
        if block_scalar is not None and _indent(bare) > block_scalar:
            continue
        block_scalar = None
        if flow:
            flow += sum(bare.count(c) for c in "[{") - sum(bare.count(c) for c in "]}")
            continue
        column, rest, starts = _indent(bare), bare.strip(), []
        while rest == "-" or rest.startswith("- "):
            while open_ and (open_[-1][0] > column or (open_[-1][0] == column and open_[-1][1])):
                open_.pop()
            parent = open_[-1][2] if open_ else ()
            path: Path_ = (*parent, items.get(parent, 0))
            items[parent] = items.get(parent, 0) + 1
            open_.append((column, True, path))
            starts.append((column, path))
            column += 1 + len(rest[1:]) - len(rest[1:].lstrip(" "))
            rest = rest[1:].lstrip(" ")
        key = re.match(r"([\w-]+):(?:\s|$)", rest)
        if key:
            while open_ and open_[-1][0] >= column:
                open_.pop()
            path = (*(open_[-1][2] if open_ else ()), key.group(1))
            open_.append((column, False, path))
            starts.append((column, path))
            if rest[key.end() :].strip() in ("|", ">-", "|-"):
                block_scalar = column
        flow = sum(bare.count(c) for c in "[{") - sum(bare.count(c) for c in "]}")
        found[number] = starts
    return found


def _owner(starts: dict[int, list[tuple[int, Path_]]], number: int, column: int) -> Path_:
    """The innermost key or item above line `number` that starts left of `column`."""
    for above in range(number - 1, -1, -1):
        left = [path for start, path in starts.get(above, []) if start < column]
        if left:
            return left[-1]
    return ()


def _check_attached(doc: _Doc, out: str) -> None:
    """Each comment is where the generator said it belongs, read off the output text."""
    lines = out.splitlines()
    content = [number for number, line in enumerate(lines) if _content(line)]
    starts = _starts(lines)
    if doc.modeline:
        assert lines[0] == _MODELINE
    for text, (kind, what) in doc.about.items():
        [number] = [n for n, line in enumerate(lines) if re.search(rf"{text}\b", line)]
        line = lines[number]
        following = next((lines[n].strip() for n in content if n > number), "")
        key_below = _bare(following)
        if kind == "header":
            assert number < content[0], text
        elif kind == "end":
            assert number > content[-1] or line.startswith("..."), text
        elif kind == "eol":
            assert _bare(line).startswith(f"{what}:"), text
        elif kind == "line":
            assert isinstance(what, str)
            assert _bare(line).lstrip("{").startswith(_bare(what)), text
        elif kind == "flow-end":
            assert line.split("#")[0].rstrip().endswith("}"), text
        elif kind == "flow-item":
            assert line.strip().startswith("- {"), text
        elif kind == "dash":
            assert re.match(r"-\s+#", line.strip()), text
        elif kind == "above":
            assert key_below.startswith(f"{what}:"), (text, following)
        elif kind == "above-item":
            assert following.startswith("- ") or key_below.startswith(f"{what}:"), text
        elif kind == "above-line":
            assert isinstance(what, str)
            assert following.startswith(what), text
        elif kind == "tail":  # still deeper than what follows, and inside the same key or item
            below = next((lines[n] for n in content if n > number), "")
            assert _indent(below) < _indent(line), (text, below)
            assert _owner(starts, number, _indent(line)) == what, (text, what)


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_generated_files_keep_every_comment_next_to_what_it_is_about(
    generated: tuple[type[BaseModel], _Doc],
) -> None:
    model, doc = generated
    text = doc.text
    _check_attached(doc, text)  # the generator and the reader agree
    try:
        once = format_text(text, model)
    except Unformattable as refused:  # only a comment inside a `{ }` mapping to reorder
        assert text.splitlines()[refused.line - 1][refused.column - 1] == "#"
        assert refused.message.startswith("fmt cannot put the keys of this { } mapping")
        return
    assert parse(once).data == parse(text).data
    assert format_text(once, model) == once
    assert Counter(re.findall(r"# k\d+\b", once)) == Counter(list(doc.about))
    _check_attached(doc, once)
    assert first_moved(_about(text), _about(once)) is None


@settings(max_examples=100, deadline=None)
@given(_documents(), st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=40))
def test_generated_files_get_one_line_ending(
    generated: tuple[type[BaseModel], _Doc], endings: list[str]
) -> None:
    model, doc = generated
    text = "".join(line + endings[n % len(endings)] for n, line in enumerate(doc.lines))
    try:
        once = format_text(text, model)
    except Unformattable as refused:  # only a comment inside a `{ }` mapping to reorder
        assert text.splitlines()[refused.line - 1][refused.column - 1] == "#"
        assert refused.message.startswith("fmt cannot put the keys of this { } mapping")
        return
    ending = line_ending(text)
    lf = format_text(text.replace("\r\n", "\n").replace("\r", "\n"), model)
    assert once == lf.replace("\n", ending)
    assert format_text(once, model) == once
