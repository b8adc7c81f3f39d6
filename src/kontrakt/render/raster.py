"""kontrakt's own SVG charts as PNG pictures, painted with Pillow.

Word takes no SVG, so its charts are pictures. The SVG is kontrakt's own
(render/charts.py), so this paints exactly what charts.py writes and nothing
else: rectangles (rounded, dashed, filled with a colour or a pattern), lines,
paths of straight segments (`M L H V Z`, dashed, with an arrowhead marker) and
text at its baseline. An element it does not know is an error in kontrakt, not
in the input, and fails loudly in the tests.

Pillow instead of a general SVG renderer: it has wheels for every platform with
FreeType inside (no system cairo library to install), it imports in milliseconds
where cairosvg took a fifth of a second, and it paints these charts in a few.
Shapes are painted at twice the size and scaled down, for smooth edges; text is
written after, at the picture's size.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

SVG = "{http://www.w3.org/2000/svg}"
SUPERSAMPLE = 2  # painted this much larger, then scaled down: smooth edges
_FONTS = {"normal": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_COMMAND = re.compile(r"([MLHVZmlhvz])([^MLHVZmlhvz]*)")
_URL = re.compile(r"url\(#([^)]+)\)")
_ROTATE = re.compile(r"rotate\((-?\d+(?:\.\d+)?)\)")

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A pattern tile: its size, its rotation, and what it holds (painted in tile space)."""

    width: float
    height: float
    angle: float  # degrees, from patternTransform="rotate(…)"
    children: list[ET.Element]


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """The SVG chart as a PNG `scale` times its size (2: sharp on a printed page)."""
    from PIL import Image

    root = ET.fromstring(svg)
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    factor = scale * SUPERSAMPLE
    canvas = Image.new("RGB", (_px(width * factor), _px(height * factor)), "white")
    painter = _Painter(canvas, factor, _patterns(root), _markers(root))
    for element in root:
        painter.paint(element)
    out = canvas.reduce(SUPERSAMPLE)  # each pixel the mean of its 2 × 2: smooth edges
    # Text last, at the picture's own size: FreeType smooths it itself, and the
    # charts put no shape over a text.
    texts = _Painter(out, scale, {}, set())
    for text in painter.texts:
        texts.text(text)
    buffer = BytesIO()
    # Little compressed: the document's zip deflates it again.
    out.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _px(value: float) -> int:
    return max(1, round(value))


def _tag(element: ET.Element) -> str:
    return element.tag.removeprefix(SVG)


def _patterns(root: ET.Element) -> dict[str, _Pattern]:
    found = {}
    for pattern in root.iter(f"{SVG}pattern"):
        turn = _ROTATE.search(pattern.get("patternTransform", ""))
        found[pattern.get("id", "")] = _Pattern(
            float(pattern.get("width", "1")),
            float(pattern.get("height", "1")),
            float(turn.group(1)) if turn else 0.0,
            list(pattern),
        )
    return found


def _markers(root: ET.Element) -> set[str]:
    return {marker.get("id", "") for marker in root.iter(f"{SVG}marker")}


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans, as the SVG asks for, where the system has it; Pillow's own
    scalable font where it has not."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(_FONTS.get(weight, _FONTS["normal"]), size)
    except OSError:
        return ImageFont.load_default(size)


def _dashes(points: list[Point], pattern: list[float]) -> Iterator[list[Point]]:
    """The drawn pieces of a polyline with a dash pattern (on, off, on, off, …)."""
    if not pattern or sum(pattern) <= 0:
        yield points
        return
    index, left, on = 0, pattern[0], True
    piece: list[Point] = [points[0]]
    for start, end in pairwise(points):
        length = math.dist(start, end)
        done = 0.0
        while length - done > left:
            done += left
            at = (
                start[0] + (end[0] - start[0]) * done / length,
                start[1] + (end[1] - start[1]) * done / length,
            )
            if on:
                piece.append(at)
                yield piece
            piece = [at]
            on = not on
            index = (index + 1) % len(pattern)
            left = pattern[index]
        left -= length - done
        if on:
            piece.append(end)
        else:
            piece = [end]
    if on and len(piece) > 1:
        yield piece


class _Painter:
    def __init__(
        self,
        canvas: Image.Image,
        factor: float,
        patterns: dict[str, _Pattern],
        markers: set[str],
    ) -> None:
        from PIL import ImageDraw

        self.canvas = canvas
        self.draw: ImageDraw.ImageDraw = ImageDraw.Draw(canvas)
        self.factor = factor
        self.patterns = patterns
        self.markers = markers
        self.texts: list[ET.Element] = []  # painted after the shapes, smaller
        self.painters: dict[str, Callable[[ET.Element], None]] = {
            "rect": self.rect,
            "line": self.line,
            "path": self.path,
            "text": self.texts.append,
            # Not painted: names and descriptions, and what other elements refer to.
            "title": _skip,
            "desc": _skip,
            "defs": _skip,
            "style": _skip,
        }

    def paint(self, element: ET.Element) -> None:
        tag = _tag(element)
        if tag == "g":
            for child in element:
                self.paint(child)
            return
        self.painters[tag](element)  # a KeyError: charts.py wrote something new

    def _at(self, x: float, y: float) -> Point:
        return (x * self.factor, y * self.factor)

    def _width(self, element: ET.Element) -> int:
        return max(1, round(float(element.get("stroke-width", "1")) * self.factor))

    def _dash(self, element: ET.Element) -> list[float]:
        given = element.get("stroke-dasharray")
        if not given or given == "none":
            return []
        return [float(n) * self.factor for n in _NUMBER.findall(given)]

    def _stroke(self, element: ET.Element, points: list[Point]) -> None:
        colour = element.get("stroke")
        if not colour or colour == "none" or len(points) < 2:
            return
        width = self._width(element)
        for piece in _dashes(points, self._dash(element)):
            self.draw.line(piece, fill=colour, width=width, joint="curve")

    def rect(self, element: ET.Element) -> None:
        x, y = float(element.get("x", "0")), float(element.get("y", "0"))
        w, h = float(element.get("width", "0")), float(element.get("height", "0"))
        if w <= 0 or h <= 0:
            return
        box = (*self._at(x, y), *self._at(x + w, y + h))
        radius = float(element.get("rx", "0")) * self.factor
        fill = element.get("fill", "#000000")
        url = _URL.fullmatch(fill)
        if url:
            self._fill_pattern(box, self.patterns[url.group(1)])
        elif fill != "none":
            if radius:
                self.draw.rounded_rectangle(box, radius, fill=fill)
            else:
                self.draw.rectangle(box, fill=fill)
        if element.get("stroke") and element.get("stroke") != "none":
            if radius and not self._dash(element):
                self.draw.rounded_rectangle(
                    box, radius, outline=element.get("stroke"), width=self._width(element)
                )
            else:
                left, top, right, bottom = box
                corners = [(left, top), (right, top), (right, bottom), (left, bottom), (left, top)]
                self._stroke(element, corners)

    def _fill_pattern(self, box: tuple[float, float, float, float], pattern: _Pattern) -> None:
        """Fill `box` with the pattern: one tile painted, repeated over the box's
        extent in the pattern's own (turned) space, and mapped onto the box with
        one affine transform."""
        from PIL import Image, ImageDraw

        left, top, right, bottom = (round(v) for v in box)
        if right <= left or bottom <= top:
            return
        factor = self.factor
        size = (_px(pattern.width * factor), _px(pattern.height * factor))
        tile = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(tile)
        for child in pattern.children:
            tag = _tag(child)
            if tag == "rect":
                x, y = float(child.get("x", "0")) * factor, float(child.get("y", "0")) * factor
                w = float(child.get("width", "0")) * factor
                h = float(child.get("height", "0")) * factor
                draw.rectangle((x, y, x + w - 1, y + h - 1), fill=child.get("fill"))
            elif tag == "path":
                width = max(1, round(float(child.get("stroke-width", "1")) * factor))
                for run in _runs(child.get("d", "")):
                    points = [(px * factor, py * factor) for px, py in run]
                    draw.line(points, fill=child.get("stroke"), width=width)
            else:
                raise KeyError(tag)
        turn = math.radians(pattern.angle)
        cos, sin = math.cos(turn), math.sin(turn)
        # The box's corners in pattern space (pixels): which tiles it reaches.
        corners = [(x, y) for x in (left, right) for y in (top, bottom)]
        us = [x * cos + y * sin for x, y in corners]
        vs = [-x * sin + y * cos for x, y in corners]
        first_u = math.floor(min(us) / size[0]) * size[0]
        first_v = math.floor(min(vs) / size[1]) * size[1]
        across = math.ceil((max(us) - first_u) / size[0]) + 1
        down = math.ceil((max(vs) - first_v) / size[1]) + 1
        row = Image.new("RGB", (across * size[0], size[1]))
        for index in range(across):
            row.paste(tile, (index * size[0], 0))
        sheet = Image.new("RGB", (across * size[0], down * size[1]))
        for index in range(down):
            sheet.paste(row, (0, index * size[1]))
        # A pixel (X, Y) of the box is (left + X, top + Y) in the picture; turned
        # into pattern space, less where the sheet starts.
        layer = sheet.transform(
            (right - left, bottom - top),
            Image.Transform.AFFINE,
            (
                cos,
                sin,
                cos * left + sin * top - first_u,
                -sin,
                cos,
                -sin * left + cos * top - first_v,
            ),
            resample=Image.Resampling.NEAREST,
        )
        self.canvas.paste(layer, (left, top))

    def line(self, element: ET.Element) -> None:
        start = self._at(float(element.get("x1", "0")), float(element.get("y1", "0")))
        end = self._at(float(element.get("x2", "0")), float(element.get("y2", "0")))
        self._stroke(element, [start, end])

    def path(self, element: ET.Element) -> None:
        for run in _runs(element.get("d", "")):
            points = [self._at(x, y) for x, y in run]
            fill = element.get("fill", "#000000")
            if fill != "none" and len(points) > 2:
                self.draw.polygon(points, fill=fill)
            self._stroke(element, points)
            marker = _URL.fullmatch(element.get("marker-end", ""))
            if marker and marker.group(1) in self.markers and len(points) > 1:
                self._arrow(points[-2], points[-1], element)

    def _arrow(self, start: Point, end: Point, element: ET.Element) -> None:
        """charts.py's one marker: a filled triangle, its tip on the path's end,
        eight stroke widths long (markerWidth 8 in stroke-width units)."""
        length = 8 * float(element.get("stroke-width", "1")) * self.factor
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        back = (end[0] - length * math.cos(angle), end[1] - length * math.sin(angle))
        side = (length / 2 * -math.sin(angle), length / 2 * math.cos(angle))
        self.draw.polygon(
            [end, (back[0] + side[0], back[1] + side[1]), (back[0] - side[0], back[1] - side[1])],
            fill=element.get("stroke", "#000000"),
        )

    def text(self, element: ET.Element) -> None:
        size = round(float(element.get("font-size", "13")) * self.factor)
        font = _font(element.get("font-weight", "normal"), size)
        x, y = self._at(float(element.get("x", "0")), float(element.get("y", "0")))
        self.draw.text(
            (x, y), element.text or "", fill=element.get("fill", "#000000"), font=font, anchor="ls"
        )


def _runs(d: str) -> list[list[Point]]:
    """The straight-segment subpaths of an SVG path's `d` (absolute M, L, H, V, Z)."""
    runs: list[list[Point]] = []
    current: list[Point] = []
    x = y = 0.0
    for command, arguments in _COMMAND.findall(d):
        numbers = [float(n) for n in _NUMBER.findall(arguments)]
        if command == "M":
            if len(current) > 1:
                runs.append(current)
            x, y = numbers[0], numbers[1]
            current = [(x, y)]
            numbers = numbers[2:]
            command = "L"  # further pairs after M are lines
        if command == "L":
            for index in range(0, len(numbers) - 1, 2):
                x, y = numbers[index], numbers[index + 1]
                current.append((x, y))
        elif command == "H":
            for value in numbers:
                x = value
                current.append((x, y))
        elif command == "V":
            for value in numbers:
                y = value
                current.append((x, y))
        elif command in "Zz":
            if current:
                current.append(current[0])
        else:  # a relative command: charts.py writes none
            raise KeyError(command)
    if len(current) > 1:
        runs.append(current)
    return runs


def _skip(_element: ET.Element) -> None:
    return None
