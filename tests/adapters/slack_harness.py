"""Drive the Slack channel the way Slack does: signed HTTP requests to the real `spotter serve` server.

    async with slack_running(engine, clock) as slack:
        await slack.dm("USARAH", "log session with John at 3pm")
        posted = await slack.fake.wait_for("chat.postMessage")

The server (adapters/server.py) runs on an ephemeral loopback port with the
real SlackChannel (slack-bolt AsyncApp + slack-sdk AsyncWebClient) pointed at
a FakeSlack; requests carry real v0 signatures made with slack-sdk's
SignatureVerifier, exactly as Slack signs them.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
from fake_slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack
from slack_sdk.signature import SignatureVerifier

from adapters.base import Handler, Settings
from adapters.server import Server
from adapters.slack.channel import SlackChannel
from bot.messages import Incoming, Reply

_micro = itertools.count(1)


class Recording:
    """The engine, with every Incoming it was given kept for the test to look at."""

    def __init__(self, engine: Handler) -> None:
        self.engine = engine
        self.seen: list[Incoming] = []

    def handle(self, message: Incoming) -> Reply:
        self.seen.append(message)
        return self.engine.handle(message)


def slack_settings(fake: FakeSlack, *, socket: bool = False) -> Settings:
    return Settings(
        host="127.0.0.1",
        port=0,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=None if socket else SIGNING_SECRET,
        slack_app_token=APP_TOKEN if socket else None,
        slack_api_url=fake.api_url,
    )


@dataclass
class SlackDriver:
    fake: FakeSlack
    server: Server
    clock: Callable[[], datetime]
    http: aiohttp.ClientSession
    lines: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/slack/events"

    @property
    def channel(self) -> SlackChannel:
        return self.server.channels["slack"]  # type: ignore[return-value]

    def ts(self) -> str:
        """A Slack timestamp at the test clock's time, unique within the run."""
        return f"{int(self.clock().timestamp())}.{next(_micro):06d}"

    async def answers(self, count: int = 1, method: str = "chat.postMessage") -> list[dict[str, Any]]:
        """The app's calls of `method` (arguments and Slack's answer), once there are `count` of them."""
        await self.fake.wait_for(method, count)
        return posted(self.fake, method)

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        retry: int | None = None,
        signature: str | None = None,
        timestamp: int | None = None,
    ) -> aiohttp.ClientResponse:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature
            or SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body),
        }
        if retry is not None:
            headers["X-Slack-Retry-Num"] = str(retry)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        async with self.http.post(self.url, data=body.encode(), headers=headers) as response:
            await response.read()
            return response

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, **kw: Any
    ) -> aiohttp.ClientResponse:
        return await self.post(json.dumps(event_callback(event, event_id)), "application/json", **kw)

    async def dm(self, user: str, text: str, **kw: Any) -> dict[str, Any]:
        """A direct message from `user`; returns the event that was sent."""
        event = dm_event(user, text, self.ts())
        response = await self.event(event, **kw)
        assert response.status == 200, response.status
        return event

    async def click(self, user: str, posted: dict[str, Any], label: str) -> aiohttp.ClientResponse:
        """Press the button labelled `label` on a message the app posted (a chat.postMessage call)."""
        args, result = posted["args"], posted["result"]
        buttons = [e for b in args["blocks"] if b["type"] == "actions" for e in b["elements"]]
        chosen = next(b for b in buttons if label.lower() in b["text"]["text"].lower())
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T0001"},
            "team": {"id": "T0001"},
            "api_app_id": "A0001",
            "token": "legacy",
            "trigger_id": uuid.uuid4().hex,
            "container": {"type": "message", "message_ts": result["ts"], "channel_id": args["channel"]},
            "channel": {"id": args["channel"]},
            "message": {
                "type": "message",
                "ts": result["ts"],
                "text": args["text"],
                "blocks": args["blocks"],
            },
            "actions": [{**chosen, "block_id": "spotter_options_0", "action_ts": self.ts()}],
        }
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    async def command(self, user: str, text: str, channel: str = "C0GENERAL") -> aiohttp.ClientResponse:
        form = {
            "token": "legacy",
            "team_id": "T0001",
            "channel_id": channel,
            "user_id": user,
            "command": "/spotter",
            "text": text,
            "api_app_id": "A0001",
            "trigger_id": uuid.uuid4().hex,
            "response_url": f"{self.fake.base}/commands/response",
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")


def dm_event(user: str, text: str, ts: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D" + user.lstrip("U"),
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "client_msg_id": str(uuid.uuid4()),
        **extra,
    }


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
        "event": event,
    }


def posted(fake: FakeSlack, method: str = "chat.postMessage") -> list[dict[str, Any]]:
    return [{"args": c.args, "result": c.result} for c in fake.calls_to(method)]


@contextlib.asynccontextmanager
async def slack_running(
    engine: Handler, clock: Callable[[], datetime], *, socket: bool = False, fake: FakeSlack | None = None
) -> AsyncIterator[SlackDriver]:
    """The real server with the Slack channel against a fake Slack, stopped (drained) on exit."""
    async with contextlib.AsyncExitStack() as stack:
        if fake is None:
            fake = await stack.enter_async_context(FakeSlack())
        lines: list[str] = []
        channel = SlackChannel(slack_settings(fake, socket=socket), engine, clock=clock)
        server = Server(slack_settings(fake, socket=socket), engine, channels=[channel], report=lines.append)
        await server.start()
        http = await stack.enter_async_context(aiohttp.ClientSession())
        try:
            yield SlackDriver(fake, server, clock, http, lines)
        finally:
            await server.stop()
