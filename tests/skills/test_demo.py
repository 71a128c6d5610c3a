"""The demo loader gives the four demo learners profiles, some discoverable, and changes nothing when run again."""

from __future__ import annotations

from sqlalchemy import func, select

from skillpass.demo import load_demo
from skills.consent import discoverable_profiles
from skills.models import ExamResult, LearningRecordRow, ProfileSnapshot, SelfAssessment, SkillEvidence


async def counts(db) -> tuple[int, ...]:
    models = (LearningRecordRow, ExamResult, SelfAssessment, SkillEvidence, ProfileSnapshot)
    return tuple([(await db.execute(select(func.count()).select_from(m))).scalar_one() for m in models])


async def test_demo_learners_get_profiles_and_a_second_load_changes_nothing(db) -> None:
    await load_demo(db)
    await db.commit()
    first = await counts(db)
    assert first[0] == 17 and first[1] == 4 and first[2] == 7 and first[3] > 20
    rows = await discoverable_profiles(db)
    assert sorted(row.prefecture for row in rows) == ["JP-13", "JP-27", "JP-40"]
    assert all(row.skills for row in rows)

    await load_demo(db)
    await db.commit()
    assert await counts(db) == first
