"""Stages 1-2 for one file: read its bytes (bounded), decode, parse.

The file is opened without following a symbolic link and without blocking, and
only a regular file is read: a link to a secret, a named pipe or a device never
gets its content read or echoed in a message.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from kontrakt.decode import decode
from kontrakt.diagnostics import SYMLINK_MESSAGE, Diagnostic, FilePath, error
from kontrakt.i18n import _, numeral
from kontrakt.source import SourceFile
from kontrakt.yamlload import YamlProblem, parse

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bytes(path: FilePath, max_file_size: int) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of a regular file of at most `max_file_size` bytes, or why not."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP or Path(path).is_symlink():
            return None, [error(path, 1, 1, "symlink", _(SYMLINK_MESSAGE))]
        message = _("cannot read file: {reason}").format(reason=exc.strerror)
        return None, [error(path, 1, 1, "unreadable", message)]
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            message = _("not a regular file (a pipe, socket or device); remove it")
            return None, [error(path, 1, 1, "unreadable", message)]
        if info.st_size > max_file_size:
            return None, [too_large(path, max_file_size)]
        chunks = []
        remaining = max_file_size + 1
        # Ask for the size the file has (and one byte more, should it have grown),
        # not for the limit: a buffer of the limit's size for every small file
        # cost more than reading them.
        wanted = min(info.st_size + 1, remaining)
        while remaining > 0:
            chunk = os.read(descriptor, wanted)
            chunks.append(chunk)
            remaining -= len(chunk)
            if not chunk or max_file_size + 1 - remaining == info.st_size:
                break  # at its end, or all it had when asked (more is read as growth)
            wanted = min(remaining, 1 << 16)
    finally:
        os.close(descriptor)
    raw = b"".join(chunks)
    if len(raw) > max_file_size:  # it grew while we read it
        return None, [too_large(path, max_file_size)]
    return raw, []


def too_large(path: FilePath, max_file_size: int) -> Diagnostic:
    return error(
        path,
        1,
        1,
        "file-too-large",
        _(
            "file is larger than {size} bytes; portfolio files are small, "
            "so split it (or raise limits.max_file_size in kontrakt.yaml)"
        ).format(size=numeral(max_file_size)),
    )


def read_source(path: Path, *, max_file_size: int) -> tuple[SourceFile | None, list[Diagnostic]]:
    """The parsed file, or None with the reasons it could not be read."""
    raw, problems = read_bytes(path, max_file_size)
    if raw is None:
        return None, problems
    return parse_source(path, raw)


def parse_source(path: FilePath, raw: bytes) -> tuple[SourceFile | None, list[Diagnostic]]:
    """A file's bytes (from disk or from git) decoded and parsed, or why not."""
    text, problems = decode(path, raw)
    if text is None:
        return None, problems
    try:
        parsed = parse(text)
    except YamlProblem as first:
        # Parse again with positions for the fuller message ("first on line 3").
        problem = first
        try:
            parse(text, track_positions=True)
        except YamlProblem as detailed:
            problem = detailed
        return None, [error(path, problem.line, problem.column, problem.rule, problem.message)]
    return SourceFile(os.fspath(path), text, parsed.data), []
