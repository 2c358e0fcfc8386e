"""Bad input gets a clear, polite answer and changes nothing; the engine never crashes.

On SQLite and PostgreSQL (the `store` fixture).
"""

from __future__ import annotations

import pytest
from engine_helpers import World
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import SORRY

NOISE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from(
        ["🏋️", "💪💪", "\x00\x01\x1b[2J", "????", "   ", "a" * 10_000, "book", "log", "cancel", "1", "yes"]
    ),
)


@pytest.fixture
def world(store, clock) -> World:
    w = World.build(store, clock)
    w.at("2026-03-11T17:20")
    return w


@pytest.mark.parametrize(
    "text",
    [
        "x" * 10_000,
        "log session with " + "Emma " * 2000,
        "🏋️🏋️🏋️",
        "\x00\x07\x1b",
        "asdkjh qwpeoiru zmxncb",
        "log session with Zorblax at 3pm",
        "book Emma yesterday at 5pm",
        "",
    ],
)
def test_bad_input_is_answered_without_change(world: World, text: str) -> None:
    reply = world.say("sarah", text)
    assert reply.text and reply != SORRY
    assert world.sessions() == []
    assert world.notifications() == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(NOISE, min_size=1, max_size=3))
def test_no_message_crashes_the_engine(world: World, texts: list[str]) -> None:
    for text in texts:
        for who in ("sarah", "emma", "dana"):
            reply = world.say(who, text)
            assert reply.text and reply != SORRY, (who, text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.text(max_size=80))
def test_no_press_crashes_the_engine(world: World, payload: str) -> None:
    reply = world.press_payload("emma", payload)
    assert reply.text and reply.error and reply != SORRY
