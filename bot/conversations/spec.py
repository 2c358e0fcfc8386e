"""Reading a conversation file (../shared/spec/conversations.md) into checked dataclasses.

Everything that can be wrong with a file is found here, before a store is
built: bad YAML, an unknown key, a turn with two kinds (or none), a time that
is not a time. Each raises `FormatError` with a sentence naming the place, so
the runner reports a failed file instead of crashing half-way through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

TOP_KEYS = {"studio", "turns", "description", "title"}
STUDIO_KEYS = {"name", "tz", "currency", "locale", "policy", "commission", "sessions", "locations"}
ROLE_LISTS = {"admins": "admin", "managers": "manager", "trainers": "trainer", "clients": "client"}
PERSON_KEYS = {
    "handle",
    "name",
    "email",
    "phone",
    "roles",
    "hours",
    "trainer",
    "package",
    "tags",
    "commission",
}
POLICY_ALIASES = {"session_minutes": "default_session_minutes"}
COMMISSION_KEYS = {"tiers", "mode", "type_rates", "bonus_threshold", "bonus_amount"}
HISTORY_KEYS = {
    "trainer", "client", "start", "status", "duration_minutes", "session_type", "substitute_for", "note",
}  # fmt: skip
HISTORY_STATUSES = {"scheduled", "pending_validation", "validated", "disputed", "cancelled", "no_show"}
TURN_KINDS = ("say", "press", "voice", "tick")
TURN_KEYS = {"as", "at", "expect", *TURN_KINDS}
SESSION_FIELDS = {
    "trainer", "client", "start", "duration_minutes", "status", "session_type", "substitute_for", "note_contains",
}  # fmt: skip
EXPECT_KEYS = {
    "reply_contains", "reply_not_contains", "options_include", "attachment", "sessions", "no_sessions",
    "session_count", "notifications", "no_notifications", "balance", "commission", "error",
}  # fmt: skip
ATTACHMENT_KINDS = {"csv", "png", "ics"}
DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


class FormatError(ValueError):
    """The file does not follow the format; the message says where and why."""


@dataclass(frozen=True)
class PersonSpec:
    handle: str
    name: str
    roles: tuple[str, ...]
    email: str | None = None
    phone: str | None = None
    trainer: str | None = None
    hours: tuple[tuple[int, time, time], ...] = ()
    packages: tuple[tuple[int, Decimal], ...] = ()
    tags: tuple[str, ...] = ()
    commission: dict[str, Any] | None = None


@dataclass(frozen=True)
class HistorySession:
    trainer: str
    client: str
    start: datetime  # naive, local in the studio's zone
    status: str | None
    duration_minutes: int | None = None
    session_type: str = "standard"
    substitute_for: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class StudioSpec:
    name: str
    tz: str
    currency: str
    policy: dict[str, Any]
    people: tuple[PersonSpec, ...]
    commission: dict[str, Any] | None
    sessions: tuple[HistorySession, ...]
    locations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    number: int
    kind: str  # say | press | voice | tick
    value: Any  # the text, the label, the audio path (resolved), or True
    sender: str | None
    at: datetime | None  # naive local; None: one minute after the previous turn
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    path: Path
    studio: StudioSpec
    turns: tuple[Turn, ...]


def load(path: Path) -> Conversation:
    """Read and check one conversation file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FormatError(f"the file is not valid YAML: {error}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise FormatError(f"the file cannot be read: {error}") from error
    if not isinstance(data, dict):
        raise FormatError("the file must be a mapping with `studio` and `turns`")
    _known(data, TOP_KEYS, "the file")
    studio = _studio(data.get("studio") or {})
    turns_data = data.get("turns")
    if turns_data is None:
        turns_data = []
    if not isinstance(turns_data, list):
        raise FormatError("`turns` must be a list")
    turns = tuple(_turn(item, i, path.parent) for i, item in enumerate(turns_data, start=1))
    return Conversation(path, studio, turns)


# --- the studio ----------------------------------------------------------------------------------


def _studio(data: Any) -> StudioSpec:
    if not isinstance(data, dict):
        raise FormatError("`studio` must be a mapping")
    _known(data, STUDIO_KEYS | set(ROLE_LISTS), "`studio`")
    people: list[PersonSpec] = []
    for key, role in ROLE_LISTS.items():
        for i, item in enumerate(_list(data.get(key), f"studio.{key}"), start=1):
            people.append(_person(item, role, f"studio.{key}[{i}]"))
    handles = [p.handle.lower() for p in people]
    twice = sorted({h for h in handles if handles.count(h) > 1})
    if twice:
        raise FormatError(f"the handle {twice[0]!r} is used for two people in `studio`")
    policy = _mapping(data.get("policy"), "studio.policy")
    commission = _commission(data.get("commission"), "studio.commission")
    sessions = tuple(
        _history(item, f"studio.sessions[{i}]")
        for i, item in enumerate(_list(data.get("sessions"), "studio.sessions"), start=1)
    )
    return StudioSpec(
        name=str(data.get("name") or "Test Studio"),
        tz=str(data.get("tz") or "America/New_York"),
        currency=str(data.get("currency") or "USD"),
        policy={POLICY_ALIASES.get(k, k): v for k, v in policy.items()},
        people=tuple(people),
        commission=commission,
        sessions=sessions,
        locations=tuple(str(x) for x in _list(data.get("locations"), "studio.locations")),
    )


def _person(data: Any, role: str, where: str) -> PersonSpec:
    if not isinstance(data, dict):
        raise FormatError(f"{where} must be a mapping like {{handle: sarah, name: Sarah Lee}}")
    _known(data, PERSON_KEYS, where)
    if not data.get("handle") or not data.get("name"):
        raise FormatError(f"{where} needs a `handle` and a `name`")
    extra = _list(data.get("roles"), f"{where}.roles")
    roles = tuple(dict.fromkeys([role, *(str(r).lower() for r in extra)]))
    for r in roles:
        if r not in ROLE_LISTS.values():
            raise FormatError(f"{where}.roles: {r!r} is not a role (admin, manager, trainer, client)")
    package = data.get("package")
    packages = [package] if isinstance(package, dict) else _list(package, f"{where}.package")
    return PersonSpec(
        handle=str(data["handle"]).lstrip("@"),
        name=str(data["name"]),
        roles=roles,
        email=_opt_str(data.get("email")),
        phone=_opt_str(data.get("phone")),
        trainer=_opt_str(data.get("trainer")),
        hours=parse_hours(data["hours"], f"{where}.hours") if data.get("hours") else (),
        packages=tuple(_package(p, f"{where}.package") for p in packages),
        tags=tuple(str(t).lower() for t in _list(data.get("tags"), f"{where}.tags")),
        commission=_commission(data.get("commission"), f"{where}.commission"),
    )


def _package(data: Any, where: str) -> tuple[int, Decimal]:
    if not isinstance(data, dict) or "sessions" not in data:
        raise FormatError(f"{where} must be like {{sessions: 10, price: 80}}")
    _known(data, {"sessions", "price"}, where)
    sessions = data["sessions"]
    if not isinstance(sessions, int) or isinstance(sessions, bool) or sessions < 1:
        raise FormatError(f"{where}.sessions must be a positive whole number")
    return sessions, money(data.get("price", 0), f"{where}.price")


def _commission(data: Any, where: str) -> dict[str, Any] | None:
    if data is None:
        return None
    plan = _mapping(data, where)
    _known(plan, COMMISSION_KEYS, where)
    return plan


def _history(data: Any, where: str) -> HistorySession:
    if not isinstance(data, dict):
        raise FormatError(f"{where} must be a mapping")
    _known(data, HISTORY_KEYS, where)
    for key in ("trainer", "client", "start"):
        if not data.get(key):
            raise FormatError(f"{where} needs `{key}`")
    status = _opt_str(data.get("status"))
    if status is not None and status not in HISTORY_STATUSES:
        raise FormatError(f"{where}.status: {status!r} is not one of {', '.join(sorted(HISTORY_STATUSES))}")
    minutes = data.get("duration_minutes")
    if minutes is not None and (not isinstance(minutes, int) or isinstance(minutes, bool)):
        raise FormatError(f"{where}.duration_minutes must be a whole number")
    return HistorySession(
        trainer=str(data["trainer"]),
        client=str(data["client"]),
        start=local_time(data["start"], f"{where}.start"),
        status=status,
        duration_minutes=minutes,
        session_type=str(data.get("session_type") or "standard"),
        substitute_for=_opt_str(data.get("substitute_for")),
        note=_opt_str(data.get("note")),
    )


def parse_hours(text: Any, where: str = "hours") -> tuple[tuple[int, time, time], ...]:
    """`"Mon-Fri 06:00-14:00, Sat 08:00-12:00"` as (weekday, start, end) rows, Monday = 0."""
    rows: list[tuple[int, time, time]] = []
    for part in str(text).split(","):
        match = re.fullmatch(
            r"\s*([A-Za-z]+)(?:\s*-\s*([A-Za-z]+))?\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", part
        )
        if not match:
            raise FormatError(f"{where}: {part.strip()!r} is not like 'Mon-Fri 06:00-14:00'")
        first, last = (_weekday(match.group(1), where), _weekday(match.group(2) or match.group(1), where))
        start, end = _clock(match.group(3), where), _clock(match.group(4), where)
        if end <= start:
            raise FormatError(f"{where}: {part.strip()!r} ends before it starts")
        day = first
        while True:
            rows.append((day, start, end))
            if day == last:
                break
            day = (day + 1) % 7
    return tuple(rows)


def _weekday(word: str, where: str) -> int:
    day = DAYS.get(word[:3].lower())
    if day is None:
        raise FormatError(f"{where}: {word!r} is not a day of the week")
    return day


def _clock(text: str, where: str) -> time:
    hour, minute = (int(x) for x in text.split(":"))
    if hour == 24 and minute == 0:
        return time(23, 59)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise FormatError(f"{where}: {text!r} is not a time of day")
    return time(hour, minute)


# --- turns ---------------------------------------------------------------------------------------


def _turn(data: Any, number: int, folder: Path) -> Turn:
    where = f"turn {number}"
    if not isinstance(data, dict):
        raise FormatError(f"{where} must be a mapping with one of {', '.join(TURN_KINDS)}")
    _known(data, TURN_KEYS, where)
    kinds = [k for k in TURN_KINDS if k in data]
    if len(kinds) != 1:
        found = " and ".join(kinds) if kinds else "none"
        raise FormatError(f"{where} must have exactly one of say, press, voice, tick (found {found})")
    kind = kinds[0]
    value = data[kind]
    sender = _opt_str(data.get("as"))
    if kind == "tick":
        if value is not True:
            raise FormatError(f"{where}: `tick` must be `true`")
    else:
        if sender is None:
            raise FormatError(f"{where}: a `{kind}` turn needs `as` (who is speaking)")
        if value is None or (kind != "say" and not str(value).strip()):
            raise FormatError(f"{where}: `{kind}` needs a value")
        value = str(value)
        if kind == "voice":
            value = str((folder / value).resolve())
    at = local_time(data["at"], f"{where}.at") if data.get("at") is not None else None
    return Turn(
        number, kind, value, sender.lstrip("@") if sender else None, at, _expect(data.get("expect"), where)
    )


def _expect(data: Any, where: str) -> dict[str, Any]:
    expect = _mapping(data, f"{where}.expect")
    _known(expect, EXPECT_KEYS, f"{where}.expect")
    for key in ("reply_contains", "reply_not_contains", "options_include"):
        if key in expect:
            expect[key] = [str(x) for x in _strings(expect[key], f"{where}.expect.{key}")]
    for key in ("sessions", "no_sessions"):
        if key in expect:
            entries = _list(expect[key], f"{where}.expect.{key}")
            for i, entry in enumerate(entries, start=1):
                if not isinstance(entry, dict) or not entry:
                    raise FormatError(f"{where}.expect.{key}[{i}] must be a mapping of session fields")
                _known(entry, SESSION_FIELDS, f"{where}.expect.{key}[{i}]")
                if "start" in entry:
                    entry["start"] = local_time(entry["start"], f"{where}.expect.{key}[{i}].start")
            expect[key] = entries
    if "session_count" in expect and not _is_int(expect["session_count"]):
        raise FormatError(f"{where}.expect.session_count must be a whole number")
    if "notifications" in expect:
        entries = _list(expect["notifications"], f"{where}.expect.notifications")
        for i, entry in enumerate(entries, start=1):
            place = f"{where}.expect.notifications[{i}]"
            if not isinstance(entry, dict):
                raise FormatError(f"{place} must be like {{to: emma, contains: [Sarah]}}")
            _known(entry, {"to", "contains"}, place)
            entry["contains"] = _strings(entry.get("contains"), f"{place}.contains")
        expect["notifications"] = entries
    for key in ("no_notifications", "error"):
        if key in expect and not isinstance(expect[key], bool):
            raise FormatError(f"{where}.expect.{key} must be true or false")
    if "attachment" in expect and str(expect["attachment"]).lower() not in ATTACHMENT_KINDS:
        raise FormatError(f"{where}.expect.attachment must be csv, png or ics")
    if "balance" in expect:
        balance = _mapping(expect["balance"], f"{where}.expect.balance")
        _known(balance, {"client", "sessions"}, f"{where}.expect.balance")
        if not balance.get("client") or not _is_int(balance.get("sessions")):
            raise FormatError(f"{where}.expect.balance must be like {{client: emma, sessions: 9}}")
    if "commission" in expect:
        commission = _mapping(expect["commission"], f"{where}.expect.commission")
        _known(commission, {"trainer", "month", "amount"}, f"{where}.expect.commission")
        for key in ("trainer", "month", "amount"):
            if commission.get(key) is None:
                raise FormatError(f"{where}.expect.commission needs `{key}`")
        commission["month"] = month_text(commission["month"], f"{where}.expect.commission.month")
        commission["amount"] = money(commission["amount"], f"{where}.expect.commission.amount")
    return expect


# --- small readers -------------------------------------------------------------------------------


def local_time(value: Any, where: str) -> datetime:
    """A local wall clock (naive) from YAML: `2026-03-11T17:20`, `2026-03-11 17:20`, or a YAML timestamp."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError as error:
        raise FormatError(f"{where}: {value!r} is not a local date-time like 2026-03-11T17:20") from error
    return parsed


def to_instant(value: datetime, tz: str) -> datetime:
    """A file's time as an aware instant: a naive wall clock is local in the studio's zone.

    A wall clock that does not exist there (the spring-forward gap) raises
    the domain's InvalidInput with its sentence.
    """
    from domain.timeutil import local

    return local(value, tz) if value.tzinfo is None else value


def to_local(value: datetime, tz: str) -> datetime:
    """A file's time as a naive wall clock in the studio's zone (for comparing with `start_local`)."""
    from domain.timeutil import local_naive

    return value if value.tzinfo is None else local_naive(value, tz)


def month_text(value: Any, where: str) -> str:
    """`2026-03` (YAML may hand over a date or the integer-looking string)."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}", text) or not 1 <= int(text[5:]) <= 12:
        raise FormatError(f"{where}: {value!r} is not a month like 2026-03")
    return text


def money(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise FormatError(f"{where}: {value!r} is not an amount")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise FormatError(f"{where}: {value!r} is not an amount") from error
    if not amount.is_finite():
        raise FormatError(f"{where}: {value!r} is not an amount")
    return amount


def _known(data: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise FormatError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"`{where}` must be a list")
    return value


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FormatError(f"`{where}` must be a mapping")
    return dict(value)


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(x, (str, int, float)) for x in value):
        return [str(x) for x in value]
    raise FormatError(f"`{where}` must be a string or a list of strings")


def _opt_str(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
