"""Command handlers, one module per area. Importing this package registers them all."""

from domain.handlers import commissions, packages, people, sessions, undo  # noqa: F401
