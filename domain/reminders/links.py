"""Signed one-click links for e-mails: confirm or dispute a session, stop reminders.

A token says what to do, for whom, until when, with a random nonce, and is
signed with HMAC-SHA256 under `SPOTTER_SECRET_KEY`. Nothing is stored when it
is made; when it is used, its nonce goes into `spent_links` in the same
transaction as the action, so a second use meets the primary key and is
refused. A tampered, expired or reused link is refused before anything
changes, and an action the domain refuses (the session was already disputed)
leaves the link unspent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from domain import notifications
from domain.actor import Actor
from domain.commands import DisputeSession, ValidateSession
from domain.errors import InvalidInput, SpotterError
from domain.model import Person, SpentLink
from domain.reminders.kinds import CATEGORIES
from domain.reminders.preferences import set_opt_out
from domain.store import Store, UnitOfWork
from domain.timeutil import when_words

ACTIONS = ("validate", "dispute", "stop")
LIFETIME = timedelta(days=14)


class LinkRefused(InvalidInput):
    """The link cannot be used (tampered, expired, used, or not for this store); nothing changed."""


def secret_key(environ: dict[str, str] | None = None) -> bytes:
    value = (environ if environ is not None else os.environ).get("SPOTTER_SECRET_KEY", "").strip()
    if len(value) < 16:
        raise InvalidInput("Set SPOTTER_SECRET_KEY (at least 16 characters) to sign one-click links.")
    return value.encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _sign(body: str, key: bytes) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest()[:20])


def make_token(
    key: bytes,
    action: str,
    person_id: uuid.UUID,
    session_id: uuid.UUID | None,
    now: datetime,
    lifetime: timedelta = LIFETIME,
) -> str:
    """A signed token: action.person.session.expiry.nonce.signature (URL-safe)."""
    if action not in ACTIONS:
        raise ValueError(action)
    expires = int((now + lifetime).timestamp())
    body = ".".join(
        [
            action,
            person_id.hex,
            session_id.hex if session_id else "-",
            str(expires),
            secrets.token_urlsafe(12),
        ]
    )
    return f"{body}.{_sign(body, key)}"


@dataclass(frozen=True)
class Link:
    action: str
    person_id: uuid.UUID
    session_id: uuid.UUID | None
    expires_at: datetime
    nonce: str


def read_token(key: bytes, token: str, now: datetime) -> Link:
    """The link a token carries, or LinkRefused (bad signature, malformed, expired)."""
    parts = token.strip().split(".")
    if len(parts) != 6:
        raise LinkRefused("That link is not valid.")
    body, signature = ".".join(parts[:5]), parts[5]
    if not hmac.compare_digest(_sign(body, key), signature):
        raise LinkRefused("That link is not valid.")
    action, person, session, expires, nonce = parts[:5]
    try:
        link = Link(
            action,
            uuid.UUID(person),
            None if session == "-" else uuid.UUID(session),
            datetime.fromtimestamp(int(expires), UTC),
            nonce,
        )
    except ValueError:
        raise LinkRefused("That link is not valid.") from None
    if link.action not in ACTIONS:
        raise LinkRefused("That link is not valid.")
    if now >= link.expires_at:
        raise LinkRefused("That link has expired. Please reply in the chat or ask your studio.")
    return link


def use_link(store: Store, key: bytes, token: str) -> str:
    """Do what a link says, once; returns the sentence to show. Refusals raise (nothing changed)."""
    now = store.clock()
    link = read_token(key, token, now)

    def work(uow: UnitOfWork) -> str:
        person = uow.db.get(Person, link.person_id)
        if person is None or not person.active:
            raise LinkRefused("That link is not valid.")
        try:
            with uow.db.begin_nested():
                uow.db.add(
                    SpentLink(
                        nonce=link.nonce,
                        person_id=person.id,
                        action=link.action,
                        expires_at=link.expires_at,
                        used_at=now,
                    )
                )
                uow.db.flush()
        except IntegrityError:
            raise LinkRefused("That link was already used.") from None
        actor = Actor.of(person, "email")
        acting = UnitOfWork(uow.db, actor, now)
        if link.action == "stop":
            set_opt_out(uow.db, person.id, CATEGORIES, True, now)
            return "Done: you won't get reminders any more. Say “resume reminders” in the chat to get them again."
        if link.session_id is None:
            raise LinkRefused("That link is not valid.")
        if link.action == "validate":
            done = acting.execute(ValidateSession(link.session_id))
            return f"Thanks! Your session on {when_words(done.start_at, acting.policy.tz)} is confirmed."
        done = acting.execute(DisputeSession(link.session_id))
        when = when_words(done.start_at, acting.policy.tz)
        notifications.queue(
            acting,
            done.trainer_id,
            "dispute",
            f"{person.full_name} says the session on {when} didn't happen, so it is now disputed. "
            "A manager will look into it.",
            dedupe_key=f"disputed:{done.id.hex}",
            session_id=done.id,
        )
        return f"Thanks for telling us. Your session on {when} is marked as disputed; a manager will look into it."

    studio_id = _studio_of(store, link.person_id)
    try:
        return store.run(Actor.system(studio_id, "email"), work)
    except LinkRefused:
        raise
    except SpotterError as error:
        raise LinkRefused(str(error)) from error


def _studio_of(store: Store, person_id: uuid.UUID) -> uuid.UUID:
    with store.sessions() as db:
        person = db.get(Person, person_id)
        if person is None:
            raise LinkRefused("That link is not valid.")
        return person.studio_id
