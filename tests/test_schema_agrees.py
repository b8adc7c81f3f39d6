"""`kontrakt schema` and `kontrakt check` accept and refuse the same values.

Each value is put into a file of a kind that has a field of that type, and the
file is validated twice: by the kind's model, as `check` does, and by the JSON
Schema `kontrakt schema` gives editors, read as an editor reads it:

- patterns are ECMA-262: `$` is the end of the text (Python's `re` would also
  let it stand before a final line break);
- `integer` is a YAML integer: the YAML language server tells `2024.0`, a float,
  from `2024` (JSON Schema's own rule would count 2024.0 as an integer too);
- `format: date` is asserted, as editors do.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from kontrakt.ids import MAX_ID_LENGTH
from kontrakt.models import KINDS_BY_NAME, Settings
from kontrakt.models.common import WHITE_SPACE
from kontrakt.money import MAX_AMOUNT
from kontrakt.schema import schema_for, schema_names

# --- the editor's reading of a schema ------------------------------------------------


def _ecma_pattern(
    validator: Any, pattern: str, instance: Any, schema: Any
) -> Iterator[SchemaError]:
    """`pattern` as ECMA-262 reads it: `$` (only ever at the end) is the end of the text."""
    if validator.is_type(instance, "string"):
        python = pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern
        if not re.search(python, instance):
            yield SchemaError(f"{instance!r} does not match {pattern!r}")


def _yaml_integer(checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


Editor = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={"pattern": _ecma_pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _yaml_integer),
)


@cache
def _editor(kind: str) -> Any:
    return Editor(schema_for(kind), format_checker=jsonschema.FormatChecker(formats=["date"]))


def _model(kind: str) -> type[BaseModel]:
    return Settings if kind == "settings" else KINDS_BY_NAME[kind].model


def _verdicts(kind: str, document: dict[str, Any]) -> tuple[bool, bool]:
    """(check accepts it, the schema accepts it)."""
    try:
        _model(kind).model_validate(document)
        checked = True
    except ModelError:
        checked = False
    return checked, _editor(kind).is_valid(document)


# --- where each type is: a kind, a file of it without the value, and the value's place --

Place = tuple[str, Callable[[Any], dict[str, Any]]]
PLACES: dict[str, Place] = {
    "Money": ("budget", lambda v: {"title": "A", "period": 2024, "amount": v}),
    "Year": ("budget", lambda v: {"title": "A", "amount": 1, "period": v}),
    "IsoDate": ("news", lambda v: {"title": "A", "date": v}),
    "Time": ("event", lambda v: {"title": "A", "kind": "k", "start": v}),
    "Url": ("event", lambda v: {"title": "A", "kind": "k", "url": v}),
    "Id": ("budget", lambda v: {"title": "A", "amount": 1, "period": 2024, "category": v}),
    "Text": ("question", lambda v: {"raised": "2024-02-27", "title": v}),
    "IdList": ("news", lambda v: {"date": "2024-02-27", "title": "A", "initiatives": v}),
    "Labels": ("settings", lambda v: {"name": "N", "mission": "M", "organisations": v}),
    "Flag": (
        "initiative",
        lambda v: {"title": "A", "milestones": [{"date": "2024-01-01", "title": "M", "done": v}]},
    ),
    "Status": ("initiative", lambda v: {"title": "A", "status": v}),
    "Language": ("settings", lambda v: {"name": "N", "mission": "M", "language": v}),
    "Value": (
        "indicator",
        lambda v: {
            "title": "A",
            "unit": "score",
            "direction": "higher",
            "baseline": {"value": v, "date": "2024-01-01"},
        },
    ),
}

GOOD: dict[str, list[Any]] = {
    "Money": [
        0,
        285000,
        MAX_AMOUNT,
        "285000",
        "285 000 kr",
        "285 000 SEK",
        "285 000 sek",
        "285 000 KR",
        "285\u00a0000\u00a0kr",  # as Babel writes it
        "1\u202f310\u202f000",
        "285_000",
        "285000kr",
        "285000\tkr",
        " 285 000 kr ",
        "285000\n",  # a block value
        "100 tkr",
        "100´",
        "100'",
        "100’",
        "2 mnkr",
        "2 mkr",
        "999 999 999 999 999",
        "999999999999 tkr",
        "999 999 999 mnkr",
    ],
    "Year": [1900, 2024, 2200],
    "IsoDate": ["2024-02-27", "2024-02-29", "0001-01-01", "9999-12-31"],
    "Time": ["00:00", "08:30", "23:59"],
    "Url": [
        "https://example.se/forum",
        "http://example.se",
        "HTTPS://EXAMPLE.SE/Forum?a=1&b=2#c",
        "mailto:asa.oberg@mdu.se",
        "https://exempel.se/väl-mående",
        "https://example.se/" + "a" * 1981,  # 2 000 characters
    ],
    "Id": ["salus-mea", "a", "a1-b2-c3", "x" * MAX_ID_LENGTH],
    "Text": ["Ny pilot", " x ", "x\n", "Måltider\u00a0och möten"],
    "IdList": [[], ["mdu"], ["mdu", "eskilstuna"]],
    "Labels": [{}, {"mdu": "Mälardalens universitet"}, {"a-1": "A", "b": "B"}],
    "Flag": [True, False],
    "Status": ["idea", "ongoing", "stopped"],
    "Language": ["sv", "en"],
    "Value": [0, 12, 12.5, -3, -0.25, 10**15, -(10**15), 1e15],
}

BAD: dict[str, list[Any]] = {
    "Money": [
        -1,
        MAX_AMOUNT + 1,
        285000.0,
        1.5,
        True,
        None,
        [],
        "",
        " ",
        "kr",
        "-5 kr",
        "1,3 mnkr",
        "1.5",
        "28 50 00",
        "1 000000",
        "mycket",
        "285 000 euro",
        "285 000 kr kr",
        "285000\u2003",  # an em space is no blank of an amount
        "\u0662\u0668\u0665",  # Arabic-Indic digits
        "1 000 000 000 000 000",
        "1000000000000 tkr",
        "1 000 000 000 mnkr",
        "0000000000000000",
    ],
    "Year": [1899, 2201, 2024.0, "2024", True, None],
    "IsoDate": [
        "2024-02-30",
        "2023-02-29",
        "27/2",
        "2024-2-27",
        "20240227",
        "2024-02-27T10:00",
        "2024-02-27\n",
        "0000-01-01",
        "２０２４-02-27",
        20240227,
        None,
    ],
    "Time": ["8:30", "24:00", "08.30", "08:60", "08:30\n", "0８:30", 830],
    "Url": [
        "https://a b",
        "https://example.se/a\r\nb",
        "https://a\u00a0b",
        "https://a\ufeffb",
        "https://a\x85b",
        "ftp://x",
        "https://",
        "mailto:",
        "www.example.se",
        "https://example.se/" + "a" * 1982,
        5,
    ],
    "Id": [
        "Salus",
        "salus--mea",
        "-a",
        "a-",
        "å",
        "a_b",
        "",
        "salus-mea\n",
        "x" * (MAX_ID_LENGTH + 1),
        5,
    ],
    "Text": ["", " ", "\n\t", "\u00a0", "\u3000", "\ufeff", "\x85", "\x1c", 5, True, None, []],
    "IdList": [["mdu", "mdu"], ["MDU"], ["mdu", 1], "mdu"],
    "Labels": [
        {"MDU": "Mälardalens universitet"},
        {"a_b": "A"},
        {"x" * (MAX_ID_LENGTH + 1): "A"},
        {"mdu": ""},
        {"mdu": " "},
        {"mdu": 5},
        [],
    ],
    "Flag": ["true", "yes", 1, 0, None],
    "Status": ["Pågående", "IDEA", ""],
    "Language": ["fi", "SV", "", 5],
    "Value": ["12", "12,5", True, None, [], 10**15 + 1, 1e16, -1e16],
}


def _cases(table: dict[str, list[Any]]) -> list[Any]:
    return [
        pytest.param(name, value, id=f"{name}-{index}")
        for name, values in table.items()
        for index, value in enumerate(values)
    ]


@pytest.mark.parametrize(("name", "value"), _cases(GOOD))
def test_both_accept(name: str, value: Any) -> None:
    kind, place = PLACES[name]
    assert _verdicts(kind, place(value)) == (True, True), f"{name}: {value!r}"


@pytest.mark.parametrize(("name", "value"), _cases(BAD))
def test_both_refuse(name: str, value: Any) -> None:
    kind, place = PLACES[name]
    assert _verdicts(kind, place(value)) == (False, False), f"{name}: {value!r}"


def test_a_locale_check_accepts_the_schema_accepts() -> None:
    """The schema cannot list every locale Babel knows; it never refuses one."""
    for locale in ["sv_SE", "en_GB", "de_DE", "fi", "SV_se"]:
        document = {"name": "N", "mission": "M", "locale": locale}
        assert _verdicts("settings", document) == (True, True), locale


# --- any value, not only the ones thought of --------------------------------------


def _agree(name: str, value: Any) -> None:
    kind, place = PLACES[name]
    checked, schema = _verdicts(kind, place(value))
    assert checked == schema, f"{name}: {value!r}: check {checked}, schema {schema}"


MONEY_CHARACTERS = "0123456789 _\u00a0\u202f\u2003\t\n,.-krKRsekSEKtTmMnN´'’"


@given(st.text(alphabet=MONEY_CHARACTERS, max_size=24))
def test_any_written_amount(value: str) -> None:
    _agree("Money", value)


@given(
    st.integers(min_value=0, max_value=10**16),
    st.sampled_from(["", " ", "\u00a0", "\u202f", "_"]),
    st.sampled_from(["", " kr", " SEK", " tkr", "´", " mnkr", "Mkr", " euro"]),
)
def test_any_grouped_amount(number: int, separator: str, unit: str) -> None:
    _agree("Money", f"{number:,}".replace(",", separator) + unit)


@given(st.integers(min_value=-10, max_value=10**16) | st.floats(allow_nan=False))
def test_any_number_as_an_amount(value: float) -> None:
    _agree("Money", value)


@given(st.text(alphabet="0123456789:.\n ", max_size=6))
def test_any_time(value: str) -> None:
    _agree("Time", value)


@given(st.text(alphabet="0123456789-\nT", max_size=12))
def test_any_date(value: str) -> None:
    _agree("IsoDate", value)


@given(st.dates().map(str))
def test_any_calendar_date(value: str) -> None:
    _agree("IsoDate", value)


@given(st.text(alphabet="abz09-_Aå\n", max_size=8))
def test_any_id(value: str) -> None:
    _agree("Id", value)


@given(st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\u00a0", "\u3000", "\ufeff", "x"])))
def test_any_text(value: str) -> None:
    _agree("Text", value)


@given(st.integers(min_value=1800, max_value=2300))
def test_any_year(value: int) -> None:
    _agree("Year", value)


# --- the patterns are ones Python and an editor read alike -----------------------------


def test_white_space_is_what_either_language_calls_white_space() -> None:
    """WHITE_SPACE holds every character Python's str.isspace() or ECMA-262's \\s (its
    WhiteSpace: tab, VT, FF, ZWNBSP and Unicode's Zs; and LineTerminator) call white space,
    and nothing else."""
    ecma = set("\t\u000b\u000c\ufeff\n\r\u2028\u2029")
    one = re.compile(f"[{WHITE_SPACE}]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = char.isspace() or char in ecma or unicodedata.category(char) == "Zs"
        assert bool(one.fullmatch(char)) == expected, f"U+{code:04X}"


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            yield from _patterns(value)
            if key == "patternProperties":
                yield from value
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


@pytest.mark.parametrize("name", schema_names())
def test_patterns_read_alike_in_python_and_ecma_262(name: str) -> None:
    schema = schema_for(name)
    patterns = set(_patterns(schema))
    assert patterns
    for pattern in patterns:
        re.compile(pattern)
        # Unicode classes in Python, ASCII (\d, \w, \b) or other white space (\s) in ECMA.
        assert not re.search(r"\\[dDwWsSbB]", pattern), pattern
        # `$` only at the end, where the editor's reading above turns it into the end.
        assert "$" not in pattern[:-1], pattern
    assert "patternProperties" not in str(schema), "a key outside the pattern would be free"
