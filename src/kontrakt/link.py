"""Stage 4: the portfolio as a whole.

Rules that need more than one file, or the vocabularies in kontrakt.yaml:
references between entities, vocabulary values, duplicate ids, ids that do not
match file names, dates out of order, "of which" parts larger than their line,
budget frames given twice. Each problem points at the exact key or value.

References are checked in files that failed validation too, outside the places
their errors are, so one run shows every problem; and a reference to a file
that exists but has errors is not called unknown.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kontrakt.allocation import frame_usage
from kontrakt.diagnostics import Diagnostic, Severity
from kontrakt.ids import is_valid_id
from kontrakt.models import KINDS_BY_NAME, REFERENCES, SETTINGS_FILE, Loc
from kontrakt.models.budget import Decision
from kontrakt.money import format_kronor
from kontrakt.portfolio import Portfolio
from kontrakt.source import SourceFile
from kontrakt.validate import InvalidFile

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
    invalid: set[tuple[str, str]]  # (kind, id) of files that exist but failed validation
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

    def names(self, source: SourceFile, kind: str, broken: Set[Loc] = frozenset()) -> None:
        """Every name in a file of an entity, organisation or vocabulary value that
        does not exist, outside the places where the file has errors of its own."""
        for name in unknown_names(self.portfolio, kind, source.data, broken, self.invalid):
            self.report(source, name.loc, name.rule, name.message)

    def order(self, source: SourceFile, loc: Loc, first: object, then: object, text: str) -> None:
        if first is not None and then is not None and then < first:  # type: ignore[operator]
            self.report(source, loc, "date-order", text)


# The references link checks; statuses are an enum, which the model checks.
_CHECKED = {
    kind: tuple(ref for ref in refs if ref.target != "statuses")
    for kind, refs in REFERENCES.items()
}


@dataclass(frozen=True, slots=True)
class UnknownName:
    """A name in a file that names nothing, and the diagnostic it makes."""

    loc: Loc
    rule: str
    message: str


def unknown_names(
    portfolio: Portfolio,
    kind: str,
    data: object,
    broken: Set[Loc] = frozenset(),
    invalid: Set[tuple[str, str]] = frozenset(),
) -> list[UnknownName]:
    """The names in a file's `data` that name nothing: an entity with no file (one
    in `invalid` has a file, with errors of its own), an organisation or a
    vocabulary value kontrakt.yaml does not list. Values inside `broken` are the
    model's to report."""
    unknown: list[UnknownName] = []
    if not isinstance(data, dict):
        return unknown
    for ref in _CHECKED[kind]:
        if ref.path[0] not in data:
            continue  # most files leave out most keys
        target = ref.target
        known = _known(portfolio, target)
        for loc, value in ref.found_in(data):
            if not isinstance(value, str) or value in known or not is_valid_id(value):
                continue  # known, or not an id at all: the model reports that
            if (target, value) in invalid or _inside(loc, broken):
                continue
            if target in KINDS_BY_NAME:
                folder = KINDS_BY_NAME[target].folder
                rule = "unknown-reference"
                files = [*known, *(name for of, name in invalid if of == target)]
                message = (
                    f"unknown {target} '{value}'{_close(value, files)} "
                    f"(there is no {folder}/{value}.yaml)"
                )
            elif target == "organisations":
                rule = "unknown-reference"
                message = (
                    f"unknown organisation '{value}'{_close(value, known)} "
                    f"(organisations are listed under organisations in {SETTINGS_FILE})"
                )
            else:
                rule = "unknown-vocabulary"
                message = _unknown_value(portfolio, target, value)
            unknown.append(UnknownName(loc, rule, message))
    return unknown


def _inside(loc: Loc, broken: Set[Loc]) -> bool:
    """Whether `loc` is at or below a place with an error (a set: never a scan of them)."""
    return bool(broken) and any(loc[:depth] in broken for depth in range(len(loc) + 1))


def _known(portfolio: Portfolio, target: str) -> dict[str, Any]:
    """The names a reference to `target` may give, as keys."""
    if target in KINDS_BY_NAME:
        return portfolio.of_kind(target)
    if target == "organisations":
        return portfolio.settings.organisations
    known: dict[str, str] = getattr(portfolio.settings.vocabularies, target)
    return known


def _unknown_value(portfolio: Portfolio, vocabulary: str, value: str) -> str:
    labels: dict[str, str] = getattr(portfolio.settings.vocabularies, vocabulary)
    what = _VOCABULARY_NAMES[vocabulary]
    by_label = {label.casefold(): key for key, label in labels.items()}
    if value.casefold() in by_label:
        key = by_label[value.casefold()]
        return f"'{value}' is the label of the {what} '{key}'; write {key}"
    known = f"known: {', '.join(labels)}" if labels else "none are defined yet"
    return (
        f"unknown {what} '{value}'{_close(value, labels)} ({known}; add new ones under "
        f"vocabularies.{vocabulary} in {SETTINGS_FILE})"
    )


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


def link(
    portfolio: Portfolio,
    duplicates: list[tuple[str, str, SourceFile]],
    invalid: Sequence[InvalidFile] = (),
) -> list[Diagnostic]:
    """Every cross-file problem in the portfolio, and the references in its invalid files."""
    linker = _Linker(portfolio, {(file.kind, file.id) for file in invalid})
    for kind, entity_id, source in duplicates:
        first = portfolio.sources[(kind, entity_id)].path.relative_to(portfolio.root)
        linker.report(
            source,
            (),
            "duplicate-id",
            f"id '{entity_id}' is already used by {first.as_posix()}; rename one of the files",
        )
    for (kind, entity_id), source in portfolio.sources.items():
        linker.names(source, kind)
        declared = getattr(portfolio.of_kind(kind)[entity_id], "id", None)
        if declared is not None and declared != entity_id:
            linker.report(
                source,
                ("id",),
                "id-mismatch",
                f"id '{declared}' does not match the file name '{entity_id}.yaml'; "
                f"write id: {entity_id}, or remove the id line (the file name is the id)",
            )
    for file in invalid:
        linker.names(file.source, file.kind, file.broken)
    _settings(linker)
    _frames(linker)
    _initiatives(linker)
    _budget(linker)
    _events(linker)
    _meetings(linker)
    _questions(linker)
    return linker.found


def _settings(linker: _Linker) -> None:
    portfolio = linker.portfolio
    source = portfolio.settings_source
    if source is None:
        return
    linker.names(source, "settings")
    seen: dict[tuple[str, int], int] = {}
    for index, frame in enumerate(portfolio.settings.frames):
        loc: Loc = ("frames", index)
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
        for index, relation in enumerate(initiative.related):
            if relation.initiative == entity_id:
                linker.report(
                    source,
                    ("related", index, "initiative"),
                    "self-reference",
                    "an initiative cannot relate to itself",
                )
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
        linker.order(
            source,
            ("end",),
            meeting.start,
            meeting.end,
            f"end {meeting.end} is before start {meeting.start}",
        )
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


def _questions(linker: _Linker) -> None:
    portfolio = linker.portfolio
    for _, question, source in _each(portfolio, "question", portfolio.questions):
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
