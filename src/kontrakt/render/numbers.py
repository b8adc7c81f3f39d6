"""Amounts and dates formatted for the portfolio's locale, through Babel.

Swedish groups thousands with a no-break space (`1 310 000 kr`), English with a
comma (`SEK 1,310,000`). Babel is imported only when something is rendered.
"""

from __future__ import annotations

from datetime import date


def amount(value: int, locale: str) -> str:
    """A whole number of kronor, grouped for the locale, without the unit."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=locale, group_separator=True))


def kronor(value: int, locale: str) -> str:
    """`1 310 000 kr` (sv) or `SEK 1,310,000` (en)."""
    grouped = amount(value, locale)
    return f"{grouped} kr" if locale.startswith("sv") else f"SEK {grouped}"


def month_name(day: date, locale: str) -> str:
    """The month's name, capitalised as a heading: `Februari` (sv), `February` (en)."""
    from babel.dates import format_date

    return str(format_date(day, "LLLL", locale=locale)).capitalize()
