"""`kontrakt site`: which pages exist and what they say (read back with an HTML
parser), that every link inside the site resolves, that text from the files is
only ever text, that paths come from plain names only, that the output folder
is written safely (refused, replaced, rebuilt with only what changed), and that
the open data is what the files hold."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import posixpath
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import BUNDLED, FIXTURES, write
from kontrakt.cli import app
from kontrakt.load import load_portfolio
from kontrakt.models import KINDS, KINDS_BY_NAME, Settings
from kontrakt.portfolio import Portfolio
from kontrakt.render.site import data
from kontrakt.render.site.build import SiteBuild, SiteRequest, build_site
from kontrakt.render.site.paths import UnsafePath, checked_path, external_url, href, site_path
from kontrakt.render.site.publish import MANIFEST, SiteRefused, publish

ENGLISH = FIXTURES / "good" / "english" / "portfolio"
DAY = date(2024, 2, 27)


def loaded(root: Path) -> Portfolio:
    result = load_portfolio(root)
    assert result.portfolio is not None and not result.has_errors
    return result.portfolio


def site_of(root: Path, day: date = DAY, **options: object) -> dict[str, bytes]:
    return build_site(SiteRequest(loaded(root), day, **options))  # type: ignore[arg-type]


class Page(HTMLParser):
    """The parts of a page the tests read: links, ids, headings, text by tag."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[tuple[int, str]] = []
        self.lang = ""
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self._level = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if "id" in found:
            self.ids.add(found["id"] or "")
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in ("link", "script", "img") and (found.get("href") or found.get("src")):
            self.sources.append(found.get("href") or found.get("src") or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading, self._level = [], int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        if self._heading is not None and tag == f"h{self._level}":
            self.headings.append((self._level, " ".join("".join(self._heading).split())))
            self._heading = None

    def handle_data(self, text: str) -> None:
        self.text.append(text)
        if self._heading is not None:
            self._heading.append(text)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def pages(files: dict[str, bytes]) -> dict[str, Page]:
    return {
        path: Page(body.decode("utf-8")) for path, body in files.items() if path.endswith(".html")
    }


def resolve(source: str, link: str) -> tuple[str, str]:
    """A relative link from `source` as a site path and fragment."""
    target, _hash, fragment = link.partition("#")
    if not target:
        return source, fragment
    folder = source.rpartition("/")[0]
    joined = posixpath.normpath(posixpath.join(folder, target))
    return joined, fragment


def assert_links_resolve(files: dict[str, bytes]) -> None:
    read = pages(files)
    for source, page in read.items():
        for link in page.links + page.sources:
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            assert "://" not in link and not link.startswith("/"), (source, link)
            target, fragment = resolve(source, link)
            assert target in files, (source, link)
            if fragment and target.endswith(".html"):
                assert fragment in read[target].ids, (source, link)


@pytest.fixture(scope="module")
def bundled_site() -> dict[str, bytes]:
    return build_site(SiteRequest(loaded(BUNDLED), DAY))


@pytest.fixture(scope="module")
def english_site() -> dict[str, bytes]:
    return build_site(SiteRequest(loaded(ENGLISH), DAY))


# --- pages and what they say -------------------------------------------------------------


def test_the_site_has_every_page(bundled_site: dict[str, bytes]) -> None:
    portfolio = loaded(BUNDLED)
    for path in (
        "index.html",
        "initiatives/index.html",
        "budget/index.html",
        "budget/phase.html",
        "budget/period.html",
        "budget/initiative.html",
        "events/index.html",
        "meetings/index.html",
        "weave.html",
        "weave.svg",
        "data/index.html",
        "data/portfolio.json",
        "kontrakt.ics",
        "assets/site.css",
        "assets/site.js",
    ):
        assert path in bundled_site, path
    for key in portfolio.initiatives:
        assert f"initiatives/{key}.html" in bundled_site
    for key in portfolio.meetings:
        assert f"meetings/{key}.html" in bundled_site
    for key, event in portfolio.events.items():
        assert (f"events/{key}.ics" in bundled_site) is (event.date is not None)
    for kind in KINDS:
        assert f"data/{kind.folder}.csv" in bundled_site


def test_every_internal_link_resolves(
    bundled_site: dict[str, bytes], english_site: dict[str, bytes]
) -> None:
    assert_links_resolve(bundled_site)
    assert_links_resolve(english_site)


def test_pages_are_in_the_portfolio_language_with_landmarks_and_headings_in_order(
    bundled_site: dict[str, bytes], english_site: dict[str, bytes]
) -> None:
    for files, language in ((bundled_site, "sv"), (english_site, "en")):
        for path, page in pages(files).items():
            assert page.lang == language, path
            body = files[path].decode("utf-8")
            assert body.count("<main") == 1 and "<nav" in body and "<footer" in body, path
            assert 'href="#content"' in body and 'id="content"' in body, path
            levels = [level for level, _text in page.headings]
            assert levels and levels[0] == 1 and levels.count(1) == 1, path
            for before, after in itertools.pairwise(levels):
                assert after <= before + 1, (path, page.headings)


def test_the_start_page_in_english(english_site: dict[str, bytes]) -> None:
    page = Page(english_site["index.html"].decode())
    assert page.headings[0] == (1, "Healthy and independent older people")
    texts = [text for _level, text in page.headings]
    for heading in ("Initiatives", "Budget", "Next meeting", "Open questions", "Latest news"):
        assert heading in texts
    assert 'id="status-chart-title"' in english_site["index.html"].decode()
    assert 'id="budget-chart-title"' in english_site["index.html"].decode()


def test_an_initiative_page_in_english(english_site: dict[str, bytes]) -> None:
    body = english_site["initiatives/alarm.html"].decode()
    page = Page(body)
    assert page.headings[0] == (1, "Safety alarm with civil society")
    text = page.all_text
    assert "Status over time" in text and "2024-02-27 : Ongoing" in text
    assert "Builds on:" in text and "Uses the same meeting places" in text
    assert "meals.html" in " ".join(page.links)
    meals = Page(english_site["initiatives/meals.html"].decode())
    assert "From other initiatives" in meals.all_text  # the relation, seen from the other end
    assert any(link.endswith("alarm.html") for link in meals.links)


def test_the_budget_pages_hold_the_tables_and_a_chart_per_period(
    english_site: dict[str, bytes],
) -> None:
    overview = english_site["budget/index.html"].decode()
    assert 'id="budget-2024-title"' in overview and "<table" in overview
    for grouping in ("phase", "period", "initiative"):
        assert '<table class="budget">' in english_site[f"budget/{grouping}.html"].decode()


def test_the_events_page_offers_the_calendar(english_site: dict[str, bytes]) -> None:
    page = Page(english_site["events/index.html"].decode())
    assert "../kontrakt.ics" in page.links
    assert "add it as a calendar from a URL" in page.all_text
    assert "event-workshop" in page.ids and "../events/workshop.ics" in page.links


def test_the_calendars_parse_and_share_their_entries(english_site: dict[str, bytes]) -> None:
    from icalendar import Calendar

    whole = Calendar.from_ical(english_site["kontrakt.ics"])
    one = Calendar.from_ical(english_site["events/workshop.ics"])
    uids = {str(entry["UID"]) for entry in whole.walk("VEVENT")}
    [entry] = one.walk("VEVENT")
    assert str(entry["UID"]) in uids and str(entry["SUMMARY"]).startswith("Open workshop")
    assert one.walk("VTIMEZONE")  # a timed entry carries its time zone


@pytest.mark.parametrize("title", ["Slut END:VEVENT", "BEGIN:VEVENT", "x;TZID=Europe/Stockholm:"])
def test_an_events_calendar_holds_its_whole_entry_whatever_its_text(
    minimal: Path, title: str
) -> None:
    """Each event's .ics is made of the export's parts, not cut from its text: a
    title that reads like a line of the calendar changes nothing, and an all-day
    event's calendar has no time zone whatever its text says."""
    from icalendar import Calendar

    write(minimal, "events/e.yaml", f"title: '{title}'\nkind: oppen-verkstad\ndate: 2024-03-15\n")
    files = site_of(minimal)
    one = Calendar.from_ical(files["events/e.ics"])
    [entry] = one.walk("VEVENT")
    assert str(entry["SUMMARY"]) == title
    assert str(entry["CATEGORIES"].cats[0]) == "Öppen verkstad"
    assert not one.walk("VTIMEZONE")
    own, whole = files["events/e.ics"].decode(), files["kontrakt.ics"].decode()
    entry_text = own[own.index("\r\nBEGIN:VEVENT\r\n") : own.rindex("END:VCALENDAR")]
    assert entry_text.endswith("\r\nEND:VEVENT\r\n") and entry_text in whole
    assert "BEGIN:VTIMEZONE" not in whole


def test_a_meeting_page_shows_an_issued_agenda_as_issued(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(ENGLISH, root)
    record = "# The agenda as it was sent\n\n- <b>kept</b> word for word\n"
    write(root, "meetings/2024-01-30-core-team.agenda.md", record)
    files = site_of(root)
    body = files["meetings/2024-01-30-core-team.html"].decode()
    assert "The issued agenda" in body
    assert "- &lt;b&gt;kept&lt;/b&gt; word for word" in body
    assert "issued" in Page(files["meetings/index.html"].decode()).all_text


def test_documents_are_offered_only_when_asked(tmp_path: Path) -> None:
    plain = site_of(ENGLISH)
    assert not any(path.endswith((".docx", ".pptx")) for path in plain)
    with_documents = site_of(ENGLISH, documents=True)
    for suffix in ("html", "docx", "pptx"):
        assert f"meetings/2024-01-30-core-team.agenda.{suffix}" in with_documents
    assert_links_resolve(with_documents)


def test_the_same_files_give_the_same_bytes(english_site: dict[str, bytes]) -> None:
    assert site_of(ENGLISH) == english_site


# --- escaping, paths and addresses -----------------------------------------------------------


def test_text_from_the_files_is_only_text() -> None:
    """Markup, quotes and control characters in any value stay text; a link's address
    is an attribute's text (the files' addresses are checked on reading)."""
    from dataclasses import replace

    portfolio = loaded(ENGLISH)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
    initiatives = dict(portfolio.initiatives)
    initiatives["alarm"] = initiatives["alarm"].model_copy(
        update={"title": hostile, "notes": ["\x1b[31mred\u202e"]}
    )
    events = dict(portfolio.events)
    events["workshop"] = events["workshop"].model_copy(
        update={"url": 'https://example.org/?a=1&b="><script>x</script>', "initiatives": ["alarm"]}
    )
    files = build_site(SiteRequest(replace(portfolio, initiatives=initiatives, events=events), DAY))
    for path, body in files.items():
        if path.endswith((".html", ".svg")):
            text = body.decode()
            assert "<script>alert" not in text and "<img src=x" not in text, path
            assert "\x1b" not in text and "\u202e" not in text, path
    page = files["initiatives/alarm.html"].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\\x1b[31mred\\u202e" in page
    assert Page(page).headings[0] == (1, hostile)
    events_page = files["events/index.html"].decode()
    assert (
        'href="https://example.org/?a=1&amp;b=&#34;&gt;&lt;script&gt;x&lt;/script&gt;"'
        in events_page
    )


def test_paths_are_made_of_plain_names_only() -> None:
    assert site_path("initiatives", "salus-mea.html") == "initiatives/salus-mea.html"
    for bad in ("..", ".", "", ".hidden", "a/b", "a\\b", "A", "x y", "..html", "ä", "a\x00"):
        with pytest.raises(UnsafePath):
            site_path("initiatives", bad)
    for bad in ("../x.html", "/etc/passwd", "a//b", "a/./b", "C:/x"):
        with pytest.raises(UnsafePath):
            checked_path(bad)
    assert href("initiatives/a.html", "index.html#x") == "../index.html#x"
    assert href("index.html", "events/index.html") == "events/index.html"


def test_only_http_https_and_mailto_leave_the_site() -> None:
    assert external_url("https://example.org/x") == "https://example.org/x"
    assert external_url("mailto:kontakt@example.org") == "mailto:kontakt@example.org"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "//evil",
        "ftp://x",
    ):
        assert external_url(bad) is None


# --- the output folder ----------------------------------------------------------------------


def published(root: Path, folder: Path, *, replace: bool = False) -> tuple[int, int, int]:
    build = SiteBuild(SiteRequest(loaded(root), DAY))
    done = publish(build, folder, replace=replace)
    return done.written, done.unchanged, done.removed


def test_a_new_folder_is_made_and_a_rebuild_rewrites_only_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(ENGLISH, root)
    out = tmp_path / "site"
    written, unchanged, removed = published(root, out)
    assert written > 20 and unchanged == removed == 0
    assert (out / MANIFEST).is_file()
    assert published(root, out) == (0, written, 0)
    # One file changed: its page, and the pages that show it, are rewritten; no other.
    text = (root / "questions" / "venue.yaml").read_text(encoding="utf-8")
    (root / "questions" / "venue.yaml").write_text(text.replace("title:", "title: New"), "utf-8")
    build = SiteBuild(SiteRequest(loaded(root), DAY))
    done = publish(build, out)
    assert 0 < done.written < 8 and done.removed == 0
    assert "data/questions.csv" in done.written_paths
    assert not any(
        path.startswith("initiatives/") and "alarm" in path for path in done.written_paths
    )
    # An initiative gone: its page goes, nothing else.
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (root / "initiatives" / "health-economics.yaml").unlink()
    _written, _unchanged, removed = published(root, out)
    assert removed == 1 and not (out / "initiatives" / "health-economics.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_folder_kontrakt_did_not_make_is_refused_unless_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("someone's page", encoding="utf-8")
    (out / "keep.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(SiteRefused):
        published(ENGLISH, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "someone's page"
    written, _unchanged, removed = published(ENGLISH, out, replace=True)
    assert written > 20 and removed == 0
    assert (out / "keep.txt").read_text(encoding="utf-8") == "keep"
    assert "<!DOCTYPE html>" in (out / "index.html").read_text(encoding="utf-8")


def test_a_file_the_manifest_does_not_list_is_not_written_over(tmp_path: Path) -> None:
    out = tmp_path / "site"
    published(ENGLISH, out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    del manifest["files"]["weave.svg"]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "weave.svg").write_text("someone's picture", encoding="utf-8")
    with pytest.raises(SiteRefused):
        published(ENGLISH, out)
    assert (out / "weave.svg").read_text(encoding="utf-8") == "someone's picture"


def test_links_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.symlink_to(outside)
    with pytest.raises(SiteRefused):
        published(ENGLISH, linked)
    out = tmp_path / "site"
    published(ENGLISH, out)
    (out / "weave.svg").unlink()
    (out / "weave.svg").symlink_to(outside / "secret.txt")
    with pytest.raises(Exception, match="link"):
        published(ENGLISH, out)
    assert (outside / "secret.txt").read_text(encoding="utf-8") == "secret"
    (out / "weave.svg").unlink()
    shutil.rmtree(out / "events")
    (out / "events").symlink_to(outside)
    with pytest.raises(Exception, match="link"):
        published(ENGLISH, out)
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_a_manifest_naming_paths_outside_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    published(ENGLISH, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["../victim.txt"] = None
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(SiteRefused):
        published(ENGLISH, out)
    assert victim.read_text(encoding="utf-8") == "keep"


def test_a_fifo_where_a_file_should_be_is_refused_not_waited_on(tmp_path: Path) -> None:
    """Reading what stands at a site path never blocks: a FIFO is no file of ours."""
    import os

    out = tmp_path / "site"
    out.mkdir()
    os.mkfifo(out / MANIFEST)
    with pytest.raises(SiteRefused, match="is not a manifest kontrakt site wrote"):
        published(ENGLISH, out)
    fresh = tmp_path / "fresh"
    published(ENGLISH, fresh)
    (fresh / "weave.html").unlink()
    os.mkfifo(fresh / "weave.html")
    (fresh / "index.html").unlink()
    with pytest.raises(SiteRefused, match="not a regular file"):
        published(ENGLISH, fresh, replace=True)
    assert not (fresh / "index.html").exists()  # refused before anything was written


def test_a_link_on_the_way_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "site"
    published(ENGLISH, out)
    manifest = (out / MANIFEST).read_bytes()
    shutil.rmtree(out / "meetings")
    (out / "meetings").symlink_to(elsewhere)
    (out / "index.html").unlink()
    with pytest.raises(SiteRefused, match="stands where its folder should be"):
        published(ENGLISH, out, replace=True)
    assert not (out / "index.html").exists()  # nothing written
    assert (out / MANIFEST).read_bytes() == manifest
    assert not any(elsewhere.iterdir())


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names descriptors via /proc")
def test_the_manifest_is_flushed_to_disk_and_the_pages_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next build reads every page back before it trusts it, but trusts the
    manifest: that alone (and its folder) is flushed, and nothing flushes the
    whole system's writes."""
    flushed: list[str] = []
    real = os.fsync

    def fsync(descriptor: int) -> None:
        flushed.append(str(Path(f"/proc/self/fd/{descriptor}").readlink()))
        real(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", lambda: flushed.append("everything"))
    out = tmp_path / "site"
    published(ENGLISH, out)
    # The manifest is flushed as written (under its temporary name), then the rename.
    assert len(flushed) == 2 and Path(flushed[1]) == out.resolve()
    assert Path(flushed[0]).parent == out.resolve()
    assert Path(flushed[0]).name.startswith(f".{MANIFEST}.")


def test_a_new_folder_gets_new_files_and_a_rebuild_replaces_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a folder the build made, pages are created under their own names; in a
    folder that was there, a page is written under a temporary name and renamed.
    The manifest is always replaced atomically."""
    from kontrakt import write as writing

    named: list[str] = []
    real = writing._create_temporary

    def counted(folder: int, name: str, made: list[str]) -> int:
        named.append(name)
        return real(folder, name, made)

    monkeypatch.setattr(writing, "_create_temporary", counted)
    out = tmp_path / "site"
    written, _unchanged, _removed = published(ENGLISH, out)
    assert named == [MANIFEST, MANIFEST]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    named.clear()
    (out / "index.html").unlink()
    assert published(ENGLISH, out) == (1, written - 1, 0)
    assert named == ["index.html"]


def test_a_page_found_written_in_a_new_folder_is_replaced_never_through_a_link(
    tmp_path: Path,
) -> None:
    """A page a worker wrote before it was killed is made again here: replaced as a
    file standing there would be, and a link standing there is still refused."""
    from kontrakt.render.site.publish import _Tree
    from kontrakt.write import WriteRefused

    victim = tmp_path / "victim.txt"
    victim.write_text("orört", encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "a.html").write_bytes(b"<p>halv")
    (out / "b.html").symlink_to(victim)
    with _Tree(out) as tree:
        tree.write("a.html", b"<p>hel</p>", new=True)
        with pytest.raises(WriteRefused, match="symbolic link"):
            tree.write("b.html", b"<p>x</p>", new=True)
    assert (out / "a.html").read_bytes() == b"<p>hel</p>"
    assert victim.read_text(encoding="utf-8") == "orört"


def test_a_build_stopped_halfway_is_carried_on_by_the_next(tmp_path: Path) -> None:
    """The manifest names every file before the first is written: a stopped build
    leaves a folder the next one writes into without --replace."""
    out = tmp_path / "site"
    build = SiteBuild(SiteRequest(loaded(ENGLISH), DAY))
    with pytest.raises(RuntimeError):
        publish(_Stopped(build, after=3), out)
    written = [p for p in out.rglob("*") if p.is_file() and p.name != MANIFEST]
    assert len(written) == 3
    assert published(ENGLISH, out)[0] > 0  # carries on, refuses nothing


class _Stopped(SiteBuild):
    """The site's build, stopped (as if killed) when it comes to the page at `after`."""

    def __init__(self, build: SiteBuild, *, after: int) -> None:
        self.__dict__.update(build.__dict__)
        self.after = after

    def made_at(self, index: int) -> bytes:
        if index == self.after:
            raise RuntimeError("killed")
        return super().made_at(index)


def test_two_pages_with_one_path_are_refused(tmp_path: Path) -> None:
    """An initiative or a meeting named `index` would be its folder's own page."""
    root = tmp_path / "portfolio"
    shutil.copytree(ENGLISH, root)
    write(root, "initiatives/index.yaml", "title: Index\nstatus: ongoing\n")
    with pytest.raises(SiteRefused, match=r"initiatives/index\.html"):
        published(root, tmp_path / "site")
    assert not (tmp_path / "site" / "index.html").exists()


def test_only_files_still_holding_what_kontrakt_wrote_are_removed(tmp_path: Path) -> None:
    """A name someone put into the manifest, or a file of the site someone changed
    since, is left where it is when the site no longer has it."""
    out = tmp_path / "site"
    published(ENGLISH, out)
    (out / "precious.txt").write_text("precious", encoding="utf-8")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["precious.txt"] = None
    manifest["files"]["robots.txt"] = "0" * 64
    (out / "robots.txt").write_text("User-agent: *", encoding="utf-8")
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert published(ENGLISH, out)[2] == 0
    assert (out / "precious.txt").read_text(encoding="utf-8") == "precious"
    assert (out / "robots.txt").exists()
    assert "precious.txt" not in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]


def test_a_manifest_nested_too_deep_is_refused_with_a_message(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(SiteRefused, match="is not a manifest kontrakt site wrote"):
        published(ENGLISH, out)


def test_a_folder_inside_the_portfolio_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(ENGLISH, root)
    for inside in (root, root / "site", root / "initiatives"):
        result = CliRunner().invoke(app, ["site", "-p", str(root), "-o", str(inside)])
        assert result.exit_code == 1
        assert "is inside the portfolio" in result.output
    assert not (root / "site").exists() and not (root / "index.html").exists()


def test_the_command_writes_and_says_what_it_did(tmp_path: Path) -> None:
    out = tmp_path / "site"
    runner = CliRunner()
    args = ["site", "-p", str(ENGLISH), "--as-of", "2024-02-27", "-o", str(out)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "files written, 0 unchanged, 0 removed" in first.output
    again = runner.invoke(app, args)
    assert "0 files written" in again.output
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "x.txt").write_text("x", encoding="utf-8")
    refused = runner.invoke(app, ["site", "-p", str(ENGLISH), "-o", str(foreign)])
    assert refused.exit_code != 0 and "--replace" in refused.output


# --- open data ---------------------------------------------------------------------------------


def test_the_json_holds_what_the_files_hold_and_nothing_more(
    bundled_site: dict[str, bytes],
) -> None:
    document = json.loads(bundled_site["data/portfolio.json"])
    portfolio = loaded(BUNDLED)
    for kind in KINDS:
        table = portfolio.of_kind(kind.name)
        items = document[kind.folder]
        assert [item["id"] for item in items] == sorted(table)
        for item in items:
            source = portfolio.sources[(kind.name, item["id"])]
            written = YAML(typ="safe").load(source.path.read_text(encoding="utf-8"))
            assert set(item) - {"id"} == set(written) - {"id"}, (kind.name, item["id"])
            for key, value in written.items():
                if isinstance(value, str) and key not in ("start", "end"):
                    assert item[key] == value, (kind.name, item["id"], key)
    assert document["portfolio"]["mission"] == portfolio.settings.mission
    assert "frames" in document["portfolio"] and "limits" not in document["portfolio"]


def test_each_csv_holds_a_row_per_file(bundled_site: dict[str, bytes]) -> None:
    portfolio = loaded(BUNDLED)
    for kind in KINDS:
        text = bundled_site[f"data/{kind.folder}.csv"].decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
        assert [row["id"] for row in rows] == sorted(portfolio.of_kind(kind.name))
        # The header even where the kind has no file (the bundled portfolio's actions).
        assert reader.fieldnames == [name for name, _t, _m in data.FIELDS[kind.name]]
    lines = bundled_site["data/budget.csv"].decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(lines)) if r["id"] == "maltider-och-moten")
    assert row["amount"] == str(portfolio.budget["maltider-och-moten"].amount)
    assert json.loads(row["parts"])[0]["amount"] == 100_000


def test_every_field_is_documented() -> None:
    for kind, fields in data.FIELDS.items():
        model = Settings if kind == "settings" else KINDS_BY_NAME[kind].model
        names = [name for name, _t, _m in fields]
        expected = list(data.SETTINGS_FIELDS) if kind == "settings" else list(model.model_fields)
        assert names == expected, kind


def test_a_formula_in_a_csv_cell_stays_text(tmp_path: Path) -> None:
    root = tmp_path / "portfolio"
    shutil.copytree(ENGLISH, root)
    write(root, "initiatives/alarm.yaml", "title: '=HYPERLINK(\"http://x\")'\n")
    files = site_of(root)
    text = files["data/initiatives.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert json.loads(files["data/portfolio.json"])["initiatives"][0]["title"].startswith("=")


def test_the_workflow_builds_the_site_on_main_and_deploys_it() -> None:
    from conftest import REPO

    text = (REPO / ".github" / "workflows" / "portfolio.yml").read_text(encoding="utf-8")
    assert "github.ref == 'refs/heads/main'" in text
    assert "kontrakt site --portfolio portfolio -o site" in text
    assert "actions/upload-pages-artifact@" in text and "actions/deploy-pages@" in text
    assert "pages: write" in text and "id-token: write" in text
