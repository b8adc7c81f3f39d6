"""Stages 1-2 for one file: read its bytes (bounded), decode, parse."""

from __future__ import annotations

from pathlib import Path

from kontrakt.decode import decode
from kontrakt.diagnostics import Diagnostic, error
from kontrakt.source import SourceFile
from kontrakt.yamlload import DEFAULT_MAX_DEPTH, YamlProblem, parse


def read_source(
    path: Path, *, max_file_size: int, max_depth: int = DEFAULT_MAX_DEPTH
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """The parsed file, or None with the reasons it could not be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_file_size + 1)
    except OSError as exc:
        return None, [error(path, 1, 1, "unreadable", f"cannot read file: {exc.strerror}")]
    if len(raw) > max_file_size:
        return None, [
            error(
                path,
                1,
                1,
                "file-too-large",
                f"file is larger than {max_file_size} bytes; portfolio files are small, "
                "so split it (or raise limits.max_file_size in kontrakt.yaml)",
            )
        ]
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    try:
        parsed = parse(text, max_depth=max_depth)
    except YamlProblem as first:
        # Parse again with positions for the fuller message ("first on line 3").
        problem = first
        try:
            parse(text, track_positions=True, max_depth=max_depth)
        except YamlProblem as detailed:
            problem = detailed
        return None, [error(path, problem.line, problem.column, problem.rule, problem.message)]
    return SourceFile(path, text, parsed.data, max_depth), []
