"""Every file of the site, rendered to bytes in memory: nothing is written here.

One template environment for the whole site (render/html.py PageRenderer), so
each template is compiled once however many pages use it; the portfolio's
lookups are built once (model.Site); a piece many pages show (the header of a
folder, an event's row, a question) is rendered once and reused. Pages are
made one at a time as they are asked for (`SiteBuild.files`), so a large site
is never in memory whole. The same files on the same day give the same bytes:
so a rebuild can tell exactly which files changed (publish.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from typing import Any

from markupsafe import Markup

from kontrakt.i18n import _, speaking
from kontrakt.models import KINDS
from kontrakt.portfolio import Portfolio
from kontrakt.render.site import data, model
from kontrakt.render.site.calendar import Calendars, site_calendars
from kontrakt.render.site.initiative import initiative_pages
from kontrakt.render.site.meetings import meetings_pages
from kontrakt.render.site.model import Page, Site, up
from kontrakt.render.site.outcomes import outcome_pages
from kontrakt.render.site.pages import (
    budget_pages,
    events_page,
    initiatives_page,
    start_page,
    weave_page,
)
from kontrakt.workers import made_apart

_ICS = "calendar"  # every .ics is made from one export of the whole calendar
_DATA = "data"  # the open data files are written from one document


@dataclass(frozen=True, slots=True)
class SiteRequest:
    portfolio: Portfolio
    day: date
    days: int = 60
    documents: bool = False  # each meeting's agenda as HTML, Word and PowerPoint too


def _navigation(outcomes: bool) -> list[tuple[str, str]]:
    """The site's sections; Outcomes only for a portfolio with indicators."""
    return [
        (model.START, _("Start")),
        (model.INITIATIVES, _("Initiatives")),
        *([(model.OUTCOMES, _("Outcomes"))] if outcomes else []),
        (model.BUDGET, _("Budget")),
        (model.EVENTS, _("Events")),
        (model.MEETINGS, _("Meetings")),
        (model.WEAVE, _("Weave")),
        (model.DATA, _("Open data")),
    ]


def _section(path: str) -> str:
    """The navigation entry a page belongs to (its folder's index, or itself)."""
    folder = path.rpartition("/")[0]
    return f"{folder}/index.html" if folder else path


class SiteBuild:
    """The site's files: their paths at once, their bytes one by one."""

    def __init__(self, request: SiteRequest) -> None:
        from kontrakt.render.html import PageRenderer

        self.request = request
        self.language = request.portfolio.settings.language
        self.renderer = PageRenderer()
        self._pieces: dict[tuple[Any, ...], Markup] = {}
        self._made_calendars: Calendars | None = None
        with speaking(self.language):
            site = self.site = Site(request.portfolio, request.day, request.days)
            site.render = self.renderer.render
            pages: list[Page] = [
                Page(model.STYLES, make=self._styles),
                Page(model.SCRIPT, make=_script),
                start_page(site),
                initiatives_page(site),
            ]
            pages += initiative_pages(site)
            pages += outcome_pages(site)
            pages += budget_pages(site)
            pages.append(events_page(site))
            pages += meetings_pages(site, documents=request.documents)
            pages += weave_page(site)
            pages += data_pages(site)
            pages.append(Page(model.CALENDAR, make=lambda: self._calendar(None), batch=_ICS))
            pages += [
                Page(model.event_calendar(key), make=partial(self._calendar, key), batch=_ICS)
                for key, event in sorted(site.portfolio.events.items())
                if event.date is not None
            ]
        self.pages = pages

    @property
    def paths(self) -> list[str]:
        return [page.path for page in self.pages]

    @property
    def batches(self) -> list[str]:
        return [page.batch for page in self.pages]

    def files(self, workers: int = 1) -> Iterator[tuple[str, bytes]]:
        """Each file's path and bytes, made as they are asked for: here, or by
        `workers` processes (kontrakt/workers.py; see `workers_for`)."""
        pages = self.pages
        return ((pages[index].path, made) for index, made in made_apart(self, workers))

    def made_at(self, index: int) -> bytes:
        """The bytes of the page at `index`."""
        with speaking(self.language):
            return self._made(self.pages[index])

    def making(self) -> AbstractContextManager[object]:
        """A run of pages shares one render timer (sandbox.py's Guard.session)."""
        return self.renderer.guard.session()

    def _made(self, page: Page) -> bytes:
        if page.template is None:
            return page.make() if page.make is not None else (page.data or b"")
        context = page.contexts() if page.contexts is not None else page.context
        return self.renderer.render(page.template, {**self._frame(page), **context}).encode()

    def _frame(self, page: Page) -> dict[str, Any]:
        """What the base template needs around a page: its title, the links of its
        folder, and the header and footer (rendered once per folder and section)."""
        settings = self.request.portfolio.settings
        root = up(page.path)
        section = _section(page.path)
        shared = {
            "lang": settings.language,
            "site_name": settings.name,
            "mission": settings.mission,
            "root": root,
            "home": root + model.START,
            "data_href": root + model.DATA,
        }
        header = self._fragment(
            "site/header.html.j2",
            ("header", root, section),
            lambda: {
                **shared,
                "navigation": [
                    {"label": label, "href": root + target, "current": target == section}
                    for target, label in _navigation(bool(self.site.portfolio.indicators))
                ],
            },
        )
        footer = self._fragment("site/footer.html.j2", ("footer", root), lambda: shared)
        return {
            **shared,
            "page_title": page.title,
            "styles": root + model.STYLES,
            "script": root + model.SCRIPT,
            "header": header,
            "footer": footer,
        }

    def _fragment(
        self, template: str, key: tuple[Any, ...], context: Callable[[], dict[str, Any]]
    ) -> Markup:
        """A piece of a page rendered once (by `template`, the same escaping as every
        page), then reused wherever it is shown."""
        found = self._pieces.get((template, *key))
        if found is None:
            found = Markup(self.renderer.render(template, context()))
            self._pieces[(template, *key)] = found
        return found

    def _calendar(self, key: str | None) -> bytes:
        """The whole calendar (None), or one event's."""
        if self._made_calendars is None:
            self._made_calendars = site_calendars(self.site.portfolio, self.site.day)
        made = self._made_calendars
        return (made.whole if key is None else made.events[key]).encode("utf-8")

    def _styles(self) -> bytes:
        return self.renderer.render("site/site.css.j2", {}).encode("utf-8")


def _script() -> bytes:
    from kontrakt.render.templates import templates_dir

    return (templates_dir() / "site" / "site.js").read_bytes()


def build_site(request: SiteRequest) -> dict[str, bytes]:
    """Every file of the site by its path, all at once (for tests and small sites)."""
    return dict(SiteBuild(request).files())


def data_pages(site: Site) -> list[Page]:
    """The open data files and the page that says what each field means."""
    document = cache(partial(data.open_data, site.named))  # made once, by one process
    pages = [Page(data.json_path(), make=lambda: data.json_bytes(document()), batch=_DATA)]
    files = [{"label": "portfolio.json", "href": "portfolio.json", "what": _("JSON, everything")}]
    for kind in KINDS:
        pages.append(
            Page(
                data.csv_path(kind.folder),
                make=partial(_csv, document, kind.name, kind.folder),
                batch=_DATA,
            )
        )
        files.append(
            {
                "label": f"{kind.folder}.csv",
                "href": f"{kind.folder}.csv",
                "what": _(data.KIND_TITLES[kind.name]),
            }
        )
    pages.append(
        Page(
            data.csv_path("frames"),
            make=lambda: data.frames_csv(document()["portfolio"]),
            batch=_DATA,
        )
    )
    files.append({"label": "frames.csv", "href": "frames.csv", "what": _("Budget frames")})
    context = {"files": files, "tables": data.field_tables()}
    pages.append(Page(model.DATA, "site/data.html.j2", context, title=_("Open data")))
    return pages


def _csv(document: Callable[[], dict[str, Any]], kind: str, folder: str) -> bytes:
    return data.csv_bytes(kind, document()[folder])
