"""Block Kit rendering and the app manifest: Slack's limits kept, nothing of the text turned into markup."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack import render
from adapters.slack.channel import COMMAND, PATH, Remembered, is_audio
from bot.messages import Option, Reply

MANIFEST = Path(__file__).resolve().parents[2] / "adapters" / "slack" / "manifest.yml"


def test_options_become_buttons_carrying_their_payloads() -> None:
    reply = Reply("Which John?", (Option("John Smith", "pick:q1.0"), Option("John Doe", "pick:q1.1")))
    blocks = render.blocks(reply)
    assert blocks[0] == {
        "type": "section",
        "text": {"type": "plain_text", "text": "Which John?", "emoji": True},
    }
    (actions,) = [b for b in blocks if b["type"] == "actions"]
    assert [(b["text"]["text"], b["value"]) for b in actions["elements"]] == [
        ("John Smith", "pick:q1.0"),
        ("John Doe", "pick:q1.1"),
    ]
    assert all(render.ACTION_ID.match(b["action_id"]) for b in actions["elements"])
    assert len({b["action_id"] for b in actions["elements"]}) == 2


def test_slacks_limits_are_kept() -> None:
    many = tuple(Option(f"Option {n} " + "x" * 100, f"p:{n}") for n in range(30))
    blocks = render.blocks(Reply("line\n" * 1000, many))
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == 2 and all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert "".join(b["text"]["text"] for b in sections).count("line") == 1000
    rows = [b["elements"] for b in blocks if b["type"] == "actions"]
    assert [len(r) for r in rows] == [25, 5]
    assert all(len(b["text"]["text"]) <= 75 for r in rows for b in r)


def test_the_fallback_text_cannot_mention_or_link() -> None:
    message = render.message(Reply("<!channel> & <https://evil.example|click>"))
    assert message["text"] == "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;"


def test_a_clicked_message_keeps_its_text_and_loses_its_buttons() -> None:
    original = render.message(Reply("Which John?", (Option("John Doe", "pick:q1.1"),)))
    after = render.after_click(original, "John Doe")
    assert [b["type"] for b in after["blocks"]] == ["section", "context"]
    assert after["blocks"][1]["elements"][0]["text"] == "✓ John Doe"
    again = render.after_click(after, "John Doe")  # a second update does not stack choices
    assert [b["type"] for b in again["blocks"]] == ["section", "context"]


def test_audio_is_recognised_and_video_is_not() -> None:
    assert is_audio({"mimetype": "audio/webm", "filetype": "webm"})
    assert is_audio({"subtype": "slack_audio", "mimetype": "video/mp4", "filetype": "mp4"})
    assert is_audio({"mimetype": "", "filetype": "m4a"})
    assert not is_audio({"mimetype": "video/webm", "filetype": "webm"})
    assert not is_audio({"mimetype": "text/csv", "filetype": "csv"})


def test_remembered_ids_are_bounded_and_report_repeats() -> None:
    seen = Remembered(size=2)
    assert seen.add("a") and seen.add("b") and not seen.add("a")
    assert seen.add("c") and "b" not in seen and "a" in seen


def test_the_manifest_asks_for_exactly_what_the_channel_uses() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "chat:write",
        "commands",
        "files:read",
        "files:write",
        "im:history",
        "im:write",
        "users:read",
        "users:read.email",
    }
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert settings["interactivity"]["is_enabled"] is True
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == COMMAND
    urls = [
        command["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert all(url.endswith(PATH) for url in urls)
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
