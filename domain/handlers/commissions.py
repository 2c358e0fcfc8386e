"""Handlers: commissions."""
