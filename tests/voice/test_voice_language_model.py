"""The recognizer's language material: the phrase corpus, its expansion, the vocabulary and the ARPA model.

No audio here (tests/voice/test_voice_english.py hears it all end to end): these
pin the properties the fallback's accuracy rests on, so a broken pattern file or
an expansion that leaks `{when}` into the model fails by name, not as a few
percent less accuracy.
"""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from bot.voice import phrases
from bot.voice.lm import build_arpa
from bot.voice.phrases import NAME, NAME_S, corpus, expand, load_patterns, pools, shapes
from bot.voice.spoken_words import number_words
from bot.voice.vocabulary import build_vocabulary, spoken, training_phrases

_ALLOWED = re.compile(r"[a-z' ()\[\]{}|]+")


def _groups_are_flat(pattern: str) -> bool:
    depth = 0
    for char in pattern:
        if char in "([{":
            depth += 1
            if depth > 1:
                return False
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_every_pattern_is_well_formed() -> None:
    slots = set(pools())
    bad = []
    for intent, patterns in load_patterns().items():
        for pattern in patterns:
            used = set(re.findall(r"\{([^}]*)\}", pattern))
            if not _ALLOWED.fullmatch(pattern) or not _groups_are_flat(pattern) or not used <= slots:
                bad.append(f"{intent}: {pattern!r}")
    assert not bad, "\n".join(bad)


def test_every_intent_the_parser_knows_has_spoken_patterns() -> None:
    intents = {intent for intent, _ in training_phrases()}
    patterns = load_patterns()
    assert intents <= set(patterns), intents - set(patterns)
    assert all(len(patterns[i]) >= 10 for i in intents), {i: len(patterns[i]) for i in intents}


def test_the_corpus_is_the_same_on_every_run() -> None:
    first = corpus.__wrapped__(3)
    assert first == corpus.__wrapped__(3)
    assert len(first) > 2000


def test_expansion_fills_every_slot_and_group() -> None:
    leftovers = {w for s in corpus() for w in s if re.search(r"[{}()\[\]|]", w) and w not in (NAME, NAME_S)}
    assert not leftovers
    sentences = list(expand("(log|record) [a] session with {name} {when}", random.Random(1), fills=2))
    assert {s[0] for s in sentences} == {"log", "record"}
    assert {s[1] for s in sentences} >= {"a", "session"}
    assert all(NAME in s for s in sentences)
    assert len(shapes("(log|record) [a] session with {name} {when}")) == 4


def test_a_clock_after_to_or_from_loses_its_at() -> None:
    rng = random.Random(2)
    for sentence in expand("move it (to|from) {clock}", rng, fills=20):
        assert sentence[3] != "at", sentence
    assert all(s[0] == "at" for s in pools()["clock"])


def test_common_time_words_weigh_more_than_rare_ones() -> None:
    days = Counter(" ".join(d) for d in pools()["day"])
    assert days["tomorrow"] > days["on friday"] > days["on march twelfth"] > 0
    periods = Counter(" ".join(p) for p in pools()["period"])
    assert periods["this month"] > periods["in february"] > 0


def test_every_hour_is_as_likely_as_the_others() -> None:
    # The model must not learn that "at one" is likelier than "at four": a recognizer unsure
    # between two hours would pick the one the corpus happened to repeat.
    hours = tuple(" ".join(number_words(h)) for h in range(1, 13))
    said = Counter(b for s in corpus() for a, b in zip(s, s[1:], strict=False) if a == "at" and b in hours)
    assert set(said) == set(hours)
    assert max(said.values()) <= 1.35 * min(said.values()), said


def test_spoken_forms_of_typed_training_phrases() -> None:
    assert spoken("cancel John's 3pm", {"john"}) == ["cancel", NAME_S, "three", "p", "m"]
    assert spoken("log w/ John at 10:30am", {"john"}) == [
        "log",
        "with",
        NAME,
        "at",
        "ten",
        "thirty",
        "a",
        "m",
    ]


def test_the_roster_takes_the_placeholders_places() -> None:
    vocabulary = build_vocabulary(["Priya Natarajan", "Tom Ode"])
    words = set(vocabulary.words)
    assert {"priya", "natarajan", "priya's", "tom", "ode's"} <= words
    assert not words & {NAME, NAME_S}
    assert any(s[:2] == ("cancel", "priya's") for s in vocabulary.sentences)
    assert build_vocabulary(["Priya Natarajan"]).fingerprint != vocabulary.fingerprint
    assert build_vocabulary(["Tom Ode", "Priya Natarajan"]).fingerprint == vocabulary.fingerprint


def test_the_arpa_model_counts_what_it_lists() -> None:
    text = build_arpa([("book", "emma"), ("book", "john"), ("cancel", "emma")], order=3)
    declared = {int(n): int(c) for n, c in re.findall(r"ngram (\d)=(\d+)", text)}
    sections = re.split(r"\\(\d)-grams:", text)
    listed = {
        int(sections[i]): len(sections[i + 1].strip().split("\n\\")[0].splitlines()) for i in range(1, 7, 2)
    }
    assert declared == listed
    bigram = re.search(r"^(-?[\d.]+)\tbook emma", text, re.M)
    assert (
        bigram is not None and -1.0 < float(bigram.group(1)) < 0.0
    )  # seen once of two: about 1/4 after discount


@pytest.mark.parametrize("pattern", ["(a|b", "[a (b|c)]", "{nope}", "Book {name}", "at 3pm"])
def test_the_checks_catch_broken_patterns(pattern: str) -> None:
    slots = set(pools())
    used = set(re.findall(r"\{([^}]*)\}", pattern))
    assert not (_ALLOWED.fullmatch(pattern) and _groups_are_flat(pattern) and used <= slots)


def test_patterns_come_from_the_package_data_file() -> None:
    assert phrases.DATA.name == "phrases.yaml" and phrases.DATA.exists()
