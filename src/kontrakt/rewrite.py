"""A file's text with some of its top-level values changed, and nothing else.

The editing commands (`set-status`, `decide`, …) change a file's data; this
module finds the smallest change to its text that gives the new data, with the
positions of the parser's events that `kontrakt fmt` uses:

- a value that changed from one one-line scalar to another is replaced where it
  stands, so quoting elsewhere and an end-of-line comment stay;
- items added to a block list go after the item before them (at the end, for
  the usual append), indented like the list's other items; an item that
  changed is replaced by itself;
- a key that is new goes after the key before it in the kind's order (fmt's
  order), indented like the file's other keys;
- ids or mappings added to a one-line `[a, b]` or `[{…}, {…}]` go in before
  its `]`;
- anything else that changed (a flow list written over lines, a block scalar) is
  written anew as its whole key, in kontrakt's style.

The result is proved, not trusted: it must parse to exactly the new data and
keep every comment of the old text, else `Unchangeable` is raised and the caller
writes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from kontrakt.i18n import _
from kontrakt.layout import Node, events, tree
from kontrakt.models.indicator import plain_number
from kontrakt.yamlload import YamlProblem, parse

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_FLOW_SAFE = re.compile(r"[\w.-]+")  # an id or a number: the same in a `[ ]` list


class Unchangeable(Exception):
    """The change cannot be made to this text without touching something else."""


def rewrite(text: str, model: type[BaseModel], new: dict[str, Any]) -> str:
    """`text` changed so that it parses to `new` (plain data, dates as `date`)."""
    from kontrakt.fmt import line_ending, text_lines

    ending = line_ending(text)
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text_lines(plain)
    old = parse(plain).data
    root = tree(events(plain), lines)
    if not isinstance(old, dict) or root is None or root.kind != "map" or root.flow:
        raise Unchangeable(_("only a file of keys in block style can be changed"))
    edits = _Edits(lines, root, list(model.model_fields))
    for key, value in new.items():
        if key not in old:
            edits.add(key, value)
        elif _plain(old[key]) != _plain(value):
            edits.change(key, old[key], value)
    for key in old:
        if key not in new:
            edits.remove(key)
    result = "".join(line + "\n" for line in edits.result())
    _prove(plain, result, new)
    return result if ending == "\n" else result.replace("\n", ending)


def _prove(before: str, after: str, new: dict[str, Any]) -> None:
    """The new text means `new` and keeps every comment, or Unchangeable."""
    try:
        data = parse(after).data
    except YamlProblem as exc:
        raise Unchangeable(exc.message) from None
    if not same_data(new, data):
        raise Unchangeable(_("the change would alter other values"))
    if _comment_texts(after) != _comment_texts(before):
        raise Unchangeable(_("the change would lose a comment"))


def _comment_texts(text: str) -> Counter[str]:
    from kontrakt.fmt import comments_of

    return Counter(comment.text for comment in comments_of(text))


def same_data(new: Any, old: Any) -> bool:
    """Whether `new` (dates as `date`) is the data `old` (as parsed) already is."""
    return bool(_plain(new) == old)


def _plain(value: Any) -> Any:
    """Data as kontrakt's parser gives it: a date as its ISO text, an exact decimal
    (an indicator's value) as the number its plain spelling reads as."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _dumpable(value: Any) -> Any:
    """Data for the dumper: ISO days as dates, so they are written bare (`2024-03-26`)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return {key: _dumpable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dumpable(item) for item in value]
    return value


def _dumped(key: str, value: Any) -> list[str]:
    """`key: value` in kontrakt's style, as lines starting at column 0."""
    from kontrakt.scaffold import dump_yaml

    return dump_yaml({key: _dumpable(value)}).splitlines()


def _flow_mapping(item: Any) -> str | None:
    """`item` as a one-line flow mapping (`{date: 2024-03-26, amount: 100}`), each value
    quoted where a flow needs it; None when it does not read back as `item`."""
    if not isinstance(item, dict) or not item:
        return None
    pairs = []
    for key, value in item.items():
        if isinstance(value, (dict, list)):
            return None
        dumped = _dumped(str(key), value)
        if len(dumped) != 1:
            return None
        text = dumped[0][len(str(key)) + 1 :].strip()
        if any(mark in text for mark in ",[]{}#") and not text.startswith(("'", '"')):
            text = "'" + text.replace("'", "''") + "'"
        pairs.append(f"{key}: {text}")
    written = "{" + ", ".join(pairs) + "}"
    try:
        back = parse(f"- {written}\n").data
    except YamlProblem:
        return None
    return written if back == [_plain(item)] else None


def _flow_item(item: Any) -> str | None:
    """`item` as it can stand in a one-line `[ ]`: an id or number bare, a mapping as
    `{key: value}`; None for anything else."""
    if isinstance(item, dict):
        return _flow_mapping(item)
    if isinstance(item, list):
        return None
    dumped = _dumped("x", item)
    if len(dumped) != 1 or not _FLOW_SAFE.fullmatch(dumped[0][3:]):
        return None
    return dumped[0][3:]


def _last_line(node: Node) -> int:
    """The last line holding the node's content (its end may be at column 0 of the next)."""
    line, column = node.end
    return line if column > 0 or line == node.start[0] else line - 1


class _Edits:
    """Line edits to one text: each replaces a range of whole lines, or one line's span."""

    def __init__(self, lines: list[str], root: Node, order: list[str]) -> None:
        self.lines = lines
        self.root = root
        self.order = order
        self.entries = {entry.key: entry for entry in root.entries}
        self.column = root.entries[0].key_node.start[1] if root.entries else 0
        # (first line, stop line, new lines): lines first..stop-1 become the new lines.
        self.replacements: list[tuple[int, int, list[str]]] = []

    def result(self) -> list[str]:
        out = list(self.lines)
        # From the bottom up, so earlier positions stay true; of two insertions at
        # one place, the one made first ends up first.
        numbered = sorted(enumerate(self.replacements), key=lambda r: (r[1][0], r[1][1], r[0]))
        for _index, (first, stop, new) in reversed(numbered):
            out[first:stop] = new
        return out

    def _indented(self, lines: list[str], by: int) -> list[str]:
        return [" " * by + line if line else line for line in lines]

    def _entry_lines(self, key: str) -> tuple[int, int]:
        entry = self.entries[key]
        # `key:` alone: its empty value is placed where the next thing starts.
        last = entry.key_node.start[0]
        if not entry.value.empty:
            last = max(_last_line(entry.value), last)
        return entry.key_node.start[0], self._after_comments(last + 1, self.column)

    def _after_comments(self, stop: int, column: int) -> int:
        """Past the comment lines indented deeper than `column` that end the block above."""
        while stop < len(self.lines):
            line = self.lines[stop]
            stripped = line.lstrip(" ")
            if stripped.startswith("#") and len(line) - len(stripped) > column:
                stop += 1
            else:
                break
        return stop

    def add(self, key: str, value: Any) -> None:
        """A new key, after the key before it in the kind's order (else after the last)."""
        position = self.order.index(key) if key in self.order else len(self.order)
        before = [k for k in self.entries if k in self.order[:position]]
        if before:
            anchor = max(before, key=self.order.index)
            stop = self._entry_lines(anchor)[1]
        else:
            last = self.root.entries[-1].key
            stop = self._entry_lines(last)[1]
        self.replacements.append((stop, stop, self._indented(_dumped(key, value), self.column)))

    def remove(self, key: str) -> None:
        first, stop = self._entry_lines(key)
        self.replacements.append((first, stop, []))

    def change(self, key: str, old: Any, new: Any) -> None:
        value = self.entries[key].value
        if value.kind == "scalar" and not isinstance(new, (dict, list)) and self._splice(key, new):
            return
        if value.kind == "seq" and isinstance(old, list) and isinstance(new, list):
            grown = self._flow_items if value.flow else self._items
            if grown(value, old, new):
                return
        first, stop = self._entry_lines(key)
        lines = self._indented(_dumped(key, new), self.column)
        comment = self._end_comment(key)
        if comment is not None:  # `journal: []  # newest last`: one line, its comment kept
            lines[0] += comment
            stop = first + 1
        self.replacements.append((first, stop, lines))

    def _end_comment(self, key: str) -> str | None:
        """The comment ending a key written on one line (spaces before it included),
        when it is all the key has besides its value; None otherwise."""
        entry = self.entries[key]
        value = entry.value
        number = entry.key_node.start[0]
        line = self.lines[number]
        if value.empty:
            rest = line[line.index(":", entry.key_node.end[1]) + 1 :]
        elif value.start[0] == _last_line(value) == number and value.end[0] == number:
            rest = line[value.end[1] :]
        else:
            return None
        return rest.rstrip() if rest.strip().startswith("#") else None

    def _splice(self, key: str, new: Any) -> bool:
        """A one-line scalar replaced where it stands; False when it is not one."""
        entry = self.entries[key]
        value = entry.value
        dumped = _dumped(key, new)
        if len(dumped) != 1 or value.block_scalar or value.start[0] != value.stop[0]:
            return False
        text = dumped[0][len(key) + 1 :].lstrip(" ")
        # `key:` alone has an empty value the parser puts where the next thing starts.
        number = entry.key_node.start[0] if value.empty else value.start[0]
        line = self.lines[number]
        if value.empty:  # the value goes after the colon
            colon = line.index(":", entry.key_node.end[1])
            new_line = f"{line[: colon + 1]} {text}{line[colon + 1 :]}"
        else:
            new_line = line[: value.start[1]] + text + line[value.stop[1] :]
        self.replacements.append((number, number + 1, [new_line]))
        return True

    def _items(self, node: Node, old: list[Any], new: list[Any]) -> bool:
        """Items put in, or changed, keeping the others' lines; False when not so."""
        same_head = 0
        while same_head < min(len(old), len(new)) and _plain(old[same_head]) == _plain(
            new[same_head]
        ):
            same_head += 1
        same_tail = 0
        while same_tail < min(len(old), len(new)) - same_head and _plain(
            old[-1 - same_tail]
        ) == _plain(new[-1 - same_tail]):
            same_tail += 1
        gone = old[same_head : len(old) - same_tail]
        added = new[same_head : len(new) - same_tail]
        if not node.items or not added:
            return False
        dash, content = self._item_columns(node.items[0])
        flow = all(
            item.kind == "map" and item.flow and item.start[0] == _last_line(item)
            for item in node.items
        )
        lines: list[str] = []
        for item in added:
            one = _flow_mapping(item) if flow else None
            if one is not None:  # like its neighbours: `- {date: 2024-03-26, amount: 100}`
                lines.append(" " * dash + "-" + " " * (content - dash - 1) + one)
                continue
            dumped = _dumped("x", [item])[1:]  # "  - a: 1" / "    b: 2"
            lines.append(" " * dash + "-" + " " * (content - dash - 1) + dumped[0][4:])
            lines += self._indented([line[4:] for line in dumped[1:]], content)
        if gone:
            first = self._item_first_line(node.items[same_head])
            # Comments after the replaced items stay where they are.
            stop = _last_line(node.items[same_head + len(gone) - 1]) + 1
        elif same_head < len(node.items):
            first = stop = self._item_first_line(node.items[same_head])
        else:
            first = stop = self._after_comments(_last_line(node.items[-1]) + 1, dash)
        self.replacements.append((first, stop, lines))
        return True

    def _flow_items(self, node: Node, old: list[Any], new: list[Any]) -> bool:
        """Items added at the end of a one-line `[a, b]` or `[{…}, {…}]`, each as a
        one-line flow of its own; False when not so."""
        added = new[len(old) :]
        if _plain(new[: len(old)]) != _plain(old) or not added or node.start[0] != node.stop[0]:
            return False
        texts = [_flow_item(item) for item in added]
        # `history: []` becomes a block: a one-line list of mappings is the user's
        # choice only once it holds one.
        if any(text is None for text in texts) or (
            not old and any(isinstance(item, dict) for item in added)
        ):
            return False
        number, closing = node.start[0], node.stop[1] - 1
        line = self.lines[number]
        inside = line[node.start[1] + 1 : closing].strip()
        joined = ", ".join(text for text in texts if text is not None)
        if inside.endswith(","):  # `[a, b,]`: the new items go in before `]`, comma kept
            joined = f" {joined},"
        elif inside:
            joined = f", {joined}"
        new_line = line[:closing].rstrip(" ") + joined + line[closing:]
        self.replacements.append((number, number + 1, [new_line]))
        return True

    def _item_columns(self, item: Node) -> tuple[int, int]:
        """The column of a list's `-` and of its items' content."""
        line, column = item.start
        before = self.lines[line][:column].rstrip(" ")
        if before.endswith("-"):
            return len(before) - 1, column
        above = self.lines[line - 1] if line > 0 else ""
        if above.strip(" ") == "-":  # `-` alone on the line above its content
            return len(above) - len(above.lstrip(" ")), column
        return max(column - 2, 0), column

    def _item_first_line(self, item: Node) -> int:
        line, column = item.start
        if self.lines[line][:column].rstrip(" ").endswith("-"):
            return line
        return line - 1  # `-` alone on the line above its content
