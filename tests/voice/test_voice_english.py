"""English voice end to end on the engine the environment picks (PocketSphinx unless SPOTTER_VOSK_MODEL).

Each command of voice_commands.py is synthesised by espeak-ng with two voices at two
speeds, encoded as OGG/Opus (Telegram) or WebM/Opus (browsers), sent as a voice
message through the engine to one studio, and typed to its twin. A command is
fully correct when what was heard parses to the typed text's frame (person slots
resolved to studio members), the spoken reply is "I heard: ..." followed by exactly
the typed reply, and the diary, notifications and tags changed exactly as they did
for the typed one. (An unsure transcript is confirmed with "Yes", as a person would.)
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from voice_commands import COMMANDS, DIARY, NOW
from voice_fixtures import clips, fresh_transcripts, new_speakers  # noqa: F401 - fixtures
from voice_speech import VOICES
from voice_studio import Twin, frame, local, same_reply

from bot.engine import Engine
from bot.voice.hear import UNSURE

# The bar, held as a hard one: PocketSphinx with the phrase corpus, every note normalised
# per speaker (cepstral mean and frequency warp) and the reading chosen for the speaker, reached
# 79/88 = 89.8% here on 2026-11-24 (four messages above it).
TARGET = 0.85


def _delta(before: dict, after: dict) -> dict:
    return {k: sorted((Counter(after[k]) - Counter(before[k])).elements()) for k in after} | {
        f"-{k}": sorted((Counter(before[k]) - Counter(after[k])).elements()) for k in after
    }


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_transcripts", "new_speakers")
def test_spoken_commands_do_what_typed_ones_do(store, clock, clips) -> None:  # noqa: F811
    clock.set(local(NOW))
    engine = Engine(store)
    total = correct = asked = 0
    failures: list[str] = []
    for k, (voice, speed) in enumerate(VOICES):
        typed = Twin(store, engine, f"typed-{k}", DIARY)
        spoken = Twin(store, engine, f"voice-{k}", DIARY)
        for i, (who, text) in enumerate(COMMANDS):
            clip = clips.clip(text, voice, speed, "ogg" if (i + k) % 2 == 0 else "webm")
            typed_before, spoken_before = typed.snapshot(), spoken.snapshot()
            typed_reply = typed.send(who, text=text)
            reply = spoken.send(who, audio=clip.data, audio_mime=clip.mime)
            assert reply.text.startswith("I heard: "), reply.text
            heard = reply.text.partition("\n")[0]
            said = heard.removeprefix("I heard: ")
            same_frame = frame(engine.parser, who, said, local(NOW)) == frame(
                engine.parser, who, text, local(NOW)
            )
            if reply.text.endswith(UNSURE):
                asked += 1
                reply = spoken.press(who, "Yes")
                same = reply.text == typed_reply.text and reply.error == typed_reply.error
            else:
                same = same_reply(typed_reply, reply)
            same = same and same_frame
            same = same and _delta(typed_before, typed.snapshot()) == _delta(spoken_before, spoken.snapshot())
            total += 1
            correct += same
            if not same:  # as a person would: drop the question, undo the mistake, type it instead
                spoken.send(who, text="never mind")
                if _delta(spoken_before, spoken.snapshot()) != _delta(spoken_before, spoken_before):
                    spoken.send(who, text="undo")
                spoken.send(who, text=text)
            if not same:
                failures.append(f"[{voice} {speed} {clip.fmt}] {who}: {text!r} -> {heard!r}")
                if os.environ.get("VOICE_DEBUG"):  # the replies too, when tuning
                    failures.append(f"    typed: {typed_reply.text!r}\n    spoken: {reply.text!r}")
    rate = correct / total
    print(f"\nvoice suite: {correct}/{total} fully correct ({rate:.1%}); {asked} confirmed first")
    print("\n".join(failures))
    assert total >= 80 and len({t for _, t in COMMANDS}) >= 40
    missed = "\n".join(failures)
    assert rate >= TARGET, f"{rate:.1%} fully correct, short of the {TARGET:.0%} target:\n{missed}"
