"""What every page of the site is made from: the page, and the portfolio's lookups.

`Page` is one file of the site (a template and its context, or bytes kontrakt
made otherwise); `Site` holds the loaded portfolio as known on the site's day
and the lookups many pages share (who funds what, which events and questions
name an initiative), each built once, so the pages of a large portfolio cost
what they show and no more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from kontrakt.allocation import allocations
from kontrakt.portfolio import Portfolio
from kontrakt.render.context import Describer
from kontrakt.render.site.paths import site_path
from kontrakt.views.asof import known_on
from kontrakt.views.snapshot import DecisionTaken, Snapshot, snapshot


@dataclass(slots=True)
class Page:
    """One file of the site: rendered from `template` with its context, or bytes.

    The context (`context`, or what `contexts()` returns) and the bytes (`data`, or
    what `make()` returns) are made when the page is built, one page at a time, so
    a large site never holds every page's data at once."""

    path: str
    template: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    data: bytes | None = None
    title: str = ""
    make: Callable[[], bytes] | None = None
    contexts: Callable[[], dict[str, Any]] | None = None
    batch: str = ""  # pages made from one thing made once: made together (kontrakt/workers.py)


START = "index.html"
INITIATIVES = site_path("initiatives", "index.html")
BUDGET = site_path("budget", "index.html")
EVENTS = site_path("events", "index.html")
MEETINGS = site_path("meetings", "index.html")
OUTCOMES = site_path("outcomes", "index.html")
WEAVE = "weave.html"
WEAVE_SVG = "weave.svg"
DATA = site_path("data", "index.html")
CALENDAR = "kontrakt.ics"
STYLES = site_path("assets", "site.css")
SCRIPT = site_path("assets", "site.js")


def initiative_page(key: str) -> str:
    return site_path("initiatives", f"{key}.html")


def outcome_page(key: str) -> str:
    return site_path("outcomes", f"{key}.html")


def meeting_page(key: str) -> str:
    return site_path("meetings", f"{key}.html")


def event_anchor(key: str) -> str:
    return f"{EVENTS}#event-{key}"


def event_calendar(key: str) -> str:
    return site_path("events", f"{key}.ics")


def up(path: str) -> str:
    """How a page at `path` reaches the site's top folder: `` or `../`."""
    return "../" * path.count("/")


class Site:
    """The portfolio as the site shows it, and the lookups its pages share."""

    def __init__(self, named: Portfolio, day: date, days: int) -> None:
        self.named = named  # every file, known on the day or not (open data, names)
        self.portfolio = known_on(named, day)
        self.day = day
        self.days = days
        self.settings = named.settings
        self.locale = self.settings.resolved_locale()
        self.snapshot: Snapshot = snapshot(named, day, days)
        self.describe = Describer(self.portfolio)
        portfolio = self.portfolio
        self.events_of: dict[str, list[str]] = {}
        for key, event in portfolio.events.items():
            for initiative in event.initiatives:
                self.events_of.setdefault(initiative, []).append(key)
        self.questions_of: dict[str, list[str]] = {}
        for key, question in portfolio.questions.items():
            for initiative in question.initiatives:
                self.questions_of.setdefault(initiative, []).append(key)
        self.news_of: dict[str, list[str]] = {}
        for key, item in portfolio.news.items():
            for initiative in item.initiatives:
                self.news_of.setdefault(initiative, []).append(key)
        self.decisions_of: dict[str, list[DecisionTaken]] = {}
        for decision in self.snapshot.decisions:
            for initiative in decision.initiatives:
                self.decisions_of.setdefault(initiative, []).append(decision)
        # Each initiative's exact part of each line it shares (allocation.py's split).
        # Every view of the budget on the site is of `day`: the pieces are made once.
        self.allocated = allocations(portfolio, day)
        self.shares: dict[tuple[str, str], int] = {}
        for piece in self.allocated:
            if piece.initiative is not None:
                share = (piece.line, piece.initiative)
                self.shares[share] = self.shares.get(share, 0) + piece.amount
        self.meeting_kinds = self.settings.vocabularies.meeting_kinds
        self.event_kinds = self.settings.vocabularies.event_kinds

        # Pieces of pages rendered once and reused (an event's row, a question), by
        # template and folder depth: `render` is set by the build, which owns the
        # template environment.
        self.render: Callable[[str, dict[str, Any]], str] = _no_render
        self._pieces: dict[tuple[str, int], dict[str, str]] = {}

    def pieces(
        self,
        template: str,
        keys: list[str],
        source: str,
        context: Callable[[str, str], dict[str, Any]],
    ) -> Markup:
        """The fragments of `keys` (each rendered once per folder depth), joined: what
        kontrakt's own templates rendered, escaped as every page is."""
        made = self._pieces.setdefault((template, source.count("/")), {})
        for key in keys:
            if key not in made:
                made[key] = self.render(template, context(key, source))
        return Markup("".join([made[key] for key in keys]))

    def initiative_link(self, key: str, source: str) -> dict[str, Any]:
        """A link to an initiative's page, or its id alone when the site has no page."""
        title = self.describe.titles[key]
        known = key in self.portfolio.initiatives
        return {"title": title, "href": up(source) + initiative_page(key) if known else None}


def _no_render(template: str, context: dict[str, Any]) -> str:
    raise RuntimeError("fragments are rendered by the site's build")
