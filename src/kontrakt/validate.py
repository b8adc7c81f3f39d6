"""Stage 3: each file on its own, against its kind's Pydantic model.

Pydantic's errors become diagnostics at the offending key or value, with
messages that say what to write instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import Any, Generic, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.models import Loc, Ref
from kontrakt.models.common import describe
from kontrakt.source import SourceFile, data_path, value_at

M = TypeVar("M", bound=BaseModel)
Labels = Mapping[str, Mapping[str, str]]

MAX_ERRORS_PER_FILE = 50
_YAML_11_BOOLEANS = frozenset(("yes", "no", "y", "n", "on", "off"))


@dataclass(frozen=True, slots=True)
class Validation(Generic[M]):
    """A file's entity, or None with every reason it is not valid."""

    entity: M | None
    problems: list[Diagnostic]
    # Where in the file the errors are, so that the checks of other files'
    # names (references, vocabularies) run on the rest of an invalid file.
    broken: frozenset[Loc] = frozenset()


@dataclass(frozen=True, slots=True)
class InvalidFile:
    """A file of the portfolio that failed validation: it exists, and the rest
    of it (outside `broken`) still names other entities that can be checked."""

    kind: str
    id: str
    source: SourceFile
    broken: frozenset[Loc]


def validate(
    source: SourceFile,
    model: type[M],
    what: str,
    labels: Labels | None = None,
    refs: tuple[Ref, ...] = (),
) -> Validation[M]:
    """Validate one file against its kind's model.

    `labels` maps each target of `refs` (a vocabulary, "statuses") to its display
    labels, casefolded, and the values to write: so `status: Pågående` is
    answered with "write ongoing".
    """
    if not isinstance(source.data, dict):
        if source.data is not None:
            found = describe(source.data)
        elif source.text.strip():
            found = "nothing (the file has only comments)"
        else:
            found = "nothing (the file is empty)"
        message = f"expected a mapping of keys for {what} (e.g. `title: ...`), found {found}"
        problem = source.diagnostic((), Severity.ERROR, "not-a-mapping", message)
        return Validation(None, [problem])
    try:
        return Validation(model.model_validate(source.data), [])
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=True)
        problems = [
            _diagnostic(source, model, dict(error), labels or {}, refs)
            for error in errors[:MAX_ERRORS_PER_FILE]
        ]
        broken = frozenset(
            tuple(error["loc"])
            if error["type"] == "missing"
            else data_path(source.data, error["loc"])
            for error in errors
        )
        return Validation(None, problems, broken)


def _target_at(refs: tuple[Ref, ...], loc: Loc) -> str | None:
    """What the value at `loc` names, if it is one of the file's references."""
    for ref in refs:
        if len(ref.path) == len(loc) and all(
            step == part or (step == "*" and isinstance(part, int))
            for step, part in zip(ref.path, loc, strict=True)
        ):
            return ref.target
    return None


def _diagnostic(
    source: SourceFile,
    model: type[BaseModel],
    error: dict[str, Any],
    labels: Labels,
    refs: tuple[Ref, ...],
) -> Diagnostic:
    problem = explain(model, error, source.data, labels, refs)
    return source.diagnostic(
        problem.loc, Severity.ERROR, problem.rule, problem.message, at_key=problem.at_key
    )


@dataclass(frozen=True, slots=True)
class Problem:
    """One Pydantic error, worded for the person editing the file."""

    loc: Loc
    rule: str
    message: str
    at_key: bool = False


def explain(
    model: type[BaseModel],
    error: Mapping[str, Any],
    data: Any,
    labels: Labels,
    refs: tuple[Ref, ...],
) -> Problem:
    """What is wrong, where in `data`, and what to write instead."""
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    if kind == "missing":
        return Problem(loc, "missing-key", f"missing required key '{loc[-1]}'")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        here = _model_at(model, loc[:-1])
        hint = _choice_hint(key, here) or _did_you_mean(
            key, list(here.model_fields) if here else []
        )
        return Problem(loc, "unknown-key", f"unknown key '{key}'{hint}", at_key=True)
    value = value_at(data, data_path(data, loc))
    target = _target_at(refs, loc)
    message = _message(error, value, labels.get(target, {}) if target else {})
    return Problem(loc, "invalid-value", message)


def _message(error: Mapping[str, Any], value: Any, labels: Mapping[str, str]) -> str:
    kind: str = error["type"]
    found = describe(value)
    if kind in ("enum", "literal_error", "id_format") and isinstance(value, str):
        key = labels.get(value.casefold())
        if key is not None:
            return f"{found} is the label of '{key}'; write {key}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping (key: value lines), found {found}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), found {found}"
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        options = [option.strip(" '") for option in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        if close:
            return f"{found} is not allowed here; did you mean '{close[0]}'? (one of {expected})"
        return f"{found} is not allowed here; write one of {expected}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {found}"
    if kind in ("bool_type", "bool_parsing"):
        if isinstance(value, str) and value.casefold() in _YAML_11_BOOLEANS:
            meant = "true" if value.casefold() in ("yes", "y", "on") else "false"
            return (
                f"expected true or false, found {found}, which only YAML 1.1 reads as a "
                f"boolean; write {meant}"
            )
        return f"expected true or false, found {found}"
    if kind in ("greater_than", "greater_than_equal"):
        return f"expected a number {error['msg'].removeprefix('Input should be ')}, found {found}"
    if kind == "string_type":
        return f"expected text, found {found}; put it in quotes to keep it as text"
    return str(error["msg"])


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model of the mapping at `loc` inside `model`: its keys are the ones allowed."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None or part not in current.model_fields:
            return None
        current = model_in(current.model_fields[part].annotation)
    return current


def _choice_hint(key: str, model: type[BaseModel] | None) -> str:
    """`decided: yes` means `decision: decided`: a key that is one of a field's choices."""
    for name, info in (model.model_fields if model else {}).items():
        annotation = info.annotation
        # The field itself holds one choice (`Status` or `Status | None`), not a
        # list or mapping of them.
        options = get_args(annotation) if isinstance(annotation, UnionType) else (annotation,)
        for choices in options:
            if (
                isinstance(choices, type)
                and issubclass(choices, Enum)
                and key in {choice.value for choice in choices}
            ):
                return f"; to say it is {key}, write {name}: {key}"
    return ""


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model in an annotation (`Relation` in `list[Relation]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if allowed:
        return f"; allowed keys: {', '.join(allowed)}"
    return ""
