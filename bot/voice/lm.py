"""A small trigram language model in ARPA format, built from sentences in memory.

PocketSphinx decodes against an n-gram model; its general English model knows
nothing of "log a session with Emma at three p m" and hears nonsense. A model
of the domain's own sentences (a few thousand, built in well under a second)
narrows the search to what people say to Spotter, which is what makes the
fallback both accurate and fast. Interpolated absolute discounting (Ney's
D = 0.5 style) is simple, needs no tuning and is stored exactly in ARPA form:
prob(h w) = (c(h w) - D) / c(h) + bow(h) * prob(w | shorter h),
bow(h) = D * distinct followers of h / c(h).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

BOS, EOS = "<s>", "</s>"
DISCOUNT = 0.5


def _log10(p: float) -> float:
    return math.log10(p) if p > 0 else -99.0


def build_arpa(sentences: Iterable[Sequence[str]], order: int = 3, discount: float = DISCOUNT) -> str:
    """An ARPA text model of `sentences` (lists of words), order 1..3."""
    counts: list[Counter[tuple[str, ...]]] = [Counter() for _ in range(order + 1)]
    for words in sentences:
        if not words:
            continue
        seq = (BOS, *words, EOS)
        for n in range(1, order + 1):
            for i in range(len(seq) - n + 1):
                gram = tuple(seq[i : i + n])
                if n == 1 and gram == (BOS,):
                    continue
                counts[n][gram] += 1
    vocab = sorted({g[0] for g in counts[1]} | {BOS})
    probs: list[dict[tuple[str, ...], float]] = [{} for _ in range(order + 1)]
    bows: list[dict[tuple[str, ...], float]] = [{} for _ in range(order + 1)]

    # Unigrams: discounted counts, the rest spread evenly over the vocabulary.
    total = sum(counts[1].values())
    spare = discount * len(counts[1]) / total
    for word in vocab:
        c = counts[1].get((word,), 0)
        probs[1][(word,)] = max(c - discount, 0) / total + spare / len(vocab)
    probs[1][(BOS,)] = 0.0

    for n in range(2, order + 1):
        context_total: Counter[tuple[str, ...]] = Counter()
        followers: defaultdict[tuple[str, ...], int] = defaultdict(int)
        for gram, c in counts[n].items():
            context_total[gram[:-1]] += c
            followers[gram[:-1]] += 1
        for context, c_h in context_total.items():
            bows[n - 1][context] = discount * followers[context] / c_h
        for gram, c in counts[n].items():
            c_h = context_total[gram[:-1]]
            lower = _lower(probs, bows, gram[1:])
            probs[n][gram] = (c - discount) / c_h + bows[n - 1][gram[:-1]] * lower

    lines = ["\\data\\"]
    for n in range(1, order + 1):
        lines.append(f"ngram {n}={len(probs[n])}")
    for n in range(1, order + 1):
        lines.append("")
        lines.append(f"\\{n}-grams:")
        for gram in sorted(probs[n]):
            p = _log10(probs[n][gram])
            text = f"{p:.5f}\t{' '.join(gram)}"
            if n < order:
                text += f"\t{_log10(bows[n].get(gram, 1.0)) if gram in bows[n] else 0.0:.5f}"
            lines.append(text)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def _lower(
    probs: list[dict[tuple[str, ...], float]], bows: list[dict[tuple[str, ...], float]], gram: tuple[str, ...]
) -> float:
    """P(w | shorter history), backing off as the ARPA reader will."""
    n = len(gram)
    if gram in probs[n]:
        return probs[n][gram]
    if n == 1:
        return 0.0
    return bows[n - 1].get(gram[:-1], 1.0) * _lower(probs, bows, gram[1:])
