"""The delivery loop: claimed outbox rows become messages on the person's channel.

`deliver(store, channels, now)` claims due rows (domain.outbox: exactly one
worker gets each), decides per row with the person's choices — stopped
kind: skipped; weekly digest: held for it; quiet hours: deferred to their end
(same-day session changes excepted) —, renders a `Reply` (text + options) and
calls the channel through the `Channel` protocol, then records every outcome
in one go. Failures back off and fall back to the person's next channel
(domain.outbox.after_failure). Sends run concurrently, bounded by `PARALLEL`.

A channel may take more than `send(external_id, reply)`: one with
`send_envelope(envelope)` (e-mail) gets the kind, the studio's branding and
signed one-click links for the options as well.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select

from bot.messages import Option, Reply
from domain import outbox
from domain.model import Studio, TrainingSession
from domain.outbox import Claimed, Outcome
from domain.reminders import kinds as K
from domain.reminders import links
from domain.reminders.preferences import exempt_from_quiet, load_prefs, quiet_until
from domain.store import Store

log = logging.getLogger("spotter.delivery")
PARALLEL = 50
SEND_TIMEOUT = 60.0
BATCH = 500
ELSEWHERE_DELAY = timedelta(minutes=2)  # a row only another process's channels can send


class Sender(Protocol):
    name: str

    async def send(self, external_id: str, reply: Reply) -> None: ...


@dataclass(frozen=True)
class Branding:
    name: str
    logo_url: str | None
    colour: str
    tz: str


@dataclass(frozen=True)
class Envelope:
    """Everything a richer channel (e-mail) may use to present one notification."""

    notification_id: uuid.UUID
    recipient_id: uuid.UUID
    recipient_name: str
    external_id: str
    kind: str
    reply: Reply
    studio: Branding
    links: dict[str, str] = field(default_factory=dict)  # option payload -> one-click URL; "stop" -> opt-out


@dataclass
class DeliveryResult:
    claimed: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    def to_json(self) -> dict[str, Any]:
        return {"claimed": self.claimed, **dict(sorted(self.counts.items()))}


@dataclass
class LinkMaker:
    """Signed one-click links for e-mails (only when a secret key and a public address are set)."""

    key: bytes
    base_url: str

    def url(self, action: str, person_id: uuid.UUID, session_id: uuid.UUID | None, now: datetime) -> str:
        return f"{self.base_url.rstrip('/')}/link/{links.make_token(self.key, action, person_id, session_id, now)}"

    def for_options(
        self, options: tuple[tuple[str, str], ...], person_id: uuid.UUID, now: datetime
    ) -> dict[str, str]:
        out = {"stop": self.url("stop", person_id, None, now)}
        for _, payload in options:
            verb, _, arg = payload.partition(":")
            if verb in ("validate", "dispute"):
                try:
                    out[payload] = self.url(verb, person_id, uuid.UUID(arg), now)
                except ValueError:
                    continue
        return out


async def deliver(
    store: Store,
    channels: Mapping[str, Sender],
    now: datetime | None = None,
    *,
    batch: int = BATCH,
    linker: LinkMaker | None = None,
    max_batches: int | None = None,
) -> DeliveryResult:
    """Deliver everything due now, batch by batch, until the queue has nothing due (or `max_batches`)."""
    result = DeliveryResult()
    done = 0
    while max_batches is None or done < max_batches:
        at = now or store.clock()
        rows = await asyncio.to_thread(outbox.claim, store, at, batch)
        if not rows:
            break
        result.claimed += len(rows)
        outcomes = await _deliver_batch(store, channels, rows, at, linker)
        await asyncio.to_thread(outbox.finish, store, outcomes, at, {r.id: r for r in rows})
        for o in outcomes:
            result.add(o.status)
        done += 1
    return result


def deliver_now(
    store: Store, channels: Mapping[str, Sender], now: datetime | None = None, **kw: Any
) -> DeliveryResult:
    """`deliver` for synchronous callers (the CLI tick)."""
    return asyncio.run(deliver(store, channels, now, **kw))


@dataclass(frozen=True)
class _Plan:
    row: Claimed
    outcome: Outcome | None  # decided without sending
    addresses: tuple[tuple[str, str], ...] = ()
    name: str = ""
    branding: Branding | None = None


def _plan(store: Store, channels: Mapping[str, Sender], rows: list[Claimed], now: datetime) -> list[_Plan]:
    """Per row: what the person's choices say, and where it can go (one set of queries per batch)."""
    plans: list[_Plan] = []
    with store.sessions() as db:
        studios = {
            s.id: s for s in db.scalars(select(Studio).where(Studio.id.in_({r.studio_id for r in rows})))
        }
        session_ids = {r.session_id for r in rows if r.session_id and r.kind in K.SESSION_CHANGES}
        starts = (
            dict(
                db.execute(
                    select(TrainingSession.id, TrainingSession.start_at).where(
                        TrainingSession.id.in_(session_ids)
                    )
                ).all()
            )
            if session_ids
            else {}
        )
        prefs = {}
        for studio_id, studio in studios.items():
            prefs.update(load_prefs(db, studio, {r.recipient_id for r in rows if r.studio_id == studio_id}))
        people = outbox.recipients(
            db, {r.recipient_id for r in rows}, {pid: p.channels for pid, p in prefs.items()}
        )
    for row in rows:
        studio = studios.get(row.studio_id)
        person = people.get(row.recipient_id)
        p = prefs.get(row.recipient_id)
        if studio is None or person is None or p is None or not person.active:
            plans.append(_Plan(row, Outcome(row.id, "skipped", error="the recipient is no longer here")))
            continue
        if p.stopped(row.kind):
            plans.append(_Plan(row, Outcome(row.id, "skipped", error="stopped by the recipient")))
            continue
        if p.digest and K.digestible(row.kind):
            plans.append(_Plan(row, Outcome(row.id, "held")))
            continue
        quiet = quiet_until(p, studio.tz, now)
        if quiet is not None and not exempt_from_quiet(row.kind, starts.get(row.session_id), studio.tz, now):
            plans.append(_Plan(row, Outcome(row.id, "deferred", next_at=quiet)))
            continue
        usable = tuple(a for a in person.addresses if a[0] in channels)
        if row.channel is not None:  # a fallback in progress: carry on from that channel
            names = [a[0] for a in usable]
            usable = usable[names.index(row.channel) :] if row.channel in names else usable
        if not usable and person.addresses:
            # Reachable, but not from this process (a cron tick without the chat channels):
            # left for a process that runs them.
            plans.append(_Plan(row, Outcome(row.id, "deferred", next_at=now + ELSEWHERE_DELAY)))
            continue
        if not usable:
            plans.append(
                _Plan(
                    row, Outcome(row.id, "failed", error="no channel reaches them (no linked chat or e-mail)")
                )
            )
            continue
        branding = Branding(studio.name, studio.brand_logo_url, studio.brand_colour, studio.tz)
        plans.append(_Plan(row, None, usable, person.full_name, branding))
    return plans


async def _deliver_batch(
    store: Store, channels: Mapping[str, Sender], rows: list[Claimed], now: datetime, linker: LinkMaker | None
) -> list[Outcome]:
    plans = await asyncio.to_thread(_plan, store, channels, rows, now)
    limit = asyncio.Semaphore(PARALLEL)

    async def one(plan: _Plan) -> Outcome:
        if plan.outcome is not None:
            return plan.outcome
        async with limit:
            return await _send(plan, channels, now, linker)

    return list(await asyncio.gather(*(one(p) for p in plans)))


async def _send(
    plan: _Plan, channels: Mapping[str, Sender], now: datetime, linker: LinkMaker | None
) -> Outcome:
    row = plan.row
    channel_name, external_id = plan.addresses[0]
    channel = channels[channel_name]
    reply = Reply(row.text, tuple(Option(label, payload) for label, payload in row.options))
    try:
        envelope_send = getattr(channel, "send_envelope", None)
        if envelope_send is not None:
            assert plan.branding is not None
            made = linker.for_options(row.options, row.recipient_id, now) if linker else {}
            envelope = Envelope(
                row.id, row.recipient_id, plan.name, external_id, row.kind, reply, plan.branding, made
            )
            subject = await asyncio.wait_for(envelope_send(envelope), SEND_TIMEOUT)
            return Outcome(
                row.id, "sent", channel_name, address=external_id, subject=str(subject or "")[:300]
            )
        else:
            await asyncio.wait_for(channel.send(external_id, reply), SEND_TIMEOUT)
    except Exception as error:  # noqa: BLE001 - any failure of a channel is a failed try, recorded
        message = f"{type(error).__name__}: {error}"[:500]
        log.warning("delivery of %s via %s failed: %s", row.id, channel_name, message)
        failed = outbox.after_failure(row, channel_name, [a[0] for a in plan.addresses], message, now)
        return replace(failed, address=external_id) if channel_name == "email" else failed
    return Outcome(row.id, "sent", channel_name)
