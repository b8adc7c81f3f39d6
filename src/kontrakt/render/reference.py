"""The team's own template for a document format: named with `--reference`, or in
kontrakt.yaml under `documents:`; read only, never written, and only from a
regular file (a template named in a pull request cannot point kontrakt at a
link or a device).
"""

from __future__ import annotations

import stat
from pathlib import Path

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _
from kontrakt.portfolio import Portfolio
from kontrakt.write import normal_path

MAX_TEMPLATE_SIZE = 64 * 1024 * 1024


def reference(portfolio: Portfolio, given: Path | None, suffix: str) -> bytes | None:
    """The bytes of the template for `suffix` ("pptx", "docx"), or None for none.

    `given` (the `--reference` option) wins; a path in kontrakt.yaml is read
    relative to the portfolio and must stay inside it.
    """
    path = given
    if path is None:
        named = getattr(portfolio.settings.documents, suffix)
        if named is None:
            return None
        path = normal_path(portfolio.root / named)
        try:
            path.relative_to(normal_path(portfolio.root))
        except ValueError:
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
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEMPLATE_SIZE:
            raise ProblemFound(
                _("{path} is not a regular file of at most 64 MiB").format(path=path)
            )
        return path.read_bytes()
    except OSError as exc:
        raise ProblemFound(
            _("cannot read {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from None
