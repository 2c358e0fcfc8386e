"""What people say to Spotter, as spoken words: the recognizers' vocabulary hints.

Built from two sources the project already keeps:

- the parser's training phrases (`nlu/data/intents.yaml`, read only), written
  the way they are spoken ("3pm" -> "three p m", "w/" -> "with", shorthand
  expanded with the parser's own abbreviation list), with the example names
  in them replaced by a placeholder;
- the studio's roster (first names and full names), put in the placeholders'
  places, plus the spoken time expressions commands use ("at four thirty p m",
  "next tuesday", "for forty five minutes").

The engines use it differently: PocketSphinx builds its language model from
`sentences` (bot/voice/lm.py), Vosk takes `words` as a phrase list. Turning
spoken forms back into times is the parser's job, not this module's.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from bot.voice.phrases import NAME, NAME_S, corpus, pools
from bot.voice.spoken_words import number_words, ordinal_words

_PERSON_SLOTS = ("client", "trainer", "name", "substitute", "person", "new_trainer")
_TOKEN = re.compile(
    r"\d{1,2}:\d{2}\s*(?:am|pm|a|p)?|\d+(?:st|nd|rd|th|am|pm|a|p|h|k)?|[a-z]+(?:'[a-z]+)?|[$%&]"
)


def _spoken_token(token: str) -> list[str]:
    """One written token as the words a person says for it."""
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})\s*(am|pm|a|p)?", token)
    if clock:
        hour, minute, half = int(clock.group(1)), int(clock.group(2)), clock.group(3)
        words = number_words(hour % 24)
        if minute:
            words += (["oh"] + number_words(minute)) if minute < 10 else number_words(minute)
        return words + ([half[0], "m"] if half else [])
    number = re.fullmatch(r"(\d+)(st|nd|rd|th|am|pm|a|p|h|k)?", token)
    if number:
        value, suffix = int(number.group(1)), number.group(2)
        if value > 999:
            return []
        if suffix in ("st", "nd", "rd", "th"):
            return ordinal_words(value) if value < 100 else []
        if suffix in ("am", "pm", "a", "p"):
            return number_words(value) + [suffix[0], "m"]
        if suffix == "h":
            return number_words(value) + ["hours"]
        if suffix == "k":
            return number_words(value) + ["thousand"]
        return number_words(value)
    return {"$": ["dollars"], "%": ["percent"], "&": ["and"]}.get(token, [token])


def spoken(text: str, names: Iterable[str] = ()) -> list[str]:
    """A written message as spoken words; words in `names` become the NAME placeholder."""
    from nlu.lexicon import lexicon

    shorthand = lexicon().abbreviations
    name_set = set(names)
    out: list[str] = []
    for raw in text.lower().replace("’", "'").split():
        raw = shorthand.get(raw, shorthand.get(raw.strip(".,!?;:"), raw))
        for token in _TOKEN.findall(raw.lower()):
            token = shorthand.get(token, token)
            for word in _spoken_token(token) if not token.isalpha() or token in shorthand else [token]:
                for part in word.split():
                    base = part[:-2] if part.endswith("'s") else part
                    if part in name_set:
                        out.append(NAME)
                    elif base in name_set:
                        out.append(NAME_S)
                    else:
                        out.append(part)
    return out


@cache
def training_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(intent, phrase) pairs of the parser's training data."""
    from nlu.lexicon import DATA_DIR, load_yaml

    data = load_yaml(DATA_DIR / "intents.yaml")
    return tuple((intent, tuple(str(p) for p in phrases)) for intent, phrases in data.items())


_TEMPLATES: dict[int, tuple[tuple[str, ...], ...]] = {}


def command_templates(parser: Any = None) -> tuple[tuple[str, ...], ...]:
    """The training phrases as spoken words with their example names replaced by NAME.

    The parser says which words are names (it was built to); computed once per process.
    """
    if parser is None:
        from nlu import load_parser

        parser = load_parser()
    cached = _TEMPLATES.get(id(parser))
    if cached is not None:
        return cached
    now = datetime(2026, 3, 11, 12, tzinfo=UTC)
    names: set[str] = set()
    phrases = [p for _, group in training_phrases() for p in group]
    for phrase in phrases:
        frame = parser.parse(phrase, now=now, role="manager", roster=None)
        for slot in _PERSON_SLOTS:
            value = frame.slots.get(slot)
            for mention in value if isinstance(value, list | tuple) else [value]:
                if isinstance(mention, str):
                    names.update(w for w in re.findall(r"[a-z]+", mention.lower()) if len(w) > 1)
    words_of = {w for p in phrases for w in re.findall(r"[a-z]+", p.lower())}
    # The parser may give a stem ("toma" for "tomas"): take the phrase's own word it starts.
    names |= {w for w in words_of for n in list(names) if w.startswith(n) and len(w) - len(n) <= 1}
    from nlu.lexicon import lexicon

    names -= set(lexicon().common_words) - set(lexicon().name_words)
    templates = tuple(tuple(spoken(p, names)) for p in phrases)
    _TEMPLATES[id(parser)] = templates
    return templates


def time_phrases() -> list[tuple[str, ...]]:
    """Every spoken time, day, period and duration once, so each is in the model on its own too."""
    table = pools()
    return list(dict.fromkeys(v for slot in ("clock", "day", "period", "duration") for v in table[slot]))


# Short replies people give to a question, whatever the command was.
ANSWERS = [
    ["yes"], ["no"], ["yes", "please"], ["no", "thanks"], ["yeah"], ["nope"], ["okay"], ["never", "mind"],
    ["stop"], ["undo"], ["help"], ["cancel"], ["thank", "you"], ["hello"], ["hi"], ["confirm"],
    ["it", "didn't", "happen"], ["undo", "that"], ["the", "first", "one"], ["the", "second", "one"],
]  # fmt: skip


@dataclass(frozen=True)
class Vocabulary:
    """The domain's sentences and the studio's names, spoken; `fingerprint` changes with the roster."""

    names: tuple[str, ...]
    sentences: tuple[tuple[str, ...], ...]
    fingerprint: str

    @property
    def words(self) -> list[str]:
        """Every word, each once, in a stable order (Vosk's phrase list)."""
        return list(dict.fromkeys(w for s in self.sentences for w in s))

    @property
    def name_words(self) -> list[str]:
        return list(dict.fromkeys(w for n in self.names for form in name_forms(n)[-1:] for w in form))


def name_forms(full_name: str) -> list[list[str]]:
    """How a name is said: first name, full name ("emma", "emma wilson")."""
    words = [w for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", full_name.lower().replace("’", "'")) if w]
    if not words:
        return []
    return [words[:1], words] if len(words) > 1 else [words]


def possessive(form: list[str]) -> tuple[str, ...]:
    """A name form with "'s" on its last word ("john smith's")."""
    return (*form[:-1], form[-1] + "'s")


def roster_fingerprint(names: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(set(names))).encode()).hexdigest()[:16]


@cache
def _build(names: tuple[str, ...], parser_id: int) -> Vocabulary:
    templates = _TEMPLATES[parser_id]
    forms = [f for n in names for f in name_forms(n)] or [["john"], ["john", "smith"]]
    cycle = itertools.cycle(forms)
    sentences: list[tuple[str, ...]] = []
    copies = 2 if len(forms) > 4 else 1
    for template in (*templates, *corpus()):
        if NAME not in template and NAME_S not in template:
            sentences.append(template)
            continue
        for _ in range(copies):
            words: list[str] = []
            for word in template:
                if word == NAME:
                    words.extend(next(cycle))
                elif word == NAME_S:
                    words.extend(possessive(next(cycle)))
                else:
                    words.append(word)
            sentences.append(tuple(words))
    for form in forms:  # every name, in the places names go
        for before, after in ((["with"], []), ([], []), (["for"], []), (["with"], ["at"]), ([], ["'s"])):
            if after == ["'s"]:
                sentences.append((*possessive(form), "session"))
            else:
                sentences.append((*before, *form, *after))
    sentences += time_phrases()
    sentences += [tuple(a) for a in ANSWERS]
    return Vocabulary(names, tuple(sentences), roster_fingerprint(names))


def build_vocabulary(names: Sequence[str], parser: Any = None) -> Vocabulary:
    """The vocabulary for a studio whose people are called `names` (cached per roster)."""
    if parser is None:
        from nlu import load_parser

        parser = load_parser()
    command_templates(parser)
    return _build(tuple(sorted(set(names))), id(parser))
