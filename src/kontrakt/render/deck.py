"""`kontrakt agenda DATE --format pptx`: the core team's deck, as native slides.

The deck is built as the team's own deck of 2024-02-27 is: a title slide, then
one slide per section of the agenda in its order (news and events, the
initiatives by status, the budget with a chart against its frames, research and
education, open questions, decisions, communication, other notes). Everything it
shows comes from the same plain-data context as the Markdown agenda
(render/agenda.py `agenda_context`), and the chart's numbers from
render/charts.py `budget_bars`, so the documents agree.

Text is native: text boxes, tables and a PowerPoint chart, all editable. No text
box or table holds more than fits: every piece of text is measured
conservatively (an estimated width per character, a line height per point of
font size) and a section that does not fit continues on the next slide, titled
"(continued)". `measure_*` below is that measure; the tests read the saved deck
back and check every frame against it.

With the team's template (`--reference`, or `documents.pptx` in kontrakt.yaml),
the slides use its layouts (picked by their placeholders: a title and subtitle
for the title slide, a title and one body for the rest) and its master; the
template's own slides are left out. Without one, python-pptx's default template,
widened to 16:9.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kontrakt.errors import ProblemFound
from kontrakt.i18n import _, pgettext, speaking
from kontrakt.labels import COLUMNS
from kontrakt.models import KINDS_BY_NAME
from kontrakt.render import charts, numbers
from kontrakt.render.agenda import AgendaRequest, agenda_context
from kontrakt.render.budget import labeller
from kontrakt.render.charts import FrameBar, budget_bars
from kontrakt.render.output import Output
from kontrakt.render.reference import reference
from kontrakt.render.safe import fold
from kontrakt.views.asof import known_on
from kontrakt.views.budget import Filters, budget_view

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide, SlideLayout
    from pptx.util import Length

# --- the measure -------------------------------------------------------------------
#
# Lengths are in points. A character is taken as 0.56 em wide (0.64 em in bold),
# wider than the usual sans fonts write the portfolio's text on average (Calibri
# about 0.47 em, Arial 0.47, DejaVu Sans, the widest, 0.53; bold 0.6), and a line
# as 1.2 em high (DejaVu Sans 1.16, Calibri 1.22, its narrower letters wrapping
# less), so text measured to fit does fit.

CHAR_EM = 0.56
BOLD_CHAR_EM = 0.64
LINE_EM = 1.2
INSET_X = 7.2  # a text box's and a table cell's left and right margin
INSET_Y = 3.6  # … and top and bottom margin
BULLET_INDENT = 18.0  # a bullet paragraph's left margin, per level
GAP = 10.0  # between two pieces of one column

TITLE_SIZES = (36.0, 32.0, 28.0, 24.0, 20.0)
HEADING = 18.0
BODY = 16.0
SUB = 14.0
TABLE = 12.0
SMALL = 11.0
CHART_SHARE = 0.62  # of the width, for the table beside the budget's chart
EMU_PER_PT = 12700


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph of a text box: a bullet (by level) or plain text."""

    text: str
    level: int = 0
    bullet: bool = True
    bold: bool = False
    size: float = BODY

    @property
    def margin(self) -> float:
        return BULLET_INDENT * (self.level + 1) if self.bullet else BULLET_INDENT * self.level

    @property
    def space_before(self) -> float:
        return round(self.size * 0.3, 1)


def chars_per_line(width: float, size: float, bold: bool = False) -> int:
    """How many characters a line of `width` points holds at `size` points."""
    return max(1, math.floor(width / (size * (BOLD_CHAR_EM if bold else CHAR_EM))))


def wrap(text: str, chars: int) -> list[str]:
    """`text` broken into lines of at most `chars` characters, at spaces where it
    can (a no-break space holds, as in "1 310 000 kr"), inside a word where a word
    is longer than a line."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while len(word) > chars:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:chars])
            word = word[chars:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= chars:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def para_lines(para: Para, width: float) -> list[str]:
    """The lines of a paragraph in a text box `width` points wide."""
    usable = width - 2 * INSET_X - para.margin
    return wrap(para.text, chars_per_line(usable, para.size, para.bold))


def para_height(para: Para, width: float) -> float:
    return para.space_before + len(para_lines(para, width)) * para.size * LINE_EM


def text_height(paras: Sequence[Para], width: float) -> float:
    """The height a text box `width` points wide needs for `paras`."""
    return 2 * INSET_Y + sum(para_height(para, width) for para in paras)


def cell_height(text: str, width: float, size: float, bold: bool = False) -> float:
    lines = wrap(text, chars_per_line(width - 2 * INSET_X, size, bold))
    return len(lines) * size * LINE_EM + 2 * INSET_Y


def row_height(cells: Sequence[str], widths: Sequence[float], size: float, bold: bool) -> float:
    """The height a table row needs: its tallest cell. A row of one cell is a group's
    heading across the whole table, in bold."""
    if len(cells) == 1 and len(widths) > 1:
        return cell_height(cells[0], sum(widths), size, True)
    return max(
        cell_height(text, width, size, bold) for text, width in zip(cells, widths, strict=True)
    )


# --- the content, as blocks that flow into columns ----------------------------------


@dataclass(slots=True)
class TextBlock:
    """Paragraphs under an optional heading, which is repeated, marked as
    continued, where the block goes on in another column or slide."""

    paras: list[Para]
    heading: Para | None = None
    new_column: bool = False  # starts a column of its own


@dataclass(slots=True)
class TableBlock:
    """A table (header row and rows) under an optional heading; split between
    rows, with the header repeated."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the width
    right: frozenset[int] = frozenset()  # right-aligned columns (amounts)
    heading: Para | None = None
    new_column: bool = False
    size: float = TABLE


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


@dataclass(slots=True)
class Piece:
    """What one column of one slide holds of a block."""

    rect: Rect
    heading: Para | None = None  # a table's heading, above it
    paras: list[Para] = field(default_factory=list)
    table: TableBlock | None = None


Block = TextBlock | TableBlock


def continued_title(text: str) -> str:
    return pgettext("deck", "%(title)s (continued)") % {"title": text}


def continued(para: Para | None) -> Para | None:
    return None if para is None else replace(para, text=continued_title(para.text))


def column_widths(table: TableBlock, width: float) -> list[float]:
    widths = [width * fraction for fraction in table.widths[:-1]]
    return [*widths, width - sum(widths)]


class Flow:
    """Blocks poured into columns, column after column, slide after slide."""

    def __init__(self, columns: Callable[[int], list[Rect]]) -> None:
        self.columns = columns
        self.pages: list[list[Piece]] = [[]]
        self.column = 0
        self.used = 0.0

    @property
    def rect(self) -> Rect:
        return self.columns(len(self.pages) - 1)[self.column]

    def room(self) -> float:
        return self.rect.h - self.used - (GAP if self.used else 0.0)

    def advance(self) -> None:
        self.column += 1
        self.used = 0.0
        if self.column >= len(self.columns(len(self.pages) - 1)):
            self.pages.append([])
            self.column = 0

    def emit(self, piece: Piece, height: float) -> None:
        top = self.rect.y + self.used + (GAP if self.used else 0.0)
        piece.rect = Rect(self.rect.x, top, self.rect.w, height)
        self.pages[-1].append(piece)
        self.used += height + (GAP if self.used else 0.0)

    def pour(self, blocks: Sequence[Block]) -> list[list[Piece]]:
        for block in blocks:
            if block.new_column and self.used:
                self.advance()
            if isinstance(block, TextBlock):
                self._text(block)
            else:
                self._table(block)
        return [page for page in self.pages if page] or [[]]

    def _text(self, block: TextBlock) -> None:
        pending = list(block.paras)
        if not pending and block.heading is None:
            return
        first = True
        while True:
            head = block.heading if first else continued(block.heading)
            width = self.rect.w
            chosen = [head] if head else []
            while pending and text_height([*chosen, pending[0]], width) <= self.room():
                chosen.append(pending.pop(0))
            start = 1 if head else 0
            if pending and pending[0].level > 0:
                # an item and its sub-items go on together, unless the item began here
                parents = [i for i in range(start, len(chosen)) if chosen[i].level == 0]
                if parents and parents[-1] > start:
                    pending[:0] = chosen[parents[-1] :]
                    del chosen[parents[-1] :]
            body = len(chosen) - start
            if body == 0 and (pending or text_height(chosen, width) > self.room()):
                if self.used:
                    self.advance()
                    continue
                if pending:  # one paragraph taller than an empty column: cut it
                    part, rest = split_para(
                        pending[0], width, self.room() - text_height(chosen, width)
                    )
                    chosen.append(part)
                    if rest is None:
                        pending.pop(0)
                    else:
                        pending[0] = rest
            self.emit(Piece(self.rect, paras=chosen), text_height(chosen, width))
            first = False
            if not pending:
                return
            self.advance()

    def _table(self, block: TableBlock) -> None:
        pending = list(block.rows)
        first = True
        while pending:
            head = block.heading if first else continued(block.heading)
            width = self.rect.w
            widths = column_widths(block, width)
            above = text_height([head], width) if head else 0.0
            total = above + row_height(block.header, widths, block.size, True)
            rows: list[list[str]] = []
            while pending:
                height = row_height(pending[0], widths, block.size, False)
                if total + height > self.room():
                    break
                rows.append(pending.pop(0))
                total += height
            if pending and rows and len(rows[-1]) == 1 < len(widths):
                # a group's heading goes on with its first row
                pending.insert(0, rows.pop())
                total -= row_height(pending[0], widths, block.size, False)
            if not rows:
                if self.used:
                    self.advance()
                    continue
                row = shorten_row(pending.pop(0), widths, block.size, self.room() - total)
                rows.append(row)
                total += row_height(row, widths, block.size, False)
            self.emit(Piece(self.rect, heading=head, table=replace(block, rows=rows)), total)
            first = False
            if pending:
                self.advance()


def split_para(para: Para, width: float, room: float) -> tuple[Para, Para | None]:
    """The lines of `para` that fit in `room` points, and the rest."""
    lines = para_lines(para, width)
    fit = max(1, math.floor((room - 2 * INSET_Y - para.space_before) / (para.size * LINE_EM)))
    if fit >= len(lines):
        return para, None
    rest = " ".join(lines[fit:])
    return replace(para, text=" ".join(lines[:fit])), replace(para, text=rest)


def shorten_row(row: list[str], widths: Sequence[float], size: float, room: float) -> list[str]:
    """A row taller than a whole column, its cells cut to what fits, marked `…`."""
    fit = max(1, math.floor((room - 2 * INSET_Y) / (size * LINE_EM)))
    cells = []
    for text, width in zip(row, widths, strict=True):
        lines = wrap(text, chars_per_line(width - 2 * INSET_X, size))
        cells.append(text if len(lines) <= fit else " ".join(lines[:fit])[:-1] + "…")
    return cells


# --- the sections ------------------------------------------------------------------


@dataclass(slots=True)
class Section:
    title: str
    blocks: list[Block]
    sources: str  # the speaker notes' "where this comes from"
    columns: int = 1
    chart: list[FrameBar] | None = None  # beside the first slide's content


def clean(value: object) -> str:
    """User text as one line of plain text: no control characters (shown as
    `\\x1b`), line breaks and tabs folded into a space."""
    return fold(str(value)).strip()


def _folder(kind: str) -> str:
    return f"{KINDS_BY_NAME[kind].folder}/*.yaml"


def sections(
    context: dict[str, Any], bars: list[FrameBar], meeting_file: str | None
) -> list[Section]:
    """The deck's slides after the title, in the agenda's order, as blocks."""
    day = context["day"]
    meeting = context["meeting"]
    found: list[Section] = []

    news: list[Block] = []
    items: list[Para] = []
    for item in context["news"]:
        items.append(Para(clean(item["title"])))
        if item["description"]:
            items.append(Para(clean(item["description"]), level=1, size=SUB))
    if not items:
        if context["previous"]:
            empty = _("No news since the last meeting on %(day)s.") % {"day": context["previous"]}
        else:
            empty = _("No news since the last meeting.")
        items.append(Para(empty, bullet=False))
    news.append(TextBlock(items))
    events = [
        [
            clean(event["title"]),
            event["date"]
            + (
                f"–{event['end_date']}"
                if event["end_date"] and event["end_date"] != event["date"]
                else ""
            )
            if event["date"]
            else "",
            (f"{event['start']}–{event['end']}" if event["end"] else event["start"])
            if event["start"]
            else "",
            clean(event["place"]),
        ]
        for event in context["events"]
    ]
    if events:
        news.append(
            TableBlock(
                [_("Event"), _("Date"), _("Time"), _("Place")],
                events,
                [0.42, 0.17, 0.14, 0.27],
                heading=Para(_("Upcoming events"), bullet=False, bold=True, size=HEADING),
            )
        )
    found.append(
        Section(
            _("News from %(name)s") % {"name": clean(context["name"])},
            news,
            ", ".join([_folder("news"), _folder("event")]),
        )
    )

    groups: list[Block] = [
        TextBlock(
            [Para(clean(item["title"])) for item in group["initiatives"]],
            heading=Para(clean(group["label"]), bullet=False, bold=True, size=HEADING),
            new_column=True,
        )
        for group in context["groups"]
    ]
    if not groups:
        groups = [TextBlock([Para(_("Nothing to bring up."), bullet=False)])]
    found.append(
        Section(
            pgettext("agenda", "Initiatives"),
            groups,
            _folder("initiative"),
            columns=max(1, min(3, len(groups))),
        )
    )

    actions = context["actions"]
    if context["since"] or actions["open"] or actions["done"]:
        # A slide of its own only with something on it: the deck keeps the source
        # deck's slides, and a month without news needs no slide to say so.
        found.append(
            Section(_("Since the last meeting"), since_blocks(context), _folder("initiative"))
        )

    budget = context["budget"]
    money: list[Block] = []
    lines: list[list[str]] = []
    for phase in budget["phases"]:
        lines.append([clean(phase["label"])])
        lines += [[clean(line["title"]), line["amount"], _details(line)] for line in phase["lines"]]
    if lines:
        money.append(
            TableBlock(
                [_("Budget line"), _("Amount"), _("Details")],
                lines,
                [0.36, 0.2, 0.44],
                right=frozenset({1}),
                size=SMALL,
            )
        )
    spent = any(row["spent"] is not None for row in budget["frames"])
    frames = [
        [
            _("Total %(label)s") % {"label": clean(row["label"]).lower()}
            if row["frame"]
            else clean(row["label"]),
            row["frame"] or "–",
            row["decided"],
            *([row["spent"]] if spent else []),
            row["proposed"],
            (row["remaining_if_approved"] or "–")
            + (f" ({_('over the frame')})" if row["over_frame"] else ""),
        ]
        for row in budget["frames"]
    ]
    if frames:
        headers = [_(COLUMNS["frame"]), _(COLUMNS["decided"]), _(COLUMNS["proposed"])]
        widths = [0.26, 0.19, 0.17, 0.18, 0.20]
        if spent:  # what was spent beside the decided money it is part of
            headers.insert(2, _(COLUMNS["spent"]))
            widths = [0.17, 0.17, 0.165, 0.165, 0.165, 0.165]
        money.append(
            TableBlock(
                [_("Category"), *headers, _(COLUMNS["remaining_if_approved"])],
                frames,
                widths,
                right=frozenset(range(1, len(widths))),
                size=SMALL,
            )
        )
    if not money:
        money = [TextBlock([Para(_("Nothing to bring up."), bullet=False)])]
    found.append(
        Section(
            pgettext("deck", "Budget update"),
            money,
            ", ".join([_folder("budget"), pgettext("deck", "kontrakt.yaml (the frames)")]),
            chart=bars or None,
        )
    )

    by_kind = context["by_kind"]
    research: list[Block] = []
    for kind, heading in (("research", None), ("education", _("…and education"))):
        paras: list[Para] = []
        for item in by_kind.get(kind, []):
            paras.append(Para(clean(item["title"])))
            paras += [Para(clean(note), level=1, size=SUB) for note in item["notes"]]
        if not paras:
            paras = [Para(_("Nothing to bring up."), bullet=False)]
        research.append(
            TextBlock(
                paras,
                heading=Para(heading, bullet=False, bold=True, size=HEADING) if heading else None,
                new_column=True,
            )
        )
    found.append(Section(_("Research"), research, _folder("initiative"), columns=2))

    asked: list[Block] = []
    for question in context["questions"]:
        paras = [Para(clean(point)) for point in question["points"]]
        about = []
        if question["to"]:
            about.append(_("To: %(to)s") % {"to": clean(question["to"])})
        if question["initiatives"]:
            about.append(
                _("Concerns: %(initiatives)s")
                % {"initiatives": ", ".join(clean(title) for title in question["initiatives"])}
            )
        if about:
            paras.append(Para(" · ".join(about), bullet=False, size=SUB))
        asked.append(
            TextBlock(
                paras, heading=Para(clean(question["title"]), bullet=False, bold=True, size=HEADING)
            )
        )
    if not asked:
        asked.append(TextBlock([Para(_("No open questions."), bullet=False)]))
    if context["answered"]:
        asked.append(
            TextBlock(
                [
                    Para(f"{clean(q['title'])} ({q['answered']}): {clean(q['answer'] or '')}")
                    for q in context["answered"]
                ],
                heading=Para(
                    _("Answered since the last meeting"), bullet=False, bold=True, size=HEADING
                ),
            )
        )
    found.append(Section(_("Open questions"), asked, _folder("question")))

    from_meeting = meeting_file or _folder("meeting")
    if meeting["decisions"]:
        decided = []
        for decision in meeting["decisions"]:
            decided.append(Para(clean(decision["line"])))  # as every format writes it
        found.append(Section(_("Decisions"), [TextBlock(decided)], from_meeting))

    prompts = [Para(clean(prompt)) for prompt in meeting["communication"]]
    if prompts:
        said = from_meeting
    else:
        prompts = [
            Para(_("What have we done?")),
            Para(_("What do we need to focus on now?")),
            Para(_("What do others need to know?")),
        ]
        said = pgettext("deck", "kontrakt's standing prompts (no meeting file)")
    found.append(Section(_("Communication"), [TextBlock(prompts)], said))

    if meeting["notes"]:
        notes = [Para(clean(note)) for note in meeting["notes"]]
        found.append(Section(_("Other"), [TextBlock(notes)], from_meeting))
    for section in found:
        section.sources = pgettext("deck", "Source: %(files)s, as of %(day)s.") % {
            "files": section.sources,
            "day": day,
        }
    return found


def since_blocks(context: dict[str, Any]) -> list[Block]:
    """Each initiative's news since the last meeting under its title; or one line
    saying there is none."""
    blocks: list[Block] = []
    for item in context["since"]:
        paras: list[Para] = []
        for entry in item["entries"]:
            paras.append(Para(clean(entry["line"])))
            paras += [Para(clean(note), level=1, size=SUB) for note in entry["notes"]]
        blocks.append(
            TextBlock(
                paras, heading=Para(clean(item["title"]), bullet=False, bold=True, size=HEADING)
            )
        )
    if not blocks:
        previous = context["previous"]
        nothing = (
            _("Nothing new on the initiatives since the last meeting on %(day)s.")
            % {"day": previous}
            if previous
            else _("Nothing new on the initiatives.")
        )
        blocks.append(TextBlock([Para(nothing, bullet=False)]))
    for heading, actions in (
        (_("Open actions"), context["actions"]["open"]),
        (_("Done since the last meeting"), context["actions"]["done"]),
    ):
        if actions:
            blocks.append(
                TextBlock(
                    [Para(clean(action["line"])) for action in actions],
                    heading=Para(heading, bullet=False, bold=True, size=HEADING),
                )
            )
    return blocks


def _details(line: dict[str, Any]) -> str:
    said = " – ".join(part for part in (clean(line["about"]), _state(line)) if part)
    return said + str(line["spent_said"])


def _state(line: dict[str, Any]) -> str:
    if not line["decided"]:
        return _("proposed")
    if line["decided_on"]:
        return pgettext("agenda", "decided %(day)s") % {"day": line["decided_on"]}
    return pgettext("agenda", "decided")


# --- the template: layouts, and where text goes ------------------------------------


def _open(template: bytes | None, named: str) -> Presentation:
    from pptx import Presentation as open_presentation

    if template is None:
        prs = open_presentation()
        _widen(prs)
        return prs
    try:
        prs = open_presentation(io.BytesIO(template))
    except Exception as exc:  # whatever python-pptx cannot read is no template
        raise ProblemFound(
            _("{path} is not a PowerPoint file kontrakt can use as a template: {reason}").format(
                path=named, reason=clean(exc) or type(exc).__name__
            )
        ) from None
    if not len(prs.slide_layouts):
        raise ProblemFound(_("{path} has no slide layouts to build the deck on").format(path=named))
    slides = prs.slides._sldIdLst
    for slide_id in list(slides):  # the template's own slides are not the deck's
        prs.part.drop_rel(slide_id.rId)
        slides.remove(slide_id)
    return prs


def _widen(prs: Presentation) -> None:
    """python-pptx's default template, 4:3, made 16:9 with its layouts widened."""
    from pptx.oxml.ns import qn

    old = prs.slide_width or 9144000
    new = 12192000
    prs.slide_width = _emu(new / EMU_PER_PT)
    factor = new / old
    masters = list(prs.slide_masters)
    trees = list(masters) + [layout for m in masters for layout in m.slide_layouts]
    for part in trees:
        for offset in part._element.iter(qn("a:off")):
            offset.set("x", str(round(int(offset.get("x", "0")) * factor)))
        for extent in part._element.iter(qn("a:ext")):
            if extent.get("cx") is not None:
                extent.set("cx", str(round(int(extent.get("cx", "0")) * factor)))
    # a lower title and a taller body than the 4:3 original's, for more on a slide
    from pptx.enum.shapes import PP_PLACEHOLDER

    for master in masters:
        for ph in _placeholders(master):
            kind = ph.placeholder_format.type
            if kind == PP_PLACEHOLDER.TITLE:
                ph.top, ph.height = _emu(0.25 * 72), _emu(1.0 * 72)
            elif kind == PP_PLACEHOLDER.BODY:
                ph.top, ph.height = _emu(1.4 * 72), _emu(5.45 * 72)


def _placeholders(owner: Any) -> list[Any]:
    return list(owner.placeholders)


def _kind(placeholder: Any) -> int:
    return int(placeholder.placeholder_format.type)


def pick_layouts(prs: Presentation) -> tuple[SlideLayout, SlideLayout]:
    """The layout for the title slide and the one for the others, by placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    title, center, subtitle = (
        PP_PLACEHOLDER.TITLE,
        PP_PLACEHOLDER.CENTER_TITLE,
        PP_PLACEHOLDER.SUBTITLE,
    )
    bodies = {int(PP_PLACEHOLDER.BODY), int(PP_PLACEHOLDER.OBJECT)}
    layouts = list(prs.slide_layouts)

    def first(test: Callable[[set[int], list[int]], bool]) -> SlideLayout | None:
        for layout in layouts:
            kinds = [_kind(ph) for ph in _placeholders(layout)]
            if test(set(kinds), kinds):
                return layout
        return None

    title_layout = (
        first(lambda k, _l: int(center) in k and int(subtitle) in k)
        or first(lambda k, _l: int(title) in k and int(subtitle) in k)
        or first(lambda k, _l: bool({int(center), int(title)} & k))
        or layouts[0]
    )
    content_layout = (
        first(lambda k, kinds: int(title) in k and sum(kind in bodies for kind in kinds) == 1)
        or first(lambda k, _l: int(title) in k and bool(bodies & k))
        or first(lambda k, _l: int(title) in k)
        or layouts[-1]
    )
    return title_layout, content_layout


def _rect(shape: Any) -> Rect | None:
    if shape is None or shape.width is None or shape.height is None:
        return None
    return Rect(
        shape.left / EMU_PER_PT,
        shape.top / EMU_PER_PT,
        shape.width / EMU_PER_PT,
        shape.height / EMU_PER_PT,
    )


def _placeholder(layout: SlideLayout, kinds: set[int]) -> Any:
    for ph in _placeholders(layout):
        if _kind(ph) in kinds:
            return ph
    return None


@dataclass(frozen=True, slots=True)
class Geometry:
    slide: Rect
    title: Rect
    content: Rect


def geometry(prs: Presentation, layout: SlideLayout) -> Geometry:
    """Where a content slide's title and content go, from its layout's placeholders."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    width = (prs.slide_width or 12192000) / EMU_PER_PT
    height = (prs.slide_height or 6858000) / EMU_PER_PT
    slide = Rect(0, 0, width, height)
    margin = min(36.0, width / 20)
    title = _rect(
        _placeholder(layout, {int(PP_PLACEHOLDER.TITLE), int(PP_PLACEHOLDER.CENTER_TITLE)})
    )
    if title is None:
        title = Rect(margin, margin / 2, width - 2 * margin, height / 6)
    body = _rect(_placeholder(layout, {int(PP_PLACEHOLDER.BODY), int(PP_PLACEHOLDER.OBJECT)}))
    if body is None or body.h < height / 4 or body.w < width / 3:
        top = title.y + title.h + 8
        body = Rect(title.x, top, title.w, height - top - margin / 2)
    # within the slide, whatever the template says
    x, y = max(body.x, 0.0), max(body.y, 0.0)
    body = Rect(x, y, min(body.w, width - x), min(body.h, height - y))
    return Geometry(slide, title, body)


# --- drawing -----------------------------------------------------------------------


def _emu(points: float) -> Length:
    from pptx.util import Emu

    return Emu(round(points * EMU_PER_PT))


def _paragraph_format(paragraph: Any, para: Para) -> None:
    from pptx.oxml.xmlchemy import OxmlElement
    from pptx.util import Pt

    paragraph.level = min(para.level, 8)
    paragraph.line_spacing = 1.0
    paragraph.space_before = Pt(para.space_before)
    paragraph.space_after = Pt(0)
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(_emu(para.margin)))
    properties.set("indent", str(_emu(-BULLET_INDENT * 0.8) if para.bullet else 0))
    if para.bullet:
        font, char = OxmlElement("a:buFont"), OxmlElement("a:buChar")
        font.set("typeface", "Arial")
        char.set("char", "–" if para.level else "•")
        properties.append(font)
        properties.append(char)
    else:
        properties.append(OxmlElement("a:buNone"))


def _run(paragraph: Any, text: str, size: float, bold: bool) -> None:
    from pptx.util import Pt

    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold


def _frame(frame: Any) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.util import Pt

    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = Pt(INSET_X)
    frame.margin_top = frame.margin_bottom = Pt(INSET_Y)


def draw_text(slide: Slide, rect: Rect, paras: Sequence[Para]) -> None:
    box = slide.shapes.add_textbox(_emu(rect.x), _emu(rect.y), _emu(rect.w), _emu(rect.h))
    frame = box.text_frame
    _frame(frame)
    for index, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _paragraph_format(paragraph, para)
        _run(paragraph, para.text, para.size, para.bold)


def draw_table(slide: Slide, rect: Rect, table: TableBlock) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    widths = column_widths(table, rect.w)
    rows = [table.header, *table.rows]
    heights = [row_height(row, widths, table.size, index == 0) for index, row in enumerate(rows)]
    frame = slide.shapes.add_table(
        len(rows), len(widths), _emu(rect.x), _emu(rect.y), _emu(rect.w), _emu(sum(heights))
    )
    grid = frame.table
    for index, width in enumerate(widths):
        grid.columns[index].width = _emu(width)
    for r, (row, height) in enumerate(zip(rows, heights, strict=True)):
        grid.rows[r].height = _emu(height)
        group = len(row) == 1 < len(widths)
        if group:
            grid.cell(r, 0).merge(grid.cell(r, len(widths) - 1))
        for c, text in enumerate(row):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Pt(INSET_X)
            cell.margin_top = cell.margin_bottom = Pt(INSET_Y)
            cell.text_frame.word_wrap = True
            paragraph = cell.text_frame.paragraphs[0]
            if c in table.right and not group:
                paragraph.alignment = PP_ALIGN.RIGHT
            _run(paragraph, text, table.size, r == 0 or group)


def draw_chart(
    slide: Slide, rect: Rect, bars: Sequence[FrameBar], money: Callable[[int], str]
) -> None:
    """A clustered bar chart of `bars` (render/charts.py): per category its frame,
    what is decided, proposed, left if the proposals pass, and over the frame."""
    from pptx.enum.chart import (
        XL_CHART_TYPE,
        XL_LABEL_POSITION,
        XL_LEGEND_POSITION,
        XL_TICK_LABEL_POSITION,
    )
    from pptx.util import Pt

    data = _chart_data()
    data.categories = [clean(bar.label) for bar in bars]
    words = charts.chart_words()
    series: list[tuple[str, list[int | None], str]] = [
        (words["frame"], [bar.frame for bar in bars], "A6A6A6"),
        (words["decided"], [bar.decided for bar in bars], "1F4E79"),
        (words["proposed"], [bar.proposed for bar in bars], "5B9BD5"),
        (words["remaining"], [bar.remaining for bar in bars], "70AD47"),
        (words["over"], [bar.over for bar in bars], "C00000"),
    ]
    if any(bar.spent for bar in bars):  # beside the decided money it is part of
        series.insert(2, (words["spent"], [bar.spent for bar in bars], "003E66"))
    for name, values, _hex in series:
        data.add_series(name, values)
    shape = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, _emu(rect.x), _emu(rect.y), _emu(rect.w), _emu(rect.h), data
    )
    chart = shape.chart  # type: ignore[attr-defined]
    chart.has_title = True
    chart.chart_title.text_frame.text = _("Against the frames")
    chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(10)
    chart.font.size = Pt(10)
    plot = chart.plots[0]
    plot.gap_width = 50
    plot.overlap = 0
    for (name, values, color), drawn in zip(series, plot.series, strict=True):
        if name == words["spent"]:  # a pattern, not colour alone, as in the other charts
            from pptx.enum.dml import MSO_PATTERN

            drawn.format.fill.patterned()
            drawn.format.fill.pattern = MSO_PATTERN.DARK_HORIZONTAL
            drawn.format.fill.back_color.rgb = _color("FFFFFF")
        else:
            drawn.format.fill.solid()
        drawn.format.fill.fore_color.rgb = _color(color)
        for index, value in enumerate(values):
            if value:  # the amount as the document writes it; none on a zero
                label = drawn.points[index].data_label
                label.position = XL_LABEL_POSITION.OUTSIDE_END
                label.text_frame.text = money(value)
                label.text_frame.paragraphs[0].runs[0].font.size = Pt(9)
    categories = chart.category_axis
    categories.reverse_order = True  # the first category on top, as in the table
    categories.tick_labels.font.size = Pt(11)
    categories.format.line.color.rgb = _color("808080")
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _color("D9D9D9")
    axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE  # the labels carry the amounts
    axis.format.line.fill.background()
    axis.minimum_scale = 0
    largest = max((value or 0 for _n, values, _c in series for value in values), default=0)
    axis.maximum_scale = max(largest * 1.35, 1)  # room for the labels beside the longest bar


def _color(hex_rgb: str) -> Any:
    from pptx.dml.color import RGBColor

    red, green, blue = bytes.fromhex(hex_rgb)
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def _chart_data() -> Any:
    """Chart data whose embedded workbook holds every label as text: a category
    named `=HYPERLINK(…)` is no formula when someone edits the chart's data."""
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook  # type: ignore[import-untyped]

    @contextmanager
    def opened(xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = Workbook(xlsx_file, options)
        workbook.set_properties({"created": datetime(2000, 1, 1)})  # the same bytes each time
        yield workbook, workbook.add_worksheet()
        workbook.close()

    class TextWorkbookWriter(CategoryWorkbookWriter):
        def _open_worksheet(self, xlsx_file: Any) -> Any:
            return opened(xlsx_file)

    class TextChartData(CategoryChartData):
        @property
        def _workbook_writer(self) -> Any:
            return cast(Any, TextWorkbookWriter)(self)

    return cast(Any, TextChartData)(number_format="#,##0")


def _title(slide: Slide, geometry: Geometry, text: str) -> None:
    shape = slide.shapes.title
    rect = _rect(shape) if shape is not None else None
    if shape is None or rect is None:
        rect = geometry.title
        shape = slide.shapes.add_textbox(_emu(rect.x), _emu(rect.y), _emu(rect.w), _emu(rect.h))
    frame = shape.text_frame
    _frame(frame)
    size = TITLE_SIZES[-1]
    for candidate in TITLE_SIZES:
        if text_height([Para(text, bullet=False, size=candidate)], rect.w) <= rect.h:
            size = candidate
            break
    paragraph = frame.paragraphs[0]
    _run(paragraph, text, size, False)


def _notes(slide: Slide, text: str) -> None:
    frame = slide.notes_slide.notes_text_frame
    if frame is not None:  # a notes master without a body: python-pptx gives it one
        frame.text = text


def _title_slide(
    prs: Presentation, layout: SlideLayout, context: dict[str, Any], notes: str
) -> None:
    from pptx.enum.shapes import PP_PLACEHOLDER

    slide = prs.slides.add_slide(layout)
    meeting = context["meeting"]
    width = (prs.slide_width or 12192000) / EMU_PER_PT
    height = (prs.slide_height or 6858000) / EMU_PER_PT
    fallback = Geometry(
        Rect(0, 0, width, height),
        Rect(width * 0.08, height * 0.25, width * 0.84, height * 0.2),
        Rect(width * 0.12, height * 0.5, width * 0.76, height * 0.4),
    )
    _title(slide, fallback, clean(meeting["title"]))
    when = [context["day"]]
    if meeting["start"]:
        when.append(
            f"{meeting['start']}–{meeting['end']}" if meeting["end"] else str(meeting["start"])
        )
    if meeting["place"]:
        when.append(clean(meeting["place"]))
    lines = [
        (clean(context["mission"]), 28.0, True),
        (clean(context["name"]), 20.0, False),
        (clean(context["month"]), 20.0, False),
        (" · ".join(when), 20.0, False),
    ]
    if context["draft"]:
        lines.append((pgettext("deck", "Draft"), 20.0, True))
    subtitle = None
    for ph in _placeholders(slide):
        kind = _kind(ph)
        if kind == int(PP_PLACEHOLDER.SUBTITLE) and subtitle is None:
            subtitle = ph
        elif kind not in (int(PP_PLACEHOLDER.TITLE), int(PP_PLACEHOLDER.CENTER_TITLE)):
            ph._element.getparent().remove(ph._element)
    rect = _rect(subtitle) if subtitle is not None else None
    if subtitle is None or rect is None:
        rect = fallback.content
        subtitle = slide.shapes.add_textbox(_emu(rect.x), _emu(rect.y), _emu(rect.w), _emu(rect.h))
    scale = 0.4
    for candidate in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4):
        paras = [Para(t, bullet=False, bold=b, size=s * candidate) for t, s, b in lines]
        if text_height(paras, rect.w) <= rect.h:
            scale = candidate
            break
    frame = subtitle.text_frame
    _frame(frame)
    for index, (text, size, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.space_before = 0
        _run(paragraph, text, round(size * scale, 1), bold)
    _notes(slide, notes)


def _content_slide(prs: Presentation, layout: SlideLayout, title: str) -> Slide:
    from pptx.enum.shapes import PP_PLACEHOLDER

    slide = prs.slides.add_slide(layout)
    for ph in _placeholders(slide):  # the body's place is the text boxes'
        if _kind(ph) not in (
            int(PP_PLACEHOLDER.TITLE),
            int(PP_PLACEHOLDER.CENTER_TITLE),
        ):
            ph._element.getparent().remove(ph._element)
    return cast("Slide", slide)


def _section_columns(area: Rect, count: int, share: float | None, page: int) -> list[Rect]:
    """A section's columns on its `page`: beside the chart on the first, if any."""
    if share is not None:
        return _columns(area, 1, share if page == 0 else 1.0)
    return _columns(area, count)


def _columns(area: Rect, count: int, share: float = 1.0) -> list[Rect]:
    gutter = 18.0
    width = (area.w * share - gutter * (count - 1)) / count
    return [Rect(area.x + i * (width + gutter), area.y, width, area.h) for i in range(count)]


def build(
    prs: Presentation,
    context: dict[str, Any],
    bars: list[FrameBar],
    meeting_file: str | None,
    money: Callable[[int], str],
) -> None:
    title_layout, content_layout = pick_layouts(prs)
    where = geometry(prs, content_layout)
    made = pgettext(
        "deck", "Made by kontrakt from the portfolio's files: change them, not the slide."
    )
    day = context["day"]
    opening = pgettext("deck", "Source: %(files)s, as of %(day)s.") % {
        "files": ", ".join(["kontrakt.yaml", meeting_file or _folder("meeting")]),
        "day": day,
    }
    if context["draft"]:
        opening += "\n" + _(
            "Draft: there is no meeting file for %(day)s in meetings/, so everything below comes "
            "from the portfolio as of that date."
        ) % {"day": day}
    _title_slide(prs, title_layout, context, f"{opening}\n{made}")
    for section in sections(context, bars, meeting_file):
        area = where.content
        share = CHART_SHARE if section.chart else None
        columns = partial(_section_columns, area, section.columns, share)
        pages = Flow(columns).pour(section.blocks)
        for number, pieces in enumerate(pages):
            title = section.title if number == 0 else continued_title(section.title)
            slide = _content_slide(prs, content_layout, title)
            _title(slide, where, title)
            for piece in pieces:
                rect = piece.rect
                if piece.table is not None:
                    if piece.heading is not None:
                        above = text_height([piece.heading], rect.w)
                        draw_text(slide, Rect(rect.x, rect.y, rect.w, above), [piece.heading])
                        rect = Rect(rect.x, rect.y + above, rect.w, rect.h - above)
                    draw_table(slide, rect, piece.table)
                else:
                    draw_text(slide, rect, piece.paras)
            notes = section.sources
            if section.chart and number == 0:
                gutter = 18.0
                left = area.x + area.w * CHART_SHARE + gutter
                draw_chart(
                    slide, Rect(left, area.y, area.x + area.w - left, area.h), section.chart, money
                )
                notes += "\n" + pgettext(
                    "deck",
                    "The chart shows the numbers of kontrakt budget --by category --as-of %(day)s.",
                ) % {"day": day}
            _notes(slide, f"{notes}\n{made}")


# --- the renderer --------------------------------------------------------------------


def pptx_output(request: AgendaRequest) -> Output:
    """The meeting's deck, as the bytes of a .pptx file."""
    portfolio, plan = request.portfolio, request.plan
    template = reference(portfolio, request.reference, "pptx")
    named = str(request.reference or portfolio.settings.documents.pptx or "")
    prs = _open(template, clean(named))  # its problems said in the messages' language
    with speaking(portfolio.settings.language):
        context = agenda_context(portfolio, plan)
        known = known_on(portfolio, plan.day)
        view = budget_view(known, ["category"], Filters(as_of=plan.day), labeller(known))
        bars = budget_bars(view)
        meeting_file = None
        if plan.meeting_id is not None:
            source = portfolio.sources.get(("meeting", plan.meeting_id))
            if source is not None:
                meeting_file = _relative(source.path, portfolio.root)
        locale = portfolio.settings.resolved_locale()
        build(prs, context, bars, meeting_file, lambda value: numbers.kronor(value, locale))
        properties = prs.core_properties
        stamp = datetime(plan.day.year, plan.day.month, plan.day.day)
        properties.title = clean(
            f"{context['meeting']['title']}: {context['mission']} {context['day']}"
        )
        properties.subject = clean(context["mission"])
        properties.author = clean(context["name"])
        properties.last_modified_by = clean(context["name"])
        properties.created = stamp
        properties.modified = stamp
        properties.last_printed = stamp
        properties.revision = 1
        properties.keywords = ""
        properties.comments = ""
        properties.category = ""
        properties.language = portfolio.settings.resolved_locale().replace("_", "-")
    buffer = io.BytesIO()
    prs.save(buffer)
    return Output(data=_fixed_times(buffer.getvalue(), stamp))


def _relative(path: Path, root: Path) -> str:
    try:
        return clean(path.relative_to(root).as_posix())
    except ValueError:
        return clean(path.name)


def _fixed_times(data: bytes, stamp: datetime) -> bytes:
    """The package with every member dated `stamp`: the same deck twice is the same bytes."""
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info))
    return out.getvalue()
