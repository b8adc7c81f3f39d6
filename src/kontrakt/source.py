"""One portfolio file as it moves through the pipeline: path, text, data.

Positions are found lazily: parsing with position tracking is slower, and
only a file with a problem needs them, so `locate` parses that file again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.yamlload import Path_, Positions, YamlProblem, parse

_PARSE_AGAIN: Any = object()  # the data were let go: the text gives them again


@dataclass(slots=True)
class SourceFile:
    where: str  # the file's path, as text (see `path`)
    text: str
    _data: Any
    _positions: Positions | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        """The file's path. Kept as text and made a Path when asked for: a Path
        for every file of a large portfolio cost more memory than its text."""
        return Path(self.where)

    @property
    def data(self) -> Any:
        """The parsed data; parsed again from the text when they were let go."""
        if self._data is _PARSE_AGAIN:
            self._data = parse(self.text).data
        return self._data

    def let_go(self) -> None:
        """Drop the parsed data once the file's model holds it: a valid file needs
        them again only for a problem's position, and keeping every file's data
        was a fifth of a large portfolio's memory."""
        self._data = _PARSE_AGAIN

    def positions(self) -> Positions:
        if self._positions is None:
            try:
                parsed = parse(self.text, track_positions=True)
            except YamlProblem:  # pragma: no cover - the fast parse succeeded first
                self._positions = Positions()
            else:
                self._positions = parsed.positions or Positions()
                if self._data is _PARSE_AGAIN:  # the same parse gives the data back
                    self._data = parsed.data
        return self._positions

    def locate(self, loc: tuple[str | int, ...], *, at_key: bool = False) -> tuple[int, int]:
        """Line and column of the deepest part of `loc` that exists in the data.

        Parts of `loc` that are not in the data (model names in a union, or the
        missing key itself) are skipped, so a missing key points at its parent.
        """
        positions = self.positions()  # first: it gives data that were let go back too
        path = data_path(self.data, loc)
        table = positions.keys if at_key and path else positions.values
        return table.get(path) or positions.values.get(path) or (1, 1)

    def diagnostic(
        self,
        loc: tuple[str | int, ...],
        severity: Severity,
        rule: str,
        message: str,
        *,
        at_key: bool = False,
    ) -> Diagnostic:
        line, column = self.locate(loc, at_key=at_key)
        return Diagnostic(self.path, line, column, severity, rule, message)


def data_path(data: Any, loc: tuple[str | int, ...]) -> Path_:
    """The longest walk along `loc` through `data`, skipping parts it does not have."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            node = node[part]
            path.append(part)
    return tuple(path)


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def value_at(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        node = node[part]
    return node
