"""What every chat channel shares: the `Channel` protocol, the settings, and background work.

`spotter serve` (adapters/server.py) runs one aiohttp server and hands it to
every configured channel; a channel adds its routes, checks its token and
starts polling or a socket in `start`, finishes in-flight messages in `stop`,
and delivers notifications with `send`. Channels talk to the engine only
through `bot.messages` (Incoming in, Reply out) and never touch the store's
tables. The engine is synchronous, so it is always called on a worker thread
(`ask_engine`) to keep the event loop free to acknowledge other events.

Building a channel: each adapter package exposes
`build(settings: Settings, engine: Handler) -> Channel | None` (None when its
settings are absent); the server calls every builder in `CHANNEL_BUILDERS`,
then every channel's `start` BEFORE the server begins listening (routes can
only be added then). A `start` that raises `ChannelError` is reported and that
channel is left out; the others run. `stop` is awaited on SIGTERM before the
server closes.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from bot.messages import Incoming, Reply

log = logging.getLogger("spotter.channels")

SLACK_API_URL = "https://slack.com/api/"
TELEGRAM_API_URL = "https://api.telegram.org"

# "module:function" of each adapter's builder; imported lazily so a channel's
# library is loaded only when the server starts.
CHANNEL_BUILDERS: tuple[str, ...] = ("adapters.slack:build", "adapters.telegram:build")


class Handler(Protocol):
    """The engine as the channels see it (bot.engine.Engine satisfies it)."""

    def handle(self, message: Incoming) -> Reply: ...


class Channel(Protocol):
    """One chat platform inside `spotter serve`."""

    name: str  # "slack" | "telegram" | "email" | ...
    # After a successful `start`, one line for the operator, e.g. "connected as @spotter, webhook at
    # /telegram/webhook". Optional: the server prints "<name>: running" when it is absent.
    description: str

    async def start(self, web_app: web.Application) -> None:
        """Add routes, verify the token, start polling/socket. Raise ChannelError when it cannot run."""
        ...

    async def stop(self) -> None:
        """Stop taking new work and finish the messages already in flight."""
        ...

    async def send(self, external_id: str, reply: Reply) -> None:
        """Deliver a notification to a person's chat id on this platform."""
        ...


class ChannelError(Exception):
    """A channel cannot run (its token was rejected, its API is unreachable); a sentence for the operator."""


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


@dataclass(frozen=True)
class Settings:
    """Everything `spotter serve` reads from the environment; None means "not configured"."""

    host: str = "127.0.0.1"
    port: int = 8000
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = SLACK_API_URL
    telegram_bot_token: str | None = None
    telegram_webhook_url: str | None = None
    telegram_secret: str | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    engine_threads: int = 2

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        port = _env(env, "SPOTTER_PORT") or "8000"
        try:
            port_number = int(port)
        except ValueError:
            raise ChannelError(f"SPOTTER_PORT must be a number, not {port!r}.") from None
        return cls(
            host=_env(env, "SPOTTER_HOST") or "127.0.0.1",
            port=port_number,
            slack_bot_token=_env(env, "SPOTTER_SLACK_BOT_TOKEN"),
            slack_signing_secret=_env(env, "SPOTTER_SLACK_SIGNING_SECRET"),
            slack_app_token=_env(env, "SPOTTER_SLACK_APP_TOKEN"),
            slack_api_url=_env(env, "SPOTTER_SLACK_API_URL") or SLACK_API_URL,
            telegram_bot_token=_env(env, "SPOTTER_TELEGRAM_BOT_TOKEN"),
            telegram_webhook_url=_env(env, "SPOTTER_TELEGRAM_WEBHOOK_URL"),
            telegram_secret=_env(env, "SPOTTER_TELEGRAM_SECRET"),
            telegram_api_url=_env(env, "SPOTTER_TELEGRAM_API_URL") or TELEGRAM_API_URL,
            engine_threads=engine_threads_for(_env(env, "SPOTTER_DATABASE_URL")),
        )

    @property
    def slack_configured(self) -> bool:
        """A bot token plus either a signing secret (HTTP mode) or an app token (Socket Mode)."""
        return bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def slack_socket_mode(self) -> bool:
        return bool(self.slack_configured and self.slack_app_token)

    @property
    def telegram_configured(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def telegram_webhook_mode(self) -> bool:
        return bool(self.telegram_bot_token and self.telegram_webhook_url)


_engine_pool: ThreadPoolExecutor | None = None


def engine_threads_for(database_url: str | None) -> int:
    """Threads for the engine: 2 on SQLite (one writer at a time; a second thread keeps a slow
    message, a voice clip say, from holding up everyone), 4 with a database server."""
    return 2 if (database_url or "sqlite").startswith("sqlite") else 4


def use_engine_threads(count: int) -> None:
    """Size the engine's thread pool (the server calls it at start, before any message)."""
    global _engine_pool
    if _engine_pool is not None:
        _engine_pool.shutdown(wait=False)
    _engine_pool = ThreadPoolExecutor(max(1, count), thread_name_prefix="spotter-engine")


async def ask_engine(engine: Handler, message: Incoming) -> Reply:
    """Run the synchronous engine on a worker thread; the loop keeps acknowledging other events.

    All channels share one small pool (`use_engine_threads`, `Settings.engine_threads`): the
    engine is CPU-bound Python, so more threads would not answer faster, only take the GIL
    from the event loop and slow every platform's ack (Slack wants one within 3 s).
    """
    if _engine_pool is None:
        use_engine_threads(engine_threads_for(os.environ.get("SPOTTER_DATABASE_URL")))
    assert _engine_pool is not None
    return await asyncio.get_running_loop().run_in_executor(_engine_pool, engine.handle, message)


class InFlight:
    """Background work a channel started after acknowledging an event, so `stop` can wait for it.

    Slack wants an ack within 3 s and Telegram a quick 200: the engine runs after
    the ack, in a task tracked here. `drain` lets SIGTERM finish what was taken.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closed = False

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any] | None:
        """Run `work` in the background; refused (closed and None returned) once draining began."""
        if self.closed:
            work.close()
            return None
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s: background work failed", self.name, exc_info=task.exception())

    def __len__(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 30.0) -> None:
        """Refuse new work and wait (up to `timeout` s) for the work already running."""
        self.closed = True
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
