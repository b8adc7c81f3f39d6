"""The site written to its folder: only what changed, never anything not kontrakt's.

- A folder that does not exist is made. A folder that holds files and was not
  made by `kontrakt site` (it has no manifest, `.kontrakt-site.json`) is
  refused, unless `replace` is given; then the site's files are written into
  it, over files of the same name, and nothing else in it is touched.
- The manifest lists the files the last build wrote. A rebuild writes only
  files whose bytes changed, removes only files the manifest lists that this
  build no longer makes, and refuses to write over a file the manifest does
  not list (someone else's) unless `replace` is given.
- Every write goes through write.py (atomic, never through a link; folders on
  the way are opened without following links); a file is read back, and
  removed, only through folders opened the same way, and only when it is a
  regular file. The folder itself may not be a link.
- Each file is replaced atomically, without a flush to disk of its own: a
  site is thousands of files, rebuilt whole at will, so the folder is flushed
  once at the end instead.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _
from kontrakt.render.site.paths import UnsafePath, checked_path
from kontrakt.write import write_bytes_atomic

MANIFEST = ".kontrakt-site.json"
_FORMAT = "kontrakt-site"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_MANIFEST_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Published:
    """What a build did to the folder, by number of files."""

    written: int
    unchanged: int
    removed: int
    written_paths: tuple[str, ...] = ()


class SiteRefused(ProblemFound):
    """The output folder is not one kontrakt may write the site into."""


def publish(
    paths: Iterable[str],
    files: Iterable[tuple[str, bytes]],
    folder: Path,
    *,
    replace: bool = False,
) -> Published:
    """Write `files` (site path and bytes, made one by one) into `folder` as the
    module says; `paths` are all of their paths, known before any is made, so that
    every refusal comes before the first write."""
    listed = {checked_path(path): None for path in paths}  # plain relative paths, or UnsafePath
    previous = _prepare(folder, replace=replace)
    if not replace:
        for path in listed:
            if path not in previous and _exists(folder, path):
                raise SiteRefused(
                    _(
                        "{path} in {folder} is not a file kontrakt site wrote; "
                        "pass --replace to write over it"
                    ).format(path=path, folder=folder)
                )
    written: list[str] = []
    unchanged = 0
    for path, content in files:
        if path not in previous and not replace and path not in listed:
            raise SiteRefused(f"{path} was not announced")  # a bug, never the user's
        if _read(folder, path) == content:
            unchanged += 1
            continue
        write_bytes_atomic(folder / path, content, inside=folder, make_folders=True, sync=False)
        written.append(path)
    removed = 0
    for path in sorted(previous - set(listed)):
        removed += _remove(folder, path)
    manifest = _manifest_bytes(listed)
    if _read(folder, MANIFEST) != manifest:
        write_bytes_atomic(folder / MANIFEST, manifest, inside=folder, sync=False)
    _flush(folder)
    return Published(len(written), unchanged, removed, tuple(written))


def _prepare(folder: Path, *, replace: bool) -> set[str]:
    """The files the previous build listed; the folder made or checked first."""
    if folder.is_symlink():
        raise SiteRefused(
            _("{folder} is a symbolic link; give the folder itself").format(folder=folder)
        )
    if not folder.exists():
        folder.mkdir(parents=True)
        return set()
    if not folder.is_dir():
        raise SiteRefused(_("{folder} is not a folder").format(folder=folder))
    raw = _read(folder, MANIFEST)
    if raw is None:
        if any(folder.iterdir()) and not replace:
            raise SiteRefused(
                _(
                    "{folder} holds files that kontrakt site did not write; give an empty "
                    "or new folder, or pass --replace to write the site among them"
                ).format(folder=folder)
            )
        return set()
    return _listed(raw, folder)


def _listed(raw: bytes, folder: Path) -> set[str]:
    """The manifest's paths, each checked to be a plain path inside the folder."""
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            raise ValueError("not a manifest")
        paths = document["files"]
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise ValueError("no list of files")
        return {checked_path(path) for path in paths}
    except (ValueError, KeyError, UnsafePath):
        raise SiteRefused(
            _(
                "{folder}/{manifest} is not a manifest kontrakt site wrote; "
                "remove it, or give another folder"
            ).format(folder=folder, manifest=MANIFEST)
        ) from None


def _manifest_bytes(files: Iterable[str]) -> bytes:
    document = {"format": _FORMAT, "version": 1, "files": sorted(files)}
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


@contextlib.contextmanager
def _folder_of(root: Path, path: str) -> Iterator[int | None]:
    """The folder holding site path `path`, opened without following a link on the
    way (None when a folder is missing or is a link)."""
    folder = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for name in path.split("/")[:-1]:
            try:
                inner = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=folder)
            except OSError as exc:
                if exc.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
                    yield None
                    return
                raise
            os.close(folder)
            folder = inner
        yield folder
    finally:
        os.close(folder)


def _read(root: Path, path: str) -> bytes | None:
    """A regular file's bytes, never through a link; None when there is no such file."""
    with _folder_of(root, path) as folder:
        if folder is None:
            return None
        name = path.rpartition("/")[2]
        try:
            handle = os.open(name, os.O_RDONLY | _NOFOLLOW, dir_fd=folder)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ELOOP, errno.EISDIR):
                return None if exc.errno == errno.ENOENT else b"\0link"  # never equal
            raise
        try:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return b"\0special"
            chunks = []
            while chunk := os.read(handle, 1 << 20):
                chunks.append(chunk)
                if sum(map(len, chunks)) > _MANIFEST_LIMIT:
                    return b"\0large"
            return b"".join(chunks)
        finally:
            os.close(handle)


def _exists(root: Path, path: str) -> bool:
    """Whether anything (a file, a folder, a link) stands at `path`."""
    with _folder_of(root, path) as folder:
        if folder is None:
            return False
        try:
            os.stat(path.rpartition("/")[2], dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            return False
        return True


def _remove(root: Path, path: str) -> int:
    """Remove a file the previous build wrote, if it is still a regular file."""
    with _folder_of(root, path) as folder:
        if folder is None:
            return 0
        name = path.rpartition("/")[2]
        try:
            found = os.stat(name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            return 0
        if not stat.S_ISREG(found.st_mode):
            return 0
        os.unlink(name, dir_fd=folder)
        return 1


def _flush(folder: Path) -> None:
    """Everything written to disk at once (where the system can say so)."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
