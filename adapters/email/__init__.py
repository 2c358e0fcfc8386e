"""E-mail as a channel: notifications for people who are on no chat.

SMTP through the standard library (`smtplib`: STARTTLS or SSL, login), one
multipart/alternative message per notification with a plain-text and an HTML
part rendered from Jinja2 templates (`templates/<kind>.txt|html`, falling back
to `base.*`), in the studio's branding (name, logo address, colour). Options
that have a one-click link (confirm / dispute a session) become buttons; the
others are listed as words to reply in the chat. Knows nothing of the store:
the delivery loop hands it an `Envelope` with the links already signed.

Settings (environment): SPOTTER_SMTP_HOST (required), SPOTTER_SMTP_PORT
(default 587, or 465 with SSL), SPOTTER_SMTP_SECURITY (starttls | ssl | none;
default starttls), SPOTTER_SMTP_USER / SPOTTER_SMTP_PASSWORD (login when set),
SPOTTER_EMAIL_FROM (default the user), SPOTTER_SMTP_TIMEOUT (seconds, 30).
"""

from __future__ import annotations

from adapters.email.channel import EmailChannel, EmailSettings, build

__all__ = ["EmailChannel", "EmailSettings", "build"]
