"""Stage 3: each file on its own, against its kind's Pydantic model.

Pydantic's errors become diagnostics at the offending key or value, with
messages that say what to write instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.models.common import describe
from kontrakt.source import SourceFile, data_path, value_at

M = TypeVar("M", bound=BaseModel)

MAX_ERRORS_PER_FILE = 50
_YAML_11_BOOLEANS = frozenset(("yes", "no", "y", "n", "on", "off"))


def validate(
    source: SourceFile, model: type[M], what: str, labels: Mapping[str, str] | None = None
) -> tuple[M | None, list[Diagnostic]]:
    """The file's entity, or None with every reason it is not valid.

    `labels` maps display labels (casefolded) to the values to write, so that
    `status: Pågående` is answered with "write ongoing".
    """
    if not isinstance(source.data, dict):
        if source.data is not None:
            found = describe(source.data)
        elif source.text.strip():
            found = "nothing (the file has only comments)"
        else:
            found = "nothing (the file is empty)"
        message = f"expected a mapping of keys for {what} (e.g. `title: ...`), found {found}"
        return None, [source.diagnostic((), Severity.ERROR, "not-a-mapping", message)]
    try:
        return model.model_validate(source.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False, include_context=True)
        return None, [
            _diagnostic(source, model, dict(error), labels or {})
            for error in errors[:MAX_ERRORS_PER_FILE]
        ]


def _diagnostic(
    source: SourceFile, model: type[BaseModel], error: dict[str, Any], labels: Mapping[str, str]
) -> Diagnostic:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    if kind == "missing":
        key = str(loc[-1])
        return source.diagnostic(
            loc, Severity.ERROR, "missing-key", f"missing required key '{key}'"
        )
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        hint = _did_you_mean(key, allowed)
        return source.diagnostic(
            loc, Severity.ERROR, "unknown-key", f"unknown key '{key}'{hint}", at_key=True
        )
    path = data_path(source.data, loc)
    value = value_at(source.data, path)
    message = _message(error, value, labels)
    return source.diagnostic(loc, Severity.ERROR, "invalid-value", message)


def _message(error: dict[str, Any], value: Any, labels: Mapping[str, str]) -> str:
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


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model`, for did-you-mean hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = model_in(fields[part].annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def model_in(annotation: Any) -> type[BaseModel] | None:
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
