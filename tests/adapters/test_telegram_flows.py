"""Telegram end to end: the real python-telegram-bot against the fake Bot API, the real engine and store.

Each test runs on SQLite and PostgreSQL (the `store` fixture). The channel is
pointed at the fake with `api_url` (what SPOTTER_TELEGRAM_API_URL sets); in
webhook mode the fake posts updates to the channel's aiohttp route with the
secret token, as Telegram does.
"""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import av
import numpy as np
import pytest
from aiohttp import web
from fake_telegram import TOKEN, FakeTelegram
from sqlalchemy import select

from adapters.telegram import TelegramChannel
from bot.messages import Incoming, Reply
from domain.actor import Actor
from domain.commands import IssueLinkCode, LinkIdentity
from domain.model import ChatIdentity
from tests.bot.engine_helpers import World

SECRET = "s3cret-token_for-tests"
SARAH, JOHN_D, NORA = 1001, 1004, 2002


class Recording:
    """The engine, noting every message the channel hands it."""

    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.engine = engine
        self.seen: list[Incoming] = []

    def handle(self, message: Incoming) -> Reply:
        self.seen.append(message)
        return self.engine.handle(message)


@dataclass
class Rig:
    fake: FakeTelegram
    channel: TelegramChannel
    engine: Recording


@pytest.fixture
def world(store, clock) -> World:
    w = World.build(store, clock)
    w.at("2026-03-11T17:20")
    system = Actor.system(w.studio_id, "test")
    for handle, user_id in (("sarah", SARAH), ("john.d", JOHN_D)):
        store.execute(system, LinkIdentity(w.people[handle], "telegram", str(user_id)))
    return w


@asynccontextmanager
async def telegram(world: World, *, webhook: bool = False) -> AsyncIterator[Rig]:
    """The fake Bot API, and the channel on an aiohttp server of its own (webhook) or polling."""
    fake = await FakeTelegram().start()
    fake.clock = lambda: world.clock().timestamp()
    engine = Recording(world.engine)
    app = web.Application()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/telegram/webhook"
    channel = TelegramChannel(
        engine,
        TOKEN,
        api_url=fake.url,
        webhook_url=url if webhook else None,
        secret=SECRET if webhook else None,
        clock=world.clock,
        poll_timeout=1,
    )
    await channel.start(app)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield Rig(fake, channel, engine)
    finally:
        await channel.stop()
        await runner.cleanup()
        await fake.close()


def texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m["text"] for m in fake.sent_to(chat_id) if "text" in m]


def buttons(message: dict) -> dict[str, str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


def opus_note(seconds: float = 1.0) -> bytes:
    """A real OGG/Opus voice note (a 440 Hz tone), as Telegram clients record them."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ogg") as out:
        stream = out.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        t = np.arange(int(48000 * seconds)) / 48000
        samples = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype(np.int16).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = 48000
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buffer.getvalue()


def test_start_with_a_link_code_links_the_person_and_publishes_the_menu(world: World, store) -> None:
    code = store.execute(Actor.system(world.studio_id, "test"), IssueLinkCode(world.people["nolink"]))

    async def body() -> None:
        async with telegram(world) as rig:
            assert [c["command"] for c in rig.fake.commands] == ["help", "log", "book", "sessions"]
            rig.fake.queue_update(rig.fake.text_update(NORA, "hello"))
            await rig.fake.wait_for("sendMessage")
            assert "link code" in texts(rig.fake, NORA)[-1]
            rig.fake.queue_update(rig.fake.text_update(NORA, f"/start {code}"))  # t.me/bot?start=CODE
            await rig.fake.wait_for("sendMessage", 2)
            assert texts(rig.fake, NORA)[-1].startswith("Welcome, Nora Link!")
            rig.fake.queue_update(rig.fake.text_update(NORA, "/help"))
            await rig.fake.wait_for("sendMessage", 3)
            assert "link code" not in texts(rig.fake, NORA)[-1]
            assert rig.engine.seen[-1].text == "help"

    asyncio.run(body())
    with store.sessions() as db:
        linked = db.scalars(select(ChatIdentity).where(ChatIdentity.channel == "telegram")).all()
        assert {(i.external_id, i.person_id) for i in linked} >= {(str(NORA), world.people["nolink"])}


def test_text_then_a_button_press_books_the_session(world: World) -> None:
    async def body() -> None:
        async with telegram(world) as rig:
            fake = rig.fake
            fake.queue_update(fake.text_update(SARAH, "book John tomorrow at 10am"))
            await fake.wait_for("sendMessage")
            question = fake.last_text(SARAH)
            assert question["text"] == "Which John?"
            choices = buttons(question)
            assert set(choices) == {"John Smith", "John Doe"}
            assert all(len(data.encode()) <= 64 for data in choices.values())
            assert world.sessions() == []
            asked = next(mid for mid, m in fake.messages.items() if m is question)
            fake.queue_update(fake.callback_update(SARAH, choices["John Doe"], asked))
            await fake.wait_for("sendMessage", 2)
            assert fake.calls_to("answerCallbackQuery")
            assert fake.messages[asked]["reply_markup"] is None  # cannot be pressed twice
            assert "John Doe" in fake.last_text(SARAH)["text"]
            assert rig.engine.seen[-1].press == choices["John Doe"]

    asyncio.run(body())
    booked = world.sessions()
    assert [(s["client"], s["start"], s["status"]) for s in booked] == [
        ("john.d", datetime(2026, 3, 12, 10, 0), "scheduled")
    ]


def test_a_voice_note_is_downloaded_and_reaches_the_voice_path(world: World) -> None:
    note = opus_note()

    async def body() -> None:
        async with telegram(world) as rig:
            fake = rig.fake
            file_id = fake.add_file(note)
            fake.queue_update(fake.voice_update(SARAH, file_id))
            await fake.wait_for("sendMessage")
            heard = rig.engine.seen[-1]
            assert heard.audio == note and heard.audio_mime == "audio/ogg" and heard.text is None
            assert heard.sender_id == str(SARAH)
            assert fake.calls_to("getFile")[0].params["file_id"] == file_id
            assert fake.last_text(SARAH)["text"]  # answered (voice unavailable or a transcript)

            big = fake.add_file(b"OggS", size=25 * 1024 * 1024)
            fake.queue_update(fake.voice_update(SARAH, big))
            await fake.wait_for("sendMessage", 2)
            assert "too big" in fake.last_text(SARAH)["text"]
            assert len(rig.engine.seen) == 1  # the engine never saw the oversized note

    asyncio.run(body())


def test_a_webhook_with_a_wrong_or_missing_secret_is_refused_and_changes_nothing(world: World) -> None:
    async def body() -> None:
        async with telegram(world, webhook=True) as rig:
            fake = rig.fake
            assert fake.webhook is not None and fake.webhook["secret_token"] == SECRET
            update = fake.text_update(SARAH, "book John Doe tomorrow at 10am")
            assert await fake.deliver(update, secret="not-the-secret") == 403
            assert await fake.deliver(update, secret="") == 403
            assert rig.engine.seen == [] and fake.calls_to("sendMessage") == []
            assert world.inbox_count() == 0 and world.sessions() == []
            assert await fake.deliver(update) == 200
            assert len(world.sessions()) == 1

    asyncio.run(body())


def test_a_429_is_retried_after_retry_after(world: World) -> None:
    async def body() -> None:
        async with telegram(world) as rig:
            fake = rig.fake
            fake.rate_limit_once("sendMessage", retry_after=1)
            fake.queue_update(fake.text_update(SARAH, "help"))
            first, second = await fake.wait_for("sendMessage", 2)
            assert second.at - first.at >= 1.0
            assert len(texts(fake, SARAH)) == 1 and texts(fake, SARAH)[0]
            assert len(rig.engine.seen) == 1

    asyncio.run(body())


def test_an_update_delivered_twice_has_one_effect_even_across_a_restart(world: World) -> None:
    async def body() -> None:
        async with telegram(world, webhook=True) as rig:
            update = rig.fake.text_update(JOHN_D, "book with Sarah tomorrow at 9am")
            statuses = await asyncio.gather(rig.fake.deliver(update), rig.fake.deliver(update))
            assert statuses == [200, 200]
            assert await rig.fake.deliver(update) == 200
            assert len(texts(rig.fake, JOHN_D)) == 1
            first_reply = texts(rig.fake, JOHN_D)[0]
        async with telegram(world, webhook=True) as rig:  # a new process: only the engine remembers
            assert await rig.fake.deliver(update) == 200
            assert texts(rig.fake, JOHN_D) == [first_reply]

    asyncio.run(body())
    booked = [s for s in world.sessions() if s["client"] == "john.d"]
    assert len(booked) == 1 and booked[0]["start"] == datetime(2026, 3, 12, 9, 0)


def test_a_failed_reply_is_answered_500_and_telegrams_redelivery_gets_it_with_one_effect(
    world: World,
) -> None:
    async def body() -> None:
        async with telegram(world, webhook=True) as rig:
            fake = rig.fake
            update = fake.text_update(JOHN_D, "book with Sarah tomorrow at 9am")
            fake.fail_once("sendMessage", 502, "Bad Gateway")
            assert await fake.deliver(update) == 500  # Telegram will deliver it again
            assert texts(fake, JOHN_D) == []
            assert await fake.deliver(update) == 200
            assert len(texts(fake, JOHN_D)) == 1 and "Sarah Lee" in texts(fake, JOHN_D)[0]

            fake.block(SARAH)  # a user who blocked the bot is not retried for ever
            assert await fake.deliver(fake.text_update(SARAH, "help")) == 200

    asyncio.run(body())
    assert len([s for s in world.sessions() if s["client"] == "john.d"]) == 1
