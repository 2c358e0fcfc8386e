"""The read side of the store: what channels ask, answered with plain dataclasses.

Each query is a function of a `UnitOfWork` (run it with
`store.run(actor, lambda uow: list_sessions(uow, ...))`) and checks the
authorization matrix itself, so every channel gets the same answer:

* `sessions.list_sessions` — by trainer, client, period, status (or
  `completed`), type, substitute;
* `stats.stats` — one metric, grouped, top-N (definitions in its docstring);
* `projection.projection` — the current month projected, against the previous;
* `balance.client_balance` — a client's package credits (`domain.ledger`);
* `slots.free_slots` — a trainer's free start times (`domain.availability`);
* `statement` — a trainer's month statement: `domain.commission.queries.statement`
  (it takes the store and the actor, and checks `view_commission` itself).
"""

from domain.queries.balance import Balance, client_balance
from domain.queries.projection import Projection, projection
from domain.queries.sessions import COMPLETED, SessionView, list_sessions
from domain.queries.slots import free_slots
from domain.queries.stats import GROUPS, METRICS, StatRow, stats


def statement(store, actor, trainer_id, month):  # type: ignore[no-untyped-def]
    """A trainer's statement for a month ("YYYY-MM"): see `domain.commission.queries.statement`."""
    from domain.commission.queries import statement as build

    return build(store, actor, trainer_id, month)


__all__ = [
    "COMPLETED",
    "GROUPS",
    "METRICS",
    "Balance",
    "Projection",
    "SessionView",
    "StatRow",
    "client_balance",
    "free_slots",
    "list_sessions",
    "projection",
    "statement",
    "stats",
]
