"""Pathways: the provider API defines one of its own achievements; a learner's progress; completing it
issues the pathway badge exactly once (a second event, concurrent events, after a revocation)."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from accounts.service import AccountService
from core.db import utcnow
from credentials import events
from credentials.achievements import AchievementService
from credentials.issuance import IssuanceService, IssueRequest
from credentials.models import CredentialState, IssuedCredential
from credentials.pathways import service
from credentials.pathways.models import PathwayAward
from credentials.revocation import change_state
from tests.conftest import TEST_PASSWORD, create_api_key, csrf_headers, verify_org
from tests.frontend.helpers import ACHIEVEMENT, learner

LEARNER = "learner@example.jp"


async def provider(db, settings, slug: str = "path-academy"):
    """A verified provider with two course achievements and a pathway badge achievement."""
    accounts = AccountService(db)
    admin = await accounts.sign_up(f"admin@{slug}.example.jp", TEST_PASSWORD, "Admin", "ja")
    admin.email_confirmed_at = utcnow()  # arranged, as for a demo account
    org = await accounts.create_org("provider", slug, "パスアカデミー", "Path Academy", admin_id=admin.id)
    await db.flush()
    await verify_org(db, org.id)
    achievements = AchievementService(db, settings)
    made = []
    for name_ja, name_en in (("基礎", "Basics"), ("応用", "Applied"), ("修了", "Pathway complete")):
        made.append(await achievements.create(org.id, {**ACHIEVEMENT, "name_ja": name_ja, "name_en": name_en}))
    await db.commit()
    return org, admin, made


async def issue(db, settings, org_id, achievement_id, email: str = LEARNER) -> IssuedCredential:
    credential = await IssuanceService(db, settings).issue(
        org_id, IssueRequest(achievement_id=achievement_id, recipient_email=email, recipient_name="Hanako"))
    await db.commit()
    return credential


async def badges_of(db, achievement_id) -> list[IssuedCredential]:
    rows = await db.execute(select(IssuedCredential).where(IssuedCredential.achievement_id == achievement_id))
    return list(rows.scalars())


async def make_pathway(db, settings, org, made, **extra):
    pathway = await service.create_pathway(db, settings, org.id, service.PathwayIn(
        name_ja="バックエンド入門", name_en="Back-end starter", badge_achievement_id=made[2].id,
        steps=[service.StepIn(made[0].id), service.StepIn(made[1].id)], **extra))
    await db.commit()
    return pathway


async def test_completing_a_pathway_issues_its_badge_once(client, db, settings):
    await learner(client, LEARNER)
    person = (await AccountService(db).person_by_email(LEARNER)).id
    org, _, made = await provider(db, settings)
    pathway = await make_pathway(db, settings, org, made, role_id="se-backend")

    await issue(db, settings, org.id, made[0].id)
    [progress] = await service.learner_pathways(db, person)
    assert (progress.done, progress.units, progress.complete, progress.award) == (1, 2, False, None)
    assert await badges_of(db, made[2].id) == []

    await issue(db, settings, org.id, made[1].id)  # the wallet change completes the pathway
    [badge] = await badges_of(db, made[2].id)
    assert badge.recipient_email == LEARNER and badge.org_id == org.id
    assert badge.document["proof"]["verificationMethod"].startswith(badge.verification_method.split("#")[0])
    [progress] = await service.learner_pathways(db, person)
    assert progress.complete and progress.award.credential_id == badge.id and progress.award_state == "active"
    held = await client.get("/api/v1/me/credentials")
    assert any(h["title"] in ("Pathway complete", "修了") for h in held.json())

    # another wallet change (the badge's own delivery was one already) issues nothing more
    await service.award_completed(db, settings, person)
    await events.wallet_changed(db, settings, person)
    await db.commit()
    assert len(await badges_of(db, made[2].id)) == 1
    assert await db.scalar(select(func.count()).select_from(PathwayAward)) == 1
    assert pathway.id == progress.pathway.id


async def test_concurrent_completion_events_issue_once(client, db, settings, engine):
    await learner(client, LEARNER)
    person = (await AccountService(db).person_by_email(LEARNER)).id
    org, _, made = await provider(db, settings)
    await make_pathway(db, settings, org, made)
    events.unsubscribe(service.on_wallet_changed)  # arrange: the steps held, no award yet
    try:
        await issue(db, settings, org.id, made[0].id)
        await issue(db, settings, org.id, made[1].id)
    finally:
        service.connect()
    assert await badges_of(db, made[2].id) == []

    maker = async_sessionmaker(engine, expire_on_commit=False)

    async def complete():
        async with maker() as session:
            awarded = await service.award_completed(session, settings, person)
            await session.commit()
            return awarded

    results = await asyncio.gather(complete(), complete(), return_exceptions=True)
    awarded = [r for r in results if isinstance(r, list)]
    assert sum(len(r) for r in awarded) == 1, results  # one issues; the other finds the award (or loses the race)
    assert len(await badges_of(db, made[2].id)) == 1
    assert await db.scalar(select(func.count()).select_from(PathwayAward)) == 1


async def test_a_revoked_pathway_badge_stays_revoked(client, db, settings):
    await learner(client, LEARNER)
    person = (await AccountService(db).person_by_email(LEARNER)).id
    org, _, made = await provider(db, settings)
    await make_pathway(db, settings, org, made)
    await issue(db, settings, org.id, made[0].id)
    await issue(db, settings, org.id, made[1].id)
    [badge] = await badges_of(db, made[2].id)

    await change_state(IssuanceService(db, settings), org.id, badge.id, "revoke", "issued by mistake")
    await db.commit()
    await service.award_completed(db, settings, person)
    await db.commit()
    badges = await badges_of(db, made[2].id)
    assert [b.state for b in badges] == [CredentialState.revoked]
    [progress] = await service.learner_pathways(db, person)
    assert progress.award_state == "revoked"


async def test_provider_api_defines_pathways_of_its_own_achievements(client, db, settings):
    org, admin, made = await provider(db, settings)
    other, _, theirs = await provider(db, settings, slug="other-academy")
    signed_in = await client.post("/api/v1/auth/signin", json={"email": admin.email, "password": TEST_PASSWORD},
                                  headers=await csrf_headers(client))
    assert signed_in.status_code == 200, signed_in.text
    key = await create_api_key(client, str(org.id))
    client.cookies.clear()
    headers = {"X-API-Key": key}
    body = {"name_ja": "入門", "name_en": "Starter", "badge_achievement_id": str(made[2].id), "role_id": "se-backend",
            "steps": [{"achievement_id": str(made[0].id)}, {"achievement_id": str(made[1].id), "group": "x"}]}
    created = await client.post(f"/api/v1/orgs/{org.id}/pathways", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert [s["group"] for s in created.json()["steps"]] == ["", "x"]
    listed = await client.get(f"/api/v1/orgs/{org.id}/pathways", headers=headers)
    assert [p["name_en"] for p in listed.json()] == ["Starter"]

    # another organization's achievement, a badge among the steps, an unknown role: problems, nothing stored
    foreign = {**body, "steps": [{"achievement_id": str(theirs[0].id)}]}
    refused = await client.post(f"/api/v1/orgs/{org.id}/pathways", json=foreign, headers=headers)
    assert refused.status_code == 404 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["field"] == "steps"
    looped = {**body, "steps": [{"achievement_id": str(made[2].id)}]}
    assert (await client.post(f"/api/v1/orgs/{org.id}/pathways", json=looped, headers=headers)).status_code == 422
    unknown = {**body, "role_id": "no-such-role"}
    answer = await client.post(f"/api/v1/orgs/{org.id}/pathways", json=unknown, headers=headers)
    assert answer.status_code == 422 and answer.json()["field"] == "role_id"
    assert len((await client.get(f"/api/v1/orgs/{org.id}/pathways", headers=headers)).json()) == 1
    # a key of this provider cannot touch the other's pathways
    assert (await client.get(f"/api/v1/orgs/{other.id}/pathways", headers=headers)).status_code == 403
    assert uuid.UUID(created.json()["id"])
