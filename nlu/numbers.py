"""Spoken-number normalisation that keeps a map back to the original text.

Speech recognisers write numbers as words ("three thirty p m", "forty five minutes");
people type them in any case. The time resolver and the parser want digits, but must
report offsets into the text the user actually sent, so `normalise` returns the rewritten
text together with, for every rewritten character, the span of original text it came from.

Rewrites (all lower case):
  * number words to digits: "forty five" -> "45", "two thousand ten" -> "2010";
  * ordinal words to digit ordinals: "twenty first" -> "21st", "third" -> "3rd";
  * spoken clock times: "three thirty p m" -> "3:30 pm", "twelve oh three" -> "12:03",
    "nine fifty nine a m" -> "9:59 am" (a bare pair of numbers only becomes a clock time
    when the minutes are :15/:30/:45/oh-N, or an am/pm or a preceding "at" says so);
  * "a m"/"a.m."/"p m"/"p.m." -> "am"/"pm".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Inputs are cut here before any regex work, so pathological messages stay cheap.
MAX_INPUT_CHARS = 2000

UNITS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
ORDINAL_UNITS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
}
ORDINAL_TENS: dict[str, int] = {"twentieth": 20, "thirtieth": 30}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000}
#: Words that read as a zero inside a spoken clock time ("twelve oh three").
ZERO_WORDS = frozenset({"oh", "o", "ou", "zero"})
#: Before these, "second" is the unit, not the ordinal ("a second", "one second").
_SECOND_UNIT_BEFORE = frozenset({"a", "one", "1", "per", "each", "every", "split", "that", "this"})

_TOKEN = re.compile(r"[a-z]+|\d+|\s+|.", re.S)
_NUMBER_WORD = frozenset(UNITS) | frozenset(TENS) | frozenset(SCALES)


def ordinal(n: int) -> str:
    """Digit ordinal for `n`: 1 -> '1st', 12 -> '12th', 22 -> '22nd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def words_to_number(words: str) -> int | None:
    """Value of a cardinal written in words ("forty five" -> 45), or None if it is not one."""
    parts = [w for w in re.split(r"[\s-]+", words.strip().lower()) if w and w != "and"]
    if not parts:
        return None
    if all(p.isdigit() for p in parts) and len(parts) == 1:
        return int(parts[0])
    value = _compound_value(parts)
    return value


def _compound_value(parts: list[str]) -> int | None:
    """Value of a single compound cardinal (no clock-like splitting), or None."""
    total = 0
    current = 0
    seen = False
    last = ""  # "unit" | "teen" | "tens" | "scale"
    for p in parts:
        if p in UNITS:
            v = UNITS[p]
            if last in ("unit", "teen") or (last == "tens" and v >= 10):
                return None
            current += v
            last = "teen" if v >= 10 else "unit"
        elif p in TENS:
            if last in ("unit", "teen", "tens"):
                return None
            current += TENS[p]
            last = "tens"
        elif p in SCALES:
            scale = SCALES[p]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            last = "scale"
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_ordinal_words(words: str) -> int | None:
    """Value of an ordinal in words ("twenty first" -> 21, "third" -> 3), or None."""
    parts = [w for w in re.split(r"[\s-]+", words.strip().lower()) if w]
    if len(parts) == 1:
        return ORDINAL_UNITS.get(parts[0]) or ORDINAL_TENS.get(parts[0])
    if len(parts) == 2 and parts[0] in TENS and ORDINAL_UNITS.get(parts[1], 99) < 10:
        return TENS[parts[0]] + ORDINAL_UNITS[parts[1]]
    return None


@dataclass(frozen=True)
class NormalisedText:
    """Rewritten text plus, per character, the original [start, end) it stands for."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised span [start, end)."""
        if end <= start:
            return (self.starts[start], self.starts[start]) if start < len(self.starts) else (0, 0)
        return self.starts[start], self.ends[end - 1]


class _Builder:
    """Accumulates output text with its per-character original spans."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, text: str, start: int, end: int) -> None:
        for ch in text:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)

    def copy(self, text: str, start: int) -> None:
        for i, ch in enumerate(text):
            self.chars.append(ch)
            self.starts.append(start + i)
            self.ends.append(start + i + 1)


def _lower_same_length(text: str) -> str:
    """Lower-case without changing length (so offsets stay aligned); ’ becomes '."""
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out).replace("\u2019", "'").replace("\u2018", "'")


def _is_gap(tok: str) -> bool:
    return tok.isspace() or tok == "-"


def normalise(text: str, limit: int = MAX_INPUT_CHARS) -> NormalisedText:
    """Lower-case `text` (cut at `limit`) and rewrite spoken numbers and times as digits."""
    text = text[:limit]
    low = _lower_same_length(text)
    toks = [(m.group(), m.start()) for m in _TOKEN.finditer(low)]
    # Pass 1: group number words into numbers; each item is (kind, text, start, end, value).
    items: list[tuple[str, str, int, int, int | None]] = []
    i = 0
    n = len(toks)
    while i < n:
        tok, pos = toks[i]
        if tok in _NUMBER_WORD or tok in ORDINAL_UNITS or tok in ORDINAL_TENS:
            j, value, is_ord, end = _scan_number(toks, i, items)
            if value is not None:
                kind = "ord" if is_ord else "num"
                items.append((kind, low[pos:end], pos, end, value))
                i = j
                continue
        items.append(("tok", tok, pos, pos + len(tok), None))
        i += 1
    items = _join_spoken_clock(items)
    b = _Builder()
    for kind, tok, start, end, value in items:
        if kind == "num":
            b.add(str(value), start, end)
        elif kind == "ord":
            b.add(ordinal(value or 0), start, end)
        elif kind == "clock":
            b.add(tok, start, end)
        else:
            b.copy(tok, start)
    chars, starts, ends = _resub(_SPACED_AMPM, b.chars, b.starts, b.ends)
    return NormalisedText("".join(chars), tuple(starts), tuple(ends), text)


#: "3 p m", "3 p.m.", "3pm." after a number: rewritten to " pm" / " am".
_SPACED_AMPM = re.compile(r"(?<=\d)\s*([ap])(?:\s|\.\s?)m\b\.?()")


def _resub(
    pattern: re.Pattern[str], chars: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """Rewrite every am/pm variant to " am"/" pm", keeping the offset map aligned."""
    text = "".join(chars)
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    pos = 0
    for m in pattern.finditer(text):
        out_c.extend(chars[pos : m.start()])
        out_s.extend(starts[pos : m.start()])
        out_e.extend(ends[pos : m.start()])
        spaced = m.group(0)[:1].isspace()
        repl = (" " if spaced else "") + (m.group(1) or m.group(2)) + "m"
        o_start, o_end = starts[m.start()], ends[m.end() - 1]
        out_c.extend(repl)
        out_s.extend([o_start] * len(repl))
        out_e.extend([o_end] * len(repl))
        pos = m.end()
    out_c.extend(chars[pos:])
    out_s.extend(starts[pos:])
    out_e.extend(ends[pos:])
    return out_c, out_s, out_e


def _scan_number(
    toks: list[tuple[str, int]], i: int, items: list[tuple[str, str, int, int, int | None]]
) -> tuple[int, int | None, bool, int]:
    """Longest compound number starting at token i: (next index, value, is ordinal, end)."""
    words: list[str] = []
    best: tuple[int, int | None, bool, int] = (i, None, False, toks[i][1])
    j = i
    while j < len(toks):
        tok, pos = toks[j]
        if tok in ORDINAL_UNITS or tok in ORDINAL_TENS:
            value = parse_ordinal_words(" ".join([*words, tok]))
            if value is not None and _ordinal_allowed(tok, toks, i, items):
                best = (j + 1, value, True, pos + len(tok))
            break
        if tok not in _NUMBER_WORD:
            break
        value = _compound_value([*words, tok])
        if value is None:
            break
        words.append(tok)
        best = (j + 1, value, False, pos + len(tok))
        # allow a single space or hyphen between number words ("forty five", "forty-five")
        k = j + 1
        if k < len(toks) and _is_gap(toks[k][0]) and k + 1 < len(toks):
            nxt = toks[k + 1][0]
            if nxt in _NUMBER_WORD or nxt in ORDINAL_UNITS or nxt in ORDINAL_TENS:
                j = k + 1
                continue
        break
    if best[1] is None and words == [] and toks[i][0] == "one":
        return best
    return best


def _ordinal_allowed(
    tok: str, toks: list[tuple[str, int]], i: int, items: list[tuple[str, str, int, int, int | None]]
) -> bool:
    """'second' is an ordinal unless it reads as the unit ("a second", "one second")."""
    if tok != "second":
        return True
    prev = [it for it in items if not it[1].isspace()]
    if not prev:
        return True
    last = prev[-1]
    return not (last[0] == "num" or last[1] in _SECOND_UNIT_BEFORE)


_AMPM = re.compile(r"\s*([ap])\s?\.?\s?m\b\.?")


def _join_spoken_clock(
    items: list[tuple[str, str, int, int, int | None]],
) -> list[tuple[str, str, int, int, int | None]]:
    """Merge spoken "H MM" number pairs (and "H oh M") into one "H:MM" clock item."""
    out: list[tuple[str, str, int, int, int | None]] = []
    i = 0
    n = len(items)
    while i < n:
        it = items[i]
        if it[0] == "num" and it[4] is not None and 1 <= it[4] <= 12:
            clock = _clock_after(items, i)
            if clock is not None:
                j, minute, forced = clock
                if forced or _at_before(out) or _ampm_after(items, j):
                    out.append(("clock", f"{it[4]}:{minute:02d}", it[2], items[j - 1][3], None))
                    i = j
                    continue
        out.append(it)
        i += 1
    return out


def _clock_after(items: list[tuple[str, str, int, int, int | None]], i: int) -> tuple[int, int, bool] | None:
    """If items[i] is followed by spoken minutes, (next index, minute, is-clock-for-sure)."""
    j = i + 1
    if j + 1 >= len(items) or not _is_gap(items[j][1]):
        return None
    nxt = items[j + 1]
    if nxt[1] in ZERO_WORDS:
        k = j + 2
        if k + 1 < len(items) and _is_gap(items[k][1]):
            digit = items[k + 1]
            if digit[0] == "num" and digit[4] is not None and 0 <= digit[4] <= 9:
                return k + 2, digit[4], True
        return None
    if nxt[0] == "num" and nxt[4] is not None and 10 <= nxt[4] <= 59:
        if nxt[1].isdigit():
            return None
        return j + 2, nxt[4], nxt[4] in (15, 30, 45)
    return None


def _at_before(out: list[tuple[str, str, int, int, int | None]]) -> bool:
    prev = [it for it in out if not it[1].isspace()]
    return bool(prev) and prev[-1][1] in ("at", "@", "around", "about", "by", "until", "till")


def _ampm_after(items: list[tuple[str, str, int, int, int | None]], j: int) -> bool:
    rest = "".join(it[1] for it in items[j : j + 6])
    return _AMPM.match(rest) is not None
