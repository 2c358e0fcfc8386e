"""What the database itself enforces beyond tables and keys.

Kept apart from the generated migration so the same DDL serves the initial
revision and the tests that prove it: no double booking of a trainer, a
session length within (0, MAX_SESSION_MINUTES] (which is what lets the SQLite
overlap trigger look back only that far, through the (trainer_id, start_at)
index, instead of scanning the trainer's whole history), and an audit log that
cannot be edited or deleted.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from domain.model.sessions import MAX_SESSION_MINUTES

_FREE = "('cancelled', 'disputed')"

# SQLite checks a row when it is written: on insert, and on an update of the columns a rule reads.
_SQLITE_EVENTS = {
    "insert": "INSERT",
    "update": "UPDATE OF trainer_id, start_at, end_at, status, slot_id",
}

_LENGTH_OK = f"""NEW.end_at > NEW.start_at
    AND (julianday(NEW.end_at) - julianday(NEW.start_at)) * 1440 <= {MAX_SESSION_MINUTES} + 0.001"""

_OVERLAP = f"""
    SELECT 1 FROM sessions s
    WHERE s.trainer_id = NEW.trainer_id AND s.id <> NEW.id AND s.slot_id <> NEW.slot_id
      AND s.status NOT IN {_FREE}
      AND s.start_at < NEW.end_at AND NEW.start_at < s.end_at
      AND s.start_at > datetime(NEW.start_at, '-{MAX_SESSION_MINUTES} minutes')"""

_SQLITE = [
    *(
        f"""
    CREATE TRIGGER sessions_length_{name} BEFORE {event} ON sessions
    WHEN NOT ({_LENGTH_OK})
    BEGIN SELECT RAISE(ABORT, 'sessions_length'); END
    """
        for name, event in _SQLITE_EVENTS.items()
    ),
    *(
        f"""
    CREATE TRIGGER sessions_no_overlap_{name} BEFORE {event} ON sessions
    WHEN NEW.status NOT IN {_FREE}
    BEGIN SELECT RAISE(ABORT, 'trainer_double_booked') WHERE EXISTS ({_OVERLAP}); END
    """
        for name, event in _SQLITE_EVENTS.items()
    ),
    """
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END
    """,
    """
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END
    """,
]

_POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""
    ALTER TABLE sessions ADD CONSTRAINT sessions_length CHECK (
        end_at > start_at AND end_at - start_at <= interval '{MAX_SESSION_MINUTES} minutes'
    )
    """,
    f"""
    ALTER TABLE sessions ADD CONSTRAINT sessions_no_overlap EXCLUDE USING gist (
        trainer_id WITH =,
        tstzrange(start_at, end_at, '[)') WITH &&,
        slot_id WITH <>
    ) WHERE (status NOT IN {_FREE})
    """,
    """
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log_is_append_only';
    END $$
    """,
    """
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
    """,
]

_DROP_SQLITE = [
    "DROP TRIGGER IF EXISTS sessions_length_insert",
    "DROP TRIGGER IF EXISTS sessions_length_update",
    "DROP TRIGGER IF EXISTS sessions_no_overlap_insert",
    "DROP TRIGGER IF EXISTS sessions_no_overlap_update",
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
]

_DROP_POSTGRES = [
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "DROP FUNCTION IF EXISTS audit_log_append_only()",
    "ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_no_overlap",
    "ALTER TABLE sessions DROP CONSTRAINT IF EXISTS sessions_length",
]


def install(conn: Connection) -> None:
    for statement in _POSTGRES if conn.dialect.name == "postgresql" else _SQLITE:
        conn.exec_driver_sql(statement)


def remove(conn: Connection) -> None:
    for statement in _DROP_POSTGRES if conn.dialect.name == "postgresql" else _DROP_SQLITE:
        conn.exec_driver_sql(statement)


DOUBLE_BOOKING_MARKERS = ("trainer_double_booked", "sessions_no_overlap")
