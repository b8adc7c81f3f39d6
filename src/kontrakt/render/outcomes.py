"""The outcomes section of the report: is the mission moving at all?

Per indicator, as of the report's day: its latest value against its baseline and
target, how far it has come in its direction, the initiatives that work on it,
and a small chart of its values over time (SVG for HTML and, as a picture, for
Word; the values in words for Markdown). Numbers are exact decimals, written in
the portfolio's locale; a measurement after the day is not yet known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kontrakt.currency import money_form, number
from kontrakt.i18n import N_, _
from kontrakt.models.indicator import Direction, Indicator, Unit
from kontrakt.portfolio import Portfolio
from kontrakt.render.charts import INK, _label, _svg, _text_width

UNIT_LABELS = {
    Unit.PERCENT: N_("per cent"),
    Unit.COUNT: N_("count"),
    Unit.PEOPLE: N_("people"),
    Unit.KRONOR: N_("kronor"),
    Unit.DAYS: N_("days"),
    Unit.SCORE: N_("score"),
}


def value_text(value: Decimal, unit: Unit, locale: str) -> str:
    """`21,5 %`, `1 250,5 kr`: the value as written (no digit added or lost), in the
    locale; kronor as the locale writes money (`SEK 1,250.5`), other units but
    per cent are plain numbers, the unit said once."""
    shown = number(value, locale)
    if unit is Unit.KRONOR:
        form = money_form(locale)
        return (form.negative if value < 0 else form.positive).replace(
            "#", shown.lstrip(form.minus)
        )
    return shown + "\u00a0%" if unit is Unit.PERCENT else shown


@dataclass(frozen=True, slots=True)
class Outcome:
    """One indicator as of a day, with what the report says of it."""

    key: str
    indicator: Indicator
    initiatives: list[tuple[str, str]]  # (id, title) of those that name it


def outcomes(portfolio: Portfolio) -> list[Outcome]:
    """The indicators of a portfolio already seen as of the day (known_on), by
    title, each with the initiatives that name it."""
    named: dict[str, list[tuple[str, str]]] = {}
    for key, initiative in sorted(portfolio.initiatives.items(), key=lambda i: i[1].title):
        for indicator in initiative.indicators:
            named.setdefault(indicator, []).append((key, initiative.title))
    return [
        Outcome(key, indicator, named.get(key, []))
        for key, indicator in sorted(portfolio.indicators.items(), key=lambda i: i[1].title)
    ]


def progress_text(indicator: Indicator, value: Decimal, locale: str) -> tuple[str, str] | None:
    """How far `value` has come, short for a table cell (`38 %`) and as a sentence
    ("38 % of the way from the baseline to the target"), where there is a way: a
    baseline and a target that lies in the better direction from it."""
    share = indicator.progress(value)
    if share is None:
        return None
    if share < 0:
        return _("further away"), _("Further from the target than at the baseline.")
    if share >= 1:
        return _("reached"), _("The target is reached.")
    percent = (share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    shown = number(percent, locale) + "\u00a0%"
    return shown, _("%(percent)s of the way from the baseline to the target.") % {"percent": shown}


def outcome_context(outcome: Outcome, locale: str) -> dict[str, Any]:
    """What every format of the report says of one indicator, as text."""
    indicator = outcome.indicator
    unit = indicator.unit

    def point(value: Decimal | None, day: date | None) -> dict[str, str] | None:
        if value is None or day is None:
            return None
        return {"value": value_text(value, unit, locale), "date": day.isoformat()}

    latest = indicator.latest()
    baseline, target = indicator.baseline, indicator.target
    progress = progress_text(indicator, latest.value, locale) if latest else None
    return {
        "id": outcome.key,
        "title": indicator.title,
        "description": indicator.description,
        "unit": _(UNIT_LABELS[unit]),
        "direction": _("higher is better")
        if indicator.direction is Direction.HIGHER
        else _("lower is better"),
        "baseline": point(baseline.value, baseline.date) if baseline else None,
        "target": point(target.value, target.date) if target else None,
        "latest": point(latest.value, latest.date) if latest else None,
        "progress": progress[0] if progress else None,
        "progress_said": progress[1] if progress else None,
        "measurements": [
            {
                "date": m.date.isoformat(),
                "value": value_text(m.value, unit, locale),
                "source": m.source or indicator.source,
                "note": m.note,
            }
            for m in indicator.measurements
        ],
        "series": ", ".join(
            f"{m.date.isoformat()}: {value_text(m.value, unit, locale)}"
            for m in indicator.measurements
        ),
        "initiatives": [title for _key, title in outcome.initiatives],
        "initiative_ids": [key for key, _title in outcome.initiatives],
    }


def outcomes_context(portfolio: Portfolio) -> list[dict[str, Any]] | None:
    """Every indicator's context, or None when the portfolio has none (the report
    then has no outcomes section at all)."""
    if not portfolio.indicators:
        return None
    locale = portfolio.settings.resolved_locale()
    return [outcome_context(outcome, locale) for outcome in outcomes(portfolio)]


def outcome_charts(portfolio: Portfolio) -> dict[str, str]:
    """Each indicator's chart by its id, for a portfolio seen as of the day."""
    locale = portfolio.settings.resolved_locale()
    return {
        key: outcome_svg(
            indicator,
            locale,
            _("%(title)s over time") % {"title": indicator.title},
            ident=f"outcome-{key}",
        )
        for key, indicator in portfolio.indicators.items()
    }


# --- the chart -----------------------------------------------------------------------------

_WIDTH, _HEIGHT = 600, 230
_LEFT, _RIGHT, _TOP, _BOTTOM = 90, 24, 16, 160  # the plot's box
MEASURED_COLOUR = "#1F4E79"  # the budget chart's decided blue: dark on white


def outcome_svg(indicator: Indicator, locale: str, title: str, *, ident: str) -> str:
    """The indicator's values over time: the measurements as a line of square
    points, the baseline as a dashed level, the target as a diamond at its day, and
    the straight way from baseline to target dotted; the same in words in <desc>,
    and a legend that tells them apart by shape, never by colour alone."""
    baseline, target = indicator.baseline, indicator.target
    measured = [(m.date, m.value) for m in indicator.measurements]
    points = [*measured]
    if baseline is not None:
        points.append((baseline.date, baseline.value))
    if target is not None:
        points.append((target.date, target.value))
    body: list[str] = []
    if points:
        body += _plot(points, measured, indicator, locale)
    else:
        body.append(_label(_LEFT, _TOP + 40, _("Not measured yet.")))
    body += _legend(_HEIGHT - 16)
    return _svg(ident, _WIDTH, _HEIGHT, title, _description(indicator, locale), body)


def _plot(
    points: list[tuple[date, Decimal]],
    measured: list[tuple[date, Decimal]],
    indicator: Indicator,
    locale: str,
) -> list[str]:
    unit = indicator.unit
    first = min(day for day, _v in points).toordinal()
    last = max(day for day, _v in points).toordinal()
    low = min(value for _d, value in points)
    high = max(value for _d, value in points)
    if low == high:
        low, high = low - 1, high + 1
    span_days = max(last - first, 1)

    def x(day: date) -> float:
        return round(_LEFT + (_WIDTH - _LEFT - _RIGHT) * (day.toordinal() - first) / span_days, 1)

    def y(value: Decimal) -> float:
        share = float((value - low) / (high - low))
        return round(_BOTTOM - (_BOTTOM - _TOP) * share, 1)

    body = [
        f'<line x1="{_LEFT}" y1="{_BOTTOM}" x2="{_WIDTH - _RIGHT}" y2="{_BOTTOM}" '
        f'stroke="{INK}" stroke-width="1"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_BOTTOM}" '
        f'stroke="{INK}" stroke-width="1"/>',
    ]
    for value in (high, low):
        text = value_text(value, unit, locale)
        body.append(_label(_LEFT - 8 - _text_width(text, 12), y(value) + 4, text, size=12))
    start, end = date.fromordinal(first).isoformat(), date.fromordinal(last).isoformat()
    body.append(_label(_LEFT, _BOTTOM + 18, start, size=12))
    if end != start:
        body.append(_label(_WIDTH - _RIGHT - _text_width(end, 12), _BOTTOM + 18, end, size=12))
    baseline, target = indicator.baseline, indicator.target
    if baseline is not None:
        level = y(baseline.value)
        body.append(
            f'<line x1="{_LEFT}" y1="{level}" x2="{_WIDTH - _RIGHT}" y2="{level}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="6 4"/>'
        )
        if target is not None:
            body.append(
                f'<line x1="{x(baseline.date)}" y1="{level}" x2="{x(target.date)}" '
                f'y2="{y(target.value)}" stroke="{INK}" stroke-width="1" '
                'stroke-dasharray="2 3"/>'
            )
    if target is not None:
        body.append(_diamond(x(target.date), y(target.value)))
    if measured:
        line = " ".join(
            f"{'M' if index == 0 else 'L'}{x(day)} {y(value)}"
            for index, (day, value) in enumerate(measured)
        )
        body.append(f'<path d="{line}" fill="none" stroke="{MEASURED_COLOUR}" stroke-width="2"/>')
        for day, value in measured:
            body.append(_square(x(day), y(value)))
        day, value = max(measured, key=lambda point: point[0])
        text = value_text(value, unit, locale)
        left = min(x(day) + 8, _WIDTH - _RIGHT - _text_width(text))
        body.append(_label(left, y(value) - 8, text, weight="bold"))
    else:
        body.append(_label(_LEFT + 12, _TOP + 16, _("Not measured yet."), size=12))
    return body


def _square(cx: float, cy: float) -> str:
    return (
        f'<rect x="{round(cx - 4, 1)}" y="{round(cy - 4, 1)}" width="8" height="8" '
        f'fill="{MEASURED_COLOUR}" stroke="{INK}" stroke-width="1"/>'
    )


def _diamond(cx: float, cy: float) -> str:
    return (
        f'<path d="M{cx} {round(cy - 7, 1)} L{round(cx + 7, 1)} {cy} L{cx} {round(cy + 7, 1)} '
        f'L{round(cx - 7, 1)} {cy} Z" fill="#FFFFFF" stroke="{INK}" stroke-width="2"/>'
    )


def _legend(top: float) -> list[str]:
    """Each mark drawn and named: measurements, baseline, target."""
    body: list[str] = []
    left = float(_LEFT)
    for mark, name in (
        ("measured", _("Measured")),
        ("baseline", _("Baseline")),
        ("target", _("Target")),
    ):
        if mark == "measured":
            body.append(_square(left + 6, top - 4))
        elif mark == "baseline":
            body.append(
                f'<line x1="{left}" y1="{top - 4}" x2="{left + 14}" y2="{top - 4}" '
                f'stroke="{INK}" stroke-width="1" stroke-dasharray="6 4"/>'
            )
        else:
            body.append(_diamond(left + 7, top - 4))
        body.append(_label(left + 20, top, name, size=12))
        left += 20 + _text_width(name, 12) + 24
    return body


def _description(indicator: Indicator, locale: str) -> str:
    """The chart in words: baseline, each measurement, target."""
    unit = indicator.unit
    said: list[str] = []
    if indicator.baseline is not None:
        said.append(
            _("Baseline %(value)s on %(day)s.")
            % {
                "value": value_text(indicator.baseline.value, unit, locale),
                "day": indicator.baseline.date.isoformat(),
            }
        )
    if indicator.measurements:
        series = ", ".join(
            f"{m.date.isoformat()}: {value_text(m.value, unit, locale)}"
            for m in indicator.measurements
        )
        said.append(_("Measured %(series)s.") % {"series": series})
    else:
        said.append(_("Not measured yet."))
    if indicator.target is not None:
        said.append(
            _("Target %(value)s by %(day)s.")
            % {
                "value": value_text(indicator.target.value, unit, locale),
                "day": indicator.target.date.isoformat(),
            }
        )
    return " ".join(said)
