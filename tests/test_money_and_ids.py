"""Amounts are exact whole kronor; ids are ASCII slugs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kontrakt.currency import kronor
from kontrakt.ids import id_problem, is_valid_id, slugify
from kontrakt.money import MoneyError, parse_money


@pytest.mark.parametrize(
    ("written", "kronor"),
    [
        (285000, 285_000),
        ("285000", 285_000),
        ("285 000 kr", 285_000),
        ("285\u00a0000 kr", 285_000),
        ("1\u202f310\u202f000", 1_310_000),
        ("1\u00a0300\u00a0000\u00a0kr", 1_300_000),  # as Babel writes it
        ("100\u202fkr", 100),
        ("285_000", 285_000),
        ("100 tkr", 100_000),
        ("100´", 100_000),
        ("100'", 100_000),
        ("2 mnkr", 2_000_000),
        ("0", 0),
    ],
)
def test_accepted_forms(written: object, kronor: int) -> None:
    assert parse_money(written) == kronor


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (1.5, "amounts are whole kronor: write an integer such as 285000, not a decimal number"),
        (
            "1,3 mnkr",
            "'1,3 mnkr' has decimals; write whole kronor as an integer, e.g. 1300000 "
            "instead of 1,3 mnkr",
        ),
        (-5, "amount -5 is negative; amounts are kronor of 0 or more"),
        ("-5 kr", "amount '-5 kr' is negative; amounts are kronor of 0 or more"),
        (True, "an amount must be a number of kronor, e.g. 285000, not true/false"),
        (
            "mycket",
            "'mycket' is not an amount; write whole kronor as an integer (285000), or as "
            "'285 000 kr', '100 tkr' or '100´'",
        ),
        (
            "28 50 00",
            "'28 50 00' is not an amount; write whole kronor as an integer (285000), or "
            "as '285 000 kr', '100 tkr' or '100´'",
        ),
        (10**16, "amount 10000000000000000 is unrealistically large; check the number"),
    ],
)
def test_refused_forms(written: object, message: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(written)
    assert str(caught.value) == message


@given(st.integers(min_value=0, max_value=10**12))
def test_formatted_amounts_read_back_exactly(amount: int) -> None:
    assert parse_money(kronor(amount, "sv_SE")) == amount


def test_kronor_in_a_message_as_the_locale_writes_money() -> None:
    assert kronor(1_310_000, "sv_SE") == "1\u00a0310\u00a0000\u00a0kr"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Måltider och möten – tre piloter", "maltider-och-moten-tre-piloter"),
        ("Ängsgärdet", "angsgardet"),
        (
            'Utvecklingsprogram "Future impact champions"',
            "utvecklingsprogram-future-impact-champions",
        ),
        ("Hälsoekonomi?", "halsoekonomi"),
        ("  --  ", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@given(st.text(max_size=200))
def test_slugify_always_gives_a_valid_id_or_nothing(title: str) -> None:
    slug = slugify(title)
    assert slug == "" or is_valid_id(slug)


def test_id_problems() -> None:
    assert id_problem("salus-mea") is None
    assert id_problem("Salus mea") == (
        "'Salus mea' is not a valid id: use lowercase a-z, digits and single hyphens "
        "(å, ä, ö become a, a, o); use 'salus-mea'"
    )
    assert id_problem("ängsgärdet") == (
        "'ängsgärdet' is not a valid id: use lowercase a-z, digits and single hyphens "
        "(å, ä, ö become a, a, o); use 'angsgardet'"
    )
    assert id_problem("a--b") is not None
    assert id_problem("x" * 81) is not None


@given(st.integers(min_value=-(10**13), max_value=10**13), st.sampled_from(["sv_SE", "en_GB"]))
def test_amount_formatting_is_exactly_babels(value: int, locale: str) -> None:
    from babel.numbers import format_decimal

    from kontrakt.render.numbers import amount

    assert amount(value, locale) == format_decimal(value, locale=locale, group_separator=True)


def test_locales_that_group_otherwise_use_babel_itself() -> None:
    from kontrakt.render.numbers import amount

    assert amount(12_345_678, "en_IN") == "1,23,45,678"
