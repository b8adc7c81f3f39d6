"""The numbers behind every chart, in one place, so every format draws the same.

A chart of the budget shows, per category, what is decided, what is proposed,
and the frame: what remains of it, or by how much the lines overshoot it. A
chart of the portfolio shows how many initiatives have each status. The formats
draw these (an SVG for HTML and, as a picture, for Word; a native chart in
PowerPoint; a table in Markdown); none of them computes money of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kontrakt.currency import kronor
from kontrakt.i18n import _
from kontrakt.portfolio import Portfolio
from kontrakt.render.safe import one_line
from kontrakt.views.budget import BudgetView
from kontrakt.views.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class FrameBar:
    """One category of the budget against its frame, in whole kronor."""

    key: str | None  # the category's id; None for lines without a category
    label: str
    decided: int
    proposed: int
    frame: int | None  # None: no frame for the category (or none at all)
    spent: int = 0  # of the decided money, what is spent (utfall)

    @property
    def used(self) -> int:
        return self.decided + self.proposed

    @property
    def remaining(self) -> int | None:
        """What the frame leaves if the proposals are decided too (0 when overshot)."""
        return None if self.frame is None else max(self.frame - self.used, 0)

    @property
    def over(self) -> int:
        """By how much decided and proposed money overshoot the frame (0 within it)."""
        return 0 if self.frame is None else max(self.used - self.frame, 0)


@dataclass(frozen=True, slots=True)
class StatusCount:
    label: str
    count: int


def budget_bars(view: BudgetView) -> list[FrameBar]:
    """One bar per category group of a view grouped by category first, in its order.

    The frame's own use (every line of it, whatever the view's filters chose) is
    what the bar shows, so the chart agrees with "Kvar" in the table; a category
    without a frame shows the money the view chose.
    """
    if not view.dimensions or view.dimensions[0] != "category":
        raise ValueError("a budget chart is drawn from a view grouped by category")
    return [
        FrameBar(
            None if group.key is None else str(group.key),
            group.label,
            # A category without a frame: its own money, as the table shows it.
            group.frame_decided if group.frame is not None else group.decided,
            group.frame_proposed if group.frame is not None else group.proposed,
            group.frame,
            group.spent,
        )
        for group in view.groups
    ]


def status_counts(snap: Snapshot) -> list[StatusCount]:
    """How many initiatives each status has on the snapshot's day, in display order."""
    return [StatusCount(group.label, len(group.initiatives)) for group in snap.groups]


# --- Drawn as SVG ----------------------------------------------------------------
#
# The pictures of these numbers, as SVG: inline in HTML, and as a PNG (svg_to_png)
# for the formats that take no SVG. Every picture is an accessible image (role="img",
# a <title> and a <desc> that say in words what it shows), references nothing
# outside itself, and holds text from the portfolio only as escaped text. Colours
# are Okabe-Ito's (told apart by colour-blind readers), and every part also has its
# own pattern, so a grey print tells them apart too.

DECIDED_COLOUR = "#0072B2"  # blue, solid
PROPOSED_COLOUR = "#56B4E9"  # sky blue, with diagonal stripes
SPENT_COLOUR = "#003E66"  # dark blue, with white horizontal lines
OVER_COLOUR = "#D55E00"  # vermillion, cross-hatched
REMAINING_COLOUR = "#FFFFFF"  # white, in a dashed outline
INK = "#1A1A1A"
FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"

_WIDTH = 600  # the budget and status charts; the weave is as wide as its columns need
_MARGIN = 16


def xml_text(value: object) -> str:
    """Text for an SVG (or any XML): on one line, every control character (and bidi
    override) shown escaped as kontrakt shows them everywhere (`\\x1b`, safe.py),
    nothing XML cannot hold, and `<`, `>`, `&` and both quotes escaped, so that it
    is text in an element or an attribute alike."""
    text = _NOT_XML.sub("", one_line(str(value)))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


# What XML 1.0 cannot hold (control characters but tab and newline, surrogates,
# U+FFFE and U+FFFF), and C1 controls besides: one_line() has shown every control
# escaped before, so this is the last guard, one pass of a regular expression.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _svg(ident: str, width: int, height: int, title: str, desc: str, body: list[str]) -> str:
    """An accessible SVG image: its name in <title>, its text equivalent in <desc>."""
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="{ident}-title {ident}-desc" class="chart">',
            f'<title id="{ident}-title">{xml_text(title)}</title>',
            f'<desc id="{ident}-desc">{xml_text(desc)}</desc>',
            f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
            *body,
            "</svg>",
        ]
    )


def _patterns(ident: str, spent: bool = False) -> str:
    """Stripes for proposed money, cross-hatching for money over the frame, white
    lines for money spent (where some is)."""
    spent_pattern = (
        f'<pattern id="{ident}-spent" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{SPENT_COLOUR}"/>'
        '<rect y="4" width="6" height="2" fill="#FFFFFF"/></pattern>'
    )
    return (
        "<defs>"
        f'<pattern id="{ident}-proposed" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{PROPOSED_COLOUR}"/>'
        f'<rect width="3" height="8" fill="{DECIDED_COLOUR}"/></pattern>'
        f'<pattern id="{ident}-over" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{OVER_COLOUR}"/>'
        f'<path d="M0 0L8 8M8 0L0 8" stroke="{INK}" stroke-width="1.5"/></pattern>'
        + (spent_pattern if spent else "")
        + "</defs>"
    )


def _swatch(ident: str, part: str) -> str:
    """The fill of one part of a budget bar."""
    return {
        "decided": DECIDED_COLOUR,
        "proposed": f"url(#{ident}-proposed)",
        "over": f"url(#{ident}-over)",
        "spent": f"url(#{ident}-spent)",
    }.get(part, REMAINING_COLOUR)


def chart_words() -> dict[str, str]:
    """The parts of a budget bar, as every chart and its legend names them."""
    return {
        "spent": _("Spent"),  # the table's column: part of the decided money
        "decided": _("Decided"),
        "proposed": _("Proposed"),
        # What the frame leaves once the proposals pass too: the table's "If approved".
        "remaining": _("Remaining if approved"),
        "over": _("Over the frame"),
        "frame": _("Frame"),
    }


def segments(bar: FrameBar) -> list[tuple[str, int, int]]:
    """The bar's parts from left to right, in kronor from the start: what is spent
    of the decided money, the rest of it and proposed money up to the frame, then
    what remains of it or what overshoots it."""
    limit = bar.frame if bar.frame is not None else bar.used
    spent = min(bar.spent, bar.decided, limit)
    found = [
        ("spent", 0, spent),
        ("decided", spent, min(bar.decided, limit)),
        ("proposed", min(bar.decided, limit), min(bar.used, limit)),
    ]
    if bar.frame is not None:
        found.append(("remaining", bar.used, bar.frame))
        found.append(("over", bar.frame, bar.used))
    return [(part, start, end) for part, start, end in found if end > start]


def amounts(bar: FrameBar, words: dict[str, str], kr: Callable[[int], str]) -> list[str]:
    """A bar in words, the chart's text equivalent: `Beslutat 260 000 kr`, …"""
    parts = [f"{words['decided']} {kr(bar.decided)}", f"{words['proposed']} {kr(bar.proposed)}"]
    if bar.spent:
        parts.insert(1, f"{words['spent']} {kr(bar.spent)}")
    if bar.frame is None:
        return [*parts, _("no frame")]
    parts.append(f"{words['frame']} {kr(bar.frame)}")
    if bar.over:
        return [*parts, f"{words['over']} {kr(bar.over)}"]
    return [*parts, f"{words['remaining']} {kr(bar.remaining or 0)}"]


# --- Drawn as text -----------------------------------------------------------------
#
# For Markdown: each part its own block character, so the bars read in any font,
# in grey print and without colour; `│` marks the frame where the money overshoots it.

TEXT_GLYPHS = {"spent": "▚", "decided": "█", "proposed": "▒", "remaining": "░", "over": "▓"}
TEXT_WIDTH = 24  # characters of the longest bar


@dataclass(frozen=True, slots=True)
class TextBar:
    label: str
    bar: str  # the block characters
    amounts: str  # the bar in words


def budget_text(bars: Sequence[FrameBar], locale: str) -> list[TextBar]:
    """The budget chart as lines of block characters, one per category, scaled so
    the longest (frame or money, whichever is longer) is TEXT_WIDTH characters. A
    part too small for a character still gets one, so no money disappears; the
    parts after it give way, where they can."""
    words = chart_words()
    scale_max = max([1, *(max(bar.used, bar.frame or 0) for bar in bars)])

    def at(value: int) -> int:
        return round(TEXT_WIDTH * value / scale_max)

    drawn = []
    for bar in bars:
        text, drawn_to = "", 0
        for part, _start, end in segments(bar):
            if part == "over":
                text += "│"
            reaches = max(at(end), drawn_to + 1)  # a part too small still shows
            text += TEXT_GLYPHS[part] * (reaches - drawn_to)
            drawn_to = reaches
        drawn.append(
            TextBar(bar.label, text, " · ".join(amounts(bar, words, lambda v: kronor(v, locale))))
        )
    return drawn


def text_legend(spent: bool = False) -> str:
    """What each block character stands for, in the language speaking; money spent
    only where some bar has any."""
    words = chart_words()
    parts = ("spent", "decided", "proposed", "remaining", "over")[0 if spent else 1 :]
    return " · ".join(f"{TEXT_GLYPHS[part]} {words[part].lower()}" for part in parts)


def budget_svg(
    bars: Sequence[FrameBar], locale: str, title: str, *, ident: str = "budget-chart"
) -> str:
    """Per category a horizontal bar: decided, proposed, what remains of the frame,
    and the overshoot beyond it; a black line marks the frame, and every amount is
    also written out below its bar.

    `ident` prefixes the picture's ids (patterns, title): two charts in one HTML
    page need two. Words are in the language speaking (`speaking()`), amounts as
    `locale` writes money.
    """

    def kr(value: int) -> str:
        return kronor(value, locale)

    words = chart_words()
    scale_max = max([1, *(max(bar.used, bar.frame or 0) for bar in bars)])
    left, right = _MARGIN, _WIDTH - _MARGIN
    span = right - left
    spent = any(bar.spent for bar in bars)
    body = [_patterns(ident, spent)]
    # The legend: one swatch per part, and the frame's line; on a second row where
    # the words are too long for one.
    x, y = left, 22
    legend: tuple[str, ...] = ("decided", "proposed", "remaining", "over", "frame")
    if spent:
        legend = ("spent", *legend)
    for part in legend:
        needs = 20 + _text_width(words[part])
        if x > left and x + needs > right:
            x, y = left, y + 22
        if part == "frame":
            body.append(
                f'<line x1="{x + 6}" y1="{y - 14}" x2="{x + 6}" y2="{y + 6}" stroke="{INK}" '
                'stroke-width="3"/>'
            )
            body.append(_label(x + 16, y, words[part]))
            break
        body.append(
            f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{_swatch(ident, part)}" '
            f'stroke="{INK}" stroke-width="1"'
            + (' stroke-dasharray="3 2"' if part == "remaining" else "")
            + "/>"
        )
        body.append(_label(x + 20, y, words[part]))
        x += needs + 22
    y += 26
    described = []
    for bar in bars:
        body.append(_label(left, y + 14, bar.label, weight="bold"))
        top = y + 22
        height = 26

        def at(value: int) -> float:
            return round(left + span * value / scale_max, 1)

        for part, start, end in segments(bar):
            body.append(
                f'<rect x="{at(start)}" y="{top}" width="{round(at(end) - at(start), 1)}" '
                f'height="{height}" fill="{_swatch(ident, part)}" stroke="{INK}" '
                'stroke-width="1"'
                + (' stroke-dasharray="3 2"' if part == "remaining" else "")
                + "/>"
            )
        if bar.frame is not None:
            mark = at(bar.frame)
            body.append(
                f'<line x1="{mark}" y1="{top - 5}" x2="{mark}" y2="{top + height + 5}" '
                f'stroke="{INK}" stroke-width="3"/>'
            )
        parts = amounts(bar, words, kr)
        rows = [" · ".join(parts)]
        if _text_width(rows[0]) > span:  # too long for one line: two
            rows = [" · ".join(parts[:2]), " · ".join(parts[2:])]
        for index, row in enumerate(rows):
            body.append(_label(left, top + height + 18 + 17 * index, row))
        described.append(f"{bar.label}: " + ", ".join(parts) + ".")
        y = top + height + 32 + 17 * (len(rows) - 1)
    desc = " ".join(described) if described else _("No budget lines.")
    return _svg(ident, _WIDTH, y, title, desc, body)


def status_svg(counts: Sequence[StatusCount], title: str, *, ident: str = "status-chart") -> str:
    """Initiatives by status: one horizontal bar per status, its count written at
    its end."""
    label_width = min(max([80, *(_text_width(c.label) for c in counts)]) + 12, 300)
    left = _MARGIN + label_width
    span = _WIDTH - left - _MARGIN - 40
    most = max([1, *(c.count for c in counts)])
    body: list[str] = []
    y = 12
    for count in counts:
        body.append(_label(_MARGIN, y + 17, _clip(count.label, label_width - 12)))
        width = round(span * count.count / most, 1)
        if count.count:
            body.append(
                f'<rect x="{left}" y="{y + 2}" width="{width}" height="22" '
                f'fill="{DECIDED_COLOUR}" stroke="{INK}" stroke-width="1"/>'
            )
        body.append(_label(left + width + 6, y + 18, str(count.count), weight="bold"))
        y += 32
    desc = ", ".join(f"{c.label}: {c.count}" for c in counts) + "." if counts else "–"
    return _svg(ident, _WIDTH, y + 8, title, desc, body)


@dataclass(frozen=True, slots=True)
class _Tie:
    """One line of the weave: a relation (from one initiative to another), or a
    budget line or an event that several initiatives share."""

    kind: str  # "relation", "budget" or "event"
    label: str
    ends: tuple[str, ...]  # initiative ids; a relation's first is where it starts


def weave_ties(portfolio: Portfolio, snap: Snapshot) -> list[_Tie]:
    """What ties the snapshot's initiatives together, in the portfolio's order."""
    shown = {state.id for group in snap.groups for state in group.initiatives}
    relations = portfolio.settings.vocabularies.relations
    locale = portfolio.settings.resolved_locale()
    ties: list[_Tie] = []
    for key, initiative in portfolio.initiatives.items():
        for relation in initiative.related:
            if key in shown and relation.initiative in shown:
                kind = relations.get(relation.type, relation.type) if relation.type else ""
                ties.append(_Tie("relation", kind, (key, relation.initiative)))
    for line in portfolio.budget.values():
        funded = tuple(f.initiative for f in line.initiatives if f.initiative in shown)
        if len(funded) > 1:
            amount = kronor(line.amount, locale)
            ties.append(_Tie("budget", f"{line.title} ({amount})", funded))
    for event in portfolio.events.values():
        linked = tuple(i for i in event.initiatives if i in shown)
        if linked:
            when = f" ({event.date.isoformat()})" if event.date else ""
            ties.append(_Tie("event", f"{event.title}{when}", linked))
    return ties


def weave_svg(
    portfolio: Portfolio, snap: Snapshot, title: str, *, ident: str = "weave-chart"
) -> str:
    """The portfolio's weave: its initiatives as boxes in one column per status,
    and below them one lane per tie: a relation (an arrow to the initiative it
    names, its kind written on the lane), a shared budget line (dashed) or an
    event (dotted) with its name on the lane, joined to each initiative it ties.

    Lines run only in the gutters left of each column and in the lanes below the
    columns, so none crosses a box. `portfolio` is the portfolio as known on the
    snapshot's day (views/asof.py known_on).
    """
    groups = [group for group in snap.groups if group.initiatives] or list(snap.groups)
    titles = {state.id: state.initiative.title for g in groups for state in g.initiatives}
    columns = max(len(groups), 1)
    gutter, size, line_height = 40, 11, 14
    width = max(720, gutter + columns * (150 + gutter))
    box_width = (width - gutter - _MARGIN - (columns - 1) * gutter) // columns
    fits = max(int((box_width - 12) / (size * 0.62)), 6)
    boxes: dict[str, tuple[int, int, int]] = {}  # id -> column, top, bottom
    body = [
        "<defs>"
        f'<marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        f'<path d="M0 0L10 5L0 10z" fill="{INK}"/></marker>'
        "</defs>"
    ]
    bottom = 0
    for column, group in enumerate(groups):
        x = gutter + column * (box_width + gutter)
        body.append(_label(x, 20, _clip(group.label, box_width), weight="bold"))
        y = 32
        for state in group.initiatives:
            rows = _wrapped(state.initiative.title, fits, 5)
            height = 10 + line_height * len(rows)
            body.append(
                f'<rect x="{x}" y="{y}" width="{box_width}" height="{height}" rx="4" '
                f'fill="#EEF5FB" stroke="{DECIDED_COLOUR}" stroke-width="1.5"/>'
            )
            for index, row in enumerate(rows):
                body.append(_label(x + 6, y + 16 + line_height * index, row, size=size))
            boxes[state.id] = (column, y, y + height)
            y += height + 10
        bottom = max(bottom, y)
    ties = [tie for tie in weave_ties(portfolio, snap) if all(e in boxes for e in tie.ends)]
    lane = bottom + 14
    styles = {
        "relation": "",
        "budget": ' stroke-dasharray="8 4"',
        "event": ' stroke-dasharray="2 3"',
    }
    slots = max(int((gutter - 8) / 5), 1)
    described: list[str] = []
    for number, tie in enumerate(ties):
        offset = 6 + 5 * (number % slots)
        style = f'fill="none" stroke="{INK}" stroke-width="1.5"{styles[tie.kind]}'
        xs = []
        for end_index, end in enumerate(tie.ends):
            column, top, low = boxes[end]
            box_x = gutter + column * (box_width + gutter)
            riser = box_x - offset
            middle = (top + low) // 2
            arrow = (
                f' marker-end="url(#{ident}-arrow)"'
                if tie.kind == "relation" and end_index == 1
                else ""
            )
            body.append(f'<path d="M{riser} {lane}V{middle}H{box_x}" {style}{arrow}/>')
            xs.append(riser)
        body.append(f'<path d="M{min(xs)} {lane}H{max(xs)}" {style}/>')
        names = [titles[e] for e in tie.ends]
        word = {
            "relation": _("Relation"),
            "budget": _("Shared budget line"),
            "event": _("Event"),
        }[tie.kind]
        label = f"{word}: {tie.label}" if tie.label else word
        text = _clip(label, width - 2 * _MARGIN, size)
        where = max(min(min(xs) + 4, width - _MARGIN - _text_width(text, size)), _MARGIN)
        body.append(_label(where, lane + 14, text, size=size))
        if tie.kind == "relation":
            described.append(
                f"{names[0]} → {names[1]}" + (f" ({tie.label})" if tie.label else "") + "."
            )
        else:
            described.append(f"{label}: " + ", ".join(names) + ".")
        lane += 32
    listing = [
        f"{group.label}: " + "; ".join(s.initiative.title for s in group.initiatives) + "."
        for group in groups
    ]
    desc = " ".join([*listing, *described])
    return _svg(ident, width, lane + 4, title, desc, body)


def _wrapped(text: str, fits: int, most: int) -> list[str]:
    """Text broken into lines of at most `fits` characters at spaces, at most
    `most` lines (the last one ending in an ellipsis when the text goes on)."""
    rows: list[str] = []
    row = ""
    for word in text.split():
        while len(word) > fits:  # a word longer than a line: broken
            if row:
                rows.append(row)
                row = ""
            rows.append(word[: fits - 1] + "-")
            word = word[fits - 1 :]
        if row and len(row) + 1 + len(word) > fits:
            rows.append(row)
            row = word
        else:
            row = f"{row} {word}" if row else word
    if row:
        rows.append(row)
    if len(rows) > most:
        rows = rows[:most]
        rows[-1] = rows[-1][: fits - 1].rstrip() + "…"
    return rows or [""]


def _label(x: float, y: float, text: str, *, weight: str = "normal", size: int = 13) -> str:
    return (
        f'<text x="{x}" y="{y}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
        f'fill="{INK}">{xml_text(text)}</text>'
    )


def _text_width(text: str, size: float = 13) -> int:
    """About how wide a line of text is in DejaVu Sans (no font at hand to measure)."""
    return int(len(text) * size * 0.62) + 1


def _clip(text: str, width: float, size: float = 13) -> str:
    """Text shortened with an ellipsis to about `width` (the <desc> keeps it whole)."""
    fits = max(int(width / (size * 0.62)), 4)
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """A chart as a PNG picture, for documents that take no SVG (Word)."""
    from kontrakt.render import raster

    return raster.svg_to_png(svg, scale=scale)


def markdown_chart(view: BudgetView, locale: str) -> dict[str, Any]:
    """The budget chart for templates/budget-chart.md.j2: each bar a code span (so it
    keeps its width in any renderer), its amounts in words, and the legend."""
    from kontrakt.render.markdown import Markdown

    bars = budget_bars(view)
    return {
        "bars": [
            {"label": bar.label, "bar": Markdown(f"`{bar.bar}`"), "amounts": bar.amounts}
            for bar in budget_text(bars, locale)
        ],
        "legend": text_legend(any(bar.spent for bar in bars)),
    }
