"""The evaluation's scoring on small hand-made cases (contract: the evaluation file)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlu.evaluation import Scores, compare_slot, evaluate, score_example, summarise
from nlu.frame import Frame

NY = ZoneInfo("America/New_York")


def test_person_note_tag_ignore_case_and_surrounding_punctuation() -> None:
    assert compare_slot("client", "John", " john. ")
    assert compare_slot("note", "Lower back tightness", "lower back tightness!")
    assert compare_slot("tag", "VIP", "vip")
    assert not compare_slot("client", "John", "Joan")


def test_times_compare_as_instants() -> None:
    assert compare_slot("start", "2026-03-11T15:00", datetime(2026, 3, 11, 15, 0, tzinfo=NY), NY)
    assert compare_slot("start", "2026-03-11T15:00", "2026-03-11T19:00+00:00", NY)  # EDT is UTC-4
    assert not compare_slot("start", "2026-03-11T15:00", "2026-03-11T15:30", NY)
    period = {"from": "2026-03-09T00:00", "to": "2026-03-16T00:00"}
    assert compare_slot("period", period, {"from": "2026-03-09T00:00", "to": "2026-03-16T00:00"}, NY)
    assert not compare_slot("period", period, {"from": "2026-03-09T00:00", "to": "2026-03-15T00:00"}, NY)


def test_recurrences_compare_whatever_the_order() -> None:
    assert compare_slot("recurrence", "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=10", "COUNT=10;BYDAY=FR,TU;FREQ=WEEKLY")
    assert not compare_slot("recurrence", "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU;COUNT=6")


def test_scalars() -> None:
    assert compare_slot("limit", 3, 3) and not compare_slot("limit", 3, 5)
    assert compare_slot("projection", True, True) and not compare_slot("projection", True, False)
    assert compare_slot("metric", "sessions", "sessions")


def test_score_example_counts_extra_and_missing_slots() -> None:
    frame = Frame("log_session", {"client": "John", "duration_minutes": 30})
    ok, right, predicted, gold = score_example(
        "log_session", {"client": "john", "start": "2026-03-11T15:00"}, frame, NY
    )
    assert (ok, right, predicted, gold) == (False, 1, 2, 2)
    ok, *_ = score_example("log_session", {"client": "john"}, Frame("log_session", {"client": "John"}), NY)
    assert ok


def test_summary_figures_on_a_tiny_run() -> None:
    frames = {
        "a": Frame("greet"),
        "b": Frame("book_session", {"trainer": "Sarah"}),
        "c": Frame("thanks"),
    }
    data = {
        "tz": "America/New_York",
        "examples": [
            {"text": "a", "now": "2026-03-11T10:00", "role": "client", "intent": "greet", "slots": {}},
            {
                "text": "b",
                "now": "2026-03-11T10:00",
                "role": "client",
                "intent": "book_session",
                "slots": {"trainer": "Sarah", "start": "2026-03-12T07:00"},
            },
            {"text": "c", "now": "2026-03-11T10:00", "role": "client", "intent": "greet", "slots": {}},
        ],
    }
    ticks = iter(range(100))
    result = evaluate(data, lambda text, **_: frames[text], clock=lambda: next(ticks) / 1000)
    assert result["examples"] == 3
    assert result["intent_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["slot_precision"] == 1.0 and result["slot_recall"] == 0.5
    assert result["slot_f1"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["frame_accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert result["latency_ms"] == {"p50": 1.0, "p99": 1.0}
    assert result["per_intent"]["greet"] == {
        "precision": 1.0,
        "recall": 0.5,
        "f1": pytest.approx(0.6667, abs=1e-3),
        "support": 2,
    }
    assert result["per_intent"]["thanks"]["precision"] == 0.0
    assert {e["text"] for e in result["errors"]} == {"b", "c"}
    assert result["errors"][0]["expected"]["slots"]["start"] == "2026-03-12T07:00"


def test_empty_run() -> None:
    assert summarise(Scores())["intent_accuracy"] == 0.0
