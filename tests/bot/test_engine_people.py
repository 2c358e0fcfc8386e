"""Linking mentions to people, and the reply formats (pure functions; no store needed)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot import format as fmt
from bot.people import resolve
from domain.model import Person, PersonRole, Role


def person(name: str, handle: str, *roles: Role) -> Person:
    p = Person(full_name=name, handle=handle)
    p.role_rows = [PersonRole(role=r.value) for r in roles or (Role.CLIENT,)]
    return p


PEOPLE = [
    person("Sarah Lee", "sarah", Role.TRAINER),
    person("Michael Chen", "mike", Role.TRAINER),
    person("John Smith", "john.s"),
    person("John Doe", "john.d"),
    person("Emma Wilson", "emma"),
    person("William Grace", "will"),
    person("Elizabeth Hope", "liz"),
]


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("Emma", "Emma Wilson"),
        ("emma wilson", "Emma Wilson"),
        ("EMMA", "Emma Wilson"),
        ("Emma's", "Emma Wilson"),
        ("Wilson", "Emma Wilson"),
        ("Emmma", "Emma Wilson"),
        ("emma wilsn", "Emma Wilson"),
        ("Mike", "Michael Chen"),
        ("Bill", "William Grace"),
        ("Liz", "Elizabeth Hope"),
        ("Jon Doe", "John Doe"),
        ("John D", "John Doe"),
        ("john.s", "John Smith"),
        ("Sara", "Sarah Lee"),
    ],
)
def test_a_mention_finds_its_person(mention: str, expected: str) -> None:
    found = resolve(mention, PEOPLE)
    assert found.person is not None and found.person.full_name == expected


def test_two_matches_are_candidates() -> None:
    found = resolve("John", PEOPLE)
    assert found.person is None and {p.full_name for p in found.candidates} == {"John Smith", "John Doe"}
    found = resolve("Jon", PEOPLE)
    assert {p.full_name for p in found.candidates} == {"John Smith", "John Doe"}


def test_no_match_gives_the_closest_as_suggestions() -> None:
    found = resolve("Emilia Wilsen", PEOPLE)
    assert found.person is None and not found.candidates
    assert [p.full_name for p in found.suggestions] == ["Emma Wilson"]
    assert resolve("Zorblax", PEOPLE).suggestions == []


def test_the_wanted_role_is_preferred() -> None:
    people = [*PEOPLE, person("Sarah Connor", "sconnor")]
    found = resolve("Sarah", people, Role.TRAINER)
    assert found.person is not None and found.person.full_name == "Sarah Lee"


def test_formats_follow_the_design() -> None:
    tz = ZoneInfo("America/New_York")
    at = datetime(2026, 3, 11, 15, 0, tzinfo=tz)
    assert fmt.day(at) == "Wed, Mar 11"
    assert fmt.time_of_day(at) == "3:00 PM"
    assert fmt.when(at) == "Wed, Mar 11 at 3:00 PM"
    assert fmt.when(datetime(2026, 3, 11, 0, 5, tzinfo=tz)) == "Wed, Mar 11 at 12:05 AM"
    assert fmt.when(datetime(2026, 3, 11, 12, 0, tzinfo=ZoneInfo("UTC")), tz) == "Wed, Mar 11 at 8:00 AM"
    assert fmt.duration(60) == "60 min"
    assert fmt.money(Decimal("1234.5"), "USD") == "$1,234.50"
    assert fmt.money(Decimal("-12"), "EUR") == "-€12.00"
    assert fmt.money(Decimal("0.005"), "GBP") == "£0.01"
    assert fmt.money(Decimal("1234.5"), "CHF") == "1,234.50 CHF"
