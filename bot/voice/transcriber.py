"""The transcriber interface: PCM chunks + the studio's vocabulary in, words with confidences out.

Two engines implement it: Vosk (bot/voice/vosk.py, primary, when
SPOTTER_VOSK_MODEL names a model directory) and PocketSphinx
(bot/voice/sphinx.py, the fallback whose English model ships in its wheel, so
voice works right after install). `transcriber()` picks one per process and
keeps it: models are loaded once and shared, each message gets its own
recognizer.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.voice.vocabulary import Vocabulary

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Word:
    """One recognized word; `confidence` is the engine's posterior (0..1), `start`/`end` in seconds."""

    text: str
    confidence: float
    start: float = 0.0
    end: float = 0.0


@dataclass(frozen=True)
class Transcript:
    """What an engine heard. `confidence` is the mean of the words' confidences (1.0 with no words).

    `alternatives` are the engine's next-best readings of the same audio, best first, as
    lower-case texts (empty for engines that give none): the engine picks by sound and a
    language model; which reading makes sense for this speaker is decided in bot/voice/choose.py.
    """

    words: tuple[Word, ...]
    engine: str
    seconds: float = 0.0
    unknown_names: tuple[str, ...] = field(default=())
    alternatives: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def confidence(self) -> float:
        if not self.words:
            return 1.0
        return sum(w.confidence for w in self.words) / len(self.words)

    @property
    def lowest(self) -> float:
        return min((w.confidence for w in self.words), default=1.0)


class Transcriber(Protocol):
    """A speech recognizer: `name` for logs and figures, `transcribe` for one message."""

    name: str

    def transcribe(
        self, chunks: Iterable[bytes], vocabulary: Vocabulary, speaker: str | None = None
    ) -> Transcript:
        """Decode 16 kHz mono s16 PCM `chunks` (streamed) with the studio's vocabulary as hints.

        `speaker` (channel and sender) lets an engine carry what it learnt of a voice and
        microphone from one note of theirs to the next.
        """
        ...


class VoiceUnavailable(Exception):
    """No engine can run here (the `voice` extra is not installed); the text is the reply."""


_lock = threading.Lock()
_chosen: Transcriber | None = None


def transcriber() -> Transcriber:
    """The process's engine: Vosk when SPOTTER_VOSK_MODEL names a model directory, else PocketSphinx."""
    global _chosen
    if _chosen is not None:
        return _chosen
    with _lock:
        if _chosen is None:
            _chosen = _choose()
        return _chosen


def _choose() -> Transcriber:
    configured = os.environ.get("SPOTTER_VOSK_MODEL", "").strip()
    if configured:
        path = Path(configured).expanduser()
        try:
            from bot.voice.vosk import VoskTranscriber

            return VoskTranscriber(path)
        except ImportError:
            log.error("SPOTTER_VOSK_MODEL is set but vosk is not installed; using PocketSphinx")
        except ValueError as error:
            log.error("%s; using PocketSphinx instead", error)
    try:
        from bot.voice.sphinx import SphinxTranscriber

        return SphinxTranscriber()
    except ImportError as error:
        raise VoiceUnavailable(
            "Sorry, voice messages aren't set up on this server (the voice extra is missing); "
            "please type your message."
        ) from error


def reset() -> None:
    """Forget the chosen engine (tests that change SPOTTER_VOSK_MODEL)."""
    global _chosen
    with _lock:
        _chosen = None
