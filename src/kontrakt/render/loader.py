"""Where a template's `include`, `import`, `extends` and `from` may read.

A user's template names other templates; Jinja's FileSystemLoader follows any
link it meets, so a link in the template folder could read any file on the
machine into the document (and CI may post the document). This loader looks in
the user template's own folder, then in kontrakt's bundled templates, and only
reads a file that is still inside one of the two after every link is followed.
The user's main template, named on the command line, is read wherever it is.

A template kept in a home folder could name `.ssh/id_rsa`: a name, or the file a
link leads to, with a part that starts with `.` (a hidden file or folder) is
refused, and so is a name that is not a plain relative one (absolute, with a
drive letter or a backslash), with a message that says why.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.exceptions import SecurityError

MAX_TEMPLATE_BYTES = 1024 * 1024
"""The longest template file read: the bundled ones are under 10 KiB, and a
bound keeps a mistaken `--template` (a log, a device) from being parsed whole."""


_DRIVE = re.compile(r"[A-Za-z]:")


class TemplateFileProblem(SecurityError):
    """A template file that is refused or cannot be read; the message says why."""


def _always_current() -> bool:
    """Each render builds a new environment, so a loaded template never goes stale."""
    return True


class ConfinedLoader(BaseLoader):
    """The user's template folder, then the bundled one; nothing outside either."""

    def __init__(self, bundled: Path, main: Path | None = None) -> None:
        self.main = main
        folders = [bundled] if main is None else [main.parent, bundled]
        self.folders = [(folder, Path(os.path.realpath(folder))) for folder in folders]
        # The file each loaded template came from, for messages that name it.
        self.names: dict[str, str] = {}

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if self.main is not None and template == self.main.name:
            path = self.main  # named on the command line: read it where it is
        else:
            path = self._find(template)
        source = _read(path, template)
        filename = os.fspath(path)
        self.names[filename] = template
        return source, filename, _always_current

    def _find(self, template: str) -> Path:
        """The template's file, links followed, inside one of the folders."""
        pieces = _parts(template)
        for folder, _ in self.folders:
            candidate = folder.joinpath(*pieces)
            try:
                if not os.path.lexists(candidate):
                    continue
                real = Path(os.path.realpath(candidate))
            except (OSError, ValueError):  # a name no file system accepts
                continue
            inside = next(
                (
                    real.relative_to(allowed)
                    for _, allowed in self.folders
                    if real.is_relative_to(allowed)
                ),
                None,
            )
            if inside is None:
                raise TemplateFileProblem(
                    f"{template!r} is a link that leads outside the template folder; "
                    "only templates inside it or kontrakt's own are read"
                )
            if any(part.startswith(".") for part in inside.parts):
                raise TemplateFileProblem(
                    f"{template!r} is a link to a hidden file or folder (its name starts "
                    "with `.`); those are never read as templates"
                )
            try:
                regular = stat.S_ISREG(real.stat().st_mode)
            except OSError:
                continue  # a dangling link inside the folders: look further
            if regular:
                return real  # read what was checked, not the link again
        raise TemplateNotFound(
            template,
            f"no template {template!r} in the template's folder or among kontrakt's templates",
        )


def _parts(template: str) -> list[str]:
    """The parts of a template's name, refused unless it is a plain relative name.

    Jinja separates the parts with `/` on every system; what is left after that
    (a backslash, a drive letter, a leading `/`) would only ever be not found,
    so the refusal says why instead. Empty parts, as in `a//b`, are dropped.
    """
    if template.startswith("/"):
        raise TemplateFileProblem(
            f"{template!r} is an absolute path; name a template by its path inside "
            "the template's folder, e.g. `parts/table.md.j2`"
        )
    if _DRIVE.match(template):
        raise TemplateFileProblem(
            f"{template!r} starts with a drive letter; name a template by its path "
            "inside the template's folder, e.g. `parts/table.md.j2`"
        )
    if "\\" in template:
        raise TemplateFileProblem(
            f"{template!r} has a backslash; separate the parts of a template's name "
            "with `/`, e.g. `parts/table.md.j2`"
        )
    pieces = [piece for piece in template.split("/") if piece]
    for piece in pieces:
        if piece == "..":
            raise TemplateFileProblem(
                f"{template!r} climbs out of the template folder with `..`; refused"
            )
        if piece == ".":
            raise TemplateFileProblem(
                f"{template!r} has a `.` part; name a template by its path inside the "
                "template's folder, without `./`"
            )
        if piece.startswith("."):
            raise TemplateFileProblem(
                f"{template!r} names a hidden file or folder (a part starting with `.`); "
                "those are never read as templates"
            )
    return pieces


def _read(path: Path, template: str) -> str:
    """The text of a template file: UTF-8, and not longer than MAX_TEMPLATE_BYTES."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as exc:
        raise TemplateFileProblem(f"cannot read {template!r}: {exc.strerror}") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateFileProblem(f"{template!r} is longer than {MAX_TEMPLATE_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateFileProblem(f"{template!r} is not UTF-8 text (byte {exc.start})") from None
