"""The conversation-test report: per file, each failed check with what was expected and found.

Two renderings of one structure: text for people (file, turn, check,
expected, found, the bot's reply) and the JSON object of the spec:
`{"passed": N, "failed": N, "files": [{"path", "passed", "turns", "failures":
[{"turn", "check", "expected", "found", "reply"}]}]}` — `passed`/`failed`
at the top count files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Failure:
    turn: int  # 1-based; 0 for the file itself (malformed, or its studio could not be built)
    check: str
    expected: Any
    found: Any
    reply: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "check": self.check,
            "expected": jsonable(self.expected),
            "found": jsonable(self.found),
            "reply": self.reply,
        }


@dataclass
class FileResult:
    path: str
    turns: int = 0
    checks: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "passed": self.passed,
            "turns": self.turns,
            "failures": [f.to_json() for f in self.failures],
        }


@dataclass
class Report:
    files: list[FileResult] = field(default_factory=list)
    database: str = "sqlite"

    @property
    def passed(self) -> int:
        return sum(1 for f in self.files if f.passed)

    @property
    def failed(self) -> int:
        return sum(1 for f in self.files if not f.passed)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "failed": self.failed, "files": [f.to_json() for f in self.files]}

    def json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    def text(self) -> str:
        lines: list[str] = []
        for result in self.files:
            mark = "PASS" if result.passed else "FAIL"
            lines.append(f"{mark} {result.path} ({result.turns} turns, {result.checks} checks)")
            for failure in result.failures:
                where = f"turn {failure.turn}" if failure.turn else "file"
                lines.append(f"  {where}: {failure.check}")
                lines.append(f"    expected: {_show(failure.expected)}")
                lines.append(f"    found:    {_show(failure.found)}")
                if failure.reply:
                    lines.append("    reply:    " + failure.reply.replace("\n", "\n              "))
        total = len(self.files)
        lines.append("")
        lines.append(
            f"{self.passed} of {total} conversation file{'s' if total != 1 else ''} passed, "
            f"{self.failed} failed ({self.database})."
        )
        return "\n".join(lines)


def jsonable(value: Any) -> Any:
    """Plain JSON values for the report (times as ISO local strings, money as strings)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _show(value: Any) -> str:
    value = jsonable(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
