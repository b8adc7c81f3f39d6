"""Stages 1-5 in order: the pipeline that turns a folder (or a git revision held
in memory) into a linked Portfolio and every problem found on the way.

`load_portfolio` runs discover -> read -> validate -> link and always returns
every problem it found; the portfolio it returns holds the valid entities, so
views can refuse to run on a portfolio with errors while `check` reports all.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from kontrakt.diagnostics import Diagnostic, FilePath, Severity, error, sorted_diagnostics
from kontrakt.discover import FileRef, discover, discover_listing
from kontrakt.i18n import current, languages, message_language, numbers_in, numbers_locale, speaking
from kontrakt.link import link
from kontrakt.models import (
    FIXED_VOCABULARIES,
    KINDS,
    KINDS_BY_FOLDER,
    KINDS_BY_NAME,
    REFERENCES,
    SETTINGS_FILE,
    Settings,
)
from kontrakt.models.settings import Limits, Vocabularies, default_status_labels
from kontrakt.portfolio import Portfolio
from kontrakt.read import parse_source, read_bytes, too_large
from kontrakt.source import SourceFile
from kontrakt.validate import InvalidFile, LazyLabels, Validation, validate


@dataclass(slots=True)
class Reuse:
    """What one load of a portfolio leaves for the next load of another version of
    it (`kontrakt diff` loads two): each file's parse, and its validation where the
    settings are the same, by its path below the portfolio's folder and its bytes.
    A file both versions hold unchanged is parsed and validated once.

    A hit under another folder name (the work tree beside a git revision) is the
    same result with the file's path put right in it and in its messages."""

    parsed: dict[tuple[str, bytes, str], tuple[SourceFile | None, list[Diagnostic]]] = field(
        default_factory=dict
    )
    validated: dict[tuple[str, bytes, str], Validation[BaseModel]] = field(default_factory=dict)
    # What listing a revision found (its files, and the problems with their names),
    # by its folder's name and the messages' language, its paths and ignore patterns.
    listed: dict[
        tuple[str, tuple[str, ...], tuple[str, ...]], tuple[list[FileRef], list[Diagnostic]]
    ] = field(default_factory=dict)
    parses: int = 0  # how many files were parsed: what a test counts


@dataclass(slots=True)
class LoadResult:
    """What loading found: the portfolio (None if kontrakt.yaml is unusable) and all problems."""

    portfolio: Portfolio | None
    diagnostics: list[Diagnostic]
    files: int
    # The language kontrakt.yaml asks for, if it names one kontrakt speaks (even
    # when the file has other errors): its messages came in it.
    language: str | None = None
    # The day the portfolio was checked as of (link's rules of what is dated after
    # it), for a load of the same portfolio changed (edit.py) to check the same.
    today: date | None = None
    # What this load parsed and validated, where it was asked to keep it: a load of
    # the same portfolio with a file changed (load_changed) then parses that file
    # alone, not all ten thousand again.
    reuse: Reuse | None = None

    @property
    def locale(self) -> str | None:
        """The locale of a valid kontrakt.yaml: the numbers in its messages came in it."""
        return self.portfolio.settings.resolved_locale() if self.portfolio else None

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def load_portfolio(
    root: Path,
    files: Mapping[str, bytes | int] | None = None,
    *,
    reuse: Reuse | None = None,
    today: date | None = None,
) -> LoadResult:
    """Every problem in the portfolio at `root`, and its valid entities, linked.

    `files` holds a portfolio read elsewhere (a git revision): its files' bytes,
    or the size alone of one too large to read, by path below `root`, which is
    then only a name for messages and never read. `reuse` carries parses and
    validations from a load of another version of the portfolio, and to the next.
    `today` is the day the command runs: what is dated after it (spending, a
    measurement) is warned of; without it, nothing is (the core asks no clock).

    The cyclic garbage collector is paused while loading: the data built here has
    no reference cycles to collect, and its repeated passes over thousands of
    files' objects took a fifth of the time (reference counting still frees all).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, _reader(root, files, reuse), reuse, today)
    finally:
        if enabled:
            gc.enable()


# Reading a file's bytes (path, the path below the folder with `/`, size limit) and
# listing the portfolio's files (root, ignore patterns): from disk, or from a
# revision held in memory.
Reader = Callable[[FilePath, str, int], tuple[bytes | None, list[Diagnostic]]]
Lister = Callable[[Path, list[str]], tuple[list[FileRef], list[Diagnostic]]]


def _reader(
    root: Path, files: Mapping[str, bytes | int] | None, reuse: Reuse | None = None
) -> tuple[Reader, Lister]:
    """How to list and read the portfolio's files: from disk, or from `files`
    (listed once for all the revisions in `reuse` that hold the same paths)."""
    if files is None:
        return _from_disk, discover

    def read(
        path: FilePath, relative: str, max_file_size: int
    ) -> tuple[bytes | None, list[Diagnostic]]:
        data = files.get(relative)
        if data is None:
            return None, [error(path, 1, 1, "unreadable", "cannot read file: it is missing")]
        size = data if isinstance(data, int) else len(data)
        if size > max_file_size or isinstance(data, int):
            return None, [too_large(path, max_file_size)]
        return data, []

    def listing(folder: Path, ignore: list[str]) -> tuple[list[FileRef], list[Diagnostic]]:
        if reuse is None:
            return discover_listing(folder, files, ignore)
        # The names' problems are messages: in the language (and numbers) this side speaks.
        place = (f"{folder}\0{_speech()}", tuple(files), tuple(ignore))
        found = reuse.listed.get(place)
        if found is None:
            found = reuse.listed[place] = discover_listing(folder, files, ignore)
        return found

    return read, listing


def _speech() -> str:
    """The messages' language and the locale of their numbers: what a message made
    once may be reused under."""
    return f"{current()} {numbers_locale()}"


def _from_disk(
    path: FilePath, _relative: str, max_file_size: int
) -> tuple[bytes | None, list[Diagnostic]]:
    return read_bytes(path, max_file_size)


def load_changed(
    root: Path,
    changed: Mapping[str, bytes],
    *,
    today: date | None = None,
    reuse: Reuse | None = None,
) -> LoadResult:
    """The portfolio on disk as it would be with `changed` (new bytes by path below
    `root`, new files too) written: what an editing command checks before it writes
    (as of `today`, as load_portfolio; `reuse` from its load of the portfolio as it is,
    so that only the changed files are parsed and validated again)."""
    from kontrakt.discover import classify, portable

    def read(
        path: FilePath, relative: str, max_file_size: int
    ) -> tuple[bytes | None, list[Diagnostic]]:
        data = changed.get(relative)
        if data is None:
            return read_bytes(path, max_file_size)
        if len(data) > max_file_size:
            return None, [too_large(path, max_file_size)]
        return data, []

    def listing(folder: Path, ignore: list[str]) -> tuple[list[FileRef], list[Diagnostic]]:
        refs, problems = discover(folder, ignore)
        listed = {ref.path for ref in refs}
        new = [
            (rel, folder / rel)
            for rel in sorted(changed)
            if folder / rel not in listed and portable(rel)
        ]
        more, more_problems = classify(new)
        return sorted([*refs, *more], key=lambda ref: ref.path), problems + more_problems

    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, (read, listing), reuse, today)
    finally:
        if enabled:
            gc.enable()


def _load(
    root: Path,
    how: tuple[Reader, Lister],
    reuse: Reuse | None = None,
    today: date | None = None,
) -> LoadResult:
    read, listing = how
    problems: list[Diagnostic] = []
    settings_source = _read_settings(root / SETTINGS_FILE, problems, read)
    language = language_of(settings_source)
    with speaking(message_language(language)):
        result = _load_rest(root, listing, read, problems, settings_source, reuse, today)
    result.language = language
    result.today = today
    result.reuse = reuse
    return result


def _load_rest(
    root: Path,
    listing: Lister,
    read: Reader,
    problems: list[Diagnostic],
    settings_source: SourceFile | None,
    reuse: Reuse | None = None,
    today: date | None = None,
) -> LoadResult:
    settings = _validate_settings(settings_source, problems)
    with numbers_in(settings.resolved_locale() if settings is not None else None):
        return _load_files(root, listing, read, problems, settings_source, settings, reuse, today)


def _load_files(
    root: Path,
    listing: Lister,
    read: Reader,
    problems: list[Diagnostic],
    settings_source: SourceFile | None,
    settings: Settings | None,
    reuse: Reuse | None,
    today: date | None,
) -> LoadResult:
    limits = settings.limits if settings is not None else Limits()
    refs, found = listing(root, settings.ignore if settings is not None else [])
    labels = labels_of(settings)
    problems.extend(found)

    # Each kind's valid entities by id, and each one's file: the portfolio's own tables.
    tables: dict[str, dict[str, BaseModel]] = {k.name: {} for k in KINDS}
    sources: dict[tuple[str, str], SourceFile] = {}
    duplicates: list[tuple[str, str, SourceFile]] = []
    invalid: list[InvalidFile] = []
    # (kind, id) of the files that exist but could not be read or parsed: a
    # reference to one is not to a missing file, and a budget line among them is
    # not counted in its frame.
    unread = _listed_apart(root, found)
    # The messages' language, and the locale of their numbers.
    speaks = _speech() if reuse is not None else ""
    files = len(refs) + 1
    # Each file's listing (a FileRef, a relative path) is let go as the file is
    # read, not held until all are: a tenth of a large portfolio's peak memory.
    # (A listing kept for another revision, in `reuse`, stays whole: this is a copy.)
    pending = refs[::-1]
    del refs
    while pending:
        ref = pending.pop()
        where = ref.where  # text: a Path for each file cost as much as reading it
        raw, read_problems = read(where, ref.relative, limits.max_file_size)
        problems.extend(read_problems)
        if raw is None:
            unread.append((ref.kind.name, ref.id))
            continue
        kind = ref.kind.name
        if reuse is None:
            source, parse_problems = parse_source(where, raw)
        else:
            # The same bytes at the same place, in the same language, parse the same.
            place = (ref.relative, raw, speaks)
            source, parse_problems = _parsed(reuse, place, where)
        problems.extend(parse_problems)
        if source is None:
            unread.append((kind, ref.id))
            continue
        if reuse is None or settings_source is None:
            validation = validate(source, ref.kind.model, ref.kind.label, labels, REFERENCES[kind])
        else:
            # ... and validate the same under the same settings.
            settings_place = (place[0], raw, settings_source.text)
            validation = _validated(reuse, settings_place, source, ref, labels)
        problems.extend(validation.problems)
        entity = validation.entity
        if entity is None:
            invalid.append(InvalidFile(kind, ref.id, source, validation.broken))
            continue
        table = tables[kind]
        if ref.id in table:
            duplicates.append((kind, ref.id, source))
            continue
        source.let_go()
        table[ref.id] = entity
        sources[(kind, ref.id)] = source

    portfolio = None
    if settings is not None:
        portfolio = Portfolio(root, settings, sources=sources, settings_source=settings_source)
        for kind, table in tables.items():  # the tables themselves, not copies of them
            setattr(portfolio, KINDS_BY_NAME[kind].folder, table)
        problems.extend(link(portfolio, duplicates, invalid, unread, today))
    return LoadResult(portfolio, sorted_diagnostics(problems), files)


def _parsed(
    reuse: Reuse, place: tuple[str, bytes, str], where: str
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """parse_source, or what it gave for the same bytes at the same place before
    (`where`, the file's path as text, may differ: a work tree beside a revision)."""
    found = reuse.parsed.get(place)
    if found is None:
        reuse.parses += 1
        found = reuse.parsed[place] = parse_source(where, place[1])
    source, problems = found
    if source is not None and source.where != where:
        source = replace(source, where=where)
    return source, _moved(problems, where)


def _validated(
    reuse: Reuse,
    place: tuple[str, bytes, str],
    source: SourceFile,
    ref: FileRef,
    labels: dict[str, Mapping[str, str]],
) -> Validation[BaseModel]:
    """validate, or what it gave for the same bytes under the same settings before."""
    found = reuse.validated.get(place)
    if found is None:
        kind = ref.kind.name
        found = reuse.validated[place] = validate(
            source, ref.kind.model, ref.kind.label, labels, REFERENCES[kind]
        )
    problems = _moved(found.problems, source.where)
    if problems is found.problems:
        return found
    return Validation(found.entity, problems, found.broken)


def _moved(problems: list[Diagnostic], where: FilePath) -> list[Diagnostic]:
    """`problems` found at another path, at `where` (the same list when they are there)."""
    if not problems:
        return problems  # nearly every file: no Path made for it
    path = Path(where)
    if all(problem.path == path for problem in problems):
        return problems
    return [replace(problem, path=path) for problem in problems]


def _listed_apart(root: Path, found: list[Diagnostic]) -> list[tuple[str, str]]:
    """(kind, id) of the YAML files in a kind's folder that the listing reported
    instead of listing (a symbolic link, a `.yml` name, a name a checkout cannot
    hold): they exist, with an error of their own, under the id of their name."""
    apart: list[tuple[str, str]] = []
    for problem in found:
        try:
            parts = problem.path.relative_to(root).parts
        except ValueError:
            continue
        kind = KINDS_BY_FOLDER.get(parts[0]) if len(parts) > 1 else None
        stem, dot, suffix = parts[-1].rpartition(".")
        if kind is not None and dot and suffix in ("yaml", "yml"):
            apart.append((kind.name, stem))
    return apart


def labels_of(settings: Settings | None) -> dict[str, Mapping[str, str]]:
    """For statuses, each vocabulary and the organisations: display labels
    (casefolded) to the value to write. A label that two values share is left
    out: no hint beats a wrong one.

    A status may be written as its default label in any language kontrakt speaks
    (`status: Pågående` in an English portfolio): those labels come from every
    language's catalog, so they are only made when a status is wrong."""

    def statuses() -> dict[str, str]:
        pairs = [
            (label, status.value)
            for language in languages()
            for status, label in default_status_labels(language).items()
        ]
        if settings is not None:
            pairs += [(label, status.value) for status, label in settings.status_labels().items()]
        return _unambiguous(pairs)

    tables: dict[str, Mapping[str, str]] = {"statuses": LazyLabels(statuses)}
    if settings is not None:
        for name in Vocabularies.model_fields:
            if name not in FIXED_VOCABULARIES:
                table: dict[str, str] = getattr(settings.vocabularies, name)
                tables[name] = _unambiguous([(label, key) for key, label in table.items()])
        tables["alerts"] = _unambiguous(
            [(label, alert.value) for alert, label in settings.alert_labels().items()]
        )
        tables["gates"] = _unambiguous(
            [(label, gate.value) for gate, label in settings.gate_labels().items()]
        )
        tables["organisations"] = _unambiguous(
            [(label, key) for key, label in settings.organisations.items()]
        )
    return tables


def _unambiguous(pairs: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    shared: set[str] = set()
    for label, key in pairs:
        folded = label.casefold()
        if found.get(folded, key) != key:
            shared.add(folded)
        found[folded] = key
    return {label: key for label, key in found.items() if label not in shared}


def settings_of(root: Path) -> Settings | None:
    """The portfolio's settings alone, if kontrakt.yaml is valid (for its limits and ignores)."""
    return _validate_settings(_read_settings(root / SETTINGS_FILE, [], _from_disk), [])


def speech_at(root: Path) -> tuple[str | None, str | None]:
    """The language of the portfolio at `root` (see `language_of`), and its locale
    if its kontrakt.yaml is valid: what messages about it come in."""
    source = _read_settings(root / SETTINGS_FILE, [], _from_disk)
    language = language_of(source)
    with speaking(message_language(language)):
        settings = _validate_settings(source, [])
    return language, settings.resolved_locale() if settings is not None else None


def language_of(source: SourceFile | None) -> str | None:
    """The language kontrakt.yaml names, if kontrakt speaks it: read before the file
    is validated, so that its own problems are told in it. A file that names none
    is in the default language."""
    data = source.data if source is not None else None
    if not isinstance(data, dict):
        return None
    language = data.get("language", Settings.model_fields["language"].default)
    return language if isinstance(language, str) and language in languages() else None


def _read_settings(path: Path, problems: list[Diagnostic], read: Reader) -> SourceFile | None:
    raw, read_problems = read(path, SETTINGS_FILE, Limits().max_file_size)
    problems.extend(read_problems)
    if raw is None:
        return None
    source, parse_problems = parse_source(path, raw)
    problems.extend(parse_problems)
    return source


def _validate_settings(source: SourceFile | None, problems: list[Diagnostic]) -> Settings | None:
    if source is None:
        return None
    validation = validate(source, Settings, SETTINGS_FILE)
    problems.extend(validation.problems)
    return validation.entity
