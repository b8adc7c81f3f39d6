"""Amounts of money: whole kronor, always `int`, never float.

The canonical form is a plain integer (`285000`). Forms people write in slides
are accepted where they are unambiguous: `285 000 kr`, `285 000`, `100 tkr`,
`100´` / `100'` (thousands, as in the deck), `2 mnkr`. Everything else (a
float, a decimal comma, a negative amount) is refused with what to write.
"""

from __future__ import annotations

import re

from kontrakt.i18n import _

_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f_]\d{3})+|\d+"
_FORM = re.compile(
    rf"(?P<number>{_GROUPED})[ \t\u00a0\u202f]*(?P<unit>kr|sek|tkr|´|'|’|mnkr|mkr)?",
    re.IGNORECASE | re.ASCII,
)
MAX_DIGITS = 16
_FACTORS = {
    None: 1,
    "kr": 1,
    "sek": 1,
    "tkr": 1_000,
    "´": 1_000,
    "'": 1_000,
    "’": 1_000,
    "mnkr": 1_000_000,
    "mkr": 1_000_000,
}
MAX_AMOUNT = 10**15


class MoneyError(ValueError):
    """An amount that cannot be read as whole, non-negative kronor."""


def parse_money(value: object) -> int:
    """Whole kronor from an int or an unambiguous written form."""
    if isinstance(value, bool):
        raise MoneyError(_("an amount must be a number of kronor, e.g. 285000, not true/false"))
    if isinstance(value, int):
        return _checked(value, str(value))
    if isinstance(value, float):
        raise MoneyError(
            _("amounts are whole kronor: write an integer such as 285000, not a decimal number")
        )
    if not isinstance(value, str):
        raise MoneyError(_("an amount must be a number of kronor, e.g. 285000"))
    text = value.strip()
    match = _FORM.fullmatch(text)
    if match is None:
        raise MoneyError(_why_not(text))
    digits = re.sub(r"[^0-9]", "", match["number"])
    if len(digits) > MAX_DIGITS:
        raise MoneyError(_too_large(text))
    number = int(digits)
    unit = match["unit"].lower() if match["unit"] else None
    return _checked(number * _FACTORS[unit], text)


def _checked(amount: int, shown: str) -> int:
    if amount < 0:
        raise MoneyError(
            _("amount {amount} is negative; amounts are kronor of 0 or more").format(
                amount=_short(shown)
            )
        )
    if amount > MAX_AMOUNT:
        raise MoneyError(_too_large(shown))
    return amount


def _too_large(shown: str) -> str:
    return _("amount {amount} is unrealistically large; check the number").format(
        amount=_short(shown)
    )


def _short(text: str) -> str:
    """At most 40 characters of user text in a message."""
    return text if len(text) <= 40 else text[:37] + "..."


def _why_not(full: str) -> str:
    text = _short(full)
    if text.startswith("-"):
        return _("amount {amount} is negative; amounts are kronor of 0 or more").format(
            amount=f"'{text}'"
        )
    if re.search(r"[0-9][,.][0-9]", text):
        return _(
            "{amount} has decimals; write whole kronor as an integer, "
            "e.g. 1300000 instead of 1,3 mnkr"
        ).format(amount=f"'{text}'")
    return _(
        "{amount} is not an amount; write whole kronor as an integer "
        "(285000), or as '285 000 kr', '100 tkr' or '100´'"
    ).format(amount=f"'{text}'")
