"""`kontrakt diff`: what a change does to the portfolio, as Markdown for a pull request."""

from __future__ import annotations

from typing import Any

from kontrakt.i18n import _, speaking
from kontrakt.labels import NO_VALUE
from kontrakt.portfolio import Portfolio
from kontrakt.render import numbers
from kontrakt.render.markdown import Markdown
from kontrakt.render.output import Output
from kontrakt.render.templates import render
from kontrakt.views.diff import LineState, PortfolioDiff, Totals


def render_diff(
    portfolio: Portfolio | None,
    diff: PortfolioDiff | None,
    *,
    base: str,
    head: str,
    errors: dict[str, list[str]],
    language: str,
    locale: str,
) -> str:
    """The diff of two sides, in `language`; a side with errors shows its errors instead."""
    with speaking(language):
        return render("diff.md.j2", _context(portfolio, diff, base, head, errors, locale))


def _context(
    portfolio: Portfolio | None,
    diff: PortfolioDiff | None,
    base: str,
    head: str,
    errors: dict[str, list[str]],
    locale: str,
) -> dict[str, Any]:

    def kr(value: int | None) -> Markdown | None:
        return None if value is None else Markdown(numbers.kronor(value, locale))

    def line(state: LineState | None) -> dict[str, Any] | None:
        if state is None:
            return None
        return {
            "amount": kr(state.amount),
            "category": state.category,
            "decided": state.decided,
        }

    def totals(side: Totals) -> dict[str, Any]:
        return {
            "decided": kr(side.decided),
            "proposed": kr(side.proposed),
            "remaining": kr(side.remaining),
            "remaining_if_approved": kr(side.remaining_if_approved),
        }

    context: dict[str, Any] = {
        "base": base,
        "head": head,
        "errors": errors,
        "name": portfolio.settings.name if portfolio else "",
        "diff": None,
    }
    if diff is not None:
        context["diff"] = {
            "empty": diff.empty,
            "initiatives_added": diff.initiatives_added,
            "initiatives_removed": diff.initiatives_removed,
            "initiatives_renamed": diff.initiatives_renamed,
            "status_changes": diff.status_changes,
            "budget": [
                {
                    "kind": kind,
                    "id": c.id,
                    "title": c.title,
                    "before": line(c.before),
                    "after": line(c.after),
                }
                for kind, changes in (
                    ("added", diff.budget_added),
                    ("changed", diff.budget_changed),
                    ("removed", diff.budget_removed),
                )
                for c in changes
            ],
            "categories": [
                {
                    "label": c.label or _(NO_VALUE["category"]),
                    "frame": kr(c.frame),
                    "before": totals(c.before),
                    "after": totals(c.after),
                    "delta": Markdown(numbers.kronor(c.delta, locale, signed=True)),
                }
                for c in diff.categories
            ],
            "events_added": diff.events_added,
            "events_removed": diff.events_removed,
            "events_moved": diff.events_moved,
            "news_added": diff.news_added,
            "news_removed": diff.news_removed,
            "meetings_added": diff.meetings_added,
            "meetings_removed": diff.meetings_removed,
            "questions_opened": diff.questions_opened,
            "questions_answered": diff.questions_answered,
            "decisions": diff.decisions,
        }
    return context


# --- the formats of `kontrakt diff` (render/formats.py names them) ------------------


def markdown_output(text: str) -> Output:
    """The diff as Markdown, for a pull request comment."""
    return Output(text=text)


def rich_output(text: str) -> Output:
    """The same Markdown, laid out by rich for a terminal."""
    from rich.markdown import Markdown as RichMarkdown

    return Output(renderable=RichMarkdown(text))
