"""The order of listings: a file's `order` where given (lowest first), then its title.

The deck lists initiatives and budget lines in the team's own order, not
alphabetically; `order` keeps that order in every listing and document.
"""

from __future__ import annotations

from typing import Protocol


class Ordered(Protocol):
    @property
    def order(self) -> int | None: ...

    @property
    def title(self) -> str: ...


def listing_order(item: tuple[str, Ordered]) -> tuple[bool, int, str]:
    _, entity = item
    return (entity.order is None, entity.order or 0, entity.title.casefold())
