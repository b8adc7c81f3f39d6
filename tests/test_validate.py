"""Stage 3, validate.py: one parsed file against its kind's model, on its own.

`validate` turns Pydantic's errors into diagnostics at the offending key or value
(at most MAX_ERRORS_PER_FILE of them) and records in `broken` where the file is
invalid, so that link can still check the rest; `explain` words one error.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel

from kontrakt.models import REFERENCES, BudgetLine, Initiative, Question, Ref
from kontrakt.read import parse_source
from kontrakt.validate import MAX_ERRORS_PER_FILE, Labels, Problem, Validation, explain, validate

PATH = Path("initiatives/alfa.yaml")


def _validate(
    text: str,
    model: type[BaseModel] = Initiative,
    labels: Labels | None = None,
    refs: tuple[Ref, ...] = (),
) -> Validation[BaseModel]:
    source, problems = parse_source(PATH, text.encode())
    assert source is not None, problems
    return validate(source, model, "an initiative", labels, refs)


def _lines(validation: Validation[BaseModel]) -> list[str]:
    assert validation.entity is None
    assert {d.path for d in validation.problems} == {PATH}
    return sorted(f"{d.line}:{d.column}: {d.message} [{d.rule}]" for d in validation.problems)


def test_a_valid_file_gives_its_entity_with_short_forms_expanded() -> None:
    valid = _validate(
        "title: Alfa\nstatus: ongoing\nrelated: [beta]\n"
        "milestones:\n  - {date: 2024-03-01, title: Start}\n"
    )
    assert (valid.problems, valid.broken) == ([], frozenset())
    assert isinstance(valid.entity, Initiative)
    assert valid.entity.status == "ongoing"
    assert [(r.initiative, r.type) for r in valid.entity.related] == [("beta", None)]
    assert [(m.date, m.done) for m in valid.entity.milestones] == [(date(2024, 3, 1), False)]
    line = _validate("title: R\namount: 285 000 kr\nperiod: 2024\ninitiatives: [a]\n", BudgetLine)
    assert isinstance(line.entity, BudgetLine)
    assert (line.entity.amount, line.entity.decision, line.entity.initiatives[0].share) == (
        285_000,
        "proposed",
        None,
    )


def test_a_missing_key_points_at_the_mapping_that_lacks_it() -> None:
    invalid = _validate("status: idea\nmilestones:\n  - date: 2024-03-01\n    done: true\n")
    assert _lines(invalid) == [
        "1:1: missing required key 'title' [missing-key]",
        "3:5: missing required key 'title' [missing-key]",
    ]
    # Not in the data, the missing keys are broken as Pydantic names them.
    assert invalid.broken == {("title",), ("milestones", 0, "title")}


def test_an_unknown_key_is_reported_at_the_key_with_what_was_meant() -> None:
    invalid = _validate("title: A\nrelated:\n  - {initiative: gamma, notes: x}\nstatsu: idea\n")
    assert _lines(invalid) == [
        "3:25: unknown key 'notes'; did you mean 'note'? [unknown-key]",
        "4:1: unknown key 'statsu'; did you mean 'status'? [unknown-key]",
    ]
    question = _validate("title: Q\nraised: 2024-01-01\nbeskrivning: x\n", Question)
    assert _lines(question) == [
        "3:1: unknown key 'beskrivning'; allowed keys: id, title, points, to, initiatives, "
        "raised, answer, answered [unknown-key]"
    ]
    line = _validate("title: A\namount: 10\nperiod: 2024\nproposed: true\n", BudgetLine)
    assert _lines(line) == [
        "4:1: unknown key 'proposed'; to say it is proposed, write decision: proposed [unknown-key]"
    ]


def test_wrong_types_are_reported_at_their_values() -> None:
    invalid = _validate(
        "title: 12\nstart: 27/2\norder: -1\norganisations: mdu\n"
        "milestones:\n  - {date: 2024-03-01, title: M, done: 1}\nrelated: [Beta]\n"
    )
    assert _lines(invalid) == [
        "1:8: expected text, found the number 12; put it in quotes to keep it as text "
        "[invalid-value]",
        "2:8: expected a date as YYYY-MM-DD (e.g. 2024-02-27), found '27/2' [invalid-value]",
        "3:8: expected a number greater than or equal to 0, found the number -1 [invalid-value]",
        "4:16: expected a list (lines starting with '- '), found 'mdu' [invalid-value]",
        "6:40: expected true or false, found the number 1 [invalid-value]",
        "7:11: 'Beta' is not a valid id: use lowercase a-z, digits and single hyphens "
        "(å, ä, ö become a, a, o); use 'beta' [invalid-value]",
    ]
    # Broken where the data has the value: `Beta` is the short form of {initiative: Beta}.
    assert invalid.broken == {
        ("title",),
        ("start",),
        ("order",),
        ("organisations",),
        ("milestones", 0, "done"),
        ("related", 0),
    }


def test_a_label_hint_needs_the_labels_and_the_reference() -> None:
    text = "title: A\nstatus: Ongoing\n"
    labels = {"statuses": {"ongoing": "ongoing"}}
    hinted = _validate(text, labels=labels, refs=REFERENCES["initiative"])
    assert _lines(hinted) == [
        "2:9: 'Ongoing' is the label of 'ongoing'; write ongoing [invalid-value]"
    ]
    assert _lines(_validate(text, labels=labels)) == [
        "2:9: 'Ongoing' is not allowed here; did you mean 'ongoing'? (one of 'idea', "
        "'upcoming', 'ongoing', 'completed', 'paused' or 'stopped') [invalid-value]"
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [("- title: A\n", "a list"), ("Alfa\n", "'Alfa'"), ("2024\n", "the number 2024")],
)
def test_a_file_that_is_not_a_mapping_says_what_it_is(text: str, found: str) -> None:
    invalid = _validate(text)
    assert _lines(invalid) == [
        "1:1: expected a mapping of keys for an initiative (e.g. `title: ...`), found "
        f"{found} [not-a-mapping]"
    ]
    assert invalid.broken == frozenset()


def _many_unknown_keys(count: int) -> Validation[BaseModel]:
    return _validate("title: A\n" + "".join(f"k{index:02}: 1\n" for index in range(count)))


def test_at_most_fifty_errors_are_reported_but_all_are_broken() -> None:
    invalid = _many_unknown_keys(60)
    assert MAX_ERRORS_PER_FILE == 50
    assert [(d.line, d.rule) for d in invalid.problems] == [
        (line, "unknown-key") for line in range(2, 52)
    ]
    assert invalid.broken == {(f"k{index:02}",) for index in range(60)}


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="errors past MAX_ERRORS_PER_FILE are dropped without a word, unlike decode's "
    "'and N more forbidden characters': the file looks as if 50 fixes would make it valid",
)
def test_errors_past_the_cap_are_counted() -> None:
    problems = _many_unknown_keys(60).problems
    assert len(problems) == MAX_ERRORS_PER_FILE + 1
    assert "10 more" in problems[-1].message


def test_explain_words_one_error_at_its_place() -> None:
    data = {"title": "A", "milestones": [{"date": "2024-01-01"}]}
    missing = {"type": "missing", "loc": ("milestones", 0, "title"), "msg": "Field required"}
    assert explain(Initiative, missing, data, {}, ()) == Problem(
        ("milestones", 0, "title"), "missing-key", "missing required key 'title'"
    )
    extra = {"type": "extra_forbidden", "loc": ("completed",), "msg": "Extra inputs"}
    assert explain(Initiative, extra, {}, {}, ()) == Problem(
        ("completed",),
        "unknown-key",
        "unknown key 'completed'; to say it is completed, write status: completed",
        at_key=True,
    )
    enum = {"type": "enum", "loc": ("decision",), "msg": "", "ctx": {"expected": "'a' or 'b'"}}
    assert explain(BudgetLine, enum, {"decision": "c"}, {}, ()).message == (
        "'c' is not allowed here; write one of 'a' or 'b'"
    )
    # An error kontrakt has no words for keeps Pydantic's (kontrakt's own types word theirs).
    other = {"type": "id_type", "loc": ("kind",), "msg": "expected an id"}
    assert explain(Initiative, other, {"kind": 1}, {}, ()) == Problem(
        ("kind",), "invalid-value", "expected an id"
    )
