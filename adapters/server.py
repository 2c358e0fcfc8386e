"""`spotter serve`: one aiohttp server carrying every configured chat channel, in one process.

Channels come from the settings present in the environment (adapters/base.py
`Settings`): each adapter's `build` gives a channel or None. Every channel is
started before the server begins listening (they add their routes then); one
whose token is rejected is reported and left out while the others run. With no
channel configured the server refuses to start and says how to configure one.
SIGTERM / SIGINT: the server stops listening and waits for the requests in
progress, then each channel finishes the messages it already took.

Routes: `GET /healthz`, plus the channels' own (`POST /slack/events`,
`POST /telegram/webhook`).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from adapters.base import CHANNEL_BUILDERS, Channel, ChannelError, Handler, Settings, use_engine_threads

log = logging.getLogger("spotter.serve")
GIL_SWITCH_SECONDS = 0.001

HOW_TO_CONFIGURE = """No chat channel is configured, so there is nothing to serve.
Set the environment variables of at least one channel, then run `spotter serve` again:
  Slack (HTTP):        SPOTTER_SLACK_BOT_TOKEN=xoxb-…  SPOTTER_SLACK_SIGNING_SECRET=…
  Slack (Socket Mode): SPOTTER_SLACK_BOT_TOKEN=xoxb-…  SPOTTER_SLACK_APP_TOKEN=xapp-…
  Telegram (polling):  SPOTTER_TELEGRAM_BOT_TOKEN=123456:ABC…
  Telegram (webhook):  also SPOTTER_TELEGRAM_WEBHOOK_URL=https://…/telegram/webhook  SPOTTER_TELEGRAM_SECRET=…
The README's "Channels" section walks through setting up each one."""


class NothingToServe(Exception):
    """No channel is configured, or none of the configured ones could start; the text says why."""


def describe(channel: Channel) -> str:
    return f"{channel.name}: {getattr(channel, 'description', '') or 'running'}"


class Server:
    """The channels and the HTTP server around them; `start`, then `stop` (or `run` until a signal)."""

    def __init__(
        self,
        settings: Settings,
        engine: Handler,
        *,
        builders: Iterable[str] = CHANNEL_BUILDERS,
        channels: Iterable[Channel] | None = None,
        report: Callable[[str], None] = print,
        shutdown_timeout: float = 30.0,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.builders = tuple(builders)
        self._given = list(channels) if channels is not None else None  # built by the caller (tests)
        self.report = report
        self.shutdown_timeout = shutdown_timeout
        self.channels: dict[str, Channel] = {}
        self.failed: dict[str, str] = {}
        self.web_app = web.Application()
        self.web_app.router.add_get("/healthz", self._healthz)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def build(self) -> list[Channel]:
        """The configured channels (a half-configured one is reported and left out)."""
        built: list[Channel] = []
        for spec in self.builders:
            module_name, _, function = spec.partition(":")
            try:
                build = getattr(importlib.import_module(module_name), function)
            except (ImportError, AttributeError) as error:
                log.debug("channel builder %s unavailable: %s", spec, error)
                continue
            label = module_name.rsplit(".", 1)[-1]
            try:
                channel = build(self.settings, self.engine)
            except ChannelError as error:
                self._failed(label, str(error))
                continue
            if channel is not None:
                built.append(channel)
        return built

    def _failed(self, name: str, why: str) -> None:
        self.failed[name] = why
        self.report(f"{name}: NOT started: {why}")

    async def start(self) -> None:
        """Start every configured channel, then listen. NothingToServe when no channel runs."""
        # The engine runs on worker threads (CPU-bound Python); a shorter GIL switch interval than
        # the default 5 ms lets the event loop take the GIL back sooner, so acks stay fast under load.
        sys.setswitchinterval(GIL_SWITCH_SECONDS)
        use_engine_threads(self.settings.engine_threads)
        candidates = self.build() if self._given is None else self._given
        if not candidates and not self.failed:
            raise NothingToServe(HOW_TO_CONFIGURE)
        for channel in candidates:
            try:
                await channel.start(self.web_app)
            except ChannelError as error:
                self._failed(channel.name, str(error))
                continue
            except Exception as error:  # noqa: BLE001 - one broken channel must not stop the others
                log.exception("%s failed to start", channel.name)
                self._failed(channel.name, f"{type(error).__name__}: {error}")
                continue
            self.channels[channel.name] = channel
            self.report(describe(channel))
        if not self.channels:
            raise NothingToServe("No channel could start (see above); fix its settings and try again.")
        self._runner = web.AppRunner(
            self.web_app, access_log=None, shutdown_timeout=self.shutdown_timeout, handle_signals=False
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        try:
            await site.start()
        except OSError as error:
            await self._stop_channels()
            raise NothingToServe(
                f"Cannot listen on {self.settings.host}:{self.settings.port} ({error.strerror or error}); "
                "set SPOTTER_HOST / SPOTTER_PORT."
            ) from error
        sockets = getattr(site._server, "sockets", None) or ()  # the real port when 0 was asked for
        self.port = sockets[0].getsockname()[1] if sockets else self.settings.port
        self.report(f"listening on http://{self.settings.host}:{self.port} ({', '.join(self.channels)})")
        if hasattr(self.engine, "store"):  # reminders and delivery (bot/scheduler.py)
            self.scheduler = importlib.import_module("bot.scheduler").start_scheduler(
                self.engine, self.channels
            )
            threading.Thread(target=self._warm_voice, name="voice-warm-up", daemon=True).start()

    def _warm_voice(self) -> None:
        """The voice model built in the background, so the first voice note is as quick as the rest."""
        try:
            importlib.import_module("bot.voice.hear").warm_up(self.engine)
        except ImportError:
            pass  # the voice extra is not installed: voice notes get a sentence saying so
        except Exception:  # noqa: BLE001 - a warm-up failure must not stop the server; the first note builds it
            log.exception("voice warm-up failed")

    async def stop(self) -> None:
        """Stop listening (requests in progress complete), then let each channel finish its work."""
        if getattr(self, "scheduler", None) is not None:
            await self.scheduler.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self._stop_channels()

    async def _stop_channels(self) -> None:
        results = await asyncio.gather(*(c.stop() for c in self.channels.values()), return_exceptions=True)
        for channel, result in zip(self.channels.values(), results, strict=True):
            if isinstance(result, BaseException):
                log.error("%s did not stop cleanly: %s", channel.name, result)

    async def run(self) -> None:
        """Start, serve until SIGTERM or SIGINT, then stop gracefully."""
        await self.start()
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stopping.set)
        try:
            await stopping.wait()
            self.report("stopping: finishing the messages in flight")
        finally:
            await self.stop()

    async def _healthz(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = {"ok": True, "channels": sorted(self.channels), "failed": sorted(self.failed)}
        return web.json_response(body)
