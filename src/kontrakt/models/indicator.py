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
from kontrakt.models.common import Entity, Id, IsoDate, Text, describe, empty

# The largest value an indicator takes, either way: more is a typo (or a number
# no one measures an outcome in), and it keeps every sum exact and printable.
MAX_VALUE = 10**15
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


def _value(value: Any) -> Decimal:
    """A number as YAML writes one (12, 12.5, -3), as an exact decimal: the float
    YAML reads is taken by its shortest spelling, which is what was written; an
    exact decimal (`kontrakt measure`'s) as it is."""
    if isinstance(value, Decimal) and value.is_finite():
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
    elif isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError(
            "indicator_value",
            _("expected a number such as 12 or 12.5, found {found}"),
            {"found": describe(value)},
        )
    else:
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if abs(number) > MAX_VALUE:
        digits = len(str(abs(int(number))))
        found = (
            describe(value)
            if digits <= 17
            else _("a number of {digits} digits").format(digits=numeral(digits))
        )
        raise PydanticCustomError(
            "indicator_value",
            _("{found} is larger than any indicator's value ({limit} at most)"),
            {"found": found, "limit": numeral(MAX_VALUE)},
        )
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def yaml_number(number: Decimal) -> str:
    """`number` as a YAML file is to hold it, to read back the same: its digits, with
    a decimal point where it has decimals, never an exponent (`0.000001`, not `1e-06`)."""
    return format(number, "f")


def _plain(number: Decimal) -> int | float:
    """A value in JSON as the number it was written as: a float's shortest spelling
    is the decimal YAML gave (at most 15 digits), so nothing is rounded."""
    return int(number) if number == number.to_integral_value() else float(number)


Value = Annotated[
    Decimal,
    BeforeValidator(_value),
    PlainSerializer(_plain, when_used="json"),
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
