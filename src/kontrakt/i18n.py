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
        "status_as_of": "Läge per",
        "upcoming_events": "Kommande händelser",
        "next_days": "närmaste {days} dagarna",
        "open_questions": "Öppna frågor",
        "no_events": "Inga händelser de närmaste {days} dagarna.",
        "no_questions": "Inga öppna frågor.",
        "check_summary": "Kontroll: {errors} fel, {warnings} {warning_word}",
        "warning_one": "varning",
        "warning_many": "varningar",
        "show_with": "visa med",
        "overdue": "försenad",
        "no_status": "Utan status",
        "budget_withheld": "Budgeten visas inte: portföljen har fel.",
        "to": "till",
        "concerns": "gäller",
        "raised": "väckt",
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
        "status_as_of": "Status as of",
        "upcoming_events": "Upcoming events",
        "next_days": "next {days} days",
        "open_questions": "Open questions",
        "no_events": "No events in the next {days} days.",
        "no_questions": "No open questions.",
        "check_summary": "Check: {errors} errors, {warnings} {warning_word}",
        "warning_one": "warning",
        "warning_many": "warnings",
        "show_with": "show them with",
        "overdue": "overdue",
        "no_status": "No status",
        "budget_withheld": "Budget not shown: the portfolio has errors.",
        "to": "to",
        "concerns": "concerns",
        "raised": "raised",
    },
}


def words(language: str) -> dict[str, str]:
    """The word table for a language (English for any language kontrakt lacks)."""
    return _WORDS.get(language, _WORDS["en"])
