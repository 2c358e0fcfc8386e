"""The Slack channel: slack-bolt's AsyncApp between Slack and the engine.

Events (DMs, mentions), button clicks and `/spotter` all reach one AsyncApp,
over HTTP (`POST /slack/events` on the shared server, requests verified with
the signing secret by bolt) or over Socket Mode (an app-level token). Every
listener acknowledges at once and leaves the slow part (users.info, a file
download, the engine, the answer) to a background task tracked by `InFlight`,
so Slack always gets its ack well within 3 s and SIGTERM can let that work
finish.

No double effect: a message is known to the engine by its Slack identity
(`<channel>:<ts>` for a message, `press:<channel>:<message ts>` for a click on
a message's buttons — one answer per message — and `cmd:<trigger id>` for a
slash command), so the engine's inbox answers a repeat without acting again;
in this process repeats are dropped before that (a retry carrying
X-Slack-Retry-Num for an event already taken is answered 200 at once), so the
answer is not posted twice either.

A person's messages are handled one at a time, in order; different people in
parallel (the engine is thread-safe per call).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import ChannelError, Handler, InFlight, Settings, ask_engine
from adapters.slack import render
from bot.messages import Incoming, Reply

log = logging.getLogger("spotter.slack")

NAME = "slack"
PATH = "/slack/events"
COMMAND = "/spotter"
MAX_AUDIO_BYTES = 20 * 1024 * 1024
SOCKET_CONNECT_SECONDS = 30.0
EMAIL_TTL = 600.0  # seconds users.info's answer is trusted (a studio may add the address meanwhile)
REMEMBERED = 10_000  # message and event ids kept to drop repeats within this process
AUDIO_FILETYPES = {"m4a", "mp3", "mp4a", "ogg", "oga", "opus", "wav", "webm", "aac", "flac", "amr"}
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
TOO_LONG = Reply("That recording is too large for me (20 MB at most); please send a shorter one.", error=True)
NO_AUDIO = Reply("I couldn't fetch that recording from Slack; please try sending it again.", error=True)


@dataclass(frozen=True)
class Where:
    """Where an answer goes: a conversation, and the thread when the question was asked in one."""

    channel: str
    thread_ts: str | None = None


class Remembered:
    """A bounded set of recently seen ids (oldest forgotten first)."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, value: str) -> bool:
        """Remember `value`; False when it was already there (a repeat)."""
        if value in self._ids:
            self._ids.move_to_end(value)
            return False
        self._ids[value] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True

    def __contains__(self, value: object) -> bool:
        return value in self._ids


def _at(ts: str | None, fallback: Callable[[], datetime]) -> datetime:
    """A Slack timestamp ("1700000000.000100") as an aware datetime; `fallback()` when there is none."""
    try:
        return datetime.fromtimestamp(float(ts), UTC) if ts else fallback()
    except (TypeError, ValueError, OverflowError):
        return fallback()


def _header(request: AsyncBoltRequest, name: str) -> str | None:
    values = request.headers.get(name)
    if not values:
        return None
    return values[0] if isinstance(values, list | tuple) else str(values)


def is_audio(file: dict[str, Any]) -> bool:
    """A voice clip recorded in Slack or an uploaded audio file."""
    mime = str(file.get("mimetype") or "")
    return (
        mime.startswith("audio/")
        or file.get("subtype") == "slack_audio"
        or str(file.get("filetype") or "").lower() in AUDIO_FILETYPES
        and not mime.startswith("video/")
    )


class SlackChannel:
    """One Slack workspace, in HTTP or Socket Mode (see the module docstring)."""

    name = NAME

    def __init__(
        self,
        settings: Settings,
        engine: Handler,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        if not settings.slack_bot_token:
            raise ChannelError("Slack needs SPOTTER_SLACK_BOT_TOKEN (the xoxb- bot token).")
        if not (settings.slack_signing_secret or settings.slack_app_token):
            raise ChannelError(
                "Slack needs SPOTTER_SLACK_SIGNING_SECRET (HTTP mode) or SPOTTER_SLACK_APP_TOKEN (Socket Mode)."
            )
        self.settings = settings
        self.engine = engine
        self.clock = clock or (lambda: datetime.now(UTC))
        self.socket_mode = settings.slack_socket_mode
        self.description = ""
        self.client = AsyncWebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
        self.client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=not self.socket_mode,
            process_before_response=False,
        )
        self.inflight = InFlight(NAME)
        self._seen = Remembered()
        self._events = Remembered()
        self._emails: OrderedDict[str, tuple[str | None, float]] = OrderedDict()
        self._dms: dict[str, str] = {}
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self._http: aiohttp.ClientSession | None = None
        self._socket: Any = None
        self._register()

    # --- the Channel protocol ------------------------------------------------------------------

    async def start(self, web_app: web.Application) -> None:
        """Check the bot token (auth.test), then take events over HTTP or open the socket."""
        try:
            who = await self.client.auth_test()
        except SlackApiError as error:
            raise ChannelError(
                f"Slack rejected SPOTTER_SLACK_BOT_TOKEN ({error.response.get('error', 'error')}); "
                "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page."
            ) from error
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as error:
            raise ChannelError(
                f"Slack could not be reached at {self.settings.slack_api_url} ({error})."
            ) from error
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        # One pooled session for every Web API call (the client opens a new connection per call otherwise).
        self.client.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        bot = f"@{who.get('user', 'spotter')} in {who.get('team', 'the workspace')}"
        if self.socket_mode:
            await self._open_socket()
            self.description = f"connected as {bot}, Socket Mode"
        else:
            web_app.router.add_post(PATH, self._http_endpoint)
            self.description = f"connected as {bot}, events at POST {PATH}"

    async def stop(self) -> None:
        """Close the socket (no new events), then let the messages already taken finish."""
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close_async()
            self._socket = None
        await self.inflight.drain()
        for session in (self._http, self.client.session):
            if session is not None:
                await session.close()
        self._http = self.client.session = None

    async def send(self, external_id: str, reply: Reply) -> None:
        """A notification to a Slack user (their id): into the DM with the app, buttons and files included."""
        await self._post(Where(await self._dm(external_id)), reply)

    # --- the transports ------------------------------------------------------------------------

    async def _http_endpoint(self, request: web.Request) -> web.StreamResponse:
        """POST /slack/events: events, interactivity and slash commands; bolt verifies the signature."""
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _open_socket(self) -> None:
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(self.app, self.settings.slack_app_token, web_client=self.client)
        try:
            # The socket client retries a refused token forever: ask once ourselves to fail clearly.
            await self.client.apps_connections_open(app_token=self.settings.slack_app_token)
            await asyncio.wait_for(handler.connect_async(), SOCKET_CONNECT_SECONDS)
        except SlackApiError as error:
            raise ChannelError(
                f"Slack rejected SPOTTER_SLACK_APP_TOKEN ({error.response.get('error', 'error')}); "
                "create an app-level token with connections:write under Basic Information."
            ) from error
        except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as error:
            raise ChannelError(f"Slack's Socket Mode could not be reached ({error}).") from error
        self._socket = handler

    # --- listeners (each acknowledges at once; the work runs after) ----------------------------

    def _register(self) -> None:
        self.app.middleware(self._drop_retries)
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.action(render.ACTION_ID)(self._on_click)
        self.app.command(COMMAND)(self._on_command)

    async def _drop_retries(
        self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Any]
    ) -> BoltResponse | None:
        """A retry (X-Slack-Retry-Num) of an event this process already took: 200 and nothing else."""
        if _header(req, "x-slack-retry-num") and isinstance(req.body, dict):
            event_id = req.body.get("event_id")
            if event_id and event_id in self._events:
                return BoltResponse(status=200, body="")
        return await next()

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A direct message (text, or files such as a voice clip) from a person."""
        if event.get("channel_type") != "im" or event.get("subtype") not in (None, "file_share"):
            return
        if event.get("bot_id") or not event.get("user"):
            return
        self._take(body, event, event.get("text"), Where(event["channel"], event.get("thread_ts")))

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """@spotter in a channel: answered in the thread of the mention."""
        if event.get("bot_id") or not event.get("user"):
            return
        text = _MENTION.sub(" ", event.get("text") or "").strip()
        self._take(body, event, text, Where(event["channel"], event.get("thread_ts") or event.get("ts")))

    def _take(self, body: dict[str, Any], event: dict[str, Any], text: str | None, where: Where) -> None:
        if body.get("event_id"):
            self._events.add(str(body["event_id"]))
        message_id = f"{event['channel']}:{event.get('ts')}"
        if not self._seen.add(message_id):
            return
        files = [f for f in event.get("files") or () if isinstance(f, dict)]
        self.inflight.spawn(
            self._converse(
                event["user"], where, message_id, _at(event.get("ts"), self.clock), text=text, files=files
            )
        )

    async def _on_click(self, ack: Callable[..., Any], body: dict[str, Any], action: dict[str, Any]) -> None:
        """A button: the message loses its buttons, and the option's payload goes to the engine."""
        await ack()
        container = body.get("container") or {}
        original = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        message_ts = original.get("ts") or container.get("message_ts")
        payload = action.get("value")
        if not channel or not message_ts or not payload:
            return
        message_id = f"press:{channel}:{message_ts}"
        if not self._seen.add(message_id):
            return
        label = (action.get("text") or {}).get("text") or payload
        where = Where(channel, original.get("thread_ts"))
        at = _at(action.get("action_ts"), self.clock)
        self.inflight.spawn(self._click(body["user"]["id"], where, message_ts, original, label, payload, at))

    async def _click(
        self,
        user: str,
        where: Where,
        message_ts: str,
        original: dict[str, Any],
        label: str,
        payload: str,
        at: datetime,
    ) -> None:
        try:
            await self.client.chat_update(
                channel=where.channel, ts=message_ts, **render.after_click(original, label)
            )
        except SlackApiError as error:
            log.warning(
                "slack: could not remove the buttons of %s (%s)", message_ts, error.response.get("error")
            )
        await self._converse(user, where, f"press:{where.channel}:{message_ts}", at, press=payload)

    async def _on_command(self, ack: Callable[..., Any], command: dict[str, Any]) -> None:
        """`/spotter TEXT`: answered in the person's DM with the app (buttons and files work there)."""
        in_dm = str(command.get("channel_id", "")).startswith("D")
        await ack() if in_dm else await ack(text="I'll answer in our direct messages.")
        user, trigger = command.get("user_id"), command.get("trigger_id")
        if not user or not trigger:
            return
        message_id = f"cmd:{trigger}"
        if not self._seen.add(message_id):
            return
        text = (command.get("text") or "").strip() or "help"
        self.inflight.spawn(self._command(user, message_id, text, self.clock()))

    async def _command(self, user: str, message_id: str, text: str, at: datetime) -> None:
        try:
            where = Where(await self._dm(user))
        except SlackApiError as error:
            log.error("slack: no DM with %s (%s)", user, error.response.get("error"))
            return
        await self._converse(user, where, message_id, at, text=text)

    # --- the work after the ack ----------------------------------------------------------------

    async def _converse(
        self,
        user: str,
        where: Where,
        message_id: str,
        at: datetime,
        *,
        text: str | None = None,
        press: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> None:
        """Ask the engine (one message per person at a time) and post its answer."""
        async with self._one_at_a_time(user):
            audio, mime = None, None
            voice = next((f for f in files or () if is_audio(f)), None)
            if voice is not None:
                if int(voice.get("size") or 0) > MAX_AUDIO_BYTES:
                    await self._post(where, TOO_LONG)
                    return
                fetched = await self._download(voice)
                if fetched is None:
                    await self._post(where, NO_AUDIO)
                    return
                audio, mime = fetched
            incoming = Incoming(
                channel=NAME,
                sender_id=user,
                message_id=message_id,
                at=at,
                text=text,
                press=press,
                audio=audio,
                audio_mime=mime,
                sender_email=await self._email(user),
            )
            reply = await ask_engine(self.engine, incoming)
            await self._post(where, reply)

    @contextlib.asynccontextmanager
    async def _one_at_a_time(self, user: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(user) or (asyncio.Lock(), 0)
        self._locks[user] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[user]
            if users <= 1:
                del self._locks[user]
            else:
                self._locks[user] = (lock, users - 1)

    async def _post(self, where: Where, reply: Reply) -> None:
        """The answer: text and buttons, then each attachment uploaded into the same conversation."""
        try:
            await self.client.chat_postMessage(
                channel=where.channel, thread_ts=where.thread_ts, **render.message(reply)
            )
            for attachment in reply.attachments:
                await self.client.files_upload_v2(
                    channel=where.channel,
                    thread_ts=where.thread_ts,
                    file=attachment.content,
                    filename=attachment.filename,
                    title=attachment.filename,
                )
        except (SlackApiError, SlackClientError) as error:
            # The engine has stored the answer; the person sees it if they ask again.
            log.error("slack: could not answer in %s: %s", where.channel, error)

    async def _dm(self, user: str) -> str:
        """The DM conversation between the app and `user` (conversations.open, remembered)."""
        channel = self._dms.get(user)
        if channel is None:
            opened = await self.client.conversations_open(users=user)
            channel = str(opened["channel"]["id"])
            self._dms[user] = channel
        return channel

    async def _email(self, user: str) -> str | None:
        """The user's confirmed e-mail from users.info (users:read.email), remembered for EMAIL_TTL s.

        The engine uses it only for a sender it does not know yet; remembering Slack's
        answer (an address or none) spares a users.info call per message.
        """
        now = time.monotonic()
        known = self._emails.get(user)
        if known is not None and known[1] > now:
            return known[0]
        try:
            found = (await self.client.users_info(user=user)).get("user") or {}
        except SlackApiError as error:
            if error.response.status_code == 429:
                return None  # rate limited: not remembered, asked again next time
            found = {}  # Slack answered (user_not_found, ...): no address, remembered like one
        except SlackClientError as error:
            log.warning("slack: users.info for %s failed (%s)", user, error)
            return None
        email = (found.get("profile") or {}).get("email")
        trusted = (
            not found.get("is_bot") and not found.get("deleted") and found.get("is_email_confirmed", True)
        )
        address = str(email).strip().lower() if email and trusted else None
        self._emails[user] = (address, now + EMAIL_TTL)
        self._emails.move_to_end(user)
        if len(self._emails) > REMEMBERED:
            self._emails.popitem(last=False)
        return address

    def _trusted(self, url: str) -> bool:
        """The bot token goes only to Slack's own hosts (or to the configured API host)."""
        parts, api = urlsplit(url), urlsplit(self.settings.slack_api_url)
        host = (parts.hostname or "").lower()
        if parts.scheme == api.scheme and host == (api.hostname or "").lower() and parts.port == api.port:
            return True
        return parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com"))

    async def _download(self, file: dict[str, Any]) -> tuple[bytes, str] | None:
        """A file's bytes and type, fetched with the bot token (files:read); None when it cannot be had."""
        url = file.get("url_private_download") or file.get("url_private")
        if not url or not self._trusted(str(url)) or self._http is None:
            log.warning("slack: file %s has no download URL I may use", file.get("id"))
            return None
        headers = {"Authorization": f"Bearer {self.settings.slack_bot_token}"}
        try:
            async with self._http.get(str(url), headers=headers) as response:
                if response.status != 200:
                    log.warning("slack: download of %s answered %s", file.get("id"), response.status)
                    return None
                content = await response.content.read(MAX_AUDIO_BYTES + 1)
                if len(content) > MAX_AUDIO_BYTES:
                    return None
                mime = str(file.get("mimetype") or response.content_type or "application/octet-stream")
                return content, mime
        except (TimeoutError, aiohttp.ClientError) as error:
            log.warning("slack: download of %s failed (%s)", file.get("id"), error)
            return None
