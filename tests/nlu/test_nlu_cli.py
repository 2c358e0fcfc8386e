"""`spotter nlu parse | evaluate | train` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from bot.cli import main

SMALL_FILE = {
    "tz": "America/New_York",
    "roster": {"trainers": ["Sarah Lee"], "clients": ["John Smith"]},
    "examples": [
        {
            "text": "log session with John at 3pm",
            "now": "2026-03-11T17:20",
            "role": "trainer",
            "intent": "log_session",
            "slots": {"client": "John", "start": "2026-03-11T15:00"},
        },
        {"text": "thanks!", "now": "2026-03-11T17:20", "role": "client", "intent": "thanks", "slots": {}},
        {"text": "hello", "now": "2026-03-11T17:20", "role": "client", "intent": "undo", "slots": {}},
    ],
}


def test_parse_prints_the_frame_as_json() -> None:
    result = CliRunner().invoke(
        main,
        [
            "nlu",
            "parse",
            "log session with John at 3pm",
            "--now",
            "2026-03-11T17:20",
            "--tz",
            "America/New_York",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "intent": "log_session",
        "slots": {"client": "John", "start": "2026-03-11T15:00"},
    }


def test_parse_role_changes_the_part_a_person_plays() -> None:
    result = CliRunner().invoke(
        main,
        [
            "nlu",
            "parse",
            "book me with Sarah tomorrow at 7am",
            "--role",
            "client",
            "--now",
            "2026-03-11T17:20",
        ],
    )
    assert json.loads(result.output)["slots"]["trainer"] == "Sarah"


def test_parse_rejects_a_bad_now() -> None:
    result = CliRunner().invoke(main, ["nlu", "parse", "hi", "--now", "yesterday-ish"])
    assert result.exit_code != 0


def test_evaluate_json_has_the_contract_fields(tmp_path: Path) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text(yaml.safe_dump(SMALL_FILE))
    result = CliRunner().invoke(main, ["nlu", "evaluate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    for key in (
        "examples",
        "intent_accuracy",
        "slot_precision",
        "slot_recall",
        "slot_f1",
        "frame_accuracy",
        "latency_ms",
        "per_intent",
        "errors",
    ):
        assert key in out
    assert out["examples"] == 3
    assert abs(out["intent_accuracy"] - 2 / 3) < 1e-3
    assert set(out["latency_ms"]) == {"p50", "p99"}
    assert [e["text"] for e in out["errors"]] == ["hello"]
    assert (
        out["errors"][0]["expected"]["intent"] == "undo" and out["errors"][0]["actual"]["intent"] == "greet"
    )


def test_evaluate_report_is_readable(tmp_path: Path) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text(yaml.safe_dump(SMALL_FILE))
    result = CliRunner().invoke(main, ["nlu", "evaluate", str(path)])
    assert result.exit_code == 0
    assert "intent accuracy" in result.output
    assert "undo -> greet" in result.output
    assert "'hello'" in result.output


def test_evaluate_rejects_a_file_without_examples(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("just: text\n")
    result = CliRunner().invoke(main, ["nlu", "evaluate", str(path), "--json"])
    assert result.exit_code != 0
