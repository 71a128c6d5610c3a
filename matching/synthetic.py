"""Synthetic profiles drawn from the taxonomy's role requirements (benchmark data, learned baseline).

A synthetic person belongs to one role and lists 3 + Poisson(4) skill items (at most 15), drawn
without replacement with probability proportional to the square of the role's importance weight
(so a-needs dominate, d-needs are rare), each at the needed level or one or two below (50/35/15 %),
with a status drawn verified 20 %, evidenced 30 %, self-declared 50 %. Deterministic for a seed.
"""

from __future__ import annotations

import numpy as np

from matching.roles import IMPORTANCE_WEIGHT, STATUSES, Target
from taxonomies.dss import level_rank

STATUS_PROBABILITY = (0.2, 0.3, 0.5)  # in STATUSES order
LEVEL_DROP_PROBABILITY = (0.5, 0.35, 0.15)  # held = needed, one below, two below
MIN_SKILLS, MEAN_EXTRA_SKILLS, MAX_SKILLS = 3, 4, 15
CHUNK = 100_000


def role_arrays(targets: list[Target], ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per role and item: log of the drawing weight and the needed rank (1..4)."""
    weight = np.array([[IMPORTANCE_WEIGHT[t.requirements[s]] ** 2 for s in ids] for t in targets])
    need = np.array([[level_rank(t.requirements[s]) for s in ids] for t in targets])
    return np.log(weight), need


def _chunk(rng: np.random.Generator, roles: np.ndarray, log_weight: np.ndarray, need: np.ndarray,
           ) -> tuple[np.ndarray, np.ndarray]:
    n, m = len(roles), need.shape[1]
    count = np.minimum(MIN_SKILLS + rng.poisson(MEAN_EXTRA_SKILLS, n), min(MAX_SKILLS, m))
    keys = log_weight[roles] + rng.gumbel(size=(n, m))  # Gumbel top-k = weighted draw without replacement
    order = np.argsort(-keys, axis=1)
    listed = np.zeros((n, m), dtype=bool)
    np.put_along_axis(listed, order, np.arange(m) < count[:, None], axis=1)
    drop = rng.choice(3, size=(n, m), p=LEVEL_DROP_PROBABILITY)
    ranks = np.where(listed, np.clip(need[roles] - drop, 1, 4), 0).astype(np.uint8)
    statuses = rng.choice(len(STATUSES), size=(n, m), p=STATUS_PROBABILITY).astype(np.uint8)
    return ranks, statuses


def sample_profiles(targets: list[Target], ids: list[str], n: int, seed: int = 0,
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` people: role index (n,), held rank 0..4 (n, items) uint8, status index 0..2 (n, items) uint8.

    Status is only meaningful where the rank is above 0. Built in chunks to bound memory.
    """
    rng = np.random.default_rng(seed)
    log_weight, need = role_arrays(targets, ids)
    roles = rng.integers(0, len(targets), size=n)
    ranks = np.zeros((n, len(ids)), dtype=np.uint8)
    statuses = np.zeros((n, len(ids)), dtype=np.uint8)
    for start in range(0, n, CHUNK):
        ranks[start:start + CHUNK], statuses[start:start + CHUNK] = _chunk(
            rng, roles[start:start + CHUNK], log_weight, need)
    return roles, ranks, statuses
