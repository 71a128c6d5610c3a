"""The records page: "what changed" after an upload, and a skill corrected from the record list in the
learner's language, with the same refusal as the API."""

from __future__ import annotations

import re

from sqlalchemy import select

from skills.models import SkillCorrection
from tests.frontend.helpers import HTML, csrf_token, learner
from tests.skills.factories import COURSES, courses_csv

ROWS = [COURSES[0], COURSES[17]]


async def _upload_page(client):
    token = await csrf_token(client)
    return await client.post("/wallet/records", headers=HTML, data={"_csrf_token": token},
                             files={"file": ("records.csv", courses_csv(ROWS).encode(), "text/csv")})


async def test_upload_says_what_changed_then_again_that_nothing_did(client) -> None:
    await learner(client, "changes-page@example.jp", lang="ja")
    first = await _upload_page(client)
    assert first.status_code == 200, first.text[:500]
    assert "プロフィールの変化" in first.text and "新しいスキル" in first.text
    assert re.search(r'href="/dss/skills/v2-[a-z-]+"', first.text.split("プロフィールの変化", 1)[1])
    again = await _upload_page(client)
    assert "今回の取り込みでプロフィールは変わりませんでした。" in again.text and "新しいスキル" not in again.text


async def test_a_skill_is_corrected_from_the_record_list_and_shown_as_the_learner_s(client, db) -> None:
    await learner(client, "corrector-page@example.jp", lang="en")
    await _upload_page(client)
    listing = (await client.get("/wallet/records", headers=HTML)).text
    forms = re.findall(r'action="/wallet/records/([0-9a-f-]+)/skills/([a-z0-9-]+)"', listing)
    assert forms and "Skills read in this record" in listing
    record_id, skill_id = forms[0]
    path = f"/wallet/records/{record_id}/skills/{skill_id}"
    refused = await client.post(path, headers=HTML, data={"level": "a", "_csrf_token": await csrf_token(client)})
    assert refused.status_code == 422  # as the API answers a level above what was read
    api = await client.put(f"/api/v1/me/records/{record_id}/skills/{skill_id}",
                           headers={"x-csrftoken": await csrf_token(client)}, json={"level": "a"})
    assert api.status_code == 422
    assert (await db.execute(select(SkillCorrection))).scalars().all() == []

    done = await client.post(path, headers=HTML, data={"level": "reject", "_csrf_token": await csrf_token(client)},
                             follow_redirects=False)
    assert done.status_code in (302, 303)
    shown = (await client.get("/wallet/records", headers=HTML)).text
    assert "Rejected by you" in shown and "Undo my correction" in shown
    db.expire_all()
    stored = (await db.execute(select(SkillCorrection))).scalars().all()
    assert [(c.skill_id, c.level) for c in stored] == [(skill_id, None)]
    undone = await client.post(path, headers=HTML, data={"level": "undo", "_csrf_token": await csrf_token(client)})
    assert undone.status_code == 200 and "Rejected by you" not in undone.text
