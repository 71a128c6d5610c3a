"""API key scopes and expiry: each API-key route needs its scope (403 naming it), an expired key is
refused (401), keys made before scopes existed keep every scope, and the OpenAPI names each scope."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy import select, update

from accounts.models import ApiKey
from core.db import utcnow
from tests.conftest import csrf_headers
from tests.credentials.conftest import new_achievement, new_provider


async def make_key(client, provider: dict, scopes: list[str] | None = None, **body) -> dict:
    payload = {"name": "scoped", **({"scopes": scopes} if scopes is not None else {}), **body}
    response = await client.post(f"{provider['base']}/api-keys", headers=await csrf_headers(client), json=payload)
    return response


def problem(response) -> dict:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return response.json()


async def test_each_route_checks_the_scope_of_the_key(client) -> None:
    provider = await new_provider(client, "scopes-a")
    achievement = await new_achievement(client, provider)
    read_only = (await make_key(client, provider, ["read"])).json()["key"]
    issue_only = (await make_key(client, provider, ["issue"])).json()["key"]
    client.cookies.clear()
    base = provider["base"]

    assert (await client.get(f"{base}/achievements", headers={"x-api-key": read_only})).status_code == 200
    refused = await client.post(f"{base}/credentials", headers={"x-api-key": read_only, "Idempotency-Key": "s-1"},
                                json={"achievement_id": achievement["id"], "recipient_email": "s@example.jp"})
    assert refused.status_code == 403 and problem(refused)["missing_scope"] == "issue"
    assert "issue" in refused.json()["detail"]

    issued = await client.post(f"{base}/credentials", headers={"x-api-key": issue_only, "Idempotency-Key": "s-2"},
                               json={"achievement_id": achievement["id"], "recipient_email": "s@example.jp"})
    assert issued.status_code == 201, issued.text
    listed = await client.get(f"{base}/credentials", headers={"authorization": f"Bearer {issue_only}"})
    assert listed.status_code == 403 and problem(listed)["missing_scope"] == "read"

    credential = f"{base}/credentials/{issued.json()['id']}"
    for key in (read_only, issue_only):
        revoke = await client.post(f"{credential}/revoke", headers={"x-api-key": key}, json={"reason": "x"})
        assert revoke.status_code == 403 and problem(revoke)["missing_scope"] == "revoke"
    # every scope (the default of a key made through the API)
    revoked = await client.post(f"{credential}/revoke", headers=provider["headers"], json={"reason": "x"})
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"


async def test_an_expired_key_is_refused_with_401(client, db) -> None:
    provider = await new_provider(client, "scopes-expired")
    client.cookies.clear()
    assert (await client.get(f"{provider['base']}/achievements", headers=provider["headers"])).status_code == 200
    await db.execute(update(ApiKey).values(expires_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    expired = await client.get(f"{provider['base']}/achievements", headers=provider["headers"])
    assert expired.status_code == 401 and problem(expired)["status"] == 401


async def test_new_keys_expire_in_a_year_unless_told_and_refuse_bad_scopes_or_dates(client, db) -> None:
    provider = await new_provider(client, "scopes-new")
    made = await make_key(client, provider, ["read", "webhooks"])
    assert made.status_code == 201, made.text
    assert made.json()["scopes"] == ["read", "webhooks"]
    expires = datetime.fromisoformat(made.json()["expires_at"])
    assert abs((expires - (utcnow() + timedelta(days=365))).total_seconds()) < 60
    chosen = utcnow() + timedelta(days=30)
    dated = await make_key(client, provider, ["issue"], expires_at=chosen.isoformat())
    assert dated.status_code == 201 and abs((datetime.fromisoformat(dated.json()["expires_at"]) - chosen)
                                            .total_seconds()) < 1
    for scopes, body, field in ((["everything"], {}, "scopes"), ([], {}, "scopes"),
                                (["read"], {"expires_at": (utcnow() - timedelta(days=1)).isoformat()}, "expires_at"),
                                (["read"], {"expires_at": (utcnow() + timedelta(days=3650)).isoformat()}, "expires_at")):
        refused = await make_key(client, provider, scopes, **body)
        assert refused.status_code == 422, (scopes, body, refused.text)
        assert problem(refused)["field"] == field
    keys = (await db.execute(select(ApiKey).where(ApiKey.name == "scoped"))).scalars().all()
    assert len(keys) == 2  # nothing half-written by the refused ones


async def test_keys_made_before_scopes_keep_every_scope_and_never_expire(client, db) -> None:
    """A row written without the new columns (as the migration leaves existing keys) gets their defaults."""
    from accounts import security

    provider = await new_provider(client, "scopes-old")
    secret, prefix, digest = security.new_api_key()
    old_table = sa.table("api_key", sa.column("id", sa.Uuid()), sa.column("org_id", sa.Uuid()),
                         sa.column("name", sa.String()), sa.column("prefix", sa.String()),
                         sa.column("key_hash", sa.String()), sa.column("created_at", sa.DateTime(timezone=True)))
    await db.execute(sa.insert(old_table).values(id=uuid.uuid4(), org_id=uuid.UUID(provider["id"]), name="old",
                                                 prefix=prefix, key_hash=digest,
                                                 created_at=datetime.now(timezone.utc)))
    await db.commit()
    stored = (await db.execute(select(ApiKey).where(ApiKey.name == "old"))).scalar_one()
    assert stored.scopes.split() == list(security.API_KEY_SCOPES) and stored.expires_at is None
    client.cookies.clear()
    headers = {"x-api-key": secret}
    assert (await client.get(f"{provider['base']}/webhooks", headers=headers)).status_code == 200
    assert (await client.get(f"{provider['base']}/credentials", headers=headers)).status_code == 200


async def test_the_openapi_names_the_scope_of_each_operation(app) -> None:
    spec = app.openapi_schema.to_schema()
    org = "/api/v1/orgs/{org_id}"

    def scope_of(method: str, path: str) -> list[str]:
        security = spec["paths"][path][method]["security"]
        return next(item["apiKey"] for item in security if "apiKey" in item)

    assert scope_of("post", f"{org}/credentials") == ["issue"]
    assert scope_of("get", f"{org}/credentials") == ["read"]
    assert scope_of("post", f"{org}/credentials/{{credential_id}}/{{action}}") == ["revoke"]
    assert scope_of("post", f"{org}/webhooks") == ["webhooks"]
    assert "`revoke`" in spec["paths"][f"{org}/credentials/{{credential_id}}/{{action}}"]["post"]["description"]


async def test_the_key_page_creates_keys_with_the_chosen_scopes_and_expiry(client, db) -> None:
    from tests.frontend.test_provider_pages import form, htmx, provider

    base = await provider(client, "scopes-page")
    page = await client.get(f"{base}/api-keys")
    assert page.status_code == 200 and 'name="scopes" value="webhooks"' in page.text
    assert 'type="date"' in page.text
    day = (utcnow() + timedelta(days=90)).date().isoformat()
    created = await client.post(f"{base}/api-keys", headers=htmx("api_keys"), data={
        **await form(client), "name": "read-only LMS", "scopes_shown": "1", "scopes": ["read"], "expires_at": day})
    assert created.status_code == 200, created.text
    stored = (await db.execute(select(ApiKey).where(ApiKey.name == "read-only LMS"))).scalar_one()
    assert stored.scopes == "read" and stored.expires_at.date().isoformat() == day
    for data, field in (({"scopes_shown": "1"}, "scopes"),
                        ({"scopes_shown": "1", "scopes": ["read"], "expires_at": "31/12/2027"}, "expires_at"),
                        ({"scopes_shown": "1", "scopes": ["read"], "expires_at": "2001-01-01"}, "expires_at")):
        refused = await client.post(f"{base}/api-keys", data={**await form(client), "name": "refused", **data})
        assert refused.status_code == 422 and f'id="e-{field}"' in refused.text, (data, refused.text[:300])
    assert (await db.execute(select(ApiKey).where(ApiKey.name == "refused"))).first() is None
    org_id = base.rsplit("/", 1)[1]
    api = await client.post(f"/api/v1/orgs/{org_id}/api-keys", headers=await csrf_headers(client),
                            json={"name": "refused", "scopes": []})
    assert api.status_code == 422 and api.json()["field"] == "scopes"  # the API refuses alike
