"""A unit of work the database aborts as a deadlock or a serialisation failure runs again."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from domain.actor import Actor
from domain.store import ATTEMPTS


class _Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def _failing(times: int, sqlstate: str):
    calls: list[int] = []

    def work(uow):
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("INSERT ...", {}, _Orig(sqlstate))
        return "done"

    return work, calls


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_deadlock_or_serialisation_failure_is_retried(store, sqlstate: str) -> None:
    work, calls = _failing(1, sqlstate)
    assert store.run(Actor.system(None), work) == "done"
    assert len(calls) == 2


def test_retries_stop_after_the_last_attempt(store) -> None:
    work, calls = _failing(ATTEMPTS, "40P01")
    with pytest.raises(OperationalError):
        store.run(Actor.system(None), work)
    assert len(calls) == ATTEMPTS


def test_other_database_errors_are_not_retried(store) -> None:
    work, calls = _failing(1, "57014")  # query cancelled
    with pytest.raises(OperationalError):
        store.run(Actor.system(None), work)
    assert len(calls) == 1
