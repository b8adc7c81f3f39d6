"""Money and numbers as each locale writes them (currency.py, render/numbers.py)."""

from __future__ import annotations

from datetime import date

import pytest
from babel.localedata import locale_identifiers

from kontrakt.currency import KNOWN_DECIMAL_SIGNS, KNOWN_FORMS, babel_form, kronor, number
from kontrakt.render.numbers import csv_delimiter, month_name


@pytest.mark.parametrize("locale", sorted(KNOWN_FORMS))
def test_the_forms_written_down_are_babels(locale: str) -> None:
    assert KNOWN_FORMS[locale] == babel_form(locale)


@pytest.mark.parametrize(
    ("locale", "value", "written"),
    [
        ("sv_SE", 1_310_000, "1\u00a0310\u00a0000\u00a0kr"),
        ("sv_SE", -142_500, "-142\u00a0500\u00a0kr"),
        ("sv_SE", 0, "0\u00a0kr"),
        ("en_GB", 1_310_000, "SEK\u00a01,310,000"),
        ("en_GB", -142_500, "-SEK\u00a0142,500"),
        ("en_US", -142_500, "-SEK\u00a0142,500"),
        ("de_DE", -142_500, "-142.500\u00a0SEK"),
        ("fr_FR", 1_310_000, "1\u202f310\u202f000\u00a0SEK"),
        ("nl_NL", -142_500, "SEK\u00a0-142.500"),
        ("de_CH", -142_500, "SEK-142'500"),
        ("en_IN", 12_345_678, "SEK\u00a01,23,45,678"),  # lakh grouping, through Babel
    ],
)
def test_kronor_as_the_locale_writes_money(locale: str, value: int, written: str) -> None:
    assert kronor(value, locale) == written


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("sv_SE", "+50\u00a0000\u00a0kr"),
        ("en_GB", "+SEK\u00a050,000"),
        ("nl_NL", "SEK\u00a0+50.000"),
    ],
)
def test_a_change_shows_its_plus_where_the_minus_goes(locale: str, written: str) -> None:
    assert kronor(50_000, locale, signed=True) == written
    assert kronor(-50_000, locale, signed=True) == kronor(-50_000, locale)
    assert kronor(0, locale, signed=True) == kronor(0, locale)


def test_every_locale_babel_knows_writes_the_amount_and_its_sign() -> None:
    """In every locale, what kontrakt writes holds the amount's digits (in the
    locale's grouping), a minus exactly when it is negative, and the currency."""
    for locale in locale_identifiers():
        positive, negative = kronor(1_234_567, locale), kronor(-1_234_567, locale)
        for written in (positive, negative):
            assert "".join(ch for ch in written if ch.isdigit()) == "1234567", (locale, written)
            assert "SEK" in written or "kr" in written, (locale, written)
        assert "-" not in positive and "-" in negative, (locale, positive, negative)


def test_month_names_and_csv_delimiter_follow_the_locale() -> None:
    assert month_name(date(2024, 2, 27), "sv_SE") == "Februari"
    assert month_name(date(2024, 2, 27), "en_GB") == "February"
    assert csv_delimiter("sv_SE") == ";"
    assert csv_delimiter("de_DE") == ";"
    assert csv_delimiter("en_GB") == ","


@pytest.mark.parametrize("locale", [*sorted(KNOWN_FORMS), "de_CH", "fr_FR", "en_IN"])
def test_a_number_is_written_as_babel_writes_it(locale: str) -> None:
    """What messages write without Babel is what Babel writes: every digit, no
    exponent, no zeros ending the decimals."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    for value in (0, 7, -5, 999, 1000, -1_234_567, 10**15, 12.5, -0.25):
        assert number(value, locale) == format_decimal(
            Decimal(repr(value)), locale=locale, decimal_quantization=False
        ), value
    for text in ("12.5", "12.50", "-0.000001", "1E-7", "1E+3", "1234567.125", "0.1000000000001"):
        assert number(Decimal(text), locale) == format_decimal(
            Decimal(text), locale=locale, decimal_quantization=False
        ), text


@pytest.mark.parametrize("locale", sorted(KNOWN_DECIMAL_SIGNS))
def test_the_decimal_signs_written_down_are_babels(locale: str) -> None:
    from babel.numbers import get_decimal_symbol

    assert KNOWN_DECIMAL_SIGNS[locale] == get_decimal_symbol(locale)
