"""Handlers: packages."""
