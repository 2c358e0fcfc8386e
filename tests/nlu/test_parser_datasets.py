"""The dev set meets the dev targets, and the parser's own generalisation set (written
independently of the dev set, tests/nlu/challenge.yaml) meets the held-out targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import load_parser
from nlu.evaluation import evaluate, load_evaluation_file

HERE = Path(__file__).parent
DEV = HERE.parent.parent.parent / "shared" / "spec" / "nlu-dev.yaml"


def _run(path: Path) -> dict:
    return evaluate(load_evaluation_file(path), load_parser().parse)


@pytest.mark.skipif(not DEV.exists(), reason="shared/spec is not beside the repo")
def test_dev_set_meets_dev_targets() -> None:
    result = _run(DEV)
    assert result["intent_accuracy"] >= 0.98, result["errors"]
    assert result["slot_f1"] >= 0.97, result["errors"]
    assert result["frame_accuracy"] >= 0.93, result["errors"]


@pytest.mark.parametrize(
    "name", ["challenge.yaml", "challenge2.yaml", "challenge3.yaml", "challenge4.yaml", "challenge5.yaml"]
)
def test_own_generalisation_sets_meet_heldout_targets(name: str) -> None:
    result = _run(HERE / name)
    assert result["intent_accuracy"] >= 0.95, result["errors"]
    assert result["slot_f1"] >= 0.92, result["errors"]
    assert result["frame_accuracy"] >= 0.85, result["errors"]
