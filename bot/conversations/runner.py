"""`spotter test conversations`: every file on a fresh store, one report.

Files are collected from the paths given (a directory gives all its *.yaml and
*.yml, recursively, sorted). Each file gets an empty migrated store (see
`databases`), a fake clock, its studio built through the domain commands, and
its own engine; nothing leaves the process (notifications stay in the outbox).
A file that cannot be read or built is a failed file with a sentence, never a
crash of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.conversations.databases import ScratchDatabases
from bot.conversations.play import Handler, play, turn_times
from bot.conversations.report import Failure, FileResult, Report
from bot.conversations.setup import SetupError, build_studio
from bot.conversations.spec import FormatError, load
from domain.errors import SpotterError
from domain.seed.demo import SimulatedClock
from domain.store import Store

EngineFactory = Callable[[Store], Handler]


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """The conversation files under `paths` (sorted within a directory), and the paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(str(raw))
    return files, missing


def real_engine(store: Store) -> Handler:
    """The conversation engine on this store (the parser is loaded once per process and shared)."""
    from bot.engine import Engine

    return Engine(store)


def run(
    paths: Iterable[str | Path], engine_factory: EngineFactory = real_engine, url: str | None = None
) -> Report:
    """Run every conversation file under `paths`; `url` overrides SPOTTER_DATABASE_URL (PostgreSQL or not)."""
    files, missing = collect(paths)
    report = Report()
    for name in missing:
        report.files.append(
            FileResult(name, failures=[Failure(0, "file", "a file or directory", "it does not exist")])
        )
    if not files:
        return report
    with ScratchDatabases(url) as databases:
        report.database = databases.kind
        for path in files:
            report.files.append(run_file(path, databases, engine_factory))
    return report


def run_file(path: Path, databases: ScratchDatabases, engine_factory: EngineFactory) -> FileResult:
    result = FileResult(str(path))
    try:
        conversation = load(path)
    except FormatError as error:
        result.failures.append(Failure(0, "file", "a conversation file in the documented format", str(error)))
        return result
    result.turns = len(conversation.turns)
    try:
        times = turn_times(conversation, conversation.studio.tz, _now())
    except (SpotterError, ValueError) as error:
        result.failures.append(Failure(0, "file", "turn times that exist in the studio's zone", str(error)))
        return result
    engine = databases.fresh()
    clock = SimulatedClock(_now())
    store = Store(engine, clock=clock)
    try:
        try:
            cast = build_studio(store, clock, conversation.studio, times[0] if times else _now())
        except (SetupError, FormatError) as error:
            result.failures.append(Failure(0, "studio", "the studio to be built", str(error)))
            return result
        bot = engine_factory(store)
        play(conversation, times, bot, store, clock, cast, result)
    finally:
        databases.done_with(engine)
    return result


def _now() -> datetime:
    """A file without any `at` starts at the real current minute."""
    return datetime.now(UTC).replace(second=0, microsecond=0)
