"""Word tables and regex fragments for time expressions (English, typed or spoken).

Common typos of weekdays and months are listed here so that the recognisers stay plain
regexes; all fragments expect the lower-cased, digit-normalised text of `nlu.numbers`.
"""

from __future__ import annotations

WEEKDAYS: dict[str, int] = {}
for _idx, _forms in enumerate(
    [
        "monday mon mondays munday monady",
        "tuesday tue tues tuesdays tuseday tueday teusday",
        "wednesday wed weds wednesdays wendsday wensday wednsday wedensday wedsday",
        "thursday thu thur thurs thursdays thrusday thursay thurday",
        "friday fri fridays firday fryday friady",
        "saturday sat saturdays saterday satruday saturady",
        "sunday sun sundays sundy",
    ]
):
    for _w in _forms.split():
        WEEKDAYS[_w] = _idx

MONTHS: dict[str, int] = {}
for _idx, _forms in enumerate(
    [
        "january jan janurary januray",
        "february feb febuary febr",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sep sept septmber",
        "october oct ocotber",
        "november nov novmber",
        "december dec decmber",
    ],
    start=1,
):
    for _w in _forms.split():
        MONTHS[_w] = _idx


def alternation(words: object) -> str:
    """Regex alternation of words, longest first so that 'sept' wins over 'sep'."""
    return "|".join(sorted((str(w) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


WD = rf"(?:{alternation(WEEKDAYS)})\.?"
MON = rf"(?:{alternation(MONTHS)})\.?"
#: word boundaries that also work next to digits and punctuation
B = r"(?<![a-z0-9])"
E = r"(?![a-z0-9])"
ORD = r"(?:st|nd|rd|th)"
AMPM = r"(?:\s*(?P<ap>[ap])\.?m\.?(?![a-z])|\s*(?P<ap2>[ap])(?![a-z0-9])(?!\s*-))"

#: parts of the day: contract hours, and Duckling's for the benchmark option
DAY_PARTS: dict[str, dict[str, tuple[int, int]]] = {
    "contract": {
        "morning": (5, 12),
        "afternoon": (12, 17),
        "evening": (17, 22),
        "night": (17, 22),
        "lunch": (12, 14),
    },
    "duckling": {
        "morning": (0, 12),
        "afternoon": (12, 19),
        "evening": (18, 24),
        "night": (18, 24),
        "lunch": (12, 14),
    },
}
PART_WORDS: dict[str, str] = {
    "morning": "morning",
    "mornin": "morning",
    "morn": "morning",
    "mroning": "morning",
    "morining": "morning",
    "afternoon": "afternoon",
    "afternoonish": "afternoon",
    "aftenoon": "afternoon",
    "arvo": "afternoon",
    "evening": "evening",
    "eve": "evening",
    "evenin": "evening",
    "night": "night",
    "nite": "night",
    "lunch": "lunch",
    "lunchtime": "lunch",
    "lunch time": "lunch",
}
PART = rf"(?:{alternation(PART_WORDS)})"

UNIT_WORDS: dict[str, str] = {
    "second": "second",
    "seconds": "second",
    "sec": "second",
    "secs": "second",
    '"': "second",
    "minute": "minute",
    "minutes": "minute",
    "min": "minute",
    "mins": "minute",
    "mn": "minute",
    "'": "minute",
    "hour": "hour",
    "hours": "hour",
    "hr": "hour",
    "hrs": "hour",
    "h": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "month": "month",
    "months": "month",
    "mo": "month",
    "mos": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
    "yrs": "year",
    "quarter": "quarter",
    "quarters": "quarter",
    "qtr": "quarter",
    "qtrs": "quarter",
}
UNIT = "(?:" + alternation(w for w in UNIT_WORDS if w.isalpha()) + ")"
#: an amount: digits, decimals, fractions and the usual words for small amounts
AMOUNT = r"(?:\d+(?:\.\d+)?|\d+/\d+|an?|one|a couple(?: of)?|couple(?: of)?|a pair of|a few|few|several)"

#: time-zone abbreviations Duckling's corpus uses, in minutes east of UTC
TZ_OFFSETS: dict[str, int] = {
    "gmt": 0,
    "utc": 0,
    "cet": 60,
    "bst": 60,
    "ist": 330,
    "est": -300,
    "edt": -240,
    "cst": -360,
    "cdt": -300,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
}
TZ = rf"(?:\s*\(?(?P<tz>{alternation(TZ_OFFSETS)})\)?{E})?"


def amount_value(text: str) -> float | None:
    """Numeric value of an AMOUNT match ("a couple of" -> 2, "1/2" -> 0.5)."""
    t = text.strip()
    if t in ("a", "an", "one"):
        return 1.0
    if "couple" in t or "pair" in t:
        return 2.0
    if "few" in t or "several" in t:
        return 3.0
    if "/" in t:
        num, den = t.split("/", 1)
        return int(num) / int(den) if int(den) else None
    try:
        return float(t)
    except ValueError:
        return None
