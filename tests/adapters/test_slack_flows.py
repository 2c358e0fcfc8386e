"""Slack end to end: signed requests into the real server, the real slack-bolt/slack-sdk, a fake Slack.

Each test runs on SQLite and PostgreSQL (the `store` fixture). The studio is
engine_helpers' World; Sarah (trainer) is known to Slack as USARAH, and the
studio knows her e-mail, so her first message links her Slack account.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from slack_harness import Recording, dm_event, posted, slack_running

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bot"))
from engine_helpers import World  # noqa: E402

from bot.messages import Option, Reply  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.commands import UpdatePerson  # noqa: E402
from domain.model import ChatIdentity  # noqa: E402

SARAH, DANA = "USARAH", "UDANA"


@pytest.fixture
def world(store: Any, clock: Any) -> World:
    built = World.build(store, clock)
    built.at("2026-03-11T17:20")
    system = Actor.system(built.studio_id, "test")
    store.execute(system, UpdatePerson(built.people["sarah"], email="sarah@northside.example"))
    store.execute(system, UpdatePerson(built.people["dana"], email="dana@northside.example"))
    return built


def known_users(fake: Any) -> None:
    fake.users[SARAH] = {"email": "Sarah@Northside.example", "name": "sarah"}
    fake.users[DANA] = {"email": "dana@northside.example", "name": "dana"}


def buttons(call: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in call["args"]["blocks"] if b["type"] == "actions" for e in b["elements"]]


def run(scenario: Any) -> None:
    asyncio.run(asyncio.wait_for(scenario, 60))


def test_a_dm_offers_two_johns_as_buttons_and_a_click_logs_the_session(world: World) -> None:
    async def scenario() -> None:
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            await slack.dm(SARAH, "log session with John at 3pm")
            (question,) = await slack.answers()
            assert question["args"]["channel"] == "DSARAH"
            assert "Which John" in question["args"]["text"]
            labels = {b["text"]["text"]: b["value"] for b in buttons(question)}
            assert set(labels) == {"John Smith", "John Doe"}
            assert all(value and len(value.encode()) <= 64 for value in labels.values())
            assert world.sessions() == []

            response = await slack.click(SARAH, question, "John Doe")
            assert response.status == 200
            (update,) = [c["args"] for c in await slack.answers(method="chat.update")]
            assert update["ts"] == question["result"]["ts"] and update["channel"] == "DSARAH"
            assert not [b for b in update["blocks"] if b["type"] == "actions"]
            assert "John Doe" in str(update["blocks"])
            answer = (await slack.answers(2))[1]
            assert "John Doe" in answer["args"]["text"]

            # A second click on the same (already updated) message changes nothing more.
            await slack.click(SARAH, question, "John Smith")
            await asyncio.sleep(0.3)
        sessions = world.sessions()
        assert [(s["trainer"], s["client"], s["start"].hour) for s in sessions] == [("sarah", "john.d", 15)]
        assert len(slack.fake.calls_to("chat.postMessage")) == 2

    run(scenario())


def test_the_first_message_links_the_slack_account_by_the_studios_email(world: World) -> None:
    async def scenario() -> None:
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            slack.fake.users["UNEW"] = {"email": "stranger@elsewhere.example", "name": "stranger"}
            await slack.dm(SARAH, "hi")
            await slack.dm("UNEW", "hi")
            calls = await slack.answers(2)
            by_channel = {c["args"]["channel"]: c["args"]["text"] for c in calls}
            assert "link CODE" not in by_channel["DSARAH"]
            assert "link CODE" in by_channel["DNEW"]  # unknown e-mail: the link-code flow
        with world.store.sessions() as db:
            links = {(i.channel, i.external_id, i.person_id) for i in db.query(ChatIdentity).all()}
        assert ("slack", SARAH, world.people["sarah"]) in links
        assert not [link for link in links if link[1] == "UNEW"]

    run(scenario())


def test_the_same_event_delivered_three_times_logs_one_session(world: World) -> None:
    async def scenario() -> None:
        event = None
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            event = dm_event(SARAH, "log session with Emma at 3pm", slack.ts())
            for retry in (None, 1, 2):
                response = await slack.event(event, event_id="Ev0SAME", retry=retry)
                assert response.status == 200
            await slack.fake.wait_for("chat.postMessage")
            await asyncio.sleep(0.3)
            assert len(slack.fake.calls_to("chat.postMessage")) == 1
        # A restarted process gets the same event again: the engine's inbox answers, nothing is logged twice.
        async with slack_running(world.engine, world.clock) as again:
            known_users(again.fake)
            await again.event(event, event_id="Ev0SAME", retry=3)
            (answer,) = await again.answers()
        assert [(s["trainer"], s["client"]) for s in world.sessions()] == [("sarah", "emma")]
        assert world.inbox_count() == 1
        assert "Emma Wilson" in answer["args"]["text"]

    run(scenario())


def test_a_forged_or_stale_request_gets_401_and_changes_nothing(world: World) -> None:
    async def scenario() -> None:
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            forged = await slack.event(
                dm_event(SARAH, "log session with Emma at 3pm", slack.ts()), signature="v0=" + "0" * 64
            )
            stale = await slack.event(
                dm_event(SARAH, "log session with Emma at 4pm", slack.ts()), timestamp=int(time.time()) - 301
            )
            assert (forged.status, stale.status) == (401, 401)
            await asyncio.sleep(0.3)
            assert slack.fake.calls_to("chat.postMessage") == []
        assert world.sessions() == [] and world.inbox_count() == 0

    run(scenario())


def test_a_slash_command_goes_to_the_engine_and_is_answered_in_the_dm(world: World) -> None:
    async def scenario() -> None:
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            response = await slack.command(SARAH, "log session with Emma at 2pm")
            assert response.status == 200
            (answer,) = await slack.answers()
            assert answer["args"]["channel"] == "DSARAH"
            assert slack.fake.calls_to("conversations.open")[0].args["users"] == SARAH
        assert [(s["client"], s["start"].hour) for s in world.sessions()] == [("emma", 14)]

    run(scenario())


def test_a_csv_export_is_uploaded_with_files_upload_v2(world: World) -> None:
    async def scenario() -> None:
        world.say("sarah", "log session with Emma at 3pm")
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            await slack.dm(DANA, "export sessions for march")
            await slack.fake.wait_for("files.completeUploadExternal")
            (text,) = posted(slack.fake, "chat.postMessage")
            assert "CSV" in text["args"]["text"]
            (upload,) = slack.fake.uploads.values()
            assert upload.completed and upload.channel == "DDANA"
            assert upload.filename == "sessions-2026-03.csv"
            rows = list(csv.DictReader(io.StringIO(upload.content.decode())))
            assert len(rows) == 1 and "Emma Wilson" in str(rows[0])

    run(scenario())


def test_an_audio_file_reaches_the_voice_path(world: World) -> None:
    recording = Recording(world.engine)
    clip = b"OggS\x00\x02" + bytes(range(256)) * 8

    async def scenario() -> None:
        async with slack_running(recording, world.clock) as slack:
            known_users(slack.fake)
            url = slack.fake.add_download("clip.ogg", clip, "audio/ogg")
            event = dm_event(
                SARAH,
                "",
                slack.ts(),
                subtype="file_share",
                files=[
                    {
                        "id": "F0CLIP",
                        "name": "audio_message.ogg",
                        "mimetype": "audio/ogg",
                        "filetype": "ogg",
                        "subtype": "slack_audio",
                        "size": len(clip),
                        "url_private": url,
                        "url_private_download": url,
                    }
                ],
            )
            await slack.event(event)
            await slack.fake.wait_for("chat.postMessage")
            assert slack.fake.download_tokens == ["xoxb-test-token"]

    run(scenario())
    (incoming,) = recording.seen
    assert (incoming.audio, incoming.audio_mime, incoming.channel) == (clip, "audio/ogg", "slack")


def test_a_mention_in_a_channel_is_answered_in_its_thread(world: World) -> None:
    async def scenario() -> None:
        async with slack_running(world.engine, world.clock) as slack:
            known_users(slack.fake)
            ts = slack.ts()
            event = {
                "type": "app_mention",
                "channel": "C0TRAINERS",
                "user": SARAH,
                "text": "<@UBOT> log session with Emma at 3pm",
                "ts": ts,
                "event_ts": ts,
            }
            assert (await slack.event(event)).status == 200
            (answer,) = await slack.answers()
            assert (answer["args"]["channel"], answer["args"]["thread_ts"]) == ("C0TRAINERS", ts)
        assert [(s["trainer"], s["client"]) for s in world.sessions()] == [("sarah", "emma")]

    run(scenario())


def test_a_notification_is_sent_to_the_persons_dm_with_its_buttons(world: World) -> None:
    async def scenario() -> None:
        async with slack_running(world.engine, world.clock) as slack:
            reply = Reply("Did your session take place?", (Option("Yes", "validate:ab12"),))
            await slack.channel.send(SARAH, reply)
            (sent,) = posted(slack.fake)
            assert sent["args"]["channel"] == "DSARAH"
            assert [(b["text"]["text"], b["value"]) for b in buttons(sent)] == [("Yes", "validate:ab12")]

    run(scenario())
