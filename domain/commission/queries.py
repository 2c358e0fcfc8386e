"""Commission queries: a trainer's statement, their month's total, and raw lines for stats.

`statement` and `month_commission` take a Store or an open SQLAlchemy session
plus the Actor, and check "view_commission" (managers and admins: any
trainer; a trainer: only their own). `commission_lines` is the building block
other queries use (the `commission` stats metric, projections): it takes the
session and the studio, does no authorization of its own — the caller has
already decided what the actor may see — and returns lines with their
trainer and session ids so they can be grouped by session attributes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from sqlalchemy.orm import Session

from domain.actor import Actor
from domain.authz import SELF, STUDIO, refuse, require_role
from domain.commission import statements
from domain.commission.statements import Statement, StatementLine
from domain.errors import NotFound
from domain.model import Person, Studio
from domain.store import Store

T = TypeVar("T")


def _read(source: Store | Session, actor: Actor, work: Callable[[Session, Studio], T]) -> T:
    if isinstance(source, Store):
        return source.run(actor, lambda uow: work(uow.db, uow.studio))
    studio = source.get(Studio, actor.studio_id)
    if studio is None:
        raise NotFound("That studio does not exist.")
    return work(source, studio)


def _may_view(db: Session, actor: Actor, trainer_id: uuid.UUID) -> None:
    found = require_role(actor, "view_commission")
    trainer = db.get(Person, trainer_id)
    if trainer is None or trainer.studio_id != actor.studio_id:
        raise NotFound("I can't find that trainer in this studio.")
    if STUDIO in found or (SELF in found and actor.person_id == trainer_id):
        return
    raise refuse("view_commission")


def statement(source: Store | Session, actor: Actor, trainer_id: uuid.UUID, month: str) -> Statement:
    """The trainer's statement for a month ("YYYY-MM"): approved and frozen, or a live draft."""

    def work(db: Session, studio: Studio) -> Statement:
        _may_view(db, actor, trainer_id)
        return statements.build(db, studio, trainer_id, month)

    return _read(source, actor, work)


def month_commission(source: Store | Session, actor: Actor, trainer_id: uuid.UUID, month: str) -> Decimal:
    """What the trainer's statement for the month totals (what they are paid for it).

    That is the month's own commission plus any adjustments it carries; the
    month's own part alone is `statement(...).earned`.
    """
    return statement(source, actor, trainer_id, month).total


def commission_lines(
    db: Session, studio: Studio | uuid.UUID, trainer_id: uuid.UUID | None, month: str
) -> list[StatementLine]:
    """Every line of the month's statements (one trainer, or all with `trainer_id` None).

    Approved months give their frozen lines; open months their live draft.
    Line kinds: `session` (session_id set), `bonus`, `adjustment` (session_id =
    the corrected session, from an earlier month). No authorization here.
    """
    if not isinstance(studio, Studio):
        found = db.get(Studio, studio)
        if found is None:
            raise NotFound("That studio does not exist.")
        studio = found
    return statements.all_lines(db, studio, month, None if trainer_id is None else [trainer_id])
