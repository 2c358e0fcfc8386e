"""Regex recognisers: each turns a match on normalised text into a resolved `Atom`.

All patterns are compiled once at import; every recogniser is a (pattern, builder) pair
and the builder may return None to reject a match its regex could not rule out (Feb 30,
hour 27). Resolution follows the contract's table (shared/spec/intents.md, "How time
resolves"); where the contract is silent the choice is documented on the builder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from nlu.time import calendar as cal
from nlu.time.atoms import Atom, Clock, Context, Resolved
from nlu.time.holidays import HOLIDAY, holiday_date, holiday_span
from nlu.time.lexicon import (
    AMOUNT,
    MON,
    MONTHS,
    ORD,
    PART,
    PART_WORDS,
    TZ,
    TZ_OFFSETS,
    UNIT,
    UNIT_WORDS,
    WD,
    WEEKDAYS,
    B,
    E,
    amount_value,
)

Builder = Callable[[re.Match[str], Context], Atom | None]
RECOGNISERS: list[tuple[re.Pattern[str], Builder]] = []


def rule(pattern: str) -> Callable[[Builder], Builder]:
    """Register a builder for a regex (compiled once)."""

    def deco(fn: Builder) -> Builder:
        RECOGNISERS.append((re.compile(pattern), fn))
        return fn

    return deco


def find_atoms(text: str, ctx: Context) -> Iterator[Atom]:
    """Every atom any recogniser finds in `text` (overlapping; selection is compose's job)."""
    for pattern, build in RECOGNISERS:
        for m in pattern.finditer(text):
            atom = build(m, ctx)
            if atom is not None:
                yield atom


# ---------------------------------------------------------------- helpers


def _wd(word: str) -> int:
    return WEEKDAYS[word.rstrip(".")]


def _mon(word: str) -> int:
    return MONTHS[word.rstrip(".")]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    t = text.lstrip("'")
    y = int(t)
    if len(t) == 2:
        y += 1900 if y >= 50 else 2000
    return y


def _ampm(m: re.Match[str]) -> str | None:
    gd = m.groupdict()
    ap = gd.get("ap") or gd.get("ap2")
    return f"{ap}m" if ap else None


def _tz(m: re.Match[str]) -> int | None:
    name = m.groupdict().get("tz")
    return TZ_OFFSETS[name] if name else None


def _clock(
    h: int, mi: int, s: int | None, ampm: str | None, tz: int | None, grain: str | None
) -> Clock | None:
    if ampm and not 0 <= h <= 12:
        return None
    if not (0 <= h <= 24 and 0 <= mi <= 59 and 0 <= (s or 0) <= 59):
        return None
    if h == 24:
        h = 0
    g = grain or ("second" if s is not None else "minute" if mi else "hour")
    return Clock(h, mi, s or 0, ampm, g, tz)


def _day_atom(m: re.Match[str], day: date | None, **kw: object) -> Atom | None:
    if day is None:
        return None
    return Atom(m.start(), m.end(), day=day, **kw)  # type: ignore[arg-type]


def _period(ctx: Context, start: date, end: date, grain: str) -> Resolved:
    return Resolved("period", period=(cal.local(start, ctx.tz), cal.local(end, ctx.tz)), grain=grain)


def _whole(m: re.Match[str], res: Resolved | None, **kw: object) -> Atom | None:
    if res is None:
        return None
    return Atom(m.start(), m.end(), whole=res, **kw)  # type: ignore[arg-type]


def _shift_months(d: date, months: int) -> date:
    y, mo = cal.add_months(d.year, d.month, months)
    return date(y, mo, min(d.day, cal.days_in_month(y, mo)))


def unit_period(ctx: Context, unit: str, offset: int, count: int = 1) -> Resolved | None:
    """The calendar week/month/quarter/year `offset` units from the current one."""
    t = ctx.today
    if unit == "day":
        s = t + timedelta(days=offset)
        return _period(ctx, s, s + timedelta(days=count), "day")
    if unit == "week":
        s = cal.week_start(t) + timedelta(weeks=offset)
        return _period(ctx, s, s + timedelta(weeks=count), "week")
    if unit == "weekend":
        s = cal.week_start(t) + timedelta(weeks=offset, days=5)
        return _period(ctx, s, s + timedelta(days=2), "day")
    if unit == "month":
        y, mo = cal.add_months(t.year, t.month, offset)
        y2, mo2 = cal.add_months(y, mo, count)
        return _period(ctx, date(y, mo, 1), date(y2, mo2, 1), "month")
    if unit == "quarter":
        q0 = (t.month - 1) // 3 * 3 + 1
        y, mo = cal.add_months(t.year, q0, 3 * offset)
        y2, mo2 = cal.add_months(y, mo, 3 * count)
        return _period(ctx, date(y, mo, 1), date(y2, mo2, 1), "quarter")
    if unit == "year":
        return _period(ctx, date(t.year + offset, 1, 1), date(t.year + offset + count, 1, 1), "year")
    return None


_UNIT_NORM = {"wk": "week", "yr": "year", "qtr": "quarter", "week-end": "weekend", "wkend": "weekend"}


def _unit(word: str) -> str:
    w = word.rstrip("s") if word not in ("hrs", "mins", "secs") else word
    w = _UNIT_NORM.get(w, w)
    if w in ("weekend",):
        return w
    return UNIT_WORDS.get(word, UNIT_WORDS.get(w, w))


_LAST = {"last", "past", "previous", "the previous", "this past", "prev"}
_NEXT = {"next", "coming", "upcoming", "the following", "following", "the coming", "this coming", "the next"}
_THIS = {"this", "current", "the current", "the", "this current"}


def _offset(mod: str | None) -> int | None:
    if mod is None:
        return None
    mod = mod.strip()
    if mod in _LAST:
        return -1
    if mod in _NEXT:
        return 1
    if mod in _THIS:
        return 0
    return None


# ---------------------------------------------------------------- clock times

_H = r"(?P<h>[01]?\d|2[0-4])"
_CLOCK_END = r"(?![:/.]\d)(?!\s*-\s*\d{3})"


@rule(rf"{B}{_H}(?::(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?)?\s*(?:ish\s*)?(?P<ap>[ap])m{E}{TZ}")
@rule(rf"{B}{_H}:(?P<m>[0-5]\d)\s*(?P<ap>[ap]){E}{TZ}")
@rule(rf"{B}(?:at|@)\s*{_H}(?P<ap>[ap]){E}\.?")
@rule(rf"{B}{_H}\s+(?P<m>[0-5]\d)\s*(?P<ap>[ap])m{E}{TZ}")
def clock_ampm(m: re.Match[str], ctx: Context) -> Atom | None:
    """3pm, 3:30 pm, 9:01:10 am, 3:18a, at 3p, 3ish pm, 5 30 pm (speech: a space for the colon)."""
    gd = m.groupdict()
    c = _clock(
        int(gd["h"]), int(gd.get("m") or 0), int(gd["s"]) if gd.get("s") else None, _ampm(m), _tz(m), None
    )
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(rf"{B}(?P<hm>\d{{3,4}})\s*(?:ish\s*)?(?P<ap>[ap])m{E}")
def clock_compact_ampm(m: re.Match[str], ctx: Context) -> Atom | None:
    """330 pm, 1030am."""
    hm = m.group("hm")
    c = _clock(int(hm[:-2]), int(hm[-2:]), None, _ampm(m), None, "minute")
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(rf"{B}{_H}:(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?{_CLOCK_END}{E}{TZ}")
def clock_colon(m: re.Match[str], ctx: Context) -> Atom | None:
    """15:30, 3:30, 9:01:10 (no am/pm: 24-hour, or the contract's 1-6 pm / 7-11 am rule)."""
    c = _clock(
        int(m.group("h")), int(m.group("m")), int(m.group("s")) if m.group("s") else None, None, _tz(m), None
    )
    if c and m.group("m") and c.grain == "hour":
        c = Clock(c.hour, c.minute, c.second, c.ampm, "minute", c.tz_minutes)
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(rf"(?<![a-z0-9/.]){_H}h(?P<m>[0-5]\d)?{E}{TZ}")
def clock_h(m: re.Match[str], ctx: Context) -> Atom | None:
    """15h30, 16h, 9h30 (French-style 24-hour clock)."""
    h = int(m.group("h"))
    ampm = None if h == 0 or h > 12 else ("pm" if h == 12 else "am")
    c = _clock(h, int(m.group("m") or 0), None, ampm, _tz(m), "minute")
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(rf"{B}(?:the\s+|at\s+|@\s*)?(?:12\s+)?(?P<w>noon|midday|mid day|midnight|mid-day){E}")
def clock_noon(m: re.Match[str], ctx: Context) -> Atom | None:
    """noon, midday, midnight."""
    if m.group("w") == "midnight":
        return Atom(m.start(), m.end(), clock=Clock(0, 0, 0, "am", "hour"))
    return Atom(m.start(), m.end(), clock=Clock(12, 0, 0, "pm", "hour"))


_TARGET = rf"(?P<h>[01]?\d|2[0-3])(?:h|\s*o'?\s?clock)?(?:\s*(?P<ap>[ap])m{E})?|(?P<noon>noon|midnight)"


@rule(
    rf"{B}(?:at\s+|for\s+)?(?:(?P<q>(?:a\s+)?quarter)|(?P<half>half)|(?P<n>[0-5]?\d)(?P<mins>\s*(?:minutes?|mins?))?)"
    rf"\s+(?P<rel>past|after|to|till|til|before|of)\s+(?:{_TARGET}){E}"
)
def clock_relative(m: re.Match[str], ctx: Context) -> Atom | None:
    """quarter past 3, half past three pm, 20 to 2pm, 15 minutes past noon."""
    rel = m.group("rel")
    if m.group("q"):
        mins = 15
    elif m.group("half"):
        if rel not in ("past", "after"):
            return None
        mins = 30
    else:
        mins = int(m.group("n"))
        if not m.group("mins") and rel not in ("past", "after"):
            if mins not in (5, 10, 15, 20, 25) and not m.group("noon"):
                return None
            if m.group("h") and int(m.group("h")) > 12:
                return None
        prefix = m.string[max(0, m.start() - 8) : m.start()]
        if re.search(r"(?:from|between)\s+$", prefix):
            return None
    if m.group("noon"):
        h, ap = (12, "pm") if m.group("noon") == "noon" else (0, "am")
    else:
        h, ap = int(m.group("h")), _ampm(m)
    if rel in ("to", "till", "til", "before", "of"):
        total = h * 60 - mins
        if total < 0:
            total += 12 * 60 if ap is None else 24 * 60
        h, mins = divmod(total, 60)
        if (
            ap == "am"
            and h == 11
            and int(m.group("h") or 12) == 12
            or ap == "pm"
            and h == 11
            and m.group("noon")
        ):
            ap = "am"
    else:
        if m.group("noon") == "noon":
            ap = "pm"
    c = _clock(h, mins, None, ap, None, "minute")
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(rf"{B}half\s+(?P<h>1[0-2]|[1-9]){E}(?!\s*(?:an?\s+)?(?:hours?|hrs?|minutes?|mins?|past))")
def clock_half_h(m: re.Match[str], ctx: Context) -> Atom | None:
    """British "half three" = 3:30."""
    return Atom(m.start(), m.end(), clock=Clock(int(m.group("h")), 30, 0, None, "minute"))


@rule(rf"{B}{_H}\s*o\s*'?\s*clock{E}(?:\s*(?P<ap>[ap])m{E})?")
def clock_oclock(m: re.Match[str], ctx: Context) -> Atom | None:
    """3 o'clock, 3 oclock pm."""
    c = _clock(int(m.group("h")), 0, None, _ampm(m), None, "hour")
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(
    rf"{B}(?:at|@|around|about|approximately|approx\.?|arround)\s*(?:about\s+|around\s+)?{_H}"
    rf"(?:\s(?P<m>[0-5]\d))?(?:\s*ish)?{E}(?![:/.\-]\d)(?!\s*(?:[ap]\.?m|{UNIT}|%|\$|people|persons|sessions?|clients?|dollars?){E}){TZ}"
)
def clock_at_hour(m: re.Match[str], ctx: Context) -> Atom | None:
    """at 3, @ 10, at 3 15 (hour without am/pm: the contract's 1-6 pm / 7-11 am rule)."""
    c = _clock(
        int(m.group("h")),
        int(m.group("m") or 0),
        None,
        None,
        _tz(m),
        "minute" if m.group("m") or _tz(m) is not None else "hour",
    )
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(
    rf"{B}(?:at|@|around|about|approximately|approx\.?)\s*(?P<hm>\d{{3,4}})(?:\s*ish)?{E}(?![:/.\-]\d)"
    rf"(?!\s*(?:{UNIT}|%|\$|people|sessions?|dollars?){E})"
)
def clock_at_compact(m: re.Match[str], ctx: Context) -> Atom | None:
    """at 1030, around 730."""
    hm = m.group("hm")
    if len(hm) == 4 and hm[0] not in "012":
        return None
    c = _clock(int(hm[:-2]), int(hm[-2:]), None, None, None, "minute")
    return Atom(m.start(), m.end(), clock=c) if c else None


@rule(
    rf"{B}(?P<h>1[0-2]|0?[1-9])(?:\s*ish)?{E}(?![:/.,]\d)(?!\s*(?:[ap]\.?m{E}|{UNIT}|%|x|people|sessions?|dollars?){E})"
)
def clock_bare_hour(m: re.Match[str], ctx: Context) -> Atom | None:
    """A bare "9": weak, only a time when glued to a day or part of day ("9 tomorrow")."""
    return Atom(
        m.start(),
        m.end(),
        clock=Clock(int(m.group("h")), 0, 0, None, "hour"),
        weak=True,
        bare_day_number=int(m.group("h")),
    )


@rule(
    rf"{B}(?P<hm>(?:1[0-2]|[1-9])[0-5]\d)(?:\s*ish)?{E}(?![:/.,\-]\d)(?!\s*(?:{UNIT}|%|people|sessions?|dollars?){E})"
)
def clock_bare_compact(m: re.Match[str], ctx: Context) -> Atom | None:
    """A bare "815": weak ("tonight 815")."""
    hm = m.group("hm")
    return Atom(m.start(), m.end(), clock=Clock(int(hm[:-2]), int(hm[-2:]), 0, None, "minute"), weak=True)


@rule(rf"{B}(?P<d>1[3-9]|2\d|3[01])(?:{ORD})?{E}(?![:/.,]\d)")
@rule(rf"{B}(?P<d>[12]?\d|3[01])(?:{ORD}){E}")
def bare_ordinal(m: re.Match[str], ctx: Context) -> Atom | None:
    """A bare ordinal ("15th"): weak, used by date ranges."""
    return Atom(m.start(), m.end(), weak=True, bare_day_number=int(m.group("d")))


# ---------------------------------------------------------------- parts of day


@rule(
    rf"{B}(?:(?P<this>this|today'?s?|tonight'?s?)\s+|(?:in|during)\s+the\s+|(?P<early>early|late)\s+(?:in\s+the\s+)?)?"
    rf"(?P<part>{PART})(?:'?s)?{E}"
)
def part_of_day(m: re.Match[str], ctx: Context) -> Atom | None:
    """morning, this afternoon, in the evening, this morning's (contract hours: see lexicon)."""
    part = PART_WORDS[m.group("part")]
    if m.group("this"):
        return Atom(m.start(), m.end(), day=ctx.today, part=part)
    if not m.group(0).startswith(("in", "during", "early", "late")):
        before = m.string[max(0, m.start() - 6) : m.start()]
        if re.search(r"good\s*$", before):
            return None
    return Atom(m.start(), m.end(), part=part)


@rule(rf"{B}(?:late\s+)?(?P<w>tonight|tonite|2night|toningt)(?:'?s)?{E}")
def tonight(m: re.Match[str], ctx: Context) -> Atom | None:
    """tonight: this evening."""
    return Atom(m.start(), m.end(), day=ctx.today, part="night")


@rule(rf"{B}(?:late\s+)?last\s+(?:night|nite)(?:'?s)?{E}")
def last_night(m: re.Match[str], ctx: Context) -> Atom | None:
    """last night: yesterday evening."""
    return Atom(m.start(), m.end(), day=ctx.today - timedelta(days=1), part="night")


@rule(rf"{B}in\s+the\s+(?P<ap>[ap])\.?m\.?{E}")
def in_the_ampm(m: re.Match[str], ctx: Context) -> Atom | None:
    """ "3 in the pm": an am/pm marker, not a period of its own."""
    return Atom(m.start(), m.end(), part=f"{m.group('ap')}m")


# ---------------------------------------------------------------- named days

_TODAY = r"today|todays|2day|tday|tdy"
_TOMORROW = (
    r"tomorrow|tomorrows|tmrw|tmr|tmrow|tomorow|tommorow|tommorrow|tomorrw|tomoroow|2morrow|2moro|tmw|tomo"
)
_YESTERDAY = r"yesterday|yday|yest|yesterdays|yesturday|yestarday|yesteday|yesterdy"


@rule(
    rf"{B}(?:the\s+)?(?:day\s+after\s+(?:{_TOMORROW})|day\s+before\s+(?:{_YESTERDAY})|(?P<w>{_TODAY}|{_TOMORROW}|{_YESTERDAY}))(?:'?s)?{E}"
)
def named_day(m: re.Match[str], ctx: Context) -> Atom | None:
    """today, tomorrow, yesterday, the day after tomorrow, the day before yesterday."""
    w = m.group("w")
    text = m.group(0)
    if w is None:
        delta = 2 if "after" in text else -2
    elif re.fullmatch(_TODAY, w):
        delta = 0
    elif re.fullmatch(_TOMORROW, w):
        delta = 1
    else:
        delta = -1
    return Atom(m.start(), m.end(), day=ctx.today + timedelta(days=delta))


@rule(rf"{B}(?:the\s+)?(?:at\s+this\s+time|right\s+now|just\s+now|at\s+the\s+moment|now|atm|rn)(?!\s+on){E}")
def right_now(m: re.Match[str], ctx: Context) -> Atom | None:
    """now, right now, at the moment: a point at now (grain second)."""
    if m.group(0).strip() == "at this time":
        return _whole(m, Resolved("period", period=cal.day_range(ctx.today, ctx.tz), grain="day"))
    before = m.string[max(0, m.start() - 6) : m.start()]
    if re.search(r"(?:from|until|till|by|up to)\s*$", before) and m.group(0) == "now":
        return None
    return _whole(m, Resolved("point", value=ctx.now.replace(microsecond=0), grain="second"))


# ---------------------------------------------------------------- weekdays

_WD_MOD = r"last|this\s+past|past|previous|prev|this\s+coming|coming|upcoming|this|next|on|the\s+following"
_WEEK_REF = r"(?P<wk>this|next|last|the\s+following|coming|current|the\s+current|previous|past)\s+week"


@rule(
    rf"{B}(?:(?P<mod>{_WD_MOD})\s+)?(?P<wd>{WD})(?:'?s)?(?:(?P<an>\s+after\s+next)|\s+(?:of\s+|from\s+|in\s+)?{_WEEK_REF})?{E}"
)
def weekday(m: re.Match[str], ctx: Context) -> Atom | None:
    """Friday, on Monday, last/this/next Friday, Friday after next, Wednesday of next week."""
    wd = _wd(m.group("wd"))
    mod = re.sub(r"\s+", " ", m.group("mod") or "")
    today = ctx.today
    wk = m.group("wk")
    if wk:
        off = _offset(re.sub(r"\s+", " ", wk))
        day = cal.week_start(today) + timedelta(weeks=off or 0, days=wd)
    elif mod in ("last", "this past", "past", "previous", "prev"):
        day = cal.weekday_near(today, wd, "past")
    elif mod == "this":
        day = cal.weekday_this_week(today, wd)
    elif mod in ("next", "this coming", "coming", "upcoming", "the following"):
        day = cal.weekday_near(today, wd, "future")
    else:
        day = cal.weekday_near(today, wd, ctx.direction)
    if m.group("an"):
        day = cal.weekday_near(today, wd, "future") + timedelta(weeks=1)
    word = m.group("wd").rstrip(".")
    weak = not mod and not wk and word in ("sat", "sun", "wed", "mon") and not m.group(0).endswith(".")
    return Atom(m.start(), m.end(), day=day, weak=weak, tags=frozenset({"weekday"}))


@rule(rf"{B}(?:last|previous|past)\s+week'?s\s+(?P<wd>{WD}){E}")
def last_weeks_weekday(m: re.Match[str], ctx: Context) -> Atom | None:
    """last week's Sunday."""
    return Atom(
        m.start(), m.end(), day=cal.week_start(ctx.today) + timedelta(weeks=-1, days=_wd(m.group("wd")))
    )


@rule(rf"{B}(?P<n>\d+|an?)\s+(?P<wd>{WD})s?\s+(?P<rel>from\s+now|hence|ago|back){E}")
def weekdays_from_now(m: re.Match[str], ctx: Context) -> Atom | None:
    """2 Sundays from now, 2 Thursdays ago."""
    n = 1 if m.group("n") in ("a", "an") else int(m.group("n"))
    wd = _wd(m.group("wd"))
    if m.group("rel") in ("ago", "back"):
        day = cal.weekday_near(ctx.today, wd, "past") - timedelta(weeks=n - 1)
    else:
        day = cal.weekday_near(ctx.today, wd, "future") + timedelta(weeks=n - 1)
    return Atom(m.start(), m.end(), day=day)


# ---------------------------------------------------------------- dates


def _resolve_date(ctx: Context, month: int, day: int, year: int | None, wd: int | None = None) -> date | None:
    """A day of a month; without a year, by the contract's direction (and a weekday if said)."""
    if year is not None:
        return cal.valid_date(year, month, day)
    d = cal.date_without_year(ctx.today, month, day, ctx.direction)
    if wd is None or d is None or d.weekday() == wd:
        return d
    other = cal.date_without_year(ctx.today, month, day, "future" if ctx.direction == "past" else "past")
    if other is not None and other.weekday() == wd:
        return other
    for k in range(1, 12):
        cand = cal.valid_date(ctx.today.year + k, month, day)
        if cand and cand.weekday() == wd:
            return cand
    return d


_YEAR_SEP = r"(?:,?\s*(?P<y>(?:19|20)\d{2})|\s*[,']\s*(?P<yy>\d{2})|(?P<ysep>[\-/])(?P<y2>\d{2}|\d{4}))"


@rule(
    rf"{B}(?:(?P<wd>{WD}),?\s+)?(?:the\s+)?(?P<d>[12]?\d|3[01])(?:{ORD})?(?:\s+of\s+|[\-/.]|\s+|)(?P<mon>{MON})"
    rf"(?:,?\s*(?P<y>(?:19|20)\d{{2}})|[\-/](?P<y2>\d{{4}}|\d{{2}})|\s+(?P<yy>\d{{2}})(?!\s*[\-:]))?{E}(?!:)"
)
def date_day_month(m: re.Match[str], ctx: Context) -> Atom | None:
    """3rd of March, 15 february, 31-Oct-74, 14april 2015, 14th April 15."""
    year = _year(m.group("y") or m.group("y2") or m.group("yy"))
    wd = _wd(m.group("wd")) if m.group("wd") else None
    day = _resolve_date(ctx, _mon(m.group("mon")), int(m.group("d")), year, wd)
    return _day_atom(m, day, tags=frozenset({"date"}))


@rule(
    rf"{B}(?:(?P<wd>{WD}),?\s+)?(?P<mon>{MON})\s*,?\s*(?:the\s+)?(?P<d>[12]?\d|3[01])(?:{ORD})?"
    rf"(?:,?\s+(?P<y>(?:19|20)\d{{2}})|\s*'(?P<yy>\d{{2}}))?(?:,?\s+(?P<wd2>{WD}))?{E}(?![:]\d|\s*(?:[ap]m|h){E})"
)
def date_month_day(m: re.Match[str], ctx: Context) -> Atom | None:
    """March 3, Feb13, Fri, Jul 18, 2014, Jul 18, Fri, february the 15th."""
    year = _year(m.group("y") or m.group("yy"))
    w = m.group("wd") or m.group("wd2")
    day = _resolve_date(ctx, _mon(m.group("mon")), int(m.group("d")), year, _wd(w) if w else None)
    return _day_atom(m, day, tags=frozenset({"date"}))


@rule(
    rf"(?<![\d/.:\-])(?P<a>\d{{1,2}})\s?/\s?(?P<b>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?(?![\d/:]|\.\d|\s*(?:h|[ap]m){E})"
)
@rule(r"(?<![\d/.:\-])(?P<a>\d{1,2})(?P<sep>[\-.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d\-.])")
@rule(
    rf"(?<![\d/.:\-h])(?P<a>\d{{1,2}})\s?-\s?(?P<b>\d{{1,2}})(?![\d\-:.]|\s*(?:[ap]m|h|o'?clock|{MON}|{UNIT}|to|and|%){E})"
)
def date_numeric(m: re.Match[str], ctx: Context) -> Atom | None:
    """3/14 (month/day; day/month when the first number cannot be a month), 10/31/74, 2-15."""
    a, b = int(m.group("a")), int(m.group("b"))
    gd = m.groupdict()
    year = _year(gd.get("y"))
    if a > 12 and b <= 12:
        a, b = b, a
    if not (1 <= a <= 12 and 1 <= b <= 31):
        return None
    if "/" not in m.group(0) and gd.get("sep") is None and b <= 12:
        # "2-15" is a date, but "3-4" is an hour range
        return None
    day = _resolve_date(ctx, a, b, year)
    return _day_atom(m, day, tags=frozenset({"date"}))


@rule(
    rf"(?<![\d/.:\-])(?P<y>(?:19|20)\d{{2}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[ t](?P<h>\d{{2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}}))?)?{E}"
)
def date_iso(m: re.Match[str], ctx: Context) -> Atom | None:
    """2015-03-03, 2015-3-3, 2015-03-28 17:00:00."""
    d = cal.valid_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if d is None:
        return None
    if m.group("h"):
        c = _clock(
            int(m.group("h")),
            int(m.group("mi")),
            int(m.group("s")) if m.group("s") else None,
            None,
            None,
            None,
        )
        return Atom(m.start(), m.end(), day=d, clock=c)
    return _day_atom(m, d, tags=frozenset({"date"}))


@rule(
    rf"(?<![\d/.:\-])(?:(?P<y>(?:19|20)\d{{2}})[\-/](?P<m>0?[1-9]|1[0-2])|(?P<m2>0?[1-9]|1[0-2])/(?P<y2>(?:19|20)\d{{2}})){E}(?![\-/]\d)"
)
def month_numeric(m: re.Match[str], ctx: Context) -> Atom | None:
    """2014-10, 2014/10, 2/2013: a month."""
    y = int(m.group("y") or m.group("y2"))
    mo = int(m.group("m") or m.group("m2"))
    return _whole(m, _month_period(ctx, y, mo))


@rule(
    rf"{B}(?:on\s+)?(?:the\s+)?(?P<d>[12]?\d|3[01])(?:{ORD})?(?:\s+day)?\s+of\s+(?P<rel>this|next|last|the\s+next|the\s+current|"
    rf"current|the\s+previous|previous|the\s+following|the)\s+month{E}"
)
def day_of_relative_month(m: re.Match[str], ctx: Context) -> Atom | None:
    """20 of next month, 20th of the current month, the 1st of the month."""
    off = _offset(re.sub(r"\s+", " ", m.group("rel"))) or 0
    y, mo = cal.add_months(ctx.today.year, ctx.today.month, off)
    return _day_atom(m, cal.valid_date(y, mo, int(m.group("d"))))


@rule(
    rf"{B}(?:(?P<on>on|by|until|since)\s+)?(?P<the>the\s+)?(?P<d>[12]?\d|3[01])(?P<ord>{ORD})?{E}(?!\s*(?:{UNIT}|{WD}|last|closest|sessions?|session|class|classes|time|times|visit|lesson|appointment|one|client|person|people|floor|place|round|set|rep|of|-|to|through|thru|till|until|and)\b)"
)
def day_of_month(m: re.Match[str], ctx: Context) -> Atom | None:
    """the 14th, on the 15th, on 24th, the 24 (the nearest such day by direction)."""
    if not (m.group("the") or m.group("on")) or not (m.group("ord") or m.group("the")):
        return None
    if m.group("on") and not m.group("the") and not m.group("ord"):
        return None
    if not m.group("ord") and int(m.group("d")) < 2:
        return None
    d = cal.day_of_month(ctx.today, int(m.group("d")), ctx.direction)
    return _day_atom(m, d, tags=frozenset({"date", "dom"}), bare_day_number=int(m.group("d")))


@rule(rf"{B}(?P<wd>{WD}),?\s+(?:the\s+)?(?P<d>[12]?\d|3[01])(?:{ORD}){E}")
def weekday_and_day_of_month(m: re.Match[str], ctx: Context) -> Atom | None:
    """Tuesday the 19th, Thu 15th: the nearest such day-of-month on that weekday."""
    wd, dom = _wd(m.group("wd")), int(m.group("d"))
    step = -1 if ctx.direction == "past" else 1
    for k in range(0, 24):
        y, mo = cal.add_months(ctx.today.year, ctx.today.month, step * k)
        d = cal.valid_date(y, mo, dom)
        if d and d.weekday() == wd and ((step > 0 and d >= ctx.today) or (step < 0 and d <= ctx.today)):
            return _day_atom(m, d)
    return None


@rule(
    rf"{B}(?:the\s+)?(?P<n>[1-5](?:st|nd|rd|th)|last)\s+(?P<wd>{WD})\s+(?:of|in)\s+"
    rf"(?:(?P<mon>{MON})(?:\s+(?P<y>(?:19|20)\d{{2}}))?|(?P<rel>this|the|next|last|the\s+next|previous|the\s+previous|current)\s+month){E}"
)
def nth_weekday_of_month(m: re.Match[str], ctx: Context) -> Atom | None:
    """first Tuesday of October, last Friday in October, first Monday of last month."""
    y, mo = _month_ref(ctx, m)
    wd = _wd(m.group("wd"))
    n = -1 if m.group("n") == "last" else int(m.group("n")[0])
    if n > 0:
        first = date(y, mo, 1)
        d = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
        if d.month != mo:
            return None
    else:
        last = date(y, mo, cal.days_in_month(y, mo))
        d = last - timedelta(days=(last.weekday() - wd) % 7)
    return _day_atom(m, d)


def _month_ref(ctx: Context, m: re.Match[str]) -> tuple[int, int]:
    """(year, month) of a "... of October [2014]" / "... of next month" reference."""
    gd = m.groupdict()
    if gd.get("mon"):
        mo = _mon(gd["mon"])
        if gd.get("y"):
            return int(gd["y"]), mo
        return cal.month_near(ctx.today, mo, ctx.direction), mo
    off = _offset(re.sub(r"\s+", " ", gd.get("rel") or "this")) or 0
    return cal.add_months(ctx.today.year, ctx.today.month, off)


@rule(
    rf"{B}(?:the\s+)?(?P<n>(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)|last)\s+(?P<last>last\s+)?day\s+(?:of|in)\s+"
    rf"(?:(?P<mon>{MON})(?:\s+(?P<y>(?:19|20)\d{{2}}))?|(?P<rel>this|the|next|last|previous)\s+month){E}"
)
def nth_day_of_month(m: re.Match[str], ctx: Context) -> Atom | None:
    """third day of October, last day of October 2015, fifth last day of May."""
    y, mo = _month_ref(ctx, m)
    size = cal.days_in_month(y, mo)
    if m.group("n") == "last":
        return _day_atom(m, date(y, mo, size))
    n = int(re.match(r"\d+", m.group("n")).group())  # type: ignore[union-attr]
    if m.group("last"):
        return _day_atom(m, cal.valid_date(y, mo, size + 1 - n))
    return _day_atom(m, cal.valid_date(y, mo, n))


@rule(
    rf"{B}(?:the\s+)?(?P<n>[1-5](?:st|nd|rd|th)|last|first)\s+(?P<last>last\s+)?(?:week|wk)\s+(?:of|in)\s+"
    rf"(?:(?P<mon>{MON})(?:\s+(?P<y>(?:19|20)\d{{2}}))?|(?P<year>(?:19|20)\d{{2}})){E}"
)
def nth_week_of(m: re.Match[str], ctx: Context) -> Atom | None:
    """first week of October 2014, last week of September, third last week of 2018 (full weeks)."""
    if m.group("year"):
        start, end = date(int(m.group("year")), 1, 1), date(int(m.group("year")) + 1, 1, 1)
    else:
        y, mo = _month_ref(ctx, m)
        start = date(y, mo, 1)
        end = date(*cal.add_months(y, mo, 1), 1)
    first_monday = start + timedelta(days=(-start.weekday()) % 7)
    weeks = []
    d = first_monday
    while d + timedelta(days=7) <= end:
        weeks.append(d)
        d += timedelta(days=7)
    word = m.group("n")
    idx = 1 if word == "first" else -1 if word == "last" else int(word[0])
    if m.group("last"):
        idx = -idx
    try:
        s = weeks[idx - 1] if idx > 0 else weeks[idx]
    except IndexError:
        return None
    return _whole(m, _period(ctx, s, s + timedelta(days=7), "week"))


@rule(
    rf"{B}(?:(?P<mod>this|next|last|the)\s+)?(?P<name>{HOLIDAY})(?:\s+(?:of\s+|in\s+)?(?:(?P<y>(?:19|20)\d{{2}})|(?P<rel>this|next|last)\s+year))?{E}"
)
def holiday(m: re.Match[str], ctx: Context) -> Atom | None:
    """christmas, thanksgiving 2013, last easter, MLK day of last year, ramadan 2018."""
    name = re.sub(r"\s+", " ", m.group("name"))
    if holiday_span(name, ctx.today.year) is not None:
        return _holiday_span(m, ctx, name)
    if m.group("y"):
        return _day_atom(m, holiday_date(name, int(m.group("y"))))
    if m.group("rel"):
        off = {"this": 0, "next": 1, "last": -1}[m.group("rel")]
        return _day_atom(m, holiday_date(name, ctx.today.year + off))
    mod = m.group("mod")
    direction = "past" if mod == "last" else "future" if mod in ("next", "this") else ctx.direction
    y = ctx.today.year
    cands = [holiday_date(name, y + k) for k in (-1, 0, 1)]
    cands_ok = [c for c in cands if c is not None]
    if direction == "past":
        pick = [c for c in cands_ok if (c < ctx.today if mod == "last" else c <= ctx.today)]
        return _day_atom(m, pick[-1] if pick else None)
    pick = [c for c in cands_ok if c >= ctx.today]
    return _day_atom(m, pick[0] if pick else None)


def _holiday_span(m: re.Match[str], ctx: Context, name: str) -> Atom | None:
    """A multi-day holiday: the whole span, picked like a single-day one."""
    if name == "lent" and not (m.group("y") or m.group("rel") or m.group("mod")):
        return None  # "I lent him my mat": the verb, unless a year or this/next/last says otherwise
    if m.group("y") or m.group("rel"):
        y = (
            int(m.group("y"))
            if m.group("y")
            else ctx.today.year + {"this": 0, "next": 1, "last": -1}[m.group("rel")]
        )
        span = holiday_span(name, y)
    else:
        mod = m.group("mod")
        direction = "past" if mod == "last" else "future" if mod in ("next", "this") else ctx.direction
        cands = [s for s in (holiday_span(name, ctx.today.year + k) for k in (-1, 0, 1)) if s is not None]
        if direction == "past":
            pick = [s for s in cands if s[0] <= ctx.today and (mod != "last" or s[1] <= ctx.today)]
            span = pick[-1] if pick else None
        else:
            pick = [s for s in cands if s[1] > ctx.today]
            span = pick[0] if pick else None
    if span is None:
        return None
    return _whole(m, _period(ctx, span[0], span[1], "day"))


# ---------------------------------------------------------------- relative offsets


def _delta_minutes(amount: float, unit: str) -> float | None:
    return {"second": amount / 60, "minute": amount, "hour": amount * 60}.get(unit)


_AMOUNT_UNIT = (
    rf"(?P<hf>half\s+an?|(?:a\s+)?quarter\s+of\s+an?|(?:3|three)[\s\-]*quarters?\s+of\s+an?)\s+(?P<unit3>hour|hr)"
    rf"|(?P<n>{AMOUNT})(?:\s+more)?\s*(?P<unit>{UNIT}|'|\"){E}(?P<half>\s+and\s+(?:a\s+|an\s+)?half)?"
    rf"|(?P<nh>\d+)\s+and\s+(?:a|an)\s+half\s+(?P<unit2>{UNIT})"
)


def _amount_unit(m: re.Match[str]) -> tuple[float, str] | None:
    """(amount, unit) from an _AMOUNT_UNIT match."""
    gd = m.groupdict()
    if gd.get("hf"):
        hf = gd["hf"]
        frac = 0.5 if hf.startswith("half") else 0.75 if "3" in hf or "three" in hf else 0.25
        return frac, "hour"
    if gd.get("nh"):
        return int(gd["nh"]) + 0.5, _unit(gd["unit2"])
    amount = amount_value(gd["n"])
    if amount is None:
        return None
    unit = {"'": "minute", '"': "second"}.get(gd["unit"]) or _unit(gd["unit"])
    if gd.get("half"):
        amount += 0.5
    return amount, unit


def _relative(ctx: Context, m: re.Match[str], sign: int) -> Atom | None:
    au = _amount_unit(m)
    if au is None:
        return None
    amount, unit = au
    minutes = _delta_minutes(amount, unit)
    if minutes is not None:
        value = (
            cal.elapsed(ctx.now, timedelta(minutes=sign * minutes))
            if ctx.tz
            else ctx.now + timedelta(minutes=sign * minutes)
        )
        grain = "second" if unit in ("second", "minute") else "minute"
        return _whole(m, Resolved("point", value=value.replace(microsecond=0), grain=grain))
    if amount != int(amount):
        if unit == "day":
            return None
        amount = int(amount)
    n = int(amount) * sign
    if unit == "day":
        return _day_atom(m, ctx.today + timedelta(days=n))
    if unit == "week":
        return _day_atom(m, ctx.today + timedelta(weeks=n))
    if unit == "fortnight":
        return _day_atom(m, ctx.today + timedelta(weeks=2 * n))
    if unit == "month":
        return _day_atom(m, _shift_months(ctx.today, n))
    if unit == "quarter":
        return _day_atom(m, _shift_months(ctx.today, 3 * n))
    if unit == "year":
        return _day_atom(m, _shift_months(ctx.today, 12 * n))
    return None


@rule(rf"{B}(?:in|within|after)\s+(?:about\s+|around\s+|approximately\s+|just\s+)?(?:{_AMOUNT_UNIT})")
def relative_in(m: re.Match[str], ctx: Context) -> Atom | None:
    """in 2 hours (a point: now + elapsed time), in 3 days (that day)."""
    if m.group(0).startswith("after"):
        atom = _relative(ctx, m, 1)
        if atom is None:
            return None
        return atom
    return _relative(ctx, m, 1)


@rule(
    rf"{B}(?:{_AMOUNT_UNIT})\s+(?P<rel>from\s+(?:right\s+)?now|from\s+today|hence|later|ago|back|earlier|before\s+now|prior)(?!\s+(?:to|that)\b)"
)
def relative_ago(m: re.Match[str], ctx: Context) -> Atom | None:
    """2 hours ago (now - elapsed time), 3 days from now, a week hence."""
    sign = -1 if m.group("rel") in ("ago", "back", "earlier", "before now", "prior") else 1
    return _relative(ctx, m, sign)


# ---------------------------------------------------------------- periods

_PERIOD_MOD = (
    r"this\s+past|this\s+coming|this|current|the\s+current|last|past|previous|the\s+previous|next|coming|upcoming|"
    r"the\s+following|the\s+coming|the\s+next|prev"
)


@rule(
    rf"{B}(?P<mod>{_PERIOD_MOD})\s+(?P<unit>week-end|weekend|wkend|week|wk|month|year|yr|quarter|qtr)(?:'?s)?{E}(?!\s+(?:of|in)\s)"
)
def this_last_next_unit(m: re.Match[str], ctx: Context) -> Atom | None:
    """this/last/next week, month, year, quarter, weekend (weeks start on Monday)."""
    off = _offset(re.sub(r"\s+", " ", m.group("mod")))
    if off is None:
        return None
    unit = _unit(m.group("unit"))
    if unit == "weekend" and off == -1 and m.group("mod").startswith("this"):
        off = -1
    return _whole(m, unit_period(ctx, unit, off))


@rule(rf"{B}(?:(?:the|all|this)\s+)?(?:week|wk)(?:'?s)?{E}(?!\s+(?:of|in|ago|from|hence|before|after)\b)")
def the_week(m: re.Match[str], ctx: Context) -> Atom | None:
    """ "all week", "the week": this week. (weak: bare "week" is too often a duration).
    Not in "day of the week", "time of the week": that names a grouping, not a period."""
    if m.group(0).startswith("the") and re.search(
        r"\b(?:days?|times?|hours?)\s+of\s+$", m.string[: m.start()]
    ):
        return None
    return _whole(m, unit_period(ctx, "week", 0), weak=not m.group(0).startswith(("all", "this", "the")))


@rule(rf"{B}(?:the\s+|a\s+)?weekend(?:'?s)?{E}")
def bare_weekend(m: re.Match[str], ctx: Context) -> Atom | None:
    """ "the weekend": the coming (future) or latest (past) Saturday+Sunday."""
    t = ctx.today
    if ctx.direction == "past":
        sat = cal.week_start(t) + timedelta(days=5)
        if sat > t:
            sat -= timedelta(weeks=1)
    else:
        sat = cal.week_start(t) + timedelta(days=5)
    return _whole(m, _period(ctx, sat, sat + timedelta(days=2), "day"))


@rule(
    rf"{B}(?:(?:in|over|during|for|within)\s+)?(?:the\s+)?(?P<mod>last|past|previous|next|upcoming|coming|following)\s+"
    rf"(?P<n>\d+|a\s+couple\s+of|couple\s+of|a\s+couple|a\s+few|few|several)\s+(?P<unit>{UNIT}){E}"
)
@rule(rf"{B}(?P<n>\d+|a\s+couple\s+of)\s+(?P<mod>upcoming|next|coming|past|last)\s+(?P<unit>{UNIT}){E}")
def last_n_units(m: re.Match[str], ctx: Context) -> Atom | None:
    """the last/past N days (contract: start of the day N-1 days ago to start of tomorrow);
    next N days (from the start of the next day, N days); upcoming N weeks (the week N ahead)."""
    n_raw = re.sub(r"\s+", " ", m.group("n"))
    amount = amount_value(n_raw)
    if amount is None or amount < 1 or amount > 5000:
        return None
    n = int(amount)
    unit = _unit(m.group("unit"))
    mod = m.group("mod")
    if mod == "upcoming" or m.group(0).split()[1] in ("upcoming",) and mod != "next":
        res = unit_period(ctx, unit, n) if unit != "fortnight" else None
        if res is not None and res.period is not None:
            return _whole(m, Resolved("point", value=res.period[0], grain=res.grain))
        return None
    if unit in ("second", "minute", "hour"):
        step = timedelta(minutes=_delta_minutes(n, unit) or 0)
        if mod in ("last", "past", "previous"):
            return _whole(m, Resolved("period", period=(cal.elapsed(ctx.now, -step), ctx.now), grain=unit))
        return _whole(m, Resolved("period", period=(ctx.now, cal.elapsed(ctx.now, step)), grain=unit))
    if unit == "fortnight":
        unit, n = "week", 2 * n
    if mod in ("last", "past", "previous"):
        return _whole(m, unit_period(ctx, unit, -(n - 1), n))
    return _whole(m, unit_period(ctx, unit, 1, n))


@rule(
    rf"{B}(?:(?:so\s+far|to\s+date)\s+(?:this|the)\s+(?P<u1>month|week|year|quarter)|(?:this\s+)?(?P<u2>month|week|year|quarter)[\s\-]+to[\s\-]+date|(?P<abbr>mtd|ytd|wtd|qtd)"
    rf"|(?:this\s+)?(?P<u3>month|week|year|quarter)\s+so\s+far){E}"
)
def to_date(m: re.Match[str], ctx: Context) -> Atom | None:
    """so far this month, month to date, MTD: the whole current month (contract)."""
    unit = m.group("u1") or m.group("u2") or m.group("u3")
    if unit is None:
        unit = {"m": "month", "y": "year", "w": "week", "q": "quarter"}[m.group("abbr")[0]]
    return _whole(m, unit_period(ctx, unit, 0))


def _month_period(ctx: Context, year: int, month: int) -> Resolved | None:
    if not 1 <= month <= 12:
        return None
    y2, m2 = cal.add_months(year, month, 1)
    return _period(ctx, date(year, month, 1), date(y2, m2, 1), "month")


_AMBIGUOUS_MONTHS = frozenset({"may", "mar"})
#: A month name used as a modifier of the domain's nouns ("may commissions", "may's revenue")
#: is a month, not the verb or a name.
_MONTH_NOUN = re.compile(
    r"(?:'s)?\s+(?:commissions?|commish|statements?|sessions?|revenue|earnings|payouts?|payroll|numbers|stats|"
    r"report|bookings?|appointments?|schedule|no[- ]?shows?|cancellations?|invoices?|totals?|figures)\b"
)


@rule(
    rf"{B}(?:(?P<pre>in|during|for|of|since|until|till|through|thru|before|after|by|from)\s+)?(?:(?P<mod>this|next|last|the\s+month\s+of|the\s+end\s+of|end\s+of|early|mid|late|the\s+beginning\s+of|beginning\s+of|the\s+start\s+of|start\s+of|the\s+middle\s+of)\s+)?"
    rf"(?P<mon>{MON})(?:\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}}))?(?P<an>\s+after\s+next)?{E}(?!\s*\d|\s*-\s*\d)"
)
def month_name(m: re.Match[str], ctx: Context) -> Atom | None:
    """October, in October, next March, October 2014, early/mid/late March, end of April."""
    mo = _mon(m.group("mon"))
    mod = re.sub(r"\s+", " ", m.group("mod") or "")
    t = ctx.today
    if m.group("y"):
        y = int(m.group("y"))
    elif mod == "next" or m.group("an"):
        y = t.year if mo > t.month else t.year + 1
        if m.group("an"):
            y += 1
    elif mod == "last":
        y = t.year if mo < t.month else t.year - 1
    elif mod == "this":
        y = t.year
    else:
        y = cal.month_near(t, mo, ctx.direction)
    res = _month_period(ctx, y, mo)
    if res is None:
        return None
    size = cal.days_in_month(y, mo)
    ranges = {"early": (1, 11), "mid": (11, 21), "late": (21, size + 1), "the middle of": (11, 21)}
    if mod in ("end of", "the end of"):
        ranges[mod] = (21, size + 1)
    if mod in ranges:
        a, b = ranges[mod]
        start = date(y, mo, a)
        return _whole(m, _period(ctx, start, start + timedelta(days=b - a), "day"))
    if "beginning" in mod or "start" in mod:
        return _whole(m, _period(ctx, date(y, mo, 1), date(y, mo, 11), "day"))
    word = m.group("mon").rstrip(".")
    weak = (
        not (m.group("pre") or mod or m.group("y") or _MONTH_NOUN.match(m.string, m.end()))
        and word in _AMBIGUOUS_MONTHS
    )
    return _whole(m, res, weak=weak)


@rule(
    rf"{B}(?P<pre>(?:in|during|for|of)\s+(?:the\s+year\s+)?)?(?P<y>(?:19|20)\d{{2}}|\d{{1,4}}(?=\s*a\.?d\.?{E}))(?P<ad>\s*a\.?d\.?)?{E}(?![:/\-.]\d)"
)
def year(m: re.Match[str], ctx: Context) -> Atom | None:
    """in 2014, 2014 AD (a bare 4-digit number is weak: too often not a year)."""
    y = int(m.group("y"))
    if not 1 <= y <= 9998:
        return None
    opened = re.search(
        r"(?:since|until|till|through|thru|before|after|by|from)\s+$",
        m.string[max(0, m.start() - 16) : m.start()],
    )
    weak = not (m.group("pre") or m.group("ad") or opened)
    return _whole(m, _period(ctx, date(y, 1, 1), date(y + 1, 1, 1), "year"), weak=weak)


@rule(
    rf"{B}(?:the\s+)?(?P<n>[1-4])(?:st|nd|rd|th)\s+(?:quarter|qtr)(?:\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}}))?{E}"
    rf"|{B}(?P<y2>(?:19|20)?\d{{2}})\s?q(?P<q2>[1-4]){E}|{B}q(?P<q3>[1-4])(?:\s+(?P<y3>(?:19|20)\d{{2}}))?{E}"
)
def quarter(m: re.Match[str], ctx: Context) -> Atom | None:
    """third quarter, 4th qtr 2018, 2018Q4, 18q4, Q3."""
    q = int(m.group("n") or m.group("q2") or m.group("q3"))
    ytxt = m.group("y") or m.group("y2") or m.group("y3")
    y = _year(ytxt) if ytxt else ctx.today.year
    assert y is not None
    s = date(y, 3 * (q - 1) + 1, 1)
    e = date(*cal.add_months(y, s.month, 3), 1)
    return _whole(m, _period(ctx, s, e, "quarter"))


@rule(
    rf"{B}(?:(?:by|until|till)\s+)?(?:at\s+)?(?:the\s+)?(?P<which>end|eo|beginning|start|bo|middle)\s*(?:of\s+)?(?:the\s+)?"
    rf"(?:(?P<mod>this|current|last|past|previous|next|coming|the\s+following)\s+)?(?:(?:around)\s+)?(?P<unit>month|m|week|year|y|w|day|d){E}"
)
def end_of(m: re.Match[str], ctx: Context) -> Atom | None:
    """end of the month, EOM, beginning of next week, end of year, by EOD."""
    txt = m.group(0)
    which = m.group("which")
    unit = {"m": "month", "y": "year", "w": "week", "d": "day"}.get(m.group("unit"), m.group("unit"))
    if which in ("eo", "bo") and len(m.group("unit")) != 1:
        return None
    if which not in ("eo", "bo") and len(m.group("unit")) == 1:
        return None
    off = _offset(re.sub(r"\s+", " ", m.group("mod") or "this")) or 0
    base = unit_period(ctx, unit, off)
    if base is None or base.period is None:
        return None
    s, e = base.period[0].date(), base.period[1].date()
    if txt.startswith(("by", "until", "till")):
        return _whole(m, Resolved("period", period=(ctx.now, base.period[1]), grain="second"))
    end = which in ("end", "eo")
    if unit == "month":
        s, e = (s + timedelta(days=20), e) if end else (s, s + timedelta(days=10))
        grain = "day"
    elif unit == "year":
        s, e = (date(s.year, 9, 1), e) if end else (s, date(s.year, 4, 1))
        grain = "month"
    elif unit == "week":
        s, e = (s + timedelta(days=4), e) if end else (s, s + timedelta(days=3))
        grain = "day"
    else:
        return None
    return _whole(m, _period(ctx, s, e, grain))


@rule(rf"{B}(?:(?:the\s+)?rest\s+of\s+(?:the|this)\s+(?P<unit>week|month|year)){E}")
def rest_of(m: re.Match[str], ctx: Context) -> Atom | None:
    """rest of the week: today to the end of the week."""
    base = unit_period(ctx, m.group("unit"), 0)
    if base is None or base.period is None:
        return None
    return _whole(m, Resolved("period", period=(cal.local(ctx.today, ctx.tz), base.period[1]), grain="day"))


@rule(rf"{B}(?:asap|as\s+soon\s+as\s+possible|a\.s\.a\.p\.?){E}")
def asap(m: re.Match[str], ctx: Context) -> Atom | None:
    """ASAP: an open interval after now."""
    now = ctx.now.replace(microsecond=0)
    return _whole(m, Resolved("after", period=(now, now), grain="second"))


def now_of(ctx: Context) -> datetime:
    """`now` without microseconds."""
    return ctx.now.replace(microsecond=0)
