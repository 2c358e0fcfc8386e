"""The delivery loop over the outbox: retries, fallback, admin alerts, people's choices, clean-up, health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reminder_helpers import Recording, enqueue, make_cast
from sqlalchemy import select

from bot.delivery import deliver_now
from domain import outbox
from domain.model import EmailLog, Notification, NotificationPreference
from domain.reminders.preferences import set_mode, set_opt_out

NOON = datetime(2026, 3, 11, 17, 0, tzinfo=UTC)  # 13:00 in New York: not quiet


def rows(store):
    with store.sessions() as db:
        return {n.id: n for n in db.scalars(select(Notification))}


def test_delivered_once_then_marked(store, clock):
    clock.set(NOON)
    cast = make_cast(store, chats={"emma": ["slack"]})
    ids = enqueue(store, cast, "emma", 3)
    slack = Recording("slack")
    first = deliver_now(store, {"slack": slack}, NOON)
    again = deliver_now(store, {"slack": slack}, NOON + timedelta(minutes=5))
    assert first.counts == {"sent": 3} and again.claimed == 0
    assert sorted(r.text for _, r in slack.sent) == ["message t0", "message t1", "message t2"]
    assert {x for x, _ in slack.sent} == {"slack-emma"}
    assert slack.sent[0][1].options[0].payload == "noop:1"
    found = rows(store)
    assert all(
        found[i].status == "sent" and found[i].channel == "slack" and found[i].sent_at is not None
        for i in ids
    )


def test_failing_channel_retried_then_falls_back_then_admins_told(store, clock):
    clock.set(NOON)
    cast = make_cast(store, chats={"emma": ["slack", "telegram"], "ada": ["slack"]})
    [nid] = enqueue(store, cast, "emma", 1)
    slack, telegram = Recording("slack", fail=True), Recording("telegram", fail=True)
    channels = {"slack": slack, "telegram": telegram}
    now = NOON
    assert deliver_now(store, channels, now).counts == {"retry": 1}
    row = rows(store)[nid]
    assert (row.status, row.channel, row.attempts) == ("queued", "slack", 1)
    assert row.next_attempt_at == now + outbox.retry_delay(1) and "slack is down" in row.last_error
    assert deliver_now(store, channels, now).claimed == 0  # backing off: not due yet
    now = row.next_attempt_at
    deliver_now(store, channels, now)  # second failure on slack
    now = rows(store)[nid].next_attempt_at
    deliver_now(store, channels, now, max_batches=1)  # third: falls back to telegram, at once
    row = rows(store)[nid]
    assert (row.status, row.channel, row.attempts) == ("queued", "telegram", 0)
    assert "trying telegram" in row.last_error
    telegram.fail = False
    assert deliver_now(store, channels, now).counts == {"sent": 1}
    assert rows(store)[nid].channel == "telegram" and len(telegram.sent) == 1 and not slack.sent


def test_no_channel_left_fails_and_alerts_admins_once(store, clock):
    clock.set(NOON)
    cast = make_cast(store, chats={"emma": ["slack"], "ada": ["telegram"]})
    [nid] = enqueue(store, cast, "emma", 1)
    slack, telegram = Recording("slack", fail=True), Recording("telegram")
    now = NOON
    for _ in range(outbox.TRIES_PER_CHANNEL):
        deliver_now(store, {"slack": slack, "telegram": telegram}, now)
        now += timedelta(hours=1)
    found = rows(store)
    assert found[nid].status == "failed"
    alerts = [n for n in found.values() if n.kind == "delivery_failure"]
    assert [a.recipient_id for a in alerts] == [cast.ids["ada"]]
    assert "Emma Wilson" in alerts[0].text and "slack is down" in alerts[0].text
    deliver_now(store, {"slack": slack, "telegram": telegram}, now)
    assert [r.text for _, r in telegram.sent] == [alerts[0].text]
    assert outbox.health(store, now).failed == 1


def test_choices_at_delivery_quiet_hours_digest_and_stop(store, clock):
    night = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)  # 23:00 in New York
    clock.set(night)
    cast = make_cast(store, chats={h: ["slack"] for h in ("emma", "john", "sarah")})
    [quiet] = enqueue(store, cast, "emma", 1, kind="booking", prefix="q")
    [held] = enqueue(store, cast, "john", 1, kind="booking", prefix="h")
    [stopped] = enqueue(store, cast, "sarah", 1, kind="trainer_digest", prefix="s")
    store.run(
        __import__("domain.actor", fromlist=["Actor"]).Actor.system(cast.studio_id),
        lambda uow: (
            set_mode(uow.db, cast.ids["john"], "digest", night),
            set_opt_out(uow.db, cast.ids["sarah"], ["digest"], True, night),
        ),
    )
    slack = Recording("slack")
    result = deliver_now(store, {"slack": slack}, night)
    assert result.counts == {"deferred": 1, "held": 1, "skipped": 1} and not slack.sent
    found = rows(store)
    assert found[quiet].status == "queued" and found[quiet].attempts == 0
    assert found[quiet].next_attempt_at == datetime(2026, 3, 12, 12, 0, tzinfo=UTC)  # 08:00 EDT
    assert (found[held].status, found[stopped].status) == ("held", "skipped")
    assert deliver_now(store, {"slack": slack}, night + timedelta(hours=8)).claimed == 0
    assert deliver_now(store, {"slack": slack}, datetime(2026, 3, 12, 12, 0, tzinfo=UTC)).counts == {
        "sent": 1
    }
    with store.sessions() as db:
        assert db.get(NotificationPreference, cast.ids["john"]).mode == "digest"


def test_same_day_session_change_goes_out_in_quiet_hours(store, clock, engine):
    from domain.actor import Actor
    from domain.commands import BookSession, CancelSession

    night = datetime(2026, 3, 12, 2, 0, tzinfo=UTC)  # 22:00 on Wed, Mar 11 in New York
    clock.set(night - timedelta(days=1))
    cast = make_cast(store, chats={"emma": ["slack"], "sarah": ["slack"]})
    system = Actor.system(cast.studio_id)
    from domain.commands import SellPackage

    store.execute(system, SellPackage(cast.ids["emma"], 10, 80))
    tomorrow = store.execute(
        system, BookSession(cast.ids["sarah"], cast.ids["emma"], datetime(2026, 3, 12, 14, 0, tzinfo=UTC))
    )
    later = store.execute(
        system, BookSession(cast.ids["sarah"], cast.ids["emma"], datetime(2026, 3, 12, 3, 30, tzinfo=UTC))
    )
    clock.set(night)
    store.execute(system, CancelSession(later.id))
    store.execute(system, CancelSession(tomorrow.id))

    def notify(uow):  # what the engine queues on a cancel (kind "cancellation", about the session)
        from domain.notifications import queue

        queue(
            uow, cast.ids["emma"], "cancellation", "today's cancelled", session_id=later.id, dedupe_key="c1"
        )
        queue(
            uow,
            cast.ids["emma"],
            "cancellation",
            "tomorrow's cancelled",
            session_id=tomorrow.id,
            dedupe_key="c2",
        )

    store.run(system, notify)
    slack = Recording("slack")
    assert deliver_now(store, {"slack": slack}, night).counts == {"sent": 1, "deferred": 1}
    assert [r.text for _, r in slack.sent] == ["today's cancelled"]


def test_stuck_rows_recovered_and_clean_up_by_retention(store, clock):
    clock.set(NOON)
    cast = make_cast(store, chats={"emma": ["slack"]})
    ids = enqueue(store, cast, "emma", 2)
    claimed = outbox.claim(store, NOON, limit=1)
    assert len(claimed) == 1 and outbox.claim(store, NOON, limit=5)[0].id != claimed[0].id
    assert outbox.health(store, NOON + outbox.LEASE + timedelta(seconds=1)).stuck == 2
    assert outbox.recover(store, NOON + outbox.LEASE + timedelta(seconds=1)) == 2
    slack = Recording("slack")
    deliver_now(store, {"slack": slack}, NOON + outbox.LEASE + timedelta(minutes=1))
    assert len(slack.sent) == 2
    with store.sessions() as db, db.begin():
        db.add(
            EmailLog(
                studio_id=cast.studio_id,
                notification_id=ids[0],
                to_address="e@x",
                subject="s",
                status="sent",
                created_at=NOON,
            )
        )
    assert outbox.clean_up(store, NOON + timedelta(days=89)) == {
        "notifications": 0,
        "email_log": 0,
        "spent_links": 0,
    }
    assert outbox.clean_up(store, NOON + timedelta(days=91)) == {
        "notifications": 2,
        "email_log": 1,
        "spent_links": 0,
    }
    assert rows(store) == {}


def test_rows_for_channels_this_process_lacks_wait_for_another(store, clock):
    clock.set(NOON)
    cast = make_cast(store, chats={"emma": ["slack"], "ada": ["slack"]})
    [nid] = enqueue(store, cast, "john", 1, prefix="j")  # john: no chat, no e-mail
    [waits] = enqueue(store, cast, "emma", 1, prefix="e")
    result = deliver_now(store, {"email": Recording("email")}, NOON)  # a cron tick: e-mail only
    assert result.counts == {"deferred": 2, "failed": 1}  # emma, then the admins' alert about john
    found = rows(store)
    assert (
        found[waits].status == "queued" and found[waits].attempts == 0 and found[waits].next_attempt_at > NOON
    )
    assert found[nid].status == "failed" and "no channel" in found[nid].last_error
    slack = Recording("slack")
    assert deliver_now(store, {"slack": slack}, NOON + timedelta(minutes=3)).counts == {
        "sent": 2
    }  # + the admin alert
