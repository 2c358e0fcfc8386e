"""Socket Mode: chosen by SPOTTER_SLACK_APP_TOKEN, it connects to the websocket apps.connections.open hands out.

The fake Slack serves that websocket on 127.0.0.1: it says hello, pushes the
envelopes the test gives it, and records the app's acknowledgements.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from slack_harness import dm_event, event_callback, slack_running, slack_settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from engine_helpers import World  # noqa: E402

from adapters.base import ChannelError, Settings  # noqa: E402
from adapters.slack import build  # noqa: E402
from adapters.slack.channel import SlackChannel  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.commands import LinkIdentity  # noqa: E402


def test_the_app_token_chooses_socket_mode_and_the_signing_secret_http_mode() -> None:
    both = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret="s", slack_app_token=APP_TOKEN)
    assert build(both, engine=None).socket_mode is True  # type: ignore[arg-type, union-attr]
    http = Settings(slack_bot_token=BOT_TOKEN, slack_signing_secret="s")
    assert build(http, engine=None).socket_mode is False  # type: ignore[arg-type, union-attr]
    assert build(Settings(), engine=None) is None  # type: ignore[arg-type]
    with pytest.raises(ChannelError, match="SPOTTER_SLACK_SIGNING_SECRET"):
        build(Settings(slack_bot_token=BOT_TOKEN), engine=None)  # type: ignore[arg-type]


def test_a_dm_over_the_socket_is_acknowledged_and_answered(store: Any, clock: Any) -> None:
    world = World.build(store, clock)
    world.at("2026-03-11T17:20")
    store.execute(
        Actor.system(world.studio_id, "test"), LinkIdentity(world.people["sarah"], "slack", "USARAH")
    )

    async def scenario() -> None:
        async with slack_running(world.engine, world.clock, socket=True) as slack:
            opened = slack.fake.calls_to("apps.connections.open")
            assert opened and {c.token for c in opened} == {APP_TOKEN}
            assert "Socket Mode" in slack.lines[0]
            envelope_id = str(uuid.uuid4())
            event = dm_event("USARAH", "log session with Emma at 3pm", slack.ts())
            await slack.fake.socket_send(
                {
                    "envelope_id": envelope_id,
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": event_callback(event),
                }
            )
            ack = await slack.fake.socket_ack(envelope_id)
            assert ack["envelope_id"] == envelope_id
            (answer,) = await slack.answers()
            assert "Emma Wilson" in answer["args"]["text"]
            async with slack.http.post(slack.url, data=b"{}") as response:
                assert response.status == 404  # no HTTP endpoint in Socket Mode
        assert [(s["trainer"], s["client"]) for s in world.sessions()] == [("sarah", "emma")]

    asyncio.run(asyncio.wait_for(scenario(), 60))


def test_a_rejected_app_token_is_a_channel_error() -> None:
    async def scenario() -> None:
        async with FakeSlack() as fake:
            fake.tokens.discard(APP_TOKEN)
            channel = SlackChannel(slack_settings(fake, socket=True), engine=None)  # type: ignore[arg-type]
            from aiohttp import web

            with pytest.raises(ChannelError, match="SPOTTER_SLACK_APP_TOKEN"):
                await channel.start(web.Application())
            await channel.stop()

    asyncio.run(asyncio.wait_for(scenario(), 30))
