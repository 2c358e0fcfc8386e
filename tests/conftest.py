"""Fixtures shared by the whole suite.

Every test that takes `engine` (or `store`) runs twice: on SQLite and on
PostgreSQL. PostgreSQL comes from `SPOTTER_TEST_POSTGRES_URL` (default: the
local server, `postgresql://postgres@127.0.0.1:5432/test`); each pytest run
creates its own database beside it, migrates it once and truncates it between
tests, so concurrent runs never meet. When the server cannot be reached the
PostgreSQL half is skipped — unless `SPOTTER_REQUIRE_ALL=1` (set by CI), which
turns that skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from domain.db import make_engine, normalise_url
from domain.migrate import upgrade
from domain.model import Base
from domain.store import Store

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def require_all() -> bool:
    return os.environ.get("SPOTTER_REQUIRE_ALL") == "1"


def skip_or_fail(reason: str) -> None:
    if require_all():
        pytest.fail(f"{reason} (SPOTTER_REQUIRE_ALL=1 turns this skip into a failure)")
    pytest.skip(reason)


def postgres_server() -> str:
    """The test PostgreSQL server's URL (SPOTTER_TEST_POSTGRES_URL), once it answers; else skip (or fail)."""
    url = os.environ.get("SPOTTER_TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        engine = create_engine(normalise_url(url))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        skip_or_fail(f"PostgreSQL not reachable: {str(error).splitlines()[0]}")
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    base = normalise_url(os.environ.get("SPOTTER_TEST_POSTGRES_URL", DEFAULT_PG))
    name = f"spotter_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        yield None
        os.environ["_SPOTTER_PG_ERROR"] = str(error).splitlines()[0]
        return
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def db_kind(request: pytest.FixtureRequest) -> str:
    return request.param


def _postgres_engine(request: pytest.FixtureRequest) -> Engine:
    url = request.getfixturevalue("postgres_url")
    if url is None:
        skip_or_fail(f"PostgreSQL not reachable: {os.environ.get('_SPOTTER_PG_ERROR', 'unknown error')}")
    eng = make_engine(url)
    _truncate(eng)
    return eng


@pytest.fixture
def engine(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if db_kind == "sqlite":
        path = tmp_path / "spotter.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        eng = make_engine(f"sqlite:///{path}")
    else:
        eng = _postgres_engine(request)
    yield eng
    eng.dispose()


@pytest.fixture
def postgres_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """PostgreSQL alone, for a test whose SQLite twin is written separately."""
    eng = _postgres_engine(request)
    yield eng
    eng.dispose()


class FakeClock:
    """A clock the test moves by hand (UTC inside, like the system clock)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 3, 11, 21, 20, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("FakeClock takes aware datetimes")
        self.now = when.astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(engine: Engine, clock: FakeClock) -> Store:
    return Store(engine, clock=clock)
