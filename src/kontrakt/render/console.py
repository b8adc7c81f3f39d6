"""The rich console kontrakt prints tables with, made safe for any portfolio text.

Renderers build rich `Text` from portfolio data with controls already escaped
(render.safe.fold); this console escapes, as a last line, any control character
left in the text it renders, while rich's own colour codes pass untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kontrakt.render.safe import escape_controls, in_github_actions

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.segment import Segment


def safe_console() -> Console:
    """Colour on a terminal, plain text elsewhere, with NO_COLOR set or in GitHub
    Actions; never markup."""
    from rich.console import Console
    from rich.segment import Segment

    class SafeConsole(Console):
        def render(
            self, renderable: RenderableType, options: ConsoleOptions | None = None
        ) -> Iterable[Segment]:
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
