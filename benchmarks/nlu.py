"""Parser benchmark: evaluation figures plus load time, parse latency and memory.

Prints ONE JSON object: the evaluation of `spotter nlu evaluate --json` (less the error
list, counted instead) plus `load_s` (building the parser in a fresh process), `parse_ms_p50`,
`parse_ms_p99` (the parse alone, over every example repeated), `hostile_input_worst_ms`
(empty, emoji, 100 kB, markup; must stay under 50 ms) and `rss_mb` (resident memory after
loading and parsing). Targets: load <= 1.5 s, p50 <= 2 ms, p99 <= 10 ms,
RSS <= 150 MB.

Usage: python benchmarks/nlu.py [FILE] [--repeat N]   (default FILE: ../shared/spec/nlu-dev.yaml)
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT_FILE = REPO.parent / "shared" / "spec" / "nlu-dev.yaml"


def _rss_mb() -> float:
    """Current resident set size (Linux /proc), else the peak from getrusage."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("file", nargs="?", default=str(DEFAULT_FILE))
    args.add_argument("--repeat", type=int, default=5, help="parse every example this many times for latency")
    opts = args.parse_args()

    started = time.perf_counter()
    from nlu import load_parser

    parser = load_parser()
    load_s = time.perf_counter() - started

    from nlu.evaluation import _as_datetime, evaluate, load_evaluation_file

    data = load_evaluation_file(opts.file)
    result = evaluate(data, parser.parse)
    tz = ZoneInfo(str(data.get("tz") or "UTC"))
    latencies: list[float] = []
    for _ in range(max(1, opts.repeat)):
        for example in data["examples"]:
            now = _as_datetime(example.get("now"), tz)
            t0 = time.perf_counter()
            parser.parse(
                str(example["text"]), now=now, role=example.get("role", "trainer"), roster=data.get("roster")
            )
            latencies.append((time.perf_counter() - t0) * 1000)
    hostile = [
        "",
        "😀" * 40,
        "a" * 100_000,
        "book with at 3pm every monday to " * 3000,
        "<script>x</script>",
        "\x00" * 500,
    ]
    worst = 0.0
    for text in hostile:
        t0 = time.perf_counter()
        parser.parse(text, now=now, role="trainer", roster=data.get("roster"))
        worst = max(worst, (time.perf_counter() - t0) * 1000)
    result["hostile_input_worst_ms"] = round(worst, 3)
    result["error_count"] = len(result.pop("errors"))
    result.pop("confusions", None)
    result.update(
        {
            "file": str(opts.file),
            "load_s": round(load_s, 3),
            "parse_ms_p50": round(_percentile(latencies, 50), 3),
            "parse_ms_p99": round(_percentile(latencies, 99), 3),
            "rss_mb": round(_rss_mb(), 1),
        }
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
