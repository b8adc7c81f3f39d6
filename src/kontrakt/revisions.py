"""Reading a portfolio as it was at a git revision, in memory, without writing a byte.

The revision's trees are read from git's object database (`git cat-file
--batch`) and walked here, entry by entry, and its YAML blobs are read into
memory for the ordinary pipeline to parse. Nothing is checked out or exported,
so no name in a tree can make kontrakt write anywhere. A tree entry no checkout
could hold safely (`.`, `..`, `.git`, or a name with `/`, `\\` or NUL) is
refused and reported with the revision and the entry; a symbolic link or a
submodule is left out and reported. Trees that repeat a subtree many times (a
"tree bomb" of a few objects and billions of paths) stop at a cap.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kontrakt.diagnostics import printable
from kontrakt.errors import KontraktError, ProblemFound
from kontrakt.i18n import N_, _, numeral
from kontrakt.ids import portable_name_problem
from kontrakt.models.settings import MAX_FILE_SIZE_CEILING

MAX_REVISION_BYTES = 64 * 1024 * 1024
MAX_TREE_ENTRIES = 200_000
MAX_TREE_DEPTH = 64
_BLOB_MODES = frozenset((b"100644", b"100755", b"100664"))
_TREE_MODE = b"40000"


class GitProblem(KontraktError):
    """git is missing, the folder is not in a repository, or a revision is unknown."""


class RevisionProblem(ProblemFound):
    """A revision too large or too deep to read: the message names it and why."""


@dataclass(frozen=True, slots=True)
class Repository:
    top: Path  # the work tree's top folder
    prefix: PurePosixPath  # the portfolio's folder inside it


@dataclass(slots=True)
class Revision:
    """The portfolio's YAML files at one commit, by path below the portfolio's folder."""

    # The content, or the size alone of a file too large to read.
    files: dict[str, bytes | int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # entries refused or left out, and why


def repository(folder: Path) -> Repository:
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    prefix = PurePosixPath(folder.resolve().relative_to(top.resolve()).as_posix())
    return Repository(top, prefix)


def resolve(repo: Repository, revision: str) -> str:
    """The commit a revision names, or GitProblem saying it names none."""
    unknown = _("unknown revision '{revision}'").format(revision=revision)
    if revision.startswith("-"):  # never an option to git
        raise GitProblem(unknown)
    try:
        return (
            _git(repo.top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitProblem:
        raise GitProblem(unknown) from None


@dataclass(frozen=True, slots=True)
class Base:
    """The revision `kontrakt diff` compares with when it is given none, and why."""

    commit: str
    branch: str  # the main branch it was chosen by: main, origin/main, master, …
    # HEAD is on that branch (its merge base with it is HEAD itself, which would show
    # no committed change), so the base is the commit before HEAD.
    previous: bool

    @property
    def label(self) -> str:
        """`main (1a2b3c4)`, or `HEAD~1 (1a2b3c4)` for the commit before HEAD."""
        return f"{'HEAD~1' if self.previous else self.branch} ({self.commit[:7]})"


def default_base(repo: Repository) -> Base:
    """The merge base of HEAD with the main branch (main, master or their origin): what
    a branch changed. On the main branch itself the merge base is HEAD, which answers
    nothing once the change is committed: there, the commit before HEAD (HEAD's first
    parent), what the latest commit changed. A first commit has nothing before it."""
    for branch in ("main", "origin/main", "master", "origin/master"):
        try:
            merge_base = _git(repo.top, "merge-base", "HEAD", branch).decode().strip()
        except GitProblem:
            continue
        if merge_base == resolve(repo, "HEAD"):
            try:
                return Base(resolve(repo, "HEAD~1"), branch, previous=True)
            except GitProblem:
                pass  # the first commit
        return Base(merge_base, branch, previous=False)
    raise GitProblem(_("no main branch to compare with; give the base revision"))


class Objects:
    """Objects read from git, by id, each read once: two revisions of a portfolio
    share most of their folders and files (`kontrakt diff` reads both)."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self._read: dict[str, tuple[str, bytes]] = {}
        # What a tree at a place holds, sorted for the walk (_walk).
        self.folders: dict[tuple[str, str], _Folder] = {}

    def cat(self, shas: list[str]) -> list[tuple[str, bytes]]:
        """(kind, content) of each object, in order, as `_cat` gives them."""
        wanted = [sha for sha in dict.fromkeys(shas) if sha not in self._read]
        self._read.update(zip(wanted, _cat(self.top, wanted), strict=True))
        return [self._read[sha] for sha in shas]

    def sizes(self, shas: list[str]) -> dict[str, int]:
        """The size of each object that is a file, as `_sizes` gives them."""
        known = {sha: self._read[sha] for sha in shas if sha in self._read}
        sizes = {sha: len(data) for sha, (kind, data) in known.items() if kind == "blob"}
        sizes.update(_sizes(self.top, [sha for sha in shas if sha not in known]))
        return sizes


def read_revision(
    repo: Repository, commit: str, label: str, objects: Objects | None = None
) -> Revision:
    """The portfolio's YAML files at `commit`, read into memory; `label` names the
    revision in what is reported. `objects` may hold what an earlier revision read."""
    objects = objects if objects is not None else Objects(repo.top)
    revision = Revision()
    root = _portfolio_tree(repo, commit, label)
    if root is None:
        revision.notes.append(
            _("{revision}: there is no {folder}/ folder at this revision").format(
                revision=label, folder=repo.prefix
            )
        )
        return revision
    blobs = _walk(objects, root, label, revision.notes)
    sizes = objects.sizes(sorted({sha for sha, _ in blobs}))
    for sha, path in blobs:
        if sha not in sizes:
            revision.notes.append(f"{label}: {printable(path)}: {_(_MISSING)}")
    blobs = [(sha, path) for sha, path in blobs if sha in sizes]
    readable = {sha for sha, size in sizes.items() if size <= MAX_FILE_SIZE_CEILING}
    # Counted per path, as the pipeline parses each: one blob named by many paths
    # (a tree bomb) weighs as much as that many files.
    if sum(sizes[sha] for sha, _ in blobs if sha in readable) > MAX_REVISION_BYTES:
        raise RevisionProblem(
            _("{revision}: the portfolio's files are larger than {size} MiB in all").format(
                revision=label, size=numeral(MAX_REVISION_BYTES // (1024 * 1024))
            )
        )
    wanted = sorted(readable)
    contents = {sha: data for sha, (_, data) in zip(wanted, objects.cat(wanted), strict=True)}
    for sha, path in blobs:
        data = contents.get(sha)
        revision.files[path] = data if data is not None else sizes[sha]
    return revision


_MISSING = N_("refused: it names no file that is in the repository")


def _portfolio_tree(repo: Repository, commit: str, label: str) -> str | None:
    where = f"{commit}:{repo.prefix}" if repo.prefix.parts else f"{commit}^{{tree}}"
    try:
        found = _git(repo.top, "rev-parse", "--verify", "--quiet", where)
    except GitProblem:
        return None
    sha = found.decode().strip()
    kind = _git(repo.top, "cat-file", "-t", sha).decode().strip()
    if kind != "tree":
        raise RevisionProblem(
            _("{revision}: {folder} is not a folder at this revision").format(
                revision=label, folder=repo.prefix
            )
        )
    return sha


@dataclass(frozen=True, slots=True)
class _Folder:
    """What one tree holds for the walk: its subtrees and YAML files (with their
    paths below the portfolio), the notes on entries left out, and how many
    entries it has."""

    trees: list[tuple[str, str]]
    blobs: list[tuple[str, str]]
    notes: list[str]
    entries: int


def _walk(objects: Objects, root: str, label: str, notes: list[str]) -> list[tuple[str, str]]:
    """(blob, path) for every YAML file below the tree `root`, breadth first.

    A folder the other revision has too, unchanged and without notes, is taken
    as it was listed there."""
    blobs: list[tuple[str, str]] = []
    level: list[tuple[str, str]] = [(root, "")]
    width = len(root) // 2  # bytes of an object id: 20 (SHA-1) or 32 (SHA-256)
    entries = 0
    depth = 0
    while level:
        depth += 1
        if depth > MAX_TREE_DEPTH:
            raise RevisionProblem(
                _("{revision}: the portfolio's folders nest deeper than {depth}").format(
                    revision=label, depth=numeral(MAX_TREE_DEPTH)
                )
            )
        following: list[tuple[str, str]] = []
        distinct = sorted({sha for sha, folder in level if (sha, folder) not in objects.folders})
        raw = zip(distinct, objects.cat(distinct), strict=True)
        trees = {sha: (kind, _entries(data, width)) for sha, (kind, data) in raw}
        for tree, folder in level:
            found = objects.folders.get((tree, folder))
            if found is None:
                kind, listed = trees[tree]
                # Counted before its entries are looked at: a tree of millions stops here.
                _within_cap(entries + (len(listed) if kind == "tree" else 0), label)
                found = _folder(kind, listed, folder, label)
                if not found.notes:  # the notes name their revision
                    objects.folders[(tree, folder)] = found
            entries += found.entries
            _within_cap(entries, label)
            following += found.trees
            blobs += found.blobs
            notes += found.notes
        level = following
    return blobs


def _within_cap(entries: int, label: str) -> None:
    if entries > MAX_TREE_ENTRIES:
        raise RevisionProblem(
            _("{revision}: the portfolio holds more than {count} entries").format(
                revision=label, count=numeral(MAX_TREE_ENTRIES)
            )
        )


def _folder(kind: str, listed: list[tuple[bytes, bytes, str]], folder: str, label: str) -> _Folder:
    """One tree's entries sorted into subtrees, YAML files and notes."""
    found = _Folder([], [], [], len(listed) if kind == "tree" else 0)
    if kind != "tree":
        where = printable(folder) or "."
        if kind == "missing":
            why = _(_MISSING)
        else:
            why = _("refused: it is a {kind}, not a folder").format(kind=kind)
        found.notes.append(f"{label}: {where}: {why}")
        return found
    for mode, name, sha in listed:
        shown = _shown(name)
        path = f"{printable(folder)}/{shown}" if folder else shown
        refusal = entry_problem(name)
        if refusal is not None:
            found.notes.append(
                _("{revision}: tree entry '{path}' refused: {reason}").format(
                    revision=label, path=path, reason=refusal
                )
            )
            continue
        if name.startswith(b"."):
            continue  # hidden: the pipeline skips it, so it is not read
        text = name.decode("utf-8", "surrogateescape")
        inner = f"{folder}/{text}" if folder else text
        unportable = portable_name_problem(text)
        if unportable is not None:
            found.notes.append(f"{label}: {path}: {unportable}")
            continue
        if mode == _TREE_MODE:
            found.trees.append((sha, inner))
        elif mode in _BLOB_MODES:
            if text.endswith((".yaml", ".yml")):
                found.blobs.append((sha, inner))
        else:
            if mode == b"120000":
                what = _("a symbolic link")
            elif mode == b"160000":
                what = _("a submodule")
            else:
                what = _("not a regular file")
            found.notes.append(
                _("{revision}: {path} ({what}): left out, not a regular file").format(
                    revision=label, path=path, what=what
                )
            )
    return found


def entry_problem(name: bytes) -> str | None:
    """Why a tree entry's name is refused; None for an ordinary name."""
    if name in (b"", b".", b".."):
        return _("a name that points at a folder itself")
    if name.lower().rstrip(b". ") in (b".git", b"git~1"):
        return _("git's own folder cannot be part of a portfolio")
    for char, what in ((b"/", "'/'"), (b"\\", "'\\'"), (b"\0", "NUL")):
        if char in name:
            return _("a name holding {character}").format(character=what)
    return None


def _shown(name: bytes) -> str:
    return name.decode("utf-8", "replace")


def _entries(data: bytes, width: int) -> list[tuple[bytes, bytes, str]]:
    """(mode, name, object id) of each entry of a raw tree object; what cannot be
    read as entries (not a tree, or a damaged one) ends the list."""
    found: list[tuple[bytes, bytes, str]] = []
    position = 0
    while position < len(data):
        space = data.find(b" ", position)
        end = data.find(b"\0", space + 1) if space >= 0 else -1
        if end < 0 or end + 1 + width > len(data):
            break
        mode, name = data[position:space], data[space + 1 : end]
        found.append((mode, name, data[end + 1 : end + 1 + width].hex()))
        position = end + 1 + width
    return found


def _sizes(top: Path, shas: list[str]) -> dict[str, int]:
    """The size of each object that is a file; a missing one, or one that is no
    file, is left out (and reported by the caller)."""
    if not shas:
        return {}
    output = _git(top, "cat-file", "--batch-check", stdin="\n".join(shas).encode() + b"\n")
    sizes: dict[str, int] = {}
    for line in output.decode().splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == "blob":
            sizes[fields[0]] = int(fields[2])
    return sizes


def _cat(top: Path, shas: list[str]) -> list[tuple[str, bytes]]:
    """(kind, content) of each object, in order; ("missing", b"") for one git lacks."""
    if not shas:
        return []
    output = _git(top, "cat-file", "--batch", stdin="\n".join(shas).encode() + b"\n")
    contents: list[tuple[str, bytes]] = []
    position = 0
    for _sha in shas:
        header_end = output.index(b"\n", position)
        fields = output[position:header_end].decode().split()
        if len(fields) != 3:  # `<sha> missing`
            contents.append(("missing", b""))
            position = header_end + 1
            continue
        size = int(fields[2])
        start = header_end + 1
        contents.append((fields[1], output[start : start + size]))
        position = start + size + 1  # each object is followed by a newline
    return contents


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitProblem(_("git is not installed"))
    try:
        done = subprocess.run(
            [git, *args], cwd=cwd, input=stdin, capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitProblem(
            _("git {command} failed: {reason}").format(command=args[0], reason=exc)
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        # git's own words stay in the language git speaks.
        failed = _("git {command} failed").format(command=args[0])
        raise GitProblem(message[-1] if message else failed)
    return done.stdout
