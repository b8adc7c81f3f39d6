"""A budget line: an amount from one category, funding one or more initiatives."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import NonNegativeInt, field_validator

from kontrakt.models.common import (
    Entity,
    Hours,
    Id,
    IsoDate,
    Money,
    Share,
    Text,
    Year,
    empty,
    expand_ids,
)


class Decision(StrEnum):
    PROPOSED = "proposed"
    DECIDED = "decided"


class Part(Entity):
    """An "of which" part (varav): an amount with a category or a purpose."""

    amount: Money
    category: Id | None = None
    purpose: Id | None = None
    note: Text | None = None


class Funding(Entity):
    """An initiative a line funds, with an optional explicit share of the amount."""

    initiative: Id
    share: Money | None = None


class Spending(Entity):
    """Money spent on the line (utfall): one dated entry, oldest first."""

    date: IsoDate
    amount: Money
    note: Text | None = None
    voucher: Text | None = None  # the accounting voucher's reference (verifikation)


class Funder(Entity):
    """Who pays part of a line: an organisation of the portfolio (its id) or an
    external funder by name, with kronor (`amount`) or per cent of the line (`share`);
    `hours` records an in-kind contribution apart from the money."""

    organisation: Id | None = None
    name: Text | None = None
    amount: Money | None = None
    share: Share | None = None
    hours: Hours | None = None
    note: Text | None = None


class BudgetLine(Entity):
    id: Id | None = None
    title: Text
    amount: Money
    category: Id | None = None
    purpose: Id | None = None
    period: Year
    phase: Id | None = None
    # The day the line entered the portfolio: `--as-of` an earlier day leaves it out.
    proposed_on: IsoDate | None = None
    decision: Decision = Decision.PROPOSED
    decided_on: IsoDate | None = None
    initiatives: list[Funding] = empty()
    parts: list[Part] = empty()
    funders: list[Funder] = empty()
    spent: list[Spending] = empty()
    note: Text | None = None
    order: NonNegativeInt | None = None

    @field_validator("initiatives", mode="before", json_schema_input_type=list[Id | Funding])
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return expand_ids(value, "initiative")
