"""Engines and sessions for the store.

`SPOTTER_DATABASE_URL` chooses the database (default: the SQLite file
`spotter.db` in the working directory). SQLite runs in WAL mode with foreign
keys on and a busy timeout, so concurrent writers queue instead of failing at
once; PostgreSQL goes through psycopg 3 (`postgresql://` URLs are rewritten to
`postgresql+psycopg://`), and a pooled connection is pinged before use only
when it has been idle (see `_ping_when_idle`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///spotter.db"


def database_url() -> str:
    return normalise_url(os.environ.get("SPOTTER_DATABASE_URL") or DEFAULT_DATABASE_URL)


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str | None = None, **kwargs: object) -> Engine:
    url = normalise_url(url or database_url())
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


# A pooled connection used more recently than this is taken as alive without a ping.
IDLE_BEFORE_PING = 5.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it has sat idle for a while.

    `pool_pre_ping` pings on every checkout: one more round trip per command
    (a tenth of a logged session's time on PostgreSQL), to catch connections
    a server restart or a network drop has closed — which happens to idle
    connections. A connection given back moments ago is alive in all but a
    restart within those moments; then that one command fails with a
    disconnect, SQLAlchemy invalidates the pool, and the next gets a fresh
    connection. A failed ping raises `DisconnectionError`, on which the pool
    retries with a new connection (SQLAlchemy's "pessimistic" recipe).
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn, record) -> None:  # type: ignore[no-untyped-def]
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < IDLE_BEFORE_PING:
            return  # new from the pool's connect, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the pooled connection was closed") from error


def _configure_sqlite(engine: Engine) -> None:
    """WAL + foreign keys + immediate write transactions.

    pysqlite opens transactions lazily; we take control (isolation_level=None)
    and issue `BEGIN IMMEDIATE`, so a command takes the write lock before it
    reads what it is about to change. Two racing commands are then serialised
    by SQLite itself instead of one failing later with a stale snapshot.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any exception."""
    with factory() as session, session.begin():
        yield session
