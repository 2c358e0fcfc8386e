"""The conversation runner on its own fixtures, with a fake engine: every check holds and fails when it should."""

from __future__ import annotations

from pathlib import Path

import pytest
from runner_fakes import FakeEngine

from bot.conversations import run

FIXTURES = Path(__file__).parent / "conversation_fixtures"

# failing.yaml: turn number -> the one check that must fail there (and nothing else fails).
EXPECTED_FAILURES = {
    1: "reply_contains",
    2: "reply_not_contains",
    3: "options_include",
    4: "attachment",
    5: "sessions",
    6: "no_sessions",
    7: "session_count",
    8: "notifications",
    9: "no_notifications",
    10: "balance",
    11: "commission",
    12: "error",
    13: "answered",
    14: "answered",
    15: "press",
    16: "voice",
}


def test_every_check_holds_on_the_passing_file() -> None:
    report = run([FIXTURES / "passing.yaml"], engine_factory=FakeEngine, url="")
    result = report.files[0]
    assert [f.to_json() for f in result.failures] == []
    assert result.passed and report.ok
    assert result.turns == 8
    assert result.checks >= 30  # every expectation of the file was evaluated


def test_every_check_fails_when_it_should() -> None:
    report = run([FIXTURES / "failing.yaml"], engine_factory=FakeEngine, url="")
    result = report.files[0]
    found = {(f.turn, f.check) for f in result.failures}
    assert found == set(EXPECTED_FAILURES.items())
    assert not report.ok and report.failed == 1


def test_a_failure_carries_expected_found_and_the_reply() -> None:
    report = run([FIXTURES / "failing.yaml"], engine_factory=FakeEngine, url="")
    by_turn = {f.turn: f for f in report.files[0].failures}
    assert by_turn[10].expected == 10 and by_turn[10].found == 8  # one history credit, one logged
    assert by_turn[11].found == "32.00 USD"
    assert by_turn[12].reply == "Sorry, I didn't understand."
    assert "kaboom" in by_turn[14].found
    assert "missing.ogg" in by_turn[16].found


def test_turns_reach_the_engine_as_the_spec_says(tmp_path: Path) -> None:
    audio = tmp_path / "hello.ogg"
    audio.write_bytes(b"OggS fake")
    (tmp_path / "turns.yaml").write_text(
        """
studio:
  tz: Europe/London
  trainers: [{handle: sarah, name: Sarah Lee}]
turns:
  - {as: sarah, at: 2026-07-01T09:30, say: help}
  - {as: sarah, say: which}
  - {as: sarah, press: smith}
  - {as: sarah, voice: hello.ogg, expect: {reply_contains: [audio/ogg, 9 bytes]}}
  - {as: stranger, say: hello, expect: {error: true}}
""",
        encoding="utf-8",
    )
    engines: list[FakeEngine] = []

    def factory(store):  # type: ignore[no-untyped-def]
        engines.append(FakeEngine(store))
        return engines[-1]

    report = run([tmp_path / "turns.yaml"], engine_factory=factory, url="")
    assert report.ok, report.text()
    seen = engines[0].seen
    assert [m.channel for m in seen] == ["test"] * 5
    assert [m.sender_id for m in seen] == ["sarah"] * 4 + ["stranger"]
    assert len({m.message_id for m in seen}) == 5
    # `at` is local in the studio's zone (London summer time); later turns one minute apart.
    assert seen[0].at.utcoffset().total_seconds() == 3600 and (seen[0].at.hour, seen[0].at.minute) == (9, 30)
    assert [(m.at - seen[0].at).total_seconds() for m in seen] == [0, 60, 120, 180, 240]
    assert seen[2].press == "pick:smith" and seen[2].text is None
    assert seen[3].audio == b"OggS fake" and seen[3].audio_mime == "audio/ogg"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("studio: [unclosed", "not valid YAML"),
        ("studio: {}\nturns:\n  - {as: sarah, say: hi, colour: red}\n", "unknown key 'colour'"),
        (
            "studio: {}\nturns:\n  - {as: sarah, say: hi, press: Yes}\n",
            "exactly one of say, press, voice, tick",
        ),
        ("studio: {}\nturns:\n  - {as: sarah}\n", "exactly one of"),
        ("studio: {}\nturns:\n  - {say: hi}\n", "needs `as`"),
        ("studio: {}\nturns:\n  - {as: s, say: hi, expect: {replies: [x]}}\n", "unknown key 'replies'"),
        ("studio: {}\nturns:\n  - {as: s, at: yesterday, say: hi}\n", "not a local date-time"),
        ("studio: {trainers: [{handle: s, name: S, hours: 'Someday 9-5'}]}\nturns: []\n", "hours"),
        ("studio: {policy: {colour: red}}\nturns: []\n", "unknown key 'colour'"),
        ("- just a list\n", "must be a mapping"),
        ("studio: {}\nturns:\n  - {as: s, say: hi, expect: {attachment: pdf}}\n", "csv, png or ics"),
    ],
)
def test_a_malformed_file_is_a_failed_file_with_a_sentence(tmp_path: Path, body: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    report = run([path, FIXTURES / "passing.yaml"], engine_factory=FakeEngine, url="")
    bad, good = report.files
    assert not bad.passed and len(bad.failures) == 1
    assert bad.failures[0].check in ("file", "studio")
    assert words in bad.failures[0].found
    assert good.passed  # the run went on to the next file
    assert (report.passed, report.failed) == (1, 1)


def test_a_setup_the_domain_refuses_is_a_failed_file(tmp_path: Path) -> None:
    path = tmp_path / "setup.yaml"
    path.write_text(
        "studio:\n  clients: [{handle: emma, name: Emma Wilson, trainer: nobody}]\nturns: []\n",
        encoding="utf-8",
    )
    report = run([path], engine_factory=FakeEngine, url="")
    failure = report.files[0].failures[0]
    assert failure.check == "studio" and "nobody" in failure.found


def test_directories_are_searched_and_sorted_and_missing_paths_reported(tmp_path: Path) -> None:
    for name in ("b.yml", "a.yaml", "notes.txt"):
        (tmp_path / name).write_text("studio: {}\nturns: []\n", encoding="utf-8")
    report = run([tmp_path, tmp_path / "nope.yaml"], engine_factory=FakeEngine, url="")
    paths = [Path(f.path).name for f in report.files]
    assert paths == ["nope.yaml", "a.yaml", "b.yml"]
    assert [f.passed for f in report.files] == [False, True, True]
