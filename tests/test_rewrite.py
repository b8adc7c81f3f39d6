"""kontrakt.rewrite: the smallest change to a file's text that gives the new data."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import BUNDLED
from kontrakt.fmt import model_for
from kontrakt.models import BudgetLine, Initiative, Meeting, Question
from kontrakt.rewrite import Unchangeable, rewrite
from kontrakt.yamlload import parse

ENTRY = {"date": date(2024, 3, 26), "status": "completed"}


def _with(text: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = parse(text).data
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # the list's own indentation: dash at column 0
            "title: A\nhistory:\n- date: 2024-02-27\n  status: ongoing\norder: 1\n",
            "title: A\nhistory:\n- date: 2024-02-27\n  status: ongoing\n"
            "- date: 2024-03-26\n  status: completed\norder: 1\n",
        ),
        (  # deeper: dash at column 4, content at 6
            "title: A\nhistory:\n    - date: 2024-02-27\n      status: ongoing\n",
            "title: A\nhistory:\n    - date: 2024-02-27\n      status: ongoing\n"
            "    - date: 2024-03-26\n      status: completed\n",
        ),
        (  # a comment that ends the list stays after what it ends
            "title: A\nhistory:\n  - date: 2024-02-27\n    status: ongoing\n    # (more)\n"
            "# about order\norder: 1\n",
            "title: A\nhistory:\n  - date: 2024-02-27\n    status: ongoing\n    # (more)\n"
            "  - date: 2024-03-26\n    status: completed\n# about order\norder: 1\n",
        ),
        (  # an empty flow list becomes a block list
            "title: A\nhistory: []\n",
            "title: A\nhistory:\n  - date: 2024-03-26\n    status: completed\n",
        ),
        (  # an empty flow list with its comment: the comment stays on the key's line
            "title: A\nhistory: []   # newest last\norder: 1\n",
            "title: A\nhistory:   # newest last\n  - date: 2024-03-26\n    status: completed\n"
            "order: 1\n",
        ),
        (  # an empty value with its comment, and a comment line after it
            "title: A\nhistory:  # newest last\n  # (none yet)\norder: 1\n",
            "title: A\nhistory:  # newest last\n  - date: 2024-03-26\n    status: completed\n"
            "  # (none yet)\norder: 1\n",
        ),
        (  # no history yet: after the key before it in the kind's order
            "title: A\nstart: 2024-01-01\norder: 1\n",
            "title: A\nstart: 2024-01-01\nhistory:\n  - date: 2024-03-26\n    status: completed\n"
            "order: 1\n",
        ),
    ],
)
def test_items_go_after_the_last_and_are_indented_like_the_others(before: str, after: str) -> None:
    old = parse(before).data.get("history") or []
    assert rewrite(before, Initiative, _with(before, history=[*old, ENTRY])) == after


def test_a_one_line_value_is_replaced_in_place_keeping_its_comment() -> None:
    before = "title: Q\nraised: 2024-02-27\nanswer:   # to fill in\n"
    after = rewrite(before, Question, _with(before, answer="Ja: visst", answered=date(2024, 3, 1)))
    assert after == (
        "title: Q\nraised: 2024-02-27\nanswer: 'Ja: visst'   # to fill in\nanswered: 2024-03-01\n"
    )


def test_a_block_scalar_is_replaced_whole() -> None:
    before = "title: Q\nraised: 2024-02-27\nanswer: |\n  Ja\n  nej\n# end\n"
    after = rewrite(before, Question, _with(before, answer="Kanske"))
    assert after == "title: Q\nraised: 2024-02-27\nanswer: Kanske\n# end\n"


def test_ids_go_into_a_flow_list_and_other_text_makes_it_a_block() -> None:
    before = "title: Q\ninitiatives: [a, b]  # the two\nraised: 2024-02-27\n"
    assert rewrite(before, Question, _with(before, initiatives=["a", "b", "c-1"])) == (
        "title: Q\ninitiatives: [a, b, c-1]  # the two\nraised: 2024-02-27\n"
    )
    before = "title: Q\npoints: [a]\nraised: 2024-02-27\n"
    assert rewrite(before, Question, _with(before, points=["a", "Ja, nej"])) == (
        "title: Q\npoints:\n  - a\n  - Ja, nej\nraised: 2024-02-27\n"
    )
    before = "title: Q\npoints: [a]  # the first\nraised: 2024-02-27\n"
    assert rewrite(before, Question, _with(before, points=["a", "Ja, nej"])) == (
        "title: Q\npoints:  # the first\n  - a\n  - Ja, nej\nraised: 2024-02-27\n"
    )


def test_a_key_can_go_but_not_with_a_comment() -> None:
    before = "date: 2024-02-27\nkind: k\nvenue: V\ncity: C\n"
    assert rewrite(before, Meeting, _with(before, venue=None)) == (
        "date: 2024-02-27\nkind: k\ncity: C\n"
    )
    before = "date: 2024-02-27\nkind: k\nvenue: V  # old\ncity: C\n"
    with pytest.raises(Unchangeable, match="lose a comment"):
        rewrite(before, Meeting, _with(before, venue=None))


def test_what_cannot_be_changed_safely_is_refused() -> None:
    with pytest.raises(Unchangeable):
        rewrite("{title: A, status: idea}\n", Initiative, {"title": "A", "status": "ongoing"})
    # A comment inside the value that goes would be lost: refused, not dropped.
    before = "title: Q\nraised: 2024-02-27\npoints:\n  # why\n  - a\n"
    with pytest.raises(Unchangeable, match="lose a comment"):
        rewrite(before, Question, _with(before, points=None))


@pytest.mark.parametrize(
    "path", sorted(p for p in BUNDLED.rglob("*.yaml") if p.parent.name in ("budget", "initiatives"))
)
def test_every_bundled_file_takes_the_monthly_changes(path: Path) -> None:
    """Deciding a line and dating a status change work on every real file."""
    text = path.read_text(encoding="utf-8")
    model = model_for(path)
    if model is BudgetLine:
        data = _with(text, decision="decided", decided_on=date(2024, 3, 26))
    else:
        data = _with(text, status="completed")
        data["history"] = [*(data.get("history") or []), ENTRY]
    after = rewrite(text, BudgetLine if model is BudgetLine else Initiative, data)
    assert parse(after).data == parse(rewrite(after, model or Initiative, data)).data
    changed = [line for line in after.splitlines() if line not in text.splitlines()]
    assert 1 <= len(changed) <= 4, changed


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (  # an empty value: the new key goes after it, not after the next key
            "date: 2024-03-26\nkind: k\nstart: '09:00'\nend:\ncity: X\n",
            "date: 2024-03-26\nkind: k\nstart: '09:00'\nend:\nvenue: V\ncity: X\n",
        ),
        (  # an empty value before a list
            "date: 2024-03-26\nkind: k\nend:\ncommunication:\n  - a\n",
            "date: 2024-03-26\nkind: k\nend:\nvenue: V\ncommunication:\n  - a\n",
        ),
    ],
)
def test_a_key_goes_after_an_empty_value(before: str, after: str) -> None:
    assert rewrite(before, Meeting, _with(before, venue="V")) == after


def test_an_item_replaced_keeps_the_comment_after_it() -> None:
    before = (
        "title: A\nstatus: idea\nhistory:\n  - date: 2024-02-27\n    status: idea\n"
        "    # seen in the deck\norder: 1\n"
    )
    entry = {"date": date(2024, 2, 27), "status": "upcoming"}
    after = rewrite(before, Initiative, _with(before, status="upcoming", history=[entry]))
    assert after == (
        "title: A\nstatus: upcoming\nhistory:\n  - date: 2024-02-27\n    status: upcoming\n"
        "    # seen in the deck\norder: 1\n"
    )


def test_a_dash_alone_on_its_line() -> None:
    before = "title: A\nstatus: idea\nhistory:\n  -\n      date: 2024-02-27\n      status: idea\n"
    old = parse(before).data["history"]
    after = rewrite(before, Initiative, _with(before, history=[*old, ENTRY]))
    assert after == before + "  -   date: 2024-03-26\n      status: completed\n"
    assert parse(after).data["history"][1] == {"date": "2024-03-26", "status": "completed"}


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("Larm", "note: Larm"),
        ("Larm, del 2: {x}", "note: 'Larm, del 2: {x}'"),
        ("Jag's, 'quote' # nej", "note: \"Jag's, 'quote' # nej\""),
        ("a\tb", 'note: "a\\tb"'),
        ("[1]", "note: '[1]'"),
    ],
)
def test_an_item_goes_in_the_style_of_its_neighbours(note: str, written: str) -> None:
    """A list of one-line `{…}` items gets one more such item, quoted where a flow
    needs it; a list of block items gets a block item."""
    before = (
        "title: L\namount: 100\nperiod: 2024\nspent:\n"
        "  - {date: 2024-03-15, amount: 40, voucher: V-1}  # first\n"
        '  - {date: 2024-04-30, amount: 50, note: "Larm, april"}\n'
    )
    entry = {"date": "2024-05-02", "amount": 5, "note": note}
    after = rewrite(before, BudgetLine, _with(before, spent=[*parse(before).data["spent"], entry]))
    assert after == before + f"  - {{date: 2024-05-02, amount: 5, {written}}}\n"
    assert parse(after).data["spent"][-1] == entry
    block = "title: L\namount: 100\nperiod: 2024\nspent:\n  - date: 2024-03-15\n    amount: 40\n"
    after = rewrite(block, BudgetLine, _with(block, spent=[*parse(block).data["spent"], entry]))
    assert after.startswith(block + "  - date: 2024-05-02\n    amount: 5\n    note: ")


def test_a_mapping_goes_into_a_one_line_list_of_mappings() -> None:
    """`spent: [{…}, {…}]` stays one line, its comment kept; a value a flow cannot hold
    bare is quoted, and the result reads back as the new data."""
    before = (
        "title: L\namount: 100\nperiod: 2024\n"
        "spent: [{date: 2024-03-15, amount: 40}, {date: 2024-04-30, amount: 50}]  # per kvartal\n"
    )
    entry = {"date": "2024-05-02", "amount": 5, "note": "Larm, maj"}
    new = [*parse(before).data["spent"], entry]
    after = rewrite(before, BudgetLine, _with(before, spent=new))
    assert after == (
        "title: L\namount: 100\nperiod: 2024\n"
        "spent: [{date: 2024-03-15, amount: 40}, {date: 2024-04-30, amount: 50}, "
        "{date: 2024-05-02, amount: 5, note: 'Larm, maj'}]  # per kvartal\n"
    )
    assert parse(after).data["spent"][-1] == entry
    # Over more than one line, the list is written anew as a block.
    spread = "title: L\namount: 100\nperiod: 2024\nspent: [{date: 2024-03-15,\n  amount: 40}]\n"
    after = rewrite(spread, BudgetLine, _with(spread, spent=[*parse(spread).data["spent"], entry]))
    assert after.endswith(
        "spent:\n  - date: 2024-03-15\n    amount: 40\n  - date: 2024-05-02\n"
        "    amount: 5\n    note: Larm, maj\n"
    )


def test_an_item_goes_into_a_one_line_list_that_ends_in_a_comma() -> None:
    """`[a, b,]` and `[{…},]`: the new items go in before `]`, the comma kept."""
    before = "title: Q\ninitiatives: [a, b,]\nraised: 2024-02-27\n"
    assert rewrite(before, Question, _with(before, initiatives=["a", "b", "c"])) == (
        "title: Q\ninitiatives: [a, b, c,]\nraised: 2024-02-27\n"
    )
    before = "title: L\namount: 100\nperiod: 2024\nspent: [{date: 2024-03-15, amount: 40},]\n"
    entry = {"date": "2024-05-02", "amount": 5}
    after = rewrite(before, BudgetLine, _with(before, spent=[*parse(before).data["spent"], entry]))
    assert after == (
        "title: L\namount: 100\nperiod: 2024\n"
        "spent: [{date: 2024-03-15, amount: 40}, {date: 2024-05-02, amount: 5},]\n"
    )
