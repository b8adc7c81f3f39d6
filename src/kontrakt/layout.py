"""Where things are in a YAML text: its nodes, and its comments with what each is about.

`kontrakt fmt` moves whole lines; this module tells it which lines make up a key
and its value, and afterwards proves that no comment was lost or moved away from
what it annotates. Positions come from a parser's events, never from guessing at
the text: a `#` inside a quoted or block scalar is not a comment.

What a comment is about:

- an end-of-line comment: the key or list item that ends on its line before the
  `#` (the outermost, so `notes: [a, b]  # ...` is about notes), else the key
  or item it is inside of (`description: |  # ...`);
- a comment on a line of its own that is indented into the block above it: the
  end of that block (see below);
- any other comment on a line of its own: every key and list item that starts
  on the next line with content (`- date: ...` starts both an item and its
  first key), or, when nothing starts there (a closing `]`), the end of what
  encloses it;
- before the first key of a block mapping (the usual document): that key, when
  the comment is one of the comment lines directly above it (no blank line
  between, and no `# yaml-language-server:` modeline among them); the start of
  the document (a header) when a modeline or `---` comes between them; either,
  when only blank lines do (a key moved to the top brings the comment and
  blank line above it there, where they make a header). Before any other
  document: its start, as well as what starts on the next line with content;
- after the last value, or after `...`: the end of the document.

The end of a block. A key's column is where its name starts; a list item's is
where its `-` is. A comment on a line of its own at column c, after the line
with content L and before the next line with content N (or the end of the
file), ends the innermost key or list item that (1) holds L (it starts on or
before L and ends on or after it), (2) ends before N, and (3) has a column less
than c. When there is one, the comment is about the end of that key or item
(`("in", path)`) and travels with it; when there is none (c is no deeper than
the keys and items that go on at N, the usual case), the comment is about
what starts at N. Only keys of block mappings and items of block sequences
count, never those inside `[ ]` or `{ }`. In

    related:
      - initiative: a
        note: N
        # (1) column 4
      # (2) column 2
    # (3) column 0
    status: idea

(1) ends the item `- initiative: a` (column 2; `note` at column 4 is not
less than 4), (2) ends `related` (column 0), and (3) is about `status`.

Two comments with the same text match when what they are about overlaps: a
comment above `- date: ...` may stay above the item or go with `date`.

Texts here have `\\n` line breaks only; fmt turns CR and CRLF into LF first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from _ruamel_yaml import CParser
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from kontrakt.yamlload import Path_

Pos = tuple[int, int]  # 0-based line and column
Kind = Literal["scalar", "alias", "map", "seq"]
# ("above", path), ("on", path), ("in", path) (the end of it), ("start", ()), ("end", ())
Target = tuple[str, Path_]


@dataclass(slots=True, eq=False)
class Node:
    """A scalar, alias, mapping or sequence and the span of text it takes."""

    kind: Kind
    path: Path_
    start: Pos  # the first character, an anchor before the value included
    stop: Pos = (0, 0)  # just after the parser's end of it (a block scalar's trailing breaks too)
    end: Pos = (0, 0)  # just after its last character of content
    flow: bool = False
    style: str = ""  # a scalar's: '' plain, "'", '"', '|' or '>'
    text: str = ""  # a scalar's value (a key's name)
    keep: bool = False  # a block scalar with `+`: its trailing empty lines are content
    explicit_indent: bool = False  # a block scalar whose header sets its indentation (`|2`)
    entries: list[Entry] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)

    @property
    def block_scalar(self) -> bool:
        return self.kind == "scalar" and self.style in ("|", ">")

    @property
    def empty(self) -> bool:
        """A value left out (`key:` or `-` alone): it has no text of its own."""
        return self.kind == "scalar" and self.style == "" and self.start == self.stop


@dataclass(slots=True, eq=False)
class Entry:
    key: str
    key_node: Node
    value: Node


def events(text: str) -> Iterator[Any]:
    """The parser events of `text`, from libyaml: the parser every file was read
    with (yamlload.py), so any text kontrakt has read gives them, and a dozen times
    as fast as ruamel's pure-Python round-trip parser, which fmt once used. That
    parser refused some texts libyaml reads (a tab after a value) and put an empty
    value and the end of a collection at the end of the file elsewhere, which
    `tree` does not use; its folded scalars' values carried fold marks."""
    parser = CParser(text)
    while True:
        event = parser.get_event()
        yield event
        if event.__class__ is StreamEndEvent:
            return


def tree(parsed: Iterable[Any], lines: list[str]) -> Node | None:
    """The document's root node built from parser events, or None for an empty one."""
    stack: list[Node] = []
    keys: list[Node | None] = []
    root: Node | None = None
    for event in parsed:
        cls = event.__class__
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            done = stack.pop()
            keys.pop()
            done.stop = _pos(event.end_mark)
            done.end = done.stop if done.flow else _last_end(done)
            continue
        if cls is ScalarEvent:
            node = _scalar(event, lines)
        elif cls is AliasEvent:
            node = Node("alias", (), _pos(event.start_mark), _pos(event.end_mark))
            node.end = node.stop
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            kind: Kind = "map" if cls is MappingStartEvent else "seq"
            node = Node(kind, (), _pos(event.start_mark), flow=bool(event.flow_style))
        else:
            continue
        if stack:
            _attach(stack[-1], keys, node)
        else:
            root = node
        if node.kind in ("map", "seq"):
            stack.append(node)
            keys.append(None)
    return root


def _attach(parent: Node, keys: list[Node | None], node: Node) -> None:
    """Add `node` to `parent`: as an item, as a key, or as the value of the key before it."""
    if parent.kind == "seq":
        node.path = (*parent.path, len(parent.items))
        parent.items.append(node)
        return
    key = keys[-1]
    if key is None:
        node.path = (*parent.path, node.text)
        keys[-1] = node
        return
    node.path = key.path
    parent.entries.append(Entry(key.text, key, node))
    keys[-1] = None


def _pos(mark: Any) -> Pos:
    return (mark.line, mark.column)


_BLOCK_HEADER = re.compile(r"[|>]([1-9+-]{0,2})(?=\s|$)")


def _scalar(event: Any, lines: list[str]) -> Node:
    node = Node("scalar", (), _pos(event.start_mark), _pos(event.end_mark))
    node.style = event.style or ""
    node.text = str(event.value)
    node.end = node.stop
    if node.block_scalar:
        header = lines[node.start[0]][node.start[1] :].split(" #")[0]
        indicators = [match.group(1) for match in _BLOCK_HEADER.finditer(header)]
        node.keep = "+" in indicators[-1] if indicators else False
        node.explicit_indent = any(c.isdigit() for c in indicators[-1]) if indicators else False
        node.end = _block_scalar_end(node, lines)
    return node


def _block_scalar_end(node: Node, lines: list[str]) -> Pos:
    """Just after the last line of a block scalar's content.

    The parser's end is after the trailing line breaks; those lines are content
    only with keep chomping (`|+`) or when they hold more spaces than the
    scalar's indentation. Other empty lines belong to what follows.
    """
    first, stop = node.start[0] + 1, node.stop[0] if node.stop[1] == 0 else node.stop[0] + 1
    stop = min(stop, len(lines))
    body = range(first, stop)
    if node.keep and stop > first:
        return (stop - 1, len(lines[stop - 1]))
    indent = block_indent(lines, body)
    for number in reversed(body):
        if len(lines[number]) > indent:
            return (number, len(lines[number]))
    return (node.start[0], len(lines[node.start[0]]))


def block_indent(lines: list[str], body: Iterable[int]) -> int:
    """The indentation of a block scalar's content: that of its least indented line."""
    widths = [len(lines[n]) - len(lines[n].lstrip(" ")) for n in body if lines[n].strip(" ")]
    return min(widths, default=0)


def _last_end(node: Node) -> Pos:
    """Where a block collection's content ends: at the end of its last value."""
    last = node.entries[-1].value if node.entries else node.items[-1] if node.items else None
    if last is None:
        return node.start
    if node.entries and last.empty:
        return node.entries[-1].key_node.end
    return last.end


def walk(node: Node) -> Iterable[Node]:
    """Every node below and including `node`, keys included, in document order."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        children: list[Node] = []
        for entry in current.entries:
            children += [entry.key_node, entry.value]
        children += current.items
        todo.extend(reversed(children))


# --- comments ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment: 1-based line and column of its `#`, its text, what it is about."""

    line: int
    column: int
    text: str
    about: frozenset[Target]


def comment_positions(lines: list[str], root: Node | None) -> list[Pos]:
    """Where each comment's `#` is: at the start of a line or after a space or tab,
    and not inside a scalar."""
    found: list[Pos] = []
    if not any("#" in line for line in lines):
        return found  # most files: no scalar's span needs working out
    inside = _scalar_spans(lines, root)
    for number, line in enumerate(lines):
        column = line.find("#")
        while column >= 0:
            if (column == 0 or line[column - 1] in " \t") and not _covered(
                inside.get(number, ()), column
            ):
                found.append((number, column))
                break
            column = line.find("#", column + 1)
    return found


def _scalar_spans(lines: list[str], root: Node | None) -> dict[int, list[tuple[int, int]]]:
    """For each line, the column ranges that scalars take on it."""
    spans: dict[int, list[tuple[int, int]]] = {}
    if root is None:
        return spans
    for node in walk(root):
        if node.kind != "scalar" or node.empty:
            continue
        start, stop = node.start, node.stop
        if node.block_scalar:  # a comment may follow the header (`|  # ...`)
            start = (start[0] + 1, 0)
        for number in range(start[0], min(stop[0], len(lines) - 1) + 1):
            first = start[1] if number == start[0] else 0
            last = stop[1] if number == stop[0] else len(lines[number]) + 1
            spans.setdefault(number, []).append((first, last))
    return spans


def _covered(ranges: Iterable[tuple[int, int]], column: int) -> bool:
    return any(first <= column < last for first, last in ranges)


def comments(lines: list[str], root: Node | None) -> list[Comment]:
    """Every comment of a document, each with what it is about."""
    positions = comment_positions(lines, root)
    full = own_lines(lines, positions)
    about = _About(lines, root, full, block_ends(lines, root, positions))
    found = []
    for line, column in positions:  # in document order, as _About needs
        at = (line, column)
        targets = about.above(at) if line in full else about.on(at)
        found.append(Comment(line + 1, column + 1, lines[line][column:].rstrip(), targets))
    return found


def own_lines(lines: list[str], positions: Iterable[Pos]) -> set[int]:
    """The lines that hold a comment and nothing else."""
    return {line for line, column in positions if not lines[line][:column].strip()}


_MODELINE = re.compile(r"\s*#\s*yaml-language-server\s*:")


def header_end(lines: list[str], full: set[int], first: int, blank: bool = False) -> int:
    """The first of the comment lines directly above line `first` (the first key):
    the lines before it are the file's header, the lines from it on go with that key.

    The run stops at a blank line (unless `blank`), a line with content (`---`)
    and at a `# yaml-language-server:` modeline, which editors read on the first
    line and so is always part of the header.
    """
    start = first
    while start > 0 and not _MODELINE.match(lines[start - 1]):
        if start - 1 not in full and (not blank or lines[start - 1].strip()):
            break
        start -= 1
    return start


def block_ends(
    lines: list[str], root: Node | None, positions: Iterable[Pos]
) -> dict[int, tuple[Path_, Pos]]:
    """The comments on lines of their own that end a key or list item (the module's
    docstring has the rule): for each such line, that key's or item's path and start.

    One sweep over the lines keeps the keys and items that hold the last line with
    content, innermost last.
    """
    found: dict[int, tuple[Path_, Pos]] = {}
    if root is None:
        return found
    columns = dict(positions)
    full = own_lines(lines, columns.items())
    if not full:
        return found  # only a comment on a line of its own can end a key or item
    places = sorted(
        (place for place in _places(root) if place.in_block),
        key=lambda place: (place.start, len(place.path)),
    )
    following: list[int] = [len(lines)] * len(lines)
    next_content = len(lines)
    for number in range(len(lines) - 1, -1, -1):
        following[number] = next_content
        if number not in full and lines[number].strip():
            next_content = number
    holding: list[_Place] = []  # the keys and items that hold the last line with content
    swept = 0
    for number, line in enumerate(lines):
        if number in full:
            column = columns[number]
            for place in reversed(holding):
                if place.end[0] >= following[number]:
                    break  # it, and what holds it, go on past the comment
                if place.column < column:
                    found[number] = (place.path, place.start)
                    break
        elif line.strip():
            while swept < len(places) and places[swept].start[0] <= number:
                place = places[swept]
                while holding and holding[-1].end < place.start:
                    holding.pop()
                holding.append(place)
                swept += 1
            while holding and holding[-1].end[0] < number:
                holding.pop()
    return found


@dataclass(frozen=True, slots=True)
class _Place:
    """A key with its value, or a list item: what a comment can be about."""

    path: Path_
    start: Pos
    end: Pos
    block: bool  # its value is a block mapping or sequence, which ends on no line of its own
    column: int = 0  # where a key's name starts, or where an item's `-` is
    in_block: bool = False  # a key of a block mapping or an item of a block sequence


class _About:
    """What the comments of one document are about, asked in document order.

    Tables by line make each answer cheap; the enclosing key or item is found by
    one sweep over the keys and items in order, as the comments come.
    """

    def __init__(
        self,
        lines: list[str],
        root: Node | None,
        full: set[int],
        ends: dict[int, tuple[Path_, Pos]],
    ) -> None:
        self.root = root
        self.ends = ends
        self.places = sorted(_places(root), key=lambda place: (place.start, len(place.path)))
        self.starts: dict[int, set[Path_]] = {}
        self.ending: dict[int, list[_Place]] = {}
        for place in self.places:
            if place.path:  # the root is about nothing more than its first key
                self.starts.setdefault(place.start[0], set()).add(place.path)
            if not place.block:
                self.ending.setdefault(place.end[0], []).append(place)
        self.following: list[int | None] = [None] * len(lines)
        content = None
        for number in range(len(lines) - 1, -1, -1):
            self.following[number] = content
            if number not in full and lines[number].strip():
                content = number
        # Before the first key of a block mapping, only the comments from here on
        # go with it; the others are the header.
        self.header_end = self.loose_end = -1
        if root is not None and root.kind == "map" and not root.flow and root.entries:
            first = root.entries[0].key_node.start[0]
            self.header_end = header_end(lines, full, first)
            self.loose_end = header_end(lines, full, first, blank=True)
        self.open: list[_Place] = []  # nested keys and items around where the sweep is
        self.swept = 0

    def above(self, at: Pos) -> frozenset[Target]:
        """A comment on a line of its own: about the end of the block it is indented
        into, else about what starts on the next line with content."""
        if at[0] in self.ends:
            return frozenset({("in", self.ends[at[0]][0])})
        following = self.following[at[0]]
        starting = self.starts.get(following, set()) if following is not None else set()
        above = frozenset(("above", path) for path in starting)
        if self._before_root(at):
            if self.header_end < 0:  # nothing moves the first line of a sequence or `{ }`
                return above | {("start", ())}
            if at[0] < self.loose_end:  # a modeline or `---` comes between: the header
                return frozenset({("start", ())})
            if at[0] < self.header_end:  # only blank lines come between: either will do
                return above | {("start", ())}
            return above  # directly above the first key
        if above:
            return above
        enclosing = self._enclosing(at, at[0] if following is None else following)
        return frozenset({("in", enclosing) if enclosing is not None else ("end", ())})

    def on(self, at: Pos) -> frozenset[Target]:
        """An end-of-line comment: about the outermost key or item that ends on its line
        before it (`notes: [a, b]  # ...` is about notes), else the innermost one that
        goes on past it (`description: |  # ...`)."""
        if self._before_root(at):
            return frozenset({("start", ())})
        ending = [place for place in self.ending.get(at[0], ()) if place.end <= at]
        if ending:
            outermost = min(ending, key=lambda place: (place.start, len(place.path)))
            return frozenset({("on", outermost.path)})
        path = self._enclosing(at, at[0])
        return frozenset({("on", path) if path is not None else ("end", ())})

    def _before_root(self, at: Pos) -> bool:
        return self.root is None or at < self.root.start

    def _enclosing(self, at: Pos, until: int) -> Path_ | None:
        """The innermost key or item that starts before `at` and goes on at line `until`.

        `until` never decreases from one comment to the next, so what ends before
        it is done with for good.
        """
        places, open_ = self.places, self.open
        while self.swept < len(places) and places[self.swept].start < at:
            place = places[self.swept]
            while open_ and open_[-1].end < place.start:
                open_.pop()
            open_.append(place)
            self.swept += 1
        while open_ and open_[-1].end[0] < until:
            open_.pop()
        return open_[-1].path if open_ else None


def _places(root: Node | None) -> list[_Place]:
    if root is None:
        return []
    places = [_Place((), root.start, root.end, _is_block(root), root.start[1])]
    for node in walk(root):
        block = not node.flow
        for entry in node.entries:
            key, value = entry.key_node, entry.value
            end = max(key.end, key.end if value.empty else value.end)
            places.append(_Place(key.path, key.start, end, _is_block(value), key.start[1], block))
        places += [
            _Place(item.path, item.start, item.end, _is_block(item), node.start[1], block)
            for item in node.items
        ]
    return places


def _is_block(node: Node) -> bool:
    return node.kind in ("map", "seq") and not node.flow


# Kuhn's matching is cubic at worst; beyond this many moved comments of one text a
# greedy matching decides, which can only refuse more, never accept a lost comment.
MAX_MATCHED = 200


def first_moved(before: list[Comment], after: list[Comment]) -> Comment | None:
    """The first comment of `before` that `after` lacks next to the same thing, if any.

    Comments are matched by text; two match when what they are about overlaps, so
    a comment above `- date: ...` may stay above the item or go with `date`.
    """
    kept = Counter((c.text, c.about) for c in before) & Counter((c.text, c.about) for c in after)
    olds, news = _by_text(_without(before, kept)), _by_text(_without(after, kept))
    unmatched: list[Comment] = []
    for text in olds.keys() | news.keys():
        old, new = olds.get(text, []), news.get(text, [])
        matched = _matching(old, new) if len(old) <= MAX_MATCHED else _greedy(old, new)
        unmatched += [c for i, c in enumerate(old) if i not in matched]
        if len(new) > len(old):  # a comment repeated: report one of its kind
            unmatched += [c for c in before if c.text == text][:1]
    return min(unmatched, key=lambda c: (c.line, c.column), default=None)


def _without(
    comments: list[Comment], kept: Counter[tuple[str, frozenset[Target]]]
) -> list[Comment]:
    """`comments` less as many of each (text, about) as `kept` counts."""
    left = Counter(kept)
    rest = []
    for comment in comments:
        key = (comment.text, comment.about)
        if left[key] > 0:
            left[key] -= 1
        else:
            rest.append(comment)
    return rest


def _by_text(comments: list[Comment]) -> dict[str, list[Comment]]:
    grouped: dict[str, list[Comment]] = {}
    for comment in comments:
        grouped.setdefault(comment.text, []).append(comment)
    return grouped


def _matching(olds: list[Comment], news: list[Comment]) -> set[int]:
    """The indexes of `olds` in a largest matching with `news` (Kuhn's algorithm)."""
    partner: dict[int, int] = {}  # index in news -> index in olds

    def extend(old: int, seen: set[int]) -> bool:
        for new, comment in enumerate(news):
            if new in seen or not (olds[old].about & comment.about):
                continue
            seen.add(new)
            if new not in partner or extend(partner[new], seen):
                partner[new] = old
                return True
        return False

    for old in range(len(olds)):
        extend(old, set())
    return set(partner.values())


def _greedy(olds: list[Comment], news: list[Comment]) -> set[int]:
    """The indexes of `olds` that each find a `news` comment about the same thing."""
    free: dict[Target, list[int]] = {}
    for index, comment in enumerate(news):
        for target in comment.about:
            free.setdefault(target, []).append(index)
    taken: set[int] = set()
    matched: set[int] = set()
    for index, comment in enumerate(olds):
        for target in comment.about:
            candidates = free.get(target, [])
            while candidates and candidates[-1] in taken:
                candidates.pop()
            if candidates:
                taken.add(candidates.pop())
                matched.add(index)
                break
    return matched
