"""Evidence sources through the API: learning records, Open Badges 2.0, IPA exams, self-assessment."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from skills.models import BadgeImport, LearningRecordRow, RecordUpload, SkillEvidence
from tests.skills.factories import (
    COURSES,
    as_text,
    assertion,
    badge_class,
    baked_png,
    baked_svg,
    courses_csv,
)
from tests.skills.helpers import learner, send, upload

EMAIL = "hanako@example.jp"


async def count(db, model) -> int:
    return (await db.execute(select(func.count()).select_from(model))).scalar_one()


async def profile_items(client) -> dict[str, dict]:
    return {i["skill_id"]: i for i in (await client.get("/api/v1/me/profile")).json()["items"]}


# --- learning records -------------------------------------------------------------------------


async def test_bad_rows_are_reported_with_line_and_field_and_good_rows_imported(client, db) -> None:
    await learner(client)
    text = courses_csv(COURSES[:3], extra_lines=[
        "Broken hours,,x,many,2025-01-01,,ja,",
        ",no title here,,,,,,",
        "Bad date,,x,3,2025-13-45,,ja,",
    ])
    response = await upload(client, text.encode())
    assert response.status_code == 201, response.text
    report = response.json()
    assert [r["line"] for r in report["imported"]] == [2, 3, 4]
    assert [(e["line"], e["field"]) for e in report["errors"]] == [(5, "hours"), (6, "title"), (7, "completion_date")]
    assert await count(db, LearningRecordRow) == 3


async def test_a_file_without_one_good_row_is_refused_and_nothing_is_stored(client, db) -> None:
    await learner(client)
    response = await upload(client, b"title,hours\n,3\nx,abc\n")
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and [e["line"] for e in problem["errors"]] == [2, 3]
    assert await count(db, RecordUpload) == 0


async def test_shift_jis_csv_is_read(client) -> None:
    await learner(client)
    response = await upload(client, courses_csv(COURSES[:2]).encode("cp932"), "記録.csv")
    assert response.status_code == 201, response.text
    assert response.json()["encoding"] == "cp932"
    titles = [r["title"] for r in (await client.get("/api/v1/me/records")).json()]
    assert titles == [COURSES[0][0], COURSES[1][0]]


async def test_duplicates_in_a_file_and_across_uploads_are_not_double_counted(client, db) -> None:
    await learner(client)
    first = await upload(client, courses_csv(COURSES[:2], extra_lines=[",".join(COURSES[0])]).encode())
    assert first.json()["duplicates"] == [{"line": 4, "duplicate_of_line": 2}]
    evidence_after_first = await count(db, SkillEvidence)
    before = await profile_items(client)

    again = await upload(client, courses_csv(COURSES[:2]).encode(), "again.csv")
    assert again.status_code == 201
    assert [d["line"] for d in again.json()["duplicates"]] == [2, 3] and again.json()["imported"] == []
    assert await count(db, LearningRecordRow) == 2
    assert await count(db, SkillEvidence) == evidence_after_first
    assert await profile_items(client) == before


async def test_records_import_is_one_transaction(client, db, monkeypatch) -> None:
    await learner(client)

    async def mapper_breaks(records):
        raise RuntimeError("mapper crashed half-way")

    monkeypatch.setattr("skills.sources.records.match_records", mapper_breaks)
    response = await upload(client, courses_csv(COURSES[:3]).encode())
    assert response.status_code == 500
    assert (await count(db, RecordUpload), await count(db, LearningRecordRow), await count(db, SkillEvidence)) == (0, 0, 0)


async def test_records_imported_meanwhile_by_a_concurrent_upload_give_409(client, db, monkeypatch) -> None:
    await learner(client)
    assert (await upload(client, courses_csv(COURSES[:2]).encode())).status_code == 201

    async def nothing_known_yet(session, person_id):  # as if the other upload had not committed when read
        return {}

    monkeypatch.setattr("skills.sources.records.existing_keys", nothing_known_yet)
    response = await upload(client, courses_csv(COURSES[:2]).encode(), "again.csv")
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (await count(db, RecordUpload), await count(db, LearningRecordRow)) == (1, 2)


@pytest.mark.parametrize("body, status", [
    (b"", 422), (b"\x00\x01\x02binary", 422), (b"PK\x03\x04zip", 422), (b"foo,bar\n1,2\n", 422),
])
async def test_unreadable_record_files_are_4xx(client, body: bytes, status: int) -> None:
    await learner(client)
    response = await upload(client, body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_raw_jsonl_body_is_accepted_too(client) -> None:
    await learner(client)
    body = '{"title": "SQL基礎", "hours": 8}\n{"title": "Linux command line"}\n'.encode()
    response = await send(client, "POST", "/api/v1/me/records", content=body,
                          headers={"content-type": "application/x-ndjson", "x-filename": "r.jsonl"})
    assert response.status_code == 201, response.text
    assert response.json()["format"] == "jsonl" and len(response.json()["imported"]) == 2


async def test_template_csv_is_downloadable(client) -> None:
    response = await client.get("/api/v1/me/records/template.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbftitle,")


async def test_deleting_a_record_removes_its_evidence(client) -> None:
    await learner(client)
    imported = (await upload(client, courses_csv(COURSES[12:13]).encode())).json()["imported"]
    assert await profile_items(client)
    assert (await send(client, "DELETE", f"/api/v1/me/records/{imported[0]['record_id']}")).status_code == 200
    assert await profile_items(client) == {}


# --- Open Badges 2.0 ----------------------------------------------------------------------------


async def test_baked_png_badge_is_imported_with_its_checks_and_evidence(client) -> None:
    await learner(client, EMAIL)
    klass = badge_class("Cloud Security", alignment=[{"targetName": "Security", "targetCode": "v2-security-operations"}])
    png = baked_png(as_text(assertion(EMAIL, klass)))
    response = await send(client, "POST", "/api/v1/me/badges/ob2", files={"file": ("badge.png", png, "image/png")})
    assert response.status_code == 201, response.text
    badge = response.json()
    assert (badge["check_level"], badge["name"], badge["issuer_name"]) == (
        "recipient_confirmed", "Cloud Security", "Example Academy")
    item = (await profile_items(client))["v2-security-operations"]
    assert (item["level"], item["status"], item["confidence"]) == ("d", "evidenced", 0.6)
    assert item["evidence"][0]["href"] == f"/api/v1/me/badges/ob2/{badge['id']}"


async def test_baked_svg_badge_as_raw_body_maps_its_name_when_not_aligned(client) -> None:
    await learner(client, EMAIL)
    klass = badge_class("情報セキュリティマネジメント", "情報セキュリティ管理の基礎")
    svg = baked_svg(as_text(assertion(EMAIL, klass, assertion_id="https://badges.example.org/assertions/svg-1")))
    response = await send(client, "POST", "/api/v1/me/badges/ob2", content=svg,
                          headers={"content-type": "image/svg+xml"})
    assert response.status_code == 201, response.text
    items = await profile_items(client)
    assert items and all(i["status"] == "evidenced" for i in items.values())
    assert {p["source"] for i in items.values() for p in i["evidence"]} == {"ob2_badge"}


async def test_hosted_badge_with_provided_badge_class_json(client) -> None:
    await learner(client, EMAIL)
    body = {"assertion": assertion(EMAIL, "https://badges.example.org/classes/1"),
            "badge_class": badge_class("Data Platform", alignment=[
                {"targetUrl": "https://skillpass.example/dss/2.0/skills/v2-data-platform", "targetName": "x"}])}
    response = await send(client, "POST", "/api/v1/me/badges/ob2", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["checks"]["badge_class"] == "provided"
    assert "v2-data-platform" in await profile_items(client)


async def test_hosted_badge_without_badge_class_is_kept_as_not_checked_without_evidence(client, db) -> None:
    await learner(client, EMAIL)
    response = await send(client, "POST", "/api/v1/me/badges/ob2",
                          json={"assertion": assertion(EMAIL, "https://badges.example.org/classes/1")})
    assert response.status_code == 201
    assert response.json()["check_level"] == "not_checked"
    assert await count(db, BadgeImport) == 1 and await profile_items(client) == {}


async def test_the_same_badge_twice_is_a_conflict(client) -> None:
    await learner(client, EMAIL)
    body = {"assertion": assertion(EMAIL, badge_class("Twice"))}
    assert (await send(client, "POST", "/api/v1/me/badges/ob2", json=body)).status_code == 201
    assert (await send(client, "POST", "/api/v1/me/badges/ob2", json=body)).status_code == 409


@pytest.mark.parametrize("kwargs", [
    {"json": {"assertion": {"type": "Assertion", "recipient": {"type": "email", "hashed": False,
                                                                "identity": "other@x.jp"}, "badge": "https://b/1"}}},
    {"json": {"nothing": 1}},
    {"content": b"\x89PNG\r\n\x1a\ntruncated", "headers": {"content-type": "image/png"}},
    {"content": b"<svg xmlns='http://www.w3.org/2000/svg'/>", "headers": {"content-type": "image/svg+xml"}},
    {"json": {"assertion": "https://badges.example.org/assertions/9"}},
])
async def test_bad_badges_are_422(client, kwargs) -> None:
    await learner(client, EMAIL)
    response = await send(client, "POST", "/api/v1/me/badges/ob2", **kwargs)
    assert response.status_code == 422, response.text


# --- IPA exams and self-assessment ---------------------------------------------------------------


async def test_a_passed_exam_gives_evidence_and_a_failed_one_does_not(client) -> None:
    await learner(client)
    failed = await send(client, "POST", "/api/v1/me/exams", json={"exam": "AP", "date": "2024-10-13", "passed": False,
                                                                  "score": 48})
    assert failed.status_code == 201 and await profile_items(client) == {}
    passed = await send(client, "POST", "/api/v1/me/exams", json={"exam": "sg", "date": "2025-04-20", "passed": True})
    assert passed.status_code == 201
    item = (await profile_items(client))["v2-security-management"]
    assert (item["level"], item["status"], item["confidence"]) == ("b", "evidenced", 0.9)
    assert item["evidence"][0]["label"].startswith("情報セキュリティマネジメント試験")


@pytest.mark.parametrize("body", [
    {"exam": "xyz", "date": "2024-01-01", "passed": True},
    {"exam": "fe", "date": "2999-01-01", "passed": True},
    {"exam": "fe", "date": "not a date", "passed": True},
    {"exam": "fe", "passed": True},
])
async def test_bad_exam_results_are_4xx(client, body) -> None:
    await learner(client)
    response = await send(client, "POST", "/api/v1/me/exams", json=body)
    assert response.status_code in (400, 422), response.text


async def test_the_same_exam_on_the_same_day_is_a_conflict(client) -> None:
    await learner(client)
    body = {"exam": "fe", "date": "2025-04-20", "passed": True}
    assert (await send(client, "POST", "/api/v1/me/exams", json=body)).status_code == 201
    assert (await send(client, "POST", "/api/v1/me/exams", json=body)).status_code == 409


async def test_self_declared_levels_are_never_verified(client) -> None:
    await learner(client)
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-marketing", "level": "a"})
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-security-management", "level": "a"})
    await send(client, "POST", "/api/v1/me/exams", json={"exam": "sg", "date": "2025-04-20", "passed": True})
    items = await profile_items(client)
    assert (items["v2-marketing"]["level"], items["v2-marketing"]["status"]) == ("a", "self_declared")
    security = items["v2-security-management"]
    assert (security["level"], security["status"], security["levels"]["self_declared"]) == ("b", "evidenced", "a")
    assert all(i["status"] != "verified" for i in items.values())

    cleared = await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-marketing", "level": None})
    assert cleared.json()["level"] is None and "v2-marketing" not in await profile_items(client)


@pytest.mark.parametrize("body", [
    {"skill_id": "v2-nothing", "level": "a"}, {"skill_id": "v2-marketing", "level": "e"},
    {"skill_id": "", "level": "a"}, {"skill_id": "v1-business-strategy", "level": "a"},
])
async def test_bad_self_assessments_are_4xx(client, body) -> None:
    await learner(client)
    response = await send(client, "PUT", "/api/v1/me/self-assessment", json=body)
    assert response.status_code in (400, 422), response.text
