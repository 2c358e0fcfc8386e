"""Telegram, on python-telegram-bot: long polling by default, a webhook when a public URL is set.

`build(settings, engine)` is what `spotter serve` calls (adapters/base.py):
None when SPOTTER_TELEGRAM_BOT_TOKEN is absent.
"""

from __future__ import annotations

from adapters.base import Handler, Settings
from adapters.telegram.channel import WEBHOOK_PATH, TelegramChannel

__all__ = ["WEBHOOK_PATH", "TelegramChannel", "build"]


def build(settings: Settings, engine: Handler) -> TelegramChannel | None:
    if not settings.telegram_bot_token:
        return None
    return TelegramChannel(
        engine,
        settings.telegram_bot_token,
        api_url=settings.telegram_api_url,
        webhook_url=settings.telegram_webhook_url,
        secret=settings.telegram_secret,
    )
