"""The arithmetic of a commission plan over one trainer's month — pure, no I/O.

A plan pays a rate × the session's price for every validated session of the
month (the price is the snapshot on the session). The rate comes from tiers
keyed by the month's count of validated sessions:

* ``marginal`` — the k-th session of the month (ordered by start, then id) is
  paid at the rate of the tier k falls in;
* ``retroactive`` — every session of the month is paid at the tier the month's
  count reached.

A rate for the session's type (`type_rates`) replaces the tier rate for that
session in both modes. A bonus (`bonus_amount`) is added once the month's
count reaches `bonus_threshold`. Each line is rounded half-up to cents with
`to_money`; the total is the sum of the rounded lines, so a statement always
adds up.

The tier k falls in is the tier with the greatest ``from`` ≤ k; a count below
the first tier's ``from`` earns nothing (rate 0).

Assumption behind the guarantees: tier rates do not decrease as the count
grows. With that, marginal ≤ retroactive for the same month, and one more
validated session never lowers a month's commission in either mode (the
property tests check both). A plan whose rates decrease would break both:
crossing into a cheaper tier lowers the rate of every session in
retroactive mode (working more would pay less) and makes retroactive pay less
than marginal. The calculation still does exactly what the plan says, but
`SetCommissionPlan` refuses such plans so that no stored plan can do this.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInput
from domain.model.sessions import SessionType
from domain.model.types import to_money

MARGINAL, RETROACTIVE = "marginal", "retroactive"
MODES = (MARGINAL, RETROACTIVE)
SESSION, BONUS, ADJUSTMENT = "session", "bonus", "adjustment"
ZERO = Decimal("0.00")
SESSION_TYPES = tuple(t.value for t in SessionType)


@dataclass(frozen=True)
class Tier:
    start: int  # the month's count at which this tier begins ("from")
    rate: Decimal


@dataclass(frozen=True)
class Plan:
    tiers: tuple[Tier, ...]
    mode: str = MARGINAL
    type_rates: Mapping[str, Decimal] = field(default_factory=dict)
    bonus_threshold: int | None = None
    bonus_amount: Decimal | None = None

    @classmethod
    def of(
        cls,
        tiers: Iterable[Mapping[str, Any]],
        mode: str = MARGINAL,
        type_rates: Mapping[str, Any] | None = None,
        bonus_threshold: int | None = None,
        bonus_amount: Decimal | str | None = None,
    ) -> Plan:
        """A plan from its stored form (tiers as [{"from": 1, "rate": "0.40"}, ...])."""
        parsed = sorted((Tier(int(t["from"]), Decimal(str(t["rate"]))) for t in tiers), key=lambda t: t.start)
        return cls(
            tiers=tuple(parsed),
            mode=mode,
            type_rates={k: Decimal(str(v)) for k, v in (type_rates or {}).items()},
            bonus_threshold=bonus_threshold,
            bonus_amount=None if bonus_amount is None else to_money(bonus_amount),
        )

    def tier_rate(self, count: int) -> Decimal:
        """The rate of the tier a count falls in (0 below the first tier)."""
        rate = Decimal(0)
        for tier in self.tiers:
            if tier.start <= count:
                rate = tier.rate
            else:
                break
        return rate

    @property
    def rates_never_decrease(self) -> bool:
        rates = [t.rate for t in self.tiers]
        return all(a <= b for a, b in zip(rates, rates[1:], strict=False))


DEFAULT_TIERS: tuple[dict[str, Any], ...] = (
    {"from": 1, "rate": "0.40"},
    {"from": 41, "rate": "0.45"},
    {"from": 81, "rate": "0.50"},
)
# The contract default, used when the studio has no plan at all.
DEFAULT_PLAN = Plan.of(DEFAULT_TIERS, MARGINAL)


@dataclass(frozen=True)
class SessionFact:
    """What the calculation needs to know about one validated session."""

    id: uuid.UUID
    start: datetime
    price: Decimal
    session_type: str = "standard"


@dataclass(frozen=True)
class Line:
    """One line of a statement: a session, the bonus, or an adjustment."""

    kind: str
    amount: Decimal
    session_id: uuid.UUID | None = None
    price: Decimal | None = None
    rate: Decimal | None = None
    description: str = ""


@dataclass(frozen=True)
class Calculation:
    lines: tuple[Line, ...]
    count: int

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def ordered(sessions: Iterable[SessionFact]) -> list[SessionFact]:
    """The month's order: by start, then id (so equal starts still have one order)."""
    return sorted(sessions, key=lambda s: (s.start, str(s.id)))


def calculate(plan: Plan, sessions: Sequence[SessionFact]) -> Calculation:
    """The lines and total of one trainer's month, given its validated sessions."""
    month = ordered(sessions)
    count = len(month)
    reached = plan.tier_rate(count)
    lines: list[Line] = []
    for k, session in enumerate(month, start=1):
        rate = plan.type_rates.get(session.session_type)
        if rate is None:
            rate = plan.tier_rate(k) if plan.mode == MARGINAL else reached
        lines.append(Line(SESSION, to_money(rate * session.price), session.id, session.price, rate))
    if plan.bonus_threshold is not None and plan.bonus_amount and count >= plan.bonus_threshold:
        lines.append(
            Line(
                BONUS, to_money(plan.bonus_amount), description=f"Bonus for {plan.bonus_threshold}+ sessions"
            )
        )
    return Calculation(tuple(lines), count)


def _rate(value: Any, what: str) -> Decimal:
    try:
        rate = Decimal(str(value))
    except (ArithmeticError, ValueError):
        raise InvalidInput(f"{what} must be a number between 0 and 1, like 0.40.") from None
    if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1):
        raise InvalidInput(f"{what} must be between 0 and 1 (0.40 is 40%); {value} isn't.")
    return rate


def checked(
    tiers: Iterable[Mapping[str, Any]],
    mode: str,
    type_rates: Mapping[str, Any] | None,
    bonus_threshold: int | None,
    bonus_amount: Decimal | str | None,
) -> Plan:
    """A plan from user input, refused with a sentence when it doesn't make sense.

    Refused too: tier rates that go down as the count grows (see the module
    docstring — working more would pay less).
    """
    if mode not in MODES:
        raise InvalidInput(f"A commission plan is either marginal or retroactive, not {mode!r}.")
    tier_list = list(tiers)
    if not tier_list:
        raise InvalidInput("A commission plan needs at least one tier, like from 1 session at 0.40.")
    parsed: list[Tier] = []
    for tier in tier_list:
        try:
            start = int(tier["from"])
        except (KeyError, TypeError, ValueError):
            raise InvalidInput("Each tier needs the session count it starts from, like from 41.") from None
        if start < 1:
            raise InvalidInput("Tiers start from the 1st session of the month or later.")
        parsed.append(Tier(start, _rate(tier.get("rate"), f"The rate of the tier from {start}")))
    parsed.sort(key=lambda t: t.start)
    starts = [t.start for t in parsed]
    if len(set(starts)) != len(starts):
        raise InvalidInput("Two tiers start at the same session count.")
    plan = Plan(tuple(parsed), mode)
    if not plan.rates_never_decrease:
        raise InvalidInput(
            "Tier rates can't go down as the month's count grows: a trainer would earn less for working more."
        )
    rates: dict[str, Decimal] = {}
    for session_type, value in (type_rates or {}).items():
        if session_type not in SESSION_TYPES:
            raise InvalidInput(
                f"There is no session type {session_type!r}; the types are {', '.join(SESSION_TYPES)}."
            )
        rates[session_type] = _rate(value, f"The rate for {session_type} sessions")
    if (bonus_threshold is None) != (bonus_amount is None):
        raise InvalidInput("A bonus needs both a session count and an amount.")
    amount = None
    if bonus_threshold is not None:
        if int(bonus_threshold) < 1:
            raise InvalidInput("A bonus is reached at 1 session or more.")
        try:
            amount = to_money(Decimal(str(bonus_amount)))
        except (ArithmeticError, ValueError):
            raise InvalidInput(f"I can't read the bonus amount {bonus_amount!r}.") from None
        if amount <= 0:
            raise InvalidInput("A bonus amount must be more than zero.")
        bonus_threshold = int(bonus_threshold)
    return Plan(plan.tiers, mode, rates, bonus_threshold, amount)


def stored_tiers(plan: Plan) -> list[dict[str, Any]]:
    """Tiers as the JSON column keeps them: [{"from": 1, "rate": "0.40"}, ...]."""
    return [{"from": t.start, "rate": str(t.rate)} for t in plan.tiers]
