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


def test_without_the_cairo_library_the_pictures_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import builtins
    import sys

    from kontrakt.errors import ProblemFound
    from kontrakt.render.charts import svg_to_png

    real_import = builtins.__import__

    def no_cairo(name: str, *args: object, **kwargs: object) -> object:
        if name == "cairosvg":
            raise OSError('no library called "cairo-2" was found')
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "cairosvg", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_cairo)
    with pytest.raises(ProblemFound, match=r"install it \(Debian and Ubuntu: apt-get install"):
        svg_to_png("<svg xmlns='http://www.w3.org/2000/svg'/>")


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
