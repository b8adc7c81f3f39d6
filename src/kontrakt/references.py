"""References between files: the names a file gives that must exist.

An entity (an initiative, an event, …) must have its file, an organisation
must be listed in kontrakt.yaml, a vocabulary value must be one of its
vocabulary's keys. `kontrakt new` asks the same before it writes a file, and
link asks it of every file, valid or not (outside the places of its errors).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Set
from dataclasses import dataclass
from typing import Any

from kontrakt.ids import is_valid_id
from kontrakt.models import KINDS_BY_NAME, REFERENCES, SETTINGS_FILE, Loc
from kontrakt.portfolio import Portfolio

_VOCABULARY_NAMES = {
    "kinds": "initiative kind",
    "categories": "budget category",
    "purposes": "purpose",
    "phases": "budget phase",
    "event_kinds": "event kind",
    "meeting_kinds": "meeting kind",
    "relations": "relation type",
}


# The references link checks; statuses are an enum, which the model checks.
_CHECKED = {
    kind: tuple(ref for ref in refs if ref.target != "statuses")
    for kind, refs in REFERENCES.items()
}


@dataclass(frozen=True, slots=True)
class UnknownName:
    """A name in a file that names nothing, and the diagnostic it makes."""

    loc: Loc
    rule: str
    message: str


def unknown_names(
    portfolio: Portfolio,
    kind: str,
    data: object,
    broken: Set[Loc] = frozenset(),
    invalid: Set[tuple[str, str]] = frozenset(),
) -> list[UnknownName]:
    """The names in a file's `data` that name nothing: an entity with no file (one
    in `invalid` has a file, with errors of its own), an organisation or a
    vocabulary value kontrakt.yaml does not list. Values inside `broken` are the
    model's to report."""
    unknown: list[UnknownName] = []
    if not isinstance(data, dict):
        return unknown
    for ref in _CHECKED[kind]:
        if ref.path[0] not in data:
            continue  # most files leave out most keys
        target = ref.target
        known = _known(portfolio, target)
        for loc, value in ref.found_in(data):
            if not isinstance(value, str) or value in known or not is_valid_id(value):
                continue  # known, or not an id at all: the model reports that
            if (target, value) in invalid or _inside(loc, broken):
                continue
            if target in KINDS_BY_NAME:
                folder = KINDS_BY_NAME[target].folder
                rule = "unknown-reference"
                files = [*known, *(name for of, name in invalid if of == target)]
                message = (
                    f"unknown {target} '{value}'{_close(value, files)} "
                    f"(there is no {folder}/{value}.yaml)"
                )
            elif target == "organisations":
                rule = "unknown-reference"
                message = (
                    f"unknown organisation '{value}'{_close(value, known)} "
                    f"(organisations are listed under organisations in {SETTINGS_FILE})"
                )
            else:
                rule = "unknown-vocabulary"
                message = _unknown_value(portfolio, target, value)
            unknown.append(UnknownName(loc, rule, message))
    return unknown


def _inside(loc: Loc, broken: Set[Loc]) -> bool:
    """Whether `loc` is at or below a place with an error (a set: never a scan of them)."""
    return bool(broken) and any(loc[:depth] in broken for depth in range(len(loc) + 1))


def _known(portfolio: Portfolio, target: str) -> dict[str, Any]:
    """The names a reference to `target` may give, as keys."""
    if target in KINDS_BY_NAME:
        return portfolio.of_kind(target)
    if target == "organisations":
        return portfolio.settings.organisations
    known: dict[str, str] = getattr(portfolio.settings.vocabularies, target)
    return known


def _unknown_value(portfolio: Portfolio, vocabulary: str, value: str) -> str:
    labels: dict[str, str] = getattr(portfolio.settings.vocabularies, vocabulary)
    what = _VOCABULARY_NAMES[vocabulary]
    by_label = {label.casefold(): key for key, label in labels.items()}
    if value.casefold() in by_label:
        key = by_label[value.casefold()]
        return f"'{value}' is the label of the {what} '{key}'; write {key}"
    known = f"known: {', '.join(labels)}" if labels else "none are defined yet"
    return (
        f"unknown {what} '{value}'{_close(value, labels)} ({known}; add new ones under "
        f"vocabularies.{vocabulary} in {SETTINGS_FILE})"
    )


def _close(value: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""
