"""The Telegram channel's own behaviour against the fake Bot API, with a scripted engine (no store).

The flows with the real engine and store are in test_telegram_flows.py; here:
the command menu's words, rendering (long text, long payloads, files), group
chats, notifications, start-up failures and a graceful stop.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from aiohttp import web
from fake_telegram import TOKEN, FakeTelegram

from adapters.base import ChannelError, Settings
from adapters.server import Server
from adapters.telegram import TelegramChannel
from adapters.telegram.render import MAX_DATA, CallbackData, chunks
from adapters.telegram.updates import command_text
from bot.messages import Attachment, Incoming, Option, Reply

USER = 777


class Scripted:
    """An engine that answers with `answer(message)` and notes what it was given."""

    def __init__(self, answer: Callable[[Incoming], Reply] | None = None, delay: float = 0.0) -> None:
        self.answer = answer or (lambda m: Reply(f"you said: {m.text or m.press}"))
        self.delay = delay
        self.seen: list[Incoming] = []
        self.started = threading.Event()

    def handle(self, message: Incoming) -> Reply:
        self.seen.append(message)
        self.started.set()
        time.sleep(self.delay)
        return self.answer(message)


@asynccontextmanager
async def polling(engine: Scripted) -> AsyncIterator[tuple[FakeTelegram, TelegramChannel]]:
    fake = await FakeTelegram().start()
    channel = TelegramChannel(engine, TOKEN, api_url=fake.url, poll_timeout=1)
    await channel.start(web.Application())
    try:
        yield fake, channel
    finally:
        await channel.stop()
        await fake.close()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("/log John at 3pm", "log John at 3pm"),
        ("/log", "log session"),
        ("/book@spotter_test_bot Friday 10am", "book Friday 10am"),
        ("/sessions this week", "sessions this week"),
        ("/sessions", "sessions"),
        ("/help", "help"),
        ("/start", "help"),
        ("/start ABCD-2345", "/start ABCD-2345"),
        ("log session with Emma", "log session with Emma"),
        ("/book@other_bot Friday", None),
    ],
)
def test_commands_become_words_the_engine_understands(typed: str, meant: str | None) -> None:
    assert command_text(typed, "spotter_test_bot") == meant


def test_long_text_is_cut_at_line_breaks_within_telegrams_limit() -> None:
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(120))
    pieces = chunks(text)
    assert len(pieces) > 1 and all(len(p) <= 4096 for p in pieces)
    assert "\n".join(pieces) == text


def test_a_payload_over_64_bytes_travels_as_a_stable_short_id() -> None:
    data = CallbackData()
    long = "approve:" + "é" * 40
    short = data.encode(long)
    assert len(short.encode()) <= MAX_DATA and short == data.encode(long)
    assert data.decode(short) == long
    assert data.encode("pick:ab12.0") == "pick:ab12.0" == data.decode("pick:ab12.0")


def test_replies_render_as_keyboards_documents_and_photos_and_presses_come_back() -> None:
    long_payload = "approve:" + "x" * 80
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32

    def answer(message: Incoming) -> Reply:
        if message.press:
            return Reply(f"pressed {message.press}")
        return Reply(
            "report\n" + "y" * 5000,
            options=(Option("Approve", long_payload), Option("Later", "pick:q1.1")),
            attachments=(
                Attachment("csv", "sessions.csv", b"date,client\n2026-03-11,Emma\n", "text/csv"),
                Attachment("png", "chart.png", png, "image/png"),
                Attachment("ics", "session.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
            ),
        )

    engine = Scripted(answer)

    async def body() -> None:
        async with polling(engine) as (fake, _):
            fake.queue_update(fake.text_update(USER, "report"))
            await fake.wait_for("sendDocument", 2)
            await fake.wait_for("sendPhoto")
            sent = fake.sent_to(USER)
            texts = [m for m in sent if "text" in m]
            assert len(texts) == 2 and texts[0]["reply_markup"] is None
            keyboard = texts[1]["reply_markup"]["inline_keyboard"]
            assert [row[0]["text"] for row in keyboard] == ["Approve", "Later"]
            assert all(len(row[0]["callback_data"].encode()) <= 64 for row in keyboard)
            files = {m["document"]["filename"]: m["document"]["content"] for m in sent if "document" in m}
            assert files == {
                "sessions.csv": b"date,client\n2026-03-11,Emma\n",
                "session.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            }
            assert [m["photo"]["content"] for m in sent if "photo" in m] == [png]
            asked = next(mid for mid, m in fake.messages.items() if m is texts[1])
            fake.queue_update(fake.callback_update(USER, keyboard[0][0]["callback_data"], asked))
            await fake.wait_for("sendMessage", 3)
            assert fake.last_text(USER)["text"] == f"pressed {long_payload}"

    asyncio.run(body())
    assert engine.seen[-1].press == long_payload and engine.seen[-1].message_id.startswith("cb:")


def test_group_chats_are_not_conversations_and_other_content_gets_a_polite_answer() -> None:
    engine = Scripted()

    async def body() -> None:
        async with polling(engine) as (fake, _):
            update = fake.text_update(USER, "/help")
            update["message"]["chat"] = {"id": -100, "type": "group", "title": "Studio"}
            fake.queue_update(update)
            await fake.wait_for("sendMessage")
            assert "private chat" in fake.last_text(-100)["text"]
            sticker = fake.text_update(USER, "x")
            del sticker["message"]["text"]
            sticker["message"]["sticker"] = {
                "file_id": "s1",
                "file_unique_id": "us1",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
            fake.queue_update(sticker)
            await fake.wait_for("sendMessage", 2)
            assert "text" in fake.last_text(USER)["text"]

    asyncio.run(body())
    assert engine.seen == []


def test_send_delivers_a_notification_to_the_linked_chat() -> None:
    async def body() -> None:
        async with polling(Scripted()) as (fake, channel):
            await channel.send(str(USER), Reply("Emma booked Fri 10:00", options=(Option("OK", "ok:1"),)))
            message = fake.last_text(USER)
            assert message["text"] == "Emma booked Fri 10:00"
            assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ok:1"

    asyncio.run(body())


def test_a_rejected_token_is_reported_without_revealing_it_and_other_channels_keep_running() -> None:
    async def body() -> None:
        fake = await FakeTelegram().start()
        try:
            wrong = "999:WRONG-secret-token"
            channel = TelegramChannel(Scripted(), wrong, api_url=fake.url)
            with pytest.raises(ChannelError) as raised:
                await channel.start(web.Application())
            assert "rejected the bot token" in str(raised.value) and wrong not in str(raised.value)

            lines: list[str] = []
            settings = Settings(port=0, telegram_bot_token=wrong, telegram_api_url=fake.url)
            good = TelegramChannel(Scripted(), TOKEN, api_url=fake.url, poll_timeout=1)
            server = Server(settings, Scripted(), channels=[channel, good], report=lines.append)
            await server.start()
            try:
                assert any("NOT started" in line and "rejected" in line for line in lines)
                assert any(line.startswith("telegram: @spotter_test_bot via long polling") for line in lines)
            finally:
                await server.stop()
        finally:
            await fake.close()

    asyncio.run(body())


def test_webhook_mode_needs_a_valid_secret() -> None:
    with pytest.raises(ChannelError, match="SPOTTER_TELEGRAM_SECRET"):
        TelegramChannel(Scripted(), TOKEN, webhook_url="https://example.org/telegram/webhook")
    with pytest.raises(ChannelError, match="letters, digits"):
        TelegramChannel(Scripted(), TOKEN, webhook_url="https://example.org/x", secret="no spaces!")


def test_serve_builds_the_webhook_channel_from_settings_and_stop_finishes_work_in_flight() -> None:
    engine = Scripted(delay=0.5)

    async def body() -> None:
        fake = await FakeTelegram().start()
        settings = Settings(
            port=0,
            telegram_bot_token=TOKEN,
            telegram_api_url=fake.url,
            telegram_webhook_url="https://bot.example.org/telegram/webhook",
            telegram_secret="abc_DEF-123",
        )
        server = Server(settings, engine, builders=("adapters.telegram:build",), report=lambda line: None)
        await server.start()
        try:
            assert fake.webhook == {"url": settings.telegram_webhook_url, "secret_token": "abc_DEF-123"}
            fake.webhook["url"] = f"http://127.0.0.1:{server.port}/telegram/webhook"  # the public URL's proxy
            delivery = asyncio.ensure_future(fake.deliver(fake.text_update(USER, "hello")))
            await asyncio.to_thread(engine.started.wait, 5)
            await server.stop()  # SIGTERM's path: the message taken is still answered
            assert await delivery == 200
            assert fake.last_text(USER)["text"] == "you said: hello"
        finally:
            await fake.close()

    asyncio.run(body())
    assert [m.at.tzinfo is not None and m.at <= datetime.now(UTC) for m in engine.seen] == [True]
