"""Fixtures of the voice suite: synthesised clips (once per session) and the parts voice needs."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest
from conftest import skip_or_fail
from voice_speech import ClipCache, espeak


def _need_voice_extra() -> None:
    missing = [m for m in ("av", "pocketsphinx") if importlib.util.find_spec(m) is None]
    if missing:
        skip_or_fail(f"the voice extra is not installed ({', '.join(missing)}): pip install -e '.[voice]'")


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> ClipCache:
    """espeak-ng clips, each synthesised and encoded once per session."""
    _need_voice_extra()
    if espeak() is None:
        skip_or_fail("espeak-ng is not installed (apt-get install espeak-ng)")
    return ClipCache(tmp_path_factory.mktemp("voice-clips"))


@pytest.fixture
def voice_extra() -> None:
    _need_voice_extra()


@pytest.fixture
def fresh_transcripts() -> None:
    """Forget transcripts of earlier tests (the engine keeps them per message for retries)."""
    from bot.voice import hear

    hear._cache.clear()


@pytest.fixture
def new_speakers() -> Iterator[None]:
    """A recognizer that has heard none of the test's speakers (it learns each voice from their notes).

    Without it a test would hear its speakers as an earlier test in the process left them, and its
    figures would depend on which tests ran before.
    """
    from bot.voice import transcriber

    transcriber.reset()
    yield
    transcriber.reset()
