"""An indicator of the mission's outcomes: what is measured, in what unit, which
way is better, where it started, where it should be by when, and what it was.

A core team asks whether the mission is moving at all; the initiatives name the
indicators they are meant to move, and the measurements say whether it moves.
Values are exact decimals (a percentage 12.5), never binary floats in output.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from kontrakt.i18n import _, numeral
from kontrakt.literal import WrittenFloat
from kontrakt.models.common import Entity, Id, IsoDate, Text, describe, empty

# The largest value an indicator takes, either way: more is a typo (or a number
# no one measures an outcome in), and it keeps every sum exact and printable.
MAX_VALUE = 10**15
# The most significant digits a value has: a decimal of at most 15 is the same
# decimal after a binary float's round trip (JSON, a chart), so every output
# shows what was written. `check` and `measure` refuse more, the same way.
MAX_DIGITS = 15
_NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")


class Unit(StrEnum):
    """What an indicator is counted in; each unit brings the range a value can
    plausibly take (per cent 0–100, counts never below zero, whole people)."""

    PERCENT = "percent"
    COUNT = "count"
    PEOPLE = "people"
    KRONOR = "kronor"
    DAYS = "days"
    SCORE = "score"


class Direction(StrEnum):
    """Which way is better: more (higher) or less (lower)."""

    HIGHER = "higher"
    LOWER = "lower"


class ValueRefused(ValueError):
    """A number no indicator's value can be, and why, in words that say what to do:
    `check` says it at the value in the file, `measure` of the value typed."""


def _digits(number: Decimal) -> tuple[int, tuple[int, ...], int]:
    """Sign, digits and exponent of a finite `number`, without the zeros ending it
    (12.50 is 1, 2, 5 and -1); zero is (0, (0,), 0). No context is used, so no digit
    is rounded away, however large or small the exponent."""
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    kept = list(digits)
    while len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if kept == [0]:
        return 0, (0,), 0
    return sign, tuple(kept), exponent


def significant_digits(number: Decimal) -> int:
    """From the first digit that is not 0 to the last: 3 in 0.0125 and in 12.50,
    1 in 1000000 and in 0.000001, none in 0."""
    _sign, digits, _exponent = _digits(number)
    return 0 if digits == (0,) else len(digits)


def decimals(number: Decimal) -> int:
    """How many places after the point it needs: 2 in 0.25 and in 0.250, none in 1000."""
    return max(0, -_digits(number)[2])


def _shown(number: Decimal) -> str:
    """The number for a message, in the locale; in Python's short form when written
    out it would run to more than 40 digits (a hand-typed 1e-999999999)."""
    places = decimals(number) + max(number.adjusted(), 0)
    return numeral(number) if places <= 40 else str(number)


def exact(number: Decimal) -> Decimal:
    """`number` as an indicator keeps it, or ValueRefused: at most MAX_VALUE either
    way, at most MAX_DIGITS decimals and MAX_DIGITS significant digits. Zeros ending
    the decimals are left out (12.50 is 12.5), and a whole number has none (12.0 is
    12). Nothing here rounds: a value is kept as written, or refused."""
    if not number.is_finite():
        raise ValueRefused(
            _("expected a number such as 12 or 12.5, found {found}").format(found=number)
        )
    if number and number.adjusted() >= 15 and number.copy_abs() > MAX_VALUE:
        whole = number.adjusted() + 1  # digits of its whole part; never written out
        found = (
            _shown(number)
            if whole <= 17
            else _("a number of {digits} digits").format(digits=numeral(whole))
        )
        raise ValueRefused(
            _("{found} is larger than any indicator's value ({limit} at most)").format(
                found=found, limit=numeral(MAX_VALUE)
            )
        )
    places = decimals(number)
    if places > MAX_DIGITS:
        raise ValueRefused(
            _(
                "{value} has {count} decimals; an indicator's value has at most {limit}: round it"
            ).format(value=_shown(number), count=numeral(places), limit=numeral(MAX_DIGITS))
        )
    count = significant_digits(number)
    if count > MAX_DIGITS:
        raise ValueRefused(
            _(
                "{value} has {count} significant digits; an indicator's value has at most "
                "{limit}, kept exactly: round it"
            ).format(value=_shown(number), count=numeral(count), limit=numeral(MAX_DIGITS))
        )
    sign, digits, exponent = _digits(number)
    if exponent >= 0:  # a whole number, written out: 1000000, not 1E+6
        return Decimal((sign, digits + (0,) * exponent, 0))
    return Decimal((sign, digits, exponent))


def _value(value: Any) -> Decimal:
    """A number as YAML writes one (12, 12.5, -3), as an exact decimal: read from the
    text written (12.50 is 12.5, 1e-06 is 0.000001), not from the float YAML makes of
    it, so that a digit the float cannot keep is refused, not lost. An exact decimal
    (`kontrakt measure`'s) is taken as it is."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        written = value.strip().replace(",", ".", 1) if isinstance(value, str) else ""
        if _NUMBER.fullmatch(written):
            hint = (
                _(" (write {number}, with a decimal point and without quotes)")
                if "," in str(value)
                else _(" (write {number} without quotes)")
            ).format(number=written)
        raise PydanticCustomError(
            "indicator_value",
            _("expected a number such as 12 or 12.5, found {found}{hint}"),
            {"found": describe(value), "hint": hint},
        )
    elif isinstance(value, WrittenFloat):
        number = Decimal(value.text)  # 1e400 too: a finite number, too large
    elif isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "indicator_value",
            _("expected a number such as 12 or 12.5, found {found}"),
            {"found": describe(value)},
        )
    else:
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    try:
        return exact(number)
    except ValueRefused as refused:
        raise PydanticCustomError("indicator_value", "{reason}", {"reason": str(refused)}) from None


def yaml_number(number: Decimal) -> str:
    """`number` as a YAML file is to hold it, to read back the same: its digits, with
    a decimal point where it has decimals, never an exponent (`0.000001`, not `1e-06`)."""
    return format(number, "f")


def plain_number(number: Decimal) -> int | float:
    """A value in JSON as the number it was written as: a float's shortest spelling
    is the decimal YAML gave (at most MAX_DIGITS digits), so nothing is rounded."""
    return int(number) if number == number.to_integral_value() else float(number)


Value = Annotated[
    Decimal,
    BeforeValidator(_value),
    PlainSerializer(plain_number, when_used="json"),
    WithJsonSchema({"type": "number", "minimum": -MAX_VALUE, "maximum": MAX_VALUE}),
]


class Point(Entity):
    """A value on a day: where the indicator started (baseline) or should be (target)."""

    value: Value
    date: IsoDate


class Measurement(Entity):
    """What the indicator was on a day, and where the figure comes from."""

    date: IsoDate
    value: Value
    source: Text | None = None  # the indicator's own `source` when left out
    note: Text | None = None


class Indicator(Entity):
    id: Id | None = None
    title: Text
    description: Text | None = None
    unit: Unit
    direction: Direction
    # A narrower plausible range than the unit's, [least, most]: a score of 1–5.
    range: Annotated[list[Value], Field(min_length=2, max_length=2)] | None = None
    baseline: Point | None = None
    target: Point | None = None
    source: Text | None = None  # where the measurements come from, unless each says
    measurements: list[Measurement] = empty()  # oldest first

    def latest(self) -> Measurement | None:
        """The measurement of the latest day (the last of that day, if two are)."""
        return max(reversed(self.measurements), key=lambda m: m.date, default=None)

    def progress(self, value: Decimal) -> Decimal | None:
        """How far `value` has come from the baseline towards the target, as a
        fraction (0 where it started, 1 at the target, below 0 the wrong way);
        None when there is no way to go (no baseline, no target, or they are equal
        or point against the direction)."""
        if self.baseline is None or self.target is None:
            return None
        way = self.target.value - self.baseline.value
        if way == 0 or (way > 0) != (self.direction is Direction.HIGHER):
            return None
        return (value - self.baseline.value) / way


def known_measurements(indicator: Indicator, day: date) -> Indicator:
    """The indicator with only the measurements taken by `day`; the same object
    when none is later (most are)."""
    if all(m.date <= day for m in indicator.measurements):
        return indicator
    kept = [m for m in indicator.measurements if m.date <= day]
    return indicator.model_copy(update={"measurements": kept})
