"""Choosing among a recognizer's readings the one this speaker can have meant (bot/voice/choose.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import pytest
from voice_commands import NOW
from voice_fixtures import clips, fresh_transcripts, voice_extra  # noqa: F401 - fixtures
from voice_studio import PEOPLE, ROLE, ROSTER, Twin, known_people, local, works_at

from bot.engine import Engine
from bot.people import Known
from bot.voice import transcriber as transcriber_module
from bot.voice.choose import Listener, choose, doubts
from bot.voice.hear import reconsider
from bot.voice.transcriber import Transcript, Word
from bot.voice.vocabulary import Vocabulary
from nlu import load_parser

PEOPLE_KNOWN = known_people()


def _listener(who: str, works_at: Callable[[Known, datetime], bool] | None = None) -> Listener:
    return Listener(PEOPLE_KNOWN[who], list(PEOPLE_KNOWN.values()), local(NOW), works_at)


def _doubts(who: str, text: str, works_at: Callable[[Known, datetime], bool] | None = None) -> list[str]:
    frame = load_parser().parse(text, now=local(NOW), role=ROLE[who], roster=ROSTER)
    return doubts(text, frame, _listener(who, works_at))


def _choose(who: str, readings: list[str]) -> int:
    parser = load_parser()
    return choose(
        readings, lambda t: parser.parse(t, now=local(NOW), role=ROLE[who], roster=ROSTER), _listener(who)
    )


@pytest.mark.parametrize(
    ("who", "text"),
    [
        ("sarah", "log a session with Emma yesterday at 3pm"),
        ("emma", "book a session with Sarah tomorrow at 11am"),
        ("dana", "what's Mike's commission this month"),
        ("sarah", "when is Mike free tomorrow"),
        ("dana", "cancel Emma's session with Sarah on Friday"),
        ("emma", "how many sessions do I have left"),
        ("sarah", "thanks"),
    ],
)
def test_what_people_say_raises_no_doubt(who: str, text: str) -> None:
    assert _doubts(who, text) == []


@pytest.mark.parametrize(
    ("who", "text", "doubt"),
    [
        ("sarah", "what's the weather like", "no request"),
        ("emma", "book a session with Dana tomorrow at 11am", "no client is called Dana"),  # the manager
        ("sarah", "is Emma free on Thursday", "names emma"),  # Emma is a client: not "free"
        ("dana", "cancel Emma's session with Emma on Friday", "names emma"),
        ("sarah", "what's Mike's commission this month", "Mike Chen's sessions"),  # refused to a trainer
        ("sarah", "export Mike's sessions this month", "Mike Chen's sessions"),
        ("emma", "log a session with Sarah yesterday", "can't log session"),  # clients don't log
        ("emma", "book a session with Emma tomorrow at 11am", "names themselves"),
        ("sarah", "book Emma yesterday at 10am", "booking in the past"),
        ("sarah", "log a session with Emma tomorrow at 10am", "session to come"),
    ],
)
def test_what_this_speaker_cannot_have_meant_is_doubted(who: str, text: str, doubt: str) -> None:
    found = _doubts(who, text)
    assert any(doubt in d for d in found), found


def test_a_booking_when_the_trainer_does_not_work_is_doubted() -> None:
    asked: list[tuple[str, int]] = []

    def asking(trainer: Known, start: datetime) -> bool:  # the studio's hours, noting whose were asked
        asked.append((trainer.handle, start.hour))
        return works_at(trainer, start)

    assert any("Sarah Lee doesn't work" in d for d in _doubts("sarah", "book Emma tomorrow at 9pm", asking))
    assert _doubts("sarah", "book Emma tomorrow at 5pm", asking) == []
    # a client's booking: with their own trainer unless they name one
    assert any(
        "Sarah Lee doesn't work" in d for d in _doubts("emma", "book a session tomorrow at 9pm", asking)
    )
    assert any(
        "Mike Chen doesn't work" in d
        for d in _doubts("emma", "move my session on Friday to 9pm with Mike", asking)
    )
    assert _doubts("sarah", "log a session with Emma yesterday at 9pm", asking) == []  # it took place
    assert ("mike", 21) in asked and ("sarah", 17) in asked


def test_the_first_reading_stands_when_it_makes_sense() -> None:
    # "one p m" and "four p m" both make sense: the recognizer's order decides, not us
    readings = ["book Emma tomorrow at one p m", "book Emma tomorrow at four p m"]
    assert _choose("sarah", readings) == 0


def test_the_first_reading_that_makes_sense_is_chosen() -> None:
    readings = [
        "book a session with Dana tomorrow at eleven a m",  # a manager, not a trainer
        "book a session with Emma tomorrow at eleven a m",  # the speaker herself
        "book a session with Sarah tomorrow at eleven a m",
        "book a session with Mike tomorrow at eleven a m",
    ]
    assert _choose("emma", readings) == 2


def test_when_nothing_makes_sense_the_first_reading_stands() -> None:
    assert _choose("sarah", ["bailed", "feels", "what's the weather"]) == 0


def _transcript(first: Iterable[tuple[str, float]], *alternatives: str) -> Transcript:
    words = tuple(Word(text, confidence) for text, confidence in first)
    return Transcript(words, "test", 2.0, alternatives=alternatives)


def test_a_chosen_reading_keeps_the_confidence_of_shared_words_only() -> None:
    parser = load_parser()
    first = [("book", 0.9), ("a", 0.8), ("session", 0.9), ("with", 0.8), ("dana", 0.3), ("tomorrow", 0.9)]
    transcript = _transcript(first, "book a session with sarah tomorrow", "book a session with mike tomorrow")
    chosen = reconsider(
        transcript,
        [p[1] for p in PEOPLE],
        _listener("emma"),
        lambda t: parser.parse(t, now=local(NOW), role="client", roster=ROSTER),
    )
    assert chosen.text == "book a session with sarah tomorrow"
    assert [w.confidence for w in chosen.words] == [
        0.9,
        0.8,
        0.9,
        0.8,
        0.3,
        0.9,
    ]  # "sarah" as unsure as "dana"
    assert (
        reconsider(
            _transcript(first[:4] + [("sarah", 0.3), ("tomorrow", 0.9)], "book a session with dana tomorrow"),
            [p[1] for p in PEOPLE],
            _listener("emma"),
            lambda t: parser.parse(t, now=local(NOW), role="client", roster=ROSTER),
        ).text
        == "book a session with sarah tomorrow"
    )  # a first reading that makes sense is kept


class _Readings:
    """A transcriber that hears every note as the readings it is given (the engine's side of choosing)."""

    name = "readings"

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def transcribe(
        self, chunks: Iterable[bytes], vocabulary: Vocabulary, speaker: str | None = None
    ) -> Transcript:
        for _ in chunks:  # the audio is decoded as usual; only the hearing is given
            pass
        return self.transcript


@pytest.fixture
def studio(store, clock, voice_extra, fresh_transcripts, monkeypatch) -> Twin:  # noqa: F811
    clock.set(local(NOW))
    twin = Twin(store, Engine(store), "voice")
    monkeypatch.setattr(transcriber_module, "_chosen", None)
    return twin


def _hear_as(monkeypatch, first: str, *alternatives: str) -> None:
    transcript = _transcript([(w, 0.9) for w in first.split()], *alternatives)
    monkeypatch.setattr(transcriber_module, "_chosen", _Readings(transcript))


def test_the_engine_acts_on_the_reading_that_makes_sense(clips, studio: Twin, monkeypatch) -> None:  # noqa: F811
    clip = clips.clip("book a session with Sarah tomorrow at 11am", "en-us", 150, "ogg")
    _hear_as(
        monkeypatch,
        "book a session with dana tomorrow at eleven a m",
        "book a session with sarah tomorrow at eleven a m",
    )
    reply = studio.send("emma", audio=clip.data, audio_mime=clip.mime)
    assert reply.text.startswith("I heard: book a session with Sarah tomorrow at eleven a m\n"), reply.text
    assert ("sarah", "emma", "2026-03-12T11:00:00", "scheduled") in studio.snapshot()["sessions"]


def test_an_answer_to_a_question_is_taken_as_heard(clips, studio: Twin, monkeypatch) -> None:  # noqa: F811
    asked = studio.send("sarah", text="log session with Emma Wilson")
    assert asked.text.endswith("?")  # what time?
    clip = clips.clip("at 7am", "en-us", 150, "ogg")
    # on its own "seven a m" is no request; as the answer to "what time?" it is exactly right
    _hear_as(monkeypatch, "seven a m", "log session with emma")
    reply = studio.send("sarah", audio=clip.data, audio_mime=clip.mime)
    assert reply.text.startswith("I heard: seven a m\n"), reply.text
    assert ("sarah", "emma", "2026-03-11T07:00:00", "pending_validation") in studio.snapshot()["sessions"]


def test_the_fallback_offers_its_next_readings(clips, monkeypatch) -> None:  # noqa: F811
    from bot.voice import sphinx
    from bot.voice.hear import transcribe_message

    monkeypatch.delenv("SPOTTER_VOSK_MODEL", raising=False)
    monkeypatch.setattr(transcriber_module, "_chosen", None)
    clip = clips.clip("book a session with Sarah tomorrow at 11am", "en-us+f3", 175, "ogg")
    transcript, _ = transcribe_message(clip.data, clip.mime, [p[1] for p in PEOPLE], load_parser(), "t:1")
    alternatives = transcript.alternatives
    assert 1 <= len(alternatives) <= sphinx.N_BEST
    assert len(set(alternatives)) == len(alternatives) and transcript.text not in alternatives
    assert all(
        w and w == w.lower() and "<" not in w and "(" not in w for a in alternatives for w in a.split()
    )
    monkeypatch.setattr(transcriber_module, "_chosen", None)


def test_the_engine_weighs_the_trainers_hours(clips, studio: Twin, monkeypatch) -> None:  # noqa: F811
    clip = clips.clip("book Emma tomorrow at 5pm", "en-us", 150, "ogg")
    _hear_as(monkeypatch, "book emma tomorrow at nine p m", "book emma tomorrow at five p m")  # works 6 to 8
    reply = studio.send("sarah", audio=clip.data, audio_mime=clip.mime)
    assert reply.text.startswith("I heard: book Emma tomorrow at five p m\n"), reply.text
    assert ("sarah", "emma", "2026-03-12T17:00:00", "scheduled") in studio.snapshot()["sessions"]
