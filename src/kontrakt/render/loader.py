"""Where a template's `include`, `import`, `extends` and `from` may read.

A user's template names other templates; Jinja's FileSystemLoader follows any
link it meets, so a link in the template folder could read any file on the
machine into the document (and CI may post the document). This loader looks in
the user template's own folder, then in kontrakt's bundled templates, and only
reads a file that is still inside one of the two after every link is followed.
The user's main template, named on the command line, is read wherever it is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path

MAX_TEMPLATE_BYTES = 1024 * 1024
"""The longest template file read: the bundled ones are under 10 KiB, and a
bound keeps a mistaken `--template` (a log, a device) from being parsed whole."""


class TemplateFileProblem(SecurityError):
    """A template file that is refused or cannot be read; the message says why."""


def _always_current() -> bool:
    """Each render builds a new environment, so a loaded template never goes stale."""
    return True


class ConfinedLoader(BaseLoader):
    """The user's template folder, then the bundled one; nothing outside either."""

    def __init__(self, bundled: Path, main: Path | None = None) -> None:
        self.main = main
        self.main_name = main.name if main is not None else None
        folders = [bundled] if main is None else [main.parent, bundled]
        self.folders = [(folder, Path(os.path.realpath(folder))) for folder in folders]
        # The file each loaded template came from, for messages that name it.
        self.names: dict[str, str] = {}

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if self.main is not None and template == self.main_name:
            path = self.main  # named on the command line: read it where it is
        else:
            path = self._find(template)
        source = _read(path, template)
        filename = os.fspath(path)
        self.names[filename] = template
        return source, filename, _always_current

    def _find(self, template: str) -> Path:
        """The template's file, links followed, inside one of the folders."""
        try:
            pieces = split_template_path(template)
        except TemplateNotFound:
            raise TemplateFileProblem(
                f"{template!r} climbs out of the template folder with `..`; refused"
            ) from None
        for folder, _ in self.folders:
            candidate = folder.joinpath(*pieces)
            try:
                if not os.path.lexists(candidate):
                    continue
                real = Path(os.path.realpath(candidate))
            except (OSError, ValueError):  # a name no file system accepts
                continue
            if not any(real.is_relative_to(allowed) for _, allowed in self.folders):
                raise TemplateFileProblem(
                    f"{template!r} is a link that leads outside the template folder; "
                    "only templates inside it or kontrakt's own are read"
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
