"""A one-shot parser (`Parser(eager=False)`, used by `spotter say`) reads messages exactly as the
process parser does, and loads the trained classifier only when a message needs it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nlu import load_parser
from nlu.parser import Parser

NOW = datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
ROSTER = {"trainers": ["Sarah Lee", "Mike Chen"], "clients": ["Emma Wilson", "John Smith", "John Doe"]}
MESSAGES = [
    "help",
    "log session with Emma at 3pm, great squats",
    "book John Smith tomorrow at 7am",
    "cancel emma's session on friday",
    "my sessions this week",
    "how many sessions does Emma have left?",
    "validation rate by trainer this month",
    "tell me a joke",
    "asdf qwerty zxcv",
    "🏋️💪🔥",
    "and last month?",
]


@pytest.fixture(scope="module")
def lazy() -> Parser:
    return Parser(eager=False)


def test_a_rule_decided_message_does_not_load_the_classifier() -> None:
    fresh = Parser(eager=False)
    assert fresh.parse("help", now=NOW, role="trainer").intent == "help"
    assert fresh._classifier is None


@pytest.mark.parametrize("role", ["trainer", "client", "manager"])
def test_the_lazy_parser_reads_every_message_like_the_process_parser(lazy: Parser, role: str) -> None:
    eager = load_parser()
    for text in MESSAGES:
        assert lazy.parse(text, now=NOW, role=role, roster=ROSTER) == eager.parse(
            text, now=NOW, role=role, roster=ROSTER
        ), text
