"""The pure plan arithmetic: examples at the tier boundaries, and hypothesis properties.

No database here: `calculate` takes a plan and a month's validated sessions.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.commission.plans import (
    BONUS,
    DEFAULT_PLAN,
    MARGINAL,
    RETROACTIVE,
    SESSION,
    Plan,
    SessionFact,
    calculate,
)
from domain.model.types import to_money

T0 = datetime(2026, 3, 1, 9, tzinfo=UTC)
DEFAULT_PLAN_TIERS = [{"from": 1, "rate": "0.40"}, {"from": 41, "rate": "0.45"}, {"from": 81, "rate": "0.50"}]
TYPES = ["standard", "assessment", "partner", "group", "online", "nutrition"]


def facts(n: int, price: str = "100.00", session_type: str = "standard") -> list[SessionFact]:
    return [
        SessionFact(uuid.uuid4(), T0 + timedelta(hours=i), Decimal(price), session_type) for i in range(n)
    ]


def test_default_plan_marginal_at_the_41st_session() -> None:
    forty = calculate(DEFAULT_PLAN, facts(40))
    assert {line.rate for line in forty.lines} == {Decimal("0.40")}
    assert forty.total == Decimal("1600.00")
    forty_one = calculate(DEFAULT_PLAN, facts(41))
    assert forty_one.lines[-1].rate == Decimal("0.45")
    assert forty_one.total == Decimal("1600.00") + Decimal("45.00")


def test_retroactive_pays_every_session_at_the_reached_tier() -> None:
    plan = Plan.of(DEFAULT_PLAN_TIERS, RETROACTIVE)
    assert calculate(plan, facts(40)).total == Decimal("1600.00")
    crossed = calculate(plan, facts(41))
    assert {line.rate for line in crossed.lines} == {Decimal("0.45")}
    assert crossed.total == Decimal("45.00") * 41


def test_marginal_orders_by_start_then_id() -> None:
    early, late = facts(2)
    sessions = [SessionFact(late.id, late.start, Decimal("50.00")), early]  # given out of order
    plan = Plan.of([{"from": 1, "rate": "0.10"}, {"from": 2, "rate": "0.50"}])
    result = calculate(plan, sessions)
    by_id = {line.session_id: line for line in result.lines}
    assert by_id[early.id].rate == Decimal("0.10")  # started first: the 1st session
    assert by_id[late.id].rate == Decimal("0.50")


def test_type_rate_overrides_the_tier_in_both_modes() -> None:
    sessions = facts(3) + facts(1, session_type="nutrition")
    for mode in (MARGINAL, RETROACTIVE):
        plan = Plan.of(DEFAULT_PLAN_TIERS, mode, type_rates={"nutrition": "0.20"})
        result = calculate(plan, sessions)
        nutrition = [line for line in result.lines if line.rate == Decimal("0.20")]
        assert len(nutrition) == 1 and nutrition[0].amount == Decimal("20.00")
        assert result.count == 4  # the overridden session still counts toward the tier


def test_bonus_when_the_threshold_is_reached() -> None:
    plan = Plan.of(DEFAULT_PLAN_TIERS, bonus_threshold=3, bonus_amount="150")
    assert not [line for line in calculate(plan, facts(2)).lines if line.kind == BONUS]
    result = calculate(plan, facts(3))
    bonus = [line for line in result.lines if line.kind == BONUS]
    assert len(bonus) == 1 and bonus[0].amount == Decimal("150.00")
    assert result.total == Decimal("120.00") + Decimal("150.00")


def test_each_line_rounds_half_up_to_cents() -> None:
    plan = Plan.of([{"from": 1, "rate": "0.45"}])
    result = calculate(plan, facts(2, price="33.33"))  # 14.9985 -> 15.00 each
    assert [line.amount for line in result.lines] == [Decimal("15.00"), Decimal("15.00")]
    assert result.total == Decimal("30.00")


def test_below_the_first_tier_earns_nothing() -> None:
    plan = Plan.of([{"from": 3, "rate": "0.50"}])
    result = calculate(plan, facts(3))
    assert [line.amount for line in result.lines] == [Decimal("0.00"), Decimal("0.00"), Decimal("50.00")]


def test_decreasing_rates_break_the_guarantees_as_documented() -> None:
    """What happens otherwise: crossing into a cheaper tier pays less for more work."""
    plan = Plan.of([{"from": 1, "rate": "0.50"}, {"from": 3, "rate": "0.30"}], RETROACTIVE)
    assert not plan.rates_never_decrease
    two, three = calculate(plan, facts(2)).total, calculate(plan, facts(3)).total
    assert three < two
    marginal = calculate(Plan.of([{"from": 1, "rate": "0.50"}, {"from": 3, "rate": "0.30"}]), facts(3)).total
    assert three < marginal


# --- properties -------------------------------------------------------------

rates = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)
prices = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def plans(draw: st.DrawFn, non_decreasing: bool = True) -> Plan:
    n = draw(st.integers(1, 4))
    starts = sorted(draw(st.sets(st.integers(2, 25), min_size=n - 1, max_size=n - 1)))
    tier_rates = draw(st.lists(rates, min_size=n, max_size=n))
    if non_decreasing:
        tier_rates.sort()
    tiers = [{"from": s, "rate": str(r)} for s, r in zip([1, *starts], tier_rates, strict=True)]
    type_rates = draw(st.dictionaries(st.sampled_from(TYPES), rates, max_size=2))
    bonus = draw(st.none() | st.tuples(st.integers(1, 40), prices))
    return Plan.of(
        tiers,
        draw(st.sampled_from([MARGINAL, RETROACTIVE])),
        type_rates,
        bonus[0] if bonus else None,
        bonus[1] if bonus else None,
    )


@st.composite
def months(draw: st.DrawFn, max_size: int = 40) -> list[SessionFact]:
    n = draw(st.integers(0, max_size))
    return [
        SessionFact(
            uuid.UUID(int=draw(st.integers(0, 2**32))),
            T0 + timedelta(minutes=draw(st.integers(0, 60 * 24 * 27))),
            draw(prices),
            draw(st.sampled_from(TYPES)),
        )
        for _ in range(n)
    ]


def as_mode(plan: Plan, mode: str) -> Plan:
    return Plan(plan.tiers, mode, plan.type_rates, plan.bonus_threshold, plan.bonus_amount)


@settings(max_examples=150, deadline=None)
@given(plans(), months())
def test_marginal_never_pays_more_than_retroactive(plan: Plan, month: list[SessionFact]) -> None:
    assert (
        calculate(as_mode(plan, MARGINAL), month).total <= calculate(as_mode(plan, RETROACTIVE), month).total
    )


@settings(max_examples=150, deadline=None)
@given(plans(), months(), prices, st.sampled_from(TYPES), st.integers(0, 60 * 24 * 27))
def test_one_more_session_never_lowers_the_month(
    plan: Plan, month: list[SessionFact], price: Decimal, session_type: str, minute: int
) -> None:
    extra = SessionFact(uuid.uuid4(), T0 + timedelta(minutes=minute), price, session_type)
    assert calculate(plan, [*month, extra]).total >= calculate(plan, month).total


@settings(max_examples=150, deadline=None)
@given(plans(non_decreasing=False), months())
def test_total_is_the_sum_of_the_lines(plan: Plan, month: list[SessionFact]) -> None:
    result = calculate(plan, month)
    assert result.total == sum((line.amount for line in result.lines), Decimal(0))
    assert all(line.amount == to_money(line.amount) for line in result.lines)
    assert len([line for line in result.lines if line.kind == SESSION]) == len(month)
