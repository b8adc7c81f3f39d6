"""`kontrakt fmt`: one key order and one indentation style, and nothing else changed.

Keys follow the order of the kind's model (title first, and so on), recursively
into milestones, parts and the like; keys kontrakt does not know go last, in the
order they had. Mappings are indented by two spaces and list items by two more.
Comments, blank lines, quoting, block scalars and the values themselves are kept:
the file loads to the same data before and after, and formatting twice changes
nothing more. Every file is first read by the safe loader, so a file with a tag,
an alias bomb or broken syntax is reported and left alone; the round-trip loader
never sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kontrakt.diagnostics import Diagnostic, error
from kontrakt.discover import PortfolioNotFound, discover, find_root
from kontrakt.models import KINDS_BY_FOLDER, SETTINGS_FILE, Settings
from kontrakt.models.settings import Limits
from kontrakt.portfolio import settings_of
from kontrakt.read import read_source
from kontrakt.validate import model_in
from kontrakt.write import write_text_atomic
from kontrakt.yamlload import parse


class FormatProblem(Exception):
    """A path given to format that does not exist."""


def portfolio_around(given: Path | None, cwd: Path) -> Path | None:
    """The portfolio that files given by path belong to, if any: its limits apply."""
    try:
        return find_root(given, cwd)
    except PortfolioNotFound:
        return None


def plan(paths: list[Path], portfolio: Path | None) -> tuple[list[Path], int]:
    """The files to format and the size limit to read them with, both from the
    portfolio's kontrakt.yaml where it is valid."""
    settings = settings_of(portfolio) if portfolio is not None else None
    limits = settings.limits if settings is not None else Limits()
    ignore = settings.ignore if settings is not None else []
    return files_to_format(paths, portfolio, ignore), limits.max_file_size


def files_to_format(paths: list[Path], portfolio: Path | None, ignore: list[str]) -> list[Path]:
    """The YAML files under `paths` (files or folders, hidden ones skipped), or, with no
    paths, the portfolio's kontrakt.yaml and the entity files `check` reads."""
    if not paths:
        assert portfolio is not None
        refs, _ = discover(portfolio, ignore)
        return [portfolio / SETTINGS_FILE, *(ref.path for ref in refs)]
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                file
                for file in path.rglob("*.yaml")
                if not any(part.startswith(".") for part in file.relative_to(path).parts)
            )
        elif path.exists():
            found.append(path)
        else:
            raise FormatProblem(f"{path}: no such file or folder")
    return found


@dataclass(frozen=True, slots=True)
class Formatted:
    path: Path
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def model_for(path: Path) -> type[BaseModel] | None:
    """The model a file is formatted by: from its name or the kind folder above it."""
    if path.name == SETTINGS_FILE:
        return Settings
    for folder in reversed(path.parent.parts):
        if folder in KINDS_BY_FOLDER:
            return KINDS_BY_FOLDER[folder].model
    return None


def format_file(
    path: Path, max_file_size: int = Limits().max_file_size
) -> tuple[Formatted | None, list[Diagnostic]]:
    """The file and its formatted text, or the problems that keep it from being formatted.

    `max_file_size` is for entity files; kontrakt.yaml, which sets it, is read
    with the default limit, as `check` reads it.
    """
    if path.name == SETTINGS_FILE:
        max_file_size = Limits().max_file_size
    source, problems = read_source(path, max_file_size=max_file_size)
    if source is None:
        return None, problems
    if not isinstance(source.data, dict):
        return None, [error(path, 1, 1, "not-a-mapping", "only a mapping of keys can be formatted")]
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        after = format_text(source.text, model_for(path))
    except YAMLError as exc:
        # The round-trip parser is stricter than the safe one (a tab after a
        # value, for one): the file is valid, only fmt cannot keep its layout.
        mark = exc.problem_mark if isinstance(exc, MarkedYAMLError) else None
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        reason = exc.problem if isinstance(exc, MarkedYAMLError) else str(exc)
        return None, [
            error(
                path,
                line,
                column,
                "fmt",
                f"fmt cannot keep this file's layout ({reason}); tidy this line by hand",
            )
        ]
    if parse(after).data != source.data:  # never write a file that means something else
        return None, [error(path, 1, 1, "fmt", "fmt would change this file's values; left alone")]
    return Formatted(path, source.text, after), []


def format_text(text: str, model: type[BaseModel] | None) -> str:
    """`text` (already accepted by the safe loader) in the canonical order and style."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    data = yaml.load(text)
    if model is not None:
        _order(data, model)
    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def write_formatted(item: Formatted) -> None:
    write_text_atomic(item.path, item.after)


def _order(data: Any, model: type[BaseModel]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if not isinstance(data, CommentedMap):
        return
    fields = model.model_fields
    known = [key for key in fields if key in data]
    for key in [*known, *(key for key in list(data) if key not in fields)]:
        data.move_to_end(key)
    for key in known:
        inner = model_in(fields[key].annotation)
        value = data[key]
        if inner is None:
            continue
        if isinstance(value, CommentedMap):
            _order(value, inner)
        elif isinstance(value, CommentedSeq):
            for item in value:
                _order(item, inner)
