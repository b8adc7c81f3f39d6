"""The charts kontrakt draws (render/charts.py): the numbers behind them, and the SVG
and PNG pictures of them, read back as XML."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from conftest import BUNDLED
from kontrakt.i18n import speaking
from kontrakt.load import load_portfolio
from kontrakt.portfolio import Portfolio
from kontrakt.render.charts import (
    FrameBar,
    StatusCount,
    budget_bars,
    budget_svg,
    budget_text,
    status_counts,
    status_svg,
    svg_to_png,
    weave_svg,
)
from kontrakt.render.html import budget_view_on
from kontrakt.views.asof import known_on
from kontrakt.views.snapshot import snapshot

SVG = "{http://www.w3.org/2000/svg}"
DAY = date(2024, 2, 27)


@pytest.fixture(scope="module")
def portfolio() -> Portfolio:
    loaded = load_portfolio(BUNDLED).portfolio
    assert loaded is not None
    return loaded


def _read(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, or this fails
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#"), value
            assert not name.startswith("on")
            assert "http" not in value or name == "xmlns"
    return root


def _texts(root: ET.Element) -> list[str]:
    return [(t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text")]


def _desc(root: ET.Element) -> str:
    desc = root.find(f"{SVG}desc")
    assert desc is not None
    return (desc.text or "").replace("\xa0", " ")


def test_budget_bars_are_the_views_categories(portfolio: Portfolio) -> None:
    bars = budget_bars(budget_view_on(portfolio, DAY))
    assert [
        (b.key, b.label, b.decided, b.proposed, b.frame, b.remaining, b.over) for b in bars
    ] == [
        ("ordinarie", "Ordinarie budget", 0, 560_000, 1_310_000, 750_000, 0),
        ("pilot", "Pilotbudget", 260_000, 640_000, 797_500, 0, 102_500),
        (None, "Utan kategori", 0, 200_000, None, None, 0),
    ]


def test_budget_svg_of_the_bundled_portfolio(portfolio: Portfolio) -> None:
    bars = budget_bars(budget_view_on(portfolio, DAY))
    with speaking("sv"):
        root = _read(budget_svg(bars, "sv_SE", "Budget 2024"))
    assert root.find(f"{SVG}title") is not None
    assert (root.find(f"{SVG}title").text or "") == "Budget 2024"  # type: ignore[union-attr]
    texts = _texts(root)
    assert "Beslutat 260 000 kr · Föreslaget 640 000 kr" in texts
    assert any(t.startswith("Ram 797 500 kr · ") and t.endswith("102 500 kr") for t in texts)
    assert "Beslutat 0 kr · Föreslaget 560 000 kr" in texts
    assert "Ram 1 310 000 kr · Kvar inkl. förslag 750 000 kr" in texts
    desc = _desc(root)
    assert desc.startswith("Ordinarie budget: Beslutat 0 kr, Föreslaget 560 000 kr, ")
    assert "Pilotbudget: Beslutat 260 000 kr, Föreslaget 640 000 kr, Ram 797 500 kr, " in desc
    # The overshoot has its own pattern (hatching) and a frame line per framed bar.
    fills = [r.get("fill") for r in root.iter(f"{SVG}rect")]
    assert fills.count("url(#budget-chart-over)") == 2  # the legend's swatch and the pilot bar
    frame_lines = [line for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "3"]
    assert len(frame_lines) == 3  # the legend's and the two frames'
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    assert patterns == {"budget-chart-proposed", "budget-chart-over"}


def test_budget_svg_bars_are_to_scale() -> None:
    bars = [FrameBar("a", "A", 100, 100, 400), FrameBar("b", "B", 300, 300, 400)]
    root = _read(budget_svg(bars, "en_GB", "t", ident="x"))
    rows: dict[float, dict[str | None, float]] = {}
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("height") == "26":
            rows.setdefault(float(rect.get("y", "0")), {})[rect.get("fill")] = float(
                rect.get("width", "0")
            )
    assert len(rows) == 2
    first, widths = (rows[y] for y in sorted(rows))
    assert first["#FFFFFF"] == pytest.approx(568 * 200 / 600, abs=0.2)  # 200 remain of A's
    # Bar B: 300 decided, 100 proposed within the frame of 400, 200 over; scale 600.
    assert widths["#0072B2"] == pytest.approx(568 * 300 / 600, abs=0.2)
    assert widths["url(#x-proposed)"] == pytest.approx(568 * 100 / 600, abs=0.2)
    assert widths["url(#x-over)"] == pytest.approx(568 * 200 / 600, abs=0.2)
    assert "SEK 200" in " ".join(_texts(root))


def test_hostile_labels_are_text() -> None:
    bars = [FrameBar("x", '<script>alert(1)</script> & "q" \x1b[31m', 1, 2, None)]
    svg = budget_svg(bars, "sv_SE", "</title><script>x</script>")
    assert "<script>" not in svg and "\x1b" not in svg
    root = _read(svg)
    assert (root.find(f"{SVG}title").text or "") == "</title><script>x</script>"  # type: ignore[union-attr]
    assert '<script>alert(1)</script> & "q" \\x1b[31m' in _texts(root)
    counts = [StatusCount("<b>x</b>\u202e", 3)]
    status = _read(status_svg(counts, "s"))
    assert _desc(status) == "<b>x</b>\\u202e: 3."


def test_status_svg(portfolio: Portfolio) -> None:
    with speaking("sv"):
        counts = status_counts(snapshot(portfolio, DAY, 60))
    root = _read(status_svg(counts, "Initiativ per status"))
    assert _desc(root) == "Pågående: 6, På gång: 3, Idéer framåt: 5, Utan status: 5."
    texts = _texts(root)
    assert texts == ["Pågående", "6", "På gång", "3", "Idéer framåt", "5", "Utan status", "5"]
    bars = [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")][1:]
    assert bars[0] > bars[2] == bars[3] > bars[1] > 0


def test_weave_svg_draws_every_initiative_and_tie(portfolio: Portfolio) -> None:
    with speaking("sv"):
        snap = snapshot(portfolio, DAY, 60)
        root = _read(weave_svg(known_on(portfolio, DAY), snap, "Väven"))
    desc = _desc(root)
    for group in snap.groups:
        assert f"{group.label}: " in desc
        for state in group.initiatives:
            assert state.initiative.title in desc
    boxes = [r for r in root.iter(f"{SVG}rect") if r.get("rx") == "4"]
    assert len(boxes) == sum(len(g.initiatives) for g in snap.groups) == 19
    paths = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    arrows = [p for p in paths if p.get("marker-end")]
    assert len(arrows) == 1  # the one relation: examensarbeten → ängsgärdet
    assert len([p for p in paths if p.get("stroke-dasharray") == "8 4"]) == 3  # 2 risers + lane
    assert len([p for p in paths if p.get("stroke-dasharray") == "2 3"]) == 2  # 1 riser + lane
    assert "Ängsgärdet (375 000 kr)" in desc


def test_svg_to_png_is_a_png_at_twice_the_size() -> None:
    svg = status_svg([StatusCount("A", 2), StatusCount("B", 1)], "t")
    png = svg_to_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    root = ET.fromstring(svg)
    assert (width, height) == (2 * int(root.get("width", "0")), 2 * int(root.get("height", "0")))


def _pixel(png: bytes, x: float, y: float, scale: int = 2) -> tuple[int, int, int]:
    """The colour at (x, y) of the SVG's own coordinates, in a picture `scale` times it."""
    from io import BytesIO

    from PIL import Image

    with Image.open(BytesIO(png)) as picture:
        colour = picture.convert("RGB").getpixel((round(x * scale), round(y * scale)))
    assert isinstance(colour, tuple)
    return colour[0], colour[1], colour[2]


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _rects(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG}rect"))


def test_the_budget_picture_is_painted_as_its_svg_says(portfolio: Portfolio) -> None:
    """Pillow paints the SVG (render/raster.py): inside each bar's part, the part's
    colour or pattern; the frame's line in ink; the background white."""
    from kontrakt.render.charts import DECIDED_COLOUR, INK, OVER_COLOUR, PROPOSED_COLOUR

    with speaking("sv"):
        svg = budget_svg(budget_bars(budget_view_on(portfolio, DAY)), "sv_SE", "Budget")
    png = svg_to_png(svg)
    bars = [r for r in _rects(svg) if r.get("height") == "26"]

    def middle(rect: ET.Element) -> tuple[float, float]:
        x, y = float(rect.get("x", "0")), float(rect.get("y", "0"))
        return x + float(rect.get("width", "0")) / 2, y + float(rect.get("height", "0")) / 2

    decided = [r for r in bars if r.get("fill") == DECIDED_COLOUR]
    assert len(decided) == 1  # the pilot frame's 260 000 kr
    assert _pixel(png, *middle(decided[0])) == _hex(DECIDED_COLOUR)
    # The stripes of what is proposed: both blues, and nothing else, along a row.
    proposed = next(r for r in bars if r.get("fill") == "url(#budget-chart-proposed)")
    x, y = middle(proposed)
    seen = {_pixel(png, x + step / 2, y) for step in range(16)}
    assert _hex(PROPOSED_COLOUR) in seen and _hex(DECIDED_COLOUR) in seen
    # The overshoot: vermillion, hatched with ink.
    over = next(r for r in bars if r.get("fill") == "url(#budget-chart-over)")
    x, y = middle(over)
    seen = {_pixel(png, x + step / 4, y + step / 4) for step in range(32)}
    assert _hex(OVER_COLOUR) in seen
    # What remains of the ordinary frame is white inside its dashed outline.
    remaining = next(r for r in bars if r.get("stroke-dasharray") == "3 2")
    assert _pixel(png, *middle(remaining)) == (255, 255, 255)
    frame = next(line for line in ET.fromstring(svg).iter(f"{SVG}line") if line.get("y1") != "8")
    assert _pixel(png, float(frame.get("x1", "0")), float(frame.get("y1", "0")) + 10) == _hex(INK)


def test_the_weave_and_status_pictures_paint_every_element(portfolio: Portfolio) -> None:
    """Every element charts.py writes is one the painter knows (an unknown one fails)."""
    snap = snapshot(portfolio, DAY, 60)
    for svg in (
        weave_svg(known_on(portfolio, DAY), snap, "Väven"),
        status_svg(status_counts(snap), "Status"),
    ):
        png = svg_to_png(svg)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        # The weave's first box; the status chart's first bar.
        box = next(r for r in _rects(svg) if r.get("rx") or r.get("stroke"))
        x, y = float(box.get("x", "0")), float(box.get("y", "0"))
        # Inside the outline, left of the words.
        assert _pixel(png, x + 4, y + float(box.get("height", "0")) / 2) == _hex(
            box.get("fill", "")
        )
    with pytest.raises(KeyError):
        svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><circle/></svg>')


def test_without_dejavu_the_pictures_use_pillows_own_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kontrakt.render import raster

    monkeypatch.setattr(raster, "_FONTS", {"normal": "no-such-font.ttf"})
    raster._font.cache_clear()
    try:
        png = svg_to_png(status_svg([StatusCount("Pågående", 6)], "Status"))
    finally:
        raster._font.cache_clear()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("points", "pattern", "pieces"),
    [
        ([(0, 0), (10, 0)], [3, 2], [[(0, 0), (3, 0)], [(5, 0), (8, 0)]]),
        ([(0, 0), (4, 0), (4, 4)], [6, 2], [[(0, 0), (4, 0), (4, 2)]]),  # round a corner
        ([(0, 0), (10, 0)], [], [[(0, 0), (10, 0)]]),  # no dashes: the whole line
    ],
)
def test_dashes(
    points: list[tuple[float, float]], pattern: list[float], pieces: list[list[tuple[float, float]]]
) -> None:
    from kontrakt.render.raster import _dashes

    assert [
        [(round(x, 6), round(y, 6)) for x, y in piece] for piece in _dashes(points, pattern)
    ] == [[(float(x), float(y)) for x, y in piece] for piece in pieces]


# --- drawn as text, for Markdown ---------------------------------------------------


def test_budget_text_of_the_bundled_portfolio(portfolio: Portfolio) -> None:
    """24 characters for the longest (the ordinary frame, 1 310 000 kr): the pilot
    frame's 797 500 kr is 15 of them, its overshoot after a `│` one more."""
    with speaking("sv"):
        drawn = budget_text(budget_bars(budget_view_on(portfolio, DAY)), "sv_SE")
    assert [(bar.label, bar.bar) for bar in drawn] == [
        ("Ordinarie budget", "▒" * 10 + "░" * 14),
        ("Pilotbudget", "█" * 5 + "▒" * 10 + "│▓"),
        ("Utan kategori", "▒" * 4),
    ]
    assert drawn[1].amounts == (
        "Beslutat 260\u00a0000\u00a0kr · Föreslaget 640\u00a0000\u00a0kr · "
        "Ram 797\u00a0500\u00a0kr · Över ramen 102\u00a0500\u00a0kr"
    )


@pytest.mark.parametrize(
    ("bar", "drawn"),
    [
        (FrameBar(None, "a", 1, 0, 1_000_000), "█" + "░" * 23),  # a krona still shows
        (FrameBar(None, "b", 0, 0, 100), "░" * 24),
        (FrameBar(None, "c", 0, 0, None), ""),  # nothing to draw
        (FrameBar(None, "d", 2_000, 0, 1_000), "█" * 12 + "│" + "▓" * 12),  # decided over
        (FrameBar(None, "e", 0, 1_000, 1_000), "▒" * 24),  # exactly the frame
    ],
)
def test_budget_text_parts(bar: FrameBar, drawn: str) -> None:
    (shown,) = budget_text([bar], "en")
    assert shown.bar == drawn
