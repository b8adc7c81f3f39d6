"""`kontrakt meetings`: the meetings, oldest first, with the file that holds each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kontrakt.i18n import _
from kontrakt.portfolio import Portfolio
from kontrakt.render.diagnostics import display_path
from kontrakt.render.output import Output
from kontrakt.render.safe import fold, one_line, to_json


@dataclass(frozen=True, slots=True)
class MeetingsRequest:
    portfolio: Portfolio
    cwd: Path  # paths are shown relative to it, as in check's messages


def rows(request: MeetingsRequest) -> list[dict[str, Any]]:
    """id, date, kind, title and the file's path of each meeting, oldest first."""
    portfolio = request.portfolio
    kinds = portfolio.settings.vocabularies.meeting_kinds
    ordered = sorted(portfolio.meetings.items(), key=lambda item: (item[1].date, item[0]))
    return [
        {
            "id": key,
            "date": meeting.date.isoformat(),
            "kind": meeting.kind,
            "title": meeting.heading(kinds),
            "path": display_path(portfolio.sources[("meeting", key)].path, request.cwd),
        }
        for key, meeting in ordered
    ]


def text_output(request: MeetingsRequest) -> Output:
    listed = rows(request)
    if not listed:
        return Output(text=_("no meetings yet: add one to meetings/ (see docs/format.md)") + "\n")
    return Output(
        text="".join(
            f"{row['date']}  {fold(row['title'])}  {one_line(row['path'])}\n" for row in listed
        )
    )


def json_output(request: MeetingsRequest) -> Output:
    return Output(text=to_json(rows(request)) + "\n")
