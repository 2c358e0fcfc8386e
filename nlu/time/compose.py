"""Glue atoms into mentions: pick non-overlapping atoms, group neighbours, build ranges.

"Friday" + " at " + "7am" is one point; "tomorrow" + " " + "morning" one period;
"3" + "-" + "4pm" one range; "after" + "5pm" an open interval. Resolution of a group
follows the contract: a clock time makes a point (on the group's day if it has one,
else by the direction rule), a day or part of day without a clock makes a period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from nlu.time import calendar as cal
from nlu.time.atoms import Atom, Clock, Context, Resolved

_CONNECT = re.compile(r"[\s,]*(?:(?:at|on|@|of|for|around|about|in)[\s,]*)?")
_RANGE_SEP = re.compile(r"\s*(?:-|–|—|to|till|til|until|untill|thru|through|and|but\s+before)\s*")
_RANGE_PREFIX = re.compile(r"(?:from|between|later\s+than|in\s+between|starting)\s*$")
_AFTER = re.compile(
    r"(?<![a-z])(?:after|since|from|later\s+than|anytime\s+after|any\s+time\s+after|starting(?:\s+at|\s+from)?|beginning)\s*$"
)
_BEFORE = re.compile(
    r"(?<![a-z])(?:before|until|untill|till|til|through|thru|prior\s+to|earlier\s+than|no\s+later\s+than|up\s+to|"
    r"sometimes?\s+before|any\s*time\s+before)\s*$"
)
_BY = re.compile(r"(?<![a-z])(?:by)\s*$")


@dataclass
class Group:
    """Neighbouring atoms that form one time expression."""

    atoms: list[Atom] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.atoms[0].start

    @property
    def end(self) -> int:
        return self.atoms[-1].end

    @property
    def weak(self) -> bool:
        return all(a.weak for a in self.atoms)

    def first(self, name: str) -> object:
        for a in self.atoms:
            v = getattr(a, name)
            if v is not None:
                return v
        return None

    @property
    def day(self) -> date | None:
        return self.first("day")  # type: ignore[return-value]

    @property
    def part(self) -> str | None:
        return self.first("part")  # type: ignore[return-value]

    @property
    def clock(self) -> Clock | None:
        return self.first("clock")  # type: ignore[return-value]

    @property
    def whole(self) -> Resolved | None:
        return self.first("whole")  # type: ignore[return-value]


def select(atoms: list[Atom]) -> list[Atom]:
    """Non-overlapping atoms, longest (then strongest, then earliest) first; in text order."""
    chosen: list[Atom] = []
    taken: list[tuple[int, int]] = []
    for a in sorted(atoms, key=lambda a: (-a.length, a.weak, a.start)):
        if a.length <= 0:
            continue
        if any(a.start < e and s < a.end for s, e in taken):
            continue
        chosen.append(a)
        taken.append((a.start, a.end))
    chosen.sort(key=lambda a: a.start)
    return chosen


def _can_join(g: Group, a: Atom, gap: str) -> bool:
    if g.whole is not None or a.whole is not None:
        return False
    if (g.day is not None and a.day is not None) or (g.clock is not None and a.clock is not None):
        return False
    if g.part is not None and a.part is not None:
        return False
    if not _CONNECT.fullmatch(gap):
        return False
    if a.weak or g.weak:
        if g.weak and a.weak:
            return False
        if gap.strip(" ") not in ("", ","):
            # a bare number glues on with white space only ("9 tomorrow"), not "9 on friday"
            weak_clock = (a.weak and a.clock is not None) or (g.weak and g.clock is not None)
            if weak_clock:
                return False
        if a.weak and a.bare_day_number is not None and a.clock is None:
            return False
        if g.weak and g.atoms[0].bare_day_number is not None and g.clock is None:
            return False
    return True


def group(atoms: list[Atom], text: str) -> list[Group]:
    """Merge neighbouring compatible atoms ("friday" "at" "7am") into groups."""
    groups: list[Group] = []
    for a in atoms:
        if groups:
            g = groups[-1]
            gap = text[g.end : a.start]
            if _can_join(g, a, gap):
                g.atoms.append(a)
                continue
        groups.append(Group([a]))
    return groups


def hour24(clock: Clock, part: str | None) -> int:
    """Hour on a 24-hour clock: am/pm if said, else the part of day, else the contract rule
    (1-6 is pm, 7-11 is am, 12 is noon; 0 and 13-23 are already 24-hour)."""
    h = clock.hour
    if clock.ampm == "am":
        return 0 if h == 12 else h
    if clock.ampm == "pm":
        return h if h == 12 else h + 12
    if h == 0 or h > 12:
        return h
    if part in ("morning", "am"):
        return 0 if h == 12 else h
    if part in ("afternoon", "evening", "night", "lunch", "pm"):
        if h == 12:
            return 24 if part in ("evening", "night") else 12
        return h + 12
    return h + 12 if 1 <= h <= 6 else h


def _part_period(ctx: Context, day: date, part: str) -> tuple[datetime, datetime] | None:
    hours = ctx.parts.get(part)
    if hours is None:
        return None
    a, b = hours
    return cal.local(day, ctx.tz, a), (
        cal.local(day + timedelta(days=1), ctx.tz) if b == 24 else cal.local(day, ctx.tz, b)
    )


def _clock_point(ctx: Context, clock: Clock, day: date | None, part: str | None) -> datetime:
    h = hour24(clock, part)
    extra = 0
    if h == 24:
        h, extra = 0, 1
    if clock.tz_minutes is not None:
        zone = timezone(timedelta(minutes=clock.tz_minutes))
        d = day or ctx.today
        value = datetime(d.year, d.month, d.day, h, clock.minute, clock.second, tzinfo=zone).astimezone(
            ctx.tz
        )
        if day is None and ctx.direction == "future" and value <= ctx.now:
            value = cal.elapsed(value, timedelta(days=1))
        return value
    if day is None and part is not None and part not in ("am", "pm"):
        day = ctx.today
    if day is None:
        return cal.clock_near(ctx.now, h, clock.minute, clock.second, ctx.direction)
    return cal.wall(day + timedelta(days=extra), ctx.tz, h, clock.minute, clock.second)


def resolve_group(ctx: Context, g: Group) -> Resolved | None:
    """The contract's value of one group (point with a clock time, else period)."""
    if g.whole is not None:
        return g.whole
    clock, day, part = g.clock, g.day, g.part
    if clock is not None:
        return Resolved("point", value=_clock_point(ctx, clock, day, part), grain=clock.grain)
    if day is not None:
        if part is not None and part not in ("am", "pm"):
            p = _part_period(ctx, day, part)
            return Resolved("period", period=p, grain="hour") if p else None
        return Resolved("period", period=cal.day_range(day, ctx.tz), grain="day")
    if part is not None and part not in ("am", "pm"):
        p = _part_period(ctx, ctx.today, part)
        return Resolved("period", period=p, grain="hour") if p else None
    return None


def _end_of(res: Resolved) -> datetime:
    if res.period is not None and res.kind == "period":
        return res.period[1]
    return res.start


def _inherit(src: Group, dst: Group) -> Group:
    """Copy the day / am-pm / part a range end lacks from its other end."""
    extra: list[Atom] = []
    if dst.day is None and src.day is not None and dst.whole is None:
        extra.append(Atom(dst.start, dst.start, day=src.day))
    if dst.part is None and src.part is not None and dst.whole is None:
        extra.append(Atom(dst.start, dst.start, part=src.part))
    return Group([*dst.atoms, *extra]) if extra else dst


def resolve_range(ctx: Context, g1: Group, g2: Group) -> Resolved | None:
    """ "9:30 - 11:00 on Thursday", "3-4pm", "from 13 to 15 July", "July 13-15": [from, to)."""
    n1 = g1.atoms[0].bare_day_number if _only_number(g1) else None
    n2 = g2.atoms[0].bare_day_number if _only_number(g2) else None
    if (
        g2.day is not None
        and g2.clock is None
        and n1 is not None
        and "date" in g2.atoms[0].tags
        and "dom" not in g2.atoms[0].tags
    ):
        d2 = g2.day
        d1 = cal.valid_date(d2.year, d2.month, n1)
        if d1 is None or d1 > d2:
            return None
        return Resolved(
            "period", period=(cal.local(d1, ctx.tz), cal.local(d2 + timedelta(days=1), ctx.tz)), grain="day"
        )
    if (
        g1.day is not None
        and g1.clock is None
        and n2 is not None
        and "date" in g1.atoms[0].tags
        and "dom" not in g1.atoms[0].tags
    ):
        d1 = g1.day
        d2 = cal.valid_date(d1.year, d1.month, n2)
        if d2 is None or d2 < d1:
            return None
        return Resolved(
            "period", period=(cal.local(d1, ctx.tz), cal.local(d2 + timedelta(days=1), ctx.tz)), grain="day"
        )
    c1, c2 = g1.clock, g2.clock
    if c1 is not None and c2 is not None:
        g1 = _inherit(g2, g1)
        g2 = _inherit(g1, g2)
        if c1.ampm is None and c2.ampm is not None and g1.part is None:
            h1, h2 = c1.hour % 12, c2.hour % 12
            amp = c2.ampm if h1 <= h2 else ("am" if c2.ampm == "pm" else "pm")
            c1 = Clock(c1.hour, c1.minute, c1.second, amp, c1.grain, c1.tz_minutes)
            g1 = Group([*g1.atoms, Atom(g1.start, g1.start, clock=None)])
        day = g1.day
        p1 = _clock_point(ctx, c1, day, g1.part)
        if day is None:
            day = p1.date()
        p2 = _clock_point(ctx, c2, g2.day or day, g2.part)
        if p2 <= p1:
            p2 = cal.elapsed(p2, timedelta(days=1))
        grain = "minute" if "minute" in (c1.grain, c2.grain) or c1.grain == "second" else c1.grain
        return Resolved("period", period=(p1, p2), grain=grain)
    if g1.weak or g2.weak:
        return None
    r1, r2 = resolve_group(ctx, g1), resolve_group(ctx, g2)
    if r1 is None or r2 is None or r1.kind not in ("period", "point") or r2.kind not in ("period", "point"):
        return None
    start, end = r1.start, _end_of(r2)
    if end <= start:
        return None
    return Resolved("period", period=(start, end), grain=r1.grain)


def _same_shape(a: Group, b: Group) -> bool:
    """Range ends must match: two clock times (sharing at most one day) or two dates.
    "from tomorrow 7am to tomorrow 9am" and "from Tuesday to Wednesday at 6:30am" are moves."""
    if (a.clock is None) != (b.clock is None):
        return _only_number(a) or _only_number(b)
    if a.clock is not None:
        return not (a.day is not None and b.day is not None)
    return True


def _range_without_prefix(a: Group, b: Group) -> bool:
    """ "3 to 4pm", "July 13 to 15" are ranges; "friday at 3pm to monday at 10" is two times
    (a move), so "to" without "from"/"between" only joins clocks sharing a day, or dates."""
    if a.clock is not None and b.clock is not None:
        # "3 to 4pm" is a range; "8am to 11am" (both with am/pm) reads as a move
        return a.clock.ampm is None or b.weak
    if _date_and_number(a, b) or _date_and_number(b, a):
        return True
    return "date" in a.atoms[0].tags and "date" in b.atoms[0].tags and a.clock is None and b.clock is None


def _date_and_number(a: Group, b: Group) -> bool:
    """ "July 13 to 15", "23rd to 26th Oct": a date and a bare day number."""
    return a.day is not None and "date" in a.atoms[0].tags and _only_number(b)


def _only_number(g: Group) -> bool:
    return len(g.atoms) == 1 and g.atoms[0].bare_day_number is not None


@dataclass(frozen=True)
class Span:
    """A resolved mention over the normalised text (with its group, when it had one)."""

    start: int
    end: int
    res: Resolved
    group: Group | None = None


def _is_range(g: Group, g2: Group, sep: str, prefix: re.Match[str] | None) -> bool:
    """Do two neighbouring groups form one [from, to) range?"""
    if not _RANGE_SEP.fullmatch(sep) or (g.weak and g2.weak):
        return False
    if sep.strip() == "and" and prefix is None:
        return False
    if not _same_shape(g, g2):
        return False
    return prefix is not None or sep.strip() in ("-", "–", "—") or _range_without_prefix(g, g2)


def _range_span(ctx: Context, g: Group, g2: Group, text: str, out: list[Span]) -> Span | None:
    """The range g..g2 as a span; `group` is set when it took in the day said just before
    it ("Thursday from 9:30 to 11"), so the caller drops that day's own span."""
    prefix = _RANGE_PREFIX.search(text, 0, g.start)
    if not _is_range(g, g2, text[g.end : g2.start], prefix):
        return None
    res = resolve_range(ctx, g, g2)
    if res is None:
        return None
    start = prefix.start() if prefix else g.start
    if out and g.clock and g.day is None and g2.day is None:
        prev = out[-1]
        if (
            prev.end <= start
            and _CONNECT.fullmatch(text[prev.end : start])
            and prev.res.kind == "period"
            and prev.res.grain == "day"
            and prev.res.period is not None
        ):
            d = prev.res.period[0].date()
            with_day = resolve_range(
                ctx,
                Group([*g.atoms, Atom(g.start, g.start, day=d)]),
                Group([*g2.atoms, Atom(g2.start, g2.start, day=d)]),
            )
            if with_day is not None:
                return Span(prev.start, g2.end, with_day, Group(list(g.atoms)))
    return Span(start, g2.end, res)


def compose(atoms: list[Atom], text: str, ctx: Context) -> list[Span]:
    """Atoms to resolved, non-overlapping spans, in text order."""
    groups = group(select(atoms), text)
    out: list[Span] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        if i + 1 < len(groups):
            ranged = _range_span(ctx, g, groups[i + 1], text, out)
            if ranged is not None:
                if ranged.group is not None:  # it absorbed the day said before it
                    out.pop()
                    ranged = Span(ranged.start, ranged.end, ranged.res)
                out.append(ranged)
                i += 2
                continue
        if g.weak:
            i += 1
            continue
        res = resolve_group(ctx, g)
        if res is not None:
            start = g.start
            before = text[max(0, g.start - 24) : g.start]
            after_text = text[g.end : g.end + 8]
            opened, start = _open(ctx, res, before, start, after_text)
            out.append(Span(start, g.end, opened, g if opened is res else None))
        i += 1
    return _join_clock_and_day(out, text, ctx)


_SPLITTERS = re.compile(
    r"(?<![a-z])(?:to|from|till|til|until|instead|and|or|but|than|then|after|before|move|moved|moving|push|pushed|"
    r"reschedule|rescheduled|change|changed|swap|not|into)(?![a-z])|[-–—;.!?]"
)


def _join_clock_and_day(spans: list[Span], text: str, ctx: Context) -> list[Span]:
    """ "my 7am with Mike on Wednesday": a lone clock and a lone day a few words apart are
    one point on that day (unless words like "to"/"from" say they are two times)."""
    out: list[Span] = []
    for sp in spans:
        if out:
            prev = out[-1]
            joined = _joined(prev, sp, text, ctx)
            if joined is not None:
                out[-1] = joined
                continue
        out.append(sp)
    return out


def _joined(a: Span, b: Span, text: str, ctx: Context) -> Span | None:
    ga, gb = a.group, b.group
    if ga is None or gb is None or ga.whole is not None or gb.whole is not None:
        return None
    gap = text[a.end : b.start]
    if len(gap.split()) > 5 or _SPLITTERS.search(gap):
        return None
    clock_only = [g for g in (ga, gb) if g.clock is not None and g.day is None and g.part is None]
    day_only = [g for g in (ga, gb) if g.clock is None and g.day is not None and g.part is None]
    if len(clock_only) != 1 or len(day_only) != 1:
        return None
    merged = Group([*clock_only[0].atoms, *day_only[0].atoms])
    res = resolve_group(ctx, merged)
    if res is None:
        return None
    return Span(a.start, b.end, res, merged)


def _open(ctx: Context, res: Resolved, before: str, start: int, after_text: str = "") -> tuple[Resolved, int]:
    """ "after 5pm" / "before friday" / "by 2pm": open intervals bounded by the mention's start."""
    if res.kind != "point" and res.kind != "period":
        return res, start
    m = _AFTER.search(before)
    if (
        m is not None
        and m.group(0).startswith("from")
        and (res.kind != "point" or re.match(r"\s*(?:to|-)(?![a-z])", after_text))
    ):
        m = None
    if m is not None:
        b = res.start
        return Resolved("after", period=(b, b), grain=res.grain), start - (len(before) - m.start())
    m = _BEFORE.search(before)
    if m is not None:
        b = res.start
        return Resolved("before", period=(b, b), grain=res.grain), start - (len(before) - m.start())
    m = _BY.search(before)
    if m is not None:
        return Resolved(
            "period", period=(ctx.now.replace(microsecond=0), res.start), grain="second"
        ), start - (len(before) - m.start())
    return res, start
