"""Consent and sharing: learner settings, share links (parts, access log, revoke, expiry), the consented
view for employer search, the change hook, export and deletion."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from skills import events
from skills.consent import discoverable_profiles
from skills.models import ShareLink, SkillEvidence
from tests.conftest import sign_up
from tests.skills.factories import COURSES, courses_csv, ob3_credential
from tests.skills.helpers import hold_credential, learner, send, upload


async def evidence_for(client) -> None:
    await send(client, "POST", "/api/v1/me/exams", json={"exam": "sg", "date": "2025-04-20", "passed": True})
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-marketing", "level": "b"})


async def create_link(client, **body):
    response = await send(client, "POST", "/api/v1/me/share-links", json=body)
    assert response.status_code == 201, response.text
    return response.json()


# --- settings ----------------------------------------------------------------------------------


async def test_settings_default_to_not_discoverable_and_change_field_by_field(client) -> None:
    await learner(client)
    settings = (await client.get("/api/v1/me/settings")).json()
    assert settings["discoverable"] is False and settings["employer_parts"] == ["skills", "prefecture", "target_role"]
    response = await send(client, "PATCH", "/api/v1/me/settings", json={"discoverable": True, "prefecture": "東京都"})
    assert response.status_code == 200, response.text
    response = await send(client, "PATCH", "/api/v1/me/settings", json={"target_role": "se-backend"})
    assert response.json() | {"updated_at": None} == {
        "discoverable": True, "prefecture": "JP-13", "target_role": "se-backend",
        "employer_parts": ["skills", "prefecture", "target_role"], "updated_at": None}


@pytest.mark.parametrize("body", [{"prefecture": "Atlantis"}, {"target_role": "astronaut"},
                                  {"employer_parts": ["skills", "diary"]}, {"discoverable": "maybe"}])
async def test_bad_settings_are_4xx(client, body) -> None:
    await learner(client)
    response = await send(client, "PATCH", "/api/v1/me/settings", json=body)
    assert response.status_code in (400, 422), response.text


# --- share links -------------------------------------------------------------------------------


async def test_a_share_link_shows_only_the_chosen_parts_and_logs_each_opening(client, db) -> None:
    person_id = await learner(client)
    held = await hold_credential(db, person_id, ob3_credential("Data Badge", [("v2-data-platform", "b")]))
    await hold_credential(db, person_id, ob3_credential("Other Badge", [("v2-frontend", "c")]))
    await evidence_for(client)
    await send(client, "PATCH", "/api/v1/me/settings", json={"prefecture": "JP-27", "target_role": "se-backend"})
    link = await create_link(client, label="For Sakura DX", parts=["skills"], credential_ids=[str(held.id)])
    assert len(link["token"]) >= 43 and link["path"] == f"/api/v1/shared/{link['token']}"
    stored = (await db.execute(select(ShareLink.token_hash))).scalar_one()
    assert link["token"] not in stored

    client.cookies.clear()  # a recruiter without an account
    shared = await client.get(link["path"], headers={"user-agent": "recruiter-browser"})
    assert shared.status_code == 200, shared.text
    view = shared.json()
    assert set(view) == {"label", "parts", "expires_at", "profile", "credentials"}
    items = {i["skill_id"]: i for i in view["profile"]["items"]}
    assert "v2-marketing" not in items  # self-declared not shared
    assert items["v2-data-platform"]["status"] == "verified" and "evidence" not in items["v2-data-platform"]
    assert [c["title"] for c in view["credentials"]] == ["Data Badge"]

    await learner_again(client)
    detail = (await client.get(f"/api/v1/me/share-links/{link['id']}")).json()
    assert detail["opened"] == 1
    assert detail["accesses"][0]["user_agent"] == "recruiter-browser"
    assert detail["accesses"][0]["viewer_person_id"] is None


async def learner_again(client) -> None:
    response = await send(client, "POST", "/api/v1/auth/signin",
                          json={"email": "hanako@example.jp", "password": "correct-horse-battery"})
    assert response.status_code == 200, response.text


async def test_a_signed_in_viewer_is_named_in_the_log(client) -> None:
    await learner(client)
    await evidence_for(client)
    link = await create_link(client, parts=["skills", "self_declared", "evidence", "display_name", "categories"])
    await sign_up(client, "hr@sakura.example", "採用担当")
    view = (await client.get(link["path"])).json()
    assert view["display_name"] == "山田 花子"
    items = {i["skill_id"]: i for i in view["profile"]["items"]}
    assert items["v2-marketing"]["status"] == "self_declared" and items["v2-security-management"]["evidence"]
    assert len(view["categories"]["categories"]) == 5
    await learner_again(client)
    accesses = (await client.get(f"/api/v1/me/share-links/{link['id']}")).json()["accesses"]
    assert accesses[0]["viewer_name"] == "採用担当"


async def test_a_revoked_link_is_404_at_once_and_an_expired_one_410(client, db) -> None:
    await learner(client)
    await evidence_for(client)
    revoked = await create_link(client, parts=["skills"])
    expired = await create_link(client, parts=["skills"], expires_at=(datetime.now(UTC)
                                                                      + timedelta(days=1)).isoformat())
    assert (await client.get(revoked["path"])).status_code == 200
    response = await send(client, "DELETE", f"/api/v1/me/share-links/{revoked['id']}")
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert (await client.get(revoked["path"])).status_code == 404
    await db.execute(update(ShareLink).where(ShareLink.id == uuid.UUID(expired["id"]))
                     .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await db.commit()
    gone = await client.get(expired["path"])
    assert gone.status_code == 410 and gone.json()["status"] == 410
    assert (await client.get("/api/v1/shared/not-a-real-token")).status_code == 404
    links = (await client.get("/api/v1/me/share-links")).json()
    assert {link["id"]: link["opened"] for link in links} == {revoked["id"]: 1, expired["id"]: 0}


@pytest.mark.parametrize("body", [
    {"parts": ["skills", "diary"]}, {"parts": []}, {"parts": ["skills"], "credential_ids": [str(uuid.uuid4())]},
    {"parts": ["skills"], "expires_at": "2020-01-01T00:00:00+00:00"},
    {"parts": ["skills"], "expires_at": "2099-01-01T00:00:00+00:00"},
    {"parts": ["skills"], "expires_at": "2030-01-01T00:00:00"},
])
async def test_bad_share_links_are_4xx(client, body) -> None:
    await learner(client)
    response = await send(client, "POST", "/api/v1/me/share-links", json=body)
    assert response.status_code in (400, 422), response.text


async def test_someone_elses_link_cannot_be_read_or_revoked(client) -> None:
    await learner(client)
    link = await create_link(client, parts=["skills"])
    await sign_up(client, "taro@example.jp", "太郎")
    assert (await client.get(f"/api/v1/me/share-links/{link['id']}")).status_code == 404
    assert (await send(client, "DELETE", f"/api/v1/me/share-links/{link['id']}")).status_code == 404


# --- employer search view and the change hook ------------------------------------------------------


async def test_discoverable_profiles_has_only_opted_in_people_and_consented_fields(client, db) -> None:
    hanako = await learner(client)
    await evidence_for(client)
    await send(client, "PATCH", "/api/v1/me/settings", json={"discoverable": True, "prefecture": "Osaka",
                                                             "employer_parts": ["skills", "prefecture"]})
    await sign_up(client, "taro@example.jp", "佐藤 太郎")
    await evidence_for(client)  # evidence, but never opted in
    emily = uuid.UUID((await sign_up(client, "emily@example.jp", "Emily"))["id"])
    await send(client, "PATCH", "/api/v1/me/settings", json={
        "discoverable": True, "target_role": "cs-engineer",
        "employer_parts": ["skills", "self_declared", "display_name", "target_role"]})
    await evidence_for(client)

    rows = {row.person_id: row for row in await discoverable_profiles(db)}
    assert set(rows) == {hanako, emily}
    assert rows[hanako].display_name is None and rows[hanako].prefecture == "JP-27"
    assert rows[hanako].target_role is None
    assert set(rows[hanako].skills) >= {"v2-security-management"} and "v2-marketing" not in rows[hanako].skills
    level, status, confidence = rows[hanako].skills["v2-security-management"]
    assert (level, status, confidence) == ("b", "evidenced", 0.9)
    assert rows[emily].display_name == "Emily" and rows[emily].prefecture is None
    assert rows[emily].skills["v2-marketing"] == ("b", "self_declared", 0.2)
    assert rows[emily].target_role == "cs-engineer"
    some = await discoverable_profiles(db, person_ids=[emily, uuid.uuid4()])
    assert [row.person_id for row in some] == [emily]


async def test_subscribers_hear_of_recomputes_and_consent_changes_after_commit(client) -> None:
    heard: list[uuid.UUID] = []
    heard_async: list[uuid.UUID] = []

    async def async_listener(person_id: uuid.UUID) -> None:
        heard_async.append(person_id)

    events.subscribe(heard.append)
    events.subscribe(async_listener)
    try:
        person_id = await learner(client)
        await upload(client, courses_csv(COURSES[:2]).encode())
        await send(client, "PATCH", "/api/v1/me/settings", json={"discoverable": True})
        await send(client, "POST", "/api/v1/me/exams", json={"exam": "nope", "date": "2025-01-01", "passed": True})
        await asyncio.sleep(0)
    finally:
        events.unsubscribe(heard.append)
        events.unsubscribe(async_listener)
    assert heard == [person_id, person_id]  # the refused exam (422, rolled back) told nobody
    assert heard_async == heard


# --- export and deletion -------------------------------------------------------------------------


async def test_export_has_all_my_data_and_delete_removes_it(client, db) -> None:
    await learner(client)
    await upload(client, courses_csv(COURSES[:2]).encode())
    await evidence_for(client)
    await create_link(client, parts=["skills"])
    export = await client.get("/api/v1/me/export")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    data = export.json()["skills"]  # the skills domain's part of the whole export (accounts.erasure)
    assert len(data["skill_learning_record"]) == 2 and len(data["skill_exam_result"]) == 1
    assert len(data["skill_self_assessment"]) == 1 and len(data["skill_share_link"]) == 1
    assert data["skill_record_upload"][0]["content"]  # the raw file, base64
    assert "token_hash" not in data["skill_share_link"][0]

    deleted = await send(client, "DELETE", "/api/v1/me/skills-data")
    assert deleted.status_code == 200 and deleted.json()["deleted"]["skill_learning_record"] == 2
    assert (await client.get("/api/v1/me/profile")).json()["items"] == []
    assert (await db.execute(select(func.count()).select_from(SkillEvidence))).scalar_one() == 0
    after = (await client.get("/api/v1/me/export")).json()["skills"]
    assert all(after[table] == [] for table in after if table.startswith("skill_"))
