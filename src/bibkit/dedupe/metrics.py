"""Scoring a clustering against gold duplicate groups (pair level).

>>> pair_scores([["a", "b", "c"]], [["a", "b"], ["c", "d"]])
{'precision': 0.333, 'recall': 0.5, 'f1': 0.4, 'tp': 1, 'fp': 2, 'fn': 1}
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations


def pairs_of(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    out = set()
    for g in groups:
        for a, b in combinations(sorted(set(g)), 2):
            out.add((a, b))
    return out


def pair_scores(predicted: Iterable[Iterable[str]], gold: Iterable[Iterable[str]]) -> dict[str, float]:
    """Pair precision, recall and F1 of predicted groups against gold groups."""
    p, g = pairs_of(predicted), pairs_of(gold)
    tp = len(p & g)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(g) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "tp": tp,
            "fp": len(p - g), "fn": len(g - p)}


def review_coverage(review: Iterable[tuple[str, str]], predicted: Iterable[Iterable[str]],
                    gold: Iterable[Iterable[str]]) -> dict:
    """What a review queue is worth against gold groups: the gold pairs the automatic pass
    missed, and for each queued pair (in queue order) how many of them accepting it recovers
    (accepting a pair joins the two predicted groups of its records).

    >>> r = review_coverage([("c", "d"), ("a", "c")], [["a", "b"]], [["a", "b", "c"]])
    >>> r["missed"], r["gains"], r["covered"]
    (2, [0, 2], 2)
    """
    predicted = [list(g) for g in predicted]
    group: dict[str, int] = {}
    for gi, g in enumerate(predicted):
        for rid in g:
            group[rid] = gi
    missed = pairs_of(gold) - pairs_of(predicted)
    between: dict[frozenset, int] = {}
    for a, b in missed:
        key = frozenset((group.get(a, a), group.get(b, b)))
        between[key] = between.get(key, 0) + 1
    gains = []
    for a, b in review:
        key = frozenset((group.get(a, a), group.get(b, b)))
        gains.append(between.pop(key, 0))
    return {"missed": len(missed), "gains": gains, "covered": sum(gains)}
