"""Small-typo matching (one edit) for keywords and roster names.

A symmetric-delete index (as in SymSpell) keeps the lookup to a few dictionary probes per
token, so typo tolerance costs microseconds instead of a scan of the vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    # b is one longer than a: b minus one character must equal a.
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class OneEditIndex:
    """Finds the vocabulary words within one edit of a query word."""

    def __init__(self, words: Iterable[str]) -> None:
        self._exact: set[str] = set()
        self._index: dict[str, set[str]] = {}
        for word in words:
            self._exact.add(word)
            for key in _deletes(word) | {word}:
                self._index.setdefault(key, set()).add(word)

    def __contains__(self, word: str) -> bool:
        return word in self._exact

    def candidates(self, word: str) -> list[str]:
        """Vocabulary words within one edit of `word`, closest-looking first (stable order)."""
        if word in self._exact:
            return [word]
        found: set[str] = set()
        for key in _deletes(word) | {word}:
            found |= self._index.get(key, set())
        return sorted(w for w in found if within_one_edit(word, w))
