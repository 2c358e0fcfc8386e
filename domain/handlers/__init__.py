"""Command handlers, one module per area. Importing this package registers them all."""

from domain import waitlist  # noqa: F401  (JoinWaitlist lives with its handler in domain/waitlist.py)
from domain.handlers import commissions, packages, people, sessions, undo  # noqa: F401
