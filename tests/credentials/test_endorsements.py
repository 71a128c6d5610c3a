"""Endorsements: one organization signs an OB 3.0 EndorsementCredential about another's achievement or
issuer profile; it validates against the bundled schema, verifies (real crypto), a tampered one is refused,
only a verified organization may endorse (never itself), and the achievement's list shows it with the
endorser's trust status (judged now: an endorser suspended later is no longer recognised)."""

from __future__ import annotations

import copy
import uuid

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from sqlalchemy.ext.asyncio import async_sessionmaker

from accounts.service import AccountService
from accounts.verification import OrgVerificationService
from credentials.vc.schema import validate_ob
from tests.conftest import VERIFY_ADMIN_EMAIL
from tests.credentials.conftest import api_headers, new_achievement, new_provider


async def suspend(client, org_id: str) -> None:
    """A platform admin suspends the organization (on the app's own engine)."""
    engine = client.app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        admin = await AccountService(session).person_by_email(VERIFY_ADMIN_EMAIL)
        await OrgVerificationService(session).suspend(uuid.UUID(org_id), admin.id, "test: suspended")
        await session.commit()


async def endorse(client, endorser, **body):
    return await client.post(f"{endorser['base']}/endorsements", headers=await api_headers(client, endorser),
                             json={"comment": "業界団体として推薦します。", **body})


async def test_an_organization_endorses_another_achievement_and_it_verifies(client) -> None:
    university = await new_provider(client, "end-uni")
    body = await new_provider(client, "end-body", name_ja="日本データ協会")
    achievement = await new_achievement(client, university)
    response = await endorse(client, body, achievement_id=achievement["id"])
    assert response.status_code == 201, response.text
    credential = response.json()["credential"]
    assert credential["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert credential["credentialSubject"]["id"] == f"http://testserver.local/achievements/{achievement['id']}"
    assert credential["credentialSubject"]["type"] == ["EndorsementSubject"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert validate_ob(credential) == []
    verified = (await client.post("/api/v1/verify", json=credential)).json()
    assert verified["verified"], verified["errors"]
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["endorsementComment"] = "推薦しません。"
    assert not (await client.post("/api/v1/verify", json=tampered)).json()["verified"]
    client.cookies.clear()
    listed = (await client.get(f"/api/v1/achievements/{achievement['id']}/endorsements")).json()
    assert len(listed) == 1 and listed[0]["credential"]["id"] == credential["id"]
    assert listed[0]["trust"]["status"] == "trusted"


async def test_issuer_profile_endorsement_and_refusals(client) -> None:
    university = await new_provider(client, "end-uni2")
    body = await new_provider(client, "end-body2")
    ok = await endorse(client, body, issuer_org_id=university["id"])
    assert ok.status_code == 201, ok.text
    assert ok.json()["credential"]["credentialSubject"]["id"].startswith("did:")
    own = await new_achievement(client, body)
    itself = await endorse(client, body, achievement_id=own["id"])
    assert itself.status_code == 422 and itself.json()["field"] == "achievement_id"
    both = await endorse(client, body, achievement_id=own["id"], issuer_org_id=university["id"])
    assert both.status_code == 422
    empty = await endorse(client, body, issuer_org_id=university["id"], comment=" ")
    assert empty.status_code == 422 and empty.json()["field"] == "comment"
    unverified = await new_provider(client, "end-unverified", verified=False)
    refused = await endorse(client, unverified, issuer_org_id=university["id"])
    assert refused.status_code == 422 and refused.json()["code"] == "not_verified"
    listed = (await client.get(f"/api/v1/achievements/{own['id']}/endorsements")).json()
    assert listed == []


async def test_the_achievement_page_shows_endorsements_with_trust_in_both_languages(client) -> None:
    body = await new_provider(client, "end-page-body", name_ja="日本データ協会", name_en="Japan Data Association")
    later_suspended = await new_provider(client, "end-page-x")
    university = await new_provider(client, "end-page-uni")  # the client stays signed in as its admin
    achievement = await new_achievement(client, university)
    page_url = f"/provider/{university['id']}/achievements/{achievement['id']}"
    client.cookies.set("lang", "en")
    assert "No organization has endorsed this achievement yet." in (await client.get(page_url)).text
    assert (await endorse(client, body, achievement_id=achievement["id"], lang="en")).status_code == 201
    assert (await endorse(client, later_suspended, achievement_id=achievement["id"])).status_code == 201
    await suspend(client, later_suspended["id"])
    en = (await client.get(page_url)).text
    assert "Endorsements" in en and "Japan Data Association" in en and "Recognised issuer" in en
    assert "Issuer not recognised" in en and "推薦（エンドースメント）" not in en
    client.cookies.set("lang", "ja")
    ja = (await client.get(page_url)).text
    assert "推薦（エンドースメント）" in ja and "確認済みの発行者" in ja and "未確認の発行者" in ja
    assert "Recognised issuer" not in ja


def test_an_endorsement_comment_splits_into_its_languages_as_it_was_joined() -> None:
    from credentials.endorsements import checked_comment, comment_parts

    joined = checked_comment({"ja": " 育成に有効です。 ", "en": "Useful for training."})
    assert comment_parts(joined) == [("ja", "育成に有効です。"), ("en", "Useful for training.")]
    assert comment_parts("Only English.") == [("en", "Only English.")] and comment_parts(None) == []
