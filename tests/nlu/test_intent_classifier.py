"""The trained intent classifier: reproducible training and a shipped model that matches its data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nlu.classifier import MODEL_DIR, _fresh, train


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.name != "spotter_meta.json"):
        h.update(file.relative_to(path).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()


@pytest.mark.slow
def test_training_is_reproducible(tmp_path: Path) -> None:
    train(tmp_path / "a")
    train(tmp_path / "b")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_shipped_model_was_trained_on_the_current_data() -> None:
    assert _fresh(MODEL_DIR), "run `spotter nlu train` after changing nlu/data/intents.yaml or lexicon.yaml"
