"""Stats: every metric × every grouping against a Python oracle, top-N, visibility, time zone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from builders import actor, system
from queries_data import MARCH, ROWS, load, oracle

from domain.errors import InvalidInput, NotAllowed
from domain.queries.stats import GROUPS, StatRow, stats

SQL_METRICS = ("sessions", "validation_rate", "revenue", "no_shows", "cancellations", "clients")


def ask(store, who, metric, group_by=None, **kw):
    kw.setdefault("start", MARCH[0])
    kw.setdefault("end", MARCH[1])
    return store.run(who, lambda uow: stats(uow, metric, group_by=group_by, **kw))


@pytest.fixture
def cast(store):
    return load(store)


def test_every_metric_by_every_group_matches_the_oracle(store, cast):
    boss = system(cast["studio"])
    for metric in SQL_METRICS:
        for group_by in (None, *GROUPS):
            rows = ask(store, boss, metric, group_by)
            got = {r.label: r.value for r in rows}
            assert got == oracle(metric, group_by, ROWS, *MARCH), (metric, group_by)
            assert all(isinstance(r, StatRow) and isinstance(r.value, Decimal) for r in rows)


def test_hand_checked_figures_for_march(store, cast):
    boss = system(cast["studio"])
    by_trainer = {r.label: r.value for r in ask(store, boss, "validation_rate", "trainer")}
    # Sarah: validated 2 Mar, 3 Mar, 31 Mar; pending 4 Mar; disputed 5 Mar -> 3/5.
    assert by_trainer["Sarah Lee"] == Decimal("0.6000")
    # Tom: validated 2 Mar and 9 Mar; pending 12 Mar -> 2/3.
    assert by_trainer["Tom Baker"] == Decimal("0.6667")
    revenue = ask(store, boss, "revenue")
    # took place: 80+90+80+70+80+80+60 = 540; kept credit: no-show 70 + late cancel 80.
    assert revenue == [StatRow("total", Decimal("690.00"), None)]
    assert ask(store, boss, "clients")[0].value == 3


def test_month_grouping_follows_the_studio_time_zone(store, cast):
    """31 March 23:30 in New York is 1 April in UTC: it counts in March; 1 April 00:30 counts in April."""
    boss = system(cast["studio"])
    rows = ask(store, boss, "sessions", "month", start=date(2026, 2, 1), end=date(2026, 5, 1))
    assert [(r.label, r.value) for r in rows] == [("2026-02", 1), ("2026-03", 7), ("2026-04", 1)]
    days = {r.label: r.value for r in ask(store, boss, "sessions", "day")}
    assert days["2026-03-31"] == 1 and "2026-04-01" not in days
    hours = {r.key: r.value for r in ask(store, boss, "sessions", "hour")}
    assert hours[23] == 1  # local hour, not UTC's 03


def test_weeks_start_on_monday(store, cast):
    boss = system(cast["studio"])
    weeks = ask(store, boss, "sessions", "week")
    # 2 March 2026 is a Monday; Sunday 1 March belongs to the week of 23 February.
    assert [w.key for w in weeks] == sorted(w.key for w in weeks)
    assert {w.key.weekday() for w in weeks} == {0}
    assert weeks[0].label == "week of 2026-03-02"


def test_top_n_orders_by_value_descending(store, cast):
    boss = system(cast["studio"])
    full = oracle("revenue", "client", ROWS, *MARCH)
    top = ask(store, boss, "revenue", "client", limit=2)
    assert len(top) == 2
    assert [r.value for r in top] == sorted(full.values(), reverse=True)[:2]
    assert top[0].value >= top[1].value
    days = ask(store, boss, "sessions", "day", limit=1)
    assert days[0].value == max(oracle("sessions", "day", ROWS, *MARCH).values())


def test_calendar_groups_read_in_calendar_order_without_limit(store, cast):
    boss = system(cast["studio"])
    hours = ask(store, boss, "sessions", "hour")
    assert [h.key for h in hours] == sorted(h.key for h in hours)
    weekdays = ask(store, boss, "sessions", "weekday")
    assert [w.label for w in weekdays][0] == "Monday"


def test_labels_are_names_and_keys_are_ids(store, cast):
    boss = system(cast["studio"])
    rows = ask(store, boss, "sessions", "trainer")
    assert {r.key for r in rows} == {cast["sarah"].id, cast["tom"].id}
    assert {r.label for r in rows} == {"Sarah Lee", "Tom Baker"}


def test_filters_narrow_the_question(store, cast):
    boss = system(cast["studio"])
    got = ask(store, boss, "sessions", trainer_id=cast["tom"].id)
    assert got[0].value == sum(
        1
        for r in ROWS
        if r.trainer == "tom"
        and r.status in ("validated", "pending_validation")
        and MARCH[0] <= r.local.date() < MARCH[1]
    )
    typed = ask(store, boss, "sessions", "trainer", session_type="assessment")
    assert [(r.label, r.value) for r in typed] == [("Sarah Lee", 1)]
    uptown = ask(store, boss, "sessions", location_id=cast["locations"]["Uptown"])
    assert uptown[0].value == oracle("sessions", "location", ROWS, *MARCH)["Uptown"]


def test_a_trainer_sees_only_sessions_they_delivered_or_that_were_covered_for_them(store, cast):
    sarah = actor(cast["sarah"])
    got = {r.label: r.value for r in ask(store, sarah, "sessions", "trainer")}
    expected = oracle(
        "sessions", "trainer", ROWS, *MARCH, visible=lambda r: "sarah" in (r.trainer, r.substitute_for)
    )
    assert got == expected
    assert got["Tom Baker"] == 1  # the 9 March session Tom covered for Sarah


def test_a_trainer_asking_for_another_trainer_is_refused(store, cast):
    with pytest.raises(NotAllowed):
        ask(store, actor(cast["sarah"]), "sessions", trainer_id=cast["tom"].id)
    own = ask(store, actor(cast["sarah"]), "sessions", trainer_id=cast["sarah"].id)
    assert own[0].value == 4


def test_clients_may_not_see_stats_and_managers_see_everything(store, cast):
    with pytest.raises(NotAllowed):
        ask(store, actor(cast["emma"]), "sessions")
    manager = ask(store, actor(cast["manager"]), "sessions")
    assert manager == ask(store, system(cast["studio"]), "sessions")


def test_unknown_metric_or_group_is_a_sentence(store, cast):
    boss = system(cast["studio"])
    with pytest.raises(InvalidInput, match="figure"):
        ask(store, boss, "happiness")
    with pytest.raises(InvalidInput, match="group"):
        ask(store, boss, "sessions", "planet")


def _validated_in_march(trainer=None):
    return [
        r
        for r in ROWS
        if r.status == "validated" and MARCH[0] <= r.local.date() < MARCH[1] and trainer in (None, r.trainer)
    ]


def test_commission_is_the_statements_lines(store, cast):
    """No plan stored: the contract default (40% under 41 sessions) on each validated session's price."""
    from domain.commission.queries import statement

    boss = system(cast["studio"])
    by_trainer = {r.label: r.value for r in ask(store, boss, "commission", "trainer")}
    for handle, name in (("sarah", "Sarah Lee"), ("tom", "Tom Baker")):
        expected = sum((Decimal(r.price) * Decimal("0.40") for r in _validated_in_march(handle)), Decimal(0))
        assert by_trainer[name] == expected
        assert by_trainer[name] == statement(store, boss, cast[handle].id, "2026-03").total
    by_type = {r.label: r.value for r in ask(store, boss, "commission", "session_type")}
    assert by_type["online"] == Decimal("32.00")  # 31 March, 80.00 at 40%
    assert sum(by_type.values()) == sum(by_trainer.values())
    total = ask(store, boss, "commission")
    assert total[0].value == sum(by_trainer.values())


def test_commission_bonus_stays_with_the_trainers_month(store, cast):
    from domain.model import CommissionPlan

    with store.sessions() as db, db.begin():
        db.add(
            CommissionPlan(
                studio_id=cast["studio"].id,
                trainer_id=None,
                tiers=[{"from": 1, "rate": "0.50"}],
                type_rates={},
                bonus_threshold=3,
                bonus_amount=Decimal("25.00"),
            )
        )
    boss = system(cast["studio"])
    by_trainer = {r.label: r.value for r in ask(store, boss, "commission", "trainer")}
    sarah = sum((Decimal(r.price) / 2 for r in _validated_in_march("sarah")), Decimal(0))
    tom = sum((Decimal(r.price) / 2 for r in _validated_in_march("tom")), Decimal(0))
    assert len(_validated_in_march("sarah")) >= 3 > len(_validated_in_march("tom"))
    assert by_trainer == {"Sarah Lee": sarah + Decimal("25.00"), "Tom Baker": tom}
    by_type = {r.label: r.value for r in ask(store, boss, "commission", "session_type")}
    assert sum(by_type.values()) == sarah + tom  # the bonus belongs to no session type
    # a trainer sees only the commission of what they delivered (and their own bonus)
    own = ask(store, actor(cast["tom"]), "commission", "trainer")
    assert [(r.label, r.value) for r in own] == [("Tom Baker", tom)]
    # Sarah sees the session Tom covered for her, but not Tom's commission on it
    hers = ask(store, actor(cast["sarah"]), "commission", "trainer")
    assert [(r.label, r.value) for r in hers] == [("Sarah Lee", sarah + Decimal("25.00"))]
