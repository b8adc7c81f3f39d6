"""The agenda and the report as one self-contained HTML page each.

Built from the same contexts as the Markdown (agenda_context, report_context),
with templates/agenda.html.j2 and templates/report.html.j2, in the same guarded
sandbox as every template, but escaping for HTML: autoescape is on, so every
value from the portfolio is text, never markup; what kontrakt draws itself (the
charts, as inline SVG from render/charts.py) is marked safe. Control characters
in a value are shown escaped (`\\x1b`), as everywhere kontrakt prints.

The page needs nothing outside itself: styles inline, no script, no font, image
or link to fetch. A `--template` is a Markdown template, and is not used here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup
from markupsafe import escape as markup_escape

from kontrakt.i18n import _, speaking
from kontrakt.render import charts
from kontrakt.render.budget import document_table, labeller
from kontrakt.render.outcomes import outcome_charts
from kontrakt.render.output import Output
from kontrakt.render.safe import escape_controls
from kontrakt.views.asof import known_on
from kontrakt.views.budget import BudgetView, Filters, budget_view

if TYPE_CHECKING:
    from kontrakt.portfolio import Portfolio
    from kontrakt.render.agenda import AgendaRequest
    from kontrakt.render.report import ReportRequest


def agenda_output(request: AgendaRequest) -> Output:
    """`kontrakt agenda DATE --format html`."""
    return Output(text=render_agenda_html(request))


def report_output(request: ReportRequest) -> Output:
    """`kontrakt report --format html`."""
    return Output(text=render_report_html(request))


def render_agenda_html(request: AgendaRequest) -> str:
    from kontrakt.render.agenda import agenda_context

    portfolio, plan = request.portfolio, request.plan
    with speaking(portfolio.settings.language):
        context = agenda_context(portfolio, plan)
        context.update(_page_context(portfolio, budget_view_on(portfolio, plan.day), lines=False))
        context["charts"]["status"] = _safe(
            charts.status_svg(
                charts.status_counts(plan.snapshot),
                _("Initiatives by status"),
                ident="status-chart",
            )
        )
        return render_page("agenda.html.j2", context)


def render_report_html(request: ReportRequest) -> str:
    from kontrakt.render.report import report_context
    from kontrakt.views.snapshot import snapshot

    portfolio = request.portfolio
    with speaking(portfolio.settings.language):
        snap = snapshot(portfolio, request.day, request.days)
        view = budget_view_on(portfolio, snap.day)
        context = report_context(portfolio, snap, diagram=request.diagram, view=view)
        context.update(_page_context(portfolio, view, lines=True))
        context["charts"]["status"] = _safe(
            charts.status_svg(
                charts.status_counts(snap), _("Initiatives by status"), ident="status-chart"
            )
        )
        known = known_on(portfolio, snap.day)
        context["charts"]["weave"] = (
            _safe(
                charts.weave_svg(
                    known,
                    snap,
                    _("The portfolio's weave"),
                    ident="weave-chart",
                )
            )
            if context["mermaid"] is not None
            else None
        )
        context["charts"]["outcomes"] = {
            key: _safe(svg) for key, svg in outcome_charts(known).items()
        }
        return render_page("report.html.j2", context)


def budget_view_on(portfolio: Portfolio, day: date) -> BudgetView:
    """The budget by category as it stood on `day`: the view the page's table and
    chart show (as the Markdown's)."""
    known = known_on(portfolio, day)
    return budget_view(known, ["category"], Filters(as_of=day), labeller(known))


def _page_context(portfolio: Portfolio, view: BudgetView, *, lines: bool) -> dict[str, Any]:
    """What the HTML pages add to the Markdown's context: the page's language, the
    budget `view` as an HTML table (with its lines, or the categories only) and the
    budget chart."""
    settings = portfolio.settings
    locale = settings.resolved_locale()
    return {
        "lang": settings.language,
        "budget_table": document_table(view, locale, lines=lines),
        "charts": {
            "budget": _safe(
                charts.budget_svg(
                    charts.budget_bars(view),
                    locale,
                    _("Budget against the frames"),
                    ident="budget-chart",
                )
            ),
        },
    }


def _safe(svg: str) -> Markup:
    """A chart kontrakt drew (every text in it escaped by charts.py): markup as it is."""
    return Markup(svg)


def _filled(text: str, values: dict[str, object]) -> Markup:
    """kontrakt's translated words as markup, the values filled in as text: measured
    as every value in the sandbox is, HTML escaped, control characters shown escaped."""
    from kontrakt.render.sandbox import check_filled
    from kontrakt.render.translate import checked

    def escape(value: object) -> str:
        if isinstance(value, Markup):
            return str(value)
        shown = escape_controls(value) if isinstance(value, str) else value
        return str(markup_escape(shown))

    escaped = checked(values, escape)
    check_filled(text, escaped)
    return Markup(text % escaped)


def _nowrap(value: object) -> Markup:
    """A date, time or amount kept on one line (`2024-02-27` is not broken at a hyphen)."""
    return Markup('<span class="when">{}</span>').format(escape_controls(str(value)))


def _markup_text(text: str) -> str:
    return str(markup_escape(text))


try:  # markupsafe's own escaping of a str, without the Markup object around it
    from markupsafe._speedups import _escape_inner as _html_text
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    _html_text = _markup_text


def render_page(name: str, context: dict[str, Any]) -> str:
    """Render a bundled HTML template in the guarded sandbox, escaping for HTML."""
    return PageRenderer().render(name, context)


class PageRenderer:
    """The guarded, autoescaping sandbox for bundled HTML templates, built once and
    kept: a site renders thousands of pages with the same compiled templates. Each
    page still renders on its own budget of time and memory (a fresh deadline)."""

    def __init__(self) -> None:
        from kontrakt.render import translate
        from kontrakt.render.loader import ConfinedLoader
        from kontrakt.render.sandbox import Guard, check_printable
        from kontrakt.render.templates import sandboxed, templates_dir

        def finalize(value: object) -> object:
            if isinstance(value, Markup):
                return value
            if isinstance(value, str):
                return escape_controls(value)  # escaped for HTML after this, by autoescape
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            check_printable(value)
            return escape_controls(str(value))

        def shown(value: object) -> str:
            """What `{{ value }}` writes: `finalize`, then escaped for HTML, in one call
            and as plain text, without a Markup object made for each of a site's
            hundreds of thousands of values (most of them text from the files)."""
            if type(value) is str:
                return _html_text(value if value.isprintable() else escape_controls(value))
            return str(markup_escape(finalize(value)))

        self.loader = ConfinedLoader(templates_dir(), None)
        self.guard = Guard()
        self.environment = sandboxed(
            self.loader,
            self.guard,
            {"nowrap": _nowrap},
            autoescape=True,
            finalize=finalize,
            kind="html",
            shown=shown,
        )
        translate.install(self.environment, _filled)

    def render(self, name: str, context: dict[str, Any]) -> str:
        from kontrakt.render.sandbox import RenderStopped, generate
        from kontrakt.render.templates import TemplateProblem, _describe

        try:
            with self.guard.running():
                template = self.environment.get_template(name)
                # A control character a filter let through (`join` escapes for HTML, not
                # for terminals) is shown escaped too: the templates hold none of their own.
                return escape_controls(generate(template, context, self.guard))
        except (Exception, RenderStopped) as exc:
            raise TemplateProblem(_describe(exc, name, self.loader.names)) from None
