"""Duckling's English time corpus through our resolver and three PyPI parsers.

Prints ONE JSON object: per system, accuracy per kind (point, interval, open, negative)
and per grain, and microseconds per expression. A point is right when its value equals
the expected one truncated to the expected grain; an interval when `from` matches and
`to` matches either exactly or one grain later (Duckling closes clock ranges: "3-4pm" is
15:00-17:00 to Duckling, [15:00, 16:00) to us). Intervals that only fail because the
contract's parts of day differ from Duckling's (checked by re-running with Duckling's)
are listed as "deviates by contract"; the headline interval figure does not count them
as failures and the raw figure does.

Usage: python benchmarks/time_expressions.py [--corpus PATH] [--failures] [--systems ours,dateparser,...]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlu.time import find_times  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "benchmarks" / "duckling-en-time.yaml"
Pred = dict[str, Any]  # {"kind": "point"|"interval"|"after"|"before"|"none", "value"/"from"/"to": naive dt}


def parse_dt(text: str) -> datetime:
    """Corpus datetimes; tolerates Duckling's year 14 ("14-01-01T00:00")."""
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        date_part, _, clock = str(text).partition("T")
        y, m, d = (int(x) for x in date_part.split("-"))
        hh, mm = (int(x) for x in (clock or "00:00").split(":")[:2])
        return datetime(y, m, d, hh, mm)


def truncate(dt: datetime, grain: str) -> datetime:
    """`dt` cut to the start of its grain (weeks start on Monday)."""
    dt = dt.replace(microsecond=0)
    if grain == "second":
        return dt
    dt = dt.replace(second=0)
    if grain == "minute":
        return dt
    dt = dt.replace(minute=0)
    if grain == "hour":
        return dt
    dt = dt.replace(hour=0)
    if grain == "day":
        return dt
    if grain == "week":
        return dt - timedelta(days=dt.weekday())
    if grain == "month":
        return dt.replace(day=1)
    if grain == "quarter":
        return dt.replace(day=1, month=(dt.month - 1) // 3 * 3 + 1)
    return dt.replace(day=1, month=1)


GRAIN_STEP = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
}


def expected_kind(ex: dict[str, Any]) -> str:
    if "value" in ex:
        return "point"
    if "from" in ex:
        return "interval"
    return "open"


def correct(ex: dict[str, Any], pred: Pred) -> bool:
    """Does a prediction match a corpus example (see module docstring)?"""
    grain = ex["grain"]
    kind = expected_kind(ex)
    if kind == "point":
        if pred["kind"] not in ("point", "interval"):
            return False
        got = pred["value"] if pred["kind"] == "point" else pred["from"]
        # the corpus gives values to the minute, so second-grain values compare at minutes
        g = "minute" if grain == "second" else grain
        return truncate(got, g) == truncate(parse_dt(ex["value"]), g)
    if kind == "interval":
        if pred["kind"] != "interval":
            return False
        want_from, want_to = parse_dt(ex["from"]), parse_dt(ex["to"])
        if truncate(pred["from"], "minute") != want_from:
            return False
        got_to = truncate(pred["to"], "minute")
        return got_to == want_to or got_to + GRAIN_STEP.get(grain, timedelta(0)) == want_to
    side = "after" if "after" in ex else "before"
    if pred["kind"] != side:
        return False
    return truncate(pred["value"], grain) == truncate(parse_dt(ex[side]), grain)


# ---------------------------------------------------------------- systems


def ours(now: datetime, day_parts: str = "contract") -> Callable[[str], Pred]:
    def run(text: str) -> Pred:
        found = find_times(text, now, "future", day_parts=day_parts)  # type: ignore[arg-type]
        if not found:
            return {"kind": "none"}
        m = max(found, key=lambda t: t.end - t.start)
        if m.kind == "point":
            assert m.value is not None
            return {"kind": "point", "value": _naive(m.value, now)}
        assert m.period is not None
        a, b = _naive(m.period[0], now), _naive(m.period[1], now)
        if m.kind == "period":
            return {"kind": "interval", "from": a, "to": b}
        return {"kind": m.kind, "value": a}

    return run


def _naive(dt: datetime, now: datetime) -> datetime:
    return dt.astimezone(now.tzinfo).replace(tzinfo=None)


def with_dateparser(now: datetime) -> Callable[[str], Pred]:
    import dateparser

    settings = {"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future"}

    def run(text: str) -> Pred:
        dt = dateparser.parse(text, languages=["en"], settings=settings)
        return {"kind": "none"} if dt is None else {"kind": "point", "value": dt.replace(tzinfo=None)}

    return run


def with_ctparse(now: datetime) -> Callable[[str], Pred]:
    from ctparse import ctparse
    from ctparse.types import Interval, Time

    base = now.replace(tzinfo=None)

    def to_dt(t: Any) -> datetime | None:
        if t is None or t.year is None:
            return None
        return datetime(t.year, t.month or 1, t.day or 1, t.hour or 0, t.minute or 0)

    def run(text: str) -> Pred:
        try:
            res = ctparse(text, ts=base, timeout=0.5)
        except Exception:  # noqa: BLE001 - a crash counts as no answer
            return {"kind": "none"}
        if res is None:
            return {"kind": "none"}
        r = res.resolution
        if isinstance(r, Interval):
            a, b = to_dt(r.t_from), to_dt(r.t_to)
            if a and b:
                return {"kind": "interval", "from": a, "to": b}
            if a:
                return {"kind": "after", "value": a}
            if b:
                return {"kind": "before", "value": b}
            return {"kind": "none"}
        if isinstance(r, Time):
            dt = to_dt(r)
            return {"kind": "point", "value": dt} if dt else {"kind": "none"}
        return {"kind": "none"}

    return run


def with_parsedatetime(now: datetime) -> Callable[[str], Pred]:
    import parsedatetime

    cal = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
    base = now.replace(tzinfo=None)

    def run(text: str) -> Pred:
        dt, ctx = cal.parseDT(text, sourceTime=base)
        if not ctx.hasDateOrTime:
            return {"kind": "none"}
        return {"kind": "point", "value": dt.replace(tzinfo=None)}

    return run


# ---------------------------------------------------------------- evaluation


def evaluate(
    name: str, run: Callable[[str], Pred], examples: list[dict[str, Any]], negatives: list[str]
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], Pred]]]:
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_grain: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: list[tuple[dict[str, Any], Pred]] = []
    elapsed = 0.0
    for ex in examples:
        t0 = time.perf_counter()
        pred = run(ex["text"])
        elapsed += time.perf_counter() - t0
        ok = correct(ex, pred)
        k = expected_kind(ex)
        per_kind[k][0] += ok
        per_kind[k][1] += 1
        per_grain[ex["grain"]][0] += ok
        per_grain[ex["grain"]][1] += 1
        if not ok:
            failures.append((ex, pred))
    for text in negatives:
        t0 = time.perf_counter()
        pred = run(text)
        elapsed += time.perf_counter() - t0
        ok = pred["kind"] == "none"
        per_kind["negative"][0] += ok
        per_kind["negative"][1] += 1
        if not ok:
            failures.append(({"text": text, "negative": True}, pred))
    total = len(examples) + len(negatives)
    report = {
        "accuracy": {k: round(c / n, 4) for k, (c, n) in sorted(per_kind.items())},
        "counts": {k: [c, n] for k, (c, n) in sorted(per_kind.items())},
        "per_grain": {g: round(c / n, 4) for g, (c, n) in sorted(per_grain.items())},
        "us_per_expression": round(elapsed / total * 1e6, 1),
    }
    return report, failures


def _show(pred: Pred) -> str:
    return json.dumps({k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in pred.items()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--systems", default="ours,dateparser,ctparse,parsedatetime")
    ap.add_argument("--failures", "--verbose", action="store_true", help="list our failures on stderr")
    args = ap.parse_args()
    data = yaml.safe_load(args.corpus.read_text())
    hh, mm = (int(x) for x in str(data["utc_offset"]).lstrip("+-").split(":"))
    sign = -1 if str(data["utc_offset"]).startswith("-") else 1
    tz = timezone(sign * timedelta(hours=hh, minutes=mm))
    now = parse_dt(data["reference_time"]).replace(tzinfo=tz)
    examples = data["examples"]
    negatives = [str(n) for n in data.get("negative", [])]
    systems = {
        "ours": lambda: ours(now),
        "dateparser": lambda: with_dateparser(now),
        "ctparse": lambda: with_ctparse(now),
        "parsedatetime": lambda: with_parsedatetime(now),
    }
    out: dict[str, Any] = {
        "corpus": str(args.corpus),
        "examples": len(examples),
        "negatives": len(negatives),
        "reference_time": now.isoformat(),
        "systems": {},
    }
    for name in args.systems.split(","):
        report, failures = evaluate(name, systems[name](), examples, negatives)
        if name == "ours":
            duck = ours(now, "duckling")
            deviates = [
                ex for ex, _ in failures if expected_kind(ex) == "interval" and correct(ex, duck(ex["text"]))
            ]
            c, n = report["counts"]["interval"]
            report["interval_raw"] = round(c / n, 4)
            report["accuracy"]["interval"] = round((c + len(deviates)) / n, 4)
            report["deviates_by_contract"] = {
                "count": len(deviates),
                "texts": [ex["text"] for ex in deviates],
            }
            if args.failures:
                dev = {id(ex) for ex in deviates}
                for ex, pred in failures:
                    if id(ex) not in dev:
                        print(f"FAIL {json.dumps(ex, default=str)} -> {_show(pred)}", file=sys.stderr)
        out["systems"][name] = report
    print(json.dumps(out))


if __name__ == "__main__":
    main()
