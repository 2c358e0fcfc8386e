"""`spotter test conversations` with the real engine, on both databases, and the demo's chat hint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import postgres_server

from adapters.terminal import find_person
from bot.cli import main
from domain.db import make_engine
from domain.seed.demo import find_demo
from domain.store import Store

REAL = Path(__file__).parent / "conversation_fixtures" / "real_engine"


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_the_command_plays_a_file_through_the_real_engine(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_server() if database == "postgres" else "sqlite:///never-created.db"
    monkeypatch.setenv("SPOTTER_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["test", "conversations", str(REAL), "--json"])
    report = json.loads(result.output)
    assert report["files"][0]["failures"] == [] and result.exit_code == 0, result.output
    assert (report["passed"], report["failed"]) == (1, 0)
    assert not Path("never-created.db").exists()  # SQLite mode uses temporary files, never the configured one


def test_demo_ends_with_chat_commands_for_real_demo_people(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("SPOTTER_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    handles = re.findall(r"spotter (?:chat|say) --as (\S+)", result.output)
    assert {"sarah", "mia", "emma"} <= set(handles)
    store = Store(make_engine(url))
    studio_id = find_demo(store)
    assert studio_id is not None
    roles = {h: find_person(store, studio_id, h).roles for h in handles}
    assert {str(r) for r in roles["sarah"]} == {"trainer"}
    assert "manager" in {str(r) for r in roles["mia"]}
    assert {str(r) for r in roles["emma"]} == {"client"}
