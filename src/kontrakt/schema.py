"""JSON Schema for each kind of file, generated from the models, for editors and CI."""

from __future__ import annotations

from typing import Any

from kontrakt.models import KINDS, SETTINGS_FILE, Settings

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
        matches = [kind.model for kind in KINDS if kind.name == name]
        if not matches:
            raise KeyError(name)
        model = matches[0]
        title = f"kontrakt: {name}"
    schema = model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema, "title": title}
