"""The demo studio of `spotter demo`, built through the ordinary commands.

Everything after the studio row goes through `Store.execute` with the actor
who would really do it (the admin adds people and sells packages, a trainer
logs, a client confirms or disputes, a manager resolves and approves), so
prices, credits, the ledger, commissions and the audit log are exactly what a
real studio's would be. The store's clock is moved along a simulated
timeline, in order, so a late cancel is late because it happened five hours
before the session, and an approval comes after the month ended.

What it makes (seeded: the same seed gives the same studio relative to "now"):
two locations; six trainers with weekly hours; two managers; sixty clients
with packages (a few drop-ins without one); sessions over the two previous
months and this month, plus two weeks booked ahead, in every status and every
session type, some covered by a substitute, some cancelled late; a default
commission plan and one trainer's override; the month before last approved.
Names are chosen to be hard for a parser: John Smith and John Doe, Will,
Grace, Mark and Hope (as clients and a trainer).
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain.actor import Actor
from domain.commands import (
    AddPerson,
    AddTimeOff,
    BookSession,
    CancelSession,
    DisputeSession,
    LogSession,
    MarkNoShow,
    ResolveDispute,
    SellPackage,
    SetWorkingHours,
    TagClient,
    ValidateSession,
)
from domain.commission.commands import ApproveCommissions, SetCommissionPlan
from domain.errors import SpotterError
from domain.model import Person, Role
from domain.queries.period import Month
from domain.seed.studio import create_studio
from domain.store import Store

DEMO_STUDIO = "Spotter Demo Studio"
TZ = "America/New_York"

TRAINERS = [  # handle, full name, weekly hours [(weekdays, start, end)], location index
    ("sarah", "Sarah Lee", [((0, 1, 2, 3, 4), 7, 12), ((0, 2), 16, 19)], 0),
    ("tom", "Tom Baker", [((0, 1, 2, 3, 4), 12, 19)], 1),
    ("mark", "Mark Rivera", [((1, 3), 6, 11), ((5,), 8, 13)], 0),
    ("grace", "Grace Okafor", [((0, 2, 4), 9, 17)], 1),
    ("dan", "Dan Brooks", [((0, 1, 2, 3), 15, 21)], 0),
    ("priya", "Priya Patel", [((1, 2, 3, 4), 8, 14), ((5,), 9, 12)], 1),
]
MANAGERS = [("mia", "Mia Chen", ()), ("oscar", "Oscar Diaz", (Role.TRAINER,))]
HARD_CLIENTS = [
    "John Smith", "John Doe", "Will Turner", "Grace Hall", "Hope Evans", "Mark Bell",
    "Emma Wilson", "May Brown", "Bill Friday", "April Stone",
]  # fmt: skip
FIRST = [
    "Olivia", "Liam", "Ava", "Noah", "Sophia", "Lucas", "Mia", "Ethan", "Isabella", "Mason", "Amelia",
    "Logan", "Harper", "Elijah", "Evelyn", "Aiden", "Abigail", "Jacob", "Ella", "Carter", "Chloe",
    "Owen", "Zoe", "Wyatt", "Lily", "Jack", "Nora", "Henry", "Layla", "Leo", "Riley", "Julian",
    "Aria", "Levi", "Hannah", "Isaac", "Stella", "Gabriel", "Lucy", "Samuel", "Ruby", "Ben",
    "Naomi", "Caleb", "Alice", "Ryan", "Clara", "Nathan", "Iris", "Adam",
]  # fmt: skip
LAST = [
    "Garcia", "Martinez", "Nguyen", "Kowalski", "Andersson", "O'Brien", "Silva", "Rossi", "Tanaka",
    "Müller", "Dubois", "Jensen", "Cohen", "Novak", "Haddad", "Ivanova", "Kaur", "Mensah", "Reyes",
    "Fischer", "Sato", "Lopez", "Walsh", "Petrov", "Costa", "Byrne", "Moreau", "Kim", "Ali", "Young",
]  # fmt: skip
TYPES = (
    ["standard"] * 30
    + ["assessment"] * 3
    + ["partner"] * 4
    + ["online"] * 4
    + ["nutrition"] * 3
    + ["group"] * 2
)
DEFAULT_TIERS = [{"from": 1, "rate": "0.40"}, {"from": 41, "rate": "0.45"}, {"from": 81, "rate": "0.50"}]
SARAH_TIERS = [{"from": 1, "rate": "0.42"}, {"from": 31, "rate": "0.48"}]


class SimulatedClock:
    """The store's clock during seeding: moved forward event by event."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class DemoSummary:
    studio_name: str
    people: Counter[str] = field(default_factory=Counter)
    packages: int = 0
    sessions: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    substitutes: int = 0
    late_cancels: int = 0
    commands: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    approved_month: str = ""
    seconds: float = 0.0

    def lines(self) -> list[str]:
        status = ", ".join(f"{count} {name}" for name, count in sorted(self.sessions.items()))
        kinds = ", ".join(f"{count} {name}" for name, count in sorted(self.types.items()))
        roles = ", ".join(f"{count} {name}s" for name, count in sorted(self.people.items()))
        out = [
            f"Created {self.studio_name} ({TZ}) in {self.seconds:.1f}s through {self.commands} commands:",
            f"  people: {roles}",
            f"  packages sold: {self.packages}",
            f"  sessions: {sum(self.sessions.values())} ({status})",
            f"  types: {kinds}",
            f"  covered by a substitute: {self.substitutes}; late cancels: {self.late_cancels}",
            f"  commissions: a default plan, an override for Sarah Lee, {self.approved_month} approved",
        ]
        if self.refused:
            out.append(
                "  refused along the way, as a real studio would be: "
                + ", ".join(f"{n} {k}" for k, n in sorted(self.refused.items()))
            )
        return out


@dataclass(order=True)
class Event:
    at: datetime
    seq: int
    run: Callable[[], Any] = field(compare=False)


@dataclass
class Plan:
    """One session the seeder intends: who, when, and what becomes of it."""

    trainer: Person
    client: Person
    start: datetime
    session_type: str
    outcome: str  # validated | pending | disputed_upheld | disputed_rejected | disputed | no_show | cancel | late_cancel | scheduled
    booked_ahead: bool
    substitute: Person | None = None
    location_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None


def find_demo(store: Store) -> uuid.UUID | None:
    from sqlalchemy import select

    from domain.model import Studio

    with store.sessions() as db:
        return db.scalar(select(Studio.id).where(Studio.name == DEMO_STUDIO))


def delete_demo(store: Store) -> bool:
    """Remove the demo studio and everything in it (`spotter demo --reset`).

    The audit log is append-only for every change made *inside* a studio;
    dropping a whole demo studio is the one exception, so the triggers are
    lifted for this one statement and put back in the same transaction.
    """
    from sqlalchemy import text

    studio_id = find_demo(store)
    if studio_id is None:
        return False
    engine = store.engine
    sid: object = studio_id.hex if engine.dialect.name == "sqlite" else studio_id
    people = "SELECT id FROM people WHERE studio_id = :s"
    sessions = "SELECT id FROM sessions WHERE studio_id = :s"
    statements = [
        "DELETE FROM commission_lines WHERE statement_id IN (SELECT id FROM commission_statements WHERE studio_id = :s)",
        "DELETE FROM commission_adjustments WHERE studio_id = :s",
        "DELETE FROM commission_statements WHERE studio_id = :s",
        "DELETE FROM commission_plans WHERE studio_id = :s",
        f"DELETE FROM session_notes WHERE session_id IN ({sessions})",
        f"DELETE FROM ledger_entries WHERE client_id IN ({people})",
        "DELETE FROM audit_log WHERE studio_id = :s",
        "DELETE FROM sessions WHERE studio_id = :s",
        "DELETE FROM packages WHERE studio_id = :s",
        f"DELETE FROM link_codes WHERE person_id IN ({people})",
        f"DELETE FROM chat_identities WHERE person_id IN ({people})",
        f"DELETE FROM working_hours WHERE trainer_id IN ({people})",
        f"DELETE FROM time_off WHERE trainer_id IN ({people})",
        f"DELETE FROM client_tags WHERE person_id IN ({people})",
        f"DELETE FROM person_roles WHERE person_id IN ({people})",
        "UPDATE people SET primary_trainer_id = NULL WHERE studio_id = :s",
        "DELETE FROM people WHERE studio_id = :s",
        "DELETE FROM locations WHERE studio_id = :s",
        "DELETE FROM studios WHERE id = :s",
    ]
    from sqlalchemy import inspect

    tables = set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
        for statement in statements:
            table = statement.split()[2] if statement.startswith("DELETE") else statement.split()[1]
            if table in tables:
                conn.execute(text(statement), {"s": sid})
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END"
            )
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    return True


def seed_demo(store: Store, *, seed: int = 7, now: datetime | None = None) -> DemoSummary:
    """Build the demo studio in `store` (whose clock is replaced while seeding). Fails if it exists."""
    import time as timer

    began = timer.perf_counter()
    real_clock = store.clock
    now = (now or real_clock()).astimezone(UTC)
    zone = ZoneInfo(TZ)
    here = now.astimezone(zone)
    this_month = Month(here.year, here.month)
    first_month = this_month.previous.previous
    period_start = datetime.combine(first_month.first, time(0), tzinfo=zone)
    clock = SimulatedClock(period_start - timedelta(days=10))
    store.clock = clock
    try:
        return _seed(store, clock, random.Random(seed), now, zone, first_month, this_month, began)
    finally:
        store.clock = real_clock


def _seed(
    store: Store,
    clock: SimulatedClock,
    rng: random.Random,
    now: datetime,
    zone: ZoneInfo,
    first_month: Month,
    this_month: Month,
    began: float,
) -> DemoSummary:
    import time as timer

    summary = DemoSummary(DEMO_STUDIO)
    studio, locations = create_studio(
        store,
        DEMO_STUDIO,
        TZ,
        "USD",
        [("Uptown", "120 W 72nd St, New York"), ("Downtown", "45 Greene St, New York")],
    )
    system = Actor.system(studio.id, channel="cli")

    def run(who: Actor, command: Any) -> Any:
        summary.commands += 1
        try:
            return store.execute(who, command)
        except SpotterError as error:
            summary.refused[type(error).__name__] += 1
            return None

    def as_actor(person: Person, channel: str) -> Actor:
        return Actor(studio.id, person.id, person.roles, channel, person.full_name)

    # --- people ------------------------------------------------------------------------------
    trainers: list[Person] = []
    for handle, name, _hours, _loc in TRAINERS:
        trainers.append(
            run(system, AddPerson(handle, name, (Role.TRAINER,), email=f"{handle}@spotter.example"))
        )
    managers = [
        run(system, AddPerson(handle, name, (Role.MANAGER, *extra), email=f"{handle}@spotter.example"))
        for handle, name, extra in MANAGERS
    ]
    summary.people.update({"trainer": len(trainers), "manager": len(managers)})
    names = list(HARD_CLIENTS)
    taken = set(names) | {t[1] for t in TRAINERS} | {m[1] for m in MANAGERS}
    while len(names) < 60:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    firsts = Counter(n.split()[0] for n in names)
    used = {t[0] for t in TRAINERS} | {m[0] for m in MANAGERS}
    clients: list[Person] = []
    for i, name in enumerate(names):
        first, last = name.split()[0].lower(), name.split()[-1].lower()
        handle = first if firsts[name.split()[0]] == 1 and first not in used else f"{first}.{last}"
        handle = "".join(ch for ch in handle if ch.isascii() and (ch.isalnum() or ch in "._-"))
        used.add(handle)
        primary = trainers[i % len(trainers)]
        email = f"{handle}@mail.example" if i % 3 else None
        phone = f"+1-212-555-{1000 + i:04d}" if i % 2 else None
        client = run(system, AddPerson(handle, name, (Role.CLIENT,), email, phone, primary.id))
        clients.append(client)
    summary.people["client"] = len(clients)
    for client in clients[:8]:
        run(system, TagClient(client.id, "vip" if client.full_name < "M" else "rehab"))

    # --- hours, plans, packages --------------------------------------------------------------
    for trainer, (_h, _n, hours, _loc) in zip(trainers, TRAINERS, strict=True):
        rows = [(day, time(a), time(b)) for days, a, b in hours for day in days]
        run(system, SetWorkingHours(trainer.id, rows))
    run(
        system,
        SetCommissionPlan(
            None, DEFAULT_TIERS, "marginal", {"nutrition": "0.30"}, bonus_threshold=45, bonus_amount="150.00"
        ),
    )
    run(system, SetCommissionPlan(trainers[0].id, SARAH_TIERS, "retroactive"))
    drop_ins = set(range(52, 60))  # the last eight clients pay per session
    for i, client in enumerate(clients):
        if i in drop_ins:
            continue
        credits, price = rng.choice(
            [(10, "90.00"), (20, "80.00"), (20, "80.00"), (30, "75.00"), (30, "75.00")]
        )
        clock.now += timedelta(minutes=7)
        expires = clock.now + timedelta(days=365) if credits < 30 else None
        if run(
            system,
            SellPackage(client.id, credits, Decimal(price), expires_at=expires, name=f"{credits} sessions"),
        ):
            summary.packages += 1

    # --- the sessions' plan ------------------------------------------------------------------
    drop_in_ids = {clients[i].id for i in drop_ins}
    period_start = datetime.combine(first_month.first, time(0), tzinfo=zone)
    horizon = now + timedelta(days=14)
    trainer_busy: dict[uuid.UUID, set[datetime]] = {t.id: set() for t in trainers}
    client_busy: set[tuple[uuid.UUID, datetime]] = set()
    by_trainer = {
        t.id: [c for i, c in enumerate(clients) if i % len(trainers) == k] for k, t in enumerate(trainers)
    }
    plans: list[Plan] = []
    day = period_start.date()
    while datetime.combine(day, time(0), tzinfo=zone) < horizon:
        for trainer, (_h, _n, hours, loc) in zip(trainers, TRAINERS, strict=True):
            starts = [h for days, a, b in hours if day.weekday() in days for h in range(a, b)]
            if not starts:
                continue
            for hour in rng.sample(starts, min(len(starts), rng.choice([1, 1, 2, 2, 2, 3]))):
                start = datetime.combine(day, time(hour), tzinfo=zone)
                pool = by_trainer[trainer.id] if rng.random() < 0.85 else clients
                client = rng.choice(pool)
                if (client.id, start) in client_busy or start in trainer_busy[trainer.id]:
                    continue
                plan = _plan(rng, trainer, client, start, now, locations[loc].id, trainers, trainer_busy)
                if client.id in drop_in_ids and plan.booked_ahead:
                    if plan.outcome == "scheduled" or start > now:
                        continue  # booking needs a credit: drop-ins are only logged after the fact
                    plan.outcome, plan.booked_ahead = "validated", False
                plans.append(plan)
                trainer_busy[trainer.id].add(start)
                client_busy.add((client.id, start))
        day += timedelta(days=1)

    # A future group class: four clients in one slot with Grace.
    group_start = _next_weekday(now.astimezone(zone).date() + timedelta(days=3), 4, time(16), zone)
    slot = uuid.uuid4()
    grace = trainers[3]
    group_clients = [c for c in by_trainer[grace.id] if (c.id, group_start) not in client_busy][:4]

    # --- events, in time order ---------------------------------------------------------------
    events: list[Event] = []
    seq = iter(range(10**9))

    latest = now - timedelta(minutes=1)

    def at(when: datetime, fn: Callable[[], Any]) -> None:
        # Nothing happens after "now"; equal times keep the order they were planned in.
        events.append(Event(min(when, latest), next(seq), fn))

    for plan in plans:
        _schedule(plan, at, run, as_actor, as_actor(managers[0], "web"), rng, now)
    if group_start not in trainer_busy[grace.id]:
        for client in group_clients:
            at(
                now - timedelta(hours=rng.randint(1, 48)),
                lambda c=client: run(
                    as_actor(grace, "telegram"),
                    BookSession(grace.id, c.id, group_start, 60, "group", locations[1].id, slot),
                ),
            )
    # A week off for Dan next month, and an afternoon off for Tom this week.
    dan, tom = trainers[4], trainers[1]
    off_start = datetime.combine(this_month.next.first + timedelta(days=7), time(0), tzinfo=zone)
    at(
        now - timedelta(days=2),
        lambda: run(system, AddTimeOff(dan.id, off_start, off_start + timedelta(days=7), "holiday")),
    )
    tom_off = _next_weekday(now.astimezone(zone).date() + timedelta(days=8), 2, time(12), zone)
    at(
        now - timedelta(days=1),
        lambda: run(system, AddTimeOff(tom.id, tom_off, tom_off + timedelta(hours=4), "dentist")),
    )
    # Approve the month before last once it is well over.
    approver = as_actor(managers[0], "web")
    approve_at = datetime.combine(first_month.next.first + timedelta(days=6), time(10), tzinfo=zone)
    at(min(approve_at, now - timedelta(hours=1)), lambda: run(approver, ApproveCommissions(str(first_month))))
    summary.approved_month = str(first_month)

    for event in sorted(events):
        clock.now = max(clock.now, event.at.astimezone(UTC))
        event.run()
    clock.now = now
    _count(store, studio.id, summary)
    summary.seconds = timer.perf_counter() - began
    return summary


def _next_weekday(start: date, weekday: int, at: time, zone: ZoneInfo) -> datetime:
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    return datetime.combine(day, at, tzinfo=zone)


def _plan(
    rng: random.Random,
    trainer: Person,
    client: Person,
    start: datetime,
    now: datetime,
    location_id: uuid.UUID,
    trainers: list[Person],
    busy: dict[uuid.UUID, set[datetime]],
) -> Plan:
    kind = rng.choice(TYPES)
    if start + timedelta(hours=1) > now:
        outcome = "cancel" if rng.random() < 0.06 else "scheduled"
        return Plan(trainer, client, start, kind, outcome, True, location_id=location_id)
    recent = now - start < timedelta(days=9)
    roll = rng.random()
    if roll < 0.07:
        outcome = "cancel"
    elif roll < 0.11:
        outcome = "late_cancel"
    elif roll < 0.15:
        outcome = "no_show"
    elif roll < 0.165:
        outcome = "disputed_upheld"
    elif roll < 0.18:
        outcome = "disputed_rejected"
    elif roll < 0.19 and recent:
        outcome = "disputed"
    elif recent and roll < 0.55:
        outcome = "pending"
    else:
        outcome = "validated"
    substitute = None
    if outcome in ("validated", "pending") and rng.random() < 0.05:
        others = [t for t in trainers if t.id != trainer.id and start not in busy[t.id]]
        if others:
            substitute = rng.choice(others)
            busy[substitute.id].add(start)
    ahead = outcome in ("cancel", "late_cancel", "no_show") or (substitute is None and rng.random() < 0.5)
    return Plan(trainer, client, start, kind, outcome, ahead, substitute, location_id)


def _schedule(
    plan: Plan,
    at: Callable[[datetime, Callable[[], Any]], None],
    run: Callable[[Actor, Any], Any],
    as_actor: Callable[[Person, str], Actor],
    resolver: Actor,
    rng: random.Random,
    now: datetime,
) -> None:
    """Turn a plan into timed commands: book, log, confirm, dispute, resolve, cancel or no-show."""
    trainer, client, start = plan.trainer, plan.client, plan.start
    delivering = plan.substitute or trainer
    coach = as_actor(delivering, rng.choice(["telegram", "slack", "voice"]))
    member = as_actor(client, rng.choice(["telegram", "web", "email"]))
    booked_at = max(
        start - timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 9)), start - timedelta(days=30)
    )
    if plan.outcome == "scheduled":
        booked_at = min(booked_at, now - timedelta(minutes=rng.randint(5, 600)))

    def book() -> None:
        session = run(
            coach, BookSession(trainer.id, client.id, start, 60, plan.session_type, plan.location_id)
        )
        plan.session_id = session.id if session else None

    def log() -> None:
        session = run(
            coach,
            LogSession(
                delivering.id, client.id, start, 60, plan.session_type,
                trainer.id if plan.substitute else None, None, plan.location_id,
            ),
        )  # fmt: skip
        plan.session_id = session.id if session else None

    def then(command: Callable[[uuid.UUID], Any], who: Actor) -> Callable[[], Any]:
        return lambda: run(who, command(plan.session_id)) if plan.session_id else None

    if plan.booked_ahead:
        at(booked_at, book)
    if plan.outcome == "scheduled":
        return
    if plan.outcome == "cancel":  # in time: at least a day ahead, after the booking
        ahead = start - timedelta(days=rng.randint(1, 2), hours=rng.randint(1, 10))
        at(max(ahead, booked_at + timedelta(minutes=30)), then(CancelSession, member))
        return
    if plan.outcome == "late_cancel":
        at(start - timedelta(hours=rng.randint(2, 20)), then(lambda s: CancelSession(s, "sick"), member))
        return
    if plan.outcome == "no_show":
        at(start + timedelta(minutes=20), then(MarkNoShow, coach))
        return
    logged_at = start + timedelta(minutes=rng.randint(55, 240))
    at(logged_at, log)
    if plan.outcome == "pending":
        return
    answered = logged_at + timedelta(hours=rng.randint(1, 40))
    if plan.outcome == "validated":
        at(answered, then(ValidateSession, member))
        return
    at(answered, then(lambda s: DisputeSession(s, "I wasn't there"), member))
    if plan.outcome in ("disputed_upheld", "disputed_rejected"):
        upheld = plan.outcome == "disputed_upheld"
        at(answered + timedelta(days=2), then(lambda s: ResolveDispute(s, upheld), resolver))


def _count(store: Store, studio_id: uuid.UUID, summary: DemoSummary) -> None:
    from sqlalchemy import func, select

    from domain.model import TrainingSession

    with store.sessions() as db:
        for status, count in db.execute(
            select(TrainingSession.status, func.count())
            .where(TrainingSession.studio_id == studio_id)
            .group_by(TrainingSession.status)
        ):
            summary.sessions[status] = count
        for kind, count in db.execute(
            select(TrainingSession.session_type, func.count())
            .where(TrainingSession.studio_id == studio_id)
            .group_by(TrainingSession.session_type)
        ):
            summary.types[kind] = count
        summary.substitutes = (
            db.scalar(
                select(func.count()).where(
                    TrainingSession.studio_id == studio_id, TrainingSession.substitute_for_id.is_not(None)
                )
            )
            or 0
        )
        summary.late_cancels = (
            db.scalar(
                select(func.count()).where(
                    TrainingSession.studio_id == studio_id, TrainingSession.late_cancel.is_(True)
                )
            )
            or 0
        )
