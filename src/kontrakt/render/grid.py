"""A plain text grid for large tables in the terminal: one styled line per row.

rich's Table measures and pads every cell as an object of its own, which takes
seconds for a few thousand rows; this grid computes the column widths once and
builds each row as a single rich `Text`, so output stays fast at any size. Wide
columns are shortened with … (the first column only); numbers are never cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kontrakt.render.safe import fold

if TYPE_CHECKING:
    from rich.text import Text


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text, folded onto one line with its controls escaped."""

    text: str
    style: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", fold(self.text))


def layout(
    headers: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    width: int,
    right: Sequence[bool],
    gap: int = 2,
) -> list[Text]:
    """Header lines, a rule and one line per row, at most `width` columns wide."""
    from rich.text import Text

    header_lines = [header.split("\n") for header in headers]
    height = max(len(lines) for lines in header_lines)
    widths = [
        max([len(cell[index].text) for cell in rows] + [len(part) for part in lines])
        for index, lines in enumerate(header_lines)
    ]
    rest = sum(widths[1:]) + gap * (len(widths) - 1)
    widths[0] = max(8, min(widths[0], width - rest))
    out: list[Text] = []
    for level in range(height):
        line = Text(style="bold")
        for index, lines in enumerate(header_lines):
            part = lines[level - (height - len(lines))] if level >= height - len(lines) else ""
            line.append(_fit(part, widths[index], right[index]))
            if index < len(widths) - 1:
                line.append(" " * gap)
        out.append(line)
    out.append(Text("─" * (sum(widths) + gap * (len(widths) - 1))))
    for row in rows:
        line = Text()
        for index, cell in enumerate(row):
            line.append(_fit(cell.text, widths[index], right[index]), style=cell.style)
            if index < len(widths) - 1:
                line.append(" " * gap)
        out.append(line)
    return out


def _fit(text: str, width: int, right: bool) -> str:
    if len(text) > width:
        return text[: max(0, width - 1)] + "…"
    return text.rjust(width) if right else text.ljust(width)
