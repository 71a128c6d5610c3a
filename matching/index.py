"""The in-memory candidate index: every discoverable profile as one byte per skill item.

Layout (column store, one array per attribute, row = person):

* ``codes``: uint8 matrix (skill items x rows); code = rank(level) * 4 + status (self-declared 1,
  evidenced 2, verified 3), 0 when the item is not held or not consented. One item's row of the
  matrix is contiguous, so a filter on ten items reads ten contiguous arrays. "Level >= L" is the
  single comparison ``code > 4 * rank(L)``.
* ``role_score``: uint16 (roles x rows), each person's coverage of every DSS role, scaled to 0..60000,
  so that a role-template search reads one array; ``best_role``: int8, the role of highest fit (trends).
* ``prefecture`` (uint8 category), ``month`` (int32, year * 12 + month - 1 of the last update),
  ``updated`` (uint32 seconds since 2020, tie-breaker), ``alive`` (bool), person ids as two uint64.
* display names (only when consented) in a Python list.
* per-item posting lists: the rows holding each item (a superset after updates: a row appended when a
  person gains the item stays listed until the list is rebuilt; its code then reads 0), so scoring
  ten items touches only their holders, not every row.

Lookup person id -> row: a sorted array of the ids' high 64 bits plus a dict for rows added since the
last compaction. Removed people leave a dead row that the next insert reuses. Every method is
synchronous; callers serialise mutations and searches with :attr:`lock`.
"""

from __future__ import annotations

import functools
import sys
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from matching.roles import EVIDENCE_FACTOR, IMPORTANCE_WEIGHT, Held, Target
from taxonomies.dss import LEVELS, level_rank

STATUS_CODE = {"self_declared": 1, "evidenced": 2, "verified": 3}
CODE_STATUS = {code: status for status, code in STATUS_CODE.items()}
SCALE = 60_000  # coverage 1.0 as an integer; a sum over items stays within uint16
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
COMPACT_AFTER = 50_000
POSTING_REBUILD_AFTER = 4096  # rows appended to one item's posting list before it is rebuilt
_LOW64 = (1 << 64) - 1
TRANSPOSE_BLOCK = 256  # people per block when row-major columns are copied into the item-major matrix


def encode(level: str, status: str) -> int:
    """The byte stored for a held item."""
    return level_rank(level) * 4 + STATUS_CODE[status]


def decode(code: int) -> Held | None:
    """The held level and status of a byte (None for 0 or a byte no level encodes to)."""
    if not 1 <= code >> 2 <= len(LEVELS) or not code & 3:
        return None
    return Held(LEVELS[len(LEVELS) - (code >> 2)], CODE_STATUS[code & 3])


@functools.cache
def _valid_codes() -> tuple[tuple[int, Held], ...]:
    return tuple((code, held) for code in range(256) if (held := decode(code)) is not None)


def coverage_lut(required: str, share: float) -> np.ndarray:
    """code -> round(SCALE * share * e(status) * min(rank(h) / rank(r), 1)), as uint16 (256 entries)."""
    lut = np.zeros(256, dtype=np.float64)
    for code, held in _valid_codes():
        lut[code] = EVIDENCE_FACTOR[held.status] * min(level_rank(held.level) / level_rank(required), 1.0)
    return np.floor(lut * share * SCALE).astype(np.uint16)


def target_luts(target: Target, positions: Mapping[str, int]) -> list[tuple[int, np.ndarray]]:
    """(item position, lookup table) for each need of a target; the tables sum to at most SCALE."""
    total = sum(IMPORTANCE_WEIGHT[r] for r in target.requirements.values())
    return [(positions[s], coverage_lut(r, IMPORTANCE_WEIGHT[r] / total))
            for s, r in target.requirements.items() if s in positions]


def fit_lut(required: str, role_norm: float) -> np.ndarray:
    """code -> e * rank(h) * w(r) / |w|: the per-item term of a role's fit (see matching.roles.fit)."""
    lut = np.zeros(256, dtype=np.float32)
    for code, held in _valid_codes():
        lut[code] = EVIDENCE_FACTOR[held.status] * level_rank(held.level) * IMPORTANCE_WEIGHT[required]
    return lut / role_norm


def month_of(moment: datetime) -> int:
    return moment.year * 12 + moment.month - 1


def seconds_of(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(int((moment - EPOCH).total_seconds()), 0)


@dataclass(frozen=True)
class IndexedProfile:
    """What the index keeps of one person (all of it consented)."""

    person_id: uuid.UUID
    display_name: str | None
    prefecture: str | None
    skills: Mapping[str, Held]
    updated_at: datetime


class CandidateIndex:
    """Columns of every discoverable profile; see the module docstring."""

    def __init__(self, item_ids: Iterable[str], roles: list[Target], capacity: int = 1024) -> None:
        self.item_ids = tuple(item_ids)
        self.positions = {sid: i for i, sid in enumerate(self.item_ids)}
        self.roles = roles
        self.role_positions = {t.id: i for i, t in enumerate(roles)}
        self._role_luts = [target_luts(t, self.positions) for t in roles]
        self._fit_luts = [self._fit_terms(t) for t in roles]
        self._role_table, self._fit_table = self._tables()
        self.prefectures: list[str] = [""]  # code 0: not given
        self._prefecture_codes: dict[str, int] = {}
        self.lock = threading.RLock()
        self.version = 0
        self.size = 0
        self._free: list[int] = []
        self._allocate(capacity)
        self._postings: list[np.ndarray] = [np.zeros(0, dtype=np.int32) for _ in self.item_ids]
        self._posting_extra: list[list[int]] = [[] for _ in self.item_ids]
        self._sorted_hi = np.zeros(0, dtype=np.uint64)
        self._sorted_rows = np.zeros(0, dtype=np.int64)
        self._recent: dict[uuid.UUID, int] = {}

    def _fit_terms(self, role: Target) -> list[tuple[int, np.ndarray]]:
        norm = float(np.sqrt(sum(IMPORTANCE_WEIGHT[r] ** 2 for r in role.requirements.values())))
        return [(self.positions[s], fit_lut(r, norm))
                for s, r in role.requirements.items() if s in self.positions]

    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        """The lookup tables as (roles, items, 256) arrays, for scoring a few rows in one gather."""
        coverage = np.zeros((len(self.roles), len(self.item_ids), 256), dtype=np.uint16)
        fit = np.zeros((len(self.roles), len(self.item_ids), 256), dtype=np.float32)
        for r, (luts, fits) in enumerate(zip(self._role_luts, self._fit_luts, strict=True)):
            for position, lut in luts:
                coverage[r, position] = lut
            for position, lut in fits:
                fit[r, position] = lut
        return coverage, fit

    def _allocate(self, capacity: int) -> None:
        self.capacity = capacity
        self.codes = np.zeros((len(self.item_ids), capacity), dtype=np.uint8)
        self.role_score = np.zeros((len(self.roles), capacity), dtype=np.uint16)
        self.best_role = np.full(capacity, -1, dtype=np.int8)
        self.prefecture = np.zeros(capacity, dtype=np.uint8)
        self.month = np.zeros(capacity, dtype=np.int32)
        self.updated = np.zeros(capacity, dtype=np.uint32)
        self.alive = np.zeros(capacity, dtype=bool)
        self.id_hi = np.zeros(capacity, dtype=np.uint64)
        self.id_lo = np.zeros(capacity, dtype=np.uint64)
        self.names: list[str | None] = [None] * capacity

    def _grow(self, needed: int) -> None:
        columns = ("codes", "role_score", "best_role", "prefecture", "month", "updated", "alive", "id_hi",
                   "id_lo")
        old = {name: getattr(self, name) for name in columns}
        names = self.names
        self._allocate(max(needed, int(self.capacity * 1.5) + 1))
        for name, array in old.items():
            getattr(self, name)[..., :array.shape[-1]] = array
        self.names[:len(names)] = names

    # -- bulk loading ---------------------------------------------------------------------------
    def load_arrays(self, ids: np.ndarray, codes: np.ndarray, prefecture: np.ndarray, month: np.ndarray,
                    updated: np.ndarray, names: list[str | None] | None = None) -> None:
        """Replace the content with ``n`` people: ids (n, 2) uint64 [hi, lo], codes (items, n) uint8,
        prefecture codes (n,) into :attr:`prefectures`, months, update seconds, optional names."""
        n = codes.shape[1]
        with self.lock:
            self._allocate(n + max(1024, n // 20))  # headroom: new people should not force a copy soon
            self.codes[:, :n] = codes
            self.id_hi[:n], self.id_lo[:n] = ids[:, 0], ids[:, 1]
            self.prefecture[:n], self.month[:n], self.updated[:n] = prefecture, month, updated
            self.alive[:n] = True
            if names is not None:
                self.names[:n] = names
            self.size, self._free = n, []
            self._finish_load()

    def begin_load(self, expected: int) -> None:
        """Empty the index, with room for about ``expected`` people appended by :meth:`append_chunk`."""
        with self.lock:
            self._allocate(expected + max(1024, expected // 20))
            self.size, self._free = 0, []

    def append_chunk(self, hi: list[int], lo: list[int], names: list[str | None], prefecture: list[int],
                     updated: list[datetime], cell_rows: list[int], cell_items: list[int],
                     cell_codes: list[int]) -> None:
        """Append ``len(hi)`` people: id halves, names, prefecture codes, update times, and their held items
        as (row within the chunk, item position, code) cells. Called by the streamed load, between
        :meth:`begin_load` and :meth:`end_load`."""
        with self.lock:
            start, count = self.size, len(hi)
            if start + count > self.capacity:
                self._grow(start + count)
            rows = slice(start, start + count)
            self.id_hi[rows], self.id_lo[rows] = hi, lo
            self.names[rows] = names
            self.prefecture[rows] = prefecture
            self.month[rows] = [month_of(moment) for moment in updated]
            self.updated[rows] = [seconds_of(moment) for moment in updated]
            self.alive[rows] = True
            rows_of = np.asarray(cell_rows, dtype=np.int64) + start
            items, codes = np.asarray(cell_items, dtype=np.intp), np.asarray(cell_codes, dtype=np.uint8)
            self.codes[items, rows_of] = codes
            self._score_cells(rows_of, items, codes)
            self.size = start + count

    def append_packed(self, ids: np.ndarray, rows: np.ndarray, names: list[str | None],
                      prefecture: list[int]) -> None:
        """Append people whose columns were computed when they were stored (``matching.candidates``): ids
        (n, 2) uint64 [hi, lo], a structured array with ``codes``, ``score``, ``best``, ``updated`` and
        ``month`` fields, names and prefecture codes. Between :meth:`begin_load` and :meth:`end_load`."""
        with self.lock:
            start, count = self.size, len(ids)
            if start + count > self.capacity:
                self._grow(start + count)
            span = slice(start, start + count)
            self.id_hi[span], self.id_lo[span] = ids[:, 0], ids[:, 1]
            codes, scores = rows["codes"], rows["score"]
            for block in range(0, count, TRANSPOSE_BLOCK):  # a cache-sized block transposes ~5x faster
                done = min(block + TRANSPOSE_BLOCK, count)
                self.codes[:, start + block:start + done] = codes[block:done].T
                self.role_score[:, start + block:start + done] = scores[block:done].T
            self.best_role[span] = rows["best"]
            self.updated[span], self.month[span] = rows["updated"], rows["month"]
            self.prefecture[span] = prefecture
            self.names[span] = names
            self.alive[span] = True
            self.size = start + count

    def _score_cells(self, rows: np.ndarray, items: np.ndarray, codes: np.ndarray) -> None:
        """Role coverage and best role of fresh rows from their held cells, grouped by row in ascending
        order: a person holds a few items, so this reads only those (rows without cells keep 0 and -1)."""
        if not len(rows):
            return
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        held = rows[starts]
        self.role_score[:, held] = np.add.reduceat(self._role_table[:, items, codes], starts, axis=1)
        fit = np.add.reduceat(self._fit_table[:, items, codes], starts, axis=1)
        self.best_role[held] = np.where(fit.max(axis=0) > 0, fit.argmax(axis=0), -1)

    def end_load(self) -> None:
        """Build the id lookup and the posting lists of what was appended (roles are scored per chunk)."""
        with self.lock:
            self._finish_load(score=False)

    def _finish_load(self, score: bool = True) -> None:
        n = self.size
        if score:
            self._score_roles(slice(0, n))
        self._compact()
        for position in range(len(self.item_ids)):
            self._rebuild_posting(position)
        self.version += 1

    def load(self, profiles: Iterable[IndexedProfile]) -> None:
        """Replace the content with these people."""
        profiles = list(profiles)
        n = len(profiles)
        codes = np.zeros((len(self.item_ids), n), dtype=np.uint8)
        ids = np.zeros((n, 2), dtype=np.uint64)
        prefecture = np.zeros(n, dtype=np.uint8)
        month = np.zeros(n, dtype=np.int32)
        updated = np.zeros(n, dtype=np.uint32)
        for row, p in enumerate(profiles):
            self._encode_into(codes[:, row], p.skills)
            ids[row] = (p.person_id.int >> 64, p.person_id.int & _LOW64)
            prefecture[row] = self.prefecture_code(p.prefecture)
            month[row], updated[row] = month_of(p.updated_at), seconds_of(p.updated_at)
        self.load_arrays(ids, codes, prefecture, month, updated, [p.display_name for p in profiles])

    def _encode_into(self, column: np.ndarray, skills: Mapping[str, Held]) -> None:
        column[:] = 0
        for skill_id, held in skills.items():
            position = self.positions.get(skill_id)
            if position is not None:
                column[position] = encode(held.level, held.status)

    def prefecture_code(self, prefecture: str | None) -> int:
        if not prefecture:
            return 0
        code = self._prefecture_codes.get(prefecture)
        if code is None:
            if len(self.prefectures) >= 255:
                return 0
            code = self._prefecture_codes[prefecture] = len(self.prefectures)
            self.prefectures.append(prefecture)
        return code

    def prefecture_lookup(self, prefecture: str) -> int | None:
        """The category code of a prefecture, None if no one in the index gave it."""
        return self._prefecture_codes.get(prefecture)

    def _score_rows(self, rows: np.ndarray) -> None:
        """Role coverage and best role for a few rows: one gather from the (roles, items, 256) tables."""
        codes = self.codes[:, rows]  # (items, k)
        items = np.arange(len(self.item_ids))[:, None]
        self.role_score[:, rows] = self._role_table[:, items, codes].sum(axis=1)
        fit = self._fit_table[:, items, codes].sum(axis=1)  # (roles, k)
        self.best_role[rows] = np.where(fit.max(axis=0) > 0, fit.argmax(axis=0), -1)

    def _score_roles(self, rows: slice | np.ndarray) -> None:
        """Coverage of every role and the best-fitting role, for the given rows (item by item)."""
        codes = self.codes[:, rows]
        count = codes.shape[1]
        best, best_fit = np.full(count, -1, dtype=np.int8), np.zeros(count, dtype=np.float32)
        for r, (luts, fits) in enumerate(zip(self._role_luts, self._fit_luts, strict=True)):
            score = np.zeros(count, dtype=np.uint16)
            fit = np.zeros(count, dtype=np.float32)
            for position, lut in luts:
                score += lut[codes[position]]
            for position, lut in fits:
                fit += lut[codes[position]]
            self.role_score[r, rows] = score
            better = fit > best_fit
            best[better], best_fit[better] = r, fit[better]
        self.best_role[rows] = best

    # -- lookup ---------------------------------------------------------------------------------
    def _compact(self) -> None:
        """Rebuild the sorted id lookup from the live rows; forget the recent dict."""
        rows = np.flatnonzero(self.alive[:self.size])
        order = np.argsort(self.id_hi[rows], kind="stable")
        self._sorted_hi, self._sorted_rows = self.id_hi[rows][order], rows[order]
        self._recent = {}

    def row_of(self, person_id: uuid.UUID) -> int | None:
        """The live row of a person, or None."""
        row = self._recent.get(person_id)
        if row is not None and self.alive[row]:
            return row
        hi, lo = np.uint64(person_id.int >> 64), np.uint64(person_id.int & _LOW64)
        start = int(np.searchsorted(self._sorted_hi, hi, side="left"))
        end = int(np.searchsorted(self._sorted_hi, hi, side="right"))
        for candidate in self._sorted_rows[start:end]:
            if self.alive[candidate] and self.id_lo[candidate] == lo and self.id_hi[candidate] == hi:
                return int(candidate)
        return None

    def person_id(self, row: int) -> uuid.UUID:
        return uuid.UUID(int=(int(self.id_hi[row]) << 64) | int(self.id_lo[row]))

    def __len__(self) -> int:
        return int(np.count_nonzero(self.alive[:self.size]))

    # -- incremental changes ---------------------------------------------------------------------
    def upsert(self, profile: IndexedProfile) -> int:
        """Insert or replace one person; returns the row."""
        with self.lock:
            row = self.row_of(profile.person_id)
            if row is None:
                row = self._new_row()
                self.id_hi[row] = profile.person_id.int >> 64
                self.id_lo[row] = profile.person_id.int & _LOW64
                self._recent[profile.person_id] = row
            column = np.zeros(len(self.item_ids), dtype=np.uint8)
            self._encode_into(column, profile.skills)
            gained = np.flatnonzero((column > 0) & (self.codes[:, row] == 0))
            self.codes[:, row] = column
            for position in gained:
                self._add_posting(int(position), row)
            self.prefecture[row] = self.prefecture_code(profile.prefecture)
            self.month[row], self.updated[row] = month_of(profile.updated_at), seconds_of(profile.updated_at)
            self.names[row] = profile.display_name
            self.alive[row] = True
            self._score_rows(np.array([row]))
            if len(self._recent) > COMPACT_AFTER:
                self._compact()
            self.version += 1
            return row

    # -- posting lists ---------------------------------------------------------------------------
    def _rebuild_posting(self, position: int) -> None:
        self._postings[position] = np.flatnonzero(self.codes[position, :self.size]).astype(np.int32)
        self._posting_extra[position] = []

    def _add_posting(self, position: int, row: int) -> None:
        extra = self._posting_extra[position]
        extra.append(row)
        if len(extra) > POSTING_REBUILD_AFTER:
            self._rebuild_posting(position)

    def holders(self, position: int) -> np.ndarray:
        """Rows that may hold the item (every row that does, plus maybe a few that no longer do)."""
        extra = self._posting_extra[position]
        if not extra:
            return self._postings[position]
        return np.concatenate([self._postings[position], np.asarray(extra, dtype=np.int32)])

    def has_extra(self, position: int) -> bool:
        """Whether the item's posting list may hold duplicates (rows appended since its rebuild)."""
        return bool(self._posting_extra[position])

    def _new_row(self) -> int:
        if self._free:
            return self._free.pop()
        if self.size >= self.capacity:
            self._grow(self.size + 1)
        self.size += 1
        return self.size - 1

    def remove(self, person_id: uuid.UUID) -> bool:
        """Forget a person (no longer discoverable); True if they were there."""
        with self.lock:
            row = self.row_of(person_id)
            if row is None:
                return False
            self.alive[row] = False
            self.codes[:, row] = 0
            self.role_score[:, row] = 0
            self.best_role[row] = -1
            self.names[row] = None
            self._recent.pop(person_id, None)
            self._free.append(row)
            self.version += 1
            return True

    # -- reading one person ----------------------------------------------------------------------
    def profile_of(self, row: int) -> dict[str, Held]:
        """The held items of a row, decoded."""
        column = self.codes[:, row]
        held = {self.item_ids[i]: decode(int(column[i])) for i in np.flatnonzero(column)}
        return {skill_id: h for skill_id, h in held.items() if h is not None}

    def memory_bytes(self) -> int:
        """Bytes held by the arrays and the names (strings counted by their payload)."""
        arrays = (self.codes, self.role_score, self.best_role, self.prefecture, self.month, self.updated,
                  self.alive, self.id_hi, self.id_lo, self._sorted_hi, self._sorted_rows, *self._postings)
        names = 8 * len(self.names) + sum(sys.getsizeof(n) for n in self.names if n)
        return sum(a.nbytes for a in arrays) + names + 200 * len(self._recent)
