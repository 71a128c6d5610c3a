"""IPA examination results -> evidence through the taxonomy's exam crosswalk (a pass only).

A pass of exam X is evidence of each linked skill item at the link's level, weighted by how sure the
crosswalk is of the link. A fail is kept (it is the learner's record) but gives no evidence.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from skills.models import ExamResult
from skills.sources.common import drop_evidence, profile_skill_ids, replace_evidence
from taxonomies.dss import Exam, get_taxonomy

SOURCE = "exam"
EXAM_WEIGHT = 0.9
LINK_CONFIDENCE = {"high": 1.0, "medium": 0.75, "low": 0.5}


def find_exam(exam: str) -> Exam:
    """An exam by id or code (``fe``, ``FE``), or a 422 naming the known ones."""
    key = exam.strip().lower()
    for candidate in get_taxonomy().exam_crosswalk():
        if key in (candidate.id.lower(), candidate.code.lower()):
            return candidate
    known = ", ".join(e.id for e in get_taxonomy().exam_crosswalk())
    raise InvalidInput(f"unknown IPA exam {exam!r}; known: {known}", field="exam")


def exam_pieces(exam: Exam) -> list[tuple[str, str, float]]:
    """(skill_id, level, weight) for a pass of ``exam``."""
    pieces = []
    for link in exam.links:
        for skill_id in profile_skill_ids(link.skill_id):
            pieces.append((skill_id, link.level, EXAM_WEIGHT * LINK_CONFIDENCE.get(link.confidence, 0.5)))
    return pieces


async def add_exam_result(session: AsyncSession, person_id: uuid.UUID, exam_key: str, taken_on: date,
                          passed: bool, score: float | None = None) -> ExamResult:
    """Store a result and, for a pass, its evidence; the same exam on the same day is refused."""
    exam = find_exam(exam_key)
    if taken_on > utcnow().date():
        raise InvalidInput("the exam date is in the future", field="date")
    if score is not None and not 0 <= score <= 1000:
        raise InvalidInput("score must be between 0 and 1000", field="score")
    found = await session.execute(select(ExamResult.id).where(
        ExamResult.person_id == person_id, ExamResult.exam_id == exam.id, ExamResult.taken_on == taken_on))
    if found.first() is not None:
        raise Conflict(f"a result for {exam.code} on {taken_on} is already recorded", field="exam")
    raw = {"exam": exam_key, "date": taken_on.isoformat(), "passed": passed, "score": score}
    result = ExamResult(person_id=person_id, exam_id=exam.id, taken_on=taken_on, passed=passed, score=score,
                        raw=raw)
    session.add(result)
    await session.flush()
    if passed:
        await replace_evidence(session, person_id, SOURCE, result.id, exam_pieces(exam),
                               f"{exam.name_ja} / {exam.name_en}", taken_on)
    return result


async def list_exam_results(session: AsyncSession, person_id: uuid.UUID) -> list[ExamResult]:
    rows = await session.execute(select(ExamResult).where(ExamResult.person_id == person_id)
                                 .order_by(ExamResult.taken_on, ExamResult.exam_id))
    return list(rows.scalars())


async def get_exam_result(session: AsyncSession, person_id: uuid.UUID, result_id: uuid.UUID) -> ExamResult:
    result = await session.get(ExamResult, result_id)
    if result is None or result.person_id != person_id:
        raise NotFound("No such exam result.")
    return result


async def delete_exam_result(session: AsyncSession, person_id: uuid.UUID, result_id: uuid.UUID) -> None:
    result = await get_exam_result(session, person_id, result_id)
    await drop_evidence(session, person_id, result.id)
    await session.delete(result)
