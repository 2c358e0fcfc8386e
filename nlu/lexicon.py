"""The parser's word lists, read once from `nlu/data/lexicon.yaml`.

Kept as data rather than code so that vocabulary can grow without touching the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from spacy.lang.en.stop_words import STOP_WORDS

DATA_DIR = Path(__file__).parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """A YAML data file, with libyaml's fast loader when present (it is ten times faster)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader


@dataclass(frozen=True)
class Lexicon:
    """Word lists: names that are also words, ordinary words, typo targets, shorthand."""

    name_words: frozenset[str]
    common_words: frozenset[str]
    typo_targets: tuple[str, ...]
    abbreviations: dict[str, str]  # shorthand (lower case) -> replacement
    real_words: frozenset[str] = frozenset()  # words never taken for a typo


def _pattern_words() -> set[str]:
    """The single words of `patterns.yaml`'s phrases."""
    raw = load_yaml(DATA_DIR / "patterns.yaml")
    return {
        word.lower()
        for values in raw.values()
        for phrases in values.values()
        for phrase in phrases
        for word in str(phrase).split()
        if word.isalpha()
    }


@cache
def lexicon() -> Lexicon:
    """The lexicon, loaded on first use."""
    raw = load_yaml(DATA_DIR / "lexicon.yaml")
    abbreviations = {short.lower(): full for full, shorts in raw["abbreviations"].items() for short in shorts}
    common = {w.lower() for w in raw["common_words"]} | {w.lower() for w in STOP_WORDS}
    # Every word of the closed vocabulary ("cancellations", "revenue", "zoom") is a word, not a name.
    common |= _pattern_words() - {w.lower() for w in raw["name_words"]}
    return Lexicon(
        name_words=frozenset(w.lower() for w in raw["name_words"]),
        common_words=frozenset(common),
        typo_targets=tuple(dict.fromkeys(w.lower() for w in raw["typo_targets"])),
        abbreviations=abbreviations,
        real_words=frozenset(w.lower() for w in raw.get("real_words") or ()),
    )
