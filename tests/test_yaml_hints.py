"""Plain-language hints for the slips of hand-editing YAML, at the slip's line.

libyaml says where it gave up, in its own words; the hint after them names the
line of the slip and says what to write there instead. "Quote it" is said only
where quoting is the fix, and no hint is given where the lines do not show which
slip it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BUNDLED, check, write
from kontrakt.yamlload import YamlProblem, parse

SYNTAX = "YAML syntax error: "

# (what, text, line, column, message after "YAML syntax error: ")
CASES = [
    (
        "a key one space too far",
        "title: A\nstatus: ongoing\n kind: pilot\n",
        3,
        2,
        (
            "mapping values are not allowed in this context; line 3 starts with 1 space, so it "
            "is read as part of the value on line 2; start it in column 1, like status: on "
            "line 2"
        ),
    ),
    (
        "a key two spaces too far",
        "title: A\nstatus: ongoing\n  kind: pilot\n",
        3,
        3,
        (
            "mapping values are not allowed in this context; line 3 starts with 2 spaces, so "
            "it is read as part of the value on line 2; start it in column 1, like status: on "
            "line 2"
        ),
    ),
    (
        "a nested key too far",
        "title: A\nhistory:\n  - date: 2024-01-01\n     status: ongoing\n",
        4,
        6,
        (
            "mapping values are not allowed in this context; line 4 starts with 5 spaces, so "
            "it is read as part of the value on line 3; indent it 4 spaces, like date: on line "
            "3"
        ),
    ),
    (
        "a key too far after a text that goes on",
        "title: A\ndescription: lång\n  text\n  kind: pilot\n",
        4,
        3,
        (
            "mapping values are not allowed in this context; line 4 starts with 2 spaces, so "
            "it is read as part of the value on line 2; start it in column 1, like "
            "description: on line 2"
        ),
    ),
    (
        "the first key indented",
        "# Om filen\n title: A\nstatus: idea\n",
        2,
        1,
        (
            "did not find expected <document start>; line 2 starts with 1 space; keys at the "
            "top level start in column 1"
        ),
    ),
    (
        "a nested key a space short",
        "title: A\nseries:\n  name: Forum\n number: 3\n",
        4,
        2,
        (
            "did not find expected key (while parsing a block mapping started on line 1); line "
            "4 starts with 1 space, lining up with no key above it; indent it 2 spaces, like "
            "name: on line 3, or start it in column 1, like series: on line 2"
        ),
    ),
    (
        "a key of a list item a space short",
        (
            "title: A\nhistory:\n  - date: 2024-01-01\n    status: ongoing\n  - date: "
            "2024-02-01\n   status: idea\n"
        ),
        6,
        4,
        (
            "did not find expected '-' indicator (while parsing a block collection started on "
            "line 3); line 6 starts with 3 spaces, lining up with no key above it; indent it 4 "
            "spaces, like date: on line 5, or start it in column 1, like history: on line 2"
        ),
    ),
    (
        "a list item a space short",
        "title: A\nnotes:\n  - en\n - två\n",
        4,
        2,
        (
            "did not find expected key (while parsing a block mapping started on line 1); line "
            "4 starts with 1 space, lining up with no list item above it; indent it 2 spaces, "
            "like the list item on line 3"
        ),
    ),
    (
        "a key in line with the list items above",
        "title: A\nnotes:\n  - en\n  status: idea\n",
        4,
        3,
        (
            "did not find expected '-' indicator (while parsing a block collection started on "
            "line 3); line 4 starts with 2 spaces, lining up with no key above it; start it in "
            "column 1, like notes: on line 2"
        ),
    ),
    (
        "a key indented after a comment",
        "title: A\nstatus: idea\n# not\n kind: pilot\n",
        4,
        2,
        (
            "did not find expected key (while parsing a block mapping started on line 1); line "
            "4 starts with 1 space, lining up with no key above it; start it in column 1, like "
            "status: on line 2"
        ),
    ),
    (
        "a line of a block text a space short",
        "title: A\ndescription: |\n   Första raden\n  andra raden\n",
        4,
        3,
        (
            "did not find expected key (while parsing a block mapping started on line 1); line "
            "4 has fewer spaces than line 3, where the text of description: starts; indent "
            "every line of the text alike"
        ),
    ),
    (
        "no space after a colon",
        "title: A\nstatus:ongoing\nkind: pilot\n",
        2,
        7,
        (
            "could not find expected ':' (while scanning a simple key started on line 2); line "
            "2 needs a space after the colon: write status: ongoing"
        ),
    ),
    (
        "no space after a colon on the last line",
        "title: A\nstatus:ongoing\n",
        2,
        7,
        (
            "could not find expected ':' (while scanning a simple key started on line 2); line "
            "2 needs a space after the colon: write status: ongoing"
        ),
    ),
    (
        "no space after a colon in a list item",
        "title: A\nhistory:\n  - date:2024-01-01\n    status: idea\n",
        3,
        9,
        (
            "mapping values are not allowed in this context; line 3 needs a space after the "
            "colon: write - date: 2024-01-01"
        ),
    ),
    (
        "no space after a colon in a nested mapping",
        "title: A\nseries:\n  name:Forum\n  number: 3\n",
        3,
        7,
        (
            "mapping values are not allowed in this context; line 3 needs a space after the "
            "colon: write name: Forum"
        ),
    ),
    (
        "no space after a colon before a list",
        "title: A\norganisations:[mdu]\nkind: pilot\n",
        2,
        14,
        (
            "could not find expected ':' (while scanning a simple key started on line 2); line "
            "2 needs a space after the colon: write organisations: [mdu]"
        ),
    ),
    (
        "no space after a colon, CRLF",
        "title: A\r\nstatus:ongoing\r\nkind: pilot\r\n",
        2,
        7,
        (
            "could not find expected ':' (while scanning a simple key started on line 2); line "
            "2 needs a space after the colon: write status: ongoing"
        ),
    ),
    (
        "no space after a dash",
        "title: A\nnotes:\n  - en\n  -två\n",
        4,
        3,
        (
            "could not find expected ':' (while scanning a simple key started on line 4); line "
            "4 needs a space after the dash: write - två"
        ),
    ),
    (
        "no colon",
        "title: A\nstatus ongoing\nkind: pilot\n",
        2,
        1,
        (
            "could not find expected ':' (while scanning a simple key started on line 2); line "
            "2 is not `key: value`: write a colon and a space after its key, or, if it "
            "continues the text of line 1, indent it more than title:"
        ),
    ),
    (
        "no colon after a key that opens a block",
        "title: A\nseries\n  name: Forum\n",
        2,
        1,
        (
            "could not find expected ':' (while scanning a simple key started on line 2); line "
            "2 is not `key: value`: write a colon and a space after its key, or, if it "
            "continues the text of line 1, indent it more than title:"
        ),
    ),
    (
        "no colon, first line",
        "title A\nstatus: idea\n",
        1,
        1,
        (
            "mapping values are not allowed in this context; line 1 is not `key: value`: write "
            "a colon and a space after its key"
        ),
    ),
    (
        "text that should go on",
        "title: A\ndescription: första raden\nandra raden\n",
        3,
        1,
        (
            "could not find expected ':' (while scanning a simple key started on line 3); line "
            "3 is not `key: value`: write a colon and a space after its key, or, if it "
            "continues the text of line 2, indent it more than description:"
        ),
    ),
    (
        "a value with ': '",
        "title: Salus: trygghetslarm\n",
        1,
        13,
        (
            "mapping values are not allowed in this context; the value on line 1 contains ': "
            "', so it needs quotes: write title: 'Salus: trygghetslarm'"
        ),
    ),
    (
        "a nested value with ': '",
        "title: A\nseries:\n  name: Forum: tre\n",
        3,
        14,
        (
            "mapping values are not allowed in this context; the value on line 3 contains ': "
            "', so it needs quotes: write name: 'Forum: tre'"
        ),
    ),
    (
        "a list text with ': '",
        "title: A\nnotes:\n  - Möte: kl 9: nu\n",
        3,
        15,
        (
            "mapping values are not allowed in this context; the value on line 3 contains ': "
            "', so it needs quotes: write - 'Möte: kl 9: nu'"
        ),
    ),
    (
        "a value with ': ' and a comment",
        "title: Salus: trygghetslarm   # deck\n",
        1,
        13,
        (
            "mapping values are not allowed in this context; the value on line 1 contains ': "
            "', so it needs quotes: write title: 'Salus: trygghetslarm'"
        ),
    ),
    (
        "a value with ': ' and an apostrophe",
        "title: Salus' larm: nu\n",
        1,
        19,
        (
            "mapping values are not allowed in this context; the value on line 1 contains ': "
            "', so it needs quotes: write title: \"Salus' larm: nu\""
        ),
    ),
    (
        "text that goes on with ': '",
        "title: A\ndescription: Lång text\n  som fortsätter: här\n",
        3,
        17,
        (
            "mapping values are not allowed in this context; line 3 continues the text of "
            "description: on line 2 and contains ': '; put the whole text in quotes"
        ),
    ),
    (
        "a tab",
        "title: A\nnotes:\n\t- en\n",
        3,
        1,
        (
            "found character that cannot start any token (while scanning for the next token "
            "started on line 3); line 3 is indented with a tab; indent with spaces only"
        ),
    ),
    (
        "a tab inside a list",
        "title: A\nnotes:\n  - en\n\t- två\n",
        4,
        1,
        (
            "found a tab character that violates indentation (while scanning a plain scalar "
            "started on line 3); line 4 is indented with a tab; indent with spaces only"
        ),
    ),
    (
        "a value starting with @",
        "title: A\nowner: @eskilstuna\n",
        2,
        8,
        (
            "found character that cannot start any token (while scanning for the next token "
            "started on line 2); the value on line 2 starts with @, so it needs quotes: write "
            "owner: '@eskilstuna'"
        ),
    ),
    (
        "a value starting with `",
        "title: `kod`\n",
        1,
        8,
        (
            "found character that cannot start any token (while scanning for the next token "
            "started on line 1); the value on line 1 starts with `, so it needs quotes: write "
            "title: '`kod`'"
        ),
    ),
    (
        "a value starting with %",
        "title: %procent\n",
        1,
        8,
        (
            "found character that cannot start any token (while scanning for the next token "
            "started on line 1); the value on line 1 starts with %, so it needs quotes: write "
            "title: '%procent'"
        ),
    ),
    (
        "a value starting with - ",
        "title: - punkt\n",
        1,
        8,
        (
            "block sequence entries are not allowed in this context; the value on line 1 "
            "starts with -, so it needs quotes: write title: '- punkt'"
        ),
    ),
    (
        "a value starting with *",
        "title: A\nnotes:\n  - *viktigt* i dag\n",
        3,
        5,
        (
            "did not find expected alphabetic or numeric character (while scanning an alias "
            "started on line 3); the value on line 3 starts with *, so it needs quotes: write "
            "- '*viktigt* i dag'"
        ),
    ),
    (
        "a list item starting with @",
        "title: A\nnotes:\n  - @mdu\n",
        3,
        5,
        (
            "found character that cannot start any token (while scanning for the next token "
            "started on line 3); the value on line 3 starts with @, so it needs quotes: write "
            "- '@mdu'"
        ),
    ),
    (
        "quotes inside quotes",
        'title: "Utvecklingsprogram "Future impact champions""\n',
        1,
        29,
        (
            "did not find expected key (while parsing a block mapping started on line 1); line "
            "1 has text after the closing quote; put the whole value in one pair of quotes: "
            "write title: 'Utvecklingsprogram \"Future impact champions\"'"
        ),
    ),
    (
        "text after a closing quote",
        "title: 'Salus' mea   # deck\n",
        1,
        16,
        (
            "did not find expected key (while parsing a block mapping started on line 1); line "
            "1 has text after the closing quote; put the whole value in one pair of quotes: "
            "write title: \"'Salus' mea\""
        ),
    ),
    (
        "a list item with text after its quote",
        'title: A\nnotes:\n  - "A" och B\n',
        3,
        9,
        (
            "did not find expected '-' indicator (while parsing a block collection started on "
            "line 3); line 3 has text after the closing quote; put the whole value in one pair "
            "of quotes: write - '\"A\" och B'"
        ),
    ),
    (
        "no hint: @ inside a flow list",
        "title: A\nnotes: [@x]\n",
        2,
        9,
        (
            "found character that cannot start any token (while scanning for the next token "
            "started on line 2)"
        ),
    ),
    (
        "no hint: an open bracket",
        "title: A\nnotes: [a, b\nstatus: idea\n",
        3,
        7,
        "did not find expected ',' or ']' (while parsing a flow sequence started on line 2)",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        pytest.param(text, line, column, message, id=what)
        for what, text, line, column, message in CASES
    ],
)
def test_a_slip_gets_its_hint_at_its_line(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text, track_positions=True)
    problem = caught.value
    assert (problem.line, problem.column, problem.rule, problem.message) == (
        line,
        column,
        "yaml-syntax",
        SYNTAX + message,
    )


def test_the_fast_parse_gives_the_same_message() -> None:
    """read.py parses once without positions, then again with them: both say the same."""
    for _what, text, _line, _column, message in CASES:
        with pytest.raises(YamlProblem) as caught:
            parse(text)
        assert caught.value.message == SYNTAX + message


def _message(text: str) -> str:
    with pytest.raises(YamlProblem) as caught:
        parse(text, track_positions=True)
    return caught.value.message


def test_quoting_is_hinted_only_where_it_is_the_fix() -> None:
    quoted = [what for what, text, *_rest in CASES if "quote" in _message(text)]
    assert quoted == [
        "a value with ': '",
        "a nested value with ': '",
        "a list text with ': '",
        "a value with ': ' and a comment",
        "a value with ': ' and an apostrophe",
        "text that goes on with ': '",
        "a value starting with @",
        "a value starting with `",
        "a value starting with %",
        "a value starting with - ",
        "a value starting with *",
        "a list item starting with @",
        "quotes inside quotes",
        "text after a closing quote",
        "a list item with text after its quote",
    ]


def test_the_written_fix_parses_to_what_was_meant() -> None:
    """Where a hint says `write ...`, writing that on the line makes the file parse."""
    fixed = []
    for what, text, line, _column, message in CASES:
        fix = re.search(r"(?:quotes|colon|dash): write (.*)$", message)
        if fix is None:
            continue
        lines = text.splitlines()
        indent = len(lines[line - 1]) - len(lines[line - 1].lstrip(" "))
        lines[line - 1] = " " * indent + fix.group(1)
        assert isinstance(parse("\n".join(lines) + "\n").data, dict), what
        fixed.append(what)
    assert len(fixed) == 21


# --- a key glued to its value where the file still parses -------------------------------


def test_a_file_of_one_glued_key_is_text_and_says_which_space_is_missing(minimal: Path) -> None:
    write(minimal, "initiatives/a.yaml", "title:Alfa\n")
    write(minimal, "initiatives/b.yaml", "# Glömt mellanslag\ntitle:Beta\nstatus:idea\n")
    assert check(minimal) == [
        "initiatives/a.yaml:1:1: error: expected a mapping of keys for an initiative (e.g. "
        "`title: ...`), found 'title:Alfa'; line 1 needs a space after the colon: write "
        "title: Alfa [not-a-mapping]",
        "initiatives/b.yaml:2:1: error: expected a mapping of keys for an initiative (e.g. "
        "`title: ...`), found 'title:Beta status:idea'; line 2 needs a space after the colon: "
        "write title: Beta [not-a-mapping]",
    ]


def test_a_glued_key_where_a_mapping_belongs(minimal: Path) -> None:
    write(
        minimal,
        "events/e.yaml",
        "title: E\nkind: oppen-verkstad\nseries:\n  name:Forumträffar\n",
    )
    write(minimal, "initiatives/b.yaml", "title: B\nhistory:\n  - date:2024-01-01\n")
    write(minimal, "initiatives/c.yaml", "title: C\nrelated:\n  - initiative:alfa\n")
    assert check(minimal) == [
        "events/e.yaml:4:3: error: expected a mapping (key: value lines), found "
        "'name:Forumträffar'; line 4 needs a space after the colon: write name: Forumträffar "
        "[invalid-value]",
        "initiatives/b.yaml:3:5: error: expected a mapping (key: value lines), found "
        "'date:2024-01-01'; line 3 needs a space after the colon: write - date: 2024-01-01 "
        "[invalid-value]",
        "initiatives/c.yaml:3:5: error: 'initiative:alfa' is not a valid id: use lowercase "
        "a-z, digits and single hyphens (å, ä, ö become a, a, o); use 'initiative-alfa'; "
        "line 3 needs a space after the colon: write - initiative: alfa [invalid-value]",
    ]


def test_text_with_a_colon_that_is_no_key_gets_no_space_hint(minimal: Path) -> None:
    """'kl:9' is not a key of an initiative: no hint about a missing space."""
    write(minimal, "initiatives/a.yaml", "kl:9\n")
    assert check(minimal) == [
        "initiatives/a.yaml:1:1: error: expected a mapping of keys for an initiative (e.g. "
        "`title: ...`), found 'kl:9' [not-a-mapping]",
    ]


# --- never worse than no hint -------------------------------------------------------------

_SLIPS = {
    "one space more": lambda line: " " + line,
    "one space less": lambda line: line[1:] if line.startswith(" ") else line,
    "two spaces more": lambda line: "  " + line,
    "a tab": lambda line: "\t" + line,
    "no space after the colon": lambda line: line.replace(": ", ":", 1),
    "no colon": lambda line: line.replace(":", "", 1),
    "a colon in the value": lambda line: line.replace(": ", ": x: ", 1),
    "an @ first": lambda line: line.replace(": ", ": @", 1),
    "an open quote": lambda line: line.replace(": ", ": '", 1),
    "text after a quote": lambda line: line.replace(": ", ': "a" ', 1),
    "no space after the dash": lambda line: line.replace("- ", "-", 1),
    "a star first": lambda line: line.replace(": ", ": *", 1),
}


@pytest.mark.parametrize("slip", list(_SLIPS))
def test_every_slip_on_every_line_of_the_bundled_portfolio(slip: str) -> None:
    """Each slip on each line of each real file: the parse fails only with a
    YamlProblem, on a line of the file, and a hint names only lines of the file."""
    make = _SLIPS[slip]
    hinted = 0
    for path in sorted(BUNDLED.rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(lines):
            changed = [*lines[:index], make(line), *lines[index + 1 :]]
            text = "\n".join(changed) + "\n"
            try:
                parse(text)
            except YamlProblem:
                try:
                    parse(text, track_positions=True)
                except YamlProblem as problem:
                    assert 1 <= problem.line <= len(changed), (path, index, problem.message)
                    named = [int(n) for n in re.findall(r"\bline (\d+)", problem.message)]
                    assert all(1 <= n <= len(changed) for n in named), (path, problem.message)
                    hinted += problem.rule == "yaml-syntax" and "; " in problem.message
                else:  # pragma: no cover - the two parses disagree
                    raise AssertionError((path, index))
    assert hinted > 0
