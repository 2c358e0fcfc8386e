"""The report's two shapes (text and the spec's JSON object) and the exit status of the command."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from runner_fakes import FakeEngine

import bot.conversations.runner as runner
from bot.cli import main
from bot.conversations import run

FIXTURES = Path(__file__).parent / "conversation_fixtures"
FAKE_FILES = [FIXTURES / "failing.yaml", FIXTURES / "passing.yaml"]  # real_engine/ is for the real engine


def test_json_report_has_the_spec_shape() -> None:
    data = json.loads(run(FAKE_FILES, engine_factory=FakeEngine, url="").json_text())
    assert set(data) == {"passed", "failed", "files"}
    assert (data["passed"], data["failed"]) == (1, 1)
    failing, passing = data["files"]
    assert set(failing) == {"path", "passed", "turns", "failures"}
    assert failing["path"].endswith("failing.yaml") and failing["passed"] is False and failing["turns"] == 16
    assert passing["passed"] is True and passing["failures"] == []
    for failure in failing["failures"]:
        assert set(failure) == {"turn", "check", "expected", "found", "reply"}
        assert isinstance(failure["turn"], int) and isinstance(failure["reply"], str)
    json.dumps(data)  # plain JSON values all the way down


def test_text_report_names_file_turn_check_expected_found_and_reply() -> None:
    text = run([FIXTURES / "failing.yaml"], engine_factory=FakeEngine, url="").text()
    assert "FAIL" in text and "failing.yaml" in text
    assert "turn 10: balance" in text
    assert "expected: 10" in text and "found:    8" in text
    assert "reply:    Sorry, I didn't understand." in text
    assert "0 of 1 conversation file passed, 1 failed" in text


def test_command_exit_status_and_json(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(runner, "real_engine", FakeEngine)
    monkeypatch.setattr(runner.run, "__defaults__", (FakeEngine, None))
    monkeypatch.delenv("SPOTTER_DATABASE_URL", raising=False)
    cli = CliRunner()
    good = cli.invoke(main, ["test", "conversations", str(FIXTURES / "passing.yaml"), "--json"])
    assert good.exit_code == 0, good.output
    assert json.loads(good.output)["passed"] == 1
    bad = cli.invoke(main, ["test", "conversations", *map(str, FAKE_FILES)])
    assert bad.exit_code == 1
    assert "1 of 2 conversation files passed" in bad.output
    missing = cli.invoke(main, ["test", "conversations", "no/such/dir"])
    assert missing.exit_code == 1
