"""Stage 1: find the portfolio and the files in it.

The portfolio is the folder holding `kontrakt.yaml`: the path given, else the
nearest such folder upward from the working directory, else `./portfolio`.
Each kind lives in its own folder (nested folders are fine); YAML files
anywhere else are reported, so a file in a misspelt folder is never ignored.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kontrakt.diagnostics import SYMLINK_MESSAGE, Diagnostic, error
from kontrakt.errors import KontraktError
from kontrakt.i18n import _
from kontrakt.ids import id_problem, portable_name_problem
from kontrakt.models import KINDS_BY_FOLDER, SETTINGS_FILE, Kind

ENVIRONMENT_VARIABLE = "KONTRAKT_PORTFOLIO"


class PortfolioNotFound(KontraktError):
    """No `kontrakt.yaml` where the user pointed, or anywhere we looked."""


def find_root(given: Path | None, cwd: Path) -> Path:
    """The portfolio folder, or PortfolioNotFound with a message that says where we looked."""
    if given is not None:
        folder = given.parent if given.name == SETTINGS_FILE else given
        if not folder.exists():
            raise PortfolioNotFound(_("{path}: no such file or folder").format(path=given))
        if not (folder / SETTINGS_FILE).is_file():
            raise PortfolioNotFound(
                _(
                    "{folder} is not a portfolio: it has no {file} "
                    "(see docs/format.md for how to start one)"
                ).format(folder=folder, file=SETTINGS_FILE)
            )
        return folder
    for folder in (cwd, *cwd.parents):
        if (folder / SETTINGS_FILE).is_file():
            return _shown(folder, cwd)
    fallback = cwd / "portfolio"
    if (fallback / SETTINGS_FILE).is_file():
        return Path("portfolio")
    raise PortfolioNotFound(
        _(
            "no {file} in {folder} or any folder above it, nor in ./portfolio; "
            "pass the portfolio's folder, or set {variable}"
        ).format(file=SETTINGS_FILE, folder=cwd, variable=ENVIRONMENT_VARIABLE)
    )


def _shown(folder: Path, cwd: Path) -> Path:
    """A path as short as it can be for messages: relative when below cwd."""
    try:
        relative = folder.relative_to(cwd)
    except ValueError:
        return folder
    return relative if relative.parts else Path()


@dataclass(frozen=True, slots=True)
class FileRef:
    """A YAML file of a known kind, with the id its name gives it."""

    where: str  # the file's path, as text (see `path`)
    kind: Kind
    id: str
    relative: str  # the path below the portfolio's folder, with `/`: a revision's name for it

    @property
    def path(self) -> Path:
        """The file's path, made when asked for: every file's FileRef lives through
        loading, and a Path each was a seventh of a large portfolio's memory."""
        return Path(self.where)


def discover(root: Path, ignore: list[str]) -> tuple[list[FileRef], list[Diagnostic]]:
    """Every entity file under `root`, and problems with files that fit nowhere."""
    problems: list[Diagnostic] = []
    found = _yaml_files(root, ignore, problems)
    refs, more = classify(found)
    return refs, problems + more


def discover_listing(
    root: Path, relatives: Iterable[str], ignore: list[str]
) -> tuple[list[FileRef], list[Diagnostic]]:
    """The same for a listing of relative paths (a git revision's files), with hidden
    and ignored entries skipped as the folder walk skips them."""
    found: list[tuple[str, str | Path]] = [
        (relative, os.path.join(root, *relative.split("/")))  # noqa: PTH118 - text, as FileRef keeps it
        for relative in sorted(relatives)
        if relative.endswith((".yaml", ".yml"))
        and _listed(relative, ignore)
        and portable(relative)  # reported where the revision's names are read
    ]
    return classify(found)


def portable(relative: str) -> bool:
    """Whether every name along `relative` can be checked out on every system."""
    return not any(map(portable_name_problem, relative.split("/")))


def _listed(relative: str, ignore: list[str]) -> bool:
    parts = relative.split("/")
    if any(part.startswith(".") for part in parts):
        return False
    prefixes = ("/".join(parts[: index + 1]) for index in range(len(parts)))
    return not ignore or not any(
        fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in ignore
    )


def classify(
    found: Sequence[tuple[str, str | Path]],
) -> tuple[list[FileRef], list[Diagnostic]]:
    """Each YAML file's kind (from its top folder) and id (from its name), or why not.
    `found` holds only names every system can check out (the folder walk and the
    revision's listing leave out, and report, the others)."""
    refs: list[tuple[str, FileRef]] = []
    problems: list[Diagnostic] = []
    for relative, where in found:
        if relative == SETTINGS_FILE:
            continue
        folder, rest = relative.partition("/")[::2]
        name = rest.rpartition("/")[2] or folder
        stem, suffix = name.rpartition(".")[::2]
        if suffix == "yml":
            message = _("rename {name} to {stem}.yaml").format(name=name, stem=stem)
            problems.append(error(Path(where), 1, 1, "file-name", message))
            continue
        kind = KINDS_BY_FOLDER.get(folder) if rest else None
        if kind is None:
            message = _unknown_place(Path(relative))
            problems.append(error(Path(where), 1, 1, "unknown-folder", message))
            continue
        problem = id_problem(stem)
        if problem:
            message = _("file name: {problem}").format(problem=problem)
            problems.append(error(Path(where), 1, 1, "invalid-id", message))
            continue
        refs.append((relative, FileRef(os.fspath(where), kind, stem, relative)))
    refs.sort(key=lambda item: item[0])
    return [ref for _, ref in refs], problems


def _unknown_place(relative: Path) -> str:
    folders = ", ".join(f"{name}/" for name in KINDS_BY_FOLDER)
    if len(relative.parts) == 1:
        return _(
            "{name} is not part of any kind; move it into one of {folders} "
            "(only {file} lives at the top)"
        ).format(name=relative.name, folders=folders, file=SETTINGS_FILE)
    folder = relative.parts[0]
    close = difflib.get_close_matches(folder, list(KINDS_BY_FOLDER), n=1, cutoff=0.6)
    # TRANSLATORS: put before "portfolio files live in ..."; keep the trailing space.
    hint = _("did you mean {folder}/? ").format(folder=close[0]) if close else ""
    return _(
        "unknown folder {folder}/: {hint}portfolio files live in {folders} "
        "(or list the folder under `ignore:` in {file})"
    ).format(folder=folder, hint=hint, folders=folders, file=SETTINGS_FILE)


def _yaml_files(
    root: Path, ignore: list[str], problems: list[Diagnostic]
) -> list[tuple[str, str | Path]]:
    """YAML files below root: hidden entries, ignored patterns and links are skipped,
    and a name no Windows checkout could hold is reported, whatever the file.

    Walks with plain strings (pathlib is slow over thousands of files) and makes a
    Path only for what it returns or reports.
    """
    found: list[tuple[str, str | Path]] = []
    pending = [("", str(root))]
    while pending:
        relative_folder, folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            message = _("cannot read folder: {reason}").format(reason=exc.strerror)
            problems.append(error(Path(folder), 1, 1, "unreadable", message))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            relative = f"{relative_folder}/{name}" if relative_folder else name
            if ignore and any(fnmatch.fnmatch(relative, pattern) for pattern in ignore):
                continue
            is_yaml = name.endswith((".yaml", ".yml"))
            unportable = portable_name_problem(name)
            if unportable is not None:  # any file or folder: Windows could not check it out
                problems.append(error(Path(entry.path), 1, 1, "file-name", unportable))
                continue
            if entry.is_symlink():
                if is_yaml or entry.is_dir():
                    message = _(SYMLINK_MESSAGE)
                    problems.append(error(Path(entry.path), 1, 1, "symlink", message))
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((relative, entry.path))
            elif is_yaml:
                found.append((relative, entry.path))  # read_bytes: regular files only
    return found
