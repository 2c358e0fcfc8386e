"""The Telegram channel on python-telegram-bot: long polling or a webhook, into the engine and back.

One `Application` (pointed at SPOTTER_TELEGRAM_API_URL through `base_url` /
`base_file_url`) gives the bot, and in polling mode the updater. Every update,
polled or posted to `POST /telegram/webhook`, goes through `accept`:

- seen update ids are dropped (Telegram redelivers when it got no 200), and the
  engine is idempotent per (telegram, "chat:message" / "cb:query id") besides,
  so a redelivery after a restart still has one effect;
- the engine runs on a worker thread, one message at a time per chat (so an
  answer never overtakes its question), many chats at once;
- a webhook request is answered after the reply went out: if anything failed the
  answer is 500 and Telegram delivers again (the engine then gives its stored
  reply), so nothing the user said is lost; a wrong or missing secret token is
  403 before anything is read.

Replies become messages with an inline keyboard (one button per option, the
option's payload as callback data), documents (CSV, ICS) and photos (PNG). A
press is answered (answerCallbackQuery) and its keyboard removed before the
engine runs, so it cannot be pressed twice. Every Bot API call honours a 429's
`retry_after`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import warnings
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from aiohttp import web
from telegram import Bot, CallbackQuery, InputFile, Message, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from adapters.base import ChannelError, Handler, InFlight, ask_engine
from adapters.telegram.render import PHOTO_LIMIT, CallbackData, chunks
from adapters.telegram.updates import (
    CHANNEL,
    COMMANDS,
    MAX_AUDIO_BYTES,
    NOT_PRIVATE,
    TOO_BIG,
    command_text,
    message_key,
    press_key,
)
from bot.messages import Incoming, Reply

log = logging.getLogger("spotter.telegram")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
RETRIES = 4  # attempts of one Bot API call under flood control
MAX_RETRY_AFTER = 300.0  # seconds; a longer ban is not waited out inside one message
SEEN = 10_000  # update ids remembered for de-duplication
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
UNSUPPORTED = "Sorry, I can read text and listen to voice notes, but not that kind of message."

T = TypeVar("T")


class _ChatLocks:
    """One lock per chat while it has work, so a chat's messages are answered in order."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int):  # type: ignore[no-untyped-def]
        lock, users = self._locks.get(chat_id, (asyncio.Lock(), 0))
        self._locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[chat_id]
            if users <= 1:
                del self._locks[chat_id]
            else:
                self._locks[chat_id] = (lock, users - 1)


class TelegramChannel:
    """`Channel` for Telegram (see adapters/base.py)."""

    name = CHANNEL

    def __init__(
        self,
        engine: Handler,
        token: str,
        *,
        api_url: str = "https://api.telegram.org",
        webhook_url: str | None = None,
        secret: str | None = None,
        clock: Callable[[], datetime] | None = None,
        poll_timeout: float = 10.0,
    ) -> None:
        if webhook_url and not secret:
            raise ChannelError(
                "Telegram webhook mode needs SPOTTER_TELEGRAM_SECRET (1-256 letters, digits, _ or -) "
                "so that only Telegram can post to /telegram/webhook."
            )
        if secret and not _SECRET.match(secret):
            raise ChannelError("SPOTTER_TELEGRAM_SECRET may hold only 1-256 letters, digits, _ and -.")
        self.engine = engine
        self.webhook_url = webhook_url
        self.secret = secret
        self.clock = clock or (lambda: datetime.now(UTC))
        self.poll_timeout = poll_timeout
        self.callbacks = CallbackData()
        self.username: str | None = None
        self.description = ""  # the start-up line (`spotter serve` prints it), once started
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._ready = False
        api = self.api_url
        builder = (
            Application.builder()
            .token(token)
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            .concurrent_updates(64)
            .job_queue(None)  # nothing is scheduled here; reminders live in bot/delivery
        )
        if webhook_url:
            builder = builder.updater(None)
        self.app = builder.build()
        self.app.add_handler(TypeHandler(Update, self._on_polled))
        self.app.add_error_handler(self._on_error)
        self._inflight = InFlight(CHANNEL)
        self._locks = _ChatLocks()
        self._seen: OrderedDict[int, None] = OrderedDict()

    @property
    def bot(self) -> Bot:
        return self.app.bot

    # --- Channel -------------------------------------------------------------------------------

    async def start(self, web_app: web.Application) -> None:
        """Check the token (getMe), publish the command menu, then poll or register the webhook."""
        try:
            await self._start_bot()
        except TelegramError as error:
            with suppress(Exception):  # leave nothing running behind a channel that did not start
                await self._close()
            raise ChannelError(self._why(error)) from error
        if self.webhook_url:
            web_app.router.add_post(WEBHOOK_PATH, self.webhook)
            mode = f"webhook {self.webhook_url} (POST {WEBHOOK_PATH} here)"
        else:
            mode = "long polling"
        self.description = f"@{self.username} via {mode}"
        self._ready = True
        log.info("telegram: %s", self.description)

    async def _start_bot(self) -> None:
        await self.app.initialize()
        self.username = self.bot.username
        await self._call(partial(self.bot.set_my_commands, list(COMMANDS)))
        if self.webhook_url:
            await self._call(
                partial(
                    self.bot.set_webhook,
                    self.webhook_url,
                    secret_token=self.secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
        else:
            assert self.app.updater is not None
            await self.app.updater.start_polling(
                timeout=int(self.poll_timeout), allowed_updates=ALLOWED_UPDATES, poll_interval=0.0
            )
        await self.app.start()

    def _why(self, error: TelegramError) -> str:
        """A sentence for the operator; never the token (PTB's own messages may quote it)."""
        if isinstance(error, InvalidToken | Forbidden):
            return (
                "Telegram rejected the bot token (SPOTTER_TELEGRAM_BOT_TOKEN); "
                "copy the token BotFather gave you (/mybots -> API Token)."
            )
        detail = str(error).replace(self._token, "<token>")
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            return (
                f"Telegram's API at {self.api_url} is unreachable ({detail}); check SPOTTER_TELEGRAM_API_URL."
            )
        return f"Telegram refused to start the bot: {detail}"

    async def stop(self) -> None:
        """Stop polling, finish the updates already fetched and in flight, then close the connections."""
        self._ready = False
        await self._close()

    async def _close(self) -> None:
        updater = self.app.updater
        if updater is not None and updater.running:
            await updater.stop()  # no new updates; those fetched are still in the queue
        if self.app.running:
            await self.app.stop()  # handles the queued updates
        await self._inflight.drain()  # webhook work; refuses more (503: Telegram delivers it later)
        await self.app.shutdown()

    async def send(self, external_id: str, reply: Reply) -> None:
        """A notification to a person: in a private chat the chat id is the user id we linked."""
        if not self._ready:
            raise ChannelError("the Telegram channel is not started")
        await self._deliver(int(external_id), reply)

    # --- updates in ----------------------------------------------------------------------------

    async def webhook(self, request: web.Request) -> web.Response:
        """POST /telegram/webhook: Telegram's secret token first, then the update, answered when done."""
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403, text="forbidden")
        try:
            update = Update.de_json(await request.json(), self.bot)
        except Exception:  # noqa: BLE001 - anything unreadable is the sender's problem
            return web.Response(status=400, text="not a Telegram update")
        if update is None:
            return web.Response(status=400, text="not a Telegram update")
        try:
            done = await self.accept(update)
        except Exception:  # noqa: BLE001 - InFlight logged it; Telegram delivers it again
            return web.Response(status=500, text="failed; please retry")
        return web.Response(status=200 if done else 503)

    async def _on_polled(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            await self.accept(update)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram update failed: %s", update, exc_info=context.error)

    async def accept(self, update: Update) -> bool:
        """Handle an update once; False when shutting down (not taken), raises when it failed."""
        update_id = update.update_id
        if update_id in self._seen:
            return True
        self._seen[update_id] = None
        while len(self._seen) > SEEN:
            self._seen.popitem(last=False)
        task = self._inflight.spawn(self._process(update))
        if task is None:
            self._seen.pop(update_id, None)
            return False

        def forget_failure(done: asyncio.Task[Any]) -> None:
            if done.cancelled() or done.exception() is not None:
                self._seen.pop(update_id, None)  # a redelivery gets another try

        task.add_done_callback(forget_failure)
        await asyncio.shield(task)
        return True

    async def _process(self, update: Update) -> None:
        try:
            if update.callback_query is not None:
                await self._press(update.callback_query)
            elif update.message is not None:
                await self._message(update.message)
        except (Forbidden, BadRequest) as error:
            # The user blocked the bot, the chat is gone...: another delivery would fail the same way.
            log.warning("telegram update %s: reply not delivered: %s", update.update_id, error)

    async def _message(self, message: Message) -> None:
        user, chat = message.from_user, message.chat
        if user is None or user.is_bot:
            return
        if chat.type != "private":
            if (message.text or "").startswith("/"):
                await self._deliver(chat.id, Reply(NOT_PRIVATE))
            return
        async with self._locks.hold(chat.id):
            incoming = await self._incoming(message)
            if isinstance(incoming, Reply):
                await self._deliver(chat.id, incoming)
                return
            if incoming is None:
                return
            await self._deliver(chat.id, await ask_engine(self.engine, incoming))

    async def _incoming(self, message: Message) -> Incoming | Reply | None:
        """The engine's message for a Telegram one; a Reply when the adapter answers itself."""
        assert message.from_user is not None
        base: dict[str, Any] = {
            "channel": CHANNEL,
            "sender_id": str(message.from_user.id),
            "message_id": message_key(message.chat.id, message.message_id),
            "at": message.date,
        }
        media = message.voice or message.audio
        if media is not None:
            if (media.file_size or 0) > MAX_AUDIO_BYTES:
                return Reply(TOO_BIG, error=True)
            try:
                file = await self._call(partial(self.bot.get_file, media.file_id))
                audio = bytes(await self._call(file.download_as_bytearray))
            except BadRequest as error:
                if "too big" in str(error).lower():
                    return Reply(TOO_BIG, error=True)
                raise
            default = "audio/ogg" if message.voice is not None else "application/octet-stream"
            return Incoming(**base, audio=audio, audio_mime=media.mime_type or default)
        if message.text:
            text = command_text(message.text, self.username)
            return None if text is None else Incoming(**base, text=text)
        return Reply(UNSUPPORTED, error=True)

    async def _press(self, query: CallbackQuery) -> None:
        # Stop the button's spinner and take the keyboard away first: a second tap finds nothing.
        with suppress(BadRequest):
            await self._call(query.answer)
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        if isinstance(message, Message) and message.reply_markup is not None:
            with suppress(BadRequest):  # already removed (a redelivery) or too old to edit
                await self._call(
                    partial(
                        self.bot.edit_message_reply_markup,
                        chat_id=chat_id,
                        message_id=message.message_id,
                        reply_markup=None,
                    )
                )
        if not query.data:
            return
        incoming = Incoming(
            channel=CHANNEL,
            sender_id=str(query.from_user.id),
            message_id=press_key(query.id),
            at=self.clock(),
            press=self.callbacks.decode(query.data),
        )
        async with self._locks.hold(chat_id):
            await self._deliver(chat_id, await ask_engine(self.engine, incoming))

    # --- replies out ---------------------------------------------------------------------------

    async def _deliver(self, chat_id: int, reply: Reply) -> None:
        """The reply's text (in 4096-character pieces, the keyboard on the last), then its files."""
        pieces = chunks(reply.text)
        markup = self.callbacks.keyboard(reply.options)
        if markup is not None and not pieces:
            pieces = ["Choose one:"]
        for n, piece in enumerate(pieces):
            last = n == len(pieces) - 1
            await self._call(
                partial(self.bot.send_message, chat_id, piece, reply_markup=markup if last else None)
            )
        for attachment in reply.attachments:
            upload = InputFile(attachment.content, filename=attachment.filename)
            if attachment.kind == "png" and len(attachment.content) <= PHOTO_LIMIT:
                await self._call(partial(self.bot.send_photo, chat_id, upload))
            else:
                await self._call(partial(self.bot.send_document, chat_id, upload))

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        """One Bot API call; on 429 wait `retry_after` seconds (Telegram did nothing) and try again."""
        for attempt in range(RETRIES):
            try:
                return await call()
            except RetryAfter as error:
                wait = _seconds(error)
                if attempt == RETRIES - 1 or wait > MAX_RETRY_AFTER:
                    raise
                log.warning("telegram flood control: retrying in %.0f s", wait)
                await asyncio.sleep(wait)
        raise AssertionError("unreachable")


def _seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds (PTB 22 gives an int today, a timedelta later, and warns about it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
