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
from kontrakt.i18n import N_, _

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
                ).format(count=len(digits)),
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
        return float(value)
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
) -> Parsed:
    """Parse one YAML document into dicts, lists and scalars, or raise YamlProblem.

    Without `track_positions` no event's position is read, and a problem is
    raised at line 0: callers parse a failing text again with positions to
    point at the exact place (see read.py), so the common, valid case stays fast.
    """
    parser = CParser(text)
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
            event = parser.get_event()
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
                        ).format(depth=max_depth),
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
                        ).format(count=max_alias_nodes),
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
    hint = _HINTS.get(str(problem))
    if hint:
        message += f"; {_(hint)}"
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

# libyaml's problem -> what to do about it (translated with `_()` where used).
_HINTS = {
    "found character that cannot start any token": N_(
        "indent with spaces, not tabs, and quote text that starts with @, ` or %"
    ),
    "mapping values are not allowed in this context": N_(
        "quote a value that contains ': ', e.g. title: 'A: B'"
    ),
    "found unexpected end of stream": N_("close the quote or bracket that was opened"),
    "could not find expected ':'": N_("each line of a mapping needs `key: value`"),
}
