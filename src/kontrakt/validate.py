"""Stage 3: each file on its own, against its kind's Pydantic model.

Pydantic's errors become diagnostics at the offending key or value, with
messages that say what to write instead.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any, Generic, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.i18n import N_, _, ngettext, numeral
from kontrakt.models import Loc, Ref
from kontrakt.models.common import DATE_EXPECTED, URL_EXPECTED, describe
from kontrakt.source import SourceFile, data_path, value_at
from kontrakt.yamlload import missing_space

M = TypeVar("M", bound=BaseModel)
Labels = Mapping[str, Mapping[str, str]]


class LazyLabels(Mapping[str, str]):
    """Labels made on first use: those that need every language's catalog are
    only made when a value is wrong and a label could be what was meant."""

    def __init__(self, make: Callable[[], Mapping[str, str]]) -> None:
        self._make = make
        self._made: Mapping[str, str] | None = None

    def _labels(self) -> Mapping[str, str]:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, label: str) -> str:
        return self._labels()[label]

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


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


# One set of field names for all models written with the same keys (see below).
_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def shared_fields_sets(entity: M) -> M:
    """`entity` with each of its models' sets of the fields a file gave shared with
    the other models that gave the same ones.

    Pydantic keeps a set per model (a tenth of a large portfolio's memory, more
    than the values); the models are frozen, so nothing adds to a set, and
    `model_copy` copies it before it changes it.
    """
    stack: list[BaseModel] = [entity]
    while stack:
        node = stack.pop()
        own = node.__pydantic_fields_set__
        shared = _FIELDS_SETS.setdefault(frozenset(own), own)
        if shared is not own:
            object.__setattr__(node, "__pydantic_fields_set__", shared)
        values = node.__dict__
        for name in _nested_fields(type(node)):
            value = values.get(name)
            if isinstance(value, BaseModel):
                stack.append(value)
            elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
                stack.extend(value)
    return entity


@functools.cache
def _nested_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` whose type names a model (alone, in a list, or among
    other types): the only ones `shared_fields_sets` needs to look into."""

    def names_a_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(names_a_model(argument) for argument in get_args(annotation))

    return tuple(
        name for name, field in model.model_fields.items() if names_a_model(field.annotation)
    )


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
            found = _("nothing (the file has only comments)")
        else:
            found = _("nothing (the file is empty)")
        # `what` is a kind's label, marked where it is defined, or a file's name.
        message = _(
            "expected a mapping of keys for {what} (e.g. `title: ...`), found {found}"
        ).format(what=_(what), found=found)
        if isinstance(source.data, str):  # `title:Salus` is text, not a key
            hint = missing_space(source.text, _keys_of(model))
            message += f"; {hint}" if hint else ""
        problem = source.diagnostic((), Severity.ERROR, "not-a-mapping", message)
        return Validation(None, [problem])
    try:
        return Validation(shared_fields_sets(model.model_validate(source.data)), [])
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
    found = source.diagnostic(
        problem.loc, Severity.ERROR, problem.rule, problem.message, at_key=problem.at_key
    )
    value = value_at(source.data, data_path(source.data, problem.loc))
    if problem.rule == "invalid-value" and isinstance(value, str) and ":" in value:
        # `name:Forum` where a mapping (or an id) belongs: a key without its space.
        hint = missing_space(source.text, _keys_of(model), found.line)
        if hint:
            return replace(found, message=f"{found.message}; {hint}")
    return found


@functools.cache
def _keys_of(model: type[BaseModel]) -> frozenset[str]:
    """Every key a file of `model` may have, at any depth."""
    keys: set[str] = set()
    for name, info in model.model_fields.items():
        keys.add(name)
        inner = model_in(info.annotation)
        if inner is not None and inner is not model:
            keys |= _keys_of(inner)
    return frozenset(keys)


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
        return Problem(loc, "missing-key", _("missing required key '{key}'").format(key=loc[-1]))
    if kind == "extra_forbidden":
        key = str(loc[-1])
        here = _model_at(model, loc[:-1])
        return Problem(loc, "unknown-key", _unknown_key(key, here), at_key=True)
    value = value_at(data, data_path(data, loc))
    target = _target_at(refs, loc)
    message = _message(error, value, labels.get(target, {}) if target else {})
    return Problem(loc, "invalid-value", message)


# Pydantic's own errors of a number's bounds: the key of the bound in the
# error's context, and the message.
_BOUNDS = {
    "greater_than": ("gt", N_("expected a number greater than {limit}, found {found}")),
    "greater_than_equal": (
        "ge",
        N_("expected a number greater than or equal to {limit}, found {found}"),
    ),
    "less_than": ("lt", N_("expected a number less than {limit}, found {found}")),
    "less_than_equal": (
        "le",
        N_("expected a number less than or equal to {limit}, found {found}"),
    ),
}


def _message(error: Mapping[str, Any], value: Any, labels: Mapping[str, str]) -> str:
    """Pydantic's error in kontrakt's words: its own errors are worded here, the
    errors of kontrakt's types (`PydanticCustomError`) come worded already."""
    kind: str = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    found = describe(value)
    if kind in ("enum", "literal_error", "id_format") and isinstance(value, str):
        key = labels.get(value.casefold())
        if key is not None:
            return _("{found} is the label of '{key}'; write {key}").format(found=found, key=key)
    if kind in ("model_type", "dict_type", "model_attributes_type", "mapping_type"):
        return _("expected a mapping (key: value lines), found {found}").format(found=found)
    if kind == "list_type":
        return _("expected a list (lines starting with '- '), found {found}").format(found=found)
    if kind in ("enum", "literal_error"):
        return _not_allowed(found, str(value), str(ctx.get("expected", "")))
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size", "finite_number"):
        return _("expected a whole number, found {found}").format(found=found)
    if kind in ("float_type", "float_parsing"):
        return _("expected a number, found {found}").format(found=found)
    if kind in ("bool_type", "bool_parsing"):
        if isinstance(value, str) and value.casefold() in _YAML_11_BOOLEANS:
            meant = "true" if value.casefold() in ("yes", "y", "on") else "false"
            return _(
                "expected true or false, found {found}, which only YAML 1.1 reads as a "
                "boolean; write {meant}"
            ).format(found=found, meant=meant)
        return _("expected true or false, found {found}").format(found=found)
    if kind in _BOUNDS and _BOUNDS[kind][0] in ctx:
        bound, message = _BOUNDS[kind]
        limit = ctx[bound]
        shown = numeral(limit) if isinstance(limit, int | float | Decimal) else limit
        return _(message).format(limit=shown, found=found)
    if kind == "string_type":
        return _("expected text, found {found}; put it in quotes to keep it as text").format(
            found=found
        )
    return _builtin_message(kind, ctx, found) or str(error["msg"])


def _builtin_message(kind: str, ctx: Mapping[str, Any], found: str) -> str | None:
    """More of Pydantic's own errors, for types a model may come to use; None for
    one kontrakt does not word (its own message is kept)."""
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return _(DATE_EXPECTED).format(found=found)
    if kind == "date_from_datetime_inexact":
        return _(
            "expected a date as YYYY-MM-DD (e.g. 2024-02-27), found {found}; "
            "write the date without a time"
        ).format(found=found)
    if kind == "date_past":
        return _("expected a date in the past, found {found}").format(found=found)
    if kind == "date_future":
        return _("expected a date in the future, found {found}").format(found=found)
    if kind == "string_too_short" and "min_length" in ctx:
        if ctx["min_length"] == 1:
            return _("text is empty; write something or remove the key")
        return ngettext(
            "expected text of at least {count} character, found {found}",
            "expected text of at least {count} characters, found {found}",
            ctx["min_length"],
        ).format(count=numeral(ctx["min_length"]), found=found)
    if kind == "string_too_long" and "max_length" in ctx:
        return ngettext(
            "the text is longer than {count} character; shorten it",
            "the text is longer than {count} characters; shorten it",
            ctx["max_length"],
        ).format(count=numeral(ctx["max_length"]))
    if kind == "too_short" and "min_length" in ctx:
        return ngettext(
            "expected at least {count} item, found {actual}",
            "expected at least {count} items, found {actual}",
            ctx["min_length"],
        ).format(count=numeral(ctx["min_length"]), actual=numeral(ctx.get("actual_length", 0)))
    if kind == "too_long" and "max_length" in ctx:
        return ngettext(
            "expected at most {count} item; remove some",
            "expected at most {count} items; remove some",
            ctx["max_length"],
        ).format(count=numeral(ctx["max_length"]))
    if kind in ("url_type", "url_parsing", "url_syntax_violation"):
        return _(URL_EXPECTED).format(found=found)
    if kind == "url_too_long" and "max_length" in ctx:
        return _(
            "the web address is longer than {limit} characters; link to a shorter address"
        ).format(limit=numeral(ctx["max_length"]))
    if kind == "url_scheme" and "expected_schemes" in ctx:
        return _("expected a web address starting with {schemes}, found {found}").format(
            schemes=_either(_options(str(ctx["expected_schemes"]))), found=found
        )
    return None


def _options(expected: str) -> list[str]:
    """The values in Pydantic's `'a', 'b' or 'c'`."""
    return [option.strip(" '") for option in expected.replace(" or ", ", ").split(",")]


def _either(options: list[str]) -> str:
    """`'a', 'b' or 'c'`, in the language speaking."""
    quoted = [f"'{option}'" for option in options]
    if len(quoted) < 2:
        return "".join(quoted)
    return _("{options} or {last}").format(options=", ".join(quoted[:-1]), last=quoted[-1])


def _not_allowed(found: str, value: str, expected: str) -> str:
    options = _options(expected)
    choices = _either(options)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if close:
        return _(
            "{found} is not allowed here; did you mean '{suggestion}'? (one of {choices})"
        ).format(found=found, suggestion=close[0], choices=choices)
    return _("{found} is not allowed here; write one of {choices}").format(
        found=found, choices=choices
    )


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


def _unknown_key(key: str, model: type[BaseModel] | None) -> str:
    """A key the model does not have, and what was meant."""
    field = _choice_of(key, model)
    if field is not None:
        return _("unknown key '{key}'; to say it is {key}, write {field}: {key}").format(
            key=key, field=field
        )
    allowed = list(model.model_fields) if model else []
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return _("unknown key '{key}'; did you mean '{suggestion}'?").format(
            key=key, suggestion=close[0]
        )
    if allowed:
        return _("unknown key '{key}'; allowed keys: {keys}").format(
            key=key, keys=", ".join(allowed)
        )
    return _("unknown key '{key}'").format(key=key)


def _choice_of(key: str, model: type[BaseModel] | None) -> str | None:
    """`decided: yes` means `decision: decided`: the field that has `key` as one of its
    choices, if any."""
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
                return name
    return None


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model in an annotation (`Relation` in `list[Relation]`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = model_in(arg)
        if found is not None:
            return found
    return None
