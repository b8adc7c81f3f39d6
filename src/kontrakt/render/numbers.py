"""Amounts and dates formatted for the portfolio's locale, through Babel.

Swedish groups thousands with a no-break space (`1 310 000 kr`), English with a
comma (`SEK 1,310,000`). Babel is imported only when something is rendered.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache


def amount(value: int, locale: str) -> str:
    """A whole number of kronor, grouped for the locale, without the unit."""
    symbols = _symbols(locale)
    if symbols is None:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=locale, group_separator=True))
    group, minus = symbols
    grouped = f"{abs(value):,}".replace(",", group)
    return f"{minus}{grouped}" if value < 0 else grouped


@lru_cache(maxsize=16)
def _symbols(locale: str) -> tuple[str, str] | None:
    """The locale's group and minus symbols when it groups plainly by threes (as sv and
    en do), so amounts are formatted without Babel's general formatter each time."""
    from babel import Locale
    from babel.numbers import format_decimal, get_group_symbol

    pattern = Locale.parse(locale).decimal_formats.get(None)
    if pattern is None or pattern.grouping != (3, 3):
        return None
    minus = str(format_decimal(-1, locale=locale))[:-1]  # the sign exactly as Babel writes it
    return str(get_group_symbol(locale)), minus


def kronor(value: int, locale: str) -> str:
    """`1 310 000 kr` (sv) or `SEK 1,310,000` (en)."""
    grouped = amount(value, locale)
    return f"{grouped} kr" if locale.startswith("sv") else f"SEK {grouped}"


def month_name(day: date, locale: str) -> str:
    """The month's name, capitalised as a heading: `Februari` (sv), `February` (en)."""
    from babel.dates import format_date

    return str(format_date(day, "LLLL", locale=locale)).capitalize()


def csv_delimiter(locale: str) -> str:
    """`;` where the locale writes decimals with a comma (sv, de, fr …), as its
    spreadsheets split a CSV file; `,` elsewhere (en)."""
    from babel.numbers import get_decimal_symbol

    return ";" if get_decimal_symbol(locale) == "," else ","
