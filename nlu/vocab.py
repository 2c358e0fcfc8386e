"""Closed-vocabulary slots (session type, status, metric, group-by, export entity) found by a
spaCy PhraseMatcher built from `nlu/data/patterns.yaml`.

A PhraseMatcher rather than an EntityRuler: one phrase may feed two slots ("cancellations"
is a status and a metric), so every label keeps its own longest matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlu.lexicon import DATA_DIR, load_yaml


@dataclass(frozen=True)
class VocabHit:
    """A phrase of the closed vocabulary: the slot it feeds, its normal value, char offsets."""

    label: str
    value: str
    start: int
    end: int


class VocabMatcher:
    """Finds the closed-vocabulary phrases of a message."""

    def __init__(self, nlp: Language) -> None:
        raw = load_yaml(DATA_DIR / "patterns.yaml")
        self._matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, tuple[str, str]] = {}
        for label, values in raw.items():
            for value, phrases in values.items():
                key = f"{label}|{value}"
                self._keys[nlp.vocab.strings.add(key)] = (label, str(value))
                self._matcher.add(key, [nlp.make_doc(str(p)) for p in phrases])

    def __call__(self, doc: Doc) -> dict[str, list[VocabHit]]:
        """Per label, its non-overlapping longest matches, left to right."""
        by_label: dict[str, list[tuple[int, int, str]]] = {}
        for match_id, start, end in self._matcher(doc):
            label, value = self._keys[match_id]
            by_label.setdefault(label, []).append((start, end, value))
        result: dict[str, list[VocabHit]] = {}
        for label, spans in by_label.items():
            spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
            taken: list[tuple[int, int, str]] = []
            for span in spans:
                if all(span[1] <= t[0] or span[0] >= t[1] for t in taken):
                    taken.append(span)
            taken.sort()
            result[label] = [
                VocabHit(label, value, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text))
                for s, e, value in taken
            ]
        return result
