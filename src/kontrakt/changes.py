"""The monthly changes as changes to a file's data: one function per command.

Each returns a `Change` for kontrakt.edit, which finds the file, rewrites it
keeping its layout, checks the whole portfolio and writes. A change refuses
(KontraktError) what it cannot do sensibly, saying what to do instead; it
returns the data unchanged when the file already says what was asked.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn, cast

from pydantic import BaseModel

from kontrakt.currency import decimal_sign, money_form
from kontrakt.errors import KontraktError
from kontrakt.i18n import _, numbers_locale, numeral
from kontrakt.models import Action, BudgetLine, Indicator, Initiative, Question, Settings
from kontrakt.models.budget import Decision
from kontrakt.models.indicator import ValueRefused, exact
from kontrakt.money import MoneyError, parse_money

Data = dict[str, Any]
# Changes a file's data (a copy, free to change) given its valid entity; raises
# KontraktError to refuse, with a message that says what to do instead.
Change = Callable[[Data, BaseModel], Data]


def resolve(value: str, choices: Mapping[str, str], what: str) -> str:
    """A value written as itself or as its label (any case), else a KontraktError
    naming the closest and every choice. `choices`: value -> label."""
    if value in choices:
        return value
    folded = value.casefold()
    for key, label in choices.items():
        if folded in (key.casefold(), label.casefold()):
            return key
    names = [*choices, *choices.values()]
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    listing = ", ".join(choices)
    if close:
        chosen = next(k for k, label in choices.items() if close[0] in (k, label))
        return _fail(
            _("unknown {what} '{value}'; did you mean '{close}'? (one of {choices})").format(
                what=what, value=value, close=chosen, choices=listing
            )
        )
    return _fail(
        _("unknown {what} '{value}'; write one of {choices}").format(
            what=what, value=value, choices=listing
        )
    )


def _fail(message: str) -> NoReturn:
    raise KontraktError(message)


def status_value(settings: Settings, text: str) -> str:
    """A status written as its value, or as a label: the portfolio's own, or a
    default one in any language kontrakt speaks (as a file may write it)."""
    from kontrakt.load import labels_of

    labels = {key.value: label for key, label in settings.status_labels().items()}
    if text in labels:
        return text
    known = labels_of(settings)["statuses"].get(text.casefold())
    return known if known is not None else resolve(text, labels, _("status"))


def set_status(
    settings: Settings,
    entity_id: str,
    status: str,
    on: date,
    note: str | None,
    entered: date | None = None,
) -> Change:
    """`status` set, and the change dated in `history` (one entry per date).

    The first history entry also says since when an initiative is in the
    portfolio (kontrakt.views.asof), so an initiative without a history must say
    that otherwise, or a view of an earlier day would lose it: its
    `proposed_on`, or `entered` (written as its `proposed_on`). The status it had
    before, if any, is then dated from that day.
    """
    value = status_value(settings, status)

    def change(data: Data, entity: BaseModel) -> Data:
        initiative = cast(Initiative, entity)
        history = initiative.history
        last = history[-1] if history else None
        if last is not None and on < last.date:
            raise KontraktError(
                _(
                    "the history of {id} goes up to {last}; a change on {on} comes before "
                    "it: give --on {last} or later, or edit the history by hand"
                ).format(id=entity_id, last=last.date, on=on)
            )
        if last is not None and last.status.value == value and (note in (None, last.note)):
            if "status" in data:
                data["status"] = value  # agreeing with its history again, if it did not
            return data
        entries = list(data.get("history") or [])
        if last is None:
            entries = _first_entries(data, initiative, entity_id, value, on, entered)
        entry: Data = {"date": on, "status": value}
        if note:
            entry["note"] = note
        if entries and str(entries[-1].get("date")) == on.isoformat():  # one entry per day
            entries[-1] = entry
        else:
            entries.append(entry)
        data["status"] = value
        data["history"] = entries
        return data

    return change


def _first_entries(
    data: Data, initiative: Initiative, entity_id: str, value: str, on: date, entered: date | None
) -> list[Data]:
    """What a history starts with before its first change: the status the
    initiative had since it entered the portfolio, if it had one; `proposed_on`
    written from `entered` when the file has none."""
    since = initiative.proposed_on or entered
    if since is None:
        raise KontraktError(
            _(
                "{id} has no history and no proposed_on, so kontrakt cannot tell since when "
                "it is in the portfolio, and a view of an earlier day would lose it; give "
                "that day: kontrakt set-status {id} {status} --on {on} --entered DAY"
            ).format(id=entity_id, status=value, on=on)
        )
    if since > on:
        raise KontraktError(
            _(
                "{id} entered the portfolio on {since}, after {on}; give --on {since} or later"
            ).format(id=entity_id, since=since, on=on)
        )
    if initiative.proposed_on is None:
        data["proposed_on"] = since
    current = initiative.status
    if current is not None and current.value != value:
        return [{"date": since, "status": current.value}]
    return []


def alert_value(settings: Settings, text: str) -> str:
    """An alert level written as its value (yellow) or its label (Gul), any case."""
    labels = {key.value: label for key, label in settings.alert_labels().items()}
    return resolve(text, labels, _("alert"))


def note(
    settings: Settings,
    entity_id: str,
    text: str,
    on: date,
    *,
    alert: str | None = None,
    progress: int | None = None,
    learned: str | None = None,
) -> Change:
    """A journal entry appended to the initiative's `journal`, dated `on`; an entry
    dated before the journal's latest is refused (the journal reads oldest first)."""
    value = alert_value(settings, alert) if alert is not None else None

    def change(data: Data, entity: BaseModel) -> Data:
        initiative = cast(Initiative, entity)
        latest = max((entry.date for entry in initiative.journal), default=None)
        if latest is not None and on < latest:
            raise KontraktError(
                _(
                    "the journal of {id} goes up to {last}; an entry on {on} comes before "
                    "it: give --on {last} or later, or edit the journal by hand"
                ).format(id=entity_id, last=latest, on=on)
            )
        entry: Data = {"date": on, "text": text}
        if learned:
            entry["learned"] = learned
        if value is not None:
            entry["alert"] = value
        if progress is not None:
            entry["progress"] = progress
        data["journal"] = [*(data.get("journal") or []), entry]
        return data

    return change


def decide(entity_id: str, on: date) -> Change:
    """`decision: decided` with `decided_on`; a line decided on another day is refused."""

    def change(data: Data, entity: BaseModel) -> Data:
        line = cast(BudgetLine, entity)
        if line.decision is Decision.DECIDED:
            if line.decided_on in (None, on):
                # Decided on a day the file does not say: dating it now would
                # make it undecided in every view of the days before.
                return data
            raise KontraktError(
                _("{id} was decided on {day} already; change it by hand if that is wrong").format(
                    id=entity_id, day=line.decided_on
                )
            )
        data["decision"] = Decision.DECIDED.value
        data["decided_on"] = on
        return data

    return change


def spend(
    entity_id: str, amount: str, on: date, *, note: str | None, voucher: str | None
) -> Change:
    """A spending entry appended to the line's `spent`, dated `on`; an entry dated
    before the latest is refused (spending reads oldest first). One that takes the
    line above its amount is refused by the check edit.plan runs, at its line. A
    negative amount is no entry: what was spent is corrected where it was written."""
    _refuse_negative_spending(entity_id, amount)
    try:
        kronor = parse_money(amount)
    except MoneyError as exc:
        raise KontraktError(str(exc)) from None
    if kronor == 0:
        raise KontraktError(_("nothing is spent: give an amount above 0 kr"))

    def change(data: Data, entity: BaseModel) -> Data:
        line = cast(BudgetLine, entity)
        latest = max((entry.date for entry in line.spent), default=None)
        if latest is not None and on < latest:
            raise KontraktError(
                _(
                    "the spending of {id} goes up to {last}; an entry on {on} comes before "
                    "it: give --on {last} or later, or edit the list by hand"
                ).format(id=entity_id, last=latest, on=on)
            )
        entry: Data = {"date": on, "amount": kronor}
        if note:
            entry["note"] = note
        if voucher:
            entry["voucher"] = voucher
        data["spent"] = [*(data.get("spent") or []), entry]
        return data

    return change


def _refuse_negative_spending(entity_id: str, amount: str) -> None:
    """`spend LINE -5`: spending is a list of what was paid, each entry above 0 kr.
    An entry that was wrong, or money paid back, is a change to the entry it
    concerns, made by hand where it stands (kontrakt diff shows it)."""
    from kontrakt.currency import kronor

    text = amount.strip()
    if text[:1] not in ("-", "\u2212"):
        return
    try:
        back = parse_money(text[1:])
    except MoneyError:
        return  # not an amount either: parse_money says so
    if not back:  # -0
        raise KontraktError(_("nothing is spent: give an amount above 0 kr"))
    raise KontraktError(
        _(
            "spending is an amount above 0 kr, not {amount}; to correct an entry, or for "
            "money paid back, lower the entry it concerns in {file} (or remove it)"
        ).format(amount=kronor(-back, numbers_locale()), file=f"budget/{entity_id}.yaml")
    )


def done(entity_id: str, on: date) -> Change:
    """The action's `done` day; one done on another day already is refused."""

    def change(data: Data, entity: BaseModel) -> Data:
        action = cast(Action, entity)
        if action.done == on:
            return data
        if action.done is not None:
            raise KontraktError(
                _("{id} was done on {day} already; change it by hand if that is wrong").format(
                    id=entity_id, day=action.done
                )
            )
        data["done"] = on
        return data

    return change


def answer(entity_id: str, text: str, on: date, *, replace: bool) -> Change:
    """The question's `answer` and the day it came (`answered`)."""

    def change(data: Data, entity: BaseModel) -> Data:
        question = cast(Question, entity)
        if question.answer == text and question.answered == on:
            return data
        if question.answer is not None and not replace:
            raise KontraktError(
                _("{id} has an answer already ({day}); pass --replace to replace it").format(
                    id=entity_id, day=question.answered or _("undated")
                )
            )
        data["answer"] = text
        data["answered"] = on
        return data

    return change


def add_part(settings: Settings, *, part: str, note: str | None) -> Change:
    """An "of which" part added to a budget line's `parts`."""
    entry = part_entry(settings, part, note)

    def change(data: Data, entity: BaseModel) -> Data:
        data["parts"] = [*(data.get("parts") or []), entry]
        return data

    return change


def part_entry(settings: Settings, part: str, note: str | None = None) -> Data:
    """A part from what a person writes, `100 tkr pilot` or `50000 konsult`: an amount,
    then a category or a purpose (its id or its label)."""
    amount, tag = _split_part(part)
    vocabularies = settings.vocabularies
    categories, purposes = vocabularies.categories, vocabularies.purposes
    entry: Data = {"amount": amount}
    chosen = resolve(tag, {**purposes, **categories}, _("category or purpose"))
    entry["category" if chosen in categories else "purpose"] = chosen
    if note:
        entry["note"] = note
    return entry


def _split_part(text: str) -> tuple[int, str]:
    """`100 tkr pilot` -> (100000, 'pilot'): the longest start that is an amount."""
    words = text.split()
    if text.lstrip()[:1] == "-" and len(words) > 1:  # `-100 tkr pilot`: say it is negative
        try:
            parse_money(" ".join(words[:-1]))
        except MoneyError as exc:
            raise KontraktError(str(exc)) from None
    try:
        parse_money(text)
    except MoneyError:
        pass
    else:
        raise KontraktError(
            _("write the category or purpose after the amount: '{text} pilot'").format(
                text=text.strip()
            )
        )
    for cut in range(len(words) - 1, 0, -1):
        try:
            return parse_money(" ".join(words[:cut])), " ".join(words[cut:])
        except MoneyError:
            continue
    raise KontraktError(
        _(
            "write a part as an amount and a category or purpose, e.g. '100 tkr pilot' "
            "or '50000 konsult'; got '{text}'"
        ).format(text=text)
    )


def move(values: Mapping[str, Any]) -> Change:
    """A meeting's or event's date, times and place: the keys given set, others kept."""

    def change(data: Data, entity: BaseModel) -> Data:
        for key, value in values.items():
            if value is not None:
                data[key] = value
        return data

    return change


# A figure as people type it: 12, 12.5 or 12,5, a minus sign, its digits perhaps in
# groups of three (`1 000,5`, as messages show numbers).
_FIGURE = re.compile(r"-?(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:[.,][0-9]+)?")


def figure(text: str) -> Decimal:
    """A value typed on the command line, exactly, as an indicator keeps it
    (models.indicator.exact, which `check` uses too): a whole number without
    decimals, no zeros ending the decimals (`12,50` is 12.5). The file gets it as a
    plain decimal (models.indicator.yaml_number).

    A number is read as the portfolio's locale writes it, as the messages show
    numbers: `1 234,5` in Swedish, `1,234.5` in English, `1'234.5` in Swiss German.
    A point or a comma the locale groups digits with groups them in threes only
    (`1,000` is a thousand in English, never 1; `12,5` is refused there rather than
    guessed); otherwise either is a decimal sign (YAML writes a point)."""
    locale = numbers_locale()
    written = text.strip().replace("\u2212", "-")
    decimal = decimal_sign(locale)
    # A locale that groups otherwise than by threes writes no group sign in messages;
    # where its decimal sign is a point, a comma still never passes for one.
    group = money_form(locale).group or ("," if decimal != "," else "")
    if group in (".", ","):
        if group in written:
            # Threes, or the Indian lakh and crore (`10,00,000`): a last group of three.
            sign, point = re.escape(group), re.escape(decimal)
            groups = rf"-?[0-9]{{1,3}}(?:{sign}[0-9]{{2,3}})*{sign}[0-9]{{3}}(?:{point}[0-9]+)?"
            if not re.fullmatch(groups, written):
                _not_a_figure(text)
            written = written.replace(group, "")
    elif group:  # `1'234.5`, a thin space: as a space
        written = written.replace(group, " ")
    if not _FIGURE.fullmatch(written):
        _not_a_figure(text)
    digits = re.sub(r"[ \u00a0\u202f]", "", written).replace(",", ".")
    try:
        return exact(Decimal(digits))
    except ValueRefused as refused:
        raise KontraktError(str(refused)) from None


def _not_a_figure(text: str) -> NoReturn:
    raise KontraktError(
        _("expected a number such as {whole} or {decimal}, got '{text}'").format(
            whole=numeral(12), decimal=numeral(Decimal("12.5")), text=text
        )
    )


def measure(
    entity_id: str, value: Decimal, on: date, *, source: str | None, note: str | None
) -> Change:
    """A measurement appended to the indicator's `measurements`, dated `on`; one dated
    before the latest is refused (they read oldest first), and so is a second
    figure for a day that has one."""

    def change(data: Data, entity: BaseModel) -> Data:
        indicator = cast(Indicator, entity)
        for measurement in indicator.measurements:
            if measurement.date == on:
                if measurement.value == value and source in (
                    None,
                    measurement.source,
                ):
                    return data
                raise KontraktError(
                    _(
                        "{id} has a measurement on {on} already ({value}); edit it by hand "
                        "if that figure is wrong"
                    ).format(id=entity_id, on=on, value=numeral(measurement.value))
                )
        latest = max((m.date for m in indicator.measurements), default=None)
        if latest is not None and on < latest:
            raise KontraktError(
                _(
                    "the measurements of {id} go up to {last}; one on {on} comes before it: "
                    "give --on {last} or later, or edit the file by hand"
                ).format(id=entity_id, last=latest, on=on)
            )
        entry: Data = {"date": on, "value": value}
        if source:
            entry["source"] = source
        if note:
            entry["note"] = note
        data["measurements"] = [*(data.get("measurements") or []), entry]
        return data

    return change
