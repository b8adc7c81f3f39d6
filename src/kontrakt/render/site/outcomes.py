"""The site's outcome pages: an index of the indicators and a page for each.

Only a portfolio with indicators has them (and the navigation's entry), so a
site without indicators is the same as before they existed. Each page says what
the report's outcomes section says, with the chart drawn once by
render/outcomes.py and every measurement in a table, its source beside it.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kontrakt.i18n import _
from kontrakt.render.outcomes import Outcome, outcome_context, outcome_svg, outcomes
from kontrakt.render.site import model
from kontrakt.render.site.model import Page, Site, up


def outcome_link(site: Site, key: str, source: str) -> dict[str, Any]:
    """A link to an indicator's page from page `source`, or its id alone."""
    indicator = site.portfolio.indicators.get(key)
    if indicator is None:
        return {"title": key, "href": None}
    return {"title": indicator.title, "href": up(source) + model.outcome_page(key)}


def outcome_pages(site: Site) -> list[Page]:
    """The index and one page per indicator; none without indicators."""
    if not site.portfolio.indicators:
        return []
    found = outcomes(site.portfolio)

    def index() -> dict[str, Any]:
        items = []
        for outcome in found:
            item = outcome_context(outcome, site.locale)
            item["href"] = up(model.OUTCOMES) + model.outcome_page(outcome.key)
            items.append(item)
        return {"items": items, "day": site.day.isoformat()}

    def page(outcome: Outcome) -> Page:
        path = model.outcome_page(outcome.key)

        def context() -> dict[str, Any]:
            item = outcome_context(outcome, site.locale)
            title = _("%(title)s over time") % {"title": outcome.indicator.title}
            svg = outcome_svg(outcome.indicator, site.locale, title, ident="outcome-chart")
            return {
                "item": item,
                "chart": Markup(svg),  # drawn by kontrakt, every text in it escaped
                "chart_label": title,
                "initiatives": [site.initiative_link(i, path) for i, _t in outcome.initiatives],
                "day": site.day.isoformat(),
                "back": up(path) + model.OUTCOMES,
            }

        return Page(path, "site/outcome.html.j2", contexts=context, title=outcome.indicator.title)

    return [
        Page(model.OUTCOMES, "site/outcomes.html.j2", contexts=index, title=_("Outcomes")),
        *(page(outcome) for outcome in found),
    ]
