"""A learner's corrections of the skills the mapper read in their learning records.

A learner can say a record shows a skill at a lower level than the mapper read, or not at all (rejected).
The correction is stored as theirs (``SkillCorrection``, keyed by the record's dedupe key), applied to the
record's evidence at once, and applied again whenever the record's evidence is written (an import of the
same record after deleting it), so the mapper never silently overrides it. A record backs at most what the
mapper read in it: a higher level is the learner's own word, which is what a self-assessment is for.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from skills.models import LearningRecordRow, SkillCorrection, SkillEvidence
from taxonomies.dss import LEVELS, level_rank

SOURCE = "record"


@dataclass(frozen=True)
class RecordSkill:
    """A skill of one record as the learner sees it: the level that counts, what the mapper read, and
    whether that is the learner's correction (``rejected``: it counts for nothing)."""

    skill_id: str
    level: str | None
    mapped_level: str
    corrected: bool

    @property
    def rejected(self) -> bool:
        return self.corrected and self.level is None


async def _corrections(session: AsyncSession, person_id: uuid.UUID,
                       keys: Iterable[str]) -> dict[tuple[str, str], SkillCorrection]:
    keys = list(set(keys))
    if not keys:
        return {}
    rows = await session.execute(select(SkillCorrection).where(SkillCorrection.person_id == person_id,
                                                               SkillCorrection.record_key.in_(keys)))
    return {(c.record_key, c.skill_id): c for c in rows.scalars()}


async def apply(session: AsyncSession, person_id: uuid.UUID, record_key: str,
                pieces: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """The mapper's pieces (skill_id, level, weight) of one record with the learner's corrections applied;
    a correction also learns what the mapper says now (shown as "the mapper read")."""
    found = await _corrections(session, person_id, [record_key])
    kept = []
    for skill_id, level, weight in pieces:
        correction = found.get((record_key, skill_id))
        if correction is None:
            kept.append((skill_id, level, weight))
            continue
        correction.mapped_level, correction.mapped_weight = level, weight
        if correction.level is not None:
            lower = min(correction.level, level, key=level_rank)
            kept.append((skill_id, lower, weight))
    return kept


async def _record(session: AsyncSession, person_id: uuid.UUID, record_id: uuid.UUID) -> LearningRecordRow:
    row = await session.get(LearningRecordRow, record_id)
    if row is None or row.person_id != person_id:
        raise NotFound("No such learning record.")
    return row


async def _evidence(session: AsyncSession, person_id: uuid.UUID, record_id: uuid.UUID) -> list[SkillEvidence]:
    rows = await session.execute(select(SkillEvidence).where(SkillEvidence.person_id == person_id,
                                                             SkillEvidence.source_id == record_id))
    return list(rows.scalars())


async def correct(session: AsyncSession, person_id: uuid.UUID, record_id: uuid.UUID, skill_id: str,
                  level: str | None) -> SkillCorrection:
    """Keep ``level`` (None: reject) as the learner's correction of ``skill_id`` in the record and rewrite
    the record's evidence; the caller recomputes the profile. Only a skill the mapper read in the record,
    and only at or below the level it read."""
    record = await _record(session, person_id, record_id)
    correction = (await _corrections(session, person_id, [record.dedupe_key])).get((record.dedupe_key, skill_id))
    piece = next((e for e in await _evidence(session, person_id, record_id) if e.skill_id == skill_id), None)
    if correction is None and piece is None:
        raise NotFound("The mapper did not read this skill in the record.", field="skill_id")
    mapped_level = correction.mapped_level if correction else piece.level
    if level is not None and (level not in LEVELS or level_rank(level) > level_rank(mapped_level)):
        raise InvalidInput(f"level must be one of {', '.join(l for l in LEVELS if level_rank(l) <= level_rank(mapped_level))}"
                           " (a record backs at most what was read in it; assess yourself for more)", field="level")
    if correction is None:
        correction = SkillCorrection(person_id=person_id, record_key=record.dedupe_key, skill_id=skill_id,
                                     mapped_level=piece.level, mapped_weight=piece.weight)
        session.add(correction)
    correction.level = level
    await _rewrite(session, person_id, record, correction)
    return correction


async def undo(session: AsyncSession, person_id: uuid.UUID, record_id: uuid.UUID, skill_id: str) -> None:
    """Drop the learner's correction: the record counts as the mapper read it again."""
    record = await _record(session, person_id, record_id)
    correction = (await _corrections(session, person_id, [record.dedupe_key])).get((record.dedupe_key, skill_id))
    if correction is None:
        raise NotFound("No correction of this skill in the record.", field="skill_id")
    correction.level = correction.mapped_level
    await _rewrite(session, person_id, record, correction)
    await session.delete(correction)


async def _rewrite(session: AsyncSession, person_id: uuid.UUID, record: LearningRecordRow,
                   correction: SkillCorrection) -> None:
    for row in await _evidence(session, person_id, record.id):
        if row.skill_id == correction.skill_id:
            await session.delete(row)
    if correction.level is not None:
        session.add(SkillEvidence(person_id=person_id, source=SOURCE, source_id=record.id,
                                  skill_id=correction.skill_id, level=correction.level,
                                  weight=correction.mapped_weight, label=record.title[:500],
                                  observed_on=record.completion_date))
    await session.flush()


async def record_skills(session: AsyncSession, person_id: uuid.UUID,
                        records: list[LearningRecordRow]) -> dict[uuid.UUID, list[RecordSkill]]:
    """Each record's skills as the learner sees them (rejected ones too), by skill id."""
    if not records:
        return {}
    found = await _corrections(session, person_id, [r.dedupe_key for r in records])
    rows = await session.execute(select(SkillEvidence).where(
        SkillEvidence.person_id == person_id, SkillEvidence.source == SOURCE,
        SkillEvidence.source_id.in_([r.id for r in records])))
    evidence: dict[uuid.UUID, dict[str, SkillEvidence]] = {}
    for row in rows.scalars():
        evidence.setdefault(row.source_id, {})[row.skill_id] = row
    shown = {}
    for record in records:
        pieces = evidence.get(record.id, {})
        skills = {skill_id: RecordSkill(skill_id, e.level, e.level, False) for skill_id, e in pieces.items()}
        for (key, skill_id), c in found.items():
            if key == record.dedupe_key and (c.level is None or skill_id in pieces):
                skills[skill_id] = RecordSkill(skill_id, c.level, c.mapped_level, True)
        shown[record.id] = [skills[s] for s in sorted(skills)]
    return shown
