"""Handlers: sessions."""
