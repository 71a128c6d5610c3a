"""A learner's corrections of mapped skills: kept as theirs, applied to the profile, refused beyond what the
record shows, the same through the API, and never overwritten when the record is imported again."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from skills.models import LearningRecordRow, SkillCorrection, SkillEvidence
from tests.skills.factories import COURSES, courses_csv
from tests.skills.helpers import learner, send, upload

ROWS = [COURSES[0], COURSES[17]]  # the second reads several skills above level d (data platform, quality)


async def _imported(client) -> list[dict]:
    response = await upload(client, courses_csv(ROWS).encode())
    assert response.status_code == 201, response.text
    return [row for row in response.json()["imported"] if row["skills"]]


async def _evidence(db, record_id: str) -> dict[str, str]:
    db.expire_all()
    rows = await db.execute(select(SkillEvidence).where(SkillEvidence.source_id == uuid.UUID(record_id)))
    return {e.skill_id: e.level for e in rows.scalars()}


async def test_reject_and_lower_are_kept_as_the_learner_s_and_survive_deleting_and_importing_again(client, db) -> None:
    await learner(client)
    rows = [r for r in await _imported(client) if any(s["level"] != "d" for s in r["skills"])]
    assert rows, "the fixture needs a record read above level d"
    row = rows[0]
    record_id = row["record_id"]
    lowered = next(s for s in row["skills"] if s["level"] != "d")
    others = [s for s in row["skills"] if s is not lowered]
    assert await _evidence(db, record_id) == {s["skill_id"]: s["level"] for s in row["skills"]}

    answer = await send(client, "PUT", f"/api/v1/me/records/{record_id}/skills/{lowered['skill_id']}",
                        json={"level": "d"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"skill_id": lowered["skill_id"], "level": "d", "mapped_level": lowered["level"],
                             "corrected": True}
    expected = {**{s["skill_id"]: s["level"] for s in others}, lowered["skill_id"]: "d"}
    if others:
        rejected = others[0]
        assert (await send(client, "PUT", f"/api/v1/me/records/{record_id}/skills/{rejected['skill_id']}",
                           json={"level": None})).status_code == 200
        expected.pop(rejected["skill_id"])
    assert await _evidence(db, record_id) == expected

    # the same file again: duplicates, nothing rewritten
    again = await upload(client, courses_csv(ROWS).encode())
    assert again.status_code == 201 and len(again.json()["duplicates"]) == len(ROWS)
    assert await _evidence(db, record_id) == expected
    # deleted and imported again: a new record, mapped afresh, and the corrections still apply
    assert (await send(client, "DELETE", f"/api/v1/me/records/{record_id}")).status_code == 200
    reimported = await upload(client, courses_csv(ROWS).encode())
    assert reimported.status_code == 201, reimported.text
    new_id = next(r["record_id"] for r in reimported.json()["imported"] if r["title"] == row["title"])
    assert new_id != record_id and await _evidence(db, new_id) == expected
    stored = (await db.execute(select(SkillCorrection))).scalars().all()
    assert {(c.skill_id, c.level) for c in stored} >= {(lowered["skill_id"], "d")}

    undone = await send(client, "DELETE", f"/api/v1/me/records/{new_id}/skills/{lowered['skill_id']}")
    assert undone.status_code == 200
    assert (await _evidence(db, new_id))[lowered["skill_id"]] == lowered["level"]


async def test_a_correction_beyond_what_the_record_shows_or_of_someone_else_s_record_is_refused(
        app, client, db) -> None:
    await learner(client)
    row = (await _imported(client))[0]
    skill = row["skills"][0]
    path = f"/api/v1/me/records/{row['record_id']}/skills/{skill['skill_id']}"
    higher = {"d": "c", "c": "b", "b": "a"}.get(skill["level"], "x")
    for body in ({"level": higher}, {"level": "z"}):
        refused = await send(client, "PUT", path, json=body)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["errors"][0]["field"] == "level"
    not_read = await send(client, "PUT", f"/api/v1/me/records/{row['record_id']}/skills/v2-not-a-skill",
                          json={"level": "d"})
    assert not_read.status_code == 404
    assert await _evidence(db, row["record_id"]) == {s["skill_id"]: s["level"] for s in row["skills"]}

    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app) as other:
        await learner(other, "other-corrector@example.jp", "他人")
        stranger = await send(other, "PUT", path, json={"level": "d"})
        assert stranger.status_code == 404
    assert (await db.execute(select(SkillCorrection))).scalars().all() == []
    assert (await db.get(LearningRecordRow, uuid.UUID(row["record_id"]))) is not None


async def test_corrections_are_in_the_learner_s_export_and_go_with_delete_all(client, db) -> None:
    await learner(client)
    row = (await _imported(client))[0]
    skill = row["skills"][0]
    assert (await send(client, "PUT", f"/api/v1/me/records/{row['record_id']}/skills/{skill['skill_id']}",
                       json={"level": None})).status_code == 200
    exported = (await client.get("/api/v1/me/export")).json()
    corrections = exported["skills"]["skill_correction"]
    assert [(c["skill_id"], c["level"]) for c in corrections] == [(skill["skill_id"], None)]
    assert (await send(client, "DELETE", "/api/v1/me/skills-data")).status_code == 200
    db.expire_all()
    assert (await db.execute(select(SkillCorrection))).scalars().all() == []
