"""The one way kontrakt writes a file: atomically, and never through a link.

Every write (`new`, `fmt`, the schema files, `-o`) comes here. The text goes to
a temporary file with an unpredictable name, created exclusively in the target's
folder (`O_EXCL | O_NOFOLLOW`), is flushed to disk, and replaces the target in
one rename, so an interrupted run never leaves a broken file and a planted link
never redirects the write.

One kind of file skips the temporary name: a site's page in an output folder the
same run made (`write_new_in`). Nothing stands at its name and nothing has read
the folder yet, so it is created exclusively under its own name and removed
again if its bytes cannot all be written, without a second name for each of
thousands of files. Every write here is finished before a signal that ends
kontrakt takes effect (`_signals_held`).

Inside the portfolio (`inside=`), every folder between the portfolio and the
target is opened without following links (`dir_fd` and `O_NOFOLLOW` where the
system has them), so a linked folder in a pull request cannot send a write
elsewhere; a target that is itself a link is refused everywhere, including
`-o`, whose folder the user named.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from kontrakt.errors import ProblemFound
from kontrakt.i18n import N_, _

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_TRIES = 16

_THROUGH_LINK = N_("it is a symbolic link, and kontrakt never writes through one")
_LINKED_FOLDER = N_("the folder {folder}/ on the way is a symbolic link")


class WriteRefused(ProblemFound):
    """A write kontrakt will not do: a link, a folder, a path outside the portfolio."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(_("will not write {path}: {reason}").format(path=path, reason=reason))
        self.path = path
        self.reason = reason


@cache
def new_file_mode() -> int:
    """A new file's mode: read and write as the user's umask allows (0o644 under the
    usual 022, 0o600 under 077), as any editor would create it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_text_atomic(
    path: Path,
    text: str,
    *,
    inside: Path | None = None,
    create_only: bool = False,
    make_folders: bool = False,
) -> None:
    """Write `text` (UTF-8, line endings as given) to `path` atomically.

    inside: the portfolio folder `path` must lie under, with no link on the way.
    create_only: refuse when `path` exists (`kontrakt new` never overwrites).
    make_folders: create missing folders between `inside` (or the parent) and `path`.
    Raises WriteRefused, FileExistsError (create_only) or OSError.
    """
    write_bytes_atomic(
        path,
        text.encode("utf-8"),
        inside=inside,
        create_only=create_only,
        make_folders=make_folders,
    )


def write_bytes_atomic(
    path: Path,
    data: bytes,
    *,
    inside: Path | None = None,
    create_only: bool = False,
    make_folders: bool = False,
    sync: bool = True,
) -> None:
    """`write_text_atomic` for bytes: a document (a deck, a workbook) as it is.

    sync=False leaves out the flush to disk of the file and its folder (the rename
    is still atomic): for the many files of a site, flushed once when all are
    written (render/site/publish.py)."""
    folders = _folders(path, inside)
    if _DIR_FD_SUPPORTED:
        _write_with_dir_fd(
            path, folders, data, create_only=create_only, make=make_folders, sync=sync
        )
    else:  # pragma: no cover - Windows: the same checks by path
        _write_by_path(path, folders, data, create_only=create_only, make=make_folders)


def write_bytes_in(folder: int, path: Path, data: bytes, *, sync: bool = True) -> None:
    """`write_bytes_atomic` into a folder already open: `folder` is a descriptor of
    `path`'s folder, opened without following a link (as `enter_folder` opens one).
    For the thousands of files of a site, which would otherwise walk the same
    folders again for every file; the file itself is written just the same."""
    _replace_in(folder, path, data, create_only=False, sync=sync)


def write_new_in(folder: int, path: Path, data: bytes) -> None:
    """`data` as a new file `path.name` in `folder` (a descriptor, as `write_bytes_in`
    takes), a folder this run made: created exclusively, never over a file or a
    link that stands there (FileExistsError), with a new file's mode; removed again
    if writing fails, and written whole before a signal that ends the process takes
    effect (`_signals_held`). Not flushed."""
    name = path.name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    with _signals_held():
        descriptor = os.open(name, flags, new_file_mode(), dir_fd=folder)
        done = False  # from here on the file is this call's own, to remove if need be
        try:
            _write_all(descriptor, data)
            done = True
        finally:
            os.close(descriptor)
            if not done:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=folder)


# What ends a process by default (and Ctrl-C, which Python turns into an exception):
# held while one file is written, so a `kill`, a closed terminal or a CI job
# cancelled in the middle takes effect once the file is whole or not yet begun,
# never in between (a killed site worker left half-written pages and temporary
# files). Only the thread writing holds them: kontrakt's worker processes have no
# other thread, and its own process with workers running writes only the manifest.
_HELD_SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
    if hasattr(signal, name)
)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows: no signal masks
        yield
        return
    previous = mask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, previous)


_DIR_FD_SUPPORTED = (
    os.open in os.supports_dir_fd
    and os.rename in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and os.mkdir in os.supports_dir_fd
    and bool(_NOFOLLOW)
)


def normal_path(path: Path) -> Path:
    """Absolute, with `..` taken away as written: where a path says it is (whether a
    link leads elsewhere is the walk's to find out)."""
    return Path(os.path.normpath(path.absolute()))


def _folders(path: Path, inside: Path | None) -> tuple[Path, list[str]]:
    """The folder to start from and the folder names below it, down to the target's.

    Inside the portfolio the walk starts at the portfolio; elsewhere (`-o`) at
    the target's own folder, which the user named.
    """
    if inside is None:
        return path.parent, []
    root, target = normal_path(inside), normal_path(path)
    try:
        relative = target.relative_to(root)
    except ValueError:
        raise WriteRefused(
            path, _("it lies outside the portfolio {portfolio}").format(portfolio=inside)
        ) from None
    parts = list(relative.parts)
    if not parts or any(part in ("", ".", "..") for part in parts):
        raise WriteRefused(path, _("it is not a file inside the portfolio"))
    return root, parts[:-1]


def _write_with_dir_fd(
    path: Path,
    start: tuple[Path, list[str]],
    data: bytes,
    *,
    create_only: bool,
    make: bool,
    sync: bool = True,
) -> None:
    root, names = start
    folder = os.open(root, os.O_RDONLY | _DIRECTORY)
    try:
        for name in names:
            inner = enter_folder(folder, name, path, make=make)
            os.close(folder)
            folder = inner
        _replace_in(folder, path, data, create_only=create_only, sync=sync)
    finally:
        os.close(folder)


def enter_folder(folder: int, name: str, path: Path, *, make: bool) -> int:
    """A descriptor of sub-folder `name` of `folder`, opened without following a
    link (made first with `make`, where missing); `path` is the file on the way to
    which it is opened, for the message of a refusal."""
    flags = os.O_RDONLY | _DIRECTORY | _NOFOLLOW
    try:
        try:
            return os.open(name, flags, dir_fd=folder)
        except FileNotFoundError:
            if not make:
                raise
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, 0o755, dir_fd=folder)
            return os.open(name, flags, dir_fd=folder)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR) and _is_link(name, folder):
            raise WriteRefused(path, _(_LINKED_FOLDER).format(folder=name)) from None
        raise


def _is_link(name: str, folder: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except OSError:
        return False


def _target_mode(path: Path, existing: os.stat_result | None, *, create_only: bool) -> int:
    """The mode the written file gets: the existing file's, else a new file's. A link,
    anything but a regular file, or (`create_only`) any file at all is refused."""
    if existing is None:
        return new_file_mode()
    if stat.S_ISLNK(existing.st_mode):
        raise WriteRefused(path, _(_THROUGH_LINK))
    if not stat.S_ISREG(existing.st_mode):
        raise WriteRefused(path, _("it is not a regular file"))
    if create_only:
        raise FileExistsError(errno.EEXIST, "exists already", str(path))
    return stat.S_IMODE(existing.st_mode)


def _replace_in(
    folder: int, path: Path, data: bytes, *, create_only: bool, sync: bool = True
) -> None:
    name = path.name
    try:
        existing = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        existing = None
    mode = _target_mode(path, existing, create_only=create_only)
    with _signals_held():
        _replace_held(folder, name, data, mode, create_only=create_only, sync=sync)


def _replace_held(
    folder: int, name: str, data: bytes, mode: int, *, create_only: bool, sync: bool
) -> None:
    temporaries: list[str] = []  # named before it is made: see _create_temporary
    descriptor = -1
    try:
        descriptor = _create_temporary(folder, name, temporaries)
        temporary = temporaries[-1]
        _write_all(descriptor, data)
        os.fchmod(descriptor, mode)
        if sync:
            os.fsync(descriptor)
        descriptor, closing = -1, descriptor  # never closed twice, whenever a signal comes
        os.close(closing)
        if create_only:
            _link_new(folder, temporary, name, data, mode)
            os.unlink(temporary, dir_fd=folder)
        else:
            os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        temporaries.clear()
        if sync:
            _sync_folder(folder)
    finally:
        if descriptor >= 0:
            os.close(descriptor)
        for temporary in temporaries:  # one at most; gone already if never made
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=folder)


def _link_new(folder: int, temporary: str, name: str, data: bytes, mode: int) -> None:
    """The finished temporary file under its name, failing if the name exists.

    A hard link never replaces a file that appeared meanwhile; where the file
    system has no hard links (FAT, some network shares) the file is created
    exclusively instead, which never overwrites either.
    """
    try:
        os.link(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
    descriptor = os.open(name, flags, mode, dir_fd=folder)
    try:
        _write_all(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _create_temporary(folder: int, name: str, made: list[str]) -> int:
    """A file of an unpredictable name created exclusively, never following a link,
    its name appended to `made` just before it is created: Ctrl-C (or any signal)
    may come between the creation and the return, and the caller's cleanup then
    still finds the file to remove."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(_TRIES):
        made.append(f".{name[:64]}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(made[-1], flags, 0o600, dir_fd=folder)
        except FileExistsError:
            made.pop()  # someone else's file: never removed
            continue
        except OSError:
            made.pop()  # not made: nothing to remove
            raise
    raise FileExistsError(errno.EEXIST, _("no free temporary name"), name)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _sync_folder(folder: int) -> None:
    """Make the rename itself durable; some file systems cannot sync a folder."""
    with contextlib.suppress(OSError):
        os.fsync(folder)


def _write_by_path(  # pragma: no cover - used where dir_fd is missing (Windows)
    path: Path,
    start: tuple[Path, list[str]],
    data: bytes,
    *,
    create_only: bool,
    make: bool,
) -> None:
    import tempfile

    folder, names = start
    for name in names:
        folder = folder / name
        if folder.is_symlink():
            raise WriteRefused(path, _(_LINKED_FOLDER).format(folder=name))
        if make:
            folder.mkdir(exist_ok=True)
    target = folder / path.name
    try:
        existing = target.lstat()
    except FileNotFoundError:
        existing = None
    mode = _target_mode(path, existing, create_only=create_only)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        if create_only:
            os.link(temporary, target)
            temporary.unlink()
        else:
            temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
