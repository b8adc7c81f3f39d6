"""Stage 2b: YAML text to plain Python data, safely and with positions.

Built on the C event parser of ruamel.yaml (libyaml), never on a constructor:
no tag can build an object because nothing here builds objects from tags.
The builder walks the event stream iteratively and enforces, while parsing:

- one document per file, no %YAML/%TAG directives, no explicit tags;
- YAML 1.2 core-schema scalars (`yes`/`no`/`on`/`off` are text, `08:30` is text,
  `2024-02-27` is text that the models turn into a date);
- duplicate keys are errors; keys are always text;
- a depth limit, checked before libyaml goes deeper (deep flow nesting is
  quadratic inside libyaml, so stopping early is what keeps it fast);
- a cap on what aliases expand to, undefined and recursive aliases refused.

Positions (1-based line and column of every key and value) are recorded only
when asked for: the fast path builds data, and a file with a problem is parsed
again with `track_positions=True` to point at the exact place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from _ruamel_yaml import CParser
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from kontrakt.decode import first_forbidden
from kontrakt.i18n import N_, _, ngettext, numeral
from kontrakt.literal import WrittenFloat

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_ALIAS_NODES = 10_000
# For the alias cap a long text counts as many values, so a large anchored text
# repeated by aliases is refused like many repeated values.
SCALAR_CHARACTERS_PER_VALUE = 100
MAX_NUMBER_DIGITS = 40


class YamlProblem(Exception):
    """Why a text is not acceptable YAML for kontrakt, with 1-based position."""

    def __init__(self, line: int, column: int, rule: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.rule = rule
        self.message = message


@dataclass(slots=True)
class Positions:
    """Where each key and value of a document starts (1-based line, column)."""

    keys: dict[Path_, Position] = field(default_factory=dict)
    values: dict[Path_, Position] = field(default_factory=dict)


@dataclass(slots=True)
class Parsed:
    data: Any
    positions: Positions | None


_INT = re.compile(r"[-+]?[0-9]+")
_INT_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
# Quick gate: only plain scalars starting with one of these can be non-text.
_NON_TEXT_START = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(value: str, line: int, column: int) -> Any:
    """YAML 1.2 core schema for a plain (unquoted) scalar."""
    if value == "":
        return None
    if value[0] not in _NON_TEXT_START:
        return value
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    if _INT.fullmatch(value):
        digits = value.lstrip("+-")
        if len(digits) > MAX_NUMBER_DIGITS:
            raise YamlProblem(
                line,
                column,
                "yaml-number",
                _(
                    "number with {count} digits is too long; "
                    "write a realistic number, or quote it if it is text"
                ).format(count=numeral(len(digits))),
            )
        if _INT_LEADING_ZERO.fullmatch(value):
            raise YamlProblem(
                line,
                column,
                "yaml-number",
                _(
                    "'{value}' has a leading zero, which YAML 1.1 reads as octal and "
                    "YAML 1.2 as {number}; write {number} if it is a number, "
                    "or '{value}' in quotes if it is text"
                ).format(value=value, number=int(value)),
            )
        return int(value)
    if _OCT.fullmatch(value) and len(value) <= MAX_NUMBER_DIGITS:
        return int(value[2:], 8)
    if _HEX.fullmatch(value) and len(value) <= MAX_NUMBER_DIGITS:
        return int(value[2:], 16)
    if _FLOAT.fullmatch(value):
        if len(value) > MAX_NUMBER_DIGITS:
            raise YamlProblem(
                line, column, "yaml-number", _("number is too long; quote it if it is text")
            )
        return WrittenFloat(value)  # a float that keeps its digits as written
    if _INF.fullmatch(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.fullmatch(value):
        return math.nan
    return value


class _Open:
    """A mapping or sequence being built."""

    __slots__ = ("anchor", "container", "key", "key_pos", "path", "size")

    def __init__(self, container: Any, path: Path_, anchor: str | None) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key: str | None = None
        self.key_pos: Position = (0, 0)
        self.size = 1


_OPEN_ANCHOR = object()
_COMPLEX_KEY = N_(
    "a key must be plain text, not a list or mapping; write `name: value`, "
    "and put a value that starts with { or [ in quotes"
)
_STANDARD_TAGS = "tag:yaml.org,2002:"


def parse(
    text: str,
    *,
    track_positions: bool = False,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_alias_nodes: int = DEFAULT_MAX_ALIAS_NODES,
    events: Iterable[Any] | None = None,
) -> Parsed:
    """Parse one YAML document into dicts, lists and scalars, or raise YamlProblem.

    Without `track_positions` no event's position is read, and a problem is
    raised at line 0: callers parse a failing text again with positions to
    point at the exact place (see read.py), so the common, valid case stays fast.
    `events` are libyaml's events of `text` when the caller has them already
    (fmt, which also lays the file out from them).
    """
    next_event = CParser(text).get_event if events is None else iter(events).__next__
    escapes = "\\" in text  # only an escape can smuggle in a forbidden character
    positions = Positions() if track_positions else None
    stack: list[_Open] = []
    anchors: dict[str, tuple[Any, int] | object] = {}
    alias_nodes = 0
    documents = 0
    root: Any = None
    line = column = 0

    def add(value: Any, size: int) -> None:
        nonlocal root
        if not stack:
            root = value
            if positions is not None:
                positions.values[()] = (line, column)
            return
        top = stack[-1]
        top.size += size
        container = top.container
        if container.__class__ is list:
            if positions is not None:
                child = (*top.path, len(container))
                positions.keys[child] = (line, column)
                positions.values[child] = (line, column)
            container.append(value)
            return
        key = top.key
        if key is None:
            if value.__class__ is not str:
                raise YamlProblem(line, column, "yaml-key", _(_COMPLEX_KEY))
            if value in container:
                if positions is not None:
                    message = _(
                        "duplicate key '{key}' (first on line {line}); keep one of them"
                    ).format(key=value, line=positions.keys[(*top.path, value)][0])
                else:
                    message = _("duplicate key '{key}'; keep one of them").format(key=value)
                raise YamlProblem(line, column, "duplicate-key", message)
            top.key = value
            top.key_pos = (line, column)
            return
        container[key] = value
        if positions is not None:
            child = (*top.path, key)
            positions.keys[child] = top.key_pos
            positions.values[child] = (line, column)
        top.key = None

    def child_path() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if top.container.__class__ is list:
            return (*top.path, len(top.container))
        return (*top.path, top.key if top.key is not None else "")

    try:
        while True:
            event = next_event()
            cls = event.__class__
            if positions is not None:
                mark = event.start_mark
                line, column = mark.line + 1, mark.column + 1
            if cls is ScalarEvent:
                if event.tag is not None:
                    _refuse_tag(event.tag, line, column)
                value: Any = event.value
                if event.style is None or event.style == "":
                    in_key = bool(stack) and stack[-1].key is None
                    if not in_key or stack[-1].container.__class__ is list:
                        value = resolve_plain(value, line, column)
                elif event.style == '"' and escapes:
                    hidden = first_forbidden(value)
                    if hidden is not None:
                        raise YamlProblem(line, column, "character", hidden)
                weight = 1
                if value.__class__ is str:
                    weight += len(value) // SCALAR_CHARACTERS_PER_VALUE
                if event.anchor is not None:
                    anchors[event.anchor] = (value, weight)
                add(value, weight)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag is not None:
                    _refuse_tag(event.tag, line, column)
                if len(stack) >= max_depth:
                    raise YamlProblem(
                        line,
                        column,
                        "yaml-depth",
                        _(
                            "nested deeper than {depth} levels; portfolio files are "
                            "shallow, so flatten this structure"
                        ).format(depth=numeral(max_depth)),
                    )
                if stack and stack[-1].key is None and stack[-1].container.__class__ is dict:
                    raise YamlProblem(line, column, "yaml-key", _(_COMPLEX_KEY))
                container: Any = {} if cls is MappingStartEvent else []
                if event.anchor is not None:
                    anchors[event.anchor] = _OPEN_ANCHOR
                opened = _Open(
                    container, child_path() if positions is not None else (), event.anchor
                )
                stack.append(opened)
                if positions is not None:
                    positions.values[opened.path] = (line, column)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                done = stack.pop()
                if done.anchor is not None:
                    anchors[done.anchor] = (done.container, done.size)
                if positions is not None:
                    line, column = positions.values[done.path]
                add(done.container, done.size)
            elif cls is AliasEvent:
                target = anchors.get(event.anchor)
                if target is None:
                    raise YamlProblem(
                        line,
                        column,
                        "yaml-alias",
                        _("alias *{name} refers to no anchor &{name} above it").format(
                            name=event.anchor
                        ),
                    )
                if target is _OPEN_ANCHOR:
                    raise YamlProblem(
                        line,
                        column,
                        "yaml-alias",
                        _(
                            "alias *{name} refers to the collection that contains it; "
                            "recursive data is not allowed"
                        ).format(name=event.anchor),
                    )
                assert isinstance(target, tuple)
                alias_nodes += target[1]
                if alias_nodes > max_alias_nodes:
                    raise YamlProblem(
                        line,
                        column,
                        "yaml-alias",
                        _(
                            "aliases expand to more than {count} values; "
                            "write the values out instead of repeating anchors"
                        ).format(count=numeral(max_alias_nodes)),
                    )
                add(target[0], target[1])
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        line,
                        column,
                        "yaml-documents",
                        _(
                            "a second YAML document (---) in one file; "
                            "put each entity in a file of its own"
                        ),
                    )
                if event.version is not None or event.tags:
                    raise YamlProblem(
                        _directive_line(text),
                        1,
                        "yaml-directive",
                        _(
                            "%YAML and %TAG directives are not allowed; remove the lines "
                            "starting with % (kontrakt always reads YAML 1.2)"
                        ),
                    )
            elif cls is StreamEndEvent:
                break
    except YamlProblem:
        raise
    except Exception as exc:  # the C parser's MarkedYAMLError and kin
        raise _syntax_problem(exc, text) from None
    return Parsed(root, positions)


def _refuse_tag(tag: str, line: int, column: int) -> NoReturn:
    shown = "!!" + tag[len(_STANDARD_TAGS) :] if tag.startswith(_STANDARD_TAGS) else tag
    raise YamlProblem(
        line,
        column,
        "yaml-tag",
        _(
            "explicit YAML tag '{tag}' is not allowed; write the plain value "
            "(quote it if it must stay text)"
        ).format(tag=shown),
    )


def _directive_line(text: str) -> int:
    """The line of the first % directive (directives come before the document)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("%"):
            return number
    return 1


def _syntax_problem(exc: Exception, text: str) -> YamlProblem:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    last_line = text.rstrip().count("\n")  # 0-based, as libyaml counts
    if mark is not None and context_mark is not None and mark.line > last_line:
        mark = context_mark  # past the end: point at what was left open (quote, bracket)
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    if context and context_mark is not None:
        message = _("YAML syntax error: {problem} ({context} started on line {line})").format(
            problem=_libyaml(problem), context=_libyaml(context), line=context_mark.line + 1
        )
    else:
        message = _("YAML syntax error: {problem}").format(problem=_libyaml(problem))
    slip = None
    if mark is not None:
        at = (mark.line, mark.column)
        opened = (context_mark.line, context_mark.column) if context_mark is not None else None
        slip = _slip(str(problem), at, opened, text.splitlines())
    if slip is not None:
        hint, (line, column) = slip.hint, slip.place
        message += f"; {hint}"
    elif str(problem) in _HINTS:
        message += f"; {_(_HINTS[str(problem)])}"
    return YamlProblem(line, column, "yaml-syntax", message)


def _libyaml(words: object) -> str:
    """libyaml's own words in the reader's language, where the catalogs have them."""
    text = str(words)
    return _(text) if text in _LIBYAML_WORDS else text


# What libyaml says of the problems and places a hand-edited portfolio file meets
# (libyaml has no catalogs of its own; the rest of what it says stays English).
_LIBYAML_WORDS = frozenset(
    (
        N_("found unexpected end of stream"),
        N_("found character that cannot start any token"),
        N_("mapping values are not allowed in this context"),
        N_("mapping keys are not allowed in this context"),
        N_("block sequence entries are not allowed in this context"),
        N_("could not find expected ':'"),
        N_("found unexpected ':'"),
        N_("did not find expected node content"),
        N_("did not find expected key"),
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected <document start>"),
        N_("did not find expected comment or line break"),
        N_("did not find expected whitespace or line break"),
        N_("did not find expected alphabetic or numeric character"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found unexpected document indicator"),
        N_("found unknown escape character"),
        N_("while scanning a quoted scalar"),
        N_("while scanning a plain scalar"),
        N_("while scanning a simple key"),
        N_("while scanning a block scalar"),
        N_("while scanning an anchor"),
        N_("while scanning an alias"),
        N_("while scanning for the next token"),
        N_("while parsing a block mapping"),
        N_("while parsing a block collection"),
        N_("while parsing a flow mapping"),
        N_("while parsing a flow sequence"),
        N_("while parsing a flow node"),
        N_("while parsing a block node"),
        N_("while parsing a node"),
    )
)

# libyaml's problem -> what to do about it (translated with `_()` where used), where
# no hint for the slip at hand (below) says more.
_HINTS = {
    "found unexpected end of stream": N_("close the quote or bracket that was opened"),
    "could not find expected ':'": N_("each line of a mapping needs `key: value`"),
}


# --- The slips of hand-editing: what libyaml's words mean, and what to write ---------------
#
# libyaml says where it gave up, in its own terms: "mapping values are not allowed
# in this context" for a key indented one space too far as for a value holding
# ': '. The lines around that place tell the slips apart; each hint names the line
# and says what to write instead. A hint is given only when the lines show which
# slip it is: no hint beats a wrong one.

# A key as portfolio files write them (lowercase ids and snake_case names), after
# any list dashes, followed by ':' and a space or the end of the line.
_KEY = re.compile(r"(?P<dashes>(?:-[ ]+)*)(?P<key>[a-z_][a-z0-9_-]*):(?=[ ]|$)")
# A key glued to its value: `status:ongoing`.
_GLUED = re.compile(r"(?P<dashes>(?:-[ ]+)*)(?P<key>[a-z_][a-z0-9_-]*):(?P<value>[^\s].*)")
# What starts a block text (`description: >-`): the lines below it are text.
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ ]*(#.*)?")


@dataclass(frozen=True, slots=True)
class _Slip:
    hint: str
    place: Position  # 1-based line and column of the slip


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a key or a list item starts a line: the lines below it line up with it."""

    line: int  # 0-based
    column: int  # 0-based: the key's first letter, or the list item's dash
    key: str | None  # None for a list item

    def anchor(self) -> str:
        return f"{self.key}:" if self.key is not None else _("the list item")


def _slip(problem: str, at: Position, opened: Position | None, lines: list[str]) -> _Slip | None:
    """The slip behind libyaml's `problem` at 0-based `at` (with where what it was
    reading started, `opened`), and what to write instead; None if the lines do not
    show which slip it is."""
    line, column = at
    if line >= len(lines):
        return None
    if problem == "mapping values are not allowed in this context":
        return _colon_slip(lines, line, column)
    if problem in ("did not find expected key", "did not find expected '-' indicator"):
        return (
            _after_quote(lines, line, column)
            or _glued_dash(lines, line)
            or _misaligned(lines, line)
            or _short_text_line(lines, line)
        )
    if problem == "could not find expected ':'" and opened is not None and opened[0] < len(lines):
        return _no_colon(lines, opened[0])
    if problem == "did not find expected alphabetic or numeric character" and opened is not None:
        return _unquoted_start(lines, *opened)  # `*viktigt*`: an alias, to YAML
    if problem == "did not find expected <document start>":
        return _indented_start(lines)
    if problem in (
        "found a tab character that violates indentation",
        "found a tab character where an indentation space is expected",
    ) or (problem == "found character that cannot start any token" and _char(lines, at) == "\t"):
        return _Slip(
            _("line {line} is indented with a tab; indent with spaces only").format(line=line + 1),
            (line + 1, column + 1),
        )
    if problem in (
        "found character that cannot start any token",
        "block sequence entries are not allowed in this context",
    ):
        return _unquoted_start(lines, line, column)
    return None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _char(lines: list[str], at: Position) -> str:
    line, column = at
    return lines[line][column : column + 1] if line < len(lines) else ""


def _is_content(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not stripped.startswith("#")


def _above(lines: list[str], line: int) -> int | None:
    """The nearest line above `line` with content (not blank, not only a comment)."""
    for index in range(line - 1, -1, -1):
        if _is_content(lines[index]):
            return index
    return None


def _dashes(body: str) -> int:
    """How many characters of list dashes (`- `, `- - `) start `body`."""
    match = re.match(r"(?:-[ ]+)*", body)
    return match.end() if match else 0


def _places(lines: list[str], upto: int) -> list[_Place]:
    """The keys and list items that start the lines above `upto`, in order, outside
    block texts (`description: |` and the lines indented below it)."""
    places: list[_Place] = []
    text_deeper_than: int | None = None
    for index in range(upto):
        text = lines[index]
        if not _is_content(text):
            continue
        indent = _indent(text)
        if text_deeper_than is not None and indent > text_deeper_than:
            continue
        text_deeper_than = None
        body = text[indent:]
        column = indent
        while body == "-" or body.startswith("- "):
            places.append(_Place(index, column, None))
            step = 1 + _indent(body[1:])
            column, body = column + step, body[step:]
        match = _KEY.match(body)
        if match is not None:
            places.append(_Place(index, column, match.group("key")))
            body = body[match.end() :]
        if _BLOCK_HEADER.fullmatch(body.strip()):
            text_deeper_than = indent
    return places


def _open_places(lines: list[str], line: int) -> list[_Place]:
    """The keys and list items above `line` that a line below them could still line
    up with: the nearest one, and each one further up that starts further left."""
    found: list[_Place] = []
    leftmost: int | None = None
    for place in reversed(_places(lines, line)):
        if leftmost is None or place.column < leftmost:
            found.append(place)
            leftmost = place.column
    return found


def _align(place: _Place) -> str:
    """How to line a line up with `place`."""
    if place.column == 0:
        return _("start it in column 1, like {anchor} on line {line}").format(
            anchor=place.anchor(), line=place.line + 1
        )
    return ngettext(
        "indent it {count} space, like {anchor} on line {line}",
        "indent it {count} spaces, like {anchor} on line {line}",
        place.column,
    ).format(count=place.column, anchor=place.anchor(), line=place.line + 1)


def _quoted(text: str) -> str:
    """`text` as a quoted YAML scalar, in the quotes it needs least escaping in."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _value(text: str) -> str:
    """A value as written on its line, without a trailing comment."""
    head, _sep, _comment = text.partition(" #")
    return head.strip()


def _colon_slip(lines: list[str], line: int, column: int) -> _Slip | None:
    """`mapping values are not allowed`: a ': ' where no key can start. Either the
    value on the line holds ': ' (quote it), or the line was read as more of the
    value above it: a key indented too far, or a key above without its space."""
    text = lines[line]
    indent = _indent(text)
    body = text[indent:]
    dashes = _dashes(body)
    key = _KEY.match(body)
    if key is not None and indent + key.end() - 1 < column:
        # `title: Salus: trygghet`: the colon is inside the value.
        fix = f"{body[: key.end()]} {_quoted(_value(body[key.end() :]))}"
        return _quote_hint(line, column, fix)
    if key is None and dashes and ": " in body[dashes:] and indent + dashes < column:
        # `- Möte: kl 9: nu` in a list of texts.
        fix = f"{body[:dashes]}{_quoted(_value(body[dashes:]))}"
        return _quote_hint(line, column, fix)
    above = _above(lines, line)
    if above is None:
        return None
    before = _places(lines, line)
    # The key whose value this line was read as more of, if the line above is that
    # key's line or goes on with its value.
    last = before[-1] if before else None
    owner = (
        last
        if last is not None
        and last.key is not None
        and last.column < indent
        and _has_value(lines[last.line])
        else None
    )
    if key is not None and indent + key.end() - 1 == column:
        glued = _glued(lines, above, indent) or _glued_dash(lines, above)
        if glued is not None:
            return glued
        if owner is not None:
            return _Slip(
                ngettext(
                    "line {line} starts with {count} space, so it is read as part of the "
                    "value on line {above}; {align}",
                    "line {line} starts with {count} spaces, so it is read as part of the "
                    "value on line {above}; {align}",
                    indent,
                ).format(line=line + 1, count=indent, above=owner.line + 1, align=_align(owner)),
                (line + 1, indent + 1),
            )
        above_text = lines[above]
        content = _indent(above_text) + _dashes(above_text.lstrip(" "))
        if ":" not in above_text and content <= indent:
            return _no_colon(lines, above)  # `title Salus mea` above: its colon is missing
        return None
    if key is None and owner is not None:
        # The text of the key above goes on to this line, and has a ': ' in it.
        return _Slip(
            _(
                "line {line} continues the text of {key} on line {above} and contains "
                "': '; put the whole text in quotes"
            ).format(line=line + 1, key=owner.anchor(), above=owner.line + 1),
            (line + 1, column + 1),
        )
    return None


def _has_value(text: str) -> bool:
    """Whether a `key: value` line has its value on it (not a block, a list or a
    mapping below it)."""
    body = text.strip()
    key = _KEY.match(body)
    if key is None:
        return False
    value = _value(body[key.end() :])
    return bool(value) and not _BLOCK_HEADER.fullmatch(value)


def _quote_hint(line: int, column: int, fix: str) -> _Slip:
    return _Slip(
        _("the value on line {line} contains ': ', so it needs quotes: write {fix}").format(
            line=line + 1, fix=fix
        ),
        (line + 1, column + 1),
    )


def missing_space(text: str, keys: Container[str], line: int | None = None) -> str | None:
    """The hint for a line of `text` (1-based `line`, else the first such line) that
    glues one of `keys` to its value: `title:Salus` parses, as the text
    'title:Salus', so the model meets text where it wanted keys."""
    lines = text.splitlines()
    for index in range(len(lines)) if line is None else (line - 1,):
        glued = _GLUED.fullmatch(lines[index].strip()) if 0 <= index < len(lines) else None
        if glued is not None and glued.group("key") in keys:
            slip = _glued(lines, index)
            if slip is not None:
                return slip.hint
    return None


def _glued(lines: list[str], line: int, column: int | None = None) -> _Slip | None:
    """`status:ongoing` on `line` (its key starting at `column`, if given): the space
    after the colon is missing."""
    text = lines[line]
    indent = _indent(text)
    body = text[indent:].rstrip()
    glued = _GLUED.fullmatch(body)
    if glued is None:
        return None
    value = glued.group("value")
    if ": " in value or value.endswith(":") or value.startswith("//"):
        return None  # a web address, or more than one slip
    key_column = indent + len(glued.group("dashes"))
    if column is not None and key_column != column:
        return None
    fix = f"{glued.group('dashes')}{glued.group('key')}: {value}"
    return _Slip(
        _("line {line} needs a space after the colon: write {fix}").format(line=line + 1, fix=fix),
        (line + 1, key_column + len(glued.group("key")) + 1),
    )


def _glued_dash(lines: list[str], line: int) -> _Slip | None:
    """`-b` on `line` among list items: the space after the dash is missing."""
    text = lines[line]
    indent = _indent(text)
    body = text[indent:].rstrip()
    if re.match(r"-[^\s-]", body) is None:
        return None
    return _Slip(
        _("line {line} needs a space after the dash: write {fix}").format(
            line=line + 1, fix=f"- {body[1:]}"
        ),
        (line + 1, indent + 1),
    )


def _short_text_line(lines: list[str], line: int) -> _Slip | None:
    """A line of a block text (`description: |`) with fewer spaces than its first
    line: the text ends there, and libyaml expects a key."""
    before = _places(lines, line)
    if not before or before[-1].key is None:
        return None
    header = before[-1]
    rest = lines[header.line][header.column + len(header.anchor()) :]
    if not _BLOCK_HEADER.fullmatch(rest.strip()):
        return None
    first = next(
        (index for index in range(header.line + 1, line) if _is_content(lines[index])), None
    )
    indent = _indent(lines[line])
    if first is None or not _indent(lines[header.line]) < indent < _indent(lines[first]):
        return None
    return _Slip(
        _(
            "line {line} has fewer spaces than line {first}, where the text of {key} "
            "starts; indent every line of the text alike"
        ).format(line=line + 1, first=first + 1, key=header.anchor()),
        (line + 1, indent + 1),
    )


def _value_start(text: str) -> tuple[int, str, int]:
    """A line's indentation, the line without it, and where its value starts in that:
    after the list dashes and the key, if any."""
    indent = _indent(text)
    body = text[indent:]
    start = _dashes(body)
    key = _KEY.match(body)
    if key is not None:
        start = key.end() + _indent(body[key.end() :])
    return indent, body, start


def _after_quote(lines: list[str], line: int, column: int) -> _Slip | None:
    """`title: "Programmet "Future impact"" ...`: text after a value's closing quote."""
    indent, body, start = _value_start(lines[line])
    value = body[start:].rstrip()
    if not value or value[0] not in "'\"" or column <= indent + start:
        return None
    closing = value.rfind(value[0])
    comment = value.find(" #", closing)  # a comment can only follow the last quote
    value = value[:comment].rstrip() if comment > 0 else value
    inner = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value
    return _Slip(
        _(
            "line {line} has text after the closing quote; "
            "put the whole value in one pair of quotes: write {fix}"
        ).format(line=line + 1, fix=f"{body[:start].rstrip()} {_quoted(inner)}".lstrip()),
        (line + 1, column + 1),
    )


def _misaligned(lines: list[str], line: int) -> _Slip | None:
    """A key or list item that lines up with none above it (a space too few, or too
    many after a comment): line it up with the one it belongs with."""
    text = lines[line]
    indent = _indent(text)
    body = text[indent:]
    item = body == "-" or body.startswith("- ")
    if not item and _KEY.match(body) is None:
        return None
    candidates = [place for place in _open_places(lines, line) if (place.key is None) == item]
    if any(place.column == indent for place in candidates):
        return None
    deeper = [place for place in candidates if place.column > indent]
    shallower = [place for place in candidates if place.column < indent]
    options = [_align(min(deeper, key=lambda place: place.column))] if deeper else []
    if shallower:
        options.append(_align(max(shallower, key=lambda place: place.column)))
    if not options:
        return None
    align = (
        options[0]
        if len(options) == 1
        else _("{first}, or {second}").format(first=options[0], second=options[1])
    )
    if item:
        hint = ngettext(
            "line {line} starts with {count} space, lining up with no list item above it; {align}",
            "line {line} starts with {count} spaces, lining up with no list item above it; {align}",
            indent,
        )
    else:
        hint = ngettext(
            "line {line} starts with {count} space, lining up with no key above it; {align}",
            "line {line} starts with {count} spaces, lining up with no key above it; {align}",
            indent,
        )
    return _Slip(hint.format(line=line + 1, count=indent, align=align), (line + 1, indent + 1))


def _no_colon(lines: list[str], line: int) -> _Slip | None:
    """`could not find expected ':'` on a line libyaml read as a key: its colon has
    no space after it, or it has none (a key without its colon, or text that was
    meant to go on with the value above)."""
    glued = _glued(lines, line)
    if glued is not None:
        return glued
    dash = _glued_dash(lines, line)
    if dash is not None:
        return dash
    text = lines[line]
    indent = _indent(text)
    body = text[indent:].rstrip()
    if ":" in body:
        return None
    above = _above(lines, line)
    places = [place for place in _places(lines, line) if above is not None and place.line == above]
    parent = places[-1] if places and places[-1].key is not None else None
    if above is not None and parent is not None and _has_value(lines[above]):
        hint = _(
            "line {line} is not `key: value`: write a colon and a space after its key, "
            "or, if it continues the text of line {above}, indent it more than {key}"
        ).format(line=line + 1, above=above + 1, key=parent.anchor())
    else:
        hint = _("line {line} is not `key: value`: write a colon and a space after its key").format(
            line=line + 1
        )
    return _Slip(hint, (line + 1, indent + 1))


def _indented_start(lines: list[str]) -> _Slip | None:
    """The first key indented, the next ones not: libyaml then finds a second document."""
    first = next((index for index, text in enumerate(lines) if _is_content(text)), None)
    if first is None or _indent(lines[first]) == 0:
        return None
    count = _indent(lines[first])
    return _Slip(
        ngettext(
            "line {line} starts with {count} space; keys at the top level start in column 1",
            "line {line} starts with {count} spaces; keys at the top level start in column 1",
            count,
        ).format(line=first + 1, count=count),
        (first + 1, 1),
    )


def _unquoted_start(lines: list[str], line: int, column: int) -> _Slip | None:
    """A value that starts with a character YAML keeps for itself (@, `, %, '- ', and
    * or & that start an alias or anchor): quote it, when it is the whole value of a
    key or list item."""
    indent, body, start = _value_start(lines[line])
    if indent + start != column or body[start : start + 1] not in ("@", "`", "%", "-", "*", "&"):
        return None
    fix = f"{body[:start].rstrip()} {_quoted(_value(body[start:]))}".lstrip()
    return _Slip(
        _(
            "the value on line {line} starts with {character}, so it needs quotes: write {fix}"
        ).format(line=line + 1, character=body[start], fix=fix),
        (line + 1, column + 1),
    )
