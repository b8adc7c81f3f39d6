"""JSON Schema for each kind of file, generated from the models, for editors and CI."""

from __future__ import annotations

import json
from typing import Any

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
    schema = model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema, "title": title}


def schema_text(name: str) -> str:
    """One kind's schema as the JSON file editors read."""
    return json.dumps(schema_for(name), ensure_ascii=False, indent=2) + "\n"
