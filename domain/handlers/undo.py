"""Handlers: undo."""
