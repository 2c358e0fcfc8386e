"""Building a conversation file's studio through the ordinary domain commands.

Nothing is written behind the domain's back: people, hours, packages, tags,
commission plans and the history sessions go through `Store.execute`, so
credits, the ledger, commissions and the audit log are what a real studio's
would be. History is replayed in time order with the store's clock set to
just before or after each session (a booking a day ahead, a log a few minutes
after the end, a cancel in time), all before the conversation's first turn.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.conversations.spec import FormatError, HistorySession, StudioSpec, money, to_instant
from domain.actor import Actor
from domain.commands import (
    AddPerson,
    BookSession,
    CancelSession,
    DisputeSession,
    LinkIdentity,
    LogSession,
    MarkNoShow,
    SellPackage,
    SetWorkingHours,
    TagClient,
    ValidateSession,
)
from domain.commission.commands import SetCommissionPlan
from domain.errors import SpotterError
from domain.model import Role, Studio
from domain.seed.demo import SimulatedClock
from domain.seed.studio import create_studio
from domain.store import Store

CHANNEL = "test"  # the conversation tests' channel: each person's external id is their handle


class SetupError(Exception):
    """The studio could not be built (a refused command, an unknown handle); the message says which."""


@dataclass
class Cast:
    """Who is who in the built studio: handles to ids and roles, for turns and checks."""

    studio_id: uuid.UUID
    tz: str
    currency: str
    ids: dict[str, uuid.UUID] = field(default_factory=dict)  # handle (lower case) -> person id
    roles: dict[uuid.UUID, frozenset[Role]] = field(default_factory=dict)
    names: dict[uuid.UUID, str] = field(default_factory=dict)

    def id_of(self, handle: str) -> uuid.UUID | None:
        return self.ids.get(handle.lstrip("@").lower())

    def handle_of(self, person_id: uuid.UUID | None) -> str | None:
        for handle, pid in self.ids.items():
            if pid == person_id:
                return handle
        return None

    def actor(self, handle: str) -> Actor:
        pid = self._need(handle)
        return Actor(self.studio_id, pid, self.roles[pid], CHANNEL, self.names[pid])

    def system(self) -> Actor:
        return Actor.system(self.studio_id, channel=CHANNEL)

    def _need(self, handle: str) -> uuid.UUID:
        pid = self.id_of(handle)
        if pid is None:
            raise SetupError(f"nobody in the studio has the handle {handle!r}")
        return pid


def build_studio(store: Store, clock: SimulatedClock, spec: StudioSpec, first_turn: datetime) -> Cast:
    """Create the studio, its people and its history, all before `first_turn` (aware)."""
    history = list(spec.sessions)
    starts = [to_instant(s.start, spec.tz) for s in history if _aware_ok(s.start, spec.tz)]
    clock.now = min([first_turn, *starts]) - timedelta(days=30)
    try:
        studio, _ = create_studio(
            store, spec.name, spec.tz, spec.currency, list(spec.locations), **_policy(spec.policy)
        )
    except SpotterError as error:
        raise SetupError(f"the studio: {error}") from error
    cast = Cast(studio.id, studio.tz, studio.currency)
    system = cast.system()

    def run(what: str, actor: Actor, command: Any) -> Any:
        try:
            return store.execute(actor, command)
        except SpotterError as error:
            raise SetupError(f"{what}: {error}") from error

    # Trainers and managers first: clients name their primary trainer.
    for person in sorted(spec.people, key=lambda p: "client" in p.roles and len(p.roles) == 1):
        trainer_id = None
        if person.trainer:
            trainer_id = cast._need(person.trainer)
        made = run(
            f"adding @{person.handle}",
            system,
            AddPerson(
                person.handle, person.name, tuple(Role(r) for r in person.roles), person.email, person.phone,
                trainer_id,
            ),
        )  # fmt: skip
        cast.ids[made.handle] = made.id
        cast.roles[made.id] = frozenset(made.roles)
        cast.names[made.id] = made.full_name
        run(f"linking @{made.handle}", system, LinkIdentity(made.id, CHANNEL, made.handle))
    for person in spec.people:
        pid = cast._need(person.handle)
        if person.hours:
            run(f"hours of @{person.handle}", system, SetWorkingHours(pid, list(person.hours)))
        for credits, price in person.packages:
            run(
                f"package of @{person.handle}",
                system,
                SellPackage(pid, credits, price, name=f"{credits} sessions"),
            )
        for tag in person.tags:
            run(f"tag of @{person.handle}", system, TagClient(pid, tag))
    if spec.commission is not None:
        run("the commission plan", system, _plan(None, spec.commission))
    for person in spec.people:
        if person.commission is not None:
            run(
                f"commission of @{person.handle}", system, _plan(cast._need(person.handle), person.commission)
            )

    events: list[tuple[datetime, int, str, Callable[[], Any]]] = []
    for i, item in enumerate(history):
        for when, what, fn in _history_events(item, cast, studio, first_turn, run):
            events.append((when, i, what, fn))
    for when, _, _, fn in sorted(events, key=lambda e: (e[0], e[1])):
        clock.now = when
        fn()
    clock.now = first_turn
    return cast


def _history_events(
    item: HistorySession,
    cast: Cast,
    studio: Studio,
    first_turn: datetime,
    run: Callable[[str, Actor, Any], Any],
) -> list[tuple[datetime, str, Callable[[], Any]]]:
    """The timed commands that make one history session what the file says it is."""
    what = f"history session {item.trainer}/{item.client} at {item.start:%Y-%m-%dT%H:%M}"
    try:
        start = to_instant(item.start, cast.tz)
    except SpotterError as error:
        raise SetupError(f"{what}: {error}") from error
    minutes = item.duration_minutes or studio.default_session_minutes
    end = start + timedelta(minutes=minutes)
    past = start < first_turn
    status = item.status or ("validated" if past else "scheduled")
    trainer, client = cast._need(item.trainer), cast._need(item.client)
    substitute = cast._need(item.substitute_for) if item.substitute_for else None
    system = cast.system()
    holder: dict[str, uuid.UUID] = {}
    latest = first_turn - timedelta(minutes=1)

    def book() -> None:
        session = run(what, system, BookSession(trainer, client, start, minutes, item.session_type))
        holder["id"] = session.id

    def log() -> None:
        session = run(
            what,
            system,
            LogSession(trainer, client, start, minutes, item.session_type, substitute, item.note),
        )
        holder["id"] = session.id

    def then(make: Callable[[uuid.UUID], Any], actor: Actor) -> Callable[[], Any]:
        return lambda: run(what, actor, make(holder["id"]))

    if status == "scheduled":
        return [(min(start - timedelta(days=1), latest), what, book)]
    if status == "cancelled":
        cancel_at = min(start - timedelta(days=1), latest)
        return [(cancel_at - timedelta(hours=1), what, book), (cancel_at, what, then(CancelSession, system))]
    if not past:
        raise SetupError(f"{what}: a {status} session must start before the first turn")
    logged_at = max(min(end + timedelta(minutes=5), latest), start)
    if status == "no_show":
        return [(logged_at, what, log), (logged_at, what, then(MarkNoShow, system))]
    events = [(logged_at, what, log)]
    client_actor = cast.actor(item.client)
    if status == "validated":
        events.append((logged_at, what, then(ValidateSession, client_actor)))
    elif status == "disputed":
        events.append((logged_at, what, then(DisputeSession, client_actor)))
    return events


def _policy(policy: dict[str, Any]) -> dict[str, Any]:
    """Studio policy columns by name (`session_minutes` is `default_session_minutes`)."""
    columns = {c.name: c for c in Studio.__table__.columns} if hasattr(Studio, "__table__") else {}
    fixed = {"id", "name", "tz", "currency", "created_at"}
    out: dict[str, Any] = {}
    for key, value in policy.items():
        if key not in columns or key in fixed:
            allowed = ", ".join(
                sorted(set(columns) - fixed - {"default_session_minutes"} | {"session_minutes"})
            )
            raise FormatError(f"studio.policy: unknown key {key!r} (known: {allowed})")
        out[key] = money(value, f"studio.policy.{key}") if key == "drop_in_price" else value
    return out


def _plan(trainer_id: uuid.UUID | None, plan: dict[str, Any]) -> SetCommissionPlan:
    fields: dict[str, Any] = {"trainer_id": trainer_id}
    if "tiers" in plan:
        fields["tiers"] = [
            {"from": tier.get("from"), "rate": str(tier.get("rate"))} if isinstance(tier, dict) else tier
            for tier in plan["tiers"] or []
        ]
    if "mode" in plan:
        fields["mode"] = str(plan["mode"])
    if "type_rates" in plan:
        fields["type_rates"] = {str(k): str(v) for k, v in (plan["type_rates"] or {}).items()}
    if plan.get("bonus_threshold") is not None:
        fields["bonus_threshold"] = plan["bonus_threshold"]
    if plan.get("bonus_amount") is not None:
        fields["bonus_amount"] = str(plan["bonus_amount"])
    return SetCommissionPlan(**fields)


def _aware_ok(naive: datetime, tz: str) -> bool:
    try:
        to_instant(naive, tz)
    except SpotterError:
        return False
    return True
