"""Stage 4: the portfolio as a whole.

Rules that need more than one file, or the vocabularies in kontrakt.yaml:
references between entities, vocabulary values, duplicate ids, ids that do not
match file names, dates out of order, "of which" parts larger than their line,
budget frames given twice. Each problem points at the exact key or value.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.models import KINDS_BY_NAME, SETTINGS_FILE, VOCABULARY_FIELDS
from kontrakt.models.budget import Decision
from kontrakt.money import format_kronor
from kontrakt.portfolio import Portfolio
from kontrakt.source import SourceFile

Loc = tuple[str | int, ...]

_VOCABULARY_NAMES = {
    "kinds": "initiative kind",
    "categories": "budget category",
    "purposes": "purpose",
    "phases": "budget phase",
    "event_kinds": "event kind",
    "meeting_kinds": "meeting kind",
    "relations": "relation type",
}


@dataclass(slots=True)
class _Linker:
    portfolio: Portfolio
    found: list[Diagnostic] = field(default_factory=list)

    def report(
        self,
        source: SourceFile,
        loc: Loc,
        rule: str,
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        at_key: bool = False,
    ) -> None:
        self.found.append(source.diagnostic(loc, severity, rule, message, at_key=at_key))

    def vocabulary(self, source: SourceFile, loc: Loc, name: str, value: str | None) -> None:
        if value is None:
            return
        labels: dict[str, str] = getattr(self.portfolio.settings.vocabularies, name)
        if value in labels:
            return
        what = _VOCABULARY_NAMES[name]
        by_label = {label.casefold(): key for key, label in labels.items()}
        if value.casefold() in by_label:
            key = by_label[value.casefold()]
            self.report(
                source,
                loc,
                "unknown-vocabulary",
                f"'{value}' is the label of the {what} '{key}'; write {key}",
            )
            return
        hint = _close(value, labels)
        known = f"known: {', '.join(labels)}" if labels else "none are defined yet"
        self.report(
            source,
            loc,
            "unknown-vocabulary",
            f"unknown {what} '{value}'{hint} ({known}; add new ones under "
            f"vocabularies.{name} in {SETTINGS_FILE})",
        )

    def organisation(self, source: SourceFile, loc: Loc, value: str) -> None:
        labels = self.portfolio.settings.organisations
        if value not in labels:
            self.report(
                source,
                loc,
                "unknown-reference",
                f"unknown organisation '{value}'{_close(value, labels)} "
                f"(organisations are listed under organisations in {SETTINGS_FILE})",
            )

    def reference(self, source: SourceFile, loc: Loc, kind: str, value: str) -> None:
        table = self.portfolio.of_kind(kind)
        if value in table:
            return
        folder = KINDS_BY_NAME[kind].folder
        self.report(
            source,
            loc,
            "unknown-reference",
            f"unknown {kind} '{value}'{_close(value, table)} (there is no {folder}/{value}.yaml)",
        )

    def references(self, source: SourceFile, loc: Loc, kind: str, values: list[str]) -> None:
        for index, value in enumerate(values):
            self.reference(source, (*loc, index), kind, value)

    def order(self, source: SourceFile, loc: Loc, first: object, then: object, text: str) -> None:
        if first is not None and then is not None and then < first:  # type: ignore[operator]
            self.report(source, loc, "date-order", text)


E = TypeVar("E")


def _each(
    portfolio: Portfolio, kind: str, table: dict[str, E]
) -> Iterator[tuple[str, E, SourceFile]]:
    """Every entity of a kind with its file, for rules that point into the file."""
    for entity_id, entity in table.items():
        yield entity_id, entity, portfolio.sources[(kind, entity_id)]


def _close(value: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def link(portfolio: Portfolio, duplicates: list[tuple[str, str, SourceFile]]) -> list[Diagnostic]:
    """Every cross-file problem in the portfolio."""
    linker = _Linker(portfolio)
    for kind, entity_id, source in duplicates:
        first = portfolio.sources[(kind, entity_id)].path.relative_to(portfolio.root)
        linker.report(
            source,
            (),
            "duplicate-id",
            f"id '{entity_id}' is already used by {first.as_posix()}; rename one of the files",
        )
    for (kind, entity_id), source in portfolio.sources.items():
        declared = getattr(portfolio.of_kind(kind)[entity_id], "id", None)
        if declared is not None and declared != entity_id:
            linker.report(
                source,
                ("id",),
                "id-mismatch",
                f"id '{declared}' does not match the file name '{entity_id}.yaml'; "
                f"write id: {entity_id}, or remove the id line (the file name is the id)",
            )
    _settings(linker)
    _frames(linker)
    _initiatives(linker)
    _budget(linker)
    _events(linker)
    _meetings(linker)
    _news(linker)
    _questions(linker)
    return linker.found


def _vocabularies(linker: _Linker, source: SourceFile, kind: str, entity: object) -> None:
    for field_name, vocabulary in VOCABULARY_FIELDS[kind].items():
        linker.vocabulary(source, (field_name,), vocabulary, getattr(entity, field_name))


def _settings(linker: _Linker) -> None:
    portfolio = linker.portfolio
    source = portfolio.settings_source
    if source is None:
        return
    seen: dict[tuple[str, int], int] = {}
    for index, frame in enumerate(portfolio.settings.frames):
        loc: Loc = ("frames", index)
        linker.vocabulary(source, (*loc, "category"), "categories", frame.category)
        key = (frame.category, frame.period)
        if key in seen:
            first_line, _ = source.locate(("frames", seen[key]))
            linker.report(
                source,
                loc,
                "duplicate-frame",
                f"a frame for {frame.category} {frame.period} is already given on line "
                f"{first_line}; keep one frame per category and period",
            )
        else:
            seen[key] = index


def _frames(linker: _Linker) -> None:
    """A frame that decided (and proposed) lines exceed: a warning, an error with --strict."""
    from kontrakt.views.budget import frame_usage

    portfolio = linker.portfolio
    source = portfolio.settings_source
    if source is None or any(
        f.category not in portfolio.settings.vocabularies.categories
        for f in portfolio.settings.frames
    ):
        return
    usage = frame_usage(portfolio)
    labels = portfolio.settings.vocabularies.categories
    for index, frame in enumerate(portfolio.settings.frames):
        decided, proposed = usage.get((frame.category, frame.period), (0, 0))
        if decided > frame.amount:
            what, used = "decided", decided
        elif decided + proposed > frame.amount:
            what, used = "decided + proposed", decided + proposed
        else:
            continue
        linker.report(
            source,
            ("frames", index, "amount"),
            "frame-exceeded",
            f"{labels[frame.category].lower()} {frame.period}: {what} {format_kronor(used)} "
            f"exceeds the frame {format_kronor(frame.amount)} by "
            f"{format_kronor(used - frame.amount)}",
            Severity.WARNING,
        )


def _initiatives(linker: _Linker) -> None:
    portfolio = linker.portfolio
    for entity_id, initiative, source in _each(portfolio, "initiative", portfolio.initiatives):
        _vocabularies(linker, source, "initiative", initiative)
        for index, organisation in enumerate(initiative.organisations):
            linker.organisation(source, ("organisations", index), organisation)
        for index, relation in enumerate(initiative.related):
            loc: Loc = ("related", index, "initiative")
            if relation.initiative == entity_id:
                linker.report(
                    source, loc, "self-reference", "an initiative cannot relate to itself"
                )
            else:
                linker.reference(source, loc, "initiative", relation.initiative)
            linker.vocabulary(source, ("related", index, "type"), "relations", relation.type)
        linker.order(
            source,
            ("end",),
            initiative.start,
            initiative.end,
            f"end {initiative.end} is before start {initiative.start}",
        )
        history = initiative.history
        for index in range(1, len(history)):
            previous, current = history[index - 1], history[index]
            if current.date <= previous.date:
                linker.report(
                    source,
                    ("history", index, "date"),
                    "date-order",
                    f"status history must be in date order: {current.date} comes after "
                    f"{previous.date}; sort the entries oldest first, one per date",
                )
        if history and initiative.status is not None and history[-1].status != initiative.status:
            linker.report(
                source,
                ("status",),
                "status-history",
                f"status is {initiative.status.value} but the latest history entry "
                f"({history[-1].date}) says {history[-1].status.value}; make them agree",
            )


def _budget(linker: _Linker) -> None:
    portfolio = linker.portfolio
    for _, line, source in _each(portfolio, "budget", portfolio.budget):
        _vocabularies(linker, source, "budget", line)
        if line.decided_on is not None and line.decision is not Decision.DECIDED:
            linker.report(
                source,
                ("decided_on",),
                "decision",
                "decided_on is given but the line is not decided; "
                "write decision: decided, or remove decided_on",
            )
        funded: set[str] = set()
        shares = 0
        with_share = 0
        for index, funding in enumerate(line.initiatives):
            loc: Loc = ("initiatives", index)
            if funding.initiative in funded:
                linker.report(
                    source,
                    loc,
                    "duplicate-item",
                    f"initiative '{funding.initiative}' is listed twice; keep one",
                )
            funded.add(funding.initiative)
            linker.reference(source, (*loc, "initiative"), "initiative", funding.initiative)
            if funding.share is not None:
                shares += funding.share
                with_share += 1
        if with_share and (with_share != len(line.initiatives) or shares != line.amount):
            linker.report(
                source,
                ("initiatives",),
                "shares",
                f"shares must be given for every initiative and add up to the line's amount "
                f"{format_kronor(line.amount)} (they add up to {format_kronor(shares)} "
                f"over {with_share} of {len(line.initiatives)} initiatives); "
                "or give no shares to split the line evenly",
                at_key=True,
            )
        total = 0
        for index, part in enumerate(line.parts):
            loc = ("parts", index)
            total += part.amount
            if (part.category is None) == (part.purpose is None):
                linker.report(
                    source,
                    loc,
                    "part",
                    "an 'of which' part needs either a category (varav 100´ pilotbudget) "
                    "or a purpose (varav 100´ konsult), not both and not neither",
                )
            linker.vocabulary(source, (*loc, "category"), "categories", part.category)
            linker.vocabulary(source, (*loc, "purpose"), "purposes", part.purpose)
        if total > line.amount:
            linker.report(
                source,
                ("parts",),
                "parts-exceed-line",
                f"the 'of which' parts add up to {format_kronor(total)}, more than the line's "
                f"amount {format_kronor(line.amount)}; lower a part or raise the amount",
                at_key=True,
            )


def _events(linker: _Linker) -> None:
    portfolio = linker.portfolio
    series: dict[str, list[tuple[str, int | None, int]]] = defaultdict(list)
    for entity_id, event, source in _each(portfolio, "event", portfolio.events):
        _vocabularies(linker, source, "event", event)
        linker.references(source, ("initiatives",), "initiative", event.initiatives)
        if event.end_date is not None and event.date is None:
            linker.report(
                source, ("end_date",), "date-order", "end_date needs a date: add date: YYYY-MM-DD"
            )
        linker.order(
            source,
            ("end_date",),
            event.date,
            event.end_date,
            f"end_date {event.end_date} is before date {event.date}",
        )
        if event.end_date in (None, event.date):
            linker.order(
                source,
                ("end",),
                event.start,
                event.end,
                f"end {event.end} is before start {event.start}",
            )
        if event.series is not None:
            number, count = event.series.number, event.series.count
            if count is not None and number > count:
                linker.report(
                    source,
                    ("series", "number"),
                    "series",
                    f"number {number} is larger than the series' count {count}",
                )
            series[event.series.name].append((entity_id, count, number))
    for name, members in series.items():
        counts = {count for _, count, _ in members if count is not None}
        numbers: dict[int, str] = {}
        for entity_id, _, number in members:
            source = portfolio.sources[("event", entity_id)]
            if len(counts) > 1:
                linker.report(
                    source,
                    ("series", "count"),
                    "series",
                    f"events of the series '{name}' disagree on its count "
                    f"({', '.join(map(str, sorted(counts)))}); give them all the same count",
                )
            if number in numbers:
                linker.report(
                    source,
                    ("series", "number"),
                    "series",
                    f"event {numbers[number]} already has number {number} in the series '{name}'",
                )
            else:
                numbers[number] = entity_id


def _meetings(linker: _Linker) -> None:
    portfolio = linker.portfolio
    taken: dict[tuple[object, str], str] = {}
    for entity_id, meeting, source in _each(portfolio, "meeting", portfolio.meetings):
        _vocabularies(linker, source, "meeting", meeting)
        linker.order(
            source,
            ("end",),
            meeting.start,
            meeting.end,
            f"end {meeting.end} is before start {meeting.start}",
        )
        for index, decision in enumerate(meeting.decisions):
            loc: Loc = ("decisions", index)
            linker.references(source, (*loc, "initiatives"), "initiative", decision.initiatives)
            linker.references(source, (*loc, "budget"), "budget", decision.budget)
        key = (meeting.date, meeting.kind)
        if key in taken:
            linker.report(
                source,
                ("date",),
                "duplicate-meeting",
                f"meeting {taken[key]} is already a {meeting.kind} meeting on {meeting.date}; "
                "keep one file per meeting",
            )
        else:
            taken[key] = entity_id


def _news(linker: _Linker) -> None:
    portfolio = linker.portfolio
    for _, news, source in _each(portfolio, "news", portfolio.news):
        linker.references(source, ("initiatives",), "initiative", news.initiatives)
        linker.references(source, ("events",), "event", news.events)


def _questions(linker: _Linker) -> None:
    portfolio = linker.portfolio
    for _, question, source in _each(portfolio, "question", portfolio.questions):
        linker.references(source, ("initiatives",), "initiative", question.initiatives)
        if (question.answer is None) != (question.answered is None):
            missing = "answered: YYYY-MM-DD" if question.answered is None else "answer: ..."
            present = "answer" if question.answered is None else "answered"
            linker.report(
                source,
                (present,),
                "answer",
                f"{present} is given without its pair; add {missing}",
            )
        linker.order(
            source,
            ("answered",),
            question.raised,
            question.answered,
            f"answered {question.answered} is before raised {question.raised}",
        )
