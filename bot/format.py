"""How replies show dates, times, durations, money and names (en_US, the studio's zone).

One module so every reply agrees: day "Wed, Mar 11", time "3:00 PM", together
"Wed, Mar 11 at 3:00 PM"; durations "60 min"; money "$1,234.50" (USD), "€"
(EUR), "£" (GBP), else "1,234.50 CUR". Written by hand rather than with babel
(not a dependency) because en_US is the only locale studios use today.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}


def _zone(tz: str | tzinfo | None) -> tzinfo | None:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def local(value: datetime, tz: str | tzinfo | None = None) -> datetime:
    """An aware datetime in the zone (unchanged when no zone is given)."""
    zone = _zone(tz)
    return value.astimezone(zone) if zone is not None and value.tzinfo is not None else value


def day(value: datetime | date, tz: str | tzinfo | None = None) -> str:
    """'Wed, Mar 11'."""
    if isinstance(value, datetime):
        value = local(value, tz)
    return f"{value:%a}, {value:%b} {value.day}"


def time_of_day(value: datetime, tz: str | tzinfo | None = None) -> str:
    """'3:00 PM'."""
    value = local(value, tz)
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def when(value: datetime, tz: str | tzinfo | None = None) -> str:
    """'Wed, Mar 11 at 3:00 PM'."""
    value = local(value, tz)
    return f"{day(value)} at {time_of_day(value)}"


def duration(minutes: int) -> str:
    """'60 min'."""
    return f"{int(minutes)} min"


def money(amount: Decimal | int | float | str, currency: str = "USD") -> str:
    """'$1,234.50'; a negative amount '-$12.00'; an unknown currency '1,234.50 CHF'."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,.2f}"
    symbol = SYMBOLS.get(currency.upper())
    if symbol is None:
        return f"{sign}{digits} {currency.upper()}"
    return f"{sign}{symbol}{digits}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 session', '3 sessions'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def names(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
