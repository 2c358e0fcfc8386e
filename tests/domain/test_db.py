"""The PostgreSQL pool pings a connection before use only when it has been idle.

A server restart or a dropped network closes idle connections; the engine
must hand out a live one after an idle spell without paying a ping on every
command. (SQLite has no pool pings: the file is local.)
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from domain import db


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("select pg_backend_pid()")).scalar_one())


def _terminate(engine: Engine, pid: int) -> None:
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    admin.dispose()


def test_an_idle_connection_closed_by_the_server_is_replaced(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    killed = _backend_pid(postgres_engine)
    _terminate(postgres_engine, killed)
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)  # every pooled connection counts as idle

    assert _backend_pid(postgres_engine) != killed


def test_a_connection_used_a_moment_ago_is_not_pinged(
    postgres_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented trade-off: a restart within the idle window costs one failed command, then it recovers."""
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 3600.0)
    killed = _backend_pid(postgres_engine)
    _terminate(postgres_engine, killed)

    with pytest.raises(OperationalError):
        _backend_pid(postgres_engine)
    assert _backend_pid(postgres_engine) != killed
