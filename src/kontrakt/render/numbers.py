"""Amounts and dates formatted for the portfolio's locale, through Babel.

Money is written as the locale writes it (currency.py): `1 310 000 kr` (sv_SE),
`SEK 1,310,000` (en_GB). Babel is imported only when something needs it.
"""

from __future__ import annotations

from datetime import date

from kontrakt import currency


def amount(value: int, locale: str) -> str:
    """A whole number of kronor, grouped for the locale, without the unit."""
    return currency.amount(value, locale)


def kronor(value: int, locale: str, *, signed: bool = False) -> str:
    """An amount with its currency, as the locale writes money (currency.py)."""
    return currency.kronor(value, locale, signed=signed)


def month_name(day: date, locale: str) -> str:
    """The month's name, capitalised as a heading: `Februari` (sv), `February` (en)."""
    from babel.dates import format_date

    return str(format_date(day, "LLLL", locale=locale)).capitalize()


def csv_delimiter(locale: str) -> str:
    """`;` where the locale writes decimals with a comma (sv, de, fr …), as its
    spreadsheets split a CSV file; `,` elsewhere (en)."""
    from babel.numbers import get_decimal_symbol

    return ";" if get_decimal_symbol(locale) == "," else ","
