"""One page per initiative: its status over time, facts, money, ties and what it
concerns, each from the lookups `Site` built once for all pages.

The most numerous pages of a site, so their fixed words are looked up once for
all of them (`words`), and the events, questions and news they show are pieces
rendered once and reused (`Site.pieces`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from kontrakt.i18n import _
from kontrakt.render.context import decision_line
from kontrakt.render.site import model
from kontrakt.render.site.model import Page, Site, up
from kontrakt.render.site.outcomes import outcome_link
from kontrakt.render.site.pages import event_rows, news_html, questions_html
from kontrakt.views.snapshot import InitiativeState


def words() -> dict[str, str]:
    """The initiative page's fixed words, in the language speaking."""
    return {
        "all": _("All initiatives"),
        "status": _("Status"),
        "no_status": _("No status"),
        "kind": _("Kind"),
        "partners": _("Partners"),
        "owner": _("Owner"),
        "contact": _("Contact"),
        "themes": _("Themes"),
        "period": _("Period"),
        "history": _("Status over time"),
        "ahead": _("ahead"),
        "no_history": _("No status and no history of changes yet."),
        "budget": _("Budget lines"),
        "amount": _("Amount"),
        "share": _("This initiative's share"),
        "category": _("Category"),
        "purpose": _("Purpose"),
        "decision": _("Decision"),
        "decided": _("decided"),
        "proposed": _("proposed"),
        "of_which": _("Of which:"),
        "shared_with": _("Shared with:"),
        "no_budget": _("No budget lines fund this initiative."),
        "relations": _("Relations"),
        "to_others": _("To other initiatives"),
        "from_others": _("From other initiatives"),
        "no_relations": _("No relations to other initiatives."),
        "milestones": _("Milestones"),
        "done": _("done"),
        "overdue": _("overdue"),
        "events": _("Events"),
        "events_caption": _("Events of this initiative"),
        "questions": _("Questions"),
        "decisions": _("Decisions"),
        "the_meeting": _("the meeting"),
        "news": _("News"),
        "outcomes": _("Outcome indicators"),
    }


def initiative_context(site: Site, state: InitiativeState, said: dict[str, str]) -> dict[str, Any]:
    key = state.id
    path = model.initiative_page(key)
    initiative = state.initiative
    described = site.describe.initiative(state, site.day)
    statuses = site.describe.statuses
    history = [
        {
            "date": change.date.isoformat(),
            "status": statuses[change.status],
            "note": change.note,
            "future": change.date > site.day,
        }
        for change in sorted(initiative.history, key=lambda change: change.date)
    ]
    relation_labels = site.settings.vocabularies.relations
    outgoing = [
        {
            **site.initiative_link(relation.initiative, path),
            "type": relation_labels.get(relation.type, relation.type) if relation.type else None,
            "note": relation.note,
        }
        for relation in initiative.related
    ]
    incoming = [
        {
            **site.initiative_link(other, path),
            "type": relation_labels.get(relation.type, relation.type) if relation.type else None,
            "note": relation.note,
        }
        for other, relation in site.describe.incoming.get(key, [])
    ]
    lines = []
    for line_id in state.budget:
        line = site.portfolio.budget[line_id]
        entry = site.describe.line(line_id, site.day)
        entry["share"] = site.describe.kr(site.shares.get((line_id, key), 0))
        entry["funds"] = [
            {
                **site.initiative_link(funding.initiative, path),
                "share": site.describe.kr(funding.share) if funding.share is not None else None,
            }
            for funding in line.initiatives
            if funding.initiative != key
        ]
        entry["period"] = line.period
        entry["note"] = line.note
        lines.append(entry)
    budget = site.portfolio.budget
    decisions = [
        {
            "day": decision.day.isoformat() if decision.day else None,
            # As the report says it (context.decision_line), on the initiative's own page.
            "text": decision_line(
                decision.text if decision.meeting else None,
                budget=[
                    f"{budget[line].title} ({site.describe.kr(budget[line].amount)})"
                    for line in decision.budget
                    if line in budget
                ],
            ),
            "href": up(path) + model.meeting_page(decision.meeting) if decision.meeting else None,
        }
        for decision in site.decisions_of.get(key, [])
    ]
    events = site.portfolio.events
    event_keys = sorted(
        site.events_of.get(key, []),
        key=lambda e: (events[e].date is None, events[e].date or site.day, e),
    )
    news = sorted(site.news_of.get(key, []), key=lambda n: (site.portfolio.news[n].date, n))
    return {
        **described,
        "words": said,
        "as_of": _("as of %(day)s") % {"day": site.day.isoformat()},
        "stated": _("The file states the status %(status)s, without a history of changes.")
        % {"status": statuses[initiative.status]}
        if initiative.status
        else None,
        "history": history,
        "outgoing": outgoing,
        "incoming": incoming,
        "lines": lines,
        "events": event_rows(site, event_keys, path),
        "questions": questions_html(site, site.questions_of.get(key, []), path),
        "decisions": decisions,
        "news": news_html(site, news, path),
        "outcomes": [outcome_link(site, i, path) for i in initiative.indicators],
        "back": up(path) + model.INITIATIVES,
    }


def initiative_pages(site: Site) -> list[Page]:
    said = cache(words)

    def page(state: InitiativeState) -> Page:
        return Page(
            model.initiative_page(state.id),
            "site/initiative.html.j2",
            contexts=lambda: initiative_context(site, state, said()),
            title=state.initiative.title,
        )

    return [page(state) for state in site.snapshot.initiatives]
