"""Words kontrakt puts beside the portfolio's own labels: a group with no value,
the names of the dimensions and the budget's columns.

Marked for the catalogs here, translated where they are shown (i18n.py).
"""

from __future__ import annotations

from kontrakt.i18n import N_

# The group of the entities with no value for a dimension.
NO_VALUE = {
    "category": N_("No category"),
    "initiative": N_("No initiative"),
    "status": N_("No status"),
    "kind": N_("No kind"),
    "phase": N_("No phase"),
    "purpose": N_("Other"),
}

# What a budget groups by, as a column heading.
DIMENSIONS = {
    "category": N_("Category"),
    "initiative": N_("Initiative"),
    "status": N_("Status"),
    "kind": N_("Kind"),
    "phase": N_("Phase"),
    "purpose": N_("Purpose"),
    "period": N_("Period"),
}

# The budget's amount columns.
COLUMNS = {
    "frame": N_("Frame"),
    "decided": N_("Decided"),
    "proposed": N_("Proposed"),
    "total": N_("Total"),
    "spent": N_("Spent"),
    "unspent": N_("Left of decided"),
    "remaining": N_("Remaining"),
    "remaining_if_approved": N_("If approved"),
}
