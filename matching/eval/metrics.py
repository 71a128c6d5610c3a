"""Ranking metrics: top-1 accuracy, NDCG@k with graded relevance, precision@k."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def top1(ranked: Sequence[str], gold: str) -> float:
    return 1.0 if ranked and ranked[0] == gold else 0.0


def ndcg_at(ranked: Sequence[str], relevance: Mapping[str, float], k: int = 5) -> float:
    """Normalised discounted cumulative gain of the first k items (gains 2^rel - 1)."""
    gains = [2 ** relevance.get(item, 0.0) - 1 for item in ranked[:k]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((2 ** r - 1 for r in relevance.values()), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def precision_at(ranked: Sequence[str], gold: set[str], k: int = 5) -> float:
    """Share of the first k proposals that are in ``gold`` (k is the divisor even if fewer were made)."""
    return sum(1 for item in ranked[:k] if item in gold) / k


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
