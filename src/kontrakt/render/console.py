"""The rich console kontrakt prints tables with, made safe for any portfolio text.

Renderers build rich `Text` from portfolio data with controls already escaped
(render.safe.fold); this console escapes, as a last line, any control character
left in the text it renders, while rich's own colour codes pass untouched.

It also ends no line with spaces: rich pads every cell of a table, and a grid's
last column, to its width, which leaves trailing spaces in a file or a pipe (and
in a diff of one). Blanks that show nothing are dropped from the end of each line
as it is rendered, for every command at once; a blank with a background or an
underline, which shows on a colour terminal, is kept there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from kontrakt.render.safe import escape_controls, in_github_actions

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment
    from rich.style import Style


def safe_console() -> Console:
    """Colour on a terminal, plain text elsewhere, with NO_COLOR set or in GitHub
    Actions; never markup, never a line that ends in spaces."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterable[Segment]:
            plain = self.color_system is None
            return without_trailing_blanks(self._escaped(renderable, options), plain=plain)

        def _escaped(
            self, renderable: RenderableType, options: ConsoleOptions | None
        ) -> Iterator[Segment]:
            for segment in super().render(renderable, options):
                if segment.control is None and segment.text:
                    text = escape_controls(segment.text)
                    if text is not segment.text:
                        segment = Segment(text, segment.style)
                yield segment

    # Under GitHub Actions no colour either: every line then goes through the CI
    # guard as plain text (FORCE_COLOR would otherwise send it straight out).
    plain = "NO_COLOR" in os.environ or in_github_actions()
    options: dict[str, Any] = {
        "highlight": False,
        "soft_wrap": False,
        "markup": False,  # portfolio text is never markup: "[/]" in a title is just text
        "emoji": False,
        "color_system": None if plain else "auto",
    }
    return SafeConsole(**options)


def without_trailing_blanks(segments: Iterable[Segment], *, plain: bool) -> Iterator[Segment]:
    """The segments with the spaces at the end of each line left out: all of them in
    `plain` output, on a colour terminal those that show nothing (see `_shows`).

    A line's segments are held back until its line feed; a line left open at the end
    is passed on as it is (more of it may follow)."""
    from rich.segment import Segment

    line: list[Segment] = []
    for segment in segments:
        if segment.control is not None or "\n" not in segment.text:
            line.append(segment)
            continue
        pieces = segment.text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                yield from _trimmed(line, plain)
                line = []
                yield Segment("\n", segment.style)
            if piece:
                line.append(Segment(piece, segment.style))
    yield from line


def _trimmed(line: list[Segment], plain: bool) -> list[Segment]:
    from rich.segment import Segment

    end = len(line)
    while end:
        segment = line[end - 1]
        if segment.control is not None:
            break
        if not plain and _shows(segment.style):
            break
        text = segment.text.rstrip(" ")
        if text:
            line[end - 1] = Segment(text, segment.style)
            break
        end -= 1
    return line[:end]


def _shows(style: Style | None) -> bool:
    """Whether a space in this style shows on a colour terminal."""
    if style is None:
        return False
    return bool(style.bgcolor or style.reverse or style.underline or style.strike)
