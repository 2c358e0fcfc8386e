"""The terminal channel: `spotter say` turns against the configured store, state kept between calls."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent / "bot"))
from runner_fakes import FakeEngine  # noqa: E402

import bot.engine  # noqa: E402
from adapters.terminal import CHANNEL, Shown, TerminalError, choose, render  # noqa: E402
from bot.cli import main  # noqa: E402
from bot.messages import Option  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.commands import AddPerson, SellPackage  # noqa: E402
from domain.db import make_engine  # noqa: E402
from domain.migrate import upgrade  # noqa: E402
from domain.model import ChatIdentity, Role, TrainingSession  # noqa: E402
from domain.seed.studio import create_studio  # noqa: E402
from domain.store import Store  # noqa: E402


@pytest.fixture
def studio_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A small studio in a SQLite file that SPOTTER_DATABASE_URL points at."""
    url = f"sqlite:///{tmp_path / 'spotter.db'}"
    monkeypatch.setenv("SPOTTER_DATABASE_URL", url)
    monkeypatch.delenv("SPOTTER_STUDIO", raising=False)
    engine = make_engine(url)
    upgrade(engine)
    store = Store(engine, clock=lambda: datetime(2026, 3, 1, 12, tzinfo=UTC))
    studio, _ = create_studio(store, "Terminal Studio", "America/New_York")
    system = Actor.system(studio.id)
    sarah = store.execute(system, AddPerson("sarah", "Sarah Lee", (Role.TRAINER,), email="sarah@example.com"))
    emma = store.execute(
        system, AddPerson("emma", "Emma Wilson", (Role.CLIENT,), primary_trainer_id=sarah.id)
    )
    store.execute(system, SellPackage(emma.id, 10, Decimal("80")))
    return store


def _sessions(store: Store) -> list[TrainingSession]:
    with store.sessions() as db:
        return list(db.scalars(select(TrainingSession)))


def test_say_press_and_at_across_separate_calls(studio_db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.engine, "Engine", FakeEngine)
    cli = CliRunner()
    logged = cli.invoke(main, ["say", "--as", "sarah", "--at", "2026-03-11T17:20", "log emma 15:00"])
    assert logged.exit_code == 0, logged.output
    assert "Logged Emma Wilson at 15:00." in logged.output
    (session,) = _sessions(studio_db)
    # --at is local studio time: the fake logs "15:00" on the message's local day.
    assert session.start_local == datetime(2026, 3, 11, 15, 0) and session.status == "pending_validation"
    assert session.created_at == datetime(2026, 3, 11, 21, 20, tzinfo=UTC)  # the store's clock is --at too

    # A second call (a new store, as a new process would have): Emma presses the notification's option.
    pressed = cli.invoke(main, ["say", "--as", "emma", "--at", "2026-03-11T18:00", "--press", "confirm"])
    assert pressed.exit_code == 0, pressed.output
    assert "Thanks, confirmed." in pressed.output
    assert _sessions(studio_db)[0].status == "validated"

    # --press also reads the options of the bot's last reply, kept in the store between calls.
    asked = cli.invoke(main, ["say", "--as", "sarah", "--at", "2026-03-11T18:05", "which"])
    assert "1. John Smith" in asked.output and "2. John Doe" in asked.output
    picked = cli.invoke(main, ["say", "--as", "sarah", "--at", "2026-03-11T18:06", "--press", "doe"])
    assert picked.exit_code == 0 and "You picked doe." in picked.output, picked.output


def test_say_voice_sends_the_audio_file(
    studio_db: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bot.engine, "Engine", FakeEngine)
    note = tmp_path / "note.opus"
    note.write_bytes(b"0123456789")
    result = CliRunner().invoke(main, ["say", "--as", "sarah", "--voice", str(note)])
    assert result.exit_code == 0, result.output
    assert "Voice is not available yet (audio/ogg, 10 bytes)." in result.output


def test_say_links_a_terminal_identity_once_and_accepts_email(
    studio_db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.engine, "Engine", FakeEngine)
    cli = CliRunner()
    for who in ("sarah", "SARAH@example.com", "@sarah"):
        result = cli.invoke(main, ["say", "--as", who, "help"])
        assert result.exit_code == 0 and "log sessions" in result.output, result.output
    with studio_db.sessions() as db:
        identities = list(db.scalars(select(ChatIdentity).where(ChatIdentity.channel == CHANNEL)))
    assert [(i.external_id) for i in identities] == ["sarah"]


def test_say_refuses_unknown_people_bad_times_and_nothing_to_press(
    studio_db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.engine, "Engine", FakeEngine)
    cli = CliRunner()
    unknown = cli.invoke(main, ["say", "--as", "nobody", "help"])
    assert unknown.exit_code != 0 and "Nobody in the studio" in unknown.output
    bad_time = cli.invoke(main, ["say", "--as", "sarah", "--at", "tomorrowish", "help"])
    assert bad_time.exit_code != 0 and "2026-03-11T17:20" in bad_time.output
    gap = cli.invoke(main, ["say", "--as", "sarah", "--at", "2026-03-08T02:30", "help"])
    assert gap.exit_code != 0 and "doesn't exist" in gap.output
    nothing = cli.invoke(main, ["say", "--as", "sarah", "--press", "yes"])
    assert nothing.exit_code != 0 and "nothing to press" in nothing.output
    both = cli.invoke(main, ["say", "--as", "sarah", "--press", "yes", "hello"])
    assert both.exit_code != 0
    assert _sessions(studio_db) == []


def test_options_are_numbered_and_a_number_or_a_label_picks_one() -> None:
    shown = Shown("Which John?", (Option("John Smith", "pick:1"), Option("John Doe", "pick:2")))
    assert render(shown.text, shown.options) == "Which John?\n  1. John Smith\n  2. John Doe"
    assert choose("2", shown).payload == "pick:2"
    assert choose("smith", shown).payload == "pick:1"
    with pytest.raises(TerminalError, match="2 options match"):
        choose("john", shown)
    with pytest.raises(TerminalError, match="No option matches"):
        choose("mike", shown)


def test_chat_session_reads_lines_and_presses_numbers(
    studio_db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.engine, "Engine", FakeEngine)
    monkeypatch.setattr("bot.cli.chat._reader", lambda: _lines("which", "2", "help", "/quit"))
    result = CliRunner().invoke(main, ["chat", "--as", "sarah"])
    assert result.exit_code == 0, result.output
    assert "1. John Smith" in result.output and "2. John Doe" in result.output
    assert "You picked doe." in result.output
    assert "log sessions" in result.output


def _lines(*lines: str):  # type: ignore[no-untyped-def]
    feed = iter(lines)
    return lambda prompt: next(feed)


def test_spotter_say_is_a_real_process_with_the_real_engine(studio_db: Store) -> None:
    """Two processes, one conversation: the question asked by the first is answered in the second."""
    spotter = str(Path(sys.executable).parent / "spotter")

    def say(at: str, text: str) -> str:
        done = subprocess.run(
            [spotter, "say", "--as", "sarah", "--at", at, text],
            capture_output=True, text=True, env=dict(os.environ), timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    asked = say("2026-03-11T17:20", "log session with Emma")
    assert "what time" in asked.lower() and _sessions(studio_db) == []
    answered = say("2026-03-11T17:21", "3pm")
    assert "Emma Wilson" in answered
    (session,) = _sessions(studio_db)
    assert session.start_local == datetime(2026, 3, 11, 15, 0) and session.status == "pending_validation"
    with studio_db.sessions() as db:
        assert len(list(db.scalars(select(ChatIdentity).where(ChatIdentity.channel == CHANNEL)))) == 1
