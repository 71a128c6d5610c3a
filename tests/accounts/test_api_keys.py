"""Provider API keys: created by provider admins, shown once, stored hashed, scoped to their organization."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import ApiKey
from tests.conftest import create_api_key, create_org, csrf_headers, sign_up


async def test_key_of_provider_a_is_refused_on_provider_b(client) -> None:
    await sign_up(client, "a-admin@example.jp")
    org_a = await create_org(client, "provider", "provider-a")
    org_b = await create_org(client, "provider", "provider-b")
    key_a = await create_api_key(client, org_a["id"])
    client.cookies.clear()
    mine = await client.get(f"/api/v1/orgs/{org_a['id']}", headers={"authorization": f"Bearer {key_a}"})
    assert mine.status_code == 200 and mine.json()["slug"] == "provider-a"
    theirs = await client.get(f"/api/v1/orgs/{org_b['id']}", headers={"x-api-key": key_a})
    assert theirs.status_code == 403
    assert theirs.headers["content-type"].startswith("application/problem+json")


async def test_key_is_shown_once_and_stored_hashed(client, db) -> None:
    await sign_up(client, "keys@example.jp")
    org = await create_org(client, "provider", "provider-keys")
    key = await create_api_key(client, org["id"])
    listed = await client.get(f"/api/v1/orgs/{org['id']}/api-keys")
    assert listed.status_code == 200
    assert key not in listed.text and listed.json()[0]["prefix"] == key[:12]
    stored = (await db.execute(select(ApiKey))).scalar_one()
    assert stored.key_hash != key and key not in stored.key_hash


async def test_revoked_key_no_longer_authenticates(client) -> None:
    await sign_up(client, "revoke@example.jp")
    org = await create_org(client, "provider", "provider-revoke")
    key = await create_api_key(client, org["id"])
    key_id = (await client.get(f"/api/v1/orgs/{org['id']}/api-keys")).json()[0]["id"]
    revoked = await client.delete(f"/api/v1/orgs/{org['id']}/api-keys/{key_id}", headers=await csrf_headers(client))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    client.cookies.clear()
    assert (await client.get(f"/api/v1/orgs/{org['id']}", headers={"x-api-key": key})).status_code == 401


async def test_api_keys_cannot_manage_keys_and_members_cannot_create_them(client) -> None:
    await sign_up(client, "owner@example.jp")
    org = await create_org(client, "provider", "provider-owner")
    key = await create_api_key(client, org["id"])
    add = await client.post(f"/api/v1/orgs/{org['id']}/members", headers=await csrf_headers(client),
                            json={"email": "owner@example.jp", "role": "admin"})
    assert add.status_code == 201
    # a plain member may not create keys
    client.cookies.clear()
    await sign_up(client, "member@example.jp")
    client.cookies.clear()
    await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                      json={"email": "owner@example.jp", "password": "correct-horse-battery"})
    await client.post(f"/api/v1/orgs/{org['id']}/members", headers=await csrf_headers(client),
                      json={"email": "member@example.jp", "role": "member"})
    client.cookies.clear()
    await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                      json={"email": "member@example.jp", "password": "correct-horse-battery"})
    denied = await client.post(f"/api/v1/orgs/{org['id']}/api-keys", headers=await csrf_headers(client),
                               json={"name": "mine"})
    assert denied.status_code == 403
    client.cookies.clear()
    by_key = await client.post(f"/api/v1/orgs/{org['id']}/api-keys", headers={"x-api-key": key}, json={"name": "x"})
    assert by_key.status_code == 403


async def test_employers_have_no_api_keys(client) -> None:
    await sign_up(client, "hr@example.jp")
    org = await create_org(client, "employer", "employer-x")
    response = await client.post(f"/api/v1/orgs/{org['id']}/api-keys", headers=await csrf_headers(client),
                                 json={"name": "x"})
    assert response.status_code == 403
