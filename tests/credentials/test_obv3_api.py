"""The OB 3.0 API's Host endpoints in process with real tokens from the OAuth flow: getCredentials with
paging (JSON-LD and compact JWS), upsertCredential of credentials signed elsewhere (new, same id, a
tampered one refused with nothing stored), getProfile/putProfile, and the 401/403 answers; every body
validated against 1EdTech's bundled schemas."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from accounts.oauth import urls
from credentials.models import HeldCredential
from credentials.vc.keys import generate_ed25519
from credentials.vc.signing import sign_credential
from tests.accounts.test_oauth_flow import granted
from tests.conftest import csrf_headers, sign_up
from tests.credentials.conftest import issue, new_achievement, new_provider
from tests.credentials.vc.helpers_vc import badge_for

SCHEMAS = Path(__file__).resolve().parents[2] / "credentials" / "obv3" / "schemas"
API = "/ims/ob/v3p0"
EMAIL = "hanako@example.jp"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"ob_v3p0_{name}_schema.json").read_text())


def valid(body: dict, name: str) -> None:
    jsonschema.validate(body, schema(name), cls=jsonschema.Draft201909Validator)


def bearer(token: dict) -> dict:
    return {"Authorization": f"Bearer {token['access_token']}"}


def assert_imsx(response, status: int, minor: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    valid(body, "imsx_statusinfo")
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor


async def learner_with_credentials(client, count: int = 3) -> None:
    """A provider issues ``count`` credentials to the learner (the last one as a VC-JWT); the client ends
    signed in as the learner."""
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    client.cookies.clear()
    await sign_up(client, EMAIL, "山田 花子", "ja")
    for n in range(count):
        response = await issue(client, provider, achievement["id"], email=EMAIL,
                               **({"format": "jwt"} if n == count - 1 else {}))
        assert response.status_code == 201, response.text


def fresh_badge(**extra) -> dict:
    key = generate_ed25519()
    return sign_credential(badge_for(key, id=f"urn:uuid:{uuid.uuid4()}", **extra), key)


async def test_get_credentials_pages_with_headers_and_schema(client, settings) -> None:
    await learner_with_credentials(client)
    # An import that fails verification stays in the wallet but is never handed out (each one MUST verify).
    tampered = fresh_badge()
    tampered["name"] = "Not what was signed"
    kept = await client.post("/api/v1/me/credentials", json=tampered, headers=await csrf_headers(client))
    assert kept.status_code == 201 and not kept.json()["verified"], kept.text
    _, token = await granted(client)
    first = await client.get(f"{API}/credentials", params={"limit": 2}, headers=bearer(token))
    assert first.status_code == 200, first.text
    valid(first.json(), "getopenbadgecredentialsresponse")
    assert first.headers["x-total-count"] == "3"
    base = settings.base_url + API + "/credentials"
    links = first.headers["link"]
    assert f'<{base}?limit=2&offset=2>; rel="next"' in links and f'<{base}?limit=2&offset=2>; rel="last"' in links
    assert f'<{base}?limit=2&offset=0>; rel="first"' in links and 'rel="prev"' not in links
    second = await client.get(f"{API}/credentials", params={"limit": 2, "offset": 2}, headers=bearer(token))
    page_one, page_two = first.json(), second.json()
    valid(page_two, "getopenbadgecredentialsresponse")
    shown = len(page_one.get("credential", [])) + len(page_one.get("compactJwsString", [])) \
        + len(page_two.get("credential", [])) + len(page_two.get("compactJwsString", []))
    assert shown == 3 and 'rel="prev"' in second.headers["link"] and 'rel="next"' not in second.headers["link"]
    everything = (await client.get(f"{API}/credentials", headers=bearer(token))).json()
    assert len(everything["credential"]) == 2 and len(everything["compactJwsString"]) == 1
    assert everything["compactJwsString"][0].count(".") == 2
    for bad in ({"limit": 0}, {"offset": -1}, {"limit": "x"}, {"since": "yesterday"}):
        assert_imsx(await client.get(f"{API}/credentials", params=bad, headers=bearer(token)), 400,
                    "invalid_query_parameter")
    # since: credentials received at or after it; the filter stays on the other pages' links.
    earlier = "2000-01-01T00:00:00Z"
    since = await client.get(f"{API}/credentials", params={"limit": 2, "since": earlier}, headers=bearer(token))
    assert since.headers["x-total-count"] == "3"
    assert f'<{base}?limit=2&offset=2&since=2000-01-01T00%3A00%3A00Z>; rel="next"' in since.headers["link"]
    later = await client.get(f"{API}/credentials", params={"since": "2999-01-01T00:00:00+09:00"},
                             headers=bearer(token))
    assert later.status_code == 200 and later.headers["x-total-count"] == "0" and later.json() == {}
    valid(later.json(), "getopenbadgecredentialsresponse")


async def test_upsert_new_then_same_id_then_tampered(client, db) -> None:
    await sign_up(client, EMAIL)
    _, token = await granted(client)
    badge = fresh_badge()
    created = await client.post(f"{API}/credentials", json=badge, headers=bearer(token))
    assert created.status_code == 201, created.text
    assert created.json() == badge
    # The same credential again: the wallet already holds exactly it, 304 without a body, nothing written.
    before = (await db.execute(select(HeldCredential))).scalars().one()
    again = await client.post(f"{API}/credentials", json=badge, headers=bearer(token))
    assert again.status_code == 304 and again.content == b"", again.text
    db.expire_all()
    after = (await db.execute(select(HeldCredential))).scalars().one()
    assert (after.id, after.verified_at) == (before.id, before.verified_at)
    key = generate_ed25519()
    newer = sign_credential(badge_for(key, id=badge["id"], name="Python 上級"), key)
    replaced = await client.post(f"{API}/credentials", json=newer, headers=bearer(token))
    assert replaced.status_code == 200, replaced.text
    held = (await db.execute(select(HeldCredential))).scalars().all()
    assert len(held) == 1 and held[0].document["name"] == "Python 上級" and held[0].verified

    tampered = fresh_badge()
    tampered["credentialSubject"]["achievement"]["name"] = "Something never earned"
    assert_imsx(await client.post(f"{API}/credentials", json=tampered, headers=bearer(token)), 400, "invalid_data")
    not_json = await client.post(f"{API}/credentials", content=b"{nope", headers={**bearer(token),
                                                                                  "content-type": "application/json"})
    assert_imsx(not_json, 400, "invalid_data")
    db.expire_all()
    assert len((await db.execute(select(HeldCredential))).scalars().all()) == 1


async def test_upsert_compact_jws(client, db) -> None:
    await sign_up(client, EMAIL)
    _, token = await granted(client)
    key = generate_ed25519()
    jws = sign_credential(badge_for(key, id=f"urn:uuid:{uuid.uuid4()}"), key, suite="vc-jwt")
    answer = await client.post(f"{API}/credentials", content=jws.encode(),
                               headers={**bearer(token), "content-type": "text/plain"})
    assert answer.status_code == 201, answer.text
    assert answer.text == jws and answer.headers["content-type"].startswith("text/plain")
    again = await client.post(f"{API}/credentials", content=jws.encode(),
                              headers={**bearer(token), "content-type": "text/plain"})
    assert again.status_code == 304 and again.content == b""
    listed = (await client.get(f"{API}/credentials", headers=bearer(token))).json()
    assert listed == {"compactJwsString": [jws]}
    head, body, signature = jws.split(".")
    forged = ".".join([head, body, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    assert_imsx(await client.post(f"{API}/credentials", content=forged.encode(),
                                  headers={**bearer(token), "content-type": "text/plain"}), 400, "invalid_data")
    assert len((await db.execute(select(HeldCredential))).scalars().all()) == 1


async def test_profile_read_and_update(client) -> None:
    me = await sign_up(client, EMAIL, "山田 花子")
    _, token = await granted(client)
    profile = await client.get(f"{API}/profile", headers=bearer(token))
    assert profile.status_code == 200, profile.text
    valid(profile.json(), "profile")
    assert profile.json()["name"] == "山田 花子" and profile.json()["email"] == EMAIL
    assert profile.json()["id"] == f"urn:uuid:{me['id']}"
    changed = await client.put(f"{API}/profile", json={**profile.json(), "name": " Hanako Yamada "},
                               headers=bearer(token))
    assert changed.status_code == 200, changed.text
    valid(changed.json(), "profile")
    assert changed.json()["name"] == "Hanako Yamada"
    assert (await client.get("/api/v1/auth/me")).json()["person"]["display_name"] == "Hanako Yamada"
    # The name held already: 304 without a body (putProfile lists it); 202 is never answered (the change
    # is made before the answer).
    same = await client.put(f"{API}/profile", json={**changed.json(), "name": "Hanako Yamada "},
                            headers=bearer(token))
    assert same.status_code == 304 and same.content == b""
    for bad in ({**profile.json(), "name": ""}, {**profile.json(), "id": "urn:uuid:" + str(uuid.uuid4())},
                {"name": "x"}):
        assert_imsx(await client.put(f"{API}/profile", json=bad, headers=bearer(token)), 400, "invalid_data")


@pytest.mark.parametrize("method, path", [("GET", "/credentials"), ("POST", "/credentials"),
                                          ("GET", "/profile"), ("PUT", "/profile")])
async def test_401_without_a_working_token(client, method, path) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        response = await client.request(method, API + path, headers=headers, json={})
        assert_imsx(response, 401, "unauthorizedrequest")


async def test_403_for_a_scope_not_granted_and_401_once_revoked(client) -> None:
    await sign_up(client, EMAIL)
    app, token = await granted(client, scope=urls.PROFILE_READ)
    assert (await client.get(f"{API}/profile", headers=bearer(token))).status_code == 200
    for method, path in (("GET", "/credentials"), ("POST", "/credentials"), ("PUT", "/profile")):
        assert_imsx(await client.request(method, API + path, headers=bearer(token), json={}), 403, "forbidden")
    from tests.accounts.test_oauth_flow import basic
    assert (await client.post(urls.REVOKE_PATH, headers=basic(app), data={"token": token["access_token"]})).status_code == 200
    assert_imsx(await client.get(f"{API}/profile", headers=bearer(token)), 401, "unauthorizedrequest")
