"""The OB 3.0 API's grants in a person's data (export lists the applications, deletion takes every
token and code with the account) and the upkeep sweep of lapsed codes and token pairs."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from accounts import upkeep
from accounts.oauth import urls
from accounts.oauth.applications import sweep_lapsed
from accounts.oauth.models import OAuthCode, OAuthToken
from core.db import utcnow
from tests.accounts.test_oauth_flow import approve, authorize_query, granted
from tests.conftest import TEST_PASSWORD, csrf_headers, sign_up


async def count(db, model) -> int:
    db.expire_all()
    return (await db.execute(select(func.count()).select_from(model))).scalar_one()


async def test_export_lists_the_applications_and_deletion_takes_the_grants(client, db) -> None:
    await sign_up(client, "leaving@example.jp")
    app, _ = await granted(client, scope=urls.CREDENTIAL_READ)
    await approve(client, authorize_query(app, secrets.token_urlsafe(48)))  # an unused code too
    export = (await client.get("/api/v1/me/export")).json()
    assert [(a["client_name"], a["scopes"]) for a in export["oauth_applications"]] == [
        ("Example Badge Displayer", [urls.CREDENTIAL_READ])]
    assert await count(db, OAuthToken) == 1 and await count(db, OAuthCode) == 2
    deleted = await client.request("DELETE", "/api/v1/me", json={"password": TEST_PASSWORD},
                                   headers=await csrf_headers(client))
    assert deleted.status_code == 200, deleted.text
    assert await count(db, OAuthToken) == 0 and await count(db, OAuthCode) == 0


async def test_the_sweep_deletes_lapsed_codes_and_pairs_only(client, db, engine, settings) -> None:
    await sign_up(client, "hanako@example.jp")
    app, live_pair = await granted(client)
    await granted(client)
    await granted(client)
    late = utcnow() - timedelta(seconds=1)
    tokens = (await db.execute(select(OAuthToken).order_by(OAuthToken.created_at))).scalars().all()
    live, revoked, lapsed = tokens
    revoked.revoked_at = utcnow()
    lapsed.access_expires_at = late
    lapsed.refresh_expires_at = late
    live.access_expires_at = late  # its refresh token still works: the pair stays
    await db.commit()
    assert await count(db, OAuthCode) == 3
    assert await sweep_lapsed(engine) == 2  # the revoked and the lapsed pair; the codes are young
    assert [t.id for t in (await db.execute(select(OAuthToken))).scalars()] == [live.id]
    await db.execute(update(OAuthCode).values(expires_at=late))
    await db.commit()
    await upkeep.run_once(engine, settings)  # connected by skillpass.wiring
    assert await count(db, OAuthCode) == 0 and await count(db, OAuthToken) == 1
    refreshed = await client.post(urls.TOKEN_PATH, auth=(app["client_id"], app["client_secret"]),
                                  data={"grant_type": "refresh_token", "refresh_token": live_pair["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
