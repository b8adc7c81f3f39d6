"""The meetings' archive: every meeting's agenda as a page, and its documents.

A meeting's page holds what its agenda brings of its own: the news since the
previous meeting of its kind, the events ahead from its day, the questions open
on its day and those answered since, its decisions, communication and notes.
An issued agenda (`kontrakt agenda DATE --issue`, kept beside the meeting file)
is the meeting's record and is shown as it was issued, word for word. With
`documents`, the full agenda is there to download as HTML, Word and PowerPoint,
as `kontrakt agenda DATE --format …` makes them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from kontrakt import issued
from kontrakt.i18n import _
from kontrakt.models import Meeting, Question
from kontrakt.render.site import model
from kontrakt.render.site.model import Page, Site, up
from kontrakt.render.site.pages import (
    event_lines,
    meeting_row,
    news_html,
    question_item,
    questions_html,
)
from kontrakt.render.site.paths import site_path
from kontrakt.views.dates import shift
from kontrakt.views.snapshot import is_open

DOCUMENTS = (("html", "HTML"), ("docx", "Word"), ("pptx", "PowerPoint"))


def document_path(key: str, suffix: str) -> str:
    return site_path("meetings", f"{key}.agenda.{suffix}")


def meetings_pages(site: Site, *, documents: bool) -> list[Page]:
    """The archive (newest first), a page per meeting, and its documents if asked."""
    portfolio = site.named
    ordered = sorted(portfolio.meetings.items(), key=lambda item: (item[1].date, item[0]))
    events = _dated(
        sorted(
            ((k, e) for k, e in site.portfolio.events.items() if e.date is not None),
            key=lambda item: (item[1].date, item[1].start or "", item[0]),
        )
    )
    records = {key: issued.record(portfolio, key).text for key, _m in ordered}
    questions = sorted(portfolio.questions.items(), key=lambda item: (item[1].raised, item[0]))
    pages: list[Page] = []
    archive = []
    for index, (key, meeting) in enumerate(ordered):
        previous = next(
            (m.date for _k, m in reversed(ordered[:index]) if m.kind == meeting.kind), None
        )
        path = model.meeting_page(key)
        row = meeting_row(site, key, model.MEETINGS)
        row["issued"] = records[key] is not None
        row["documents"] = (
            [
                {"label": label, "href": up(model.MEETINGS) + document_path(key, suffix)}
                for suffix, label in DOCUMENTS
            ]
            if documents
            else []
        )
        archive.append(row)
        pages.append(
            Page(
                path,
                "site/meeting.html.j2",
                contexts=partial(
                    meeting_context,
                    site,
                    key,
                    meeting,
                    previous,
                    events,
                    questions,
                    records[key],
                    documents=documents,
                ),
                title=f"{row['title']} {row['date']}",
            )
        )
        if documents:
            pages.extend(document_pages(site, key, meeting))
    archive.reverse()
    pages.insert(
        0, Page(model.MEETINGS, "site/meetings.html.j2", {"meetings": archive}, title=_("Meetings"))
    )
    return pages


def meeting_context(
    site: Site,
    key: str,
    meeting: Meeting,
    previous: date | None,
    events: _Dated,
    questions: list[tuple[str, Question]],
    record: str | None,
    *,
    documents: bool,
) -> dict[str, Any]:
    path = model.meeting_page(key)
    day = meeting.date
    portfolio = site.named
    horizon = shift(day, site.days)

    def since_previous(when: date) -> bool:
        return (previous is None or when > previous) and when <= day

    news = sorted(
        (k for k, n in portfolio.news.items() if since_previous(n.date)),
        key=lambda k: (portfolio.news[k].date, k),
    )
    row = meeting_row(site, key, path)
    return {
        **row,
        "day": day.isoformat(),
        "days": site.days,
        "previous": previous.isoformat() if previous else None,
        "record": record,
        "news": news_html(site, [k for k in news if k in site.portfolio.news], path),
        "events": event_lines(site, _ahead(events, day, horizon), path),
        "open_questions": questions_html(
            site,
            [k for k, q in questions if is_open(q, day) and k in site.portfolio.questions],
            path,
            lines=True,
        ),
        "answered": [
            question_item(site, k, path)
            for k, q in questions
            if q.answered is not None
            and since_previous(q.answered)
            and k in site.portfolio.questions
        ],
        "decisions": [
            {
                "text": decision.text,
                "initiatives": [site.initiative_link(i, path) for i in decision.initiatives],
                "budget": [
                    portfolio.budget[b].title for b in decision.budget if b in portfolio.budget
                ],
            }
            for decision in meeting.decisions
        ],
        "communication": meeting.communication,
        "notes": meeting.notes,
        "documents": [
            {"label": label, "href": up(path) + document_path(key, suffix)}
            for suffix, label in DOCUMENTS
        ]
        if documents
        else [],
        "archive_href": up(path) + model.MEETINGS,
        "initiatives_href": up(path) + model.INITIATIVES,
        "budget_href": up(path) + model.BUDGET,
    }


@dataclass(frozen=True, slots=True)
class _Dated:
    """The dated events in date order, their dates, and those lasting several days."""

    events: list[tuple[str, Any]]
    dates: list[date]
    spanning: list[tuple[str, Any]]


def _dated(events: list[tuple[str, Any]]) -> _Dated:
    spanning = [(k, e) for k, e in events if e.end_date is not None and e.end_date > e.date]
    return _Dated(events, [event.date for _key, event in events], spanning)


def _ahead(dated: _Dated, day: date, horizon: date) -> list[str]:
    """The events of a meeting's agenda: still running on `day`, or beginning from
    `day` up to `horizon`, in date order. Found by bisection: a meeting's page costs
    what it shows, however many events there are."""
    first, last = bisect_left(dated.dates, day), bisect_right(dated.dates, horizon)
    running = {key for key, event in dated.spanning if event.date < day <= event.end_date}
    earlier = [key for key, _event in dated.events[:first] if key in running] if running else []
    return earlier + [key for key, _event in dated.events[first:last]]


def document_pages(site: Site, key: str, meeting: Meeting) -> list[Page]:
    """The agenda's documents, as `kontrakt agenda DATE --format …` makes them; made
    only when the site is built, one at a time (they take longest)."""

    def maker(suffix: str) -> Callable[[], bytes]:
        def make() -> bytes:
            from kontrakt.render import formats
            from kontrakt.render.agenda import AgendaRequest
            from kontrakt.views.agenda import agenda

            plan = agenda(site.named, meeting.date, kind=meeting.kind, days=site.days)
            output = formats.renderer("agenda", suffix)(AgendaRequest(site.named, plan))
            if output.data is not None:
                return output.data
            return output.text.encode("utf-8")

        return make

    return [Page(document_path(key, suffix), make=maker(suffix)) for suffix, _l in DOCUMENTS]
