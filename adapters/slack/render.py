"""A `Reply` as a Slack message: Block Kit text and buttons, and the message after a click.

Slack limits (docs.slack.dev/reference/block-kit): a section's text is at most
3,000 characters, an actions block holds at most 25 elements, a button's text
75 and its value 2,000 characters, a message 50 blocks. The engine's text is
shown as plain text (nothing it says can turn into a mention or a link); the
`text` fallback (notifications, screen readers) is escaped mrkdwn.
"""

from __future__ import annotations

import re
from typing import Any

from bot.messages import Option, Reply

SECTION_CHARS = 3000
BUTTONS_PER_BLOCK = 25
BUTTON_CHARS = 75
MAX_BLOCKS = 50
ACTION_PREFIX = "spotter_option_"
ACTION_ID = re.compile(rf"^{ACTION_PREFIX}\d+$")
CHOSEN_BLOCK = "spotter_chosen"


def escape(text: str) -> str:
    """Slack's three control characters in mrkdwn text (api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _chunks(text: str, size: int) -> list[str]:
    """Text cut at line ends where possible, each piece at most `size` characters."""
    pieces: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        cut = cut if cut > 0 else size
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    if text or not pieces:
        pieces.append(text)
    return pieces


def _short(label: str, size: int) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def button(index: int, option: Option) -> dict[str, Any]:
    """One option as a button; the value carries the option's payload to the click handler."""
    return {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": {"type": "plain_text", "text": _short(option.label or option.payload, BUTTON_CHARS)},
        "value": option.payload,
    }


def blocks(reply: Reply) -> list[dict[str, Any]]:
    """The reply's text as sections, then its options as buttons (25 to a row of blocks)."""
    out: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "plain_text", "text": piece or " ", "emoji": True}}
        for piece in _chunks(reply.text, SECTION_CHARS)
    ]
    buttons = [button(i, option) for i, option in enumerate(reply.options)]
    for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
        out.append(
            {
                "type": "actions",
                "block_id": f"spotter_options_{start // BUTTONS_PER_BLOCK}",
                "elements": buttons[start : start + BUTTONS_PER_BLOCK],
            }
        )
    return out[:MAX_BLOCKS]


def message(reply: Reply) -> dict[str, Any]:
    """Arguments for chat.postMessage / chat.update (without channel and ts)."""
    return {"text": escape(reply.text) or " ", "blocks": blocks(reply)}


def after_click(original: dict[str, Any], label: str) -> dict[str, Any]:
    """The clicked message without its buttons and with what was chosen, so it cannot be pressed twice."""
    kept = [
        b
        for b in original.get("blocks") or ()
        if b.get("type") != "actions" and b.get("block_id") != CHOSEN_BLOCK
    ]
    kept.append(
        {
            "type": "context",
            "block_id": CHOSEN_BLOCK,
            "elements": [{"type": "plain_text", "text": _short(f"✓ {label}", 2000), "emoji": True}],
        }
    )
    return {"text": original.get("text") or escape(label), "blocks": kept}
