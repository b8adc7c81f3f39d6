"""One change to one portfolio file, made the way a careful person would make it.

The editing commands (`set-status`, `decide`, `answer`, `add-part`, `move`)
each change a file's data; this module does the rest, the same for all:

1. find the file by kind and id (a typo gets a did-you-mean);
2. refuse a file that has problems of its own (`kontrakt check` shows them);
3. rewrite its text with the smallest change (kontrakt.rewrite: comments,
   quoting and layout stay, the result is proved to mean the new data);
4. check the whole portfolio as it would be, with the rules `check` uses, and
   refuse if the change brings an error, at its file and line;
5. write atomically through the one write helper, unless the file changed
   meanwhile.

Nothing is written until every step has passed.
"""

from __future__ import annotations

import copy
import difflib
import stat
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from kontrakt.changes import Change
from kontrakt.decode import decode
from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.discover import discover
from kontrakt.errors import KontraktError, ProblemFound
from kontrakt.i18n import N_, _
from kontrakt.load import LoadResult, load_changed
from kontrakt.models import KINDS_BY_NAME
from kontrakt.read import read_bytes
from kontrakt.rewrite import Unchangeable, rewrite, same_data
from kontrakt.write import write_text_atomic

_BOM = "\ufeff"
_CHANGED = N_("{file} changed while kontrakt worked on it; run the command again")


class EditRefused(ProblemFound):
    """The change (an edit, a new file) would make the portfolio fail `check`, or
    cannot be made: the message, and the problems at their lines."""

    def __init__(self, message: str, problems: list[Diagnostic]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Edit:
    """A change worked out and checked, ready to write."""

    root: Path
    path: Path
    before: bytes
    text: str
    warnings: list[Diagnostic]  # warnings the change brings; it is made all the same
    entity: BaseModel  # as it will be
    changed: bool  # False: the file says so already, and is left as it is


def plan(root: Path, loaded: LoadResult, kind: str, entity_id: str, change: Change) -> Edit:
    """The file of `kind` named `entity_id` in the portfolio `loaded` from `root`,
    with `change` made and checked; nothing written."""
    portfolio = loaded.portfolio
    if portfolio is None:
        raise EditRefused(
            _("kontrakt.yaml has errors; fix them first (kontrakt check)"),
            [d for d in loaded.diagnostics if d.severity is Severity.ERROR],
        )
    path = locate(root, kind, entity_id, loaded)
    relative = path.relative_to(root).as_posix()
    own = [d for d in loaded.diagnostics if d.path == path and d.severity is Severity.ERROR]
    entity = portfolio.of_kind(kind).get(entity_id)
    if own or entity is None:
        raise EditRefused(
            _("{file} has problems of its own; fix them first (kontrakt check)").format(
                file=relative
            ),
            own,
        )
    source = portfolio.sources[(kind, entity_id)]
    raw, problems = read_bytes(path, portfolio.settings.limits.max_file_size)
    if raw is None:
        raise EditRefused(_("cannot read {file}").format(file=relative), problems)
    read, _decoded = decode(path, raw)
    if read != source.text:  # saved since it was checked: the change would undo that
        raise ProblemFound(_(_CHANGED).format(file=relative))
    if _mixed_endings(source.text):
        raise EditRefused(
            _(
                "{file} mixes line endings (LF and CRLF); kontrakt fmt makes them one, "
                "then run the command again"
            ).format(file=relative),
            [],
        )
    new_data = change(copy.deepcopy(source.data), entity)
    check_text(new_data)
    if same_data(new_data, source.data):
        return Edit(root, path, raw, source.text, [], entity, changed=False)
    try:
        text = rewrite(source.text, KINDS_BY_NAME[kind].model, new_data)
    except Unchangeable as exc:
        raise EditRefused(
            _(
                "cannot change {file} without touching the rest of it ({reason}); change it by hand"
            ).format(file=relative, reason=exc),
            [],
        ) from None
    if raw.startswith(_BOM.encode("utf-8")):
        text = _BOM + text
    after = load_changed(
        root, {relative: text.encode("utf-8")}, today=loaded.today, reuse=loaded.reuse
    )
    new = brought(loaded, after)
    errors = [d for d in new if d.severity is Severity.ERROR]
    if errors:
        raise EditRefused(
            _("not written: the change would make {file} fail kontrakt check").format(
                file=relative
            ),
            errors,
        )
    entity = after.portfolio.of_kind(kind).get(entity_id) if after.portfolio else None
    assert entity is not None  # no new error, so the entity is valid
    return Edit(root, path, raw, text, new, entity, changed=True)


def write(edit: Edit) -> None:
    """Write the change, unless the file changed since it was read or is read-only."""
    relative = edit.path.relative_to(edit.root).as_posix()
    now, _problems = read_bytes(edit.path, len(edit.before) + 1)
    if now != edit.before:
        raise ProblemFound(_(_CHANGED).format(file=relative))
    if not edit.path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ProblemFound(
            _("{file} is read-only; make it writable to change it").format(file=relative)
        )
    write_text_atomic(edit.path, edit.text, inside=edit.root)


def locate(root: Path, kind: str, entity_id: str, loaded: LoadResult | None = None) -> Path:
    """The file of `kind` named `entity_id`, or a KontraktError with the closest ids."""
    portfolio = loaded.portfolio if loaded else None
    if portfolio is not None and (kind, entity_id) in portfolio.sources:
        return portfolio.sources[(kind, entity_id)].path  # found as it was loaded
    settings = portfolio.settings if portfolio is not None else None
    refs, problems = discover(root, settings.ignore if settings is not None else [])
    ids = {ref.id: ref.path for ref in refs if ref.kind.name == kind}
    if entity_id in ids:
        return ids[entity_id]
    folder = KINDS_BY_NAME[kind].folder
    for problem in problems:  # there, but not a file kontrakt reads (a link, for one)
        if problem.path.stem == entity_id and problem.path.parent.name == folder:
            raise KontraktError(f"{folder}/{problem.path.name}: {problem.message}")
    close = difflib.get_close_matches(entity_id, list(ids), n=3, cutoff=0.5)
    folded = [known for known in ids if known.casefold() == entity_id.casefold()]
    hint = folded[:1] or close
    elsewhere = [ref for ref in refs if ref.id == entity_id]
    message = _("there is no {folder}/{id}.yaml").format(folder=folder, id=entity_id)
    if hint:
        message += _("; did you mean {ids}?").format(ids=", ".join(hint))
    elif elsewhere:
        message += _("; {file} has that id: {what}").format(
            file=elsewhere[0].path.relative_to(root).as_posix(), what=_(elsewhere[0].kind.label)
        )
    else:
        message += _("; kontrakt status lists what there is")
    raise KontraktError(message)


def check_text(data: object) -> None:
    """Refuse text a portfolio file cannot hold (a control character, a line
    separator) before it is written anywhere, naming it."""
    from kontrakt.decode import first_forbidden

    if isinstance(data, dict):
        for value in data.values():
            check_text(value)
    elif isinstance(data, list):
        for value in data:
            check_text(value)
    elif isinstance(data, str):
        found = first_forbidden(data)
        if found is not None:
            raise KontraktError(
                _(
                    "the text given has a character a portfolio file cannot hold: {character}"
                ).format(character=found)
            )


def _key(diagnostic: Diagnostic) -> tuple[Path, str, str, Severity]:
    """A problem as it stays when lines move: where, which rule, what it says."""
    return (diagnostic.path, diagnostic.rule, diagnostic.message, diagnostic.severity)


def brought(before: LoadResult, after: LoadResult) -> list[Diagnostic]:
    """The problems `after` has that `before` did not (as many times as it has more)."""
    from collections import Counter

    had = Counter(_key(d) for d in before.diagnostics)
    found: list[Diagnostic] = []
    for diagnostic in after.diagnostics:
        key = _key(diagnostic)
        if had[key] > 0:
            had[key] -= 1
        else:
            found.append(diagnostic)
    return found


def _mixed_endings(text: str) -> bool:
    """Whether lines end in more than one way: a rewrite would make them one."""
    crlf = text.count("\r\n")
    return (
        len(
            {
                kind
                for kind, count in (
                    ("crlf", crlf),
                    ("lf", text.count("\n") - crlf),
                    ("cr", text.count("\r") - crlf),
                )
                if count
            }
        )
        > 1
    )
