"""Handlers: people."""
