"""The site written to its folder: only what changed, never anything not kontrakt's.

- A folder that does not exist is made. A folder that holds files and was not
  made by `kontrakt site` (it has no manifest, `.kontrakt-site.json`) is
  refused, unless `replace` is given; then the site's files are written into
  it, over files of the same name, and nothing else in it is touched.
- The manifest lists the files the last build wrote, each with a hash of the
  bytes it wrote. A rebuild writes only files whose bytes changed, removes only
  files the manifest lists that this build no longer makes and that still hold
  the bytes it wrote (a file someone changed, or a name someone added to the
  manifest, is left alone), and refuses to write over a file the manifest does
  not list (someone else's) unless `replace` is given.
- Every refusal comes before the first write: two pages with one path, a link
  or a file where a folder of the site should be, someone else's file. Before
  the first write the manifest already names every file the build may write,
  so a build stopped halfway leaves a folder the next build carries on in.
- Every write goes through write.py (atomic, never through a link; folders on
  the way are opened without following links); a file is read back, and
  removed, only through folders opened the same way, and only when it is a
  regular file. The folder itself may not be a link.
- Each page is replaced atomically but not flushed to disk: a site is
  thousands of files made again at will, and a build trusts no page it did not
  read back (a page a crash lost is written again by the next build). The
  manifest, which says what a build may write over and remove, is flushed when
  it is written at the end. (Flushing every dirty page of the system with
  sync() once took a tenth of a large site's build, and more when other
  programs had written much.)
- In a folder the build made itself, each page is created as a new file
  (write.py's write_new_in: exclusively, removed again if it cannot be written
  whole) rather than under a temporary name and renamed: nothing stands there
  and nothing reads it yet, and a second name for each of thousands of files
  cost a fresh 10 000-file site a tenth of its time.
- With worker processes (kontrakt/workers.py) each page is written where it is
  made, through folders opened without following links; only its digest comes
  back. The checks above and the manifest stay here.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _
from kontrakt.render.site.paths import UnsafePath, checked_path
from kontrakt.workers import Work, made_apart
from kontrakt.write import enter_folder, write_bytes_in, write_new_in

MANIFEST = ".kontrakt-site.json"
_FORMAT = "kontrakt-site"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO standing in a file's place never blocks
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


class Pages(Work[bytes], Protocol):
    """The site's files as work (kontrakt/workers.py): every path known at once, so
    that every refusal comes before the first write, and each file's bytes made on
    their own (render/site/build.py's SiteBuild)."""

    @property
    def paths(self) -> list[str]: ...


def publish(pages: Pages, folder: Path, *, replace: bool = False, workers: int = 1) -> Published:
    """Write the site's `pages` into `folder` as the module says, made (and written)
    by `workers` processes."""
    listed: dict[str, str | None] = {}
    for path in pages.paths:
        checked = checked_path(path)  # a plain relative path, or UnsafePath
        if checked in listed:
            raise SiteRefused(
                _(
                    "two pages of the site would both be {path}; rename the file one of "
                    "them comes from (`index` names a folder's own page)"
                ).format(path=checked)
            )
        listed[checked] = None
    fresh = _prepare(folder)
    with _Tree(folder) as tree:
        previous = {} if fresh else _previous(tree, folder, replace=replace)
        for path in listed:
            standing, stop = (None, None) if fresh else tree.mode(path)
            if stop in (errno.ELOOP, errno.ENOTDIR):
                raise SiteRefused(
                    _(
                        "cannot write {path} in {folder}: something that is not a folder "
                        "(a file or a link) stands where its folder should be"
                    ).format(path=path, folder=folder)
                )
            if standing is not None and not stat.S_ISREG(standing):
                raise SiteRefused(
                    _(
                        "cannot write {path} in {folder}: a link, a folder or another "
                        "special file stands there, not a regular file"
                    ).format(path=path, folder=folder)
                )
            if not replace and path not in previous and standing is not None:
                raise SiteRefused(
                    _(
                        "{path} in {folder} is not a file kontrakt site wrote; "
                        "pass --replace to write over it"
                    ).format(path=path, folder=folder)
                )
            listed[path] = None if standing is None else "standing"
        # Before the first write: every file this build may write is kontrakt's.
        done: dict[str, str | None] = {**previous, **{p: previous.get(p) for p in listed}}
        _write_manifest(tree, done)
        written: list[str] = []
        unchanged = 0
        writing = _Writing(pages, tree, listed, fresh)
        for index, (digest, wrote) in made_apart(writing, workers):
            path = writing.paths[index]
            done[path] = digest
            if wrote:
                written.append(path)
            else:
                unchanged += 1
        removed = 0
        for path in sorted(set(previous) - set(listed)):
            removed += _remove(tree, path, previous[path])
            del done[path]
        _write_manifest(tree, done, flush=True)
    return Published(len(written), unchanged, removed, tuple(written))


@dataclass(frozen=True, slots=True)
class _Writing:
    """Each file of the site written where it is made, in a worker process or here:
    only its digest, and whether it was written, come back to be put in the
    manifest. Workers write through the tree's folders (opened before the fork, or
    by the worker, never through a link) and only the files this build listed,
    each to a path of its own; the manifest is written here alone. A page a killed
    worker wrote without reporting it is made again here and found whole: it is
    counted unchanged."""

    pages: Pages
    tree: _Tree
    # Every checked path in the pages' order, "standing" where a file stood before.
    standing: dict[str, str | None]
    fresh: bool  # the folder is new, made by this build: pages are written as new files
    paths: list[str] = field(init=False)  # `standing`'s paths, by index

    def __post_init__(self) -> None:
        object.__setattr__(self, "paths", list(self.standing))

    @property
    def batches(self) -> list[str]:
        return self.pages.batches

    def making(self) -> AbstractContextManager[object]:
        return self.pages.making()

    def made_at(self, index: int) -> tuple[str, bool]:
        """The file's digest, and whether it was written (False: it held these bytes)."""
        path = self.paths[index]
        content = self.pages.made_at(index)
        digest = hashlib.sha256(content).hexdigest()
        if self.standing[path] is not None and self.tree.read(path) == content:
            return digest, False
        self.tree.write(path, content, new=self.fresh)
        return digest, True


def _write_manifest(tree: _Tree, files: dict[str, str | None], *, flush: bool = False) -> None:
    manifest = _manifest_bytes(files)
    if tree.read(MANIFEST) != manifest:
        tree.write(MANIFEST, manifest, flush=flush)


def within(folder: Path, portfolio: Path) -> bool:
    """Whether `folder` is the portfolio's folder or inside it (links resolved)."""
    return folder.resolve().is_relative_to(portfolio.resolve())


def _prepare(folder: Path) -> bool:
    """The folder made (True: it is new, so nothing stands in it) or checked to be one."""
    if folder.is_symlink():
        raise SiteRefused(
            _("{folder} is a symbolic link; give the folder itself").format(folder=folder)
        )
    if not folder.exists():
        folder.mkdir(parents=True)
        return True
    if not folder.is_dir():
        raise SiteRefused(_("{folder} is not a folder").format(folder=folder))
    return False


def _previous(tree: _Tree, folder: Path, *, replace: bool) -> dict[str, str | None]:
    """The files the previous build listed, with the hash of what it wrote (None:
    about to be written when the build stopped)."""
    raw = tree.read(MANIFEST)
    if raw is None:
        if any(folder.iterdir()) and not replace:
            raise SiteRefused(
                _(
                    "{folder} holds files that kontrakt site did not write; give an empty "
                    "or new folder, or pass --replace to write the site among them"
                ).format(folder=folder)
            )
        return {}
    return _listed(raw, folder)


def _listed(raw: bytes, folder: Path) -> dict[str, str | None]:
    """The manifest's paths and hashes, each path checked to be plain and inside."""
    try:
        document = json.loads(raw.decode("utf-8"))
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            raise ValueError("not a manifest")
        files = document["files"]
        if not isinstance(files, dict) or not all(
            isinstance(path, str) and (digest is None or isinstance(digest, str))
            for path, digest in files.items()
        ):
            raise ValueError("no table of files")
        return {checked_path(path): digest for path, digest in files.items()}
    except (ValueError, KeyError, UnsafePath, RecursionError):
        raise SiteRefused(
            _(
                "{folder}/{manifest} is not a manifest kontrakt site wrote; "
                "remove it, or give another folder"
            ).format(folder=folder, manifest=MANIFEST)
        ) from None


def _manifest_bytes(files: dict[str, str | None]) -> bytes:
    document = {"format": _FORMAT, "version": 2, "files": dict(sorted(files.items()))}
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


class _Tree:
    """The output folder's folders, each opened once, never through a link.

    A site is thousands of files in a handful of folders: each folder is opened
    once (each step with O_NOFOLLOW, from the folder itself down), kept open for
    the build, and every file is read, checked, written and removed through its
    folder's descriptor."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, int] = {"": os.open(root, os.O_RDONLY | _DIRECTORY)}
        self._stops: dict[str, int] = {}

    def __enter__(self) -> _Tree:
        return self

    def __exit__(self, *_exc: object) -> None:
        for descriptor in self._open.values():
            os.close(descriptor)
        self._open.clear()

    def folder(self, path: str, *, make: bool = False) -> tuple[int | None, int | None]:
        """The folder holding site path `path`: (its descriptor, None), or (None, why
        the way stops: ENOENT where a folder is missing, ELOOP at a link, ENOTDIR at
        a file). `make` makes missing folders (a link or a file is still refused)."""
        return self._opened(path.rpartition("/")[0], make=make)

    def _opened(self, folder: str, *, make: bool) -> tuple[int | None, int | None]:
        found = self._open.get(folder)
        if found is not None:
            return found, None
        stop = self._stops.get(folder)
        if stop is not None and not (make and stop == errno.ENOENT):
            return None, stop
        parent, _slash, name = folder.rpartition("/")
        outer, stop = self._opened(parent, make=make)
        if outer is None:
            return None, stop
        try:
            if make:
                inner = enter_folder(outer, name, self.root / folder, make=True)
            else:
                inner = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=outer)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
                self._stops[folder] = exc.errno
                return None, exc.errno
            raise
        self._stops.pop(folder, None)
        self._open[folder] = inner
        return inner, None

    def mode(self, path: str) -> tuple[int | None, int | None]:
        """The mode of what stands at `path` (a file, a folder, a link) or None, and
        why the way to it stops, if it does (as `folder` says)."""
        folder, stop = self.folder(path)
        if folder is None:
            return None, stop
        try:
            found = os.stat(path.rpartition("/")[2], dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            return None, None
        return found.st_mode, None

    def read(self, path: str) -> bytes | None:
        """A regular file's bytes, never through a link; None when there is no such file."""
        folder, _stop = self.folder(path)
        if folder is None:
            return None
        name = path.rpartition("/")[2]
        try:
            handle = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=folder)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ELOOP, errno.EISDIR, errno.ENXIO):
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

    def write(self, path: str, content: bytes, *, flush: bool = False, new: bool = False) -> None:
        """`content` at `path`, atomically (write.py), its folders made where missing;
        with `flush`, on disk (the file and its folder) before this returns; `new`: a
        file of a folder this build made, created as new (write.py's write_new_in)."""
        folder, _stop = self.folder(path, make=True)
        if folder is None:  # pragma: no cover - refused before the first write
            raise SiteRefused(f"{path}: its folder could not be made")
        if new:
            try:
                write_new_in(folder, self.root / path, content)
                return
            except FileExistsError:  # written meanwhile (a worker killed before it said so)
                pass  # replaced as a file standing there would be, never through a link
        write_bytes_in(folder, self.root / path, content, sync=flush)


def _remove(tree: _Tree, path: str, digest: str | None) -> int:
    """Remove a file a previous build wrote, if it is still a regular file holding
    just what that build wrote."""
    if digest is None:  # a build stopped before writing it: whatever is there is not ours
        return 0
    content = tree.read(path)
    if content is None or hashlib.sha256(content).hexdigest() != digest:
        return 0
    folder, _stop = tree.folder(path)
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
