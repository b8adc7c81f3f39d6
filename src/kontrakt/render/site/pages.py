"""Which pages the site has, and what each one shows (its template's context).

Every word is kontrakt's gettext, said in the portfolio's language (the caller
speaks it); every value from the files is plain text, escaped by the template;
kontrakt's own charts are SVG it drew itself (render/charts.py). A page's
links are relative (`up()`), built from ids through `site_path`.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from markupsafe import Markup

from kontrakt.i18n import _
from kontrakt.models import Event
from kontrakt.order import listing_order
from kontrakt.render import charts
from kontrakt.render.budget import labeller
from kontrakt.render.site import model
from kontrakt.render.site.model import Page, Site, up
from kontrakt.render.site.paths import external_url
from kontrakt.views.budget import Filters, budget_view

LATEST_NEWS = 5


def _svg(text: str) -> Markup:
    """A chart kontrakt drew (every text in it escaped by charts.py)."""
    return Markup(text)


def status_anchor(status: str | None) -> str:
    return f"status-{status or 'none'}"


def event_row(site: Site, key: str, event: Event, source: str) -> dict[str, Any]:
    """An event for a table or a list: what Describer says, with its links."""
    described = site.describe.event(key, event)
    described["anchor"] = f"event-{key}"
    described["href"] = up(source) + model.event_anchor(key)
    described["ics"] = up(source) + model.event_calendar(key) if event.date else None
    described["url"] = external_url(event.url)
    described["description"] = event.description
    described["initiatives"] = [site.initiative_link(i, source) for i in event.initiatives]
    return described


def question_item(site: Site, key: str, source: str) -> dict[str, Any]:
    question = site.portfolio.questions[key]
    described = site.describe.question(question)
    described["id"] = key
    described["initiatives"] = [site.initiative_link(i, source) for i in question.initiatives]
    described["open"] = question.answered is None or question.answered > site.day
    return described


def news_item(site: Site, key: str, source: str) -> dict[str, Any]:
    item = site.portfolio.news[key]
    return {
        "date": item.date.isoformat(),
        "title": item.title,
        "description": item.description,
        "initiatives": [site.initiative_link(i, source) for i in item.initiatives],
    }


def event_rows(site: Site, keys: list[str], source: str) -> Markup:
    """Events as rows of an events table (site/event-row.html.j2)."""
    events = site.portfolio.events
    return site.pieces(
        "site/event-row.html.j2",
        keys,
        source,
        lambda key, src: {"event": event_row(site, key, events[key], src)},
    )


def event_lines(site: Site, keys: list[str], source: str) -> Markup:
    events = site.portfolio.events
    return site.pieces(
        "site/event-line.html.j2",
        keys,
        source,
        lambda key, src: {"event": event_row(site, key, events[key], src)},
    )


def questions_html(site: Site, keys: list[str], source: str, *, lines: bool = False) -> Markup:
    """Questions in full (site/question.html.j2), or a line each."""
    template = "site/question-line.html.j2" if lines else "site/question.html.j2"
    return site.pieces(
        template, keys, source, lambda key, src: {"item": question_item(site, key, src)}
    )


def news_html(site: Site, keys: list[str], source: str) -> Markup:
    return site.pieces(
        "site/news-item.html.j2",
        keys,
        source,
        lambda key, src: {"item": news_item(site, key, src)},
    )


def status_groups(site: Site, source: str, *, items: bool) -> list[dict[str, Any]]:
    """The initiatives by their status on the site's day, in the portfolio's order."""
    groups = []
    for group in site.snapshot.groups:
        anchor = status_anchor(group.status.value if group.status else None)
        entry: dict[str, Any] = {
            "label": group.label,
            "count": len(group.initiatives),
            "anchor": anchor,
            "href": up(source) + model.INITIATIVES + "#" + anchor,
        }
        if items:
            kinds = site.settings.vocabularies.kinds
            entry["initiatives"] = [
                {
                    "title": state.initiative.title,
                    "href": up(source) + model.initiative_page(state.id),
                    "kind": kinds.get(state.initiative.kind, state.initiative.kind)
                    if state.initiative.kind
                    else None,
                }
                for state in group.initiatives
            ]
        groups.append(entry)
    return groups


def next_meetings(site: Site, source: str) -> list[dict[str, Any]]:
    """The meetings of the first day on or after the site's day that has any."""
    coming = [m.date for m in site.portfolio.meetings.values() if m.date >= site.day]
    if not coming:
        return []
    first = min(coming)
    return [
        meeting_row(site, key, source)
        for key, meeting in sorted(site.portfolio.meetings.items())
        if meeting.date == first
    ]


def meeting_row(site: Site, key: str, source: str) -> dict[str, Any]:
    meeting = site.portfolio.meetings[key]
    when = meeting.date.isoformat()
    if meeting.start:
        when += f" {meeting.start}" + (f"–{meeting.end}" if meeting.end else "")
    return {
        "id": key,
        "title": meeting.heading(site.meeting_kinds),
        "kind": site.meeting_kinds.get(meeting.kind, meeting.kind),
        "date": meeting.date.isoformat(),
        "when": when,
        "place": meeting.place,
        "href": up(source) + model.meeting_page(key),
    }


def budget_chart(site: Site, periods: tuple[int, ...], ident: str, title: str) -> Markup:
    view = budget_view(
        site.portfolio,
        ["category"],
        Filters(periods=periods, as_of=site.day),
        labeller(site.portfolio),
        allocated=site.allocated,
    )
    return _svg(charts.budget_svg(charts.budget_bars(view), site.locale, title, ident=ident))


def start_page(site: Site) -> Page:
    return Page(
        model.START,
        "site/start.html.j2",
        contexts=lambda: start_context(site),
        title=site.settings.mission,
    )


def start_context(site: Site) -> dict[str, Any]:
    path = model.START
    settings = site.settings
    snap = site.snapshot
    news = sorted(
        ((k, n) for k, n in site.portfolio.news.items() if n.date <= site.day),
        key=lambda pair: (pair[1].date, pair[0]),
        reverse=True,
    )[:LATEST_NEWS]
    return {
        "mission": settings.mission,
        "name": settings.name,
        "description": settings.description,
        "day": site.day.isoformat(),
        "days": site.days,
        "groups": status_groups(site, path, items=False),
        "initiatives_href": model.INITIATIVES,
        "budget_href": model.BUDGET,
        "events_href": model.EVENTS,
        "meetings_href": model.MEETINGS,
        "status_chart": _svg(
            charts.status_svg(
                charts.status_counts(snap), _("Initiatives by status"), ident="status-chart"
            )
        ),
        "budget_chart": budget_chart(site, (), "budget-chart", _("Budget against the frames")),
        "events": event_rows(site, [k for k, _e in snap.upcoming_events], path),
        "questions": questions_html(site, [k for k, _q in snap.open_questions], path),
        "news": news_html(site, [k for k, _n in news], path),
        "meetings": next_meetings(site, path),
        "outcomes_href": model.OUTCOMES if site.portfolio.indicators else None,
        "outcomes_count": len(site.portfolio.indicators),
    }


def initiatives_page(site: Site) -> Page:
    path = model.INITIATIVES
    return Page(
        path,
        "site/initiatives.html.j2",
        contexts=lambda: {
            "groups": status_groups(site, path, items=True),
            "day": site.day.isoformat(),
        },
        title=_("Initiatives"),
    )


def budget_pages(site: Site) -> list[Page]:
    """The budget's overview (a chart per period's frames, the table by category),
    and a page for each other grouping `kontrakt budget --by` has; each page's
    view is made when the page is."""
    groupings = {
        "category": _("By category"),
        "phase": _("By phase"),
        "period": _("By period"),
        "initiative": _("By initiative"),
    }
    links = [
        {
            "grouping": grouping,
            "label": text,
            "path": model.BUDGET if grouping == "category" else f"budget/{grouping}.html",
        }
        for grouping, text in groupings.items()
    ]
    pages = []
    for link in links:
        grouping = str(link["grouping"])
        title = _("Budget") if grouping == "category" else f"{_('Budget')}: {link['label']}"
        pages.append(
            Page(
                str(link["path"]),
                "site/budget.html.j2",
                contexts=partial(_budget_context, site, link, links),
                title=title,
            )
        )
    return pages


def _budget_context(
    site: Site, link: dict[str, str], links: list[dict[str, str]]
) -> dict[str, Any]:
    from kontrakt.render.budget import document_table

    path = link["path"]
    grouping = link["grouping"]
    label = labeller(site.portfolio)
    view = budget_view(
        site.portfolio, [grouping], Filters(as_of=site.day), label, allocated=site.allocated
    )
    charts_by_period = [
        {
            "period": period,
            "ident": f"budget-{period}",
            "svg": budget_chart(
                site,
                (period,),
                f"budget-{period}",
                _("Budget %(period)s against its frames") % {"period": period},
            ),
        }
        for period in (view.periods if grouping == "category" else ())
    ]
    return {
        "grouping": grouping,
        "heading": link["label"],
        "day": site.day.isoformat(),
        "links": [{"label": other["label"], "href": up(path) + other["path"]} for other in links],
        "charts": charts_by_period,
        "table": document_table(view, site.locale, lines=True),
    }


def events_page(site: Site) -> Page:
    return Page(
        model.EVENTS,
        "site/events.html.j2",
        contexts=lambda: events_context(site),
        title=_("Events and calendar"),
    )


def events_context(site: Site) -> dict[str, Any]:
    path = model.EVENTS
    portfolio = site.portfolio
    dated = sorted(
        ((k, e) for k, e in portfolio.events.items() if e.date is not None),
        key=lambda item: (item[1].date, item[1].start or "", item[0]),
    )
    snap = site.snapshot
    upcoming = {key for key, _e in snap.upcoming_events}
    later = [(k, e) for k, e in dated if e.date and e.date >= site.day and k not in upcoming]
    return {
        "days": site.days,
        "upcoming": event_rows(site, [k for k, _e in snap.upcoming_events], path),
        "later": event_rows(site, [k for k, _e in later], path),
        "past": event_rows(site, [k for k, _e in reversed(snap.past_events)], path),
        "undated": event_rows(site, [k for k, _e in snap.undated_events], path),
        "meetings": [
            meeting_row(site, key, path)
            for key, _m in sorted(portfolio.meetings.items(), key=lambda i: (i[1].date, i[0]))
        ],
        "calendar_href": up(path) + model.CALENDAR,
    }


def weave_page(site: Site) -> tuple[Page, Page]:
    """The weave drawn once: inline on its page, and as an SVG file of its own
    (one batch, so that one process draws it for both)."""

    @cache
    def svg() -> str:
        return charts.weave_svg(
            site.portfolio, site.snapshot, _("The portfolio's weave"), ident="weave-chart"
        )

    page = Page(
        model.WEAVE,
        "site/weave.html.j2",
        contexts=lambda: {
            "svg": _svg(svg()),
            "svg_href": model.WEAVE_SVG,
            "day": site.day.isoformat(),
        },
        title=_("The portfolio's weave"),
        batch=model.WEAVE,
    )
    document = Page(
        model.WEAVE_SVG,
        make=lambda: ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg() + "\n").encode(),
        batch=model.WEAVE,
    )
    return page, document


def ordered_initiatives(site: Site) -> list[str]:
    return [key for key, _i in sorted(site.portfolio.initiatives.items(), key=listing_order)]
