"""The command line: db upgrade, studio init, people add/list/invite, and the demo (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from domain.db import make_engine
from domain.model import AuditEntry, CommissionStatement, Person, Studio, TrainingSession
from domain.seed.demo import DEMO_STUDIO


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SPOTTER_DATABASE_URL", url)
    monkeypatch.delenv("SPOTTER_STUDIO", raising=False)
    return url


def spotter(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_help_and_version_list_the_commands():
    result = spotter("--help")
    assert result.exit_code == 0
    for command in ("db", "people", "demo", "studio"):
        assert command in result.output


def test_db_upgrade_is_idempotent(sqlite_url):
    first = spotter("db", "upgrade")
    second = spotter("db", "upgrade")
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "revision" in second.output
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1
    engine.dispose()


def test_people_commands_before_any_studio_explain_what_to_do(sqlite_url):
    result = spotter("people", "list")
    assert result.exit_code != 0 and "db upgrade" in result.output
    spotter("db", "upgrade")
    result = spotter("people", "list")
    assert result.exit_code != 0 and "spotter demo" in result.output


def test_studio_init_then_people_add_list_invite(sqlite_url):
    spotter("db", "upgrade")
    made = spotter("studio", "init", "--name", "Iron Temple", "--tz", "Europe/London", "--currency", "gbp")
    assert made.exit_code == 0, made.output
    assert spotter("studio", "init", "--name", "Iron Temple").exit_code != 0  # not twice
    added = spotter(
        "people",
        "add",
        "sarah",
        "Sarah Lee",
        "--role",
        "trainer",
        "--role",
        "manager",
        "--email",
        "s@x.example",
    )
    assert added.exit_code == 0, added.output
    client = spotter(
        "people", "add", "John", "John Smith", "--trainer", "@sarah", "--phone", "+44 20 7946 0000"
    )
    assert client.exit_code == 0, client.output
    assert spotter("people", "add", "john", "John Doe").exit_code != 0  # handle taken
    assert spotter("people", "add", "will", "Will Turner", "--trainer", "nobody").exit_code != 0

    listed = spotter("people", "list")
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[1].split() == ["handle", "name", "roles", "email", "credits"]
    john = next(line for line in lines if line.startswith("@john"))
    assert "John Smith" in john and "client" in john and john.rstrip().endswith("0")
    sarah = next(line for line in lines if line.startswith("@sarah"))
    assert "manager, trainer" in sarah and "s@x.example" in sarah
    trainers = spotter("people", "list", "--role", "trainer")
    assert "@sarah" in trainers.output and "@john" not in trainers.output

    invite = spotter("people", "invite", "john")
    assert invite.exit_code == 0, invite.output
    code = re.search(r"John Smith: (\S+)", invite.output).group(1)
    assert f"/start {code}" in invite.output and f"link {code}" in invite.output
    assert spotter("people", "invite", "ghost").exit_code != 0

    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        studio = conn.execute(select(Studio.tz, Studio.currency)).one()
        assert tuple(studio) == ("Europe/London", "GBP")
        actions = [a for (a,) in conn.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
    engine.dispose()
    assert actions.count("add_person") == 2 and "issue_link_code" in actions and actions[0] == "create_studio"


def _check_demo(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        studio_id = conn.scalar(select(Studio.id).where(Studio.name == DEMO_STUDIO))
        statuses = dict(
            conn.execute(
                select(TrainingSession.status, func.count())
                .where(TrainingSession.studio_id == studio_id)
                .group_by(TrainingSession.status)
            ).all()
        )
        types = set(
            conn.scalars(select(TrainingSession.session_type).where(TrainingSession.studio_id == studio_id))
        )
        covered = conn.scalar(select(func.count()).where(TrainingSession.substitute_for_id.is_not(None)))
        late = conn.scalar(select(func.count()).where(TrainingSession.late_cancel.is_(True)))
        future = conn.scalar(select(func.count()).where(TrainingSession.start_at > datetime.now(UTC)))
        names = set(conn.scalars(select(Person.full_name).where(Person.studio_id == studio_id)))
        audited = conn.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.studio_id == studio_id)
        )
        approved = conn.scalar(
            select(func.count())
            .select_from(CommissionStatement)
            .where(CommissionStatement.studio_id == studio_id)
        )
    engine.dispose()
    assert set(statuses) == {
        "validated",
        "pending_validation",
        "disputed",
        "cancelled",
        "no_show",
        "scheduled",
    }
    assert types == {"standard", "assessment", "partner", "group", "online", "nutrition"}
    assert covered > 0 and late > 0 and future > 0
    assert {"John Smith", "John Doe", "Will Turner", "Grace Hall", "Mark Rivera", "Hope Evans"} <= names
    assert audited > sum(statuses.values())  # every command wrote its entry
    assert approved >= 6  # the month before last, approved for every trainer


def _demo_and_list() -> str:
    demo = spotter("demo")
    assert demo.exit_code == 0, demo.output
    assert "Created" in demo.output and "spotter people list" in demo.output
    again = spotter("demo")
    assert again.exit_code == 0 and "already exists" in again.output
    listed = spotter("people", "list")
    assert listed.exit_code == 0
    return listed.output


def test_demo_then_people_list_shows_the_studio(sqlite_url):
    output = _demo_and_list()
    rows = [line for line in output.splitlines() if line.startswith("@")]
    assert sum(" client" in row for row in rows) == 60
    assert sum(" trainer" in row for row in rows) >= 6
    assert "John Smith" in output and "John Doe" in output
    _check_demo(sqlite_url)


def test_demo_reset_builds_it_again(sqlite_url):
    assert spotter("demo").exit_code == 0
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        first = conn.scalar(select(Studio.id).where(Studio.name == DEMO_STUDIO))
    again = spotter("demo", "--reset")
    assert again.exit_code == 0 and "Deleted the old" in again.output
    with engine.connect() as conn:
        ids = list(conn.scalars(select(Studio.id).where(Studio.name == DEMO_STUDIO)))
        people = conn.scalar(select(func.count()).select_from(Person))
    engine.dispose()
    assert len(ids) == 1 and ids[0] != first
    assert people == 68


def test_demo_on_postgresql(postgres_engine, monkeypatch):
    url = postgres_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("SPOTTER_DATABASE_URL", url)
    monkeypatch.delenv("SPOTTER_STUDIO", raising=False)
    output = _demo_and_list()
    assert "John Smith" in output and "John Doe" in output
    assert sum(" client" in line for line in output.splitlines() if line.startswith("@")) == 60
    _check_demo(url)
