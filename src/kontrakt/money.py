"""Amounts of money: whole kronor, always `int`, never float.

The canonical form is a plain integer (`285000`). Forms people write in slides
are accepted where they are unambiguous: `285 000 kr`, `285 000`, `100 tkr`,
`100´` / `100'` (thousands, as in the deck), `2 mnkr`. Everything else (a
float, a decimal comma, a negative amount) is refused with what to write.

What is accepted is described once, by the tables below: `parse_money` reads
amounts by them, and `money_schema` turns them into the JSON Schema that
`kontrakt schema` gives editors, so the two accept the same amounts
(tests/test_schema_agrees.py).
"""

from __future__ import annotations

import re
from typing import Any

from kontrakt.i18n import _

# Between groups of three digits: `285 000`, `285 000` (no-break), `285 000`, `285_000`.
GROUP_SEPARATORS = " \u00a0\u202f_"
# Between the number and its unit.
BLANKS = " \t\u00a0\u202f"
# Around the whole amount (a quoted or block value may carry them).
AROUND = BLANKS + "\n\r"
# Each unit, written in any case, and the kronor it stands for.
UNITS = {
    "kr": 1,
    "sek": 1,
    "tkr": 1_000,
    "´": 1_000,
    "'": 1_000,
    "’": 1_000,
    "mnkr": 1_000_000,
    "mkr": 1_000_000,
}
# Below 10**15 kronor: a written number has at most 15 digits as kronor, 12 as
# thousands, 9 as millions (leading zeros count), so the bound is a pattern too.
MAX_AMOUNT = 10**15 - 1
MAX_DIGITS = 15


def char_class(chars: str) -> str:
    """`chars` as a regular expression's character class, the same in Python and in
    ECMA-262 (JSON Schema): white space (but the space) and controls as `\\uXXXX`."""
    shown = (
        f"\\u{ord(c):04x}"
        if (c != " " and (c.isspace() or not c.isprintable())) or c in "\\]^-"
        else c
        for c in chars
    )
    return f"[{''.join(shown)}]"


_SEPARATOR = char_class(GROUP_SEPARATORS)
_BLANK = char_class(BLANKS)
_AROUND = char_class(AROUND)
_GROUPED = rf"[0-9]{{1,3}}(?:{_SEPARATOR}[0-9]{{3}})+|[0-9]+"
_FORM = re.compile(
    rf"(?P<number>{_GROUPED}){_BLANK}*(?P<unit>{'|'.join(map(re.escape, UNITS))})?",
    re.IGNORECASE | re.ASCII,
)


def _digits_for(factor: int) -> int:
    """The most digits a number may have before a unit worth `factor` kronor."""
    return MAX_DIGITS - (len(str(factor)) - 1)


def _any_case(unit: str) -> str:
    """`kr` -> `[kK][rR]`: the case-insensitive unit as an ECMA-262 pattern."""
    return "".join(f"[{c}{c.upper()}]" if c.isascii() and c.isalpha() else c for c in unit)


def _number_pattern(digits: int) -> str:
    """A number of at most `digits` digits (a multiple of 3), plain or in groups."""
    groups = digits // 3 - 1
    return f"(?:[0-9]{{1,{digits}}}|[0-9]{{1,3}}(?:{_SEPARATOR}[0-9]{{3}}){{1,{groups}}})"


def money_pattern() -> str:
    """The written amounts parse_money accepts, as a JSON Schema (ECMA-262) pattern."""
    by_factor: dict[int, list[str]] = {}
    for unit, factor in UNITS.items():
        by_factor.setdefault(factor, []).append(_any_case(unit))
    forms = []
    for factor, units in sorted(by_factor.items()):
        unit = f"(?:{'|'.join(units)})"
        optional = "?" if factor == 1 else ""  # a plain number is kronor
        forms.append(f"{_number_pattern(_digits_for(factor))}{_BLANK}*{unit}{optional}")
    return f"^{_AROUND}*(?:{'|'.join(forms)}){_AROUND}*$"


def money_schema() -> dict[str, Any]:
    """The JSON Schema of an amount: an integer, or a written form parse_money reads."""
    return {
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": MAX_AMOUNT},
            {"type": "string", "pattern": money_pattern()},
        ],
        "description": "Whole kronor; canonical form is a plain integer such as 285000.",
    }


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
    text = value.strip(AROUND)
    match = _FORM.fullmatch(text)
    if match is None:
        raise MoneyError(_why_not(text))
    digits = re.sub(r"[^0-9]", "", match["number"])
    factor = UNITS[match["unit"].lower()] if match["unit"] else 1
    if len(digits) > _digits_for(factor):
        raise MoneyError(_too_large(text))
    return _checked(int(digits) * factor, text)


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
