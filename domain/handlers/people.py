"""Handlers: people — adding and updating them, chat identities, onboarding codes, hours, time off, tags."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select

from domain import audit
from domain.actor import Actor
from domain.authz import STUDIO, require_person, require_role
from domain.commands import (
    AddPerson,
    AddTimeOff,
    IssueLinkCode,
    LinkIdentity,
    RedeemLinkCode,
    SetWorkingHours,
    TagClient,
    UpdatePerson,
)
from domain.errors import Conflict, InvalidInput, NotAllowed
from domain.handlers.common import get_person, get_trainer
from domain.model import ChatIdentity, ClientTag, LinkCode, Person, PersonRole, Role, TimeOff, WorkingHours
from domain.store import UnitOfWork, handles
from domain.timeutil import to_utc

HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# No 0/O, 1/I/L: a code read aloud or copied from paper survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(days=7)
INVALID_CODE = (
    "That code isn't valid — it may have expired or been used already. Ask your studio for a new one."
)


def person_snapshot(person: Person) -> dict:
    data = audit.snapshot(person) or {}
    data["roles"] = sorted(person.roles)
    return data


def _clean_email(uow: UnitOfWork, email: str | None, person_id=None) -> str | None:  # type: ignore[no-untyped-def]
    if email is None:
        return None
    email = email.strip().lower()
    if not email:
        return None
    if not EMAIL.match(email):
        raise InvalidInput(f"“{email}” doesn't look like an e-mail address.")
    taken = uow.db.scalars(
        select(Person).where(Person.studio_id == uow.actor.studio_id, Person.email == email)
    ).first()
    if taken is not None and taken.id != person_id:
        raise Conflict(f"{taken.full_name} already uses {email}.")
    return email


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("A person needs a name.")
    if len(name) > 200:
        raise InvalidInput("That name is too long.")
    return name


def _primary_trainer(uow: UnitOfWork, trainer_id):  # type: ignore[no-untyped-def]
    return None if trainer_id is None else get_trainer(uow, trainer_id).id


@handles(AddPerson)
def add_person(uow: UnitOfWork, cmd: AddPerson) -> Person:
    """Managers add anyone (only an admin adds an admin); a trainer adds clients of their own."""
    scopes = require_role(uow.actor, "add_person")
    try:
        roles = frozenset(Role(r) for r in cmd.roles)
    except ValueError as error:
        raise InvalidInput("Roles are admin, manager, trainer and client.") from error
    if not roles:
        raise InvalidInput("A person needs at least one role.")
    primary = cmd.primary_trainer_id
    if STUDIO not in scopes:  # a trainer adding their own client
        if roles != {Role.CLIENT}:
            raise NotAllowed("Sorry, you can only add clients.")
        if primary not in (None, uow.actor.person_id):
            raise NotAllowed("Sorry, you can only add clients of your own.")
        primary = uow.actor.person_id
    if Role.ADMIN in roles and not uow.actor.is_admin:
        raise NotAllowed("Sorry, only an admin can add another admin.")
    handle = (cmd.handle or "").strip().lstrip("@").lower()
    if not HANDLE.match(handle):
        raise InvalidInput("A handle is one word of letters, digits, dots, dashes or underscores.")
    taken = uow.db.scalars(
        select(Person).where(Person.studio_id == uow.actor.studio_id, Person.handle == handle)
    ).first()
    if taken is not None:
        raise Conflict(f"{taken.full_name} already goes by @{handle}.")
    person = Person(
        studio_id=uow.actor.studio_id,
        handle=handle,
        full_name=_clean_name(cmd.full_name),
        email=_clean_email(uow, cmd.email),
        phone=(cmd.phone or "").strip() or None,
        primary_trainer_id=_primary_trainer(uow, primary),
        notes=cmd.notes,
        active=True,
        created_at=uow.now,
    )
    person.role_rows = [PersonRole(role=r.value) for r in sorted(roles)]
    person.tag_rows = []
    uow.db.add(person)
    uow.db.flush()
    audit.record(uow.db, uow.actor, "add_person", "person", person.id, None, person_snapshot(person))
    return person


# Fields a role may change on someone it reaches (managers and admins: all of them).
TRAINER_FIELDS = {"full_name", "email", "phone", "primary_trainer_id", "notes"}
SELF_FIELDS = {"full_name", "email", "phone"}


@handles(UpdatePerson)
def update_person(uow: UnitOfWork, cmd: UpdatePerson) -> Person:
    person = get_person(uow, cmd.person_id)
    require_person(uow.db, uow.actor, "update_person", person)
    changes = cmd.changes()
    if not uow.actor.is_manager:
        allowed = TRAINER_FIELDS if uow.actor.is_trainer else SELF_FIELDS
        if uow.actor.person_id == person.id and not uow.actor.is_trainer:
            allowed = SELF_FIELDS
        forbidden = sorted(set(changes) - allowed)
        if forbidden:
            raise NotAllowed(f"Sorry, you can't change {forbidden[0].replace('_id', '').replace('_', ' ')}.")
    before = person_snapshot(person)
    if "full_name" in changes:
        changes["full_name"] = _clean_name(changes["full_name"])
    if "email" in changes:
        changes["email"] = _clean_email(uow, changes["email"], person.id)
    if "phone" in changes:
        changes["phone"] = (changes["phone"] or "").strip() or None
    if "primary_trainer_id" in changes:
        changes["primary_trainer_id"] = _primary_trainer(uow, changes["primary_trainer_id"])
        if changes["primary_trainer_id"] == person.id:
            raise InvalidInput("A person can't be their own primary trainer.")
    if "active" in changes:
        changes["active"] = bool(changes["active"])
    changes = {k: v for k, v in changes.items() if getattr(person, k) != v}
    if not changes:
        return person
    for key, value in changes.items():
        setattr(person, key, value)
    uow.db.flush()
    audit.record(uow.db, uow.actor, "update_person", "person", person.id, before, person_snapshot(person))
    return person


def _link(uow: UnitOfWork, person: Person, channel: str, external_id: str) -> tuple[ChatIdentity, bool]:
    """The identity (channel, external_id) for person; (identity, created?). Refuses one owned by someone else."""
    channel = (channel or "").strip().lower()
    external_id = str(external_id or "").strip()
    if not channel or not external_id:
        raise InvalidInput("I need the chat channel and the account id to link.")
    existing = uow.db.scalars(
        select(ChatIdentity).where(ChatIdentity.channel == channel, ChatIdentity.external_id == external_id)
    ).first()
    if existing is not None:
        if existing.person_id == person.id:
            return existing, False
        raise Conflict(f"That {channel} account is already linked to someone else.")
    identity = ChatIdentity(person_id=person.id, channel=channel, external_id=external_id, created_at=uow.now)
    uow.db.add(identity)
    uow.db.flush()
    return identity, True


@handles(LinkIdentity)
def link_identity(uow: UnitOfWork, cmd: LinkIdentity) -> ChatIdentity:
    """Linking an account already linked to the same person changes nothing (and writes nothing)."""
    person = get_person(uow, cmd.person_id)
    require_person(uow.db, uow.actor, "link_identity", person)
    identity, created = _link(uow, person, cmd.channel, cmd.external_id)
    if created:
        audit.record(
            uow.db, uow.actor, "link_identity", "chat_identity", identity.id, None, audit.snapshot(identity)
        )
    return identity


def code_hash(code: str) -> str:
    """The stored form of a link code: SHA-256 of the code without spaces/dashes, upper-cased."""
    normal = re.sub(r"[\s-]", "", code or "").upper()
    return hashlib.sha256(normal.encode()).hexdigest()


@handles(IssueLinkCode)
def issue_link_code(uow: UnitOfWork, cmd: IssueLinkCode) -> str:
    """A fresh one-time code for the person; only its hash is kept (the code is shown once)."""
    person = get_person(uow, cmd.person_id)
    require_person(uow.db, uow.actor, "issue_link_code", person)
    if not person.active:
        raise InvalidInput(f"{person.full_name} is no longer active.")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    link = LinkCode(
        studio_id=person.studio_id,
        person_id=person.id,
        code_hash=code_hash(code),
        created_by_id=uow.actor.person_id,
        created_at=uow.now,
        expires_at=uow.now + CODE_LIFETIME,
    )
    uow.db.add(link)
    uow.db.flush()
    after = {"person_id": person.id, "expires_at": link.expires_at}
    audit.record(uow.db, uow.actor, "issue_link_code", "link_code", link.id, None, after)
    return code


@handles(RedeemLinkCode)
def redeem_link_code(uow: UnitOfWork, cmd: RedeemLinkCode) -> Person:
    """Link the sender's chat account to the code's person.

    The code is the authorization: the actor may be the system actor of any
    studio (an unknown chat user has no person yet). The audit entry is
    written as the person themselves, through the command's channel.
    """
    link = uow.db.scalars(
        select(LinkCode).where(LinkCode.code_hash == code_hash(cmd.code)).with_for_update()
    ).first()
    if link is None or link.used_at is not None or link.revoked_at is not None or link.expires_at <= uow.now:
        raise InvalidInput(INVALID_CODE)
    person = uow.db.get(Person, link.person_id)
    if person is None or not person.active:
        raise InvalidInput(INVALID_CODE)
    identity, _created = _link(uow, person, cmd.channel, cmd.external_id)
    link.used_at = uow.now
    uow.db.flush()
    audit.record(
        uow.db,
        Actor.of(person, (cmd.channel or "").strip().lower() or uow.actor.channel),
        "redeem_link_code",
        "chat_identity",
        identity.id,
        None,
        {**(audit.snapshot(identity) or {}), "link_code_id": link.id, "created": _created},
    )
    return person


def hours_snapshot(db, trainer_id) -> list[list[str | int]]:  # type: ignore[no-untyped-def]
    rows = db.scalars(
        select(WorkingHours)
        .where(WorkingHours.trainer_id == trainer_id)
        .order_by(WorkingHours.weekday, WorkingHours.start_time)
    )
    return [[h.weekday, h.start_time.isoformat(), h.end_time.isoformat()] for h in rows]


@handles(SetWorkingHours)
def set_working_hours(uow: UnitOfWork, cmd: SetWorkingHours) -> list[WorkingHours]:
    """Replace the trainer's weekly hours (wall clock in the studio's zone). An empty list clears them."""
    trainer = get_trainer(uow, cmd.trainer_id)
    require_person(uow.db, uow.actor, "set_working_hours", trainer)
    hours = sorted((int(w), a, b) for w, a, b in cmd.hours)
    for weekday, start, end in hours:
        if not 0 <= weekday <= 6:
            raise InvalidInput("Weekdays go from 0 (Monday) to 6 (Sunday).")
        if end <= start:
            raise InvalidInput(f"Working hours must end after they start ({start:%H:%M}–{end:%H:%M}).")
    for (w1, _a1, b1), (w2, a2, _b2) in zip(hours, hours[1:], strict=False):
        if w1 == w2 and a2 < b1:
            raise InvalidInput("Two working-hour intervals on the same day overlap.")
    before = {"hours": hours_snapshot(uow.db, trainer.id)}
    if before["hours"] == [[w, a.isoformat(), b.isoformat()] for w, a, b in hours]:
        return list(uow.db.scalars(select(WorkingHours).where(WorkingHours.trainer_id == trainer.id)))
    for row in uow.db.scalars(select(WorkingHours).where(WorkingHours.trainer_id == trainer.id)):
        uow.db.delete(row)
    uow.db.flush()
    rows = [WorkingHours(trainer_id=trainer.id, weekday=w, start_time=a, end_time=b) for w, a, b in hours]
    uow.db.add_all(rows)
    uow.db.flush()
    after = {"hours": hours_snapshot(uow.db, trainer.id)}
    audit.record(uow.db, uow.actor, "set_working_hours", "working_hours", trainer.id, before, after)
    return rows


@handles(AddTimeOff)
def add_time_off(uow: UnitOfWork, cmd: AddTimeOff) -> TimeOff:
    trainer = get_trainer(uow, cmd.trainer_id)
    require_person(uow.db, uow.actor, "add_time_off", trainer)
    start, end = to_utc(cmd.start, "start"), to_utc(cmd.end, "end")
    if end <= start:
        raise InvalidInput("Time off must end after it starts.")
    off = TimeOff(trainer_id=trainer.id, start_at=start, end_at=end, reason=(cmd.reason or None))
    uow.db.add(off)
    uow.db.flush()
    audit.record(uow.db, uow.actor, "add_time_off", "time_off", off.id, None, audit.snapshot(off))
    return off


@handles(TagClient)
def tag_client(uow: UnitOfWork, cmd: TagClient) -> Person:
    """Tags are lower-case words ("#Knee Rehab" becomes "knee rehab"); tagging twice changes nothing."""
    client = get_person(uow, cmd.client_id, "client")
    require_person(uow.db, uow.actor, "tag_client", client)
    if Role.CLIENT not in client.roles:
        raise InvalidInput(f"{client.full_name} isn't a client.")
    tag = " ".join((cmd.tag or "").strip().lstrip("#").lower().split())
    if not tag or len(tag) > 64:
        raise InvalidInput("A tag is a short word or two.")
    before = {"tags": client.tags}
    if tag in before["tags"]:
        return client
    client.tag_rows.append(ClientTag(person_id=client.id, tag=tag))
    uow.db.flush()
    audit.record(uow.db, uow.actor, "tag_client", "client_tag", client.id, before, {"tags": client.tags})
    return client
