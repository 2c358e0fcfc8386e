"""Conversation tests (../shared/spec/conversations.md): a studio, some turns, what must hold.

    from bot.conversations import run
    report = run(["tests/conversations"])   # a Report; report.ok, report.text(), report.to_json()

Modules: `spec` reads and checks a file, `databases` gives each file an empty
store (SQLite, or PostgreSQL when SPOTTER_DATABASE_URL names it), `setup`
builds the studio through the domain commands, `play` sends the turns,
`checks` evaluates each expectation, `report` renders the result, and
`scheduler` is where `tick:` turns reach the scheduler.
"""

from __future__ import annotations

from bot.conversations.runner import run

__all__ = ["run"]
