"""Choosing closed-vocabulary slot values from the matcher's hits, intent by intent."""

from __future__ import annotations

import re
from typing import Any

from nlu.vocab import VocabHit

METRIC_PRIORITY = (
    "validation_rate",
    "no_shows",
    "cancellations",
    "commission",
    "revenue",
    "clients",
    "sessions",
)
SUBSTITUTE = re.compile(
    r"\bsubstitut\w*|\bsubbed\b|\bsub(?:bing)? (?:sessions|for)\b|\bcovered (?:by|for)\b|\bcover(?:ing|ed)? sessions\b|"
    r"\bby a sub\b|\bcovers\b|\bwere covered\b|\bcovering\b",
    re.I,
)


def _inside(hit: VocabHit, others: list[VocabHit]) -> bool:
    return any(o.start <= hit.start and hit.end <= o.end and o is not hit for o in others)


def vocab_slots(hits: dict[str, list[VocabHit]], text: str, intent: str) -> dict[str, Any]:
    """session_type, status, metric, group_by, entity and substitute for this intent."""
    slots: dict[str, Any] = {}
    group_hits = hits.get("group_by", [])
    if intent in {"log_session", "book_session", "query_sessions"}:
        for hit in hits.get("session_type", []):
            if not _inside(hit, group_hits) or intent != "query_stats":
                slots["session_type"] = hit.value
                break
    if intent in {"query_sessions", "export"}:
        for hit in hits.get("status", []):
            slots["status"] = hit.value
            break
        if intent == "query_sessions" and SUBSTITUTE.search(text):
            slots["substitute"] = True
    if intent == "query_stats":
        metric_hits = hits.get("metric", [])
        values = {h.value for h in metric_hits}
        metric = next((m for m in METRIC_PRIORITY if m in values), "sessions")
        slots["metric"] = metric
        for hit in group_hits:
            if (
                hit.value == "client"
                and metric == "clients"
                and not re.search(r"\b(?:by|per|each) client", text, re.I)
            ):
                continue
            slots["group_by"] = hit.value
            break
    if intent == "export":
        entities = hits.get("entity", [])
        if entities:
            slots["entity"] = entities[0].value
    return slots
