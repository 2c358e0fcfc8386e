"""`spotter scheduler tick`, `spotter status`, `spotter validate-link`, and the scheduler inside `spotter serve`."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from reminder_helpers import Recording, enqueue, make_cast

from bot.cli import main
from bot.scheduler import start_scheduler
from domain.actor import Actor
from domain.commands import LogSession
from domain.db import make_engine
from domain.migrate import upgrade
from domain.reminders.links import make_token
from domain.store import Store

KEY = "cli-secret-key-0123456789"


def test_cli_tick_status_and_link(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'spotter.db'}"
    engine = make_engine(url)
    upgrade(engine)
    logged_at = datetime(2026, 3, 11, 17, 0, tzinfo=UTC)
    store = Store(engine, clock=lambda: logged_at)
    cast = make_cast(store)
    session = store.execute(
        Actor.system(cast.studio_id),
        LogSession(cast.ids["sarah"], cast.ids["emma"], logged_at - timedelta(hours=1)),
    )
    monkeypatch.setenv("SPOTTER_DATABASE_URL", url)
    monkeypatch.setenv("SPOTTER_SECRET_KEY", KEY)
    monkeypatch.delenv("SPOTTER_SMTP_HOST", raising=False)
    runner = CliRunner()
    early = runner.invoke(main, ["scheduler", "tick", "--at", "2026-03-12T12:00"])
    assert early.exit_code == 0, early.output
    assert json.loads(early.output)["tick"]["queued"] == {"trainer_digest": 1}
    due = runner.invoke(main, ["scheduler", "tick", "--at", "2026-03-12T13:05", "--no-deliver"])
    assert json.loads(due.output)["tick"]["queued"] == {"validation_reminder": 1}
    status = runner.invoke(main, ["status", "--json"])
    assert status.exit_code == 0 and json.loads(status.output)["due"] == 2
    bad = runner.invoke(main, ["scheduler", "tick", "--at", "2026-03-08T02:30"])
    assert bad.exit_code != 0 and "exist" in bad.output  # 02:30 on the spring-forward night
    token = make_token(KEY.encode(), "validate", cast.ids["emma"], session.id, datetime.now(UTC))
    used = runner.invoke(main, ["validate-link", f"https://spotter.example/link/{token}"])
    assert used.exit_code == 0 and "confirmed" in used.output
    again = runner.invoke(main, ["validate-link", token])
    assert again.exit_code != 0 and "already used" in again.output


def test_scheduler_in_serve_ticks_and_delivers(store, clock):
    clock.set(datetime(2026, 3, 11, 17, 0, tzinfo=UTC))
    cast = make_cast(store, chats={"emma": ["slack"]})
    enqueue(store, cast, "emma", 2)
    slack = Recording("slack")

    async def run() -> dict:
        handle = start_scheduler(store, [slack])
        try:
            assert handle.scheduler.get_job("spotter-scheduler") is not None
            return await handle.run_once()
        finally:
            await handle.stop()

    result = asyncio.run(run())
    assert result["delivery"] == {"claimed": 2, "sent": 2} and len(slack.sent) == 2
