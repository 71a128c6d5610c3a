"""A learner answers an employer's contact request, or applies to a job, with a verifiable presentation
from their wallet (OpenID4VP through the employer's verifier): the employer sees the verdict, the issuer's
trust status and only the skills ticked, nothing personal; a refused presentation leaves nothing behind;
withdrawing deletes what was presented."""

from __future__ import annotations

import re

from tests.conftest import csrf_headers, verify_org_through_app
from tests.credentials.conftest import SKILL
from tests.credentials.oid4vci.conftest import learner_with_badge
from tests.matching.helpers import employer, send, settings
from tests.matching.test_contact import sign_in

LEARNER = "mei@example.jp"
OTHER_SKILL = "v2-machine-learning"  # the badge's second alignment: not ticked, never disclosed
HR = "hr@sakura.example"


async def setup(client) -> dict:
    """A learner holding a trusted provider's badge (discoverable, name not shared), a verified employer
    with a published posting asking for the badge's first skill, signed in as the employer."""
    held = (await learner_with_badge(client, email=LEARNER))["held"]
    await settings(client, discoverable=True, employer_parts=["skills"])
    person_id = (await client.get("/api/v1/me")).json()["person"]["id"]
    org_id = await employer(client)
    await verify_org_through_app(client, org_id)
    made = await send(client, "POST", f"/api/v1/orgs/{org_id}/postings", json={
        "title": "データ基盤エンジニア", "requirements": [{"skill_id": SKILL, "level": "c"}], "status": "published"})
    assert made.status_code == 201, made.text
    return {"held_id": held["id"], "org_id": org_id, "posting_id": made.json()["id"], "person_id": person_id}


async def ask(client, org_id: str, person_id: str, posting_id: str) -> str:
    sent = await send(client, "POST", f"/api/v1/orgs/{org_id}/contact-requests", json={
        "person_id": person_id, "posting_id": posting_id, "wants": ["presentation"], "message": "バッジを見せてください。"})
    assert sent.status_code == 201, sent.text
    return sent.json()["id"]


async def presentation_requests(client, org_id: str) -> list:
    listed = await client.get(f"/api/v1/orgs/{org_id}/presentation-requests")
    assert listed.status_code == 200, listed.text
    return listed.json()


async def test_a_presented_badge_answers_a_contact_request_and_withdrawing_deletes_it(client) -> None:
    made = await setup(client)
    org_id = made["org_id"]
    person_id = made["person_id"]
    request_id = await ask(client, org_id, person_id, made["posting_id"])

    await sign_in(client, LEARNER)
    inbox = await client.get("/wallet/contact")
    assert f'name="skills-{made["held_id"]}" value="{SKILL}" checked' in inbox.text
    wrong = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/presentation",
                       json={"held_id": "00000000-0000-0000-0000-000000000001", "skills": [SKILL]})
    assert wrong.status_code == 404 and wrong.headers["content-type"].startswith("application/problem+json")
    answered = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/presentation",
                          json={"held_id": made["held_id"], "skills": [SKILL]})
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "shared"
    again = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/presentation",
                       json={"held_id": made["held_id"], "skills": [SKILL]})
    assert again.status_code == 409

    await sign_in(client, HR)
    (presented,) = await presentation_requests(client, org_id)  # the refused attempt left nothing behind
    assert presented["status"] == "answered" and presented["verified"] is True
    shared = (await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")).json()["shared"]
    (credential,) = shared["presentation"]["credentials"]
    assert shared["presentation"]["verified"] is True and credential["trust_status"] == "trusted"
    assert credential["format"] == "dc+sd-jwt" and credential["dss_items"] == [SKILL]  # only the ticked skill
    assert credential["title"] == "データエンジニアリング基礎" and "display_name" not in shared
    assert credential["title_en"] == "Data Engineering Foundations"  # ours: shown in the reader's language
    assert credential["issuer_name_ja"] and credential["issuer_name_en"]
    page = await client.get(f"/employer/{org_id}/candidates/{person_id}/contact", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    assert f'data-presented-skill="{SKILL}"' in page.text and f'data-presented-skill="{OTHER_SKILL}"' not in page.text
    assert 'data-trust="trusted"' in page.text and "山田" not in page.text and LEARNER not in page.text

    await sign_in(client, LEARNER)
    assert "証明書を提示して答えました" in (await client.get("/wallet/contact")).text
    withdrawn = await send(client, "POST", f"/api/v1/me/contact-requests/{request_id}/withdraw")
    assert withdrawn.json()["state"] == "withdrawn"
    await sign_in(client, HR)
    assert (await client.get(f"/api/v1/orgs/{org_id}/contact-requests/{request_id}")).json()["shared"] is None
    assert await presentation_requests(client, org_id) == []  # the disclosed claims are gone


async def test_the_wallet_form_presents_the_ticked_skills_and_refuses_without_a_badge(client) -> None:
    made = await setup(client)
    request_id = await ask(client, made["org_id"], made["person_id"], made["posting_id"])
    await sign_in(client, LEARNER)
    token = {"_csrf_token": (await csrf_headers(client))["x-csrftoken"]}
    missing = await client.post(f"/wallet/contact/{request_id}/present", data=token,
                                headers={"Accept": "text/html"})
    assert missing.status_code == 422 and "提示するバッジを選んでください" in missing.text
    sent = await client.post(f"/wallet/contact/{request_id}/present", follow_redirects=False, data={
        **token, "held_id": made["held_id"], f"skills-{made['held_id']}": [SKILL, OTHER_SKILL]})
    assert sent.status_code in (302, 303) and sent.headers["location"].endswith("done=presented")
    await sign_in(client, HR)
    shared = (await client.get(f"/api/v1/orgs/{made['org_id']}/contact-requests/{request_id}")).json()["shared"]
    assert sorted(shared["presentation"]["credentials"][0]["dss_items"]) == sorted([SKILL, OTHER_SKILL])


async def test_applying_to_a_job_with_a_presented_badge(client) -> None:
    made = await setup(client)
    org_id, posting_id = made["org_id"], made["posting_id"]
    await sign_in(client, LEARNER)
    detail = await client.get(f"/wallet/jobs/{posting_id}")
    assert 'value="present"' in detail.text and f'name="skills-{made["held_id"]}"' in detail.text
    both = await send(client, "POST", f"/api/v1/me/jobs/{posting_id}/application",
                      json={"held_id": made["held_id"], "parts": ["skills"]})
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "held_id"
    token = {"_csrf_token": (await csrf_headers(client))["x-csrftoken"]}
    applied = await client.post(f"/wallet/jobs/{posting_id}/apply", follow_redirects=False, data={
        **token, "link": "present", "held_id": made["held_id"], f"skills-{made['held_id']}": [SKILL]})
    assert applied.status_code in (302, 303), applied.text
    assert 'data-applied' in (await client.get(f"/wallet/jobs/{posting_id}")).text

    await sign_in(client, HR)
    (application,) = (await client.get(f"/api/v1/orgs/{org_id}/postings/{posting_id}/applications")).json()
    (credential,) = application["shared"]["presentation"]["credentials"]
    assert credential["dss_items"] == [SKILL] and credential["trust_status"] == "trusted"
    page = await client.get(f"/employer/{org_id}/postings/{posting_id}/applications")
    assert f'data-presented-skill="{SKILL}"' in page.text and "山田" not in page.text

    await sign_in(client, LEARNER)
    token = {"_csrf_token": (await csrf_headers(client))["x-csrftoken"]}
    gone = await client.post(f"/wallet/jobs/{posting_id}/withdraw", data=token, follow_redirects=False)
    assert gone.status_code in (302, 303) and gone.headers["location"].endswith("withdrawn=1")
    shown = await client.get(gone.headers["location"])
    assert "応募を取り消しました" in shown.text and "data-applied" not in shown.text
    await sign_in(client, HR)
    assert (await client.get(f"/api/v1/orgs/{org_id}/postings/{posting_id}/applications")).json() == []
    assert await presentation_requests(client, org_id) == []
    again = re.sub(r"\s+", " ", (await client.get(f"/employer/{org_id}/postings/{posting_id}/applications")).text)
    assert f'data-presented-skill="{SKILL}"' not in again


async def test_two_answers_at_the_same_moment_one_wins_and_the_other_leaves_nothing(client, engine, settings) -> None:
    """Two tabs answer one request: the second waits for the first, then is a 409 and keeps no presentation."""
    import asyncio
    import uuid as uuid_

    from sqlalchemy import func, select
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from core.errors import Conflict
    from credentials.oid4vp.models import PresentationRequest
    from matching.contact import requests

    made = await setup(client)
    request_id = uuid_.UUID(await ask(client, made["org_id"], made["person_id"], made["posting_id"]))
    person_id, held_id = uuid_.UUID(made["person_id"]), uuid_.UUID(made["held_id"])
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as one, sessions() as two:
        await requests.answer_with_presentation(one, settings, person_id, request_id, held_id=held_id,
                                                skill_codes=[SKILL])
        second = asyncio.create_task(requests.answer_with_presentation(
            two, settings, person_id, request_id, held_id=held_id, skill_codes=[SKILL]))
        await asyncio.sleep(0.5)
        await one.commit()
        try:
            await asyncio.wait_for(second, 20)
        except Conflict:
            pass
        else:
            raise AssertionError("both answers were taken")
        await two.commit()
    async with sessions() as check:
        assert await check.scalar(select(func.count()).select_from(PresentationRequest)) == 1


async def test_only_badges_issued_here_and_not_revoked_are_offered_for_a_presentation(client, db, settings) -> None:
    import uuid

    from sqlalchemy import update

    from credentials.models import HeldCredential, IssuedCredential
    from credentials.oid4vp.holder import WalletPresenter

    made = await setup(client)
    person = uuid.UUID(made["person_id"])
    [badge] = await WalletPresenter(db, settings).presentable(person)
    assert badge["held_id"] == uuid.UUID(made["held_id"]) and SKILL in [s["code"] for s in badge["skills"]]
    held = await db.get(HeldCredential, badge["held_id"])
    await db.execute(update(IssuedCredential).where(IssuedCredential.id == held.credential_id).values(state="revoked"))
    assert await WalletPresenter(db, settings).presentable(person) == []
    await db.rollback()
