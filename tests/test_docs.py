"""The examples in docs/format.md are complete and valid for their kind."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from kontrakt.models import KINDS, Settings
from kontrakt.yamlload import parse

FORMAT = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
SECTION = re.compile(r"^## (?P<heading>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M)
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)


def _examples() -> dict[str, str]:
    found: dict[str, str] = {}
    for section in SECTION.finditer(FORMAT):
        heading, body = section["heading"], section["body"]
        blocks = YAML_BLOCK.findall(body)
        if "`kontrakt.yaml`" in heading:
            found["settings"] = blocks[0]
        for kind in KINDS:
            if f"`{kind.folder}/<id>.yaml`" in heading:
                found[kind.name] = blocks[0]
    return found


EXAMPLES = _examples()


def test_every_kind_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(["settings", *(kind.name for kind in KINDS)])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_is_valid_and_uses_every_key(name: str) -> None:
    model = Settings if name == "settings" else next(k.model for k in KINDS if k.name == name)
    data = parse(EXAMPLES[name]).data
    model.model_validate(data)  # raises if the example is not valid
    top_level_keys = set(model.model_fields) - {"id"}
    assert set(data) == top_level_keys, "the example should show every key of its kind"
