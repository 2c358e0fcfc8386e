"""Dates of the common (mostly US and Christian) holidays, by year.

Studios close or run special classes on these days, so "no sessions on thanksgiving"
must resolve. Holidays on lunar, lunisolar and sidereal calendars (Jewish, Islamic,
Chinese, Hindu, Sikh, Buddhist) are computed in `nlu.time.lunar`, loaded only when such a
name is matched. `HOLIDAY_SPANS` holds the holidays that last several days (Ramadan,
Hanukkah ...), as [first day, day after the last).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

from nlu.time.lexicon import alternation

if TYPE_CHECKING:
    from types import ModuleType


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """n-th (1-based; -1 = last) given weekday of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _fixed(month: int, day: int) -> Callable[[int], date]:
    return lambda y: date(y, month, day)


def _easter(offset: int, method: int = EASTER_WESTERN) -> Callable[[int], date]:
    return lambda y: easter(y, method) + timedelta(days=offset)


HOLIDAYS: dict[str, Callable[[int], date]] = {
    "christmas": _fixed(12, 25),
    "christmas day": _fixed(12, 25),
    "xmas": _fixed(12, 25),
    "x-mas": _fixed(12, 25),
    "christmas eve": _fixed(12, 24),
    "new year's eve": _fixed(12, 31),
    "new years eve": _fixed(12, 31),
    "nye": _fixed(12, 31),
    "new year's day": _fixed(1, 1),
    "new years day": _fixed(1, 1),
    "new year's": _fixed(1, 1),
    "valentine's day": _fixed(2, 14),
    "valentines day": _fixed(2, 14),
    "valentine day": _fixed(2, 14),
    "valentines": _fixed(2, 14),
    "halloween": _fixed(10, 31),
    "independence day": _fixed(7, 4),
    "st patrick's day": _fixed(3, 17),
    "st patricks day": _fixed(3, 17),
    "saint patrick's day": _fixed(3, 17),
    "saint patricks day": _fixed(3, 17),
    "st paddy's day": _fixed(3, 17),
    "saint paddy's day": _fixed(3, 17),
    "world vegan day": _fixed(11, 1),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "black friday": lambda y: _nth_weekday(y, 11, 3, 4) + timedelta(days=1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "labour day": lambda y: _nth_weekday(y, 9, 0, 1),
    "mother's day": lambda y: _nth_weekday(y, 5, 6, 2),
    "mothers day": lambda y: _nth_weekday(y, 5, 6, 2),
    "father's day": lambda y: _nth_weekday(y, 6, 6, 3),
    "fathers day": lambda y: _nth_weekday(y, 6, 6, 3),
    "mlk day": lambda y: _nth_weekday(y, 1, 0, 3),
    "mlk jr. day": lambda y: _nth_weekday(y, 1, 0, 3),
    "mlk jr day": lambda y: _nth_weekday(y, 1, 0, 3),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "martin luther king's day": lambda y: _nth_weekday(y, 1, 0, 3),
    "martin luther kings day": lambda y: _nth_weekday(y, 1, 0, 3),
    "martin luther king jr. day": lambda y: _nth_weekday(y, 1, 0, 3),
    "civil rights day": lambda y: _nth_weekday(y, 1, 0, 3),
    "presidents day": lambda y: _nth_weekday(y, 2, 0, 3),
    "presidents' day": lambda y: _nth_weekday(y, 2, 0, 3),
    "boss's day": lambda y: _boss_day(y),
    "bosses day": lambda y: _boss_day(y),
    "boss day": lambda y: _boss_day(y),
    "boss's": lambda y: _boss_day(y),
    "easter": _easter(0),
    "easter sunday": _easter(0),
    "easter mon": _easter(1),
    "easter monday": _easter(1),
    "good friday": _easter(-2),
    "maundy thursday": _easter(-3),
    "covenant thu": _easter(-3),
    "thu of mysteries": _easter(-3),
    "palm sunday": _easter(-7),
    "branch sunday": _easter(-7),
    "ash wednesday": _easter(-46),
    "mardi gras": _easter(-47),
    "pancake day": _easter(-47),
    "shrove tuesday": _easter(-47),
    "pentecost": _easter(49),
    "white sunday": _easter(49),
    "whit sunday": _easter(49),
    "whit monday": _easter(50),
    "monday of the holy spirit": _easter(50),
    "trinity sunday": _easter(56),
    "ascension day": _easter(39),
    "orthodox easter": _easter(0, EASTER_ORTHODOX),
    "orthodox good friday": _easter(-2, EASTER_ORTHODOX),
    "orthodox great friday": _easter(-2, EASTER_ORTHODOX),
    "clean monday": _easter(-48, EASTER_ORTHODOX),
    "orthodox shrove monday": _easter(-48, EASTER_ORTHODOX),
    "lazarus saturday": _easter(-8, EASTER_ORTHODOX),
}


def _boss_day(year: int) -> date:
    """Oct 16, or the nearest weekday before it when it falls on a weekend."""
    d = date(year, 10, 16)
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d - timedelta(days=2)
    return d


def _lunar() -> ModuleType:
    from nlu.time import lunar

    return lunar


def _heb(month: int, day: int) -> Callable[[int], date]:
    return lambda y: _lunar().hebrew_day(y, month, day)


def _isl(month: int, day: int) -> Callable[[int], date | None]:
    return lambda y: _lunar().islamic_day(y, month, day)


def _hindu(month: int, tithi: int, hour: str = "SUNRISE", shift: int = 0) -> Callable[[int], date | None]:
    def fn(y: int) -> date | None:
        lu = _lunar()
        d = lu.hindu_day(y, month, tithi, getattr(lu, hour))
        return d + timedelta(days=shift) if d is not None else None

    return fn


def _sankranti(sign: int, month: int, shift: int = 0) -> Callable[[int], date]:
    return lambda y: _lunar().sankranti(y, sign, month) + timedelta(days=shift)


def _kings_day(year: int) -> date:
    """27 April, or the 26th when the 27th is a Sunday (Queen's Day, 30 April, before 2014)."""
    if year < 2014:
        d = date(year, 4, 30)
        return d - timedelta(days=1) if d.weekday() == 6 else d
    d = date(year, 4, 27)
    return d - timedelta(days=1) if d.weekday() == 6 else d


def _parsi_new_year(year: int) -> date:
    """Navroz of the Shahenshahi calendar: its years are exactly 365 days long (no leap
    day), so the day drifts back one day every four Gregorian years; 1 Farvardin of YZ 1387
    was 2017-08-17."""
    d = date(2017, 8, 17) + timedelta(days=365 * (year - 2017))
    while d.year < year:
        d += timedelta(days=365)
    while d.year > year:
        d -= timedelta(days=365)
    return d


# Hebrew months: Nisan 1 ... Elul 6, Tishrei 7, Heshvan 8, Kislev 9, Tevet 10, Shevat 11, Adar 12
# Islamic months: Muharram 1 ... Rajab 7, Sha'ban 8, Ramadan 9, Shawwal 10, Dhu al-Hijjah 12
# Hindu (amanta) months: Chaitra 1, Vaishakha 2, Jyeshtha 3, Ashadha 4, Shravana 5,
# Bhadrapada 6, Ashvin 7, Kartika 8, Margashirsha 9, Pausha 10, Magha 11, Phalguna 12;
# tithis 1-15 waxing, 16-30 waning (30 = new moon)
_MORE: dict[str, Callable[[int], date | None]] = {}
for _names, _fn in [
    # Jewish (the day on whose evening the holiday begins)
    ("yom kippur", _heb(7, 10)),
    ("shemini atzeret", _heb(7, 22)),
    ("simchat torah|simhat torah|simchas torah", _heb(7, 23)),
    ("tisha b'av|tisha bav|tisha be'av|tisha b av", lambda y: _lunar()._tisha_bav(y)),
    (
        "yom haatzmaut|yom ha'atzmaut|yom ha-atzmaut|israel independence day",
        lambda y: _lunar()._yom_haatzmaut(y),
    ),
    ("lag b'omer|lag baomer|lag ba'omer|lag bomer|lag b omer", _heb(2, 18)),
    (
        "yom hashoah|yom ha'shoah|yom hashoa|holocaust day|holocaust remembrance day",
        lambda y: _lunar()._yom_hashoah(y),
    ),
    ("tu bishvat|tu b'shvat|tu bshvat|tu b'shevat|tu bishevat|tu b shvat", _heb(11, 15)),
    ("purim", _heb(12, 14)),
    ("shushan purim", _heb(12, 15)),
    # Islamic (Umm al-Qura)
    (
        "eid al-fitr|eid al fitr|eid ul-fitr|eid ul fitr|id ul-fitr|eid-ul-fitr|eid alfitr|ramadan bayram",
        _isl(10, 1),
    ),
    (
        "eid al-adha|eid al adha|eid ul-adha|eid ul adha|id ul-adha|id ul adha|eid-ul-adha|sacrifice feast"
        "|feast of sacrifice|bakr id|bakrid|bakri id|kurban bayram|qurban bayram",
        _isl(12, 10),
    ),
    (
        "mawlid|mawlid al-nabawi|mawlid al nabawi|mawlid an-nabi|mawlid al-nabi|milad un nabi|prophet's birthday",
        _isl(3, 12),
    ),
    (
        "laylat al-qadr|laylat al qadr|laylat al kadr|laylat al-kadr|lailat al-qadr|night of power|night of measures|night of decree",
        _isl(9, 27),
    ),
    (
        "islamic new year|hijri new year|arabic new year|amun jadid|ras as-sana al-hijriya",
        _isl(1, 1),
    ),
    ("day of ashura|ashura", _isl(1, 10)),
    (
        "jamat ul-vida|jamat ul vida|jumu'atul-wida|jumuatul wida|jumu'atul wida|jamaat ul vida|jumma tul wida",
        lambda y: _lunar()._jumuatul_wida(y),
    ),
    (
        "isra and mi'raj|isra and miraj|isra mi'raj|isra miraj|the prophet's ascension|prophet's ascension|the night journey|night journey|ascension to heaven",
        _isl(7, 27),
    ),
    # Chinese
    (
        "chinese new year|chinese new years|chinese new year's day|chinese lunar new year|chinese lunar new year's day"
        "|lunar new year|lunar new year's day|spring festival",
        lambda y: _lunar().chinese_new_year(y),
    ),
    # Hindu, Sikh, Jain, Buddhist
    ("ugadi|yugadi|samvatsaradi|chaitra sukladi|chaitra sukhladi|gudi padwa", _hindu(1, 1)),
    ("rama navami|ram navami|ramnavami", _hindu(1, 9, "MIDDAY")),
    ("mahavir jayanti|mahaveer jayanti|mahavir janma kalyanak|mahaveer janma kalyanak", _hindu(1, 13)),
    ("vesak|vaisakha|buddha day|buddha purnima|buddha jayanti|wesak", _hindu(2, 15, "EVENING")),
    ("ratha-yatra|ratha yatra|rath yatra|rathyatra", _hindu(4, 2)),
    ("rakhi|raksha bandhan|rakshabandhan", _hindu(5, 15)),
    ("krishna janmashtami|janmashtami|gokulashtami|krishnashtami", _hindu(5, 23, "MIDNIGHT")),
    ("ganesh chaturthi|ganesha chaturthi|vinayaka chaturthi|vinayaka chavithi", _hindu(6, 4, "MIDDAY")),
    ("maha saptami|durga saptami", _hindu(7, 7)),
    ("dussehra|dasara|dussera|dasera|vijayadashami|vijaya dashami", _hindu(7, 10, "EVENING")),
    ("valmiki jayanti|maharishi valmiki jayanti|pargat diwas", _hindu(7, 15)),
    ("karva chauth|karwa chauth|karvachauth", _hindu(7, 19, "MOONRISE")),
    ("dhanteras|dhanatrayodashi|dhan trayodashi", _hindu(7, 28, "EVENING")),
    (
        "kali chaudas|choti diwali|chhoti diwali|naraka chaturdashi|narak chaturdashi",
        _hindu(7, 29, "EVENING"),
    ),
    ("diwali|deepavali|dipavali|divali|lakshmi puja|laxmi puja", _hindu(7, 30, "EVENING")),
    ("bhai dooj|bhaiya dooj|bhau beej|bhai tika|bhai phonta", _hindu(8, 2, "AFTERNOON")),
    ("chhath|chhath puja|chhathi|dala puja|dala chhath|surya shashthi|surya sashti", _hindu(8, 6)),
    (
        "guru gobind singh jayanti|guru govind singh jayanti|guru gobind singh birthday|guru govind singh birthday",
        _hindu(10, 7),
    ),
    ("vasant panchami|basant panchami|saraswati puja", _hindu(11, 5)),
    (
        "guru ravidas jayanti|guru ravidass jayanti|guru ravidas birthday|guru ravidass birthday"
        "|ravidas jayanti|ravidass jayanti",
        _hindu(11, 15),
    ),
    (
        "maha shivaratri|maha shivratri|mahashivratri|mahashivaratri|shivaratri|shivratri",
        _hindu(11, 29, "MIDNIGHT"),
    ),
    ("holika dahan|chhoti holi|choti holi|kamudu pyre|holika", _hindu(12, 15, "EVENING")),
    ("holi|dhulandi|dhuleti|phagwah|rangwali holi", _hindu(12, 15, "EVENING", 1)),
    ("onam|thiru onam|thiruvonam|thiruonam", lambda y: _lunar().onam(y)),
    (
        "makar sankranti|makara sankranti|makar sankranthi|makara sankranthi|pongal|thai pongal|maghi|sankranti",
        _sankranti(9, 1),
    ),
    ("bogi pandigai|bhogi pandigai|bhogi|bogi|lohri", _sankranti(9, 1, -1)),
    ("maattu pongal|mattu pongal", _sankranti(9, 1, 1)),
    ("kaanum pongal|kanum pongal|kanni pongal", _sankranti(9, 1, 2)),
    ("vaisakhi|baisakhi|vasakhi|vaishakhi|vaisakhi day", _sankranti(0, 4)),
    ("rabindra jayanti|rabindranath jayanti|rabindranath tagore jayanti", _sankranti(0, 4, 25)),
    ("parsi new year|jamshedi navroz|jamshedi navruz|navroz|nowruz parsi", _parsi_new_year),
    # civil
    ("koningsdag|king's day|kings day|koninginnedag|queen's day", _kings_day),
]:
    for _n in _names.split("|"):
        _MORE[_n] = _fn
HOLIDAYS.update(_MORE)  # type: ignore[arg-type]


def _span(
    first: Callable[[int], date | None], days: int | Callable[[int], int]
) -> Callable[[int], tuple[date, date] | None]:
    def fn(y: int) -> tuple[date, date] | None:
        d = first(y)
        if d is None:
            return None
        n = days(y) if callable(days) else days
        return d, d + timedelta(days=n)

    return fn


def _ramadan(y: int) -> tuple[date, date] | None:
    lu = _lunar()
    start = lu.islamic_day(y, 9, 1)
    if start is None:
        return None
    end = lu.islamic_day(start.year, 10, 1) or lu.islamic_day(start.year + 1, 10, 1)
    return (start, end) if end is not None else None


def _lent(y: int) -> tuple[date, date]:
    """Ash Wednesday to Easter Sunday (exclusive)."""
    e = easter(y, EASTER_WESTERN)
    return e - timedelta(days=46), e


def _great_lent(y: int) -> tuple[date, date]:
    """Clean Monday to Lazarus Saturday (exclusive)."""
    e = easter(y, EASTER_ORTHODOX)
    return e - timedelta(days=48), e - timedelta(days=8)


#: multi-day holidays: name -> [first day, day after the last); Jewish ones from their eve
HOLIDAY_SPANS: dict[str, Callable[[int], tuple[date, date] | None]] = {}
for _names, _sfn in [
    ("rosh hashanah|rosh hashana|rosh hashanna|rosh ha-shana|rosh hashona", _span(_heb(7, 1), 3)),
    (
        "hanukkah|chanukah|hanukah|hannukkah|hannukah|chanukkah|channukah|chanuka|hanuka",
        _span(_heb(9, 25), 8),
    ),
    ("passover|pesach|pessach", _span(_heb(1, 15), 9)),
    (
        "sukkot|succos|sukkos|succot|feast of tabernacles|feast of booths|feast of the ingathering",
        _span(_heb(7, 15), 9),
    ),
    ("shavuot|shavuos|shavuoth|feast of weeks", _span(_heb(3, 6), 3)),
    ("ramadan|ramadhan|ramazan", _ramadan),
    (
        "navaratri|navratri|navarathri|durga puja|durgotsava|sharad navratri",
        _span(_hindu(7, 10, "EVENING", -9), 10),
    ),
    ("lent", _lent),
    ("great lent|great fast", _great_lent),
]:
    for _n in _names.split("|"):
        HOLIDAY_SPANS[_n] = _sfn


@lru_cache(maxsize=2048)
def holiday_span(name: str, year: int) -> tuple[date, date] | None:
    """[first day, day after the last) of a multi-day holiday in `year`."""
    fn = HOLIDAY_SPANS.get(name) or HOLIDAY_SPANS.get(_canon(name, HOLIDAY_SPANS))  # type: ignore[arg-type]
    if fn is None:
        return None
    try:
        return fn(year)
    except (ValueError, OverflowError):
        return None


def _canon(name: str, table: dict[str, object]) -> str:
    """The key of `table` that `name` spells, apostrophes, hyphens and spaces aside."""
    return _keys(id(table), tuple(table)).get(_squash(name), name)


def _squash(name: str) -> str:
    return re.sub(r"[\s'\-]+", "", name)


@lru_cache(maxsize=4)
def _keys(_table_id: int, keys: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k in keys:
        out.setdefault(_squash(k), k)
    return out


HOLIDAY = (
    rf"(?:{alternation(list(HOLIDAYS) + list(HOLIDAY_SPANS))})".replace(".", r"\.")
    .replace("'", "'?")
    .replace("-", "[- ]?")
)


@lru_cache(maxsize=4096)
def holiday_date(name: str, year: int) -> date | None:
    """Date of a holiday (name as in HOLIDAYS, apostrophes optional) in `year`."""
    fn = HOLIDAYS.get(name)
    if fn is None:
        fn = HOLIDAYS.get(_with_apostrophe(name))
    if fn is None:
        return None
    try:
        return fn(year)
    except (ValueError, OverflowError):
        return None


def _with_apostrophe(name: str) -> str:
    return _canon(name, HOLIDAYS)  # type: ignore[arg-type]
