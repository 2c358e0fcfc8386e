"""Taking notifications out of the outbox safely: claims, outcomes, retries, fallback, clean-up, health.

Rows are queued by `domain.notifications.queue` (one way in). Delivery takes
them out here:

- `claim` moves due rows from `queued` to `sending` with a lease, in one
  statement per batch. On PostgreSQL the candidates are locked with `FOR
  UPDATE SKIP LOCKED`, so several schedulers on one database split the queue
  and never take the same row; on SQLite the claim is one conditional `UPDATE
  ... RETURNING` (SQLite runs one writer at a time, so the condition `status =
  'queued'` is the lock). A row is claimed by exactly one worker.
- `finish` records each row's outcome; a sent row is only marked if it is
  still the claimer's (`status = 'sending'`).
- A failed send is retried with exponential backoff (`RETRY_DELAYS`); after
  `TRIES_PER_CHANNEL` failures the row falls back to the person's next channel;
  when none is left it is `failed` and the studio's admins get a
  `delivery_failure` notification (itself never alerted on, so alerts cannot loop).
- A row whose lease ran out (its worker died mid-send) is `stuck`; `recover`
  puts it back in the queue. Only a crash between a send and its mark can
  repeat a message; nothing else can.

Statuses: queued, sending, sent, held (waiting for the person's weekly digest),
digested (folded into one), skipped (stopped by the person, or nobody to tell),
failed, withdrawn (the change it announced was undone).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from domain import notifications
from domain.actor import Actor
from domain.model import ChatIdentity, EmailLog, Notification, Person, PersonRole, Role, SpentLink, Studio
from domain.reminders.kinds import DELIVERY_FAILURE
from domain.store import Store, UnitOfWork

LEASE = timedelta(minutes=15)
TRIES_PER_CHANNEL = 3
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))
DONE = ("sent", "digested", "skipped", "withdrawn", "failed")
N = Notification


@dataclass(frozen=True)
class Claimed:
    """A row taken for delivery (plain values: it outlives the claim's transaction)."""

    id: uuid.UUID
    studio_id: uuid.UUID
    recipient_id: uuid.UUID
    kind: str
    text: str
    options: tuple[tuple[str, str], ...]
    session_id: uuid.UUID | None
    channel: str | None
    attempts: int
    due_at: datetime


@dataclass(frozen=True)
class Outcome:
    """What became of a claimed row. `status`: sent | retry | held | skipped | deferred | failed."""

    id: uuid.UUID
    status: str
    channel: str | None = None
    error: str | None = None
    next_at: datetime | None = None  # retry / deferred: when to try again
    attempts: int | None = None  # retry / fallback: the row's attempts on `channel`
    address: str | None = None  # e-mail: the address tried (kept in the e-mail log)
    subject: str | None = None


_CLAIM_COLUMNS = (
    N.id,
    N.studio_id,
    N.recipient_id,
    N.kind,
    N.text,
    N.options,
    N.session_id,
    N.channel,
    N.attempts,
    N.due_at,
)


def _due_rows(now: datetime) -> Any:
    return and_(
        N.status == "queued", N.due_at <= now, or_(N.next_attempt_at.is_(None), N.next_attempt_at <= now)
    )


def claim(store: Store, now: datetime, limit: int = 500, lease: timedelta = LEASE) -> list[Claimed]:
    """Take up to `limit` due rows for this worker alone (see the module docstring)."""
    with store.sessions() as db, db.begin():
        candidates = select(N.id).where(_due_rows(now)).order_by(N.due_at).limit(limit)
        if db.get_bind().dialect.name == "postgresql":
            # A CTE is evaluated once: its LIMIT and its row locks hold (an IN-subquery may be re-planned).
            chosen = candidates.with_for_update(skip_locked=True).cte("chosen")
            where = [N.id == chosen.c.id]
        else:
            where = [N.id.in_(candidates.scalar_subquery()), N.status == "queued"]
        stmt = (
            update(N)
            .where(*where)
            .values(status="sending", next_attempt_at=now + lease)
            .returning(*_CLAIM_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        rows = db.execute(stmt).all()
    return [
        Claimed(
            r.id,
            r.studio_id,
            r.recipient_id,
            r.kind,
            r.text,
            tuple((str(o.get("label", "")), str(o.get("payload", ""))) for o in (r.options or [])),
            r.session_id,
            r.channel,
            int(r.attempts or 0),
            r.due_at,
        )  # fmt: skip
        for r in rows
    ]


def retry_delay(attempts: int) -> timedelta:
    """The wait before try number `attempts + 1` on the same channel."""
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


def after_failure(row: Claimed, channel: str, remaining: Sequence[str], error: str, now: datetime) -> Outcome:
    """A failed send: retry on the same channel, fall back to the next one, or give up."""
    tries = (row.attempts if row.channel in (None, channel) else 0) + 1
    if tries < TRIES_PER_CHANNEL:
        return Outcome(row.id, "retry", channel, f"{channel}: {error}", now + retry_delay(tries), tries)
    later = [c for c in remaining if c != channel]
    if later:
        return Outcome(row.id, "retry", later[0], f"{channel}: {error}; trying {later[0]}", now, 0)
    return Outcome(row.id, "failed", channel, f"{channel}: {error}", None, tries)


def finish(
    store: Store, outcomes: Iterable[Outcome], now: datetime, by_id: dict[uuid.UUID, Claimed] | None = None
) -> None:
    """Record the outcomes of claimed rows (one statement for all the sent ones)."""
    outcomes = list(outcomes)
    with store.sessions() as db, db.begin():
        sent: dict[str | None, list[uuid.UUID]] = {}
        for o in outcomes:
            if o.status == "sent":
                sent.setdefault(o.channel, []).append(o.id)
        for channel, ids in sent.items():
            for start in range(0, len(ids), 1000):
                db.execute(
                    update(N)
                    .where(N.id.in_(ids[start : start + 1000]), N.status == "sending")
                    .values(status="sent", sent_at=now, channel=channel, next_attempt_at=None)
                    .execution_options(synchronize_session=False)
                )
        failed: list[Outcome] = []
        for o in outcomes:
            if o.status == "sent":
                continue
            values: dict[str, Any] = {"next_attempt_at": None}
            if o.status == "retry":
                values.update(
                    status="queued",
                    channel=o.channel,
                    attempts=o.attempts,
                    last_error=o.error,
                    next_attempt_at=o.next_at,
                )
            elif o.status == "deferred":
                values.update(status="queued", next_attempt_at=o.next_at)
            elif o.status in ("held", "skipped"):
                values.update(status=o.status, last_error=o.error)
            elif o.status == "failed":
                values.update(status="failed", channel=o.channel, last_error=o.error)
                if o.attempts is not None:
                    values["attempts"] = o.attempts
                failed.append(o)
            else:
                raise ValueError(f"unknown outcome {o.status!r}")
            db.execute(
                update(N)
                .where(N.id == o.id, N.status == "sending")
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        for o in outcomes:
            if o.channel == "email" and o.address:
                row = (by_id or {}).get(o.id)
                db.add(
                    EmailLog(
                        studio_id=row.studio_id if row else None,
                        notification_id=o.id,
                        to_address=o.address[:320],
                        subject=(o.subject or "")[:300],
                        status="sent" if o.status == "sent" else "failed",
                        error=None if o.status == "sent" else o.error,
                        created_at=now,
                    )
                )
        for o in failed:
            row = (by_id or {}).get(o.id)
            if row is not None and row.kind != DELIVERY_FAILURE:
                alert_admins(db, row, o, now)


def admins(db: Session, studio_id: uuid.UUID) -> list[uuid.UUID]:
    """Who hears of delivery failures: the studio's admins, else its managers."""
    rows = db.execute(
        select(Person.id, PersonRole.role)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.studio_id == studio_id,
            Person.active.is_(True),
            PersonRole.role.in_([Role.ADMIN.value, Role.MANAGER.value]),
        )
    ).all()
    found = [pid for pid, role in rows if role == Role.ADMIN.value]
    return list(dict.fromkeys(found or [pid for pid, _ in rows]))


def alert_admins(db: Session, row: Claimed, outcome: Outcome, now: datetime) -> None:
    name = db.scalar(select(Person.full_name).where(Person.id == row.recipient_id)) or "someone"
    uow = UnitOfWork(db, Actor.system(row.studio_id, "scheduler"), now)
    for admin in admins(db, row.studio_id):
        if admin == row.recipient_id:
            continue
        notifications.queue(
            uow,
            admin,
            DELIVERY_FAILURE,
            f"I couldn't deliver a message ({row.kind.replace('_', ' ')}) to {name}: {outcome.error}. "
            "Please check how they can be reached.",
            dedupe_key=f"delivery_failure:{row.id.hex}:{admin.hex}",
        )


# --- who can be reached where ------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    person_id: uuid.UUID
    full_name: str
    active: bool
    addresses: tuple[tuple[str, str], ...]  # (channel, external id) in the order to try


def recipients(
    db: Session, person_ids: Iterable[uuid.UUID], preferred: dict[uuid.UUID, tuple[str, ...]]
) -> dict[uuid.UUID, Recipient]:
    """Each person's channels: their preferred order first, then linked chats (oldest first), then e-mail."""
    ids = list(set(person_ids))
    people: dict[uuid.UUID, tuple[str, bool, str | None]] = {}
    chats: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        for pid, name, active, email in db.execute(
            select(Person.id, Person.full_name, Person.active, Person.email).where(Person.id.in_(chunk))
        ):
            people[pid] = (name, active, email)
        for pid, channel, external in db.execute(
            select(ChatIdentity.person_id, ChatIdentity.channel, ChatIdentity.external_id)
            .where(ChatIdentity.person_id.in_(chunk))
            .order_by(ChatIdentity.created_at, ChatIdentity.id)
        ):
            chats.setdefault(pid, []).append((channel, external))
    out = {}
    for pid, (name, active, email) in people.items():
        found = list(chats.get(pid, []))
        if email:
            found.append(("email", email))
        order = {c: i for i, c in enumerate(preferred.get(pid, ()))}
        found.sort(key=lambda a: order.get(a[0], len(order)))
        seen: set[str] = set()
        unique = tuple(a for a in found if not (a[0] in seen or seen.add(a[0])))  # type: ignore[func-returns-value]
        out[pid] = Recipient(pid, name, bool(active), unique)
    return out


# --- digests -----------------------------------------------------------------------------------------


def held_for(db: Session, person_id: uuid.UUID, kinds_ok: Any, now: datetime) -> list[Notification]:
    """Rows waiting for a person's weekly digest: held by delivery, or still queued and digestible."""
    rows = db.scalars(
        select(N)
        .where(N.recipient_id == person_id, N.status.in_(["held", "queued"]), N.created_at <= now)
        .order_by(N.created_at, N.id)
    ).all()
    return [r for r in rows if r.status == "held" or kinds_ok(r.kind)]


def mark_digested(db: Session, ids: list[uuid.UUID]) -> None:
    if ids:
        db.execute(
            update(N)
            .where(N.id.in_(ids), N.status.in_(["held", "queued"]))
            .values(status="digested")
            .execution_options(synchronize_session=False)
        )


# --- housekeeping ------------------------------------------------------------------------------------


def recover(store: Store, now: datetime) -> int:
    """Put rows whose worker died mid-send (lease over) back in the queue."""
    with store.sessions() as db, db.begin():
        result = db.execute(
            update(N)
            .where(N.status == "sending", N.next_attempt_at < now)
            .values(
                status="queued", next_attempt_at=None, last_error="delivery was interrupted; trying again"
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount or 0)


def clean_up(store: Store, now: datetime) -> dict[str, int]:
    """Delete finished rows, e-mail logs and spent links older than each studio's retention period."""
    removed = {"notifications": 0, "email_log": 0, "spent_links": 0}
    with store.sessions() as db, db.begin():
        for studio_id, days in db.execute(select(Studio.id, Studio.notification_retention_days)).all():
            if not days or days <= 0:
                continue
            before = now - timedelta(days=int(days))
            # The e-mail log first: it points at notifications (SET NULL would keep it otherwise).
            removed["email_log"] += int(
                db.execute(
                    delete(EmailLog).where(EmailLog.studio_id == studio_id, EmailLog.created_at < before)
                ).rowcount
                or 0
            )
            removed["notifications"] += int(
                db.execute(
                    delete(N).where(
                        N.studio_id == studio_id,
                        N.status.in_(DONE),
                        func.coalesce(N.sent_at, N.created_at) < before,
                    )
                ).rowcount
                or 0
            )
        removed["spent_links"] = int(
            db.execute(delete(SpentLink).where(SpentLink.expires_at < now)).rowcount or 0
        )
    return removed


@dataclass(frozen=True)
class Health:
    due: int  # queued and due now
    waiting: int  # queued for later (not yet due, deferred past quiet hours, backing off)
    retrying: int  # queued after at least one failed try
    stuck: int  # claimed, lease over: the worker died mid-send
    failed: int  # given up (admins were told)
    held: int  # waiting for someone's weekly digest
    oldest_due: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "due": self.due, "waiting": self.waiting, "retrying": self.retrying, "stuck": self.stuck,
            "failed": self.failed, "held": self.held,
            "oldest_due": self.oldest_due.isoformat() if self.oldest_due else None,
        }  # fmt: skip


def health(store: Store, now: datetime) -> Health:
    with store.sessions() as db:
        due_where = _due_rows(now)
        due, oldest = db.execute(select(func.count(), func.min(N.due_at)).where(due_where)).one()
        counts = dict(db.execute(select(N.status, func.count()).group_by(N.status)).all())
        retrying = (
            db.scalar(
                select(func.count()).where(
                    N.status == "queued", or_(N.attempts > 0, N.last_error.is_not(None))
                )
            )
            or 0
        )
        stuck = db.scalar(select(func.count()).where(N.status == "sending", N.next_attempt_at < now)) or 0
    return Health(
        due=int(due or 0),
        waiting=int(counts.get("queued", 0)) - int(due or 0),
        retrying=int(retrying),
        stuck=int(stuck),
        failed=int(counts.get("failed", 0)),
        held=int(counts.get("held", 0)),
        oldest_due=oldest,
    )
