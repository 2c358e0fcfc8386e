"""The store's front door: run a command or a query in one unit of work.

`Store.execute(actor, command)` opens a transaction, finds the handler
registered for the command's type, runs it and commits — or rolls everything
back, audit entry included, if anything fails. Handlers receive a
`UnitOfWork` (the session, the actor, the clock, the studio); no SQLAlchemy
session ever leaves this module's callers' handlers, so the parser and the
adapters never see one.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from domain.actor import Actor
from domain.db import make_engine, session_factory
from domain.errors import DoubleBooking, NotFound
from domain.migrations.guarantees import DOUBLE_BOOKING_MARKERS
from domain.model import Studio
from domain.policy import StudioPolicy, load_policy

T = TypeVar("T")
ATTEMPTS = 3  # runs of one unit of work when the database asks for a retry
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
Clock = Callable[[], datetime]

_HANDLERS: dict[type, Callable[[UnitOfWork, Any], Any]] = {}
_HANDLER_MODULES = ("domain.handlers",)


def handles(command_type: type) -> Callable[[Callable[[UnitOfWork, Any], T]], Callable[[UnitOfWork, Any], T]]:
    """Register a function as the one handler of a command type."""

    def register(fn: Callable[[UnitOfWork, Any], T]) -> Callable[[UnitOfWork, Any], T]:
        if command_type in _HANDLERS:
            raise RuntimeError(f"two handlers for {command_type.__name__}")
        _HANDLERS[command_type] = fn
        return fn

    return register


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class UnitOfWork:
    db: Session
    actor: Actor
    now: datetime
    _studio: Studio | None = None
    _policy: StudioPolicy | None = None
    _conn: tuple[SessionTransaction, Connection] | None = None

    @property
    def conn(self) -> Connection:
        """The connection of the current (sub)transaction, for Core statements in hot paths.

        `Session.connection()` costs tens of microseconds, and a command runs
        several Core statements; the answer is kept for as long as the same
        transaction — or savepoint, see `execute` — is the innermost one.
        """
        current = self.db.get_nested_transaction() or self.db.get_transaction()
        if self._conn is None or self._conn[0] is not current:
            connection = self.db.connection()
            self._conn = (self.db.get_nested_transaction() or self.db.get_transaction(), connection)  # type: ignore[assignment]
        return self._conn[1]

    @property
    def policy(self) -> StudioPolicy:
        """The studio's policy as a read-only value: cheap to load, for code that only reads it.

        Read fresh in each unit of work, never cached across commands. Once the
        ORM `studio` is loaded it is the source, so an edit made earlier in the
        same transaction is seen.
        """
        if self._studio is not None:
            return StudioPolicy.of(self._studio)
        if self._policy is None:
            self._policy = load_policy(self.conn, self.actor.studio_id)
        return self._policy

    def keep_policy(self, policy: StudioPolicy) -> None:
        """A policy a combined query of this transaction already read (see `people_view`): `policy` returns it."""
        self._policy = policy

    def execute(self, command: Any) -> Any:
        """Run a command inside this unit of work, as this actor.

        The conversation engine handles one message in one transaction (the
        change, the reply it records and the dialogue state commit together),
        so it runs commands here rather than through `Store.execute`. A
        savepoint undoes a refused command's partial work and leaves the rest
        of the transaction usable for the polite answer.
        """
        handler = _HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"no handler for {type(command).__name__}")
        try:
            with self.db.begin_nested():
                return handler(self, command)
        except (IntegrityError, OperationalError) as error:
            if is_double_booking(error):
                raise DoubleBooking(
                    "That time was just taken by another booking for the same trainer; nothing was changed."
                ) from error
            raise

    @property
    def studio(self) -> Studio:
        if self._studio is None:
            studio = self.db.get(Studio, self.actor.studio_id)
            if studio is None:
                raise NotFound("That studio does not exist.")
            self._studio = studio
        return self._studio


def is_transient(error: BaseException) -> bool:
    """A deadlock or a serialisation failure: the database's way of saying "try again"."""
    return getattr(getattr(error, "orig", None), "sqlstate", None) in TRANSIENT_SQLSTATES


def is_double_booking(error: BaseException) -> bool:
    text = str(getattr(error, "orig", error))
    return any(marker in text for marker in DOUBLE_BOOKING_MARKERS)


class Store:
    def __init__(self, engine: Engine | None = None, clock: Clock = system_clock) -> None:
        self.engine = engine or make_engine()
        self.sessions: sessionmaker[Session] = session_factory(self.engine)
        self.clock = clock
        for module in _HANDLER_MODULES:
            importlib.import_module(module)

    def execute(self, actor: Actor, command: Any) -> Any:
        handler = _HANDLERS.get(type(command))
        if handler is None:
            raise TypeError(f"no handler for {type(command).__name__}")
        return self.run(actor, lambda uow: handler(uow, command))

    def run(self, actor: Actor, work: Callable[[UnitOfWork], T]) -> T:
        """Run `work` in one transaction (queries use this too, read-only by habit).

        PostgreSQL may abort one of two transactions that wait on each other (two bookings
        checking the same exclusion constraint can deadlock) or that it cannot serialise;
        everything was rolled back, so the work runs again, up to ATTEMPTS times in all.
        """
        attempt = 1
        while True:
            try:
                with self.sessions() as db, db.begin():
                    return work(UnitOfWork(db, actor, self.clock()))
            except (IntegrityError, OperationalError) as error:
                if is_double_booking(error):
                    raise DoubleBooking(
                        "That time was just taken by another booking for the same trainer; nothing was changed."
                    ) from error
                if not is_transient(error) or attempt >= ATTEMPTS:
                    raise
            time.sleep(0.01 * attempt)
            attempt += 1

    def dispose(self) -> None:
        self.engine.dispose()
