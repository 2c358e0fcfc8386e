"""The e-mail channel: render with Jinja2, send with smtplib on a worker thread (see the package docstring)."""

from __future__ import annotations

import asyncio
import email.policy
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, TemplateNotFound, select_autoescape

from bot.messages import Reply

TEMPLATES = Path(__file__).with_name("templates")
SUBJECTS = {
    "validation_request": "Please confirm your session",
    "validation_reminder": "Reminder: please confirm your session",
    "upcoming_reminder": "Your upcoming session",
    "validation_escalation": "A session is still unconfirmed",
    "trainer_digest": "Sessions waiting for validation",
    "weekly_report": "Weekly validation report",
    "rate_alert": "Validation rate alert",
    "commission_report": "Monthly commission report",
    "weekly_digest": "Your weekly digest",
    "delivery_failure": "A message could not be delivered",
}
SECURITY = ("starttls", "ssl", "none")
# Long link headers (List-Unsubscribe) stay readable: fold at 998, not 78 (which would encode them).
POLICY = email.policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class EmailSettings:
    host: str
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    sender: str = "spotter@localhost"
    timeout: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> EmailSettings | None:
        env = os.environ if environ is None else environ
        host = env.get("SPOTTER_SMTP_HOST", "").strip()
        if not host:
            return None
        security = env.get("SPOTTER_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
        if security not in SECURITY:
            raise ValueError(f"SPOTTER_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not {security!r}.")
        port = int(env.get("SPOTTER_SMTP_PORT", "").strip() or (465 if security == "ssl" else 587))
        user = env.get("SPOTTER_SMTP_USER", "").strip() or None
        return cls(
            host=host,
            port=port,
            security=security,
            user=user,
            password=env.get("SPOTTER_SMTP_PASSWORD") or None,
            sender=env.get("SPOTTER_EMAIL_FROM", "").strip() or user or "spotter@localhost",
            timeout=float(env.get("SPOTTER_SMTP_TIMEOUT", "30") or 30),
        )


class EmailChannel:
    """A `Channel` whose external id is an e-mail address."""

    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self.settings = settings
        self.description = f"SMTP {settings.host}:{settings.port} ({settings.security})"
        self.templates = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            keep_trailing_newline=True,
        )

    async def start(self, web_app: Any) -> None:
        """Nothing to listen for: e-mail only sends."""

    async def stop(self) -> None:
        """Sends run to completion on their threads."""

    async def send(self, external_id: str, reply: Reply) -> None:
        """A plain notification with no studio context (default branding, no links)."""
        from bot.delivery import Branding, Envelope

        envelope = Envelope(
            notification_id=None,  # type: ignore[arg-type]
            recipient_id=None,  # type: ignore[arg-type]
            recipient_name="",
            external_id=external_id,
            kind="message",
            reply=reply,
            studio=Branding("Spotter", None, "#2f6fed", "UTC"),
        )
        await self.send_envelope(envelope)

    async def send_envelope(self, envelope: Any) -> str:
        """Render and send one notification; returns the subject (for the e-mail log)."""
        message = self.render(envelope)
        await asyncio.to_thread(self._deliver, message)
        return str(message["Subject"])

    def render(self, envelope: Any) -> EmailMessage:
        """The multipart/alternative message: text/plain first, then text/html."""
        subject = f"{SUBJECTS.get(envelope.kind, 'A message from your studio')} · {envelope.studio.name}"
        buttons = [
            {"label": label, "url": envelope.links[payload]}
            for label, payload in ((o.label, o.payload) for o in envelope.reply.options)
            if payload in envelope.links
        ]
        others = [
            o.label
            for o in envelope.reply.options
            if o.payload not in envelope.links and not o.payload.startswith("reminders:")
        ]
        context = {
            "subject": subject,
            "studio": envelope.studio.name,
            "logo_url": envelope.studio.logo_url,
            "colour": envelope.studio.colour,
            "first_name": (envelope.recipient_name.split() or ["there"])[0],
            "text": envelope.reply.text,
            "buttons": buttons,
            "options_text": ("Reply in the chat to " + " / ".join(f"“{o}”" for o in others) + ".")
            if others
            else "",
            "stop_url": envelope.links.get("stop"),
        }
        message = EmailMessage(policy=POLICY)
        message["Subject"] = subject
        message["From"] = formataddr((envelope.studio.name, self.settings.sender))
        message["To"] = envelope.external_id
        message["Message-ID"] = make_msgid(domain=self.settings.sender.partition("@")[2] or None)
        message.set_content(self._template(envelope.kind, "txt").render(context))
        message.add_alternative(self._template(envelope.kind, "html").render(context), subtype="html")
        if context["stop_url"]:
            message["List-Unsubscribe"] = f"<{context['stop_url']}>"
        return message

    def _template(self, kind: str, ext: str) -> Any:
        try:
            return self.templates.get_template(f"{kind}.{ext}")
        except TemplateNotFound:
            return self.templates.get_template(f"base.{ext}")

    def _deliver(self, message: EmailMessage) -> None:
        s = self.settings
        if s.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        with client:
            if s.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if s.user and s.password:
                client.login(s.user, s.password)
            client.send_message(message)


def build(
    settings: Any = None, engine: Any = None, environ: Mapping[str, str] | None = None
) -> EmailChannel | None:
    """The e-mail channel when SPOTTER_SMTP_HOST is set, else None (the server's builder convention)."""
    found = EmailSettings.from_env(environ)
    return EmailChannel(found) if found is not None else None
