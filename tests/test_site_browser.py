"""The site in a real browser: Debian's Chromium, headless, driven by
tests/site_browser.js through playwright-core (pointed at that executable, as
tests/axe.js is; no browser is downloaded). Every page of the bundled
portfolio's site and of a generated 300-file portfolio's site loads with no
console error and no request leaving the site's folder, axe-core finds no
violation at 1280 px and at 375 px, no page is wider than a 375 px phone, and
every page shows its heading and content with JavaScript turned off.

CI installs node, the node packages and Chromium (.ci/run, `make test`), so a
missing tool fails these tests rather than skipping them.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from conftest import BUNDLED, FIXTURES, REPO, in_chromium
from kontrakt.load import load_portfolio
from kontrakt.render.site.build import SiteBuild, SiteRequest
from kontrakt.render.site.publish import publish
from test_site import assert_links_resolve

SCRIPT = Path(__file__).parent / "site_browser.js"


def built(root: Path, out: Path, day: date) -> list[str]:
    """The site of `root` written into `out`; its pages, links checked."""
    result = load_portfolio(root)
    assert result.portfolio is not None and not result.has_errors
    files = dict(SiteBuild(SiteRequest(result.portfolio, day)).files())
    assert_links_resolve(files)
    build = SiteBuild(SiteRequest(result.portfolio, day))
    publish(build, out)
    return sorted(path for path in files if path.endswith(".html"))


def in_browser(site: Path, pages: list[str]) -> list[dict[str, object]]:
    return in_chromium(SCRIPT, str(site), *pages, timeout=1200)


def assert_every_page_works(results: list[dict[str, object]], pages: list[str]) -> None:
    seen = {(r["page"], r["width"], r["js"]) for r in results}
    for page in pages:
        assert {(page, 1280, True), (page, 375, True), (page, 1280, False)} <= seen, page
    for result in results:
        where = (result["page"], result["width"], result["js"])
        assert result["violations"] == [], where
        assert result["errors"] == [], where
        assert result["requests"] == [], where
        assert result["scrollWidth"] == result["clientWidth"] == result["width"], where
        assert result["h1"] and isinstance(result["main"], int) and result["main"] > 40, where


def test_every_page_of_the_bundled_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = built(BUNDLED, site, date(2024, 2, 27))
    assert_every_page_works(in_browser(site, pages), pages)


def test_every_page_of_the_outcomes_site(tmp_path: Path) -> None:
    """The outcome pages (an index and a page per indicator, with its chart and
    its measurements), and the initiative pages that link to them."""
    site = tmp_path / "site"
    pages = built(FIXTURES / "good" / "outcomes" / "portfolio", site, date(2024, 3, 26))
    assert "outcomes/ensamhet.html" in pages
    assert_every_page_works(in_browser(site, pages), pages)


def test_every_page_of_a_300_file_site(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    root = tmp_path / "portfolio-300"
    generate(300, root)
    site = tmp_path / "site"
    pages = built(root, site, date(2024, 6, 1))
    assert len(pages) > 150
    assert_every_page_works(in_browser(site, pages), pages)


def test_the_browser_check_does_find_problems(tmp_path: Path) -> None:
    """The same check on pages made to fail: no language, an image without words,
    a script that throws, a picture from elsewhere, a page wider than a phone."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken.html").write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>"
        '<img src="https://example.org/x.png"><div style="width:900px">wide</div>'
        "<script>throw new Error('boom')</script></main></body></html>",
        encoding="utf-8",
    )
    results = in_browser(site, ["broken.html"])
    phone = next(r for r in results if r["width"] == 375)
    found = {v["id"] for v in phone["violations"]}  # type: ignore[attr-defined]
    assert {"html-has-lang", "image-alt"} <= found
    assert phone["requests"] == ["https://example.org/x.png"]
    assert any("boom" in error for error in phone["errors"])  # type: ignore[attr-defined]
    assert isinstance(phone["scrollWidth"], int) and phone["scrollWidth"] > 375
