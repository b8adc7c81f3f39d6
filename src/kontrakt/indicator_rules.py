"""The cross-file rules of outcome indicators, run by kontrakt.link.

A figure outside what its unit allows (a percentage above 100), a target set
before the baseline, measurements out of order or given twice on a day, and an
indicator no initiative says it moves. A portfolio without indicators costs
nothing here: every rule starts from the indicators.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from kontrakt.diagnostics import Severity
from kontrakt.i18n import N_, _, numeral
from kontrakt.models import Loc
from kontrakt.models.indicator import Indicator, Unit, yaml_number
from kontrakt.source import SourceFile

if TYPE_CHECKING:
    from kontrakt.link import _Linker

# The range a unit's value can take (None: no bound that way), whether it counts
# in whole numbers, and what a value of it is, for messages.
_UNIT_RANGE: dict[Unit, tuple[Decimal | None, Decimal | None, bool, str]] = {
    Unit.PERCENT: (Decimal(0), Decimal(100), False, N_("a percentage")),
    Unit.COUNT: (Decimal(0), None, True, N_("a count")),
    Unit.PEOPLE: (Decimal(0), None, True, N_("a number of people")),
    Unit.KRONOR: (Decimal(0), None, False, N_("an amount in kronor")),
    Unit.DAYS: (Decimal(0), None, False, N_("a number of days")),
    Unit.SCORE: (None, None, False, N_("a score")),
}


def _indicators(linker: _Linker) -> Iterator[tuple[str, Indicator, SourceFile]]:
    portfolio = linker.portfolio
    for key, indicator in portfolio.indicators.items():
        yield key, indicator, portfolio.sources[("indicator", key)]


def _values(indicator: Indicator) -> Iterator[tuple[Loc, Decimal]]:
    """Every value the indicator gives, with where it is."""
    if indicator.baseline is not None:
        yield ("baseline", "value"), indicator.baseline.value
    if indicator.target is not None:
        yield ("target", "value"), indicator.target.value
    for index, measurement in enumerate(indicator.measurements):
        yield ("measurements", index, "value"), measurement.value


def values_are_plausible(linker: _Linker) -> None:
    """Each value lies in its unit's range and the indicator's own `range`."""
    for _key, indicator, source in _indicators(linker):
        least, most, whole, what = _UNIT_RANGE[indicator.unit]
        unit_what = _(what)
        own = indicator.range
        if own is not None and own[0] >= own[1]:
            linker.report(
                source,
                ("range",),
                "indicator-range",
                _reversed(own)
                if own[0] > own[1]
                else _("the range holds one value only; write [least, most] with least below most"),
            )
            own = None
        for loc, value in _values(indicator):
            message = _problem(value, least, most, whole, unit_what, own)
            if message is not None:
                linker.report(source, loc, "indicator-range", message)


def _reversed(own: list[Decimal]) -> str:
    # The figures in the prose as the locale writes them, the range to write as YAML.
    return _("the range goes from {least} to {most}; write the least first: {range}").format(
        least=numeral(own[0]),
        most=numeral(own[1]),
        range=f"[{yaml_number(own[1])}, {yaml_number(own[0])}]",
    )


def _problem(
    value: Decimal,
    least: Decimal | None,
    most: Decimal | None,
    whole: bool,
    what: str,
    own: list[Decimal] | None,
) -> str | None:
    if most is not None and value > most:
        return _("{value} is more than {most}, the most {what} can be; check the figure").format(
            value=numeral(value), most=numeral(most), what=what
        )
    if least is not None and value < least:
        return _("{value} is less than {least}, the least {what} can be; check the figure").format(
            value=numeral(value), least=numeral(least), what=what
        )
    if whole and value != value.to_integral_value():
        return _("{value} is not a whole number, and {what} is; check the figure").format(
            value=numeral(value), what=what
        )
    if own is not None and not own[0] <= value <= own[1]:
        return _(
            "{value} is outside the indicator's range, {least} to {most}; check the figure, "
            "or the range"
        ).format(value=numeral(value), least=numeral(own[0]), most=numeral(own[1]))
    return None


def dates_are_in_order(linker: _Linker) -> None:
    """The target comes after the baseline; measurements go oldest first, one a
    day, none before the baseline, each with a source (its own or the indicator's)."""
    for _key, indicator, source in _indicators(linker):
        baseline = indicator.baseline
        target = indicator.target
        if baseline is not None and target is not None and target.date < baseline.date:
            linker.report(
                source,
                ("target", "date"),
                "date-order",
                _("the target's date {target} is before the baseline's {baseline}").format(
                    target=target.date, baseline=baseline.date
                ),
            )
        seen: set[date] = set()
        latest: date | None = None
        for index, measurement in enumerate(indicator.measurements):
            day = measurement.date
            if day in seen:
                linker.report(
                    source,
                    ("measurements", index, "date"),
                    "indicator-duplicate",
                    _("there is another measurement on {day} above; keep one figure a day").format(
                        day=day
                    ),
                )
            seen.add(day)
            if latest is not None and day < latest:
                linker.report(
                    source,
                    ("measurements", index, "date"),
                    "indicator-order",
                    _(
                        "measurements go oldest first: {day} comes after {before}; move this one up"
                    ).format(day=day, before=latest),
                    Severity.WARNING,
                )
            latest = day if latest is None else max(latest, day)
            if baseline is not None and day < baseline.date:
                linker.report(
                    source,
                    ("measurements", index, "date"),
                    "indicator-baseline",
                    _(
                        "this measurement is dated {day}, before the baseline ({baseline}); "
                        "a baseline is where the indicator starts: move it back, or leave "
                        "the measurement out"
                    ).format(day=day, baseline=baseline.date),
                    Severity.WARNING,
                )
            if measurement.source is None and indicator.source is None:
                linker.report(
                    source,
                    ("measurements", index, "date"),
                    "indicator-source",
                    _(
                        "the measurement does not say where it comes from; add source: to "
                        "it, or once to the indicator for all its measurements"
                    ),
                    Severity.WARNING,
                    at_key=True,
                )


def nothing_is_measured_after_today(linker: _Linker) -> None:
    """A measurement or a baseline is a figure measured already: one dated after
    today is a warning (right later, so not an error). The views show such a
    measurement from its day on, as they show a day's with --as-of."""
    today = linker.today
    if today is None:
        return
    for _key, indicator, source in _indicators(linker):
        baseline = indicator.baseline
        if baseline is not None and baseline.date > today:
            linker.report(
                source,
                ("baseline", "date"),
                "indicator-future",
                _(
                    "the baseline is dated {day}, after today ({today}); a baseline is a "
                    "figure measured already: check the date"
                ).format(day=baseline.date, today=today),
                Severity.WARNING,
            )
        for index, measurement in enumerate(indicator.measurements):
            if measurement.date > today:
                linker.report(
                    source,
                    ("measurements", index, "date"),
                    "indicator-future",
                    _(
                        "this measurement is dated {day}, after today ({today}), so it is "
                        "not shown until then; check the date"
                    ).format(day=measurement.date, today=today),
                    Severity.WARNING,
                )


def indicators_are_worked_on(linker: _Linker) -> None:
    """Some initiative names each indicator: one that none is meant to move
    answers no one's question (a warning). Initiatives with errors count too."""
    portfolio = linker.portfolio
    if not portfolio.indicators:
        return
    named = {key for initiative in portfolio.initiatives.values() for key in initiative.indicators}
    for file in linker.invalid:
        data = file.source.data
        if file.kind == "initiative" and isinstance(data, dict):
            listed = data.get("indicators")
            if isinstance(listed, list):
                named.update(item for item in listed if isinstance(item, str))
    for key, _indicator, source in _indicators(linker):
        if key not in named:
            linker.report(
                source,
                ("title",),
                "indicator-unused",
                _(
                    "no initiative names this indicator; add indicators: [{id}] to the "
                    "initiatives meant to move it"
                ).format(id=key),
                Severity.WARNING,
                at_key=True,
            )


RULES = (
    values_are_plausible,
    dates_are_in_order,
    nothing_is_measured_after_today,
    indicators_are_worked_on,
)
