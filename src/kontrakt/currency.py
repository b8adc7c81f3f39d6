"""How an amount of kronor is written in a locale: `1 310 000 kr` and `-142 500 kr`
(sv_SE), `SEK 1,310,000` and `-SEK 142,500` (en_GB), `1.310.000 SEK` (de_DE).

The forms come from Babel's CLDR data for any locale. The default locales of the
languages kontrakt speaks are also written down here, so that a message with an
amount (`check`'s frame warning) does not import Babel: tests/test_render_numbers.py
checks that they are exactly what Babel says.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

CURRENCY = "SEK"  # amounts are whole Swedish kronor (money.py)


class MoneyForm(NamedTuple):
    """A locale's way of writing whole kronor: `#` stands for the grouped digits."""

    group: str  # between groups of three digits; "" for a locale that groups otherwise
    minus: str
    positive: str
    negative: str


KNOWN_FORMS = {
    "sv_SE": MoneyForm("\u00a0", "-", "#\u00a0kr", "-#\u00a0kr"),
    "en_GB": MoneyForm(",", "-", "SEK\u00a0#", "-SEK\u00a0#"),
}
# The decimal sign of the same locales (tests/test_render_numbers.py checks it too).
KNOWN_DECIMAL_SIGNS = {"sv_SE": ",", "en_GB": "."}


def amount(value: int, locale: str) -> str:
    """A whole number, grouped for the locale, without the unit."""
    form = money_form(locale)
    if not form.group:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=locale, group_separator=True))
    grouped = f"{abs(value):,}".replace(",", form.group)
    return f"{form.minus}{grouped}" if value < 0 else grouped


def number(value: int | float | Decimal, locale: str) -> str:
    """A number as the locale writes it, as Babel does: every digit kept (`0,000001`,
    never an exponent), but no zeros ending the decimals: `1 234,5` (sv_SE),
    `1,234.5` (en_GB). For messages, so the locales kontrakt's languages default to
    need no Babel; any other goes through it."""
    if isinstance(value, float):
        value = Decimal(repr(value))  # as Python writes it: 0.1, not 0.1000000000000000055…
    form, sign = KNOWN_FORMS.get(locale), KNOWN_DECIMAL_SIGNS.get(locale)
    if form is None or sign is None:
        from babel.numbers import format_decimal

        shown = format_decimal(value, locale=locale, decimal_quantization=False)
        return str(shown)
    whole, _point, fraction = format(abs(Decimal(value)), "f").partition(".")
    fraction = fraction.rstrip("0")
    written = amount(int(whole), locale) + (sign + fraction if fraction else "")
    return f"{form.minus}{written}" if value < 0 else written


def decimal_sign(locale: str) -> str:
    """The sign between a number's whole part and its decimals in the locale."""
    known = KNOWN_DECIMAL_SIGNS.get(locale)
    if known is not None:
        return known
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(locale))


def kronor(value: int, locale: str, *, signed: bool = False) -> str:
    """An amount with its currency, as the locale writes money; `signed` shows a plus
    on a positive amount (a change), where the locale puts its minus."""
    form = money_form(locale)
    if value < 0:
        written = form.negative
    elif signed and value > 0:
        written = form.negative.replace("-", "+")
    else:
        written = form.positive
    return written.replace("#", amount(abs(value), locale))


@lru_cache(maxsize=16)
def money_form(locale: str) -> MoneyForm:
    known = KNOWN_FORMS.get(locale)
    return known if known is not None else babel_form(locale)


def babel_form(locale: str) -> MoneyForm:
    """The form from Babel: the locale's currency pattern without decimals (kronor are
    whole), the currency's symbol in it, and a no-break space between a symbol of
    letters and the digits, as CLDR's currency spacing says (`SEK 5`, `$5`). The group
    symbol only where the locale groups plainly by threes."""
    from babel import Locale
    from babel.numbers import format_decimal, get_currency_symbol, get_group_symbol

    parsed = Locale.parse(locale)
    decimal = parsed.decimal_formats.get(None)
    plain = decimal is not None and decimal.grouping == (3, 3)
    group = str(get_group_symbol(locale)) if plain else ""
    minus = str(format_decimal(-1, locale=locale))[:-1]  # the sign exactly as Babel writes it
    pattern = parsed.currency_formats["standard"]
    symbol = str(get_currency_symbol(CURRENCY, locale=locale))
    forms = []
    for prefix, suffix in zip(pattern.prefix, pattern.suffix, strict=True):
        before = prefix.replace("¤", symbol)
        after = suffix.replace("¤", symbol)
        if before[-1:].isalpha():
            before += "\u00a0"
        if after[:1].isalpha():
            after = "\u00a0" + after
        forms.append(f"{before}#{after}")
    return MoneyForm(group, minus, forms[0], forms[1])
