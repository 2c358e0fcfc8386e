"""Voice recognition accuracy: does the spoken command parse to the same frame as the typed one?

Prints ONE JSON object. Each command of a set is synthesised by espeak-ng (the
voices and speeds of the voice test suite unless --voices), encoded as OGG/Opus
or WebM/Opus, transcribed by the engine the environment picks (PocketSphinx
unless SPOTTER_VOSK_MODEL) with the test studio's roster as hints, the reading
that makes sense for the speaker chosen as the engine chooses it when no
question is pending (bot/voice/choose.py; --first keeps the recognizer's first
reading), and parsed;
it counts as correct when its frame (intent and slots, a person slot taken as the
studio member it names) equals the typed text's.
This is the parser-level half of tests/voice/test_voice_english.py (which also
runs the engine and compares replies and the store), fast enough to try ideas.

Sets: `heldout` (benchmarks/voice_heldout.py: written from the contract by
someone who never saw the recognizer's corpus or the test suite; measure only,
never tune on it), `dev` (benchmarks/voice_dev.py: the set tuning is done on,
so its figure is optimistic) and `suite` (the test suite's commands).

Usage: python benchmarks/voice_accuracy.py [--set heldout|dev|suite] [--voices en-us:150,en-us+f3:175] [--first] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "voice"))
sys.path.append(str(REPO / "benchmarks"))  # last: benchmarks/nlu.py must not shadow the nlu package


def main() -> None:
    from voice_commands import COMMANDS, NOW
    from voice_dev import DEV
    from voice_heldout import HELDOUT
    from voice_speech import MIME, VOICES, ClipCache
    from voice_studio import PEOPLE, ROLE, ROSTER, frame, known_people, local, works_at

    from bot.voice.choose import Listener
    from bot.voice.hear import present, reconsider, transcribe_message
    from nlu import load_parser

    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--set", choices=("heldout", "dev", "suite"), default="heldout")
    args.add_argument("--voices", help="voice:words-per-minute,... (default: the test suite's)")
    args.add_argument("--cache", default=str(Path.home() / ".cache" / "spotter-voice-clips"))
    args.add_argument(
        "--no-speakers", action="store_true", help="no per-speaker state: every note normalised on its own"
    )
    args.add_argument("--first", action="store_true", help="the recognizer's first reading only")
    args.add_argument("-v", "--verbose", action="store_true", help="list what was misheard")
    opts = args.parse_args()
    voices = VOICES
    if opts.voices:
        voices = tuple((v.split(":")[0], int(v.split(":")[1])) for v in opts.voices.split(","))
    commands = {"heldout": HELDOUT, "dev": DEV, "suite": COMMANDS}[opts.set]
    names = [p[1] for p in PEOPLE]
    now = local(NOW)
    parser = load_parser()
    clips = ClipCache(Path(opts.cache))
    known = known_people()
    people = list(known.values())
    correct: Counter[str] = Counter()
    misheard: list[str] = []
    decode_s = audio_s = 0.0
    for k, (voice, speed) in enumerate(voices):
        for i, (who, text) in enumerate(commands):
            fmt = "ogg" if (i + k) % 2 == 0 else "webm"
            clip = clips.clip(text, voice, speed, fmt)
            started = time.perf_counter()
            speaker = None if opts.no_speakers else f"{voice}:{who}"  # as the engine keys them
            transcript, _ = transcribe_message(clip.data, MIME[fmt], names, parser, speaker)
            decode_s += time.perf_counter() - started
            if not opts.first:  # as the engine does with no question pending

                def parse(said: str, who: str = who) -> Any:
                    return parser.parse(said, now=now, role=ROLE[who], roster=ROSTER)

                listener = Listener(known[who], people, now, works_at)
                transcript = reconsider(transcript, names, listener, parse)
            audio_s += transcript.seconds
            heard = present(transcript.text, names)
            if frame(parser, who, heard, now) == frame(parser, who, text, now):
                correct[voice] += 1
            else:
                misheard.append(f"[{voice} {speed}] {text!r} -> {heard!r}")
    total = len(commands) * len(voices)
    result = {
        "set": opts.set,
        "readings": "first" if opts.first else "chosen for the speaker (bot/voice/choose.py)",
        "engine": transcript.engine,
        "commands": len(commands),
        "voices": {f"{v}:{s}": f"{correct[v]}/{len(commands)}" for v, s in voices},
        "frames_correct": round(sum(correct.values()) / total, 3),
        "rtf": round(decode_s / audio_s, 3) if audio_s else None,
    }
    if opts.verbose:
        result["misheard"] = misheard
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
