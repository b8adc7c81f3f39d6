"""The team's own template for a document format: named with `--reference`, or in
kontrakt.yaml under `documents:`; read only, never written, and read as every
portfolio file is read (read.read_bytes: a regular file, never through a link,
at most MAX_TEMPLATE_SIZE), so a template named in a pull request cannot point
kontrakt at a link, a device or a file outside the portfolio.
"""

from __future__ import annotations

from pathlib import Path

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _
from kontrakt.portfolio import Portfolio
from kontrakt.read import read_bytes

MAX_TEMPLATE_SIZE = 64 * 1024 * 1024


def reference(portfolio: Portfolio, given: Path | None, suffix: str) -> bytes | None:
    """The bytes of the template for `suffix` ("pptx", "docx"), or None for none.

    `given` (the `--reference` option) wins; a path in kontrakt.yaml is read
    relative to the portfolio and must stay inside it, links on the way followed
    to see where it really is.
    """
    path = given
    if path is None:
        named = getattr(portfolio.settings.documents, suffix)
        if named is None:
            return None
        path = portfolio.root / named
        try:
            path.resolve().relative_to(portfolio.root.resolve())
        except (ValueError, OSError):
            raise ProblemFound(
                _("documents.{format} in kontrakt.yaml names {path}, outside the portfolio").format(
                    format=suffix, path=named
                )
            ) from None
    if path.suffix.lower() != f".{suffix}":
        raise ProblemFound(
            _("{path} is not a .{format} file; name the team's {format} template").format(
                path=path, format=suffix
            )
        )
    raw, problems = read_bytes(path, MAX_TEMPLATE_SIZE)  # a regular file, no link, bounded
    if raw is None:
        raise ProblemFound(f"{path}: {problems[0].message}")
    return raw
