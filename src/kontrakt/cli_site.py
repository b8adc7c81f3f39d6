"""`kontrakt site`: the portfolio as a static web site, written into a folder.

Only reads the arguments, calls the core (render/site: build the pages in
memory, then publish them into the folder) and prints what it did; registered
on the main app by kontrakt.cli.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kontrakt.cli import (
    AsOfOption,
    DaysOption,
    JobsOption,
    PortfolioOption,
    _cannot_write,
    _day,
    _days,
    _fail,
    _jobs,
    _load_valid,
    _one_line,
    _print,
    app,
)
from kontrakt.errors import EXIT_PROBLEMS
from kontrakt.i18n import _, ngettext, numeral


@app.command()
def site(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write the site into: new, empty, or one kontrakt site "
            "wrote before (then only what changed is rewritten).",
            show_default=False,
            file_okay=False,
        ),
    ],
    portfolio: PortfolioOption = None,
    as_of: AsOfOption = None,
    days: DaysOption = "60",
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Write into a folder that holds other files, over files of the same "
            "name; nothing else in it is touched.",
        ),
    ] = False,
    documents: Annotated[
        bool,
        typer.Option(
            "--documents",
            help="Each meeting's agenda as HTML, Word and PowerPoint to download too.",
        ),
    ] = False,
    jobs: JobsOption = None,
) -> None:
    """A static, accessible web site of the portfolio: start page, a page per
    initiative, budget, events with a calendar to subscribe to, meetings, the
    weave and the open data. Relative links: it works from any folder or server.
    """
    from kontrakt.render.site.build import SiteBuild, SiteRequest
    from kontrakt.render.site.publish import publish, within
    from kontrakt.workers import workers_for

    loaded = _load_valid(portfolio)
    if within(output, loaded.root):
        _fail(
            _(
                "{folder} is inside the portfolio {root}: the site's pages would lie "
                "among its files; give a folder outside it"
            ).format(folder=_one_line(str(output)), root=_one_line(str(loaded.root))),
            EXIT_PROBLEMS,
        )
    ahead = _days(days)
    asked = _jobs(jobs)
    build = SiteBuild(SiteRequest(loaded, _day(as_of), ahead, documents))
    workers = workers_for(len(build.pages), asked)
    try:
        done = publish(build, output, replace=replace, workers=workers)
    except OSError as exc:
        _fail(_cannot_write(_one_line(str(output)), exc.strerror), EXIT_PROBLEMS)
    _print(
        ngettext(
            "site in {folder}: {written} file written, {unchanged} unchanged, {removed} removed",
            "site in {folder}: {written} files written, {unchanged} unchanged, {removed} removed",
            done.written,
        ).format(
            folder=_one_line(str(output)),
            written=numeral(done.written),
            unchanged=numeral(done.unchanged),
            removed=numeral(done.removed),
        )
    )
