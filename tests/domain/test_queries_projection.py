"""The current month's projection (done + booked, at pace) and the comparison with the previous month."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from builders import actor, system
from queries_data import ROWS, kept_credit, load

from domain.errors import NotAllowed
from domain.queries.projection import projection

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 15, 12, tzinfo=NY)
COMPLETED = ("pending_validation", "validated")


@pytest.fixture
def cast(store, clock):
    clock.set(NOW)
    return load(store)


def march(rows, trainer=None):
    return [r for r in rows if r.local.month == 3 and trainer in (None, r.trainer)]


def expected(trainer=None):
    rows = march(ROWS, trainer)
    done = [r for r in rows if r.start < NOW and r.status in COMPLETED]
    kept = [r for r in rows if r.start < NOW and kept_credit(r)]
    booked = [r for r in rows if r.start >= NOW and r.status == "scheduled"]
    price = lambda rs: sum((Decimal(r.price) for r in rs), Decimal("0.00"))  # noqa: E731
    return done, kept, booked, price


def test_projection_is_done_plus_booked(store, cast):
    got = store.run(system(cast["studio"]), lambda uow: projection(uow))
    done, kept, booked, price = expected()
    assert got.month == "2026-03" and got.previous_month == "2026-02"
    assert got.done.sessions == len(done)
    assert got.done.revenue == price(done) + price(kept)
    assert got.booked.sessions == len(booked) and got.booked.revenue == price(booked)
    assert got.projected.sessions == len(done) + len(booked)
    assert got.projected.revenue == got.done.revenue + got.booked.revenue
    # no plan stored: 40% of every price (fewer than 41 sessions a month)
    assert got.done.commission == price(done) * Decimal("0.40")
    assert got.projected.commission == (price(done) + price(booked)) * Decimal("0.40")
    # half the month gone (15 March noon): at pace is done stretched to the whole month
    assert Decimal("0.4") < got.elapsed < Decimal("0.5")
    assert got.at_pace.sessions == (got.done.sessions / got.elapsed).quantize(Decimal("0.1"))
    assert got.at_pace.sessions > got.done.sessions


def test_comparison_with_the_previous_month(store, cast):
    got = store.run(system(cast["studio"]), lambda uow: projection(uow))
    february = [r for r in ROWS if r.local.month == 2]
    took_place = [r for r in february if r.status in COMPLETED]
    assert got.previous.sessions == len(took_place)
    assert got.previous.revenue == sum((Decimal(r.price) for r in took_place), Decimal(0))
    assert got.previous.commission == got.previous.revenue * Decimal("0.40")
    changes = {c.metric: c for c in got.comparison}
    assert set(changes) == {"sessions", "revenue", "commission"}
    for name, change in changes.items():
        assert change.current == getattr(got.projected, name)
        assert change.previous == getattr(got.previous, name)
        assert change.difference == change.current - change.previous
        assert change.ratio == (change.current / change.previous).quantize(Decimal("0.0001"))


def test_the_first_day_with_an_empty_previous_month_has_no_ratio(store, clock):
    from builders import studio_with_people

    cast = studio_with_people(store)
    clock.set(datetime(2026, 5, 1, 0, 30, tzinfo=NY))
    got = store.run(system(cast["studio"]), lambda uow: projection(uow))
    assert got.done.sessions == 0 and got.previous.sessions == 0
    assert all(c.ratio is None for c in got.comparison)


def test_a_trainer_projects_only_their_own_month(store, cast):
    got = store.run(actor(cast["tom"]), lambda uow: projection(uow))
    done, kept, booked, price = expected("tom")
    assert got.done.sessions == len(done)
    assert got.booked.sessions == len(booked)
    assert got.projected.commission == (price(done) + price(booked)) * Decimal("0.40")
    with pytest.raises(NotAllowed):
        store.run(actor(cast["tom"]), lambda uow: projection(uow, trainer_id=cast["sarah"].id))
    with pytest.raises(NotAllowed):
        store.run(actor(cast["emma"]), lambda uow: projection(uow))
