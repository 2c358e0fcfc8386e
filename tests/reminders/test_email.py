"""E-mail through a real SMTP server in this process (aiosmtpd on 127.0.0.1), and its one-click links."""

from __future__ import annotations

import email
import re
import socket
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from reminder_helpers import make_cast
from sqlalchemy import select

from adapters.email import EmailChannel, EmailSettings
from bot.delivery import LinkMaker, deliver_now
from bot.intents.sessions import validation_options
from domain.actor import Actor
from domain.commands import LogSession, SellPackage
from domain.model import EmailLog, NotificationPreference, SpentLink, TrainingSession
from domain.notifications import queue
from domain.reminders.links import LinkRefused, use_link

KEY = b"test-secret-key-0123456789"
NOW = datetime(2026, 3, 11, 18, 0, tzinfo=UTC)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    logins: list[str] = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"spotter" and auth_data.password == b"pw"
        if ok:
            logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=authenticator, auth_require_tls=False
    )
    controller.start()
    inbox.logins = logins  # type: ignore[attr-defined]
    inbox.port = port  # type: ignore[attr-defined]
    yield inbox
    controller.stop()


def _status(store, session_id):
    with store.sessions() as db:
        return db.get(TrainingSession, session_id).status


def test_validation_email_parts_links_and_one_use(store, clock, smtp):
    clock.set(NOW)
    cast = make_cast(store, emails={"emma": "emma@example.com"})
    system = Actor.system(cast.studio_id)
    store.execute(system, SellPackage(cast.ids["emma"], 10, 80))
    session = store.execute(system, LogSession(cast.ids["sarah"], cast.ids["emma"], NOW - timedelta(hours=2)))
    store.run(
        system,
        lambda uow: queue(
            uow, cast.ids["emma"], "validation_request",
            "Sarah Lee logged a session with you on Wed, Mar 11 at 10:00 AM (60 min). "
            "Please confirm it took place so I can validate it.",
            validation_options(session.id), dedupe_key=f"validation_request:{session.id.hex}", session_id=session.id,
        ),
    )  # fmt: skip
    settings = EmailSettings("127.0.0.1", smtp.port, "none", "spotter", "pw", "studio@example.com", 10)
    result = deliver_now(
        store, {"email": EmailChannel(settings)}, NOW, linker=LinkMaker(KEY, "https://spotter.example")
    )
    assert result.counts == {"sent": 1}
    assert smtp.logins == ["spotter"]
    [(sender, to, raw)] = smtp.messages
    assert sender == "studio@example.com" and to == ["emma@example.com"]
    message = email.message_from_bytes(raw)
    assert message.get_content_type() == "multipart/alternative"
    assert "Please confirm your session" in message["Subject"] and "Northside Strength" in message["Subject"]
    plain, html = message.get_payload()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    text, page = plain.get_payload(decode=True).decode(), html.get_payload(decode=True).decode()
    for part in (text, page):
        assert "Hi Emma" in part and "Sarah Lee logged a session" in part and "Northside Strength" in part
    assert "#2f6fed" in page and "<a href=" in page
    confirm = re.search(r"Confirm: (https://spotter\.example/link/(\S+))", text).group(2)
    dispute = re.search(r"It didn't happen: (https://spotter\.example/link/(\S+))", text).group(2)
    assert f"https://spotter.example/link/{confirm}" in page and "Stop reminders" in page
    assert message["List-Unsubscribe"].startswith("<https://spotter.example/link/")
    with store.sessions() as db:
        [logged] = db.scalars(select(EmailLog)).all()
        assert (logged.to_address, logged.status) == (
            "emma@example.com",
            "sent",
        ) and "confirm" in logged.subject

    # tampered: refused, nothing changes
    tampered = confirm[:-3] + ("AAA" if not confirm.endswith("AAA") else "BBB")
    with pytest.raises(LinkRefused, match="not valid"):
        use_link(store, KEY, tampered)
    forged = confirm.replace("validate.", "dispute.", 1)
    with pytest.raises(LinkRefused, match="not valid"):
        use_link(store, KEY, forged)
    with pytest.raises(LinkRefused, match="not valid"):
        use_link(store, b"another-key-0123456789", confirm)
    # expired: refused, nothing changes
    clock.set(NOW + timedelta(days=15))
    with pytest.raises(LinkRefused, match="expired"):
        use_link(store, KEY, confirm)
    assert _status(store, session.id) == "pending_validation"
    # used once: works; used again: refused and nothing changes
    clock.set(NOW + timedelta(hours=1))
    assert "confirmed" in use_link(store, KEY, confirm)
    assert _status(store, session.id) == "validated"
    with pytest.raises(LinkRefused, match="already used"):
        use_link(store, KEY, confirm)
    assert _status(store, session.id) == "validated"
    with store.sessions() as db:
        assert len(db.scalars(select(SpentLink)).all()) == 1
    # the dispute link still works once (a validated session may be disputed)
    assert "disputed" in use_link(store, KEY, dispute)
    assert _status(store, session.id) == "disputed"


def test_stop_link_and_failing_smtp_falls_back(store, clock, smtp):
    clock.set(NOW)
    cast = make_cast(store, emails={"emma": "emma@example.com"})
    from domain.reminders.links import make_token

    token = make_token(KEY, "stop", cast.ids["emma"], None, NOW)
    assert "won't get reminders" in use_link(store, KEY, token)
    with store.sessions() as db:
        assert set(db.get(NotificationPreference, cast.ids["emma"]).opted_out) == {
            "validation",
            "sessions",
            "digest",
            "reports",
        }
    with pytest.raises(LinkRefused, match="already used"):
        use_link(store, KEY, token)
    # no SMTP server listening: a failed try, retried later, in the e-mail log
    store.run(
        Actor.system(cast.studio_id),
        lambda uow: queue(uow, cast.ids["emma"], "booking", "hello", dedupe_key="b1"),
    )
    bad = EmailSettings("127.0.0.1", _free_port(), "none", "spotter", "pw", "studio@example.com", 5)
    result = deliver_now(store, {"email": EmailChannel(bad)}, NOW)
    assert result.counts == {"retry": 1} and smtp.messages == []
    with store.sessions() as db:
        [logged] = db.scalars(select(EmailLog)).all()
        assert logged.status == "failed" and "ConnectionRefusedError" in logged.error
