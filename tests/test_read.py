"""The safe loader on its own: YAML 1.2 scalars, positions, and what it refuses."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kontrakt.yamlload import YamlProblem, parse


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: 12", 12),
        ("v: -7", -7),
        ("v: 0o17", 15),
        ("v: 0x1F", 31),
        ("v: 1.5", 1.5),
        ("v: true", True),
        ("v: False", False),
        ("v: ~", None),
        ("v:", None),
        ("v: null", None),
        # YAML 1.1 spellings are text in YAML 1.2.
        ("v: yes", "yes"),
        ("v: no", "no"),
        ("v: on", "on"),
        ("v: 08:30", "08:30"),
        ("v: 2024-02-27", "2024-02-27"),
        ("v: 285_000", "285_000"),
        ("v: '12'", "12"),
        ('v: "true"', "true"),
        ("v: |\n  a\n  b\n", "a\nb\n"),
        ("v: 100´", "100´"),
    ],
)
def test_scalars_follow_yaml_1_2_core(text: str, value: object) -> None:
    assert parse(text).data == {"v": value}


def test_special_floats() -> None:
    data = parse("a: .inf\nb: -.Inf\nc: .NaN\n").data
    assert data["a"] == math.inf
    assert data["b"] == -math.inf
    assert math.isnan(data["c"])


def test_keys_are_always_text() -> None:
    assert parse("2024: a\ntrue: b\nnull: c\n").data == {"2024": "a", "true": "b", "null": "c"}


def test_positions_of_keys_and_values() -> None:
    parsed = parse("title: Å\nparts:\n  - amount: 5\n    category: pilot\n", track_positions=True)
    assert parsed.positions is not None
    assert parsed.positions.keys[("title",)] == (1, 1)
    assert parsed.positions.values[("title",)] == (1, 8)
    assert parsed.positions.values[("parts",)] == (3, 3)
    assert parsed.positions.keys[("parts", 0, "category")] == (4, 5)
    assert parsed.positions.values[("parts", 0, "category")] == (4, 15)


def test_fast_path_records_no_positions() -> None:
    assert parse("a: 1\n").positions is None


def test_fast_path_problems_have_no_position_but_the_same_rule() -> None:
    for text in ("a: 1\na: 2\n", "a: !!str x\n", "a: 0755\n", "[" * 100):
        with pytest.raises(YamlProblem) as fast:
            parse(text)
        with pytest.raises(YamlProblem) as tracked:
            parse(text, track_positions=True)
        assert fast.value.rule == tracked.value.rule
        assert (fast.value.line, fast.value.column) == (0, 0)
        assert tracked.value.line >= 1


def test_aliases_share_the_value() -> None:
    data = parse("a: &x [1, 2]\nb: *x\n").data
    assert data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    ("text", "line", "column", "rule", "message"),
    [
        (
            "a: 1\nb: 2\na: 3\n",
            3,
            1,
            "duplicate-key",
            "duplicate key 'a' (first on line 1); keep one of them",
        ),
        (
            "a: !!python/object/apply:os.system ['true']\n",
            1,
            4,
            "yaml-tag",
            "explicit YAML tag '!!python/object/apply:os.system' is not allowed; write the "
            "plain value (quote it if it must stay text)",
        ),
        (
            "a: 0755\n",
            1,
            4,
            "yaml-number",
            "'0755' has a leading zero, which YAML 1.1 reads as octal and YAML 1.2 as 755; "
            "write 755 if it is a number, or '0755' in quotes if it is text",
        ),
        (
            "a: &x [*x]\n",
            1,
            8,
            "yaml-alias",
            "alias *x refers to the collection that contains it; recursive data is not allowed",
        ),
        ("a: *x\n", 1, 4, "yaml-alias", "alias *x refers to no anchor &x above it"),
        (
            "? [a]\n: 1\n",
            1,
            3,
            "yaml-key",
            "a key must be plain text, not a list or mapping; write `name: value`, "
            "and put a value that starts with { or [ in quotes",
        ),
        (
            "a: 1\n---\nb: 2\n",
            2,
            1,
            "yaml-documents",
            "a second YAML document (---) in one file; put each entity in a file of its own",
        ),
        (
            "%YAML 1.2\n---\na: 1\n",
            1,
            1,
            "yaml-directive",
            "%YAML and %TAG directives are not "
            "allowed; remove the lines starting with % (kontrakt always reads YAML 1.2)",
        ),
        (
            "a: b: c\n",
            1,
            5,
            "yaml-syntax",
            "YAML syntax error: mapping values are not allowed "
            "in this context; the value on line 1 contains ': ', so it needs quotes: "
            "write a: 'b: c'",
        ),
        (
            "a:\n\tb: 1\n",
            2,
            1,
            "yaml-syntax",
            "YAML syntax error: found character that cannot "
            "start any token (while scanning for the next token started on line 2); line 2 is "
            "indented with a tab; indent with spaces only",
        ),
    ],
)
def test_refusals(text: str, line: int, column: int, rule: str, message: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        parse(text, track_positions=True)
    problem = caught.value
    assert (problem.line, problem.column, problem.rule, problem.message) == (
        line,
        column,
        rule,
        message,
    )


def test_depth_limit_stops_before_libyaml_goes_deep() -> None:
    with pytest.raises(YamlProblem) as caught:
        parse("[" * 500_000, track_positions=True)
    assert (caught.value.rule, caught.value.line, caught.value.column) == ("yaml-depth", 1, 33)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    with pytest.raises(YamlProblem) as caught:
        parse("\n".join(lines))
    assert caught.value.rule == "yaml-alias"
    assert caught.value.message == (  # outside a portfolio: English, as en_GB writes numbers
        "aliases expand to more than 10,000 values; write the values out instead of "
        "repeating anchors"
    )


@given(st.text(alphabet="ab\r\n", max_size=40), st.integers(min_value=0, max_value=40))
def test_text_position_counts_cr_lf_and_crlf_as_one_break_each(text: str, offset: int) -> None:
    import re

    from kontrakt.decode import text_position

    prefix = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", prefix))
    start = breaks[-1].end() if breaks else 0
    assert text_position(text, offset) == (len(breaks) + 1, len(prefix) - start + 1)
