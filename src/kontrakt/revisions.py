"""Reading a portfolio as it was at a git revision, without touching the work tree.

The revision's files under the portfolio's folder are read from git's object
database (`git ls-tree`, then one `git cat-file --batch`) and written into a
temporary folder, where the ordinary pipeline loads them. Nothing is checked out
and the user's files are never written. Only regular files are exported: a
symbolic link or a submodule in the revision is left out and reported.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_EXPORT_BYTES = 256 * 1024 * 1024


class GitProblem(Exception):
    """git is missing, the folder is not in a repository, or a revision is unknown."""


@dataclass(frozen=True, slots=True)
class Repository:
    top: Path  # the work tree's top folder
    prefix: PurePosixPath  # the portfolio's folder inside it


def repository(folder: Path) -> Repository:
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    prefix = PurePosixPath(folder.resolve().relative_to(top.resolve()).as_posix())
    return Repository(top, prefix)


def resolve(repo: Repository, revision: str) -> str:
    """The commit a revision names, or GitProblem saying it names none."""
    try:
        return (
            _git(repo.top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitProblem:
        raise GitProblem(f"unknown revision '{revision}'") from None


def default_base(repo: Repository) -> str:
    """The merge base of HEAD with the main branch (main, master or their origin)."""
    for branch in ("main", "origin/main", "master", "origin/master"):
        try:
            return _git(repo.top, "merge-base", "HEAD", branch).decode().strip()
        except GitProblem:
            continue
    raise GitProblem("no main branch to compare with; give the base revision")


@contextmanager
def exported(repo: Repository, commit: str) -> Iterator[tuple[Path, list[str]]]:
    """A temporary folder holding the portfolio as it was at `commit`, and what was left out."""
    listing = _git(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", str(repo.prefix))
    blobs: list[tuple[str, PurePosixPath]] = []
    left_out: list[str] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        path = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
        if kind == "blob" and mode in ("100644", "100755"):
            blobs.append((sha, path))
        else:
            left_out.append(f"{path} (a {'symbolic link' if mode == '120000' else kind})")
    folder = Path(tempfile.mkdtemp(prefix="kontrakt-"))
    try:
        contents = _cat(repo.top, [sha for sha, _ in blobs])
        for (_, path), data in zip(blobs, contents, strict=True):
            relative = path.relative_to(repo.prefix) if repo.prefix.parts else path
            target = folder.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield folder, left_out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _cat(top: Path, shas: list[str]) -> list[bytes]:
    if not shas:
        return []
    output = _git(top, "cat-file", "--batch", stdin="\n".join(shas).encode() + b"\n")
    contents: list[bytes] = []
    position = 0
    total = 0
    for _ in shas:
        header_end = output.index(b"\n", position)
        _sha, _kind, size_text = output[position:header_end].decode().split()
        size = int(size_text)
        total += size
        if total > MAX_EXPORT_BYTES:
            raise GitProblem("the revision's portfolio is larger than 256 MiB")
        start = header_end + 1
        contents.append(output[start : start + size])
        position = start + size + 1  # each object is followed by a newline
    return contents


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitProblem("git is not installed")
    try:
        done = subprocess.run(
            [git, *args], cwd=cwd, input=stdin, capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitProblem(f"git {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitProblem(message[-1] if message else f"git {args[0]} failed")
    return done.stdout
