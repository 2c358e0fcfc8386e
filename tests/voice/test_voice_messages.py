"""Voice messages through the engine: formats the platforms send, unusable audio, unsure transcripts."""

from __future__ import annotations

import io

import pytest
from voice_commands import NOW
from voice_fixtures import clips, fresh_transcripts, voice_extra  # noqa: F401 - fixtures
from voice_speech import encode
from voice_studio import PEOPLE, Twin, local

from bot.engine import Engine
from bot.voice import audio
from bot.voice import transcriber as transcriber_module
from bot.voice.hear import UNSURE, warm_up
from bot.voice.vocabulary import build_vocabulary


def _silence_wav(seconds: float, rate: int = 16000) -> bytes:
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(int(seconds * rate) * 2))
    return out.getvalue()


def _tone_wav(seconds: float, rate: int = 8000) -> bytes:
    import math
    import struct
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(i * 0.3))) for i in range(int(seconds * rate)))
        )
    return out.getvalue()


@pytest.fixture
def studio(store, clock, voice_extra, fresh_transcripts) -> Twin:  # noqa: F811
    clock.set(local(NOW))
    return Twin(store, Engine(store), "voice", (("sarah", "emma", "2026-03-12T14:00", "book"),))


@pytest.mark.parametrize(
    ("make", "mime", "words"),
    [
        (lambda: b"", "audio/ogg", "empty"),
        (lambda: b"OggS\x00\x02" + bytes(range(256)) * 8, "audio/ogg", "damaged"),
        (lambda: b"\x89PNG\r\n\x1a\n" + bytes(500), "image/png", "isn't a voice message"),
        (lambda: b"just some text, not audio at all" * 10, "audio/mpeg", "couldn't read"),
        (lambda: encode(_silence_wav(2.0), "ogg"), "audio/ogg", "silent"),
        (lambda: encode(_tone_wav(125.0), "ogg"), "audio/ogg", "longer than 2 minutes"),
        (lambda: bytes(audio.MAX_BYTES + 1), "audio/ogg", "too large"),
    ],
    ids=["empty", "corrupt", "image", "text-as-mp3", "silent", "too-long", "too-large"],
)
def test_unusable_audio_gets_a_clear_reply_and_changes_nothing(
    studio: Twin, make, mime: str, words: str
) -> None:
    before = studio.snapshot()
    reply = studio.send("sarah", audio=make(), audio_mime=mime)
    assert reply.error
    assert words in reply.text
    assert "voice message" in reply.text or "audio" in reply.text
    assert studio.snapshot() == before
    # and the conversation carries on: a typed message afterwards works as usual
    assert not studio.send("sarah", text="how many sessions does Emma have left").error


@pytest.mark.parametrize(("fmt", "mime"), [("m4a", "audio/mp4"), ("mp4", "video/mp4"), ("mp3", "audio/mpeg"), ("webm", "audio/webm"), ("ogg", "audio/ogg"), ("wav", "audio/wav")])  # fmt: skip
def test_every_platform_format_is_heard(clips, studio: Twin, fmt: str, mime: str) -> None:  # noqa: F811
    clip = clips.clip("how many sessions do I have left", "en-us", 150, fmt)
    stream = audio.PcmStream(clip.data, mime)
    pcm = b"".join(stream)
    assert len(pcm) == stream.samples * 2 and 1.0 < stream.seconds < 4.0
    reply = studio.send("emma", audio=clip.data, audio_mime=mime)
    assert reply.text.startswith("I heard: ")


def test_any_rate_and_channel_count_becomes_16k_mono(clips) -> None:  # noqa: F811
    wav = clips.clip("hello", "en-us", 150, "wav").data
    stereo_8k = encode(wav, "wav", rate=8000, channels=2)
    mono_48k = encode(wav, "wav", rate=48000)
    a, b = audio.PcmStream(stereo_8k), audio.PcmStream(mono_48k)
    pa, pb = b"".join(a), b"".join(b)
    assert abs(a.seconds - b.seconds) < 0.05
    assert abs(len(pa) - len(pb)) < 0.05 * audio.RATE * 2


def test_an_unsure_transcript_asks_before_changing_anything(clips, studio: Twin, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv("SPOTTER_VOICE_MIN_CONFIDENCE", "1.01")  # every transcript counts as unsure
    clip = clips.clip("cancel Emma's session on Thursday at 2pm", "en-us", 150, "ogg")
    before = studio.snapshot()
    asked = studio.send("sarah", audio=clip.data, audio_mime=clip.mime)
    assert asked.text.startswith("I heard: ") and asked.text.endswith(UNSURE)
    assert [o.label for o in asked.options] == ["Yes", "No"]
    assert studio.snapshot() == before
    no = studio.press("sarah", "No")
    assert "nothing was changed" in no.text
    assert studio.snapshot() == before
    again = studio.send("sarah", audio=clip.data, audio_mime=clip.mime)
    heard = again.text.partition("\n")[0].removeprefix("I heard: ")
    yes = studio.press("sarah", "Yes")
    # "Yes" runs the transcript down the text path: the same reply as typing it
    twin = Twin(studio.store, studio.engine, "typed", (("sarah", "emma", "2026-03-12T14:00", "book"),))
    assert yes.text == twin.send("sarah", text=heard).text


def test_a_retried_voice_message_has_one_effect(clips, studio: Twin) -> None:  # noqa: F811
    from bot.messages import Incoming

    clip = clips.clip("book Emma tomorrow at 10am", "en-us", 150, "ogg")
    message = Incoming(
        "voice", "sarah", "same-id", studio.store.clock(), audio=clip.data, audio_mime=clip.mime
    )
    first = studio.engine.handle(message)
    after_first = studio.snapshot()
    assert studio.engine.handle(message) == first
    assert studio.snapshot() == after_first


@pytest.mark.usefixtures("voice_extra")
def test_warm_up_builds_the_studio_model_before_the_first_note(store, clock, monkeypatch) -> None:
    monkeypatch.delenv("SPOTTER_VOSK_MODEL", raising=False)  # the fallback: it has a model to build
    transcriber_module.reset()
    try:
        clock.set(local(NOW))
        engine = Engine(store)
        Twin(store, engine, "telegram")
        fingerprint = build_vocabulary([name for _, name, _, _ in PEOPLE], engine.parser).fingerprint
        assert warm_up(engine) == 1
        stt = transcriber_module.transcriber()
        assert fingerprint in stt._domains
        assert any(d.fingerprint == fingerprint for d in stt._free)  # a recognizer waiting for the first note
    finally:
        transcriber_module.reset()


def test_a_first_note_is_heard_the_same_whatever_came_before(clips, monkeypatch) -> None:  # noqa: F811
    """A speaker's cepstral mean and warp are theirs: other people's notes do not change how one is heard."""
    from bot.voice.audio import PcmStream
    from bot.voice.sphinx import SphinxTranscriber

    vocabulary = build_vocabulary([name for _, name, _, _ in PEOPLE])
    stt = SphinxTranscriber(max_streams=1)  # one recognizer: every note goes through the same one
    note = clips.clip("book Emma tomorrow at 10am", "en-us+f3", 175, "ogg")
    others = [clips.clip(t, "en-us", 150, "webm") for t in ("help", "show my sessions this week")]
    first = stt.transcribe(PcmStream(note.data, note.mime), vocabulary, "telegram:a").text
    anonymous = stt.transcribe(PcmStream(note.data, note.mime), vocabulary).text
    for i, other in enumerate(others):
        stt.transcribe(PcmStream(other.data, other.mime), vocabulary, f"telegram:b{i}")
    assert stt.transcribe(PcmStream(note.data, note.mime), vocabulary, "telegram:c").text == first
    assert stt._voices["telegram:c"] == stt._voices["telegram:a"]  # the same warp, mean and likelihoods
    again = stt.transcribe(PcmStream(note.data, note.mime), vocabulary).text
    assert again == anonymous  # no speaker: the same
    assert set(stt._voices) == {"telegram:a", "telegram:b0", "telegram:b1", "telegram:c"}
    monkeypatch.setattr("bot.voice.sphinx.MAX_SPEAKERS", 2)
    stt.transcribe(PcmStream(note.data, note.mime), vocabulary, "telegram:d")
    assert list(stt._voices) == ["telegram:c", "telegram:d"]  # the oldest are forgotten first
