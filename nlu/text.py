"""Cleaning a raw message before parsing: length cap, control characters, chat shorthand,
small typos in the domain's keywords.

Everything downstream (rules, time resolver, person finder) works on the cleaned text, so
offsets stay consistent. Names are protected: a roster name is never "corrected".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from functools import cache

from nlu.fuzzy import OneEditIndex
from nlu.lexicon import lexicon

#: Messages are cut to this many characters before parsing. A chat or voice message is a few
#: hundred characters at most; the cap bounds the parse time of hostile input (100 kB pastes).
MAX_INPUT_CHARS = 500

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"(?<![\w@./'-])([A-Za-z][A-Za-z0-9]*(?:/[A-Za-z]*)?)(?![\w@'-]|\.[A-Za-z])")
_SPOKEN_AMPM = re.compile(r"\b(\d{1,2}(?::\d\d)?)\s*([ap])\s*\.?\s*m\b\.?", re.IGNORECASE)
_SPACED_AMPM = re.compile(r"(?<=\b[a-z])\s+([ap])\s+m\b", re.IGNORECASE)


#: After these words comes a name, never "corrected" to a keyword ("called marco" is no "march").
_NAME_BEFORE = frozenset(
    ["named", "called", "client", "customer", "member", "trainer", "coach", "with", "w/"]
)


def blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with spans replaced by spaces: offsets stay valid for what is found after."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            chars[i] = " "
    return "".join(chars)


def clean(text: str) -> str:
    """Cap the length, normalise Unicode and quotes, and turn control characters into spaces."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[:MAX_INPUT_CHARS]
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") else ch for ch in text)
    return _SPACES.sub(" ", text).strip()


@cache
def _typo_index() -> OneEditIndex:
    return OneEditIndex(lexicon().typo_targets)


def _correct(word: str, protected: Collection[str]) -> str:
    """The replacement for one word: shorthand expansion or a one-edit keyword correction."""
    low = word.lower()
    lex = lexicon()
    if low in protected:
        return word
    if low in lex.abbreviations:
        return lex.abbreviations[low]
    if (
        len(low) < 5
        or low in lex.common_words
        or low in lex.name_words
        or low in lex.real_words
        or not low.isalpha()
    ):
        return word
    candidates = _typo_index().candidates(low)
    return candidates[0] if len(candidates) == 1 else word


def normalise(text: str, protected: Collection[str] = ()) -> str:
    """Expand chat shorthand and fix one-letter typos in domain keywords.

    `protected` holds lower-case words never to touch (roster names). Title-case words in the
    middle of a sentence are left alone: they are probably names.
    """
    text = _SPOKEN_AMPM.sub(lambda m: f"{m.group(1)}{m.group(2).lower()}m", text)

    def replace(match: re.Match[str]) -> str:
        word = match.group(1)
        before = text[max(0, match.start() - 12) : match.start()].lower().split()
        if before and before[-1] in _NAME_BEFORE:
            return word if word.lower() not in lexicon().abbreviations else _correct(word, protected)
        if match.start() > 0 and word[:1].isupper() and word[1:].islower() and len(word) > 3:
            low = word.lower()
            if low not in lexicon().abbreviations:
                return word
        return _correct(word, protected)

    return _WORD.sub(replace, text)
