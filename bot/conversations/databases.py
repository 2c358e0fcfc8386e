"""A fresh, empty store for every conversation file, on SQLite or on PostgreSQL.

SQLite (the default): the schema is migrated once into a template file in a
temporary directory, and each conversation file gets its own copy.
PostgreSQL (when `SPOTTER_DATABASE_URL` names it, as in CI): one temporary
database is created beside the configured one, migrated once, truncated
between files, and dropped at the end — the configured database itself is
never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from domain.db import make_engine, normalise_url
from domain.migrate import upgrade
from domain.model import Base


def wants_postgres(url: str | None = None) -> bool:
    url = url if url is not None else os.environ.get("SPOTTER_DATABASE_URL", "")
    return normalise_url(url).startswith("postgresql")


class ScratchDatabases:
    """`with ScratchDatabases() as dbs: engine = dbs.fresh()` — an empty migrated store per call."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url if url is not None else os.environ.get("SPOTTER_DATABASE_URL", "")
        self.postgres = wants_postgres(self.url)
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._template: Path | None = None
        self._count = 0
        self._admin: Engine | None = None
        self._pg_name: str | None = None
        self._pg_engine: Engine | None = None

    @property
    def kind(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def __enter__(self) -> ScratchDatabases:
        if self.postgres:
            base = normalise_url(self.url)
            self._pg_name = f"spotter_conversations_{os.getpid()}_{uuid.uuid4().hex[:6]}"
            self._admin = create_engine(base, isolation_level="AUTOCOMMIT")
            with self._admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self._pg_name}"'))
            url = make_url(base).set(database=self._pg_name).render_as_string(hide_password=False)
            self._pg_engine = make_engine(url)
            upgrade(self._pg_engine)
        else:
            self._dir = tempfile.TemporaryDirectory(prefix="spotter-conversations-")
            self._template = Path(self._dir.name) / "template.db"
            engine = make_engine(f"sqlite:///{self._template}")
            upgrade(engine)
            engine.dispose()
        return self

    def fresh(self) -> Engine:
        """An engine on an empty, migrated store (the previous one's data is gone)."""
        if self._pg_engine is not None:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            with self._pg_engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            return self._pg_engine
        if self._dir is None or self._template is None:
            raise RuntimeError("ScratchDatabases is used outside its `with` block")
        self._count += 1
        path = Path(self._dir.name) / f"conversation_{self._count}.db"
        shutil.copy(self._template, path)
        return make_engine(f"sqlite:///{path}")

    def done_with(self, engine: Engine) -> None:
        """Release a file's engine (SQLite: close and delete its copy; PostgreSQL: kept for the next file)."""
        if engine is self._pg_engine:
            return
        engine.dispose()
        database = engine.url.database
        if database:
            for suffix in ("", "-wal", "-shm"):
                Path(database + suffix).unlink(missing_ok=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._pg_engine is not None:
            self._pg_engine.dispose()
        if self._admin is not None and self._pg_name is not None:
            with self._admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)'))
            self._admin.dispose()
        if self._dir is not None:
            self._dir.cleanup()
