"""References between files: the names a file gives that must exist.

An entity (an initiative, an event, …) must have its file, an organisation
must be listed in kontrakt.yaml, a vocabulary value must be one of its
vocabulary's keys. `kontrakt new` asks the same before it writes a file, and
link asks it of every file, valid or not (outside the places of its errors).
"""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterable, Set
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from kontrakt.i18n import N_, _
from kontrakt.ids import is_valid_id
from kontrakt.models import FIXED_VOCABULARIES, KINDS_BY_NAME, REFERENCES, SETTINGS_FILE, Loc
from kontrakt.portfolio import Portfolio

# Whole messages for each kind and vocabulary, so that a language can inflect the
# noun (translated with `_()` where used). {hint} is "; did you mean 'x'?" or nothing.
_UNKNOWN_ENTITY = {
    "initiative": N_("unknown initiative '{value}'{hint} (there is no {file})"),
    "budget": N_("unknown budget '{value}'{hint} (there is no {file})"),
    "event": N_("unknown event '{value}'{hint} (there is no {file})"),
    "meeting": N_("unknown meeting '{value}'{hint} (there is no {file})"),
    "news": N_("unknown news '{value}'{hint} (there is no {file})"),
    "question": N_("unknown question '{value}'{hint} (there is no {file})"),
    "action": N_("unknown action '{value}'{hint} (there is no {file})"),
    "indicator": N_("unknown indicator '{value}'{hint} (there is no {file})"),
}
# {known} is "known: a, b" or "none are defined yet"; {vocabulary} the key to add them under.
_UNKNOWN_VALUE = {
    "kinds": N_(
        "unknown initiative kind '{value}'{hint} "
        "({known}; add new ones under {vocabulary} in {file})"
    ),
    "categories": N_(
        "unknown budget category '{value}'{hint} "
        "({known}; add new ones under {vocabulary} in {file})"
    ),
    "purposes": N_(
        "unknown purpose '{value}'{hint} ({known}; add new ones under {vocabulary} in {file})"
    ),
    "phases": N_(
        "unknown budget phase '{value}'{hint} ({known}; add new ones under {vocabulary} in {file})"
    ),
    "event_kinds": N_(
        "unknown event kind '{value}'{hint} ({known}; add new ones under {vocabulary} in {file})"
    ),
    "meeting_kinds": N_(
        "unknown meeting kind '{value}'{hint} ({known}; add new ones under {vocabulary} in {file})"
    ),
    "relations": N_(
        "unknown relation type '{value}'{hint} ({known}; add new ones under {vocabulary} in {file})"
    ),
}
# A display label written where its key belongs.
_LABEL_GIVEN = {
    "kinds": N_("'{value}' is the label of the initiative kind '{key}'; write {key}"),
    "categories": N_("'{value}' is the label of the budget category '{key}'; write {key}"),
    "purposes": N_("'{value}' is the label of the purpose '{key}'; write {key}"),
    "phases": N_("'{value}' is the label of the budget phase '{key}'; write {key}"),
    "event_kinds": N_("'{value}' is the label of the event kind '{key}'; write {key}"),
    "meeting_kinds": N_("'{value}' is the label of the meeting kind '{key}'; write {key}"),
    "relations": N_("'{value}' is the label of the relation type '{key}'; write {key}"),
}


# The references link checks; statuses, alerts and gates are enums, which the model checks.
_CHECKED = {
    kind: tuple(ref for ref in refs if ref.target not in FIXED_VOCABULARIES)
    for kind, refs in REFERENCES.items()
}


@dataclass(frozen=True, slots=True)
class UnknownName:
    """A name in a file that names nothing, and the diagnostic it makes."""

    loc: Loc
    rule: str
    message: str


def all_known(portfolio: Portfolio, kind: str, model: BaseModel) -> bool:
    """Whether every name a valid file's model gives is known: the quick look, for
    every file of the portfolio, before `unknown_names` says where one is not."""
    written = model.__pydantic_fields_set__
    for ref in _CHECKED[kind]:
        if ref.path[0] not in written:
            continue  # most files leave out most keys
        known = _known(portfolio, ref.target)
        for value in ref.values_in(model):
            if isinstance(value, str) and value not in known:
                return False
    return True


def unknown_names(
    portfolio: Portfolio,
    kind: str,
    data: object,
    broken: Set[Loc] = frozenset(),
    invalid: Set[tuple[str, str]] = frozenset(),
) -> list[UnknownName]:
    """The names in a file's `data` (or its valid model) that name nothing: an
    entity with no file (one in `invalid` has a file, with errors of its own: it
    failed validation, or could not be read or parsed), an organisation or a
    vocabulary value kontrakt.yaml does not list. Values inside `broken` are the
    model's to report."""
    unknown: list[UnknownName] = []
    if isinstance(data, BaseModel):  # a valid file's model: its keys are its fields
        written: Container[str] = data.model_fields_set
    elif isinstance(data, dict):
        written = data
    else:
        return unknown
    if isinstance(data, BaseModel) and all_known(portfolio, kind, data):
        return unknown  # every name known: no place in the file is needed
    for ref in _CHECKED[kind]:
        if ref.path[0] not in written:
            continue  # most files leave out most keys
        target = ref.target
        known = _known(portfolio, target)
        for loc, value in ref.found_in(data):
            if not isinstance(value, str) or value in known or not is_valid_id(value):
                continue  # known, or not an id at all: the model reports that
            if (target, value) in invalid or inside(loc, broken):
                continue
            if target in KINDS_BY_NAME:
                folder = KINDS_BY_NAME[target].folder
                rule = "unknown-reference"
                files = [*known, *(name for of, name in invalid if of == target)]
                message = _(_UNKNOWN_ENTITY[target]).format(
                    value=value, hint=_close(value, files), file=f"{folder}/{value}.yaml"
                )
            elif target == "organisations":
                rule = "unknown-reference"
                message = _(
                    "unknown organisation '{value}'{hint} "
                    "(organisations are listed under organisations in {file})"
                ).format(value=value, hint=_close(value, known), file=SETTINGS_FILE)
            else:
                rule = "unknown-vocabulary"
                message = _unknown_value(portfolio, target, value)
            unknown.append(UnknownName(loc, rule, message))
    return unknown


def inside(loc: Loc, broken: Set[Loc]) -> bool:
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
    by_label = {label.casefold(): key for key, label in labels.items()}
    if value.casefold() in by_label:
        key = by_label[value.casefold()]
        return _(_LABEL_GIVEN[vocabulary]).format(value=value, key=key)
    if labels:
        known = _("known: {names}").format(names=", ".join(labels))
    else:
        known = _("none are defined yet")
    return _(_UNKNOWN_VALUE[vocabulary]).format(
        value=value,
        hint=_close(value, labels),
        known=known,
        vocabulary=f"vocabularies.{vocabulary}",
        file=SETTINGS_FILE,
    )


def _close(value: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    # TRANSLATORS: put right after the unknown name, e.g. "unknown initiative 'x'".
    return _("; did you mean '{name}'?").format(name=match[0]) if match else ""
