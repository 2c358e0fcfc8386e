"""Delivery guarantees: one effect per (channel, message id), nothing recorded when a message fails, onboarding.

On SQLite and PostgreSQL (the `store` fixture).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from engine_helpers import World

from bot.engine import SORRY, Engine
from bot.intents import registry
from domain.actor import Actor
from domain.commands import IssueLinkCode


@pytest.fixture
def world(store, clock) -> World:
    w = World.build(store, clock)
    w.at("2026-03-11T17:20")
    return w


def test_a_message_delivered_twice_has_one_effect_and_the_same_reply(world: World) -> None:
    first = world.say("sarah", "log session with Emma at 3pm", mid="dup-1")
    again = world.say("sarah", "log session with Emma at 3pm", mid="dup-1")
    assert again == first
    assert len(world.sessions()) == 1
    assert len(world.notifications("emma")) == 1
    assert world.inbox_count() == 1


def test_the_same_message_id_on_another_channel_is_another_message(world: World) -> None:
    world.say("sarah", "log session with Emma at 3pm", mid="same")
    world.say("sarah", "log session with John Doe at 1pm", mid="same")  # same channel: the stored reply
    assert len(world.sessions()) == 1


def test_concurrent_duplicates_get_the_stored_reply_and_one_effect(world: World, store) -> None:
    message = world.message("sarah", "log session with Emma at 3pm", mid="race")
    engines = [Engine(store, world.engine.parser) for _ in range(3)]
    barrier = threading.Barrier(len(engines))
    replies: list[Any] = []

    def deliver(engine: Engine) -> None:
        barrier.wait()
        replies.append(engine.handle(message))

    threads = [threading.Thread(target=deliver, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(world.sessions()) == 1
    assert world.inbox_count() == 1
    assert all(r == replies[0] for r in replies), replies
    assert not replies[0].error


def test_a_crash_records_nothing_and_the_retry_works(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    real = registry.INTENTS["log_session"]
    calls = {"n": 0}

    def crash_once(turn, slots):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        reply = real.handler(turn, slots)  # the change is made ...
        if calls["n"] == 1:
            raise RuntimeError("power cut")  # ... and then the process fails
        return reply

    monkeypatch.setitem(registry.INTENTS, "log_session", registry.IntentSpec("log_session", crash_once))
    reply = world.say("sarah", "log session with Emma at 3pm", mid="crash-1")
    assert reply == SORRY
    assert world.sessions() == [] and world.notifications() == [] and world.inbox_count() == 0
    reply = world.say("sarah", "log session with Emma at 3pm", mid="crash-1")
    assert not reply.error and "Emma Wilson" in reply.text
    assert len(world.sessions()) == 1 and world.inbox_count() == 1


def test_an_unknown_sender_is_told_how_to_link(world: World) -> None:
    reply = world.say("stranger", "log session with Emma at 3pm")
    assert reply.error and "link" in reply.text.lower() and "code" in reply.text.lower()
    assert world.sessions() == []


def test_a_link_code_links_the_sender_who_is_then_greeted_by_name(world: World, store) -> None:
    code = store.execute(Actor.system(world.studio_id, "test"), IssueLinkCode(world.people["nolink"]))
    reply = world.say("nora-phone", f"/start {code}")
    assert "Nora Link" in reply.text and not reply.error
    reply = world.say("nora-phone", "help")
    assert not reply.error and "book" in reply.text
    again = world.say("someone-else", f"link {code}")
    assert again.error  # used once


def test_a_wrong_link_code_is_refused_politely(world: World) -> None:
    reply = world.say("stranger", "link ZZZZ9999")
    assert reply.error and "code" in reply.text.lower()


def test_a_manager_invites_by_chat_and_the_code_works(world: World) -> None:
    reply = world.say("dana", "invite Nora Link")
    assert not reply.error and "Nora Link" in reply.text
    code = reply.text.split("link code: ")[1].split(".")[0]
    reply = world.say("nora-phone", f"link {code}")
    assert "Nora Link" in reply.text and not reply.error


def test_a_client_cannot_invite(world: World) -> None:
    reply = world.say("emma", "invite John Smith")
    assert reply.error


def test_a_notification_is_queued_once_per_dedupe_key(world: World, store) -> None:
    from domain import notifications

    def queue_twice(uow):  # type: ignore[no-untyped-def]
        first = notifications.queue(uow, world.people["emma"], "note", "Hello", [("OK", "ok:1")], "once:1")
        second = notifications.queue(uow, world.people["emma"], "note", "Hello again", (), "once:1")
        return first, second

    first, second = store.run(Actor.system(world.studio_id, "test"), queue_twice)
    assert first is not None and second is None
    store.run(Actor.system(world.studio_id, "test"), queue_twice)  # a later transaction: still once
    queued = world.notifications("emma")
    assert [(n["text"], n["options"]) for n in queued] == [("Hello", [{"label": "OK", "payload": "ok:1"}])]
