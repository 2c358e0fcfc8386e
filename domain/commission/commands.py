"""Commission commands (handlers in domain/handlers/commissions.py)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.commission.plans import DEFAULT_TIERS, MARGINAL


@dataclass(frozen=True)
class SetCommissionPlan:
    """Set the studio's default plan (`trainer_id` None) or one trainer's override.

    `tiers`: [{"from": 1, "rate": "0.40"}, {"from": 41, "rate": "0.45"}, ...];
    `mode`: marginal | retroactive; `type_rates`: {"nutrition": "0.30"};
    a bonus of `bonus_amount` once the month's count reaches `bonus_threshold`.
    """

    trainer_id: uuid.UUID | None = None
    tiers: Sequence[Mapping[str, Any]] = DEFAULT_TIERS
    mode: str = MARGINAL
    type_rates: Mapping[str, Decimal | str] = field(default_factory=dict)
    bonus_threshold: int | None = None
    bonus_amount: Decimal | str | None = None


@dataclass(frozen=True)
class ApproveCommissions:
    """Approve a month ("YYYY-MM") for every trainer, or for one (`trainer_id`)."""

    month: str
    trainer_id: uuid.UUID | None = None
