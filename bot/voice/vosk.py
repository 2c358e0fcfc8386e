"""The primary engine: Vosk (Kaldi) with a model directory from SPOTTER_VOSK_MODEL.

The model is loaded once per process and shared by every message; each message
gets its own recognizer (cheap), fed the PCM as it is decoded. Small Vosk
models (a `graph/HCLr.fst` + `Gr.fst` pair) accept a phrase list at run time:
the studio's vocabulary (command words, numbers, names) narrows the search to
what people say to Spotter. A word the model's lexicon lacks cannot be added
at run time; `model.vosk_model_find_word` finds such names and they are
reported (logged once and in `Transcript.unknown_names`), never dropped
silently. Big models (a static `HCLG.fst`) ignore phrase lists and decode freely.
SPOTTER_VOSK_GRAMMAR=0 turns the phrase list off.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.voice.transcriber import Transcript, Word
from bot.voice.vocabulary import Vocabulary

log = logging.getLogger(__name__)
RATE = 16000
_BATCH = RATE * 2 // 4  # bytes per AcceptWaveform call: a quarter of a second
_models: dict[Path, Any] = {}
_models_lock = threading.Lock()


def load_model(path: Path) -> Any:
    """The process's Vosk model for `path` (loaded on first use, then shared)."""
    path = path.resolve()
    with _models_lock:
        model = _models.get(path)
        if model is None:
            import vosk

            vosk.SetLogLevel(-1)
            model = vosk.Model(str(path))
            _models[path] = model
        return model


def is_model_dir(path: Path) -> bool:
    return (path / "am" / "final.mdl").is_file() and (path / "conf").is_dir()


def supports_phrases(path: Path) -> bool:
    """Small models build their graph at run time, so they take a phrase list."""
    return (path / "graph" / "HCLr.fst").is_file() and (path / "graph" / "Gr.fst").is_file()


class VoskTranscriber:
    """Vosk with the model at `path`; raises ValueError when `path` is not a Vosk model."""

    name = "vosk"

    def __init__(self, path: Path) -> None:
        import vosk  # noqa: F401 - fail here (ImportError) when the extra is missing

        path = Path(path).expanduser()
        if not is_model_dir(path):
            raise ValueError(
                f"SPOTTER_VOSK_MODEL={path} is not a Vosk model directory (no am/final.mdl); "
                "run `spotter voice install-model` or point it at an unpacked model"
            )
        self.path = path
        self.phrases = supports_phrases(path) and os.environ.get("SPOTTER_VOSK_GRAMMAR", "1") != "0"
        self._grammars: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        return load_model(self.path)

    def grammar(self, vocabulary: Vocabulary) -> tuple[str | None, tuple[str, ...]]:
        """(the phrase list as Vosk's JSON or None, the names the model does not know)."""
        with self._lock:
            found = self._grammars.get(vocabulary.fingerprint)
        if found is not None:
            return found
        model = self.model
        known = [w for w in vocabulary.words if model.vosk_model_find_word(w) != -1]
        unknown = tuple(w for w in vocabulary.name_words if model.vosk_model_find_word(w) == -1)
        if unknown:
            log.warning(
                "voice: the Vosk model at %s does not know the names %s", self.path, ", ".join(unknown)
            )
        grammar = None
        if self.phrases and known:
            if model.vosk_model_find_word("[unk]") != -1:
                known.append("[unk]")
            grammar = json.dumps(known, ensure_ascii=False)
        with self._lock:
            self._grammars = {vocabulary.fingerprint: (grammar, unknown)}
        return grammar, unknown

    def transcribe(
        self, chunks: Iterable[bytes], vocabulary: Vocabulary, speaker: str | None = None
    ) -> Transcript:
        import vosk

        grammar, unknown = self.grammar(vocabulary)
        model = self.model
        recognizer = (
            vosk.KaldiRecognizer(model, RATE, grammar) if grammar else vosk.KaldiRecognizer(model, RATE)
        )
        recognizer.SetWords(True)
        words: list[Word] = []
        samples = 0
        buffer = bytearray()
        for chunk in chunks:
            samples += len(chunk) // 2
            buffer += chunk
            if len(buffer) >= _BATCH:
                if recognizer.AcceptWaveform(bytes(buffer)):
                    words += _words(recognizer.Result())
                buffer.clear()
        if buffer:
            recognizer.AcceptWaveform(bytes(buffer))
        words += _words(recognizer.FinalResult())
        return Transcript(tuple(words), self.name, samples / RATE, unknown)


def _words(result: str) -> list[Word]:
    """The words of one Vosk result (JSON), without its [unk] markers."""
    data = json.loads(result or "{}")
    return [
        Word(str(w["word"]), float(w.get("conf", 1.0)), float(w.get("start", 0.0)), float(w.get("end", 0.0)))
        for w in data.get("result") or ()
        if w.get("word") and w["word"] != "[unk]"
    ]
