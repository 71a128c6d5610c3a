"""Candidate search for employers: the process-wide index holder and the explained result page.

The holder builds the index on first use by streaming the stored, index-ready candidate rows
(``matching_candidate``, written with each profile or consent change in its transaction; see
``matching.candidates``) into columns, then keeps it current: a skills change event marks the person
dirty in this process, and each search or trends request also asks the source which people changed
since the last look (other server processes' writes included, with a margin for late commits), re-reads
only those and updates their rows. Searches never read whole profiles from the database.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from matching.index import EPOCH, CandidateIndex
from matching.present import explanation
from matching.profiles import ProfileSource, SkillsProfileSource
from matching.query import CandidateQuery, SearchPage, ranking_target, search
from matching.roles import DEFAULT_VERSION, role_targets, score_target
from taxonomies.dss import get_taxonomy

STATE_KEY = "matching_index"
COMMIT_MARGIN = timedelta(seconds=30)


class IndexHolder:
    """One candidate index per process, built lazily, refreshed from change events (the composition root
    connects ``mark_dirty`` to this process's skills events: ``skillpass.wiring.connect_index``) and from
    the source's record of what other processes changed."""

    def __init__(self, source: ProfileSource | None = None, version: str = DEFAULT_VERSION) -> None:
        self.source = source or SkillsProfileSource()
        self.version = version
        self.index: CandidateIndex | None = None
        self.dirty: set[uuid.UUID] = set()
        self.seen_until: datetime | None = None  # changes by other processes are read from here on
        self._lock = asyncio.Lock()

    def listen(self) -> None:
        """Hear the source's change events (called by the wiring for the app's holder)."""
        self.source.subscribe(self.mark_dirty)

    def close(self) -> None:
        """Stop listening to change events (the holder is being replaced)."""
        self.source.unsubscribe(self.mark_dirty)

    def mark_dirty(self, person_id: uuid.UUID) -> None:
        """Change-event callback: remember the person, re-read them before the next search."""
        self.dirty.add(person_id)

    def empty_index(self) -> CandidateIndex:
        tx = get_taxonomy()
        items = [s.id for v in tx.versions for s in tx.skill_items(v)]
        return CandidateIndex(items, role_targets(self.version))

    async def ready(self, session: AsyncSession) -> CandidateIndex:
        """The index, built or brought up to date (this process's events and other processes' writes)."""
        async with self._lock:
            if self.index is None:
                self.dirty.clear()  # whatever changes from now on is re-read next time
                self.seen_until = _watermark()
                index = self.empty_index()
                await self.source.load_into(session, index)  # streamed into columns
                self.index = index
            else:
                since, self.seen_until = self.seen_until, _watermark()
                self.dirty |= await self.source.changed_since(session, since)
                if self.dirty:
                    await self.apply_changes(session)
            return self.index

    async def apply_changes(self, session: AsyncSession) -> None:
        changed, self.dirty = self.dirty, set()
        current = {p.person_id: p for p in await self.source.load_some(session, changed)}
        for person_id in changed:
            if person_id in current:
                self.index.upsert(current[person_id])
            else:
                self.index.remove(person_id)  # no longer discoverable, or gone


def _watermark() -> datetime:
    """Now, less a margin for transactions that stamped their rows earlier but commit later (re-reading
    a person twice is harmless: upserts are idempotent)."""
    return utcnow() - COMMIT_MARGIN


def holder_of(state: Any) -> IndexHolder:
    """The app's holder (``create_app`` puts one, listening, in its state; a state without one — tests,
    tools — gets one created here that learns of changes only from the source's record)."""
    holder = state.get(STATE_KEY)
    if holder is None:
        holder = IndexHolder()
        state[STATE_KEY] = holder
    return holder


@dataclass(frozen=True)
class CandidateResult:
    person_id: uuid.UUID
    display_name: str | None
    prefecture: str | None
    coverage: float
    updated_at: str
    explanation: dict[str, list[dict[str, Any]]]


def describe_hits(index: CandidateIndex, query: CandidateQuery, page: SearchPage) -> list[CandidateResult]:
    """Each hit with its exact coverage and its explanation (only data the person consented to)."""
    target = ranking_target(query)
    floor = "c" if target.kind == "role" else None
    results = []
    for hit in page.hits:
        match = score_target(index.profile_of(hit.row), target)
        updated = EPOCH + timedelta(seconds=int(index.updated[hit.row]))
        prefecture = index.prefectures[index.prefecture[hit.row]] or None
        results.append(CandidateResult(index.person_id(hit.row), index.names[hit.row], prefecture,
                                       round(match.coverage, 3), updated.isoformat(),
                                       explanation(match, floor)))
    return results


async def find_candidates(holder: IndexHolder, session: AsyncSession,
                          query: CandidateQuery) -> tuple[int, list[CandidateResult]]:
    """Total matches and one explained page; the vectorised search runs in a worker thread."""
    index = await holder.ready(session)

    def work() -> tuple[int, list[CandidateResult]]:
        with index.lock:
            page = search(index, query)
            return page.total, describe_hits(index, query, page)

    return await anyio.to_thread.run_sync(work)
