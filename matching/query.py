"""Candidate search over the in-memory index: vectorised filters, coverage scores, top-k.

1. Filter: each skill filter reads its item's posting list (the rows holding it) and compares the
   codes (``code > 4 * rank(min level)``, plus ``code & 3 == 3`` for verified only). ``match="all"``
   starts from the shortest list and narrows it item by item; ``"any"`` marks the union. Then the
   prefecture and the live-row masks. No filters: every live row is a candidate.
2. Score: coverage of the ranking target (a role, a posting, or else the filters themselves) as a
   uint16 sum of per-item lookup tables; a role's coverage is precomputed in the index. Few
   candidates: gather their codes; many: add each need's table over the item's holders only.
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


def _passes(index: CandidateIndex, f: SkillFilter, rows: np.ndarray, verified_only: bool) -> np.ndarray:
    """Which of ``rows`` hold the filter's item at its level (verified, if asked)."""
    position = index.positions.get(f.skill_id)
    if position is None:
        return np.zeros(len(rows), dtype=bool)
    codes = index.codes[position][rows]
    passes = codes > 4 * level_rank(f.min_level)
    if verified_only:
        passes &= (codes & 3) == 3
    return passes


def _holders(index: CandidateIndex, f: SkillFilter) -> tuple[np.ndarray, bool]:
    position = index.positions.get(f.skill_id)
    if position is None:
        return np.zeros(0, dtype=np.int32), False
    return index.holders(position), index.has_extra(position)


def candidate_rows(index: CandidateIndex, query: CandidateQuery) -> np.ndarray | None:
    """Sorted rows that pass the filters, the prefecture and are alive; None when nothing filters
    (every live row is a candidate). Filters read only their items' posting lists."""
    if not query.filters:
        return None
    if query.match == "all":
        lists = sorted((_holders(index, f) + (f,) for f in query.filters), key=lambda t: len(t[0]))
        rows, duplicates, _ = lists[0]
        for f in [t[2] for t in lists]:
            rows = rows[_passes(index, f, rows, query.verified_only)]
        if duplicates:
            rows = np.unique(rows)
    else:
        seen = np.zeros(index.size, dtype=bool)
        for f in query.filters:
            rows, _ = _holders(index, f)
            seen[rows[_passes(index, f, rows, query.verified_only)]] = True
        rows = np.flatnonzero(seen)
    keep = index.alive[rows]
    if query.prefecture is not None:
        code = index.prefecture_lookup(query.prefecture)
        keep &= (index.prefecture[rows] == code) if code is not None else False
    return rows[keep]


def coverage_scores(index: CandidateIndex, target: Target, rows: np.ndarray | None) -> np.ndarray:
    """uint16 coverage (0..SCALE) of the target for ``rows`` (None: every row up to size).

    A role's coverage is read from the index. Otherwise few rows are scored by gathering their codes;
    many rows by adding each need's lookup table over the item's holders into a full-length array.
    """
    n = index.size
    if target.kind == "role" and target.id in index.role_positions:
        column = index.role_score[index.role_positions[target.id], :n]
        return column[rows] if rows is not None else column
    luts = target_luts(target, index.positions)
    if rows is not None and len(rows) * SPARSE_SHARE < n:
        score = np.zeros(len(rows), dtype=np.uint16)
        for position, lut in luts:
            score += lut[index.codes[position][rows]]
        return score
    full = np.zeros(n, dtype=np.uint16)
    for position, lut in luts:
        holders = index.holders(position)  # duplicates are harmless: a[i] += v adds once per index
        full[holders] += lut[index.codes[position][holders]]
    return full[rows] if rows is not None else full


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
        rows = candidate_rows(index, query)
        if rows is None:
            live = index.alive[:n]
            if query.prefecture is not None:
                code = index.prefecture_lookup(query.prefecture)
                live = live & ((index.prefecture[:n] == code) if code is not None else False)
            key = np.where(live, coverage_scores(index, target, None) + np.uint16(1), 0).astype(np.uint16)
            updated = index.updated[:n]
        else:
            key = coverage_scores(index, target, rows).astype(np.uint16) + np.uint16(1)
            updated = index.updated[rows]
        if floor > 1:
            key[key < floor] = 0
        total = int(np.count_nonzero(key))
        if total == 0 or window <= query.offset:
            return SearchPage(total, [])
        chosen = top_positions(key, updated, window)[query.offset:window]
        found = rows[chosen] if rows is not None else chosen
        hits = [Hit(int(r), (int(k) - 1) / SCALE) for r, k in zip(found, key[chosen], strict=True)]
    return SearchPage(total, hits)
