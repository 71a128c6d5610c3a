"""Candidate search over the in-memory index: vectorised filters, coverage scores, top-k.

1. Filter: each skill filter is one comparison over one contiguous item array
   (``code > 4 * rank(min level)``, plus ``code & 3 == 3`` for verified only); filters are AND-ed
   (``match="all"``) or OR-ed (``"any"``), then the prefecture and the live-row masks.
2. Score: coverage of the ranking target (a role, a posting, or else the filters themselves) as a
   uint16 sum of per-item lookup tables; a role's coverage is precomputed in the index. Few survivors:
   gather them first; many: score every row and mask.
3. Top-k: a histogram of the uint16 keys gives the threshold of the best ``offset + limit``; only
   rows at or above it are sorted (by coverage, then most recently updated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.index import SCALE, CandidateIndex, target_luts
from matching.roles import Target
from taxonomies.dss import level_rank

MATCH_MODES = ("all", "any")
MAX_WINDOW = 10_000  # offset + limit
SPARSE_SHARE = 8  # gather first when fewer than 1/8 of the rows pass the filters


@dataclass(frozen=True)
class SkillFilter:
    skill_id: str
    min_level: str = "d"


@dataclass(frozen=True)
class CandidateQuery:
    """Who to find and how to rank them; ``target`` None ranks by the filters' own items and levels."""

    filters: tuple[SkillFilter, ...] = ()
    match: str = "all"
    verified_only: bool = False
    target: Target | None = None
    prefecture: str | None = None
    min_coverage: float = 0.0
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class Hit:
    row: int
    coverage: float  # as the index computed it (1/60000 resolution)


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: list[Hit]


def ranking_target(query: CandidateQuery) -> Target:
    """The query's target, or one made of its filters."""
    if query.target is not None:
        return query.target
    needs = {f.skill_id: f.min_level for f in query.filters}
    return Target("query", "query", "検索条件", "search filters", needs)


def filter_mask(index: CandidateIndex, query: CandidateQuery) -> np.ndarray:
    """Rows that pass the filters, the prefecture and are alive."""
    n = index.size
    mask = index.alive[:n].copy()
    if query.prefecture is not None:
        code = index.prefecture_lookup(query.prefecture)
        mask &= (index.prefecture[:n] == code) if code is not None else False
    if query.filters:
        combined = None
        for f in query.filters:
            position = index.positions.get(f.skill_id)
            column = index.codes[position, :n] if position is not None else np.zeros(n, dtype=np.uint8)
            passes = column > 4 * level_rank(f.min_level)
            if query.verified_only:
                passes &= (column & 3) == 3
            if combined is None:
                combined = passes
            elif query.match == "all":
                combined &= passes
            else:
                combined |= passes
        mask &= combined
    return mask


def coverage_scores(index: CandidateIndex, target: Target, rows: np.ndarray | None) -> np.ndarray:
    """uint16 coverage (0..SCALE) of the target for ``rows`` (None: every row up to size)."""
    n = index.size
    if target.kind == "role" and target.id in index.role_positions:
        column = index.role_score[index.role_positions[target.id], :n]
        return column[rows] if rows is not None else column
    score = np.zeros(n if rows is None else len(rows), dtype=np.uint16)
    for position, lut in target_luts(target, index.positions):
        codes = index.codes[position, :n]
        score += lut[codes[rows] if rows is not None else codes]
    return score


def top_positions(key: np.ndarray, updated: np.ndarray, window: int) -> np.ndarray:
    """Positions of the ``window`` largest non-zero keys, best first (ties: larger ``updated``)."""
    counts = np.bincount(key, minlength=SCALE + 2)
    counts[0] = 0
    above = np.cumsum(counts[::-1])[::-1]  # above[t] = number of keys >= t
    reach = np.flatnonzero(above >= window)
    threshold = int(reach[-1]) if len(reach) else 1
    candidates = np.flatnonzero(key >= max(threshold, 1))
    composite = (key[candidates].astype(np.int64) << 32) | updated[candidates].astype(np.int64)
    if len(candidates) > window:
        keep = np.argpartition(-composite, window - 1)[:window]
        candidates, composite = candidates[keep], composite[keep]
    return candidates[np.argsort(-composite, kind="stable")]


def search(index: CandidateIndex, query: CandidateQuery) -> SearchPage:
    """One page of candidates, best first, and how many match in all."""
    window = min(query.offset + query.limit, MAX_WINDOW)
    target = ranking_target(query)
    floor = int(round(query.min_coverage * SCALE)) + 1  # key = coverage + 1, so 0 means "filtered out"
    with index.lock:
        n = index.size
        mask = filter_mask(index, query)
        passing = int(np.count_nonzero(mask))
        if passing == 0:
            return SearchPage(0, [])
        if passing * SPARSE_SHARE < n:
            rows = np.flatnonzero(mask)
            key = coverage_scores(index, target, rows).astype(np.uint16) + np.uint16(1)
            updated = index.updated[rows]
        else:
            rows = None
            key = np.where(mask, coverage_scores(index, target, None) + np.uint16(1), 0).astype(np.uint16)
            updated = index.updated[:n]
        if floor > 1:
            key[key < floor] = 0
        total = passing if floor <= 1 else int(np.count_nonzero(key))
        chosen = top_positions(key, updated, window)[query.offset:window] if window > query.offset else []
        found = rows[chosen] if rows is not None else chosen
        hits = [Hit(int(r), (int(k) - 1) / SCALE) for r, k in zip(found, key[chosen], strict=True)]
    return SearchPage(total, hits)
