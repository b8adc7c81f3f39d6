"""A plain text grid for large tables in the terminal: one styled line per row.

rich's Table measures and pads every cell as an object of its own, which takes
seconds for a few thousand rows; this grid computes the column widths once and
builds each row as a single rich `Text`, so output stays fast at any size. Wide
columns are shortened with … (the first column only); numbers are never cut, and
neither is a cell's `tail` (a `*` marker, "(of 285 000 kr)"): only the title
before it is shortened.

`Shortened` does the same inside a rich Table: a title cut to the column's width
with what stands before and after it kept whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kontrakt.render.safe import fold

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.measure import Measurement
    from rich.text import Text

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text, folded onto one line with its controls escaped; `tail` follows
    the text and is never cut."""

    text: str
    style: str = ""
    tail: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", fold(self.text))
        object.__setattr__(self, "tail", fold(self.tail))

    @property
    def width(self) -> int:
        return len(self.text) + len(self.tail)

    @property
    def narrowest(self) -> int:
        """The fewest columns that show the cell: its indent, a letter and …, its tail."""
        indent = len(self.text) - len(self.text.lstrip(" "))
        return min(len(self.text), indent + 2) + len(self.tail)


def layout(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int,
    right: Sequence[bool],
    gap: int = 2,
    rule: bool = True,
    first_at_most: int | None = None,
) -> list[Text]:
    """Header lines, a rule (unless `rule` is False) and one line per row, at most
    `width` columns wide where the amounts and tails allow; the first column at most
    `first_at_most` wide, if given."""
    from rich.text import Text

    header_lines = [header.split("\n") for header in headers]
    height = max(len(lines) for lines in header_lines)
    widths = [
        max([cell[index].width for cell in rows] + [len(part) for part in lines])
        for index, lines in enumerate(header_lines)
    ]
    narrowest = max([cell[0].narrowest for cell in rows] + [8])
    rest = sum(widths[1:]) + gap * (len(widths) - 1)
    room = width - rest if first_at_most is None else min(width - rest, first_at_most)
    widths[0] = max(narrowest, min(widths[0], room))
    out: list[Text] = []
    for level in range(height):
        line = Text(style="bold")
        for index, lines in enumerate(header_lines):
            part = lines[level - (height - len(lines))] if level >= height - len(lines) else ""
            line.append(_fit(part, widths[index], right[index]))
            if index < len(widths) - 1:
                line.append(" " * gap)
        out.append(line)
    if rule:
        out.append(Text("─" * (sum(widths) + gap * (len(widths) - 1))))
    for row in rows:
        line = Text()
        for index, cell in enumerate(row):
            line.append(_fit(cell.text, widths[index], right[index], cell.tail), style=cell.style)
            if index < len(widths) - 1:
                line.append(" " * gap)
        out.append(line)
    return out


def _fit(text: str, width: int, right: bool, tail: str = "") -> str:
    """`text` and `tail` in `width` columns: the text shortened with … if need be,
    the tail whole."""
    room = width - len(tail)
    if len(text) > room:
        text = text[: max(0, room - 1)].rstrip(" ") + ELLIPSIS
    text += tail
    return text.rjust(width) if right else text.ljust(width)


class Shortened:
    """A title for a cell of a rich Table: cut with … to the cell's width, while what
    stands `before` it (a date, "overdue:") and `after` it ("(to the board)") is
    never cut. The title alone gives way; the cell asks for room for both ends."""

    def __init__(self, title: Text | str, before: Text | str = "", after: Text | str = "") -> None:
        from rich.text import Text

        self.before = Text(before) if isinstance(before, str) else before
        self.title = Text(title) if isinstance(title, str) else title
        self.after = Text(after) if isinstance(after, str) else after

    @property
    def least(self) -> int:
        """The fewest columns that show both ends whole, a letter of the title and …."""
        return self.before.cell_len + self.after.cell_len + min(self.title.cell_len, 2)

    def whole(self) -> Text:
        return self.before + self.title + self.after

    def fitted(self, width: int) -> Text:
        """The cell's text in `width` columns (wider only if both ends need it)."""
        text = self.whole()
        if text.cell_len <= width:
            return text
        room = max(1, width - self.before.cell_len - self.after.cell_len)
        title = self.title.copy()
        title.truncate(room - 1)
        title.rstrip()
        title.append(ELLIPSIS)
        return self.before + title + self.after

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement(self.least, self.whole().cell_len)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        text = self.fitted(options.max_width)
        text.no_wrap = True
        text.overflow = "ignore"
        yield text
