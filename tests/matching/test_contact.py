"""Employer contact with consent (issue 17) through the API: the consent boundary (nothing personal before a
share, nothing after a withdrawal or a revoked link), rate limits, other organizations, the shortlist CSV,
notes, real mail to the learner, and outcome statistics suppressed below k."""

from __future__ import annotations

import asyncio
import csv
import email
import email.policy
import io
import uuid

from sqlalchemy import select

from accounts.models import Person
from accounts.outbox import deliver_committed
from accounts.service import AccountService
from matching.contact import outcomes, requests, shortlists
from matching.contact.models import CandidateNote, ContactRequest, HireOutcome, ShortlistEntry
from matching.postings import PostingService
from matching.trends import THRESHOLD
from skills.consent import update_learner_settings
from tests.conftest import TEST_PASSWORD, csrf_headers, outbox_files, verify_org, verify_org_through_app
from tests.credentials.conftest import issue, new_achievement, new_provider
from tests.matching.helpers import employer, learner, send
from tests.smtp_server import smtp_server

SKILL = {"v2-backend": "c"}
ROLE = "se-backend"


async def sign_in(client, email_address: str) -> None:
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": email_address, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text


async def posting(client, org_id: str, title: str = "データ分析") -> str:
    response = await send(client, "POST", f"/api/v1/orgs/{org_id}/postings", json={
        "title": title, "requirements": [{"skill_id": next(iter(SKILL)), "level": "c"}], "status": "published"})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def setup(client, *, verified: bool = True) -> tuple[str, str]:
    """A pseudonymous learner (name not consented) and a (verified) employer, signed in as the employer."""
    person_id = await learner(client, "mei@example.jp", "佐藤メイ", SKILL, parts=["skills", "self_declared"])
    org_id = await employer(client)
    if verified:
        await verify_org_through_app(client, org_id)
    return person_id, org_id


async def ask(client, org_id: str, person_id: str, **changes):
    body = {"person_id": person_id, "wants": ["skills", "credentials"], "message": "面談をお願いできますか。", **changes}
    return await send(client, "POST", f"/api/v1/orgs/{org_id}/contact-requests", json=body)


async def test_nothing_personal_before_a_share_exactly_the_share_after_and_nothing_once_withdrawn(client) -> None:
    person_id, org_id = await setup(client)
    post_id = await posting(client, org_id)
    sent = await ask(client, org_id, person_id, posting_id=post_id)
    assert sent.status_code == 201, sent.text
    request_id = sent.json()["id"]
    seen = await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")
    assert seen.json()["state"] == "open" and seen.json()["shared"] is None
    assert "佐藤メイ" not in seen.text and "mei@example.jp" not in seen.text
    added = await send(client, "POST", f"/api/v1/orgs/{org_id}/shortlists/{post_id}/candidates",
                       json={"person_id": person_id})
    assert added.status_code == 201, added.text
    before = await client.get(f"/api/v1/orgs/{org_id}/shortlists/{post_id}/export.csv")
    assert "佐藤メイ" not in before.text and person_id[:8] in before.text

    await sign_in(client, "mei@example.jp")
    mine = (await client.get("/api/v1/me/contact-requests")).json()
    assert [r["id"] for r in mine] == [request_id] and mine[0]["message"] == "面談をお願いできますか。"
    assert mine[0]["employer"] == {"name_ja": "sakura-dx 株式会社", "name_en": "sakura-dx"}
    shared = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/share",
                        json={"parts": ["display_name", "skills", "self_declared"]})
    assert shared.status_code == 200 and shared.json()["state"] == "shared", shared.text

    await sign_in(client, "hr@sakura.example")
    seen = (await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")).json()
    assert seen["shared"]["display_name"] == "佐藤メイ"
    assert set(seen["shared"]["parts"]) == {"display_name", "skills", "self_declared"} and "prefecture" not in seen["shared"]
    assert [i["skill_id"] for i in seen["shared"]["profile"]["items"]] == list(SKILL)
    rows = list(csv.DictReader(io.StringIO((await client.get(
        f"/api/v1/orgs/{org_id}/shortlists/{post_id}/export.csv")).text)))
    assert rows[0]["candidate"] == "佐藤メイ" and rows[0]["shared"] == "true" and rows[0]["skills"].startswith("v2-backend:c")

    await sign_in(client, "mei@example.jp")
    withdrawn = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/withdraw")
    assert withdrawn.json()["state"] == "withdrawn"
    await sign_in(client, "hr@sakura.example")
    seen = await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")
    assert seen.json()["shared"] is None and "佐藤メイ" not in seen.text
    after = await client.get(f"/api/v1/orgs/{org_id}/shortlists/{post_id}/export.csv")
    rows = list(csv.DictReader(io.StringIO(after.text)))
    assert rows[0]["candidate"] == person_id[:8] and rows[0]["shared"] == "false" and "佐藤メイ" not in after.text
    assert rows[0]["skills"] == "" and rows[0]["display_name"] == ""


async def test_a_revoked_share_link_ends_the_employers_access(client) -> None:
    person_id, org_id = await setup(client)
    request_id = (await ask(client, org_id, person_id)).json()["id"]
    await sign_in(client, "mei@example.jp")
    link = await send(client, "POST", "/api/v1/me/share-links", json={"label": "面談用", "parts": ["display_name"]})
    assert link.status_code == 201, link.text
    answered = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/share",
                          json={"link_id": link.json()["id"]})
    assert answered.status_code == 200, answered.text
    await sign_in(client, "hr@sakura.example")
    assert (await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")).json()["shared"][
        "display_name"] == "佐藤メイ"
    await sign_in(client, "mei@example.jp")
    assert (await send(client, "DELETE", f"/api/v1/me/share-links/{link.json()['id']}")).status_code == 200
    await sign_in(client, "hr@sakura.example")
    seen = await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")
    assert seen.json()["shared"] is None and "佐藤メイ" not in seen.text


async def test_a_revoked_link_cannot_answer_and_decline_is_final(client) -> None:
    person_id, org_id = await setup(client)
    request_id = (await ask(client, org_id, person_id)).json()["id"]
    await sign_in(client, "mei@example.jp")
    link = (await send(client, "POST", "/api/v1/me/share-links", json={"parts": ["skills"]})).json()
    await send(client, "DELETE", f"/api/v1/me/share-links/{link['id']}")
    refused = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/share", json={"link_id": link["id"]})
    assert refused.status_code == 422 and refused.json()["field"] == "link_id"
    nothing = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/share", json={})
    assert nothing.status_code == 422 and nothing.json()["field"] == "parts"
    assert (await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/decline")).json()["state"] == "declined"
    late = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/share", json={"parts": ["skills"]})
    assert late.status_code == 409


async def test_rate_limits_one_open_request_per_candidate_and_a_daily_cap(client, monkeypatch) -> None:
    person_id, org_id = await setup(client)
    other = await learner(client, "ren@example.jp", "Ren", SKILL, parts=["skills", "self_declared"])
    third = await learner(client, "aoi@example.jp", "Aoi", SKILL, parts=["skills", "self_declared"])
    await sign_in(client, "hr@sakura.example")
    assert (await ask(client, org_id, person_id)).status_code == 201
    again = await ask(client, org_id, person_id)
    assert again.status_code == 429 and again.headers["content-type"].startswith("application/problem+json")
    assert int(again.headers["retry-after"]) > 0
    monkeypatch.setattr(requests, "DAILY_LIMIT", 2)
    assert (await ask(client, org_id, other)).status_code == 201
    capped = await ask(client, org_id, third)
    assert capped.status_code == 429 and "2 contact requests a day" in capped.json()["detail"]
    assert 0 < int(capped.headers["retry-after"]) <= 24 * 3600 + 1


async def test_unverified_employers_and_bad_input_are_refused_and_nothing_is_stored(client, db) -> None:
    person_id, org_id = await setup(client, verified=False)
    assert (await ask(client, org_id, person_id)).status_code == 403
    await verify_org_through_app(client, org_id)
    too_long = await ask(client, org_id, person_id, message="あ" * 1001)
    assert too_long.status_code == 422 and too_long.json()["field"] == "message"
    control = await ask(client, org_id, person_id, message="hello\x07")
    assert control.status_code == 422 and control.json()["field"] == "message"
    wants = await ask(client, org_id, person_id, wants=["phone number"])
    assert wants.status_code == 422 and wants.json()["field"] == "wants"
    unknown = await ask(client, org_id, str(uuid.uuid4()))
    assert unknown.status_code == 404
    assert (await db.execute(select(ContactRequest))).scalars().all() == []


async def test_another_organization_can_neither_read_nor_act(client) -> None:
    person_id, org_id = await setup(client)
    post_id = await posting(client, org_id)
    request_id = (await ask(client, org_id, person_id)).json()["id"]
    other_org = await employer(client, "hr@kaede.example", "kaede-dx")
    await verify_org_through_app(client, other_org)
    for path in (f"/api/v1/orgs/{org_id}/contact-requests/{request_id}", f"/api/v1/orgs/{org_id}/contact-requests",
                 f"/api/v1/orgs/{org_id}/shortlists/{post_id}", f"/api/v1/orgs/{org_id}/notes/{person_id}"):
        assert (await client.get(path)).status_code == 403, path
    assert (await client.get(f"/api/v1/orgs/{other_org}/contact-requests/{request_id}")).status_code == 404
    assert (await client.get(f"/api/v1/orgs/{other_org}/shortlists/{post_id}")).status_code == 404
    hire = await send(client, "POST", f"/api/v1/orgs/{other_org}/outcomes", json={"person_id": person_id,
                                                                                  "posting_id": post_id})
    assert hire.status_code == 404
    await learner(client, "ren@example.jp", "Ren", SKILL)
    stranger = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/share", json={"parts": ["skills"]})
    assert stranger.status_code == 404


async def test_notes_are_private_to_the_organization(client) -> None:
    person_id, org_id = await setup(client)
    put = await send(client, "PUT", f"/api/v1/orgs/{org_id}/notes/{person_id}", json={"text": " 二次面接へ "})
    assert put.status_code == 200 and put.json()["text"] == "二次面接へ"
    too_long = await send(client, "PUT", f"/api/v1/orgs/{org_id}/notes/{person_id}", json={"text": "x" * 2001})
    assert too_long.status_code == 422
    assert (await client.get(f"/api/v1/orgs/{org_id}/notes/{person_id}")).json()["text"] == "二次面接へ"
    other_org = await employer(client, "hr@kaede.example", "kaede-dx")
    assert (await client.get(f"/api/v1/orgs/{other_org}/notes/{person_id}")).json()["text"] == ""


async def test_the_learner_gets_a_real_mail_naming_the_employer_not_the_message(client, settings, db) -> None:
    person_id, org_id = await setup(client)
    with smtp_server() as server:
        mail_settings = type(settings).model_validate({**settings.model_dump(), "smtp_host": server.host,
                                                       "smtp_port": server.port, "smtp_starttls": False})
        await requests.send_request(db, mail_settings, uuid.UUID(org_id), None, uuid.UUID(person_id), posting_id=None,
                                    wants=["skills"], message="秘密のメッセージ")
        await db.commit()
        assert await deliver_committed(db, mail_settings) == 1
    [(_, recipients, raw)] = server.messages
    assert recipients == ["mei@example.jp"]
    text = email.message_from_bytes(raw, policy=email.policy.default).get_body(("plain",)).get_content()
    assert "sakura-dx 株式会社" in text and "/wallet/contact" in text and "秘密のメッセージ" not in text


async def test_a_request_through_the_api_writes_a_mail_to_the_learner(client) -> None:
    person_id, org_id = await setup(client)
    before = outbox_files(client)
    assert (await ask(client, org_id, person_id)).status_code == 201
    new = [p.read_bytes() for p in outbox_files(client) - before]
    assert len(new) == 1 and b"To: mei@example.jp" in new[0]


async def test_outcome_cells_are_suppressed_below_k_and_shown_at_k(client, db, settings) -> None:
    org = await AccountService(db).create_org("employer", "outcome-co", "アウトカム株式会社", "Outcome Co", admin_id=None)
    post = await PostingService(db).create(org.id, {"title": "分析", "requirements": [
        {"skill_id": next(iter(SKILL)), "level": "c"}], "status": "published"}, None)
    await db.commit()
    await verify_org(db, org.id)
    for n in range(THRESHOLD - 1):
        await hired_person_with(db, settings, org.id, post.id, n)
    await hired_person_with(db, settings, org.id, post.id, 99, confirm=False)  # pending: never counts
    await db.commit()
    below = (await client.get("/api/v1/outcomes/statistics")).json()
    assert below["threshold"] == THRESHOLD
    assert below["role"] == [{"id": ROLE, "name_ja": below["role"][0]["name_ja"], "name_en": below["role"][0]["name_en"],
                              "count": None, "suppressed": True}]
    await hired_person_with(db, settings, org.id, post.id, THRESHOLD)
    await db.commit()
    at_k = (await client.get("/api/v1/outcomes/statistics")).json()
    assert at_k["role"][0]["count"] == THRESHOLD and at_k["role"][0]["suppressed"] is False


async def hired_person_with(db, settings, org_id, posting_id, n: int, *, confirm: bool = True) -> uuid.UUID:
    person = await AccountService(db).sign_up(f"hired{n}@example.jp", TEST_PASSWORD, f"Hired {n}", "ja")
    await update_learner_settings(db, person.id, {"discoverable": True, "target_role": ROLE,
                                                  "employer_parts": ["skills"]})
    await db.flush()
    await shortlists.add(db, org_id, posting_id, person.id, None)
    outcome = await outcomes.mark_hired(db, org_id, posting_id, person.id, None)
    if confirm:
        await outcomes.confirm(db, settings, person.id, outcome.id)
    return person.id


async def test_a_confirmed_hire_records_its_courses_and_providers_and_a_rejected_one_nothing(client, db) -> None:
    provider = await new_provider(client, "tda")
    achievement = await new_achievement(client, provider)
    assert (await issue(client, provider, achievement["id"], email="mei@example.jp")).status_code == 201
    person_id, org_id = await setup(client)
    post_id = await posting(client, org_id)
    await send(client, "POST", f"/api/v1/orgs/{org_id}/shortlists/{post_id}/candidates", json={"person_id": person_id})
    not_listed = await send(client, "POST", f"/api/v1/orgs/{org_id}/outcomes",
                            json={"person_id": str(uuid.uuid4()), "posting_id": post_id})
    assert not_listed.status_code == 422
    hire = await send(client, "POST", f"/api/v1/orgs/{org_id}/outcomes", json={"person_id": person_id, "posting_id": post_id})
    assert hire.status_code == 201 and hire.json()["state"] == "pending", hire.text
    twice = await send(client, "POST", f"/api/v1/orgs/{org_id}/outcomes", json={"person_id": person_id, "posting_id": post_id})
    assert twice.status_code == 409
    await sign_in(client, "mei@example.jp")
    [mine] = (await client.get("/api/v1/me/outcomes")).json()
    confirmed = await send(client, "POST", f"/api/v1/me/outcomes/{mine['id']}/confirm")
    assert confirmed.json()["state"] == "confirmed"
    assert (await send(client, "POST", f"/api/v1/me/outcomes/{mine['id']}/reject")).status_code == 409
    stats = (await client.get("/api/v1/outcomes/statistics")).json()
    assert [c["id"] for c in stats["course"]] == [achievement["id"]] and stats["course"][0]["suppressed"] is True
    assert [c["id"] for c in stats["provider"]] == [provider["id"]] and stats["provider"][0]["count"] is None
    person = (await db.execute(select(Person).where(Person.email == "mei@example.jp"))).scalar_one()
    assert person.id == uuid.UUID(person_id)


async def test_the_learners_export_holds_the_requests_and_hires_and_deleting_removes_every_trace(client, db) -> None:
    person_id, org_id = await setup(client)
    post_id = await posting(client, org_id)
    request_id = (await ask(client, org_id, person_id)).json()["id"]
    await send(client, "POST", f"/api/v1/orgs/{org_id}/shortlists/{post_id}/candidates", json={"person_id": person_id})
    await send(client, "PUT", f"/api/v1/orgs/{org_id}/notes/{person_id}", json={"text": "社内だけのメモ"})
    await send(client, "POST", f"/api/v1/orgs/{org_id}/outcomes", json={"person_id": person_id, "posting_id": post_id})
    await sign_in(client, "mei@example.jp")
    exported = (await client.get("/api/v1/me/export")).json()["employer_contact"]
    assert [r["id"] for r in exported["requests"]] == [request_id]
    assert exported["requests"][0]["employer"]["name_ja"] == "sakura-dx 株式会社"
    assert exported["requests"][0]["message"] == "面談をお願いできますか。"
    assert [h["state"] for h in exported["hires"]] == ["pending"] and "社内だけのメモ" not in str(exported)
    deleted = await send(client, "DELETE", "/api/v1/me", json={"password": TEST_PASSWORD})
    assert deleted.status_code == 200, deleted.text
    for table in (ContactRequest, HireOutcome, ShortlistEntry, CandidateNote):
        assert (await db.execute(select(table))).scalars().all() == [], table


async def test_two_requests_sent_at_the_same_moment_leave_one_open(client, db) -> None:
    person_id, org_id = await setup(client)
    first, second = await asyncio.gather(ask(client, org_id, person_id), ask(client, org_id, person_id))
    assert sorted([first.status_code, second.status_code]) == [201, 429], (first.text, second.text)
    assert len((await db.execute(select(ContactRequest))).scalars().all()) == 1


async def test_the_daily_cap_counts_two_concurrent_requests_one_after_the_other(engine, db, monkeypatch) -> None:
    """At the cap's last free place, a second organization request waits for the first to commit and is
    then refused: without the organization's row lock both would count one below the cap."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from core.errors import RateLimited

    monkeypatch.setattr(requests, "DAILY_LIMIT", 1)
    accounts = AccountService(db)
    first, second = [await accounts.sign_up(f"{n}@example.jp", TEST_PASSWORD, n, "ja", confirmed=True) for n in "ab"]
    org = await accounts.create_org("employer", "cap-race", "cap-race 株式会社", "cap-race", admin_id=None)
    await db.commit()
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as one, sessions() as two:
        await requests.check_rate(one, org.id, first.id)
        one.add(ContactRequest(org_id=org.id, person_id=first.id, wants=["skills"], message="m"))
        await one.flush()
        waiting = asyncio.create_task(requests.check_rate(two, org.id, second.id))
        await asyncio.sleep(0.5)
        assert not waiting.done(), "the second request counted before the first one committed"
        await one.commit()
        try:
            await asyncio.wait_for(waiting, 10)
        except RateLimited:
            pass
        else:
            raise AssertionError("the second request passed the daily cap")
        await two.rollback()
