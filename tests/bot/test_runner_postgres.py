"""The runner's PostgreSQL mode: one temporary database on the server, truncated between files, dropped at the end."""

from __future__ import annotations

from pathlib import Path

from conftest import postgres_server
from runner_fakes import FakeEngine
from sqlalchemy import create_engine, text

from bot.conversations import run
from bot.conversations.databases import ScratchDatabases, wants_postgres
from domain.db import normalise_url
from domain.seed.studio import create_studio
from domain.store import Store

FIXTURES = Path(__file__).parent / "conversation_fixtures"
FAKE_FILES = [FIXTURES / "failing.yaml", FIXTURES / "passing.yaml"]


def _databases(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    with engine.connect() as conn:
        names = set(conn.execute(text("SELECT datname FROM pg_database")).scalars())
    engine.dispose()
    return names


def test_the_same_files_give_the_same_report_on_postgresql() -> None:
    url = postgres_server()
    before = _databases(url)
    on_postgres = run(FAKE_FILES, engine_factory=FakeEngine, url=url)
    on_sqlite = run(FAKE_FILES, engine_factory=FakeEngine, url="")
    assert on_postgres.database == "postgresql" and on_sqlite.database == "sqlite"
    assert on_postgres.to_json() == on_sqlite.to_json()
    assert (on_postgres.passed, on_postgres.failed) == (1, 1)
    assert _databases(url) == before  # the temporary database is gone


def test_files_do_not_see_each_other_on_postgresql() -> None:
    url = postgres_server()
    assert wants_postgres(url) and not wants_postgres("sqlite:///x.db") and not wants_postgres("")
    # passing.yaml expects exactly 6 sessions at its first turn: it would fail if the previous
    # file's studio (or sessions) were still there.
    report = run([FIXTURES / "passing.yaml", FIXTURES / "passing.yaml"], engine_factory=FakeEngine, url=url)
    assert [f.passed for f in report.files] == [True, True], report.text()


def test_scratch_databases_truncate_between_files() -> None:
    url = postgres_server()
    with ScratchDatabases(url) as databases:
        engine = databases.fresh()
        create_studio(Store(engine), "Left Over")
        again = databases.fresh()
        with again.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM studios")).scalar() == 0
