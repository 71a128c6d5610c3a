"""RFC 7592 client configuration for the OB 3.0 API's OAuth 2.0 clients: register -> read -> update the
redirect URI (the old one is refused at /authorize) -> delete (the refresh token stops working, the client
is gone); the registration access token is stored hashed and rotates on every read or update; a wrong,
old or another client's token answers 401; a bad update is refused and changes nothing."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlsplit

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from sqlalchemy import select

from accounts.oauth import urls
from accounts.oauth.models import OAuthClient, OAuthCode, OAuthToken
from accounts.oauth.registration import TOKEN_KEY
from tests.accounts.test_oauth_flow import authorize_query, basic, granted, register
from tests.accounts.test_oauth_registration import OB_BODY
from tests.conftest import sign_up

NEW_REDIRECT = "https://displayer.example.org/auth/new-callback"


def path(app: dict) -> str:
    return urlsplit(app["registration_client_uri"]).path


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def stored(db, client_id: str) -> OAuthClient | None:
    db.expire_all()
    rows = await db.execute(select(OAuthClient).where(OAuthClient.client_id == client_id))
    return rows.scalar_one_or_none()


async def test_registration_answers_a_hashed_token_and_reading_rotates_it(client, db, settings) -> None:
    app = await register(client)
    where = settings.base_url.rstrip("/") + urls.REGISTER_PATH + "/" + app["client_id"]
    assert app["registration_client_uri"] == where
    token = app["registration_access_token"]
    row = await stored(db, app["client_id"])
    assert row.metadata_json[TOKEN_KEY] == digest(token)
    assert token not in repr(row.model_dump())

    read = await client.get(path(app), headers=bearer(token))
    assert read.status_code == 200, read.text
    body = read.json()
    assert read.headers["cache-control"] == "no-store"
    assert body["client_id"] == app["client_id"] and body["redirect_uris"] == OB_BODY["redirect_uris"]
    assert body["client_name"] == OB_BODY["client_name"] and body["software_id"] == OB_BODY["software_id"]
    assert body["client_id_issued_at"] == app["client_id_issued_at"]
    assert "client_secret" not in body and TOKEN_KEY not in body
    # The old token is never echoed: the answer carries a new one and the old one stops working.
    assert body["registration_access_token"] != token and token not in read.text
    assert body["registration_client_uri"] == app["registration_client_uri"]
    old = await client.get(path(app), headers=bearer(token))
    assert old.status_code == 401 and old.json()["error"] == "invalid_token"
    assert (await client.get(path(app), headers=bearer(body["registration_access_token"]))).status_code == 200


async def test_update_redirect_uri_then_delete_ends_the_refresh_token(client, db) -> None:
    await sign_up(client, "hanako@example.jp", "山田 花子", "ja")
    app, pair = await granted(client)
    update = {**OB_BODY, "client_id": app["client_id"], "redirect_uris": [NEW_REDIRECT],
              "client_name": "Renamed Displayer"}
    updated = await client.put(path(app), json=update, headers=bearer(app["registration_access_token"]))
    assert updated.status_code == 200, updated.text
    body = updated.json()
    assert body["redirect_uris"] == [NEW_REDIRECT] and body["client_name"] == "Renamed Displayer"
    row = await stored(db, app["client_id"])
    assert row.redirect_uris == [NEW_REDIRECT] and row.client_name == "Renamed Displayer"
    assert row.metadata_json[TOKEN_KEY] == digest(body["registration_access_token"])

    # The old redirect URI is no longer the client's: an error page, never a redirect to it.
    verifier = secrets.token_urlsafe(48)
    refused = await client.get(urls.AUTHORIZE_PATH, params=authorize_query(app, verifier),
                               follow_redirects=False)
    assert refused.status_code == 400 and "invalid_request" in refused.text
    assert "location" not in refused.headers
    page = await client.get(urls.AUTHORIZE_PATH,
                            params=authorize_query(app, verifier, redirect_uri=NEW_REDIRECT))
    assert page.status_code == 200 and "Renamed Displayer" in page.text

    # The refresh token still works before the delete (authlib's client, not the server's code).
    # The app is already started by the test client; authlib's client reaches it over httpx's ASGI transport.
    transport = httpx.ASGITransport(app=client.app)
    async with AsyncOAuth2Client(client_id=app["client_id"], client_secret=app["client_secret"],
                                 token_endpoint_auth_method="client_secret_basic", transport=transport,
                                 base_url=str(client.base_url)) as oauth:
        fresh = await oauth.refresh_token(urls.TOKEN_PATH, refresh_token=pair["refresh_token"])
        assert fresh["access_token"]

        gone = await client.delete(path(app), headers=bearer(body["registration_access_token"]))
        assert gone.status_code == 204 and gone.content == b""
        assert await stored(db, app["client_id"]) is None
        for table in (OAuthToken, OAuthCode):
            rows = await db.execute(select(table).where(table.client_id == app["client_id"]))
            assert rows.scalars().all() == []

        try:
            await oauth.refresh_token(urls.TOKEN_PATH, refresh_token=fresh["refresh_token"])
        except OAuthError as error:
            assert error.error == "invalid_client"
        else:
            raise AssertionError("the deleted client's refresh token still worked")
    raw = await client.post(urls.TOKEN_PATH, headers=basic(app),
                            data={"grant_type": "refresh_token", "refresh_token": fresh["refresh_token"]})
    assert raw.status_code == 401 and raw.json()["error"] == "invalid_client"
    after = await client.get(path(app), headers=bearer(body["registration_access_token"]))
    assert after.status_code == 401 and after.json()["error"] == "invalid_token"
    api = await client.get("/ims/ob/v3p0/credentials", headers=bearer(fresh["access_token"]))
    assert api.status_code == 401


async def test_wrong_missing_or_another_clients_token_is_401(client) -> None:
    first, second = await register(client), await register(client)
    for headers in ({}, bearer("not-a-token"), bearer(second["registration_access_token"]),
                    {"Authorization": "Basic " + first["registration_access_token"]}):
        for method in ("GET", "DELETE", "PUT"):
            answer = await client.request(method, path(first), headers=headers,
                                          json={**OB_BODY, "client_id": first["client_id"]})
            assert answer.status_code == 401, (method, headers, answer.text)
            assert answer.json()["error"] == "invalid_token"
            assert answer.headers["www-authenticate"].startswith("Bearer")
            assert answer.headers["content-type"].startswith("application/problem+json")
    unknown = await client.get(urls.REGISTER_PATH + "/no-such-client",
                               headers=bearer(first["registration_access_token"]))
    assert unknown.status_code == 401
    # Nothing was changed or deleted by the refused calls.
    still = await client.get(path(first), headers=bearer(first["registration_access_token"]))
    assert still.status_code == 200


async def test_bad_update_is_refused_and_changes_nothing(client, db) -> None:
    app = await register(client)
    token = app["registration_access_token"]
    cases = [({**OB_BODY}, "invalid_request"),  # no client_id
             ({**OB_BODY, "client_id": "someone-else"}, "invalid_request"),
             ({**OB_BODY, "client_id": app["client_id"], "client_secret": "wrong"}, "invalid_request"),
             ({**OB_BODY, "client_id": app["client_id"], "registration_access_token": token},
              "invalid_request"),
             ({**OB_BODY, "client_id": app["client_id"], "redirect_uris": ["http://evil.example/cb"]},
              "invalid_redirect_uri"),
             ({**OB_BODY, "client_id": app["client_id"], "scope": "openid"}, "invalid_client_metadata")]
    for body, code in cases:
        answer = await client.put(path(app), json=body, headers=bearer(token))
        assert answer.status_code == 400 and answer.json()["error"] == code, (body, answer.text)
    row = await stored(db, app["client_id"])
    assert row.redirect_uris == OB_BODY["redirect_uris"] and row.scope == OB_BODY["scope"]
    # A refused update does not rotate the token; the matching secret may be sent along.
    same = {**OB_BODY, "client_id": app["client_id"], "client_secret": app["client_secret"]}
    assert (await client.put(path(app), json=same, headers=bearer(token))).status_code == 200


async def _configure(session, settings, app: dict, token: str, method: str = "GET", json: dict | None = None):
    from accounts.oauth.server import HttpInput, configuration_response

    given = HttpInput(method=method, uri=app["registration_client_uri"],
                      headers=httpx.Headers(bearer(token)), json=json)
    return await configuration_response(session, given, settings.base_url)


async def _race(engine, settings, app: dict, first_method: str, second_method: str) -> tuple:
    """Two sessions use the same registration access token; the second starts while the first has
    rotated it but not committed, as two requests at once would."""
    import asyncio

    from sqlalchemy.ext.asyncio import async_sessionmaker

    token = app["registration_access_token"]
    put = {**OB_BODY, "client_id": app["client_id"], "client_name": "Raced Displayer"}
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as one, sessions() as two:
        first = await _configure(one, settings, app, token, first_method, put if first_method == "PUT" else None)
        waiting = asyncio.create_task(
            _configure(two, settings, app, token, second_method, put if second_method == "PUT" else None))
        await asyncio.sleep(0.5)
        await one.commit()
        second = await asyncio.wait_for(waiting, 10)
        await (two.commit() if second.status < 400 else two.rollback())
    return first, second


async def test_two_requests_with_one_registration_token_rotate_it_once(client, db, engine, settings) -> None:
    """Of two reads (or a read and an update) with the same token at once, one answers the new token and
    the other 401, on PostgreSQL and SQLite alike: the stored digest is the one that was answered."""
    for first_method, second_method in (("GET", "GET"), ("PUT", "GET"), ("GET", "PUT")):
        app = await register(client)
        first, second = await _race(engine, settings, app, first_method, second_method)
        assert first.status == 200, first.body
        assert second.status == 401 and second.body["error"] == "invalid_token", (first_method, second_method,
                                                                                   second.body)
        row = await stored(db, app["client_id"])
        new_token = first.body["registration_access_token"]
        assert row.metadata_json[TOKEN_KEY] == digest(new_token)
        assert row.client_name == ("Raced Displayer" if first_method == "PUT" else OB_BODY["client_name"])
        again = await client.get(path(app), headers=bearer(new_token))
        assert again.status_code == 200, again.text
