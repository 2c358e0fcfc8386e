"""Pronunciations (CMU ARPAbet) for words the recognizer's dictionary lacks: mostly studio names.

"Priya", "Aaliyah" or "Tariq" are not in the CMU dictionary; without a
pronunciation PocketSphinx cannot hear them at all. Letter-to-sound rules
(longest spelling first, a few context rules for c/g and final e) give a
plausible pronunciation, and the acoustic model is forgiving enough for names
that were sounded out. Possessives and plurals of known words reuse the
dictionary ("emma's" = emma + Z).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Longest spellings first; values are ARPAbet phones separated by spaces.
_GRAPHEMES: list[tuple[str, str]] = sorted(
    {
        "tch": "CH",
        "sch": "SH",
        "igh": "AY",
        "ough": "AO",
        "augh": "AO",
        "eigh": "EY",
        "ch": "CH",
        "sh": "SH",
        "th": "TH",
        "ph": "F",
        "wh": "W",
        "ck": "K",
        "ng": "NG",
        "qu": "K W",
        "kh": "K",
        "gh": "G",
        "dh": "D",
        "bh": "B",
        "zh": "ZH",
        "ee": "IY",
        "ea": "IY",
        "ie": "IY",
        "ei": "EY",
        "oo": "UW",
        "ou": "AW",
        "ow": "OW",
        "oa": "OW",
        "oi": "OY",
        "oy": "OY",
        "ai": "AY",
        "ay": "EY",
        "au": "AO",
        "aw": "AO",
        "ey": "IY",
        "ue": "UW",
        "ui": "UW IY",
        "ia": "IY AH",
        "io": "IY OW",
        "iu": "IY UW",
        "ya": "Y AH",
        "yo": "Y OW",
        "yu": "Y UW",
        "aa": "AA",
        "ll": "L",
        "ss": "S",
        "tt": "T",
        "nn": "N",
        "mm": "M",
        "rr": "R",
        "ff": "F",
        "pp": "P",
        "bb": "B",
        "dd": "D",
        "gg": "G",
        "zz": "Z",
        "a": "AA",
        "b": "B",
        "c": "K",
        "d": "D",
        "e": "EH",
        "f": "F",
        "g": "G",
        "h": "HH",
        "i": "IY",
        "j": "JH",
        "k": "K",
        "l": "L",
        "m": "M",
        "n": "N",
        "o": "OW",
        "p": "P",
        "q": "K",
        "r": "R",
        "s": "S",
        "t": "T",
        "u": "UW",
        "v": "V",
        "w": "W",
        "x": "K S",
        "y": "IY",
        "z": "Z",
    }.items(),
    key=lambda item: -len(item[0]),
)
_VOWELS = set("aeiouy")


def letters_to_sounds(word: str) -> str:
    """A plausible ARPAbet pronunciation of a name spelled `word` (letters only are sounded)."""
    text = re.sub(r"[^a-z]", "", word.lower())
    if not text:
        return ""
    if len(text) > 3 and text.endswith("e") and text[-2] not in _VOWELS and text[-3] in _VOWELS:
        text = text[:-1]  # silent final e: "grace", "cole"
    phones: list[str] = []
    i = 0
    while i < len(text):
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if text[i] == "c" and nxt in ("e", "i", "y"):
            phones.append("S")
            i += 1
            continue
        if text[i] == "y" and i == 0 and nxt in _VOWELS:
            phones.append("Y")
            i += 1
            continue
        if text[i] == "h" and i > 0 and text[i - 1] not in _VOWELS and i == len(text) - 1:
            i += 1  # a final h after a consonant is silent ("sarah"-like spellings end in a vowel)
            continue
        if text[i] == "h" and i == len(text) - 1:
            i += 1  # "aaliyah", "noah": silent
            continue
        for spelling, sound in _GRAPHEMES:
            if text.startswith(spelling, i):
                phones.extend(sound.split())
                i += len(spelling)
                break
        else:  # pragma: no cover - every letter is in the table
            i += 1
    # Collapse doubled phones made across spellings ("kk" from "ck" + "k").
    out = [p for j, p in enumerate(phones) if j == 0 or p != phones[j - 1]]
    return " ".join(out)


def pronounce(word: str, lookup: Callable[[str], str | None]) -> str:
    """The dictionary's pronunciation when it has one, else one made up from the spelling.

    `lookup(word)` returns the dictionary's phones or None.
    """
    known = lookup(word)
    if known:
        return known
    for suffix, sound in (("'s", "Z"), ("s'", "Z"), ("s", "Z")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = lookup(word[: -len(suffix)])
            if base:
                last = base.split()[-1]
                voiceless = last in {"P", "T", "K", "F", "TH"}
                sibilant = last in {"S", "Z", "SH", "ZH", "CH", "JH"}
                return f"{base} {'IH Z' if sibilant else ('S' if voiceless else sound)}"
    return letters_to_sounds(word)
