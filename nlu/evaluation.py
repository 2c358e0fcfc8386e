"""Scoring the parser on an evaluation file (the contract's last section).

`compare_slot` is the contract's notion of a right slot: persons, notes, tags and names
case-insensitive with surrounding punctuation ignored; times as equal instants; recurrences
as equal rules whatever the order of their parts.
"""

from __future__ import annotations

import string
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from nlu.frame import Frame

TEXT_SLOTS = frozenset({"client", "trainer", "substitute_for", "name", "note", "tag"})
TIME_SLOTS = frozenset({"start", "new_start"})
_STRIP = string.punctuation + string.whitespace


def _norm_text(value: Any) -> str:
    return " ".join(str(value).strip(_STRIP).casefold().split())


def _as_datetime(value: Any, tz: ZoneInfo | None) -> datetime | None:
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime(value.year, value.month, value.day)
    else:
        try:
            dt = datetime.fromisoformat(str(value).strip())
        except ValueError:
            return None
    if dt.tzinfo is None and tz is not None:
        dt = dt.replace(tzinfo=tz)
    return dt


def _same_instant(a: Any, b: Any, tz: ZoneInfo | None) -> bool:
    da, db = _as_datetime(a, tz), _as_datetime(b, tz)
    if da is None or db is None:
        return False
    if (da.tzinfo is None) != (db.tzinfo is None):
        da, db = da.replace(tzinfo=None), db.replace(tzinfo=None)
    return da == db


def _rule_parts(rule: Any) -> frozenset[tuple[str, frozenset[str]]]:
    parts = set()
    for part in str(rule).strip().upper().removeprefix("RRULE:").split(";"):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        parts.add((key.strip(), frozenset(v.strip() for v in value.split(","))))
    return frozenset(parts)


def _period_bounds(value: Any) -> tuple[Any, Any] | None:
    if isinstance(value, Mapping):
        return value.get("from"), value.get("to")
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None


def compare_slot(name: str, expected: Any, actual: Any, tz: ZoneInfo | None = None) -> bool:
    """Does the actual slot value equal the expected one in the contract's normal form?"""
    if expected is None or actual is None:
        return expected is actual
    if name in TEXT_SLOTS:
        return _norm_text(expected) == _norm_text(actual)
    if name in TIME_SLOTS:
        return _same_instant(expected, actual, tz)
    if name == "period":
        e, a = _period_bounds(expected), _period_bounds(actual)
        return (
            e is not None
            and a is not None
            and all(_same_instant(x, y, tz) for x, y in zip(e, a, strict=True))
        )
    if name == "recurrence":
        return _rule_parts(expected) == _rule_parts(actual)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return str(expected).lower() == str(actual).lower()
    if isinstance(expected, int | float) or isinstance(actual, int | float):
        try:
            return float(expected) == float(actual)
        except (TypeError, ValueError):
            return False
    return _norm_text(expected) == _norm_text(actual)


@dataclass
class Scores:
    """Running counts for the evaluation figures."""

    examples: int = 0
    intent_right: int = 0
    frame_right: int = 0
    slot_tp: int = 0
    slot_pred: int = 0
    slot_gold: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)


def score_example(
    expected_intent: str, expected_slots: Mapping[str, Any], frame: Frame, tz: ZoneInfo | None = None
) -> tuple[bool, int, int, int]:
    """(frame right, slots right, slots predicted, slots expected) for one example."""
    actual = frame.to_dict()["slots"]
    right = sum(1 for k, v in expected_slots.items() if k in actual and compare_slot(k, v, actual[k], tz))
    frame_ok = frame.intent == expected_intent and right == len(expected_slots) == len(actual)
    return frame_ok, right, len(actual), len(expected_slots)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def summarise(scores: Scores) -> dict[str, Any]:
    """The evaluation JSON object (contract fields plus `confusions`)."""
    precision = _ratio(scores.slot_tp, scores.slot_pred)
    recall = _ratio(scores.slot_tp, scores.slot_gold)
    intents = {gold for gold, _ in scores.confusion} | {pred for _, pred in scores.confusion}
    per_intent: dict[str, dict[str, float]] = {}
    for intent in sorted(intents):
        tp = scores.confusion[(intent, intent)]
        support = sum(n for (gold, _), n in scores.confusion.items() if gold == intent)
        predicted = sum(n for (_, pred), n in scores.confusion.items() if pred == intent)
        p, r = _ratio(tp, predicted), _ratio(tp, support)
        per_intent[intent] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(_f1(p, r), 4),
            "support": support,
        }
    confusions = [
        {"expected": gold, "actual": pred, "count": n}
        for (gold, pred), n in scores.confusion.most_common()
        if gold != pred
    ]
    return {
        "examples": scores.examples,
        "intent_accuracy": round(_ratio(scores.intent_right, scores.examples), 4),
        "slot_precision": round(precision, 4),
        "slot_recall": round(recall, 4),
        "slot_f1": round(_f1(precision, recall), 4),
        "frame_accuracy": round(_ratio(scores.frame_right, scores.examples), 4),
        "latency_ms": {
            "p50": round(_percentile(scores.latencies_ms, 50), 3),
            "p99": round(_percentile(scores.latencies_ms, 99), 3),
        },
        "per_intent": per_intent,
        "confusions": confusions,
        "errors": scores.errors,
    }


def load_evaluation_file(path: str | Path) -> dict[str, Any]:
    """The evaluation YAML (tz, optional roster, examples)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("examples"), list):
        raise ValueError(f"{path}: not an evaluation file (needs a mapping with `examples`)")
    return data


def evaluate(
    data: Mapping[str, Any],
    parse: Callable[..., Frame],
    *,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Run `parse(text, now=, role=, roster=)` on every example and score it."""
    tz = ZoneInfo(str(data.get("tz") or "UTC"))
    roster = data.get("roster")
    scores = Scores()
    for example in _examples(data["examples"]):
        now = _as_datetime(example.get("now"), tz) or datetime.now(tz)
        text = str(example.get("text", ""))
        role = str(example.get("role", "trainer"))
        started = clock()
        frame = parse(text, now=now, role=role, roster=roster)
        scores.latencies_ms.append((clock() - started) * 1000)
        expected_intent = str(example.get("intent"))
        expected_slots = example.get("slots") or {}
        frame_ok, right, predicted, gold = score_example(expected_intent, expected_slots, frame, tz)
        scores.examples += 1
        scores.intent_right += frame.intent == expected_intent
        scores.frame_right += frame_ok
        scores.slot_tp += right
        scores.slot_pred += predicted
        scores.slot_gold += gold
        scores.confusion[(expected_intent, frame.intent)] += 1
        if not frame_ok:
            scores.errors.append(
                {
                    "text": text,
                    "now": str(example.get("now")),
                    "role": role,
                    "expected": {"intent": expected_intent, "slots": _jsonable(expected_slots)},
                    "actual": frame.to_dict(),
                }
            )
    return summarise(scores)


def _examples(items: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    return (item for item in items if isinstance(item, Mapping))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def format_report(result: Mapping[str, Any]) -> str:
    """The human-readable report: headline figures, per-intent table, confusions, failures."""
    lines = [
        f"examples         {result['examples']}",
        f"intent accuracy  {result['intent_accuracy']:.3f}",
        f"slot P / R / F1  {result['slot_precision']:.3f} / {result['slot_recall']:.3f} / {result['slot_f1']:.3f}",
        f"frame accuracy   {result['frame_accuracy']:.3f}",
        f"latency ms       p50 {result['latency_ms']['p50']:.2f}  p99 {result['latency_ms']['p99']:.2f}",
        "",
        f"{'intent':<22}{'prec':>7}{'rec':>7}{'f1':>7}{'n':>6}",
    ]
    for intent, row in result["per_intent"].items():
        lines.append(
            f"{intent:<22}{row['precision']:>7.2f}{row['recall']:>7.2f}{row['f1']:>7.2f}{row['support']:>6}"
        )
    if result.get("confusions"):
        lines += ["", "most confused (expected -> actual):"]
        for c in result["confusions"][:10]:
            lines.append(f"  {c['expected']} -> {c['actual']}  x{c['count']}")
    if result["errors"]:
        lines += ["", f"failing examples ({len(result['errors'])}):"]
        for err in result["errors"]:
            lines.append(f"- {err['text']!r}  (now {err['now']}, {err['role']})")
            lines.append(f"    expected: {err['expected']['intent']} {err['expected']['slots']}")
            lines.append(f"    actual:   {err['actual']['intent']} {err['actual']['slots']}")
    return "\n".join(lines)
