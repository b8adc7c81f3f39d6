"""The rule that each value of a vocabulary has a label of its own.

A label is how a value is shown (the heading of a group, a column) and how it
may be given (`--alert Gul`, a status written as its label gets the value as a
hint), so two values with one label could not be told apart. The fixed
vocabularies (statuses, alerts, gates) are checked with the default labels of
the values the portfolio leaves unlabelled, since those are shown beside its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from kontrakt.i18n import _
from kontrakt.models import Loc

if TYPE_CHECKING:
    from kontrakt.link import _Linker
    from kontrakt.models import Settings


def _labelled(settings: Settings) -> Iterator[tuple[Loc, Mapping[str, str], frozenset[str]]]:
    """Each vocabulary: where it is, every value's label, and the values it labels
    itself (the rest have their default labels)."""
    vocabularies = settings.vocabularies
    fixed = {
        name: {str(value): label for value, label in labels.items()}
        for name, labels in (
            ("statuses", settings.status_labels()),
            ("alerts", settings.alert_labels()),
            ("gates", settings.gate_labels()),
        )
    }
    yield ("organisations",), settings.organisations, frozenset(settings.organisations)
    for name in type(vocabularies).model_fields:
        given: Mapping[str, str] = getattr(vocabularies, name)
        yield ("vocabularies", name), fixed.get(name, given), frozenset(map(str, given))


def labels_are_distinct(linker: _Linker) -> None:
    """No two values of one vocabulary (or two organisations) share a label."""
    source = linker.portfolio.settings_source
    if source is None:
        return
    for where, labels, given in _labelled(linker.portfolio.settings):
        seen: dict[str, str] = {}
        for value, label in labels.items():
            key = " ".join(label.casefold().split())
            other = seen.setdefault(key, value)
            if other == value:
                continue
            # Said at a label the file gives: this one, else the one it repeats.
            here, there = (value, other) if value in given else (other, value)
            if here not in given:
                continue
            if there in given:
                line = source.locate((*where, there))[0]
                message = _(
                    "'{label}' is already the label of '{other}' on line {line}; "
                    "give each value a label of its own"
                ).format(label=label, other=there, line=line)
            else:
                message = _(
                    "'{label}' is the label '{other}' has by default; give '{value}' "
                    "another label, or give '{other}' one of its own"
                ).format(label=label, other=there, value=here)
            linker.report(source, (*where, here), "label-repeated", message)
