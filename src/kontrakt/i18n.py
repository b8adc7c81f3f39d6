"""Words kontrakt itself puts in rendered output, in the portfolio's language.

Labels for the portfolio's own values (statuses, categories, …) come from its
vocabularies in kontrakt.yaml; these are the words around them.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["sv", "en"]

DEFAULT_LOCALE: dict[str, str] = {"sv": "sv_SE", "en": "en_GB"}

_WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "budget": "Budget",
        "frame": "Ram",
        "decided": "Beslutat",
        "proposed": "Föreslaget",
        "total": "Totalt",
        "sum": "Summa",
        "remaining": "Kvar",
        "remaining_if_approved": "Kvar inkl. förslag",
        "line_decided": "beslutad",
        "line_proposed": "föreslagen",
        "of": "av",
        "shared": "delad budgetrad",
        "shared_note": "* Delad budgetrad: beloppet är fördelat mellan initiativen.",
        "over_frame": "över ramen",
        "as_of": "per",
        "period": "Period",
        "none.category": "Utan kategori",
        "none.initiative": "Utan initiativ",
        "none.status": "Utan status",
        "none.kind": "Utan typ",
        "none.phase": "Utan fas",
        "none.purpose": "Övrigt",
        "dimension.category": "Kategori",
        "dimension.initiative": "Initiativ",
        "dimension.status": "Status",
        "dimension.kind": "Typ",
        "dimension.phase": "Fas",
        "dimension.purpose": "Ändamål",
        "dimension.period": "Period",
        "line": "Budgetrad",
        "group": "Grupp",
    },
    "en": {
        "budget": "Budget",
        "frame": "Frame",
        "decided": "Decided",
        "proposed": "Proposed",
        "total": "Total",
        "sum": "Sum",
        "remaining": "Remaining",
        "remaining_if_approved": "If approved",
        "line_decided": "decided",
        "line_proposed": "proposed",
        "of": "of",
        "shared": "shared budget line",
        "shared_note": "* Shared budget line: the amount is split between the initiatives.",
        "over_frame": "over the frame",
        "as_of": "as of",
        "period": "Period",
        "none.category": "No category",
        "none.initiative": "No initiative",
        "none.status": "No status",
        "none.kind": "No kind",
        "none.phase": "No phase",
        "none.purpose": "Other",
        "dimension.category": "Category",
        "dimension.initiative": "Initiative",
        "dimension.status": "Status",
        "dimension.kind": "Kind",
        "dimension.phase": "Phase",
        "dimension.purpose": "Purpose",
        "dimension.period": "Period",
        "line": "Budget line",
        "group": "Group",
    },
}


def words(language: str) -> dict[str, str]:
    """The word table for a language (English for any language kontrakt lacks)."""
    return _WORDS.get(language, _WORDS["en"])
