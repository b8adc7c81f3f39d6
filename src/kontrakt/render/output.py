"""What a renderer hands the CLI to print (see render/formats.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Output:
    """What a renderer hands the CLI to print."""

    text: str = ""  # printed as it is, through the safe way out
    renderable: Any = None  # a rich renderable, printed by the safe console instead
    commands: bool = False  # the lines are CI workflow commands, meant as such
    wrap: bool = True  # rich may wrap the renderable's lines at the terminal's width
    # A binary document (a deck, a workbook): written to the file `-o` names, never
    # printed; `text` and `renderable` are then unused.
    data: bytes | None = None
