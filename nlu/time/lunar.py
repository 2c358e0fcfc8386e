"""Holidays on lunar, lunisolar and sidereal-solar calendars, computed for any year.

* Hebrew: the fixed arithmetic calendar (Dershowitz & Reingold), no package needed.
* Islamic: the Umm al-Qura calendar through `hijridate` (AH 1343-1500, i.e. 1924-2077).
* Chinese and Hindu: from the positions of the Sun and Moon, through `ephem`: Chinese
  months begin on the new moon (Beijing time); Hindu (amanta) months begin on the new moon
  and are named by the sidereal sign (Lahiri ayanamsa) the Sun is in at that moon; a
  festival falls on the day whose tithi (lunar day) is the festival's at the hour the rite
  is held (sunrise, midday, evening, midnight), in Indian time.

Jewish holidays are given, as most Gregorian calendars list them, by the day on whose
evening they begin (the Hebrew day starts at sunset): Yom Kippur 2018 is 2018-09-18.

Imports of the packages are lazy and every result is cached, so only a message that names
such a holiday pays for them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

# ---------------------------------------------------------------- Hebrew

_HEBREW_EPOCH = -1373427  # R.D. (= date.toordinal) of 1 Tishrei AM 1
NISAN, IYYAR, SIVAN, TAMMUZ, AV, ELUL = 1, 2, 3, 4, 5, 6
TISHREI, HESHVAN, KISLEV, TEVET, SHEVAT, ADAR, ADAR_II = 7, 8, 9, 10, 11, 12, 13


def _hebrew_leap(y: int) -> bool:
    return (7 * y + 1) % 19 < 7


def _hebrew_elapsed(y: int) -> int:
    months = (235 * y - 234) // 19
    parts = 12084 + 13753 * months
    days = 29 * months + parts // 25920
    return days + 1 if (3 * (days + 1)) % 7 < 3 else days


@lru_cache(maxsize=512)
def _hebrew_new_year(y: int) -> int:
    ny0, ny1, ny2 = _hebrew_elapsed(y - 1), _hebrew_elapsed(y), _hebrew_elapsed(y + 1)
    corr = 2 if ny2 - ny1 == 356 else 1 if ny1 - ny0 == 382 else 0
    return _HEBREW_EPOCH + ny1 + corr


def _hebrew_month_days(y: int, m: int) -> int:
    length = _hebrew_new_year(y + 1) - _hebrew_new_year(y)
    if m in (IYYAR, TAMMUZ, ELUL, TEVET, ADAR_II):
        return 29
    if m == ADAR and not _hebrew_leap(y):
        return 29
    if m == HESHVAN and length % 10 != 5:  # long Heshvan only in 355/385-day years
        return 29
    if m == KISLEV and length % 10 == 3:  # short Kislev in 353/383-day years
        return 29
    return 30


def hebrew_to_gregorian(y: int, m: int, d: int) -> date:
    """Gregorian date of day d of month m (Nisan = 1 ... Adar II = 13) of Hebrew year y."""
    last = 13 if _hebrew_leap(y) else 12
    if m < TISHREI:
        months = list(range(TISHREI, last + 1)) + list(range(NISAN, m))
    else:
        months = list(range(TISHREI, m))
    return date.fromordinal(_hebrew_new_year(y) + sum(_hebrew_month_days(y, mm) for mm in months) + d - 1)


def _adar(hy: int) -> int:
    """The Adar of Purim: Adar II in a leap year."""
    return ADAR_II if _hebrew_leap(hy) else ADAR


def hebrew_day(gy: int, month: int, day: int, *, eve: bool = True) -> date:
    """A Hebrew date in Gregorian year gy (Tishrei-Kislev in the autumn; the rest in the
    Hebrew year that began the autumn before), or its eve unless eve=False."""
    hy = gy + 3761 if month in (TISHREI, HESHVAN, KISLEV) else gy + 3760
    m = _adar(hy) if month == ADAR else month
    d = hebrew_to_gregorian(hy, m, day)
    return d - timedelta(days=1) if eve else d


def _yom_haatzmaut(gy: int) -> date:
    """5 Iyyar, moved off Friday/Saturday to Thursday and off Monday to Tuesday; eve."""
    d = hebrew_to_gregorian(gy + 3760, IYYAR, 5)
    shift = {4: -1, 5: -2, 0: 1}.get(d.weekday(), 0)
    return d + timedelta(days=shift - 1)


def _yom_hashoah(gy: int) -> date:
    """27 Nisan, moved off Friday to Thursday, off Sunday to Monday; eve."""
    d = hebrew_to_gregorian(gy + 3760, NISAN, 27)
    shift = {4: -1, 6: 1}.get(d.weekday(), 0)
    return d + timedelta(days=shift - 1)


def _tisha_bav(gy: int) -> date:
    """9 Av, or 10 Av when the 9th is a Sabbath; eve."""
    d = hebrew_to_gregorian(gy + 3760, AV, 9)
    if d.weekday() == 5:
        d += timedelta(days=1)
    return d - timedelta(days=1)


# ---------------------------------------------------------------- Islamic


@lru_cache(maxsize=512)
def hijri_to_gregorian(hy: int, m: int, d: int) -> date | None:
    from hijridate import Hijri

    try:
        g = Hijri(hy, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


def islamic_day(gy: int, month: int, day: int) -> date | None:
    """The first occurrence in Gregorian year gy of day/month of the Hijri calendar."""
    hy = round((gy - 622) * 33 / 32) - 1
    for k in range(hy - 1, hy + 3):
        d = hijri_to_gregorian(k, month, day)
        if d is not None and d.year == gy:
            return d
    return None


def _jumuatul_wida(gy: int) -> date | None:
    """The last Friday of Ramadan."""
    eid = islamic_day(gy, 10, 1)
    if eid is None:
        return None
    last = eid - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 4) % 7)


# ---------------------------------------------------------------- astronomy

_IST = timedelta(hours=5, minutes=30)
_CST = timedelta(hours=8)


def _ephem():  # type: ignore[no-untyped-def]
    import ephem

    return ephem


def _to_dt(d: object) -> datetime:
    return _ephem().Date(d).datetime()  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def _new_moons(gy: int) -> tuple[datetime, ...]:
    """New moons (UTC) from late in gy-1 to early gy+1."""
    e = _ephem()
    out = []
    t = e.Date(datetime(gy - 1, 11, 15))
    end = datetime(gy + 1, 2, 15)
    while True:
        t = e.next_new_moon(t)
        if t.datetime() > end:
            return tuple(out)
        out.append(t.datetime())
        t = e.Date(t + 1)


def _longitudes(t: datetime) -> tuple[float, float]:
    """Apparent geocentric ecliptic longitudes of Sun and Moon (degrees, of date)."""
    e = _ephem()
    import math

    sun = e.Ecliptic(e.Sun(t), epoch=t).lon
    moon = e.Ecliptic(e.Moon(t), epoch=t).lon
    return math.degrees(sun), math.degrees(moon)


def _ayanamsa(t: datetime) -> float:
    """Lahiri ayanamsa in degrees (linear precession from J2000)."""
    years = (t - datetime(2000, 1, 1, 12)).total_seconds() / (365.25 * 86400)
    return 23.85306 + years * 50.2788 / 3600


def _sidereal_sun(t: datetime) -> float:
    return (_longitudes(t)[0] - _ayanamsa(t)) % 360


def _tithi(t: datetime) -> int:
    """Lunar day 1..30 at UTC instant t (1-15 waxing, 30 = new moon day)."""
    sun, moon = _longitudes(t)
    return int(((moon - sun) % 360) // 12) + 1


def _sun_enters(gy: int, sign: int, month: int) -> datetime:
    """UTC instant in gy when the sidereal Sun enters `sign` (0 = Aries), near `month`."""
    target = sign * 30.0
    lo = datetime(gy, month, 1) - timedelta(days=20)
    hi = lo + timedelta(days=50)
    for _ in range(40):  # bisection on the angle past the target
        mid = lo + (hi - lo) / 2
        if (_sidereal_sun(mid) - target + 180) % 360 - 180 < 0:
            lo = mid
        else:
            hi = mid
    return lo


@lru_cache(maxsize=128)
def sankranti(gy: int, sign: int, month: int) -> date:
    """Day (Indian time) the sidereal Sun enters `sign`; the next day if after sunset."""
    t = _sun_enters(gy, sign, month) + _IST
    return t.date() + timedelta(days=1) if t.hour + t.minute / 60 >= 18 else t.date()


@lru_cache(maxsize=64)
def chinese_new_year(gy: int) -> date:
    """First day of the Chinese year beginning in gy: the new moon (Beijing time) after
    month 11 (the one holding the winter solstice) and month 12, skipping a leap month."""
    e = _ephem()
    moons = [m for m in _new_moons(gy - 1) if m < datetime(gy - 1, 11, 15)] + list(_new_moons(gy))
    days = [(m + _CST).date() for m in moons]

    def month_11(y: int) -> int:
        sol = (e.previous_solstice(e.Date(datetime(y, 12, 31))).datetime() + _CST).date()
        return max(i for i, d in enumerate(days) if d <= sol)

    def sun_at(d: date) -> float:
        return _longitudes(datetime(d.year, d.month, d.day) - _CST)[0]

    def has_term(i: int) -> bool:  # a principal term (Sun at a multiple of 30°) that month
        return int(sun_at(days[i]) // 30) != int(sun_at(days[i + 1]) // 30)

    i11 = month_11(gy - 1)
    leap_sui = month_11(gy) - i11 == 13
    # in a 13-month year the first month without a principal term is the leap month
    skip = leap_sui and (not has_term(i11 + 1) or not has_term(i11 + 2))
    return days[i11 + 2 + skip]


# ---------------------------------------------------------------- Hindu (amanta months)

CHAITRA, VAISHAKHA, JYESHTHA, ASHADHA, SHRAVANA, BHADRAPADA = 1, 2, 3, 4, 5, 6
ASHVIN, KARTIKA, MARGASHIRSHA, PAUSHA, MAGHA, PHALGUNA = 7, 8, 9, 10, 11, 12

#: hour of the day (Indian time) at which a festival's tithi must prevail
SUNRISE, MIDDAY, AFTERNOON, EVENING, MOONRISE, MIDNIGHT = 6.0, 12.0, 15.0, 19.5, 21.0, 24.0


@lru_cache(maxsize=64)
def _hindu_months(gy: int) -> tuple[tuple[int, bool, datetime], ...]:
    """(month 1-12, is_leap, starting new moon UTC) for the months around Gregorian gy."""
    moons = _new_moons(gy)
    signs = [int(_sidereal_sun(m) // 30) for m in moons]
    out = []
    for i, (m, s) in enumerate(zip(moons, signs, strict=True)):
        leap = i + 1 < len(signs) and signs[i + 1] == s
        out.append(((s + 1) % 12 + 1, leap, m))
    return tuple(out)


@lru_cache(maxsize=512)
def hindu_day(gy: int, month: int, tithi: int, hour: float = SUNRISE) -> date | None:
    """Day in gy of `tithi` (1-30) of amanta `month`, the tithi prevailing at `hour` IST."""
    for mo, leap, start in _hindu_months(gy):
        if mo != month or leap:
            continue
        first = (start + _IST).date() + timedelta(days=tithi - 3)
        found = None
        for k in range(5):
            d = first + timedelta(days=k)
            at = datetime(d.year, d.month, d.day) + timedelta(hours=hour) - _IST
            t = _tithi(at)
            if t == tithi:
                found = d
                break
            if found is None and (t - tithi) % 30 == 1:  # the tithi was skipped (kshaya)
                found = d
                break
        if found is not None and found.year == gy:
            return found
    return None


def onam(gy: int) -> date | None:
    """Thiruvonam: the day of solar Chingam (sidereal Sun in Leo) whose forenoon (six nazhika,
    about 2 h 24 min, after sunrise) has the Moon in Shravana (Thiruvonam), 280°-293°20'."""
    d = sankranti(gy, 4, 8)
    for k in range(32):
        day = d + timedelta(days=k)
        at = datetime(day.year, day.month, day.day, 8, 30) - _IST
        moon = (_longitudes(at)[1] - _ayanamsa(at)) % 360
        if 280.0 <= moon < 280.0 + 40.0 / 3:
            return day
    return None
