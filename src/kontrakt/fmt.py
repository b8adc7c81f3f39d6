"""`kontrakt fmt`: one key order and one indentation style, and nothing else changed.

Keys follow the order of the kind's model (title first, and so on), recursively
into milestones, parts and the like; keys kontrakt does not know go last, in the
order they had. Mappings are indented by two spaces, list items by two more, and
the text of a block scalar two more than its key.

fmt moves and indents whole lines, as the positions of the parser's events mark
them out (libyaml's, the parser every file was read with), and rewrites
nothing else: quoting, flow collections (`[a, b]`, whose mappings' keys
are put in order too), blank lines and comments stay as written. A key travels
with the comment and blank lines above it, the file's first key too; the header
(the lines above the first key's comments: up to a blank line, a
`# yaml-language-server:` modeline or `---`) stays at the top, the comments
after the last value (or `...`) at the end. A comment on a line of its own is
indented like the key or item below it, unless it is indented deeper than that
line, into the key or list item above: then it ends that key or item (see
kontrakt.layout for the rule), goes after it wherever it goes, and is indented
like its entries (one more than the key after a block scalar, whose text is two
more).

Line endings: every line of the result ends the same way, the way most lines of
the file ended (LF, CRLF or CR), or LF when there is no single most common one;
a file with mixed endings is one that fmt changes.

fmt never writes a file that would mean something else or lose a comment: every
file is first read by the safe loader (a tag, an alias bomb or broken syntax is
reported and the file left alone), the result must load to the same data, and
every comment must still be next to what it is about (see kontrakt.layout);
otherwise the file is left alone and the comment or line that stands in the way
is reported. A file without write permission is reported, not replaced.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import tee
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from kontrakt.decode import decode
from kontrakt.diagnostics import Diagnostic, error
from kontrakt.discover import PortfolioNotFound, discover, find_root
from kontrakt.errors import KontraktError
from kontrakt.i18n import N_, _
from kontrakt.layout import (
    Comment,
    Node,
    Pos,
    block_ends,
    block_indent,
    comment_positions,
    comments,
    events,
    first_moved,
    header_end,
    own_lines,
    tree,
    walk,
)
from kontrakt.load import settings_of
from kontrakt.models import KINDS_BY_FOLDER, SETTINGS_FILE, Settings
from kontrakt.models.settings import Limits
from kontrakt.read import parse_source, read_bytes
from kontrakt.validate import model_in
from kontrakt.write import normal_path, write_text_atomic
from kontrakt.yamlload import Path_, YamlProblem, parse

Model = type[BaseModel] | None
T = TypeVar("T")


class FormatProblem(KontraktError):
    """A path given to format that does not exist."""


def portfolio_around(given: Path | None, cwd: Path) -> Path | None:
    """The portfolio that files given by path belong to, if any: its limits apply."""
    try:
        return find_root(given, cwd)
    except PortfolioNotFound:
        return None


def plan(paths: list[Path], portfolio: Path | None) -> tuple[list[Path], int]:
    """The files to format and the size limit to read them with, both from the
    portfolio's kontrakt.yaml where it is valid."""
    settings = settings_of(portfolio) if portfolio is not None else None
    limits = settings.limits if settings is not None else Limits()
    ignore = settings.ignore if settings is not None else []
    return files_to_format(paths, portfolio, ignore), limits.max_file_size


def files_to_format(paths: list[Path], portfolio: Path | None, ignore: list[str]) -> list[Path]:
    """The YAML files under `paths` (files or folders, hidden ones skipped), or, with no
    paths, the portfolio's kontrakt.yaml and the entity files `check` reads."""
    if not paths:
        assert portfolio is not None
        refs, _found = discover(portfolio, ignore)
        return [portfolio / SETTINGS_FILE, *(ref.path for ref in refs)]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += _yaml_files(path)
        elif path.exists():
            found.append(path)
        else:
            raise FormatProblem(_("{path}: no such file or folder").format(path=path))
    return found


def _yaml_files(folder: Path) -> list[Path]:
    """The .yaml files under `folder`, hidden files and folders left out, in the
    order of their paths. A link is listed, never followed (reading refuses it,
    as `check` does), a link to a folder too; a folder is walked."""
    found: list[tuple[tuple[str, ...], str]] = []
    top = os.fspath(folder)
    for where, folders, names in os.walk(top):
        folders[:] = [name for name in folders if not name.startswith(".")]
        links = [n for n in folders if n.endswith(".yaml") and Path(where, n).is_symlink()]
        inside = tuple(Path(where).relative_to(top).parts)
        found += (
            ((*inside, name), where + os.sep + name)
            for name in [*names, *links]
            if name.endswith(".yaml") and not name.startswith(".")
        )
    found.sort()
    return [Path(path) for _parts, path in found]


@dataclass(frozen=True, slots=True)
class Formatted:
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def model_for(path: Path) -> type[BaseModel] | None:
    """The model a file is formatted by: from its name or the kind folder above it."""
    if path.name == SETTINGS_FILE:
        return Settings
    for folder in reversed(path.parent.parts):
        if folder in KINDS_BY_FOLDER:
            return KINDS_BY_FOLDER[folder].model
    return None


class Unformattable(Exception):
    """What keeps fmt from formatting a file, at a 1-based line and column."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def format_file(
    path: Path, max_file_size: int = Limits().max_file_size
) -> tuple[Formatted | None, list[Diagnostic]]:
    """The file and its formatted text, or the problems that keep it from being formatted.

    `max_file_size` is for entity files; kontrakt.yaml, which sets it, is read
    with the default limit, as `check` reads it.
    """
    if path.name == SETTINGS_FILE:
        max_file_size = Limits().max_file_size
    read, problems = _read(path, max_file_size)
    if read is None:
        return None, problems
    text, data, recorded = read
    if not isinstance(data, dict):
        message = _("only a mapping of keys can be formatted")
        return None, [error(path, 1, 1, "not-a-mapping", message)]
    try:
        after = format_text(text, model_for(path), recorded)
    except Unformattable as exc:
        return None, [error(path, exc.line, exc.column, "fmt", exc.message)]
    try:
        same = after == text or parse(after).data == data
    except YamlProblem as exc:  # an alias put above its anchor, for one
        message = _("fmt would make this file unreadable ({reason}); left alone").format(
            reason=exc.message
        )
        return None, [error(path, 1, 1, "fmt", message)]
    if not same:  # never write a file that means something else
        message = _("fmt would change this file's values; left alone")
        return None, [error(path, 1, 1, "fmt", message)]
    return Formatted(path, text, after), []


# A text up to this long is parsed once for its data and its layout; a longer one
# (rare: portfolio files are small) twice, so that its events are never all held
# beside its data and its tree.
_ONE_PASS_MOST = 1 << 16


def _read(
    path: Path, max_file_size: int
) -> tuple[tuple[str, Any, Iterator[Any] | None] | None, list[Diagnostic]]:
    """The file's text, its data, and the parser's events the data were read from
    (for its layout: one parse, not two), or the problems of reading it.

    The events serve the layout only for a text without carriage returns, which
    the layout reads with its line breaks made LF, and not too long; a text the
    parser refuses is read as `check` reads it, for the same message at the same
    line.
    """
    raw, problems = read_bytes(path, max_file_size)
    if raw is None:
        return None, problems
    text, _problems = decode(path, raw)
    if text is not None and "\r" not in text and len(text) <= _ONE_PASS_MOST:
        # The parser takes the events one by one, so its limits (depth, aliases)
        # stop libyaml as early as they stop `check`; the layout gets them again.
        taken, again = tee(events(text))
        try:
            data = parse(text, events=taken).data
        except Exception:  # libyaml's errors and YamlProblem: read below, as check reads it
            pass
        else:
            return (text, data, again), []
    source, problems = parse_source(path, raw)
    if source is None:
        return None, problems
    return (source.text, source.data, None), []


def write_formatted(item: Formatted, portfolio: Path | None = None) -> None:
    """Replace the file with its formatted text, unless it is read-only.

    The atomic replace would succeed on a read-only file (and always does for
    root), so the file's own permission bits decide, as black and prettier do.
    A file inside `portfolio` is written only if no folder on the way is a link.
    """
    if not item.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(
            errno.EACCES, _("the file is read-only; make it writable to format it")
        )
    write_text_atomic(item.path, item.after, inside=_containing(portfolio, item.path))


@dataclass(frozen=True, slots=True)
class Outcome:
    """A file fmt changes (or, checking only, would change), and why it was not
    written, if it was not: a link on the way, a read-only file, a full disk."""

    path: Path
    refusal: tuple[str, str] | None = None  # ("will not write" | "cannot write", reason)


@dataclass(frozen=True, slots=True)
class Run:
    """What one run of fmt found and did, for the CLI to print."""

    files: int
    problems: list[Diagnostic]  # files fmt cannot format, at their lines
    outcomes: list[Outcome]
    check_only: bool

    @property
    def unwritten(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.refusal is not None)

    @property
    def failing(self) -> bool:
        """Exit 1: a file not formatted, or (checking only) one that would change."""
        return (
            bool(self.problems) or bool(self.unwritten) or (self.check_only and bool(self.outcomes))
        )


def run(
    paths: list[Path], portfolio: Path | None, *, check_only: bool, workers: int | None = None
) -> Run:
    """Format `paths` (default: the whole portfolio), or only check them; a large
    portfolio's files are read and formatted by `workers` processes (default: one
    a core), and written here."""
    from kontrakt.workers import made_apart, workers_for
    from kontrakt.write import WriteRefused

    files, limit = plan(paths, portfolio)
    problems: list[Diagnostic] = []
    changed: list[Formatted] = []
    work = _Formatting(files, limit)
    for _index, (item, found) in made_apart(work, workers_for(len(files), workers)):
        problems.extend(found)
        if item is not None:
            changed.append(item)
    outcomes: list[Outcome] = []
    for item in changed:
        refusal: tuple[str, str] | None = None
        if not check_only:
            try:
                write_formatted(item, portfolio)
            except WriteRefused as exc:  # a file reached through a link: the others go on
                refusal = ("will not write", exc.reason)
            except OSError as exc:
                refusal = ("cannot write", exc.strerror or str(exc))
        outcomes.append(Outcome(item.path, refusal))
    return Run(len(files), problems, outcomes, check_only)


@dataclass(frozen=True, slots=True)
class _Formatting:
    """fmt's files as work for processes (kontrakt/workers.py), in order. A file's
    result is what `format_file` gives, without the texts of a file that would not
    change: what a worker sends back stays small."""

    files: list[Path]
    limit: int

    @property
    def batches(self) -> list[str]:
        return [""] * len(self.files)  # every file on its own

    def made_at(self, index: int) -> tuple[Formatted | None, list[Diagnostic]]:
        item, found = format_file(self.files[index], self.limit)
        return (item if item is not None and item.changed else None), found

    def making(self) -> contextlib.AbstractContextManager[object]:
        return contextlib.nullcontext()


def _containing(portfolio: Path | None, path: Path) -> Path | None:
    """The portfolio when `path` lies in it (its links are then refused), else None."""
    if portfolio is None:
        return None
    try:
        normal_path(path).relative_to(normal_path(portfolio))
    except ValueError:
        return None
    return portfolio


# --- the text ---------------------------------------------------------------------------


def format_text(text: str, model: Model, recorded: Iterable[Any] | None = None) -> str:
    """`text` (already accepted by the safe loader) in the canonical order and style;
    `recorded`, the parser's events of `text` when the caller has them.

    Raises Unformattable where fmt cannot keep a comment next to what it is about
    or cannot keep a line's layout.
    """
    ending = line_ending(text)
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text_lines(plain)
    parsed = recorded if recorded is not None and plain == text else events(plain)
    root = tree(parsed, lines)
    rendered = _Renderer(lines, root).document(model)
    formatted = "".join(line + "\n" for line in rendered)
    if formatted != plain:  # nothing moved in most files of a formatted portfolio
        before = comments(lines, root)
        del root  # one tree at a time: the result's is made next
        _check_comments(before, formatted)
    return formatted if ending == "\n" else formatted.replace("\n", ending)


def line_ending(text: str) -> str:
    """The line ending most lines of `text` have, or LF when no single one is most common."""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    most = max(counts.values())
    winners = [ending for ending, count in counts.items() if count == most]
    return winners[0] if len(winners) == 1 else "\n"


def text_lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def comments_of(text: str) -> list[Comment]:
    """The comments of `text`, as the safe loader's parser finds its scalars."""
    lines = text_lines(text)
    return comments(lines, tree(events(text), lines))


def _check_comments(before: list[Comment], formatted: str) -> None:
    """Raise Unformattable at the first comment of the text (`before`, its
    comments) that `formatted` lost or moved."""
    try:
        after = comments_of(formatted)
    except Exception:  # the C parser's errors: the data check reports such a result
        return
    moved = first_moved(before, after)
    if moved is not None:
        shown = moved.text if len(moved.text) <= 40 else moved.text[:39] + "…"
        raise Unformattable(
            moved.line,
            moved.column,
            _(
                "fmt cannot keep the comment '{comment}' next to what it is about; "
                "put it on a line of its own directly above the key it is about"
            ).format(comment=shown),
        )


_LAYOUT = N_(
    "fmt cannot keep the layout of this line; write each key as `key: value` at "
    "the start of a line of its own, and each comment after a value or on a line of its own"
)
_FLOW_COMMENT = N_(
    "fmt cannot put the keys of this { } mapping in order without moving this "
    "comment; write the mapping one key per line, or move the comment above it"
)


class _Renderer:
    """The formatted lines of one document, built from the lines of the original."""

    def __init__(self, lines: list[str], root: Node | None) -> None:
        self.lines = lines
        self.root = root
        self.comments = comment_positions(lines, root)
        self.text = "".join(line + "\n" for line in lines)
        self.offsets = [0]
        for line in lines:
            self.offsets.append(self.offsets[-1] + len(line) + 1)
        self.in_block_scalar: dict[int, int] = {}  # line -> that scalar's indentation
        for node in walk(root) if root is not None else ():
            if node.block_scalar:
                body = range(node.start[0] + 1, node.end[0] + 1)
                indent = block_indent(lines, body)
                self.in_block_scalar.update(dict.fromkeys(body, indent))
        self.full = own_lines(lines, self.comments)
        # The comments that end a key or item (kontrakt.layout has the rule), each
        # with the blank lines above it: they go after that key or item, wherever
        # it goes, and not with what follows them.
        self.tails: dict[tuple[Path_, Pos], list[int]] = {}
        self.claimed: set[int] = set()
        for number, owner in block_ends(lines, root, self.comments).items():
            first = number
            while (
                first > 0
                and not lines[first - 1].strip()
                and first - 1 not in self.in_block_scalar
                and first - 1 not in self.claimed
            ):
                first -= 1
            self.tails.setdefault(owner, []).extend(range(first, number + 1))
            self.claimed.update(range(first, number + 1))

    def document(self, model: Model) -> list[str]:
        root = self.root
        if root is None:
            return [line if line.strip() else "" for line in self.lines]
        first = self._first_line(root)
        last = self._last_line(root, first)
        block_map = root.kind == "map" and not root.flow
        # The comments directly above the first key go with it; the lines before
        # them (up to a blank line, a modeline, `---`) are the header and stay.
        split = header_end(self.lines, self.full, first) if block_map else first
        header = [line if line.strip() else "" for line in self.lines[:split]]
        if block_map:
            self._check_key_line(root.entries[0].key_node)
            body = _flatten(self._entries(root, 0, model, split - 1))
            while body and not body[0] and (not header or not header[-1]):
                del body[0]  # a key moved below the header brings no second blank line
        elif root.kind == "seq" and not root.flow:
            body = self._sequence(root, 0, model, first - 1)
        else:
            body = self._span(first, last, 0, root.start[1], root, model)
        trailing = [
            self._trailing(n) for n in range(last + 1, len(self.lines)) if n not in self.claimed
        ]
        lines = _without_blanks_after_keep([*header, *body, *trailing])
        while lines and not lines[0]:  # a key moved to the top brings no blank line there
            del lines[0]
        return lines

    # --- mappings

    def _entries(
        self, node: Node, target: int, model: Model, head: int
    ) -> list[tuple[list[str], list[str]]]:
        """Each entry as (the comment and blank lines above it, its own lines), in order.

        `head` is the line before the first entry's lines above it: the line of
        the parent key or list item, or the last line of the file's header.
        """
        blocks: list[tuple[str, tuple[list[str], list[str]]]] = []
        previous = head
        for entry in node.entries:
            key_line = entry.key_node.start[0]
            if key_line != head:
                self._check_key_line(entry.key_node)
            above = self._above(previous + 1, key_line, target)
            inner = _inner(model, entry.key)
            blocks.append(
                (entry.key, (above, self._entry(entry.key_node, entry.value, target, inner)))
            )
            previous = self._entry_last_line(entry.key_node, entry.value)
        return _ordered(blocks, model)

    def _entry(self, key: Node, value: Node, target: int, model: Model) -> list[str]:
        lines = self._entry_lines(key, value, target, model)
        return [*lines, *self._tail(key.path, key.start, target, value)]

    def _entry_lines(self, key: Node, value: Node, target: int, model: Model) -> list[str]:
        line, column = key.start
        first = " " * target + self.lines[line][column:]
        if value.kind == "map" and not value.flow:
            return [first, *_flatten(self._entries(value, target + 2, model, line))]
        if value.kind == "seq" and not value.flow:
            return [first, *self._sequence(value, target + 2, model, line)]
        last = self._entry_last_line(key, value)
        return self._span(line, last, target, column, value, model)

    def _entry_last_line(self, key: Node, value: Node) -> int:
        return key.end[0] if value.empty else max(key.end[0], value.end[0])

    # --- sequences

    def _sequence(self, node: Node, target: int, model: Model, head: int) -> list[str]:
        """The lines of a block sequence whose dashes go at column `target`."""
        out: list[str] = []
        previous = head
        column = node.start[1]
        for item in node.items:
            dash = self._dash_line(item, column, previous)
            out += self._above(previous + 1, dash, target)
            out += self._item(item, dash, column, target, model)
            out += self._tail(item.path, item.start, target, item)
            previous = max(dash, item.end[0])
        return out

    def _item(self, item: Node, dash: int, column: int, target: int, model: Model) -> list[str]:
        text = self.lines[dash]
        block = item.kind in ("map", "seq") and not item.flow
        if not block:
            last = max(dash, item.end[0])
            return self._span(dash, last, target, column, item, model)
        starts_on_dash = (item.entries[0].key_node if item.entries else item).start[0] == dash
        if not starts_on_dash:  # `-` alone (or with a comment or anchor), the value below
            head = " " * target + text[column:]
            if item.kind == "map":
                return [head, *_flatten(self._entries(item, target + 2, model, dash))]
            return [head, *self._sequence(item, target + 2, model, dash)]
        if item.kind == "seq":  # `- - a`
            lines = self._sequence(item, target + 2, model, dash - 1)
            return [" " * target + "- " + lines[0][target + 2 :], *lines[1:]]
        key = item.entries[0].key_node
        if text[column + 1 : key.start[1]].strip():
            raise Unformattable(dash + 1, column + 1, _(_LAYOUT))
        blocks = self._entries(item, target + 2, model, dash)
        above, lines = blocks[0]
        return [
            *(" " * target + line.lstrip() if line else "" for line in above),
            " " * target + "- " + lines[0][target + 2 :],
            *lines[1:],
            *_flatten(blocks[1:]),
        ]

    def _dash_line(self, item: Node, column: int, previous: int) -> int:
        """The line of the `-` that starts `item`: on the item's first line or above it."""
        line, start = item.start
        text = self.lines[line]
        if (
            text[column : column + 1] == "-"
            and column < start
            and not text[column + 1 : start].strip()
        ):
            return line
        for number in range(line - 1, previous, -1):
            text = self.lines[number]
            rest = text[column + 1 :].strip()
            if (
                text[column : column + 1] == "-"
                and not text[:column].strip()
                and (not rest or rest.startswith("#"))
            ):
                return number
        raise Unformattable(line + 1, start + 1, _(_LAYOUT))

    # --- lines

    def _above(self, first: int, stop: int, target: int) -> list[str]:
        """The comment and blank lines above a key or item, indented like it (less
        those that end the key or item before)."""
        out = []
        for number in range(first, stop):
            if number in self.claimed:
                continue
            text = self.lines[number].strip()
            if text and not text.startswith("#"):
                raise Unformattable(number + 1, 1, _(_LAYOUT))
            out.append(" " * target + text if text else "")
        return out

    def _tail(self, path: Path_, start: Pos, target: int, value: Node) -> list[str]:
        """The comments that end the key or item at `target` (and the blank lines above
        them), indented into it: like its entries or items, or two more than it, or
        one more after a block scalar, whose text is two more."""
        indent = target + (1 if value.block_scalar else 2)
        return [
            " " * indent + self.lines[n].strip() if self.lines[n].strip() else ""
            for n in self.tails.get((path, start), ())
        ]

    def _trailing(self, number: int) -> str:
        """A line after the document's last value: blank, a comment or `...`."""
        text = self.lines[number]
        if not text.strip():
            return ""
        if text.lstrip().startswith("#"):
            return text.lstrip()
        if text.startswith("..."):
            return text
        raise Unformattable(number + 1, 1, _(_LAYOUT))

    def _span(
        self, first: int, last: int, target: int, column: int, value: Node, model: Model
    ) -> list[str]:
        """Lines `first`..`last` of a key or item whose value is a scalar, alias or
        flow collection: moved to `target` as a whole, the first from `column` on,
        and a block scalar's text indented two more (unless its header fixes it)."""
        texts = self.lines[first : last + 1]
        if value.flow and model is not None:
            texts = self._with_flow(texts, first, value, model)
        deltas = dict.fromkeys(range(first + 1, last + 1), target - column)
        body = range(value.start[0] + 1, value.end[0] + 1)
        if value.block_scalar and not value.explicit_indent and body:
            indent = self.in_block_scalar[body[0]]  # found once, in __init__
            deltas.update(dict.fromkeys(body, target + 2 - indent))
        rest = [
            self._shift(first + i, text, deltas[first + i]) for i, text in enumerate(texts[1:], 1)
        ]
        keep = [_KEEP_END] if value.block_scalar and value.keep else []
        return [" " * target + texts[0][column:], *rest, *keep]

    def _shift(self, number: int, text: str, delta: int) -> str:
        if not text.strip():
            indent = self.in_block_scalar.get(number)
            if indent is None or len(text) <= indent:
                return ""
        if delta >= 0:
            return " " * delta + text
        spaces = len(text) - len(text.lstrip(" "))
        return text[min(-delta, spaces) :]

    def _check_key_line(self, key: Node) -> None:
        """Refuse a key with something before it on its line (`? key`, `--- key`)."""
        line, column = key.start
        if self.lines[line][:column].strip():
            raise Unformattable(line + 1, column + 1, _(_LAYOUT))

    def _first_line(self, root: Node) -> int:
        if root.kind == "map" and root.entries and not root.flow:
            return root.entries[0].key_node.start[0]
        return root.start[0]

    def _last_line(self, root: Node, first: int) -> int:
        return max(first, root.end[0])

    # --- flow collections

    def _with_flow(self, texts: list[str], first: int, value: Node, model: Model) -> list[str]:
        """`texts` with the keys of the flow collection `value` in the model's order."""
        old = self._text(value.start, value.stop)
        new = self._flow(value, model)
        if new == old:
            return texts
        (start_line, start_column), (stop_line, stop_column) = value.start, value.stop
        joined = (
            texts[start_line - first][:start_column] + new + texts[stop_line - first][stop_column:]
        )
        return [
            *texts[: start_line - first],
            *joined.split("\n"),
            *texts[stop_line - first + 1 :],
        ]

    def _flow(self, node: Node, model: Model) -> str:
        if model is None or not node.flow:
            return self._text(node.start, node.stop)
        if node.kind == "seq":
            return self._splice(
                node, [(item.start, item.stop, self._flow(item, model)) for item in node.items]
            )
        if any(entry.value.empty for entry in node.entries):
            return self._text(node.start, node.stop)
        pieces = [
            (
                entry.key,
                self._text(entry.key_node.start, entry.value.start)
                + self._flow(entry.value, _inner(model, entry.key)),
            )
            for entry in node.entries
        ]
        order = _ordered(pieces, model)
        if order != [text for _key, text in pieces]:
            self._refuse_comment_inside(node)
        spans = [(entry.key_node.start, entry.value.stop) for entry in node.entries]
        return self._splice(node, [(s, e, t) for (s, e), t in zip(spans, order, strict=True)])

    def _splice(self, node: Node, parts: Iterable[tuple[Pos, Pos, str]]) -> str:
        """The text of `node` with each (start, stop) span replaced by its text."""
        out = []
        at = node.start
        for start, stop, text in parts:
            out += [self._text(at, start), text]
            at = stop
        out.append(self._text(at, node.stop))
        return "".join(out)

    def _refuse_comment_inside(self, node: Node) -> None:
        for position in self.comments:
            if node.start <= position < node.stop:
                raise Unformattable(position[0] + 1, position[1] + 1, _(_FLOW_COMMENT))

    def _text(self, start: Pos, stop: Pos) -> str:
        return self.text[self.offsets[start[0]] + start[1] : self.offsets[stop[0]] + stop[1]]


# Marks the end of a `|+` block scalar in the rendered lines: a blank line right
# after it would become part of its text. NUL never occurs in a file fmt reads.
_KEEP_END = "\0keep\0"


def _without_blanks_after_keep(lines: list[str]) -> list[str]:
    """`lines` without the blank lines that reordering put right after a `|+` scalar."""
    out: list[str] = []
    dropping = False
    for line in lines:
        if line == _KEEP_END:
            dropping = True
        elif not (dropping and not line):
            dropping = False
            out.append(line)
    return out


@functools.lru_cache(maxsize=4096)  # keys as files write them: bounded
def _inner(model: Model, key: str) -> Model:
    """The model of the value at `key`, or of each item of it (`Milestone`)."""
    if model is None or key not in model.model_fields:
        return None
    return model_in(model.model_fields[key].annotation)


@functools.cache
def _ranks(model: type[BaseModel]) -> dict[str, int]:
    """Each field's place in the model's order."""
    return {name: number for number, name in enumerate(model.model_fields)}


def _ordered(pairs: list[tuple[str, T]], model: Model) -> list[T]:
    """The values of `pairs` with their keys in the model's order, unknown keys last."""
    if model is None:
        return [value for _key, value in pairs]
    rank = _ranks(model)
    ordered = sorted(pairs, key=lambda pair: rank.get(pair[0], len(rank)))
    return [value for _key, value in ordered]


def _flatten(blocks: Iterable[tuple[list[str], list[str]]]) -> list[str]:
    return [line for above, lines in blocks for line in (*above, *lines)]
