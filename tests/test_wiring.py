"""Domains that react to each other through the composition root's wiring (skillpass/wiring.py):
a credential delivered to or revoked in a wallet recomputes the holder's skill profile at once."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import Person
from skills.models import ProfileSnapshot
from tests.conftest import csrf_headers, sign_up
from tests.credentials.conftest import SKILL, api_headers, issue, new_achievement, new_provider


async def _latest_items(db, email: str) -> dict:
    person = (await db.execute(select(Person).where(Person.email == email))).scalar_one()
    snapshot = (await db.execute(select(ProfileSnapshot).where(ProfileSnapshot.person_id == person.id)
                                 .order_by(ProfileSnapshot.created_at.desc()).limit(1))).scalar_one_or_none()
    items = dict(snapshot.items) if snapshot else {}
    await db.rollback()  # the next read sees later commits
    return items


async def test_issued_then_revoked_credential_moves_the_profile_without_the_learner_looking(client, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    client.cookies.clear()
    await sign_up(client, "wired@example.jp")
    client.cookies.clear()

    issued = await issue(client, provider, achievement["id"], email="wired@example.jp")
    assert issued.status_code == 201, issued.text
    items = await _latest_items(db, "wired@example.jp")
    assert items[SKILL]["status"] == "verified" and items[SKILL]["level"] == "b"

    credential_id = issued.json()["id"]
    revoked = await client.post(f"{provider['base']}/credentials/{credential_id}/revoke",
                                headers=await api_headers(client, provider), json={"reason": "issued in error"})
    assert revoked.status_code == 200, revoked.text
    assert SKILL not in await _latest_items(db, "wired@example.jp")


async def test_sign_up_after_issuance_claims_and_builds_the_profile(client, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    client.cookies.clear()
    assert (await issue(client, provider, achievement["id"], email="newcomer@example.jp")).status_code == 201
    await sign_up(client, "newcomer@example.jp")
    items = await _latest_items(db, "newcomer@example.jp")
    assert items[SKILL]["status"] == "verified"
    wallet = await client.get("/api/v1/me/credentials", headers=await csrf_headers(client))
    assert len(wallet.json()) == 1
