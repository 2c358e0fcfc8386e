"""Channels benchmark: Slack's HTTP endpoint and Telegram's webhook on loopback. Prints ONE JSON object.

    python benchmarks/channels.py [--events N]

Merges `slack_figures()` (benchmarks/channels_slack.py) and
`telegram_figures()` (benchmarks/channels_telegram.py); each runs the real
library against its fake platform in another process, the real server and
engine (demo studio, SQLite) here. A part whose module is missing reports its
keys as null. Targets (issue 5): Slack ack p99 <= 100 ms at 50 events/s;
>= 200 events/s sustained per process.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

PARTS = {
    "slack": ("channels_slack", "slack_figures", ("slack_ack_ms_p99", "slack_events_per_s")),
    "telegram": ("channels_telegram", "telegram_figures", ("telegram_webhook_events_per_s",)),
}


def figures(events: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    targets: dict[str, Any] = {}
    for name, (module_name, function, keys) in PARTS.items():
        try:
            part = getattr(importlib.import_module(module_name), function)(events=events)
        except (ImportError, AttributeError) as error:
            result.update(dict.fromkeys(keys))
            result[f"{name}_missing"] = str(error)
            continue
        targets.update(part.pop("targets", {}))
        result.update(part)
    result["targets"] = targets
    result["all_targets_met"] = bool(targets) and all(v.endswith(": met") for v in targets.values())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=600)
    args = parser.parse_args()
    print(json.dumps(figures(args.events), indent=2))


if __name__ == "__main__":
    main()
