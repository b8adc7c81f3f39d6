"""`kontrakt new`: a new, valid portfolio file, written without overwriting anything.

The entity is validated with its model and against the portfolio's vocabularies
and references before a byte is written; its id comes from the title as a slug
and may never name an existing file or a path outside its folder. The file
starts with a yaml-language-server comment, so an editor validates it while
typing, against schema files kept in the portfolio's hidden .kontrakt/ folder.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from kontrakt.diagnostics import Diagnostic
from kontrakt.errors import KontraktError
from kontrakt.i18n import N_, _
from kontrakt.ids import file_id_problem, slugify
from kontrakt.literal import WrittenFloat
from kontrakt.models import KINDS_BY_NAME, REFERENCES
from kontrakt.models.indicator import yaml_number
from kontrakt.portfolio import Portfolio
from kontrakt.schema import schema_text
from kontrakt.write import write_text_atomic

if TYPE_CHECKING:
    from kontrakt.load import LoadResult

SCHEMA_FOLDER = Path(".kontrakt") / "schema"
_EXISTS = N_("{file} exists already; pass another --id")


class ScaffoldProblem(KontraktError):
    """Why the file cannot be written; the message says what to give instead."""


@dataclass(frozen=True, slots=True)
class NewFile:
    path: Path
    text: str
    kind: str
    root: Path  # the portfolio's folder
    warnings: tuple[Diagnostic, ...] = ()  # what `check` would warn of once it is written


def new_file(
    loaded: LoadResult,
    kind: str,
    values: Mapping[str, object],
    entity_id: str | None = None,
) -> NewFile:
    """The file to write for a new entity of `kind` with `values` (None values left out)
    in the valid portfolio `loaded` (load_portfolio, as of its day), checked with it."""
    portfolio = loaded.portfolio
    assert portfolio is not None  # a portfolio whose kontrakt.yaml is valid
    spec = KINDS_BY_NAME[kind]
    data = {key: value for key, value in values.items() if value not in (None, [], ())}
    entity = _validated(portfolio, kind, data)
    canonical = _canonical(kind, entity)
    _check_names(portfolio, kind, canonical)
    # The id after the values: a wrong date is the problem, not the id made of it.
    key = entity_id or _default_id(kind, canonical)
    problem = file_id_problem(key) if key else _("the title gives no id; pass --id")
    if problem:
        raise ScaffoldProblem(problem)
    path = portfolio.root / spec.folder / f"{key}.yaml"
    if key in portfolio.of_kind(kind) or path.exists():
        raise ScaffoldProblem(_(_EXISTS).format(file=f"{spec.folder}/{key}.yaml"))
    depth = "../" * (len(path.relative_to(portfolio.root).parts) - 1)
    schema = (SCHEMA_FOLDER / f"{kind}.schema.json").as_posix()
    text = f"# yaml-language-server: $schema={depth}{schema}\n" + dump_yaml(canonical)
    return NewFile(path, text, kind, portfolio.root, _checked(loaded, portfolio.root, path, text))


def _checked(before: LoadResult, root: Path, path: Path, text: str) -> tuple[Diagnostic, ...]:
    """The warnings the file brings, once the whole portfolio is checked with it
    as `check` checks it; EditRefused if it brings an error."""
    from kontrakt.diagnostics import Severity
    from kontrakt.edit import EditRefused, brought
    from kontrakt.load import load_changed

    relative = path.relative_to(root).as_posix()
    changed = {relative: text.encode("utf-8")}
    new = brought(before, load_changed(root, changed, today=before.today, reuse=before.reuse))
    errors = [d for d in new if d.severity is Severity.ERROR]
    if errors:
        raise EditRefused(
            _("not written: {file} would fail kontrakt check").format(file=relative), errors
        )
    return tuple(new)


def write_new(file: NewFile) -> Path | None:
    """Write the file, refusing to replace one that appeared meanwhile; the schema
    file when it was written too (new, or changed by a newer kontrakt), else None.

    The schema the file's first line names is refreshed first: if it cannot be
    written (a linked .kontrakt/ folder), nothing is.
    """
    schema = ensure_schema(file.root, file.kind)
    try:
        write_text_atomic(
            file.path, file.text, inside=file.root, create_only=True, make_folders=True
        )
    except FileExistsError:
        raise ScaffoldProblem(_(_EXISTS).format(file=file.path.name)) from None
    return schema


def ensure_schema(root: Path, kind: str) -> Path | None:
    """The kind's JSON Schema in <portfolio>/.kontrakt/schema/, written when it
    changed: its path then, else None.

    The old text is read without following a link: a planted link is refused by
    the write, never read.
    """
    from kontrakt.read import read_bytes

    path = root / SCHEMA_FOLDER / f"{kind}.schema.json"
    text = schema_text(kind)
    current, _problems = read_bytes(path, max_file_size=len(text.encode("utf-8")) + 1)
    if current is not None and current == text.encode("utf-8"):
        return None
    write_text_atomic(path, text, inside=root, make_folders=True)
    return path


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML 1.2 in kontrakt's style: block style, 2-space indents, lists indented;
    numbers as plain decimals (`0.000001`, never `1e-06`)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.Representer = _representer()
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *_: True  # a value twice is written twice
    buffer = StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


@cache
def _representer() -> type[Any]:
    """ruamel's safe representer, writing an exact decimal (an indicator's value) and
    a float as the plain decimals they are: an exponent (`1e-06`) is no number to a
    YAML 1.1 reader, and a person reads `0.000001` as written. A number read from a
    file, carried over by a rewrite, is written as it was (`12.50`)."""
    from ruamel.yaml.representer import SafeRepresenter

    class Plain(SafeRepresenter):
        def represent_decimal(self, data: Decimal) -> Any:
            text = yaml_number(data)
            kind = "float" if "." in text else "int"
            return self.represent_scalar(f"tag:yaml.org,2002:{kind}", text)

        def represent_plain_float(self, data: float) -> Any:
            if not math.isfinite(data):
                return self.represent_float(data)  # .inf, .nan
            text = yaml_number(Decimal(repr(data)))
            if "." not in text:
                text += ".0"  # still a float: 1e16 is 10000000000000000.0
            return self.represent_scalar("tag:yaml.org,2002:float", text)

        def represent_written(self, data: WrittenFloat) -> Any:
            return self.represent_scalar("tag:yaml.org,2002:float", data.text)

    Plain.add_representer(Decimal, Plain.represent_decimal)
    Plain.add_representer(WrittenFloat, Plain.represent_written)
    Plain.add_representer(float, Plain.represent_plain_float)
    return Plain


def _default_id(kind: str, data: dict[str, Any]) -> str:
    if kind == "meeting":
        return f"{data.get('date', '')}-{data.get('kind', '')}"
    if kind == "news":
        return f"{data.get('date', '')}-{slugify(str(data.get('title', '')))}"[:80].rstrip("-")
    return slugify(str(data.get("title", "")))


def _validated(portfolio: Portfolio, kind: str, data: dict[str, Any]) -> BaseModel:
    """The entity, or every problem worded as `check` words it for a file."""
    from kontrakt.load import labels_of
    from kontrakt.validate import explain

    model = KINDS_BY_NAME[kind].model
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        labels = labels_of(portfolio.settings)
        reasons = []
        for error in exc.errors(include_url=False, include_input=False):
            problem = explain(model, error, data, labels, REFERENCES[kind])
            reasons.append(f"{'.'.join(str(part) for part in problem.loc)}: {problem.message}")
        raise ScaffoldProblem("; ".join(reasons)) from None


def _plain(value: Any) -> Any:
    """Enums as their values, recursively; dates stay dates so YAML writes them bare,
    and an indicator's exact decimal stays one, so it is written as given."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _check_names(portfolio: Portfolio, kind: str, data: dict[str, Any]) -> None:
    """Every entity, organisation and vocabulary value the file names must exist."""
    from kontrakt.references import unknown_names

    unknown = [name.message for name in unknown_names(portfolio, kind, data)]
    if unknown:
        raise ScaffoldProblem("; ".join(unknown))


def _canonical(kind: str, entity: BaseModel) -> dict[str, Any]:
    """Plain data in the model's key order: integers for money, dates as dates, and
    lists of links in their short form (`[a, b]`) when they hold nothing but ids."""
    dumped = entity.model_dump(exclude_defaults=True, exclude_none=True)
    fields = KINDS_BY_NAME[kind].model.model_fields
    ordered = {key: _plain(dumped[key]) for key in fields if key in dumped}
    for ref in REFERENCES[kind]:
        if not ref.short:
            continue
        field_name, _sep, key = ref.path
        items = ordered.get(field_name)
        if isinstance(items, list) and all(set(item) == {key} for item in items):
            ordered[field_name] = [item[key] for item in items]
    return ordered
