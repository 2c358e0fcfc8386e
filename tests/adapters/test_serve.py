"""`spotter serve`: channels from the environment, one server for all, clear failures, a graceful stop."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from click.testing import CliRunner
from fake_slack import BOT_TOKEN, SIGNING_SECRET, FakeSlack
from fake_telegram import TOKEN as TELEGRAM_TOKEN
from fake_telegram import FakeTelegram
from slack_harness import dm_event, event_callback, slack_running
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from engine_helpers import World  # noqa: E402

from adapters.base import Settings  # noqa: E402
from adapters.server import NothingToServe, Server  # noqa: E402
from bot.cli import main  # noqa: E402
from bot.messages import Incoming, Reply  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.commands import LinkIdentity  # noqa: E402

CHANNEL_VARIABLES = [
    "SPOTTER_SLACK_BOT_TOKEN",
    "SPOTTER_SLACK_SIGNING_SECRET",
    "SPOTTER_SLACK_APP_TOKEN",
    "SPOTTER_TELEGRAM_BOT_TOKEN",
    "SPOTTER_TELEGRAM_WEBHOOK_URL",
    "SPOTTER_TELEGRAM_SECRET",
]
TELEGRAM_SECRET = "webhook-secret_1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run(scenario: Any, seconds: float = 60) -> None:
    asyncio.run(asyncio.wait_for(scenario, seconds))


def linked_world(store: Any, clock: Any) -> World:
    world = World.build(store, clock)
    world.at("2026-03-11T17:20")
    system = Actor.system(world.studio_id, "test")
    store.execute(system, LinkIdentity(world.people["sarah"], "slack", "USARAH"))
    store.execute(system, LinkIdentity(world.people["mike"], "telegram", "42"))
    return world


async def signed_post(http: aiohttp.ClientSession, url: str, body: str) -> int:
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body),
    }
    async with http.post(url, data=body.encode(), headers=headers) as response:
        return response.status


def test_no_channel_configured_says_how_to_configure_one_and_exits_non_zero() -> None:
    result = CliRunner().invoke(main, ["serve"], env={name: None for name in CHANNEL_VARIABLES})
    assert result.exit_code == 2
    assert "No chat channel is configured" in result.output
    for name in ("SPOTTER_SLACK_BOT_TOKEN", "SPOTTER_SLACK_SIGNING_SECRET", "SPOTTER_TELEGRAM_BOT_TOKEN"):
        assert name in result.output


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env({"SPOTTER_PORT": "9001", "SPOTTER_SLACK_BOT_TOKEN": " xoxb-1 "})
    assert (settings.host, settings.port, settings.slack_bot_token) == ("127.0.0.1", 9001, "xoxb-1")
    assert settings.slack_api_url == "https://slack.com/api/" and not settings.slack_configured
    assert Settings.from_env({}).port == 8000


def test_one_server_carries_slack_and_the_telegram_webhook_at_once(store: Any, clock: Any) -> None:
    world = linked_world(store, clock)

    async def scenario() -> None:
        port = free_port()
        async with FakeSlack() as slack:
            telegram = await FakeTelegram().start()
            telegram.clock = lambda: world.clock().timestamp()
            try:
                settings = Settings(
                    port=port,
                    slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET,
                    slack_api_url=slack.api_url,
                    telegram_bot_token=TELEGRAM_TOKEN,
                    telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/webhook",
                    telegram_secret=TELEGRAM_SECRET,
                    telegram_api_url=telegram.url,
                )
                lines: list[str] = []
                server = Server(settings, world.engine, report=lines.append)
                await server.start()
                try:
                    assert [line.split(":")[0] for line in lines] == [
                        "slack",
                        "telegram",
                        "listening on http",
                    ]
                    async with aiohttp.ClientSession() as http:
                        async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                            assert (await health.json())["channels"] == ["slack", "telegram"]
                        event = dm_event(
                            "USARAH",
                            "log session with Emma at 3pm",
                            f"{int(world.clock().timestamp())}.000001",
                        )
                        body = json.dumps(event_callback(event))
                        assert await signed_post(http, f"http://127.0.0.1:{port}/slack/events", body) == 200
                    status = await telegram.deliver(
                        telegram.text_update(42, "log session with John Smith at 4pm")
                    )
                    assert status == 200
                    await slack.wait_for("chat.postMessage")
                    await telegram.wait_for("sendMessage")
                finally:
                    await server.stop()
            finally:
                await telegram.close()
        got = sorted((s["trainer"], s["client"], s["start"].hour) for s in world.sessions())
        assert got == [("mike", "john.s", 16), ("sarah", "emma", 15)]

    run(scenario())


def test_a_rejected_token_is_reported_and_the_other_channel_keeps_running(store: Any, clock: Any) -> None:
    world = linked_world(store, clock)

    async def scenario() -> None:
        async with FakeSlack() as slack:
            slack.tokens.discard(BOT_TOKEN)
            telegram = await FakeTelegram().start()
            try:
                settings = Settings(
                    port=0,
                    slack_bot_token=BOT_TOKEN,
                    slack_signing_secret=SIGNING_SECRET,
                    slack_api_url=slack.api_url,
                    telegram_bot_token=TELEGRAM_TOKEN,
                    telegram_api_url=telegram.url,
                )
                lines: list[str] = []
                server = Server(settings, world.engine, report=lines.append)
                await server.start()
                try:
                    assert lines[0].startswith("slack: NOT started: Slack rejected SPOTTER_SLACK_BOT_TOKEN")
                    assert lines[1].startswith("telegram:") and "long polling" in lines[1]
                    assert list(server.channels) == ["telegram"]
                    telegram.queue_update(telegram.text_update(42, "hi"))
                    await telegram.wait_for("sendMessage")
                    async with aiohttp.ClientSession() as http:
                        async with http.post(f"http://127.0.0.1:{server.port}/slack/events", data=b"{}") as r:
                            assert r.status == 404
                        async with http.get(f"http://127.0.0.1:{server.port}/healthz") as health:
                            assert (await health.json())["failed"] == ["slack"]
                finally:
                    await server.stop()
            finally:
                await telegram.close()

    run(scenario())


def test_when_every_configured_channel_is_rejected_the_server_does_not_start() -> None:
    async def scenario() -> None:
        async with FakeSlack() as slack:
            slack.tokens.clear()
            settings = Settings(
                port=0,
                slack_bot_token=BOT_TOKEN,
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=slack.api_url,
            )
            lines: list[str] = []
            with pytest.raises(NothingToServe, match="No channel could start"):
                await Server(settings, engine=None, report=lines.append).start()  # type: ignore[arg-type]
            assert "invalid_auth" in lines[0]

    run(scenario())


class Slow:
    """An engine that takes its time, to catch a stop that does not wait."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.loop: asyncio.AbstractEventLoop | None = None

    def handle(self, message: Incoming) -> Reply:
        assert self.loop is not None
        self.loop.call_soon_threadsafe(self.started.set)
        time.sleep(0.5)
        return Reply(f"done: {message.text}")


def test_stopping_lets_the_messages_in_flight_finish(clock: Any) -> None:
    engine = Slow()

    async def scenario() -> None:
        engine.loop = asyncio.get_running_loop()
        async with slack_running(engine, clock) as slack:
            await slack.dm("USARAH", "hello")
            await engine.started.wait()
            assert slack.fake.calls_to("chat.postMessage") == []
            await slack.server.stop()  # what SIGTERM runs
            (answer,) = slack.fake.calls_to("chat.postMessage")
            assert answer.args["text"] == "done: hello"

    run(scenario())


@pytest.mark.slow
def test_spotter_serve_starts_reports_its_channel_and_stops_on_sigterm(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = tmp_path / "spotter.db"
    shutil.copy(sqlite_template, database)
    spotter = shutil.which("spotter", path=str(Path(sys.executable).parent)) or "spotter"
    port = free_port()

    async def scenario() -> None:
        async with FakeSlack() as slack:
            env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARIABLES}
            env.update(
                SPOTTER_DATABASE_URL=f"sqlite:///{database}",
                SPOTTER_PORT=str(port),
                SPOTTER_SLACK_BOT_TOKEN=BOT_TOKEN,
                SPOTTER_SLACK_SIGNING_SECRET=SIGNING_SECRET,
                SPOTTER_SLACK_API_URL=slack.api_url,
            )
            init = await asyncio.create_subprocess_exec(
                spotter, "studio", "init", "--name", "Serve Test", env=env
            )
            assert await init.wait() == 0
            process = await asyncio.create_subprocess_exec(
                spotter, "serve", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
            )
            assert process.stdout is not None
            output: list[str] = []
            try:
                while not any(line.startswith("listening on") for line in output):
                    line = await asyncio.wait_for(process.stdout.readline(), 60)
                    assert line, f"spotter serve ended early: {output}"
                    output.append(line.decode().strip())
                assert any(line.startswith("slack: connected as @spotter") for line in output), output
                async with (
                    aiohttp.ClientSession() as http,
                    http.get(f"http://127.0.0.1:{port}/healthz") as health,
                ):
                    assert (await health.json())["channels"] == ["slack"]
                process.send_signal(signal.SIGTERM)
                rest = (await asyncio.wait_for(process.stdout.read(), 60)).decode()
                assert await process.wait() == 0
                assert "stopped" in rest
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()

    run(scenario(), 120)
