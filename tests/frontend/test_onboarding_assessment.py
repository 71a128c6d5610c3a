"""The self-assessment and IPA exam screens: the scale in plain words in the reader's language, saving
through the API's rules, and "what changed" after each save."""

from __future__ import annotations

from sqlalchemy import select

from skills.models import ExamResult, SelfAssessment
from tests.frontend.helpers import HTML, csrf_token, learner

CATEGORY = "v2-cat-business"


async def test_self_assessing_a_category_saves_the_levels_and_says_what_changed(client, db) -> None:
    await learner(client, "assess-page@example.jp", lang="ja")
    form = (await client.get(f"/wallet/assess/{CATEGORY}", headers=HTML)).text
    assert "レベルの意味（わかりやすく）" in form and "一人でできる" in form
    assert 'name="level-v2-business-strategy"' in form and "can do it alone" not in form
    saved = await client.post(f"/wallet/assess/{CATEGORY}", headers=HTML, data={
        "_csrf_token": await csrf_token(client), "level-v2-business-strategy": "c"})
    assert saved.status_code == 200
    assert "プロフィールの変化" in saved.text and "新しいスキル" in saved.text and "自己申告" in saved.text
    assert '<option value="c" selected>' in saved.text
    rows = (await db.execute(select(SelfAssessment))).scalars().all()
    assert [(r.skill_id, r.level) for r in rows] == [("v2-business-strategy", "c")]

    refused = await client.post(f"/wallet/assess/{CATEGORY}", headers=HTML, data={
        "_csrf_token": await csrf_token(client), "level-v2-business-strategy": "b",
        "level-v2-business-value-roi": "z"})
    assert refused.status_code == 422 and "レベルは a、b、c、d のいずれかを選んでください。" in refused.text
    db.expire_all()
    rows = (await db.execute(select(SelfAssessment))).scalars().all()
    assert [(r.skill_id, r.level) for r in rows] == [("v2-business-strategy", "c")]  # nothing half-written
    assert (await client.get("/wallet/assess/no-such-category", headers=HTML)).status_code == 404


async def test_an_exam_pass_is_added_with_the_exam_named_in_the_reader_s_language(client, db) -> None:
    await learner(client, "exam-page@example.jp", lang="en")
    form = (await client.get("/wallet/exams", headers=HTML)).text
    assert "Fundamental Information Technology Engineer Examination" in form and "基本情報技術者試験" not in form
    data = {"_csrf_token": await csrf_token(client), "exam": "fe", "date": "2025-04-20", "passed": "yes",
            "score": "720"}
    added = await client.post("/wallet/exams", headers=HTML, data=data)
    assert added.status_code == 200 and "What changed in your profile" in added.text and "New skill" in added.text
    again = await client.post("/wallet/exams", headers=HTML, data=data)
    assert again.status_code == 409 and "A result for this exam on this day is already recorded." in again.text
    future = await client.post("/wallet/exams", headers=HTML, data={**data, "date": "2999-01-01"})
    assert future.status_code == 422 and "not a future date" in future.text
    results = (await db.execute(select(ExamResult))).scalars().all()
    assert [(r.exam_id, r.passed, r.score) for r in results] == [("fe", True, 720.0)]
