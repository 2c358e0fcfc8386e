"""Slack: DMs, mentions, buttons, files and `/spotter`, through slack-bolt (see channel.py).

`build` is what `spotter serve` calls: a SlackChannel when Slack is configured
(SPOTTER_SLACK_BOT_TOKEN with SPOTTER_SLACK_SIGNING_SECRET or
SPOTTER_SLACK_APP_TOKEN), None when nothing of Slack is set, and a
ChannelError naming what is missing when it is half set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.base import ChannelError, Handler, Settings

if TYPE_CHECKING:
    from adapters.slack.channel import SlackChannel


def build(settings: Settings, engine: Handler) -> SlackChannel | None:
    if not (settings.slack_bot_token or settings.slack_signing_secret or settings.slack_app_token):
        return None
    if not settings.slack_configured:
        missing = (
            "SPOTTER_SLACK_BOT_TOKEN"
            if not settings.slack_bot_token
            else "SPOTTER_SLACK_SIGNING_SECRET (HTTP mode) or SPOTTER_SLACK_APP_TOKEN (Socket Mode)"
        )
        raise ChannelError(f"Slack is half configured: set {missing}.")
    from adapters.slack.channel import SlackChannel

    return SlackChannel(settings, engine)
