"""RFC 7591 dynamic client registration for the OB 3.0 API: the OB registration body is accepted, the
secret is stored hashed only, bad metadata is refused with nothing stored."""

from __future__ import annotations

import hashlib

from sqlmodel import select

from accounts.oauth import urls
from accounts.oauth.models import OAuthClient

OB_BODY = {
    "client_name": "Example Badge Displayer", "client_uri": "https://displayer.example.org/",
    "logo_uri": "https://displayer.example.org/logo.png", "tos_uri": "https://displayer.example.org/tos",
    "policy_uri": "https://displayer.example.org/privacy", "software_id": "c88b6ed8-269e-448e-99be-7e2ff47167d1",
    "software_version": "v4.0.30319", "redirect_uris": ["https://displayer.example.org/auth/callback"],
    "token_endpoint_auth_method": "client_secret_basic", "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"], "scope": " ".join(urls.SCOPES),
}


async def test_ob_registration_body_registers_a_client(client, db) -> None:
    response = await client.post(urls.REGISTER_PATH, json=OB_BODY)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["redirect_uris"] == OB_BODY["redirect_uris"] and answer["scope"] == OB_BODY["scope"]
    assert response.headers["cache-control"] == "no-store"
    stored = (await db.execute(select(OAuthClient).where(OAuthClient.client_id == answer["client_id"]))).scalar_one()
    assert stored.secret_hash == hashlib.sha256(answer["client_secret"].encode()).hexdigest()
    assert answer["client_secret"] not in repr(stored.model_dump())
    assert stored.client_name == "Example Badge Displayer" and stored.metadata_json["software_id"]


async def test_bad_metadata_is_refused_and_nothing_stored(client, db) -> None:
    cases = [({**OB_BODY, "redirect_uris": ["http://evil.example/cb"]}, "invalid_redirect_uri"),
             ({**OB_BODY, "redirect_uris": []}, "invalid_redirect_uri"),
             ({**OB_BODY, "redirect_uris": ["https://a.example;script-src */cb"]}, "invalid_redirect_uri"),
             ({**OB_BODY, "redirect_uris": ["https://user@a.example/cb"]}, "invalid_redirect_uri"),
             ({**OB_BODY, "redirect_uris": ["https://a.example /cb"]}, "invalid_redirect_uri"),
             ({**OB_BODY, "scope": "openid"}, "invalid_client_metadata"),
             ({k: v for k, v in OB_BODY.items() if k != "client_name"}, "invalid_client_metadata"),
             ({**OB_BODY, "grant_types": ["client_credentials"]}, "invalid_client_metadata"),
             ({**OB_BODY, "token_endpoint_auth_method": "none"}, "invalid_client_metadata")]
    for body, code in cases:
        response = await client.post(urls.REGISTER_PATH, json=body)
        assert response.status_code == 400 and response.json()["error"] == code, (body, response.text)
    assert (await db.execute(select(OAuthClient))).scalars().all() == []


async def test_registration_is_throttled_per_address(client, db) -> None:
    answers = [(await client.post(urls.REGISTER_PATH, json=OB_BODY)).status_code for _ in range(61)]
    assert answers[:60] == [201] * 60 and answers[60] == 429
    assert len((await db.execute(select(OAuthClient))).scalars().all()) == 60
