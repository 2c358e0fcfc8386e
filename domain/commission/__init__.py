"""Commissions: plans (pure calculation), statements, approval and adjustments.

* `plans` — the arithmetic of a plan over one trainer's month, no I/O; also
  the checks a plan from user input must pass.
* `months` — "YYYY-MM" months on the studio's wall clock.
* `statements` — a trainer's month read from the store: the live draft or the
  frozen approved statement, plus adjustments waiting for it; which plan
  version is in force when.
* `approval` — approving a month, setting a plan, undoing a plan change.
* `hooks` — `session_changed`, called by every session command, which turns a
  change to an approved month into an adjustment.
* `queries` — `statement`, `month_commission`, `commission_lines`.
* `commands` — SetCommissionPlan, ApproveCommissions (handlers in
  domain/handlers/commissions.py).
"""
