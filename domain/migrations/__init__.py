"""Alembic migrations for the store. `domain.migrate.upgrade()` runs them."""
