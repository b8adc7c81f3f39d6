"""JSON Schema for each kind of file, generated from the models, for editors and CI."""

from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from kontrakt.models import KINDS, KINDS_BY_NAME, SETTINGS_FILE, Settings

SETTINGS_KIND = "settings"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_names() -> list[str]:
    return [SETTINGS_KIND, *(kind.name for kind in KINDS)]


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind ('settings' is kontrakt.yaml); KeyError if unknown."""
    if name == SETTINGS_KIND:
        model: Any = Settings
        title = f"kontrakt: {SETTINGS_FILE}"
    else:
        model = KINDS_BY_NAME[name].model
        title = f"kontrakt: {name}"
    schema = model.model_json_schema(mode="validation", schema_generator=_Generator)
    return {"$schema": SCHEMA_DIALECT, **schema, "title": title}


def schema_text(name: str) -> str:
    """One kind's schema as the JSON file editors read."""
    return json.dumps(schema_for(name), ensure_ascii=False, indent=2) + "\n"


class _Generator(GenerateJsonSchema):
    """Pydantic's schemas, but a mapping's keys are checked whole: `organisations:` with
    a key that is not an id is refused, as `check` refuses it.

    Pydantic puts a key's pattern into `patternProperties`, which leaves a key that
    does not match it free, with any value; here every key must match it.
    """

    def dict_schema(self, schema: core_schema.DictSchema) -> JsonSchemaValue:
        json_schema = super().dict_schema(schema)
        patterns = json_schema.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            json_schema["propertyNames"] = {
                **json_schema.get("propertyNames", {}),
                "pattern": pattern,
            }
            json_schema["additionalProperties"] = values
        return json_schema
