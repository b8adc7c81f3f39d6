"""`kontrakt schema` agrees with the models on the real portfolio and on typos."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from conftest import BUNDLED, FIXTURES
from kontrakt.models import KINDS
from kontrakt.read import read_source
from kontrakt.schema import schema_for

JOURNAL = FIXTURES / "good" / "journal" / "portfolio"
OUTCOMES = FIXTURES / "good" / "outcomes" / "portfolio"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_bundled_file_is_valid_against_its_schema(kind: object) -> None:
    # The bundled portfolio's files, and the journal fixture's (actions, journals,
    # decisions with gates: what the deck does not give).
    folder = kind.folder  # type: ignore[attr-defined]
    validator = jsonschema.Draft202012Validator(schema_for(kind.name))  # type: ignore[attr-defined]
    files = sorted((BUNDLED / folder).rglob("*.yaml")) + sorted((JOURNAL / folder).rglob("*.yaml"))
    files += sorted((OUTCOMES / folder).rglob("*.yaml"))
    assert files
    for path in files:
        source, problems = read_source(path, max_file_size=1 << 20)
        assert source is not None, problems
        errors = [e.message for e in validator.iter_errors(source.data)]
        assert errors == [], path


@pytest.mark.parametrize("root", [BUNDLED, JOURNAL], ids=["bundled", "journal"])
def test_settings_schema_accepts_kontrakt_yaml(root: Path) -> None:
    source, _ = read_source(root / "kontrakt.yaml", max_file_size=1 << 20)
    assert source is not None
    jsonschema.validate(source.data, schema_for("settings"))


def test_schema_knows_journals_actions_and_gates_as_check_does() -> None:
    initiative = jsonschema.Draft202012Validator(schema_for("initiative"))
    entry = {"date": "2024-03-10", "text": "Klart", "alert": "yellow", "progress": 40}
    assert initiative.is_valid({"title": "A", "journal": [entry]})
    assert not initiative.is_valid({"title": "A", "journal": [{**entry, "progress": 101}]})
    assert not initiative.is_valid({"title": "A", "journal": [{**entry, "alert": "orange"}]})
    meeting = jsonschema.Draft202012Validator(schema_for("meeting"))
    decision = {"text": "Till pilot", "gate": "to-pilot"}
    assert meeting.is_valid({"date": "2024-02-27", "kind": "k", "decisions": [decision]})
    wrong = {**decision, "gate": "till-pilot"}
    assert not meeting.is_valid({"date": "2024-02-27", "kind": "k", "decisions": [wrong]})
    action = jsonschema.Draft202012Validator(schema_for("action"))
    assert action.is_valid({"title": "Boka KPR", "owner": "mdu", "due": "2024-03-15"})
    assert not action.is_valid({"title": "Boka KPR", "due": "15/3"})


def test_schema_rejects_typos_and_floats_like_the_models() -> None:
    validator = jsonschema.Draft202012Validator(schema_for("budget"))
    assert not validator.is_valid({"title": "A", "amount": 1, "period": 2024, "titel": "x"})
    assert not validator.is_valid({"title": "A", "amount": 1.5, "period": 2024})
    assert validator.is_valid({"title": "A", "amount": "285 000 kr", "period": 2024})
    assert validator.is_valid(
        {"title": "A", "amount": 1, "period": 2024, "initiatives": ["x", {"initiative": "y"}]}
    )


def test_schema_output_dir_that_cannot_be_written_is_a_message(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kontrakt.cli import app

    blocker = tmp_path / "schemas"
    blocker.write_text("a file where the folder should be\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["schema", "--output-dir", str(blocker)])
    assert (result.exit_code, result.output) == (
        1,
        f"kontrakt: cannot write {blocker}: File exists\n",
    )
