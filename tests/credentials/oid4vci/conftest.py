"""Fixtures of the OpenID4VCI tests: a learner holding a badge issued here, and a wallet of our own
making (holder key, key proofs) for the negative cases; the real third-party client is in tests/node."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import import_key
from litestar.testing import AsyncTestClient

from credentials.vc import KeyPair, generate_ed25519
from tests.conftest import csrf_headers, sign_up
from tests.credentials.conftest import issue, new_achievement, new_provider

ISSUER = "http://testserver.local"
LEARNER = "hanako@example.jp"


async def learner_with_badge(client, *, fmt: str = "ldp", email: str = LEARNER, lang: str = "ja") -> dict[str, Any]:
    """A verified provider issues a badge to ``email``; the learner signs up (claiming it) and stays signed in."""
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    issued = await issue(client, provider, achievement["id"], email=email, format=fmt)
    assert issued.status_code == 201, issued.text
    client.cookies.clear()
    await sign_up(client, email, "山田 花子", lang)
    (held,) = (await client.get("/api/v1/me/credentials")).json()
    return {"provider": provider, "issued": issued.json(), "held": held}


async def new_offer(client, held_id: str, *, tx_code: bool = True) -> dict[str, Any]:
    response = await client.post(f"/api/v1/me/credentials/{held_id}/oid4vci-offer", json={"tx_code": tx_code},
                                 headers=await csrf_headers(client))
    assert response.status_code == 201, response.text
    return response.json()


def offer_handle(offer: dict[str, Any]) -> str:
    """The path of the credential_offer_uri inside the openid-credential-offer:// link."""
    (uri,) = parse_qs(urlsplit(offer["offer_uri"]).query)["credential_offer_uri"]
    return urlsplit(uri).path


async def pre_authorized_code(client, offer: dict[str, Any]) -> str:
    response = await client.get(offer_handle(offer))
    assert response.status_code == 200, response.text
    grants = response.json()["grants"]
    return grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"]


async def token_request(client, code: str, tx_code: str | None = None):
    form = {"grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": code}
    if tx_code is not None:
        form["tx_code"] = tx_code
    return await client.post("/oid4vci/token", data=form)


async def access_token(client, offer: dict[str, Any]) -> str:
    response = await token_request(client, await pre_authorized_code(client, offer), offer["tx_code"])
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


async def c_nonce(client) -> str:
    response = await client.post("/oid4vci/nonce")
    assert response.status_code == 200, response.text
    return response.json()["c_nonce"]


def proof(key: KeyPair, nonce: str | None, *, aud: str = ISSUER, iat: int | None = None,
          header: dict[str, Any] | None = None, alg: str | None = None) -> str:
    """An openid4vci-proof+jwt signed with ``key`` (kid = its did:key unless ``header`` says otherwise)."""
    alg = alg or ("EdDSA" if key.algorithm == "Ed25519" else "ES256")
    claims: dict[str, Any] = {"aud": aud, "iat": int(time.time()) if iat is None else iat}
    if nonce is not None:
        claims["nonce"] = nonce
    head = {"alg": alg, "typ": "openid4vci-proof+jwt", **(header or {"kid": key.public.did_key_vm})}
    return jwt.encode(head, claims, import_key(key.private_jwk()), algorithms=[alg])


async def credential_request(client, token: str, proof_jwt: str | None,
                             configuration: str = "OpenBadgeCredential_ldp_vc"):
    body: dict[str, Any] = {"credential_configuration_id": configuration}
    if proof_jwt is not None:
        body["proofs"] = {"jwt": [proof_jwt]}
    return await client.post("/oid4vci/credential", json=body, headers={"Authorization": f"Bearer {token}"})


def holder() -> KeyPair:
    return generate_ed25519()


@pytest.fixture
async def wallet(app) -> AsyncIterator[AsyncTestClient]:
    """A second client with no cookies: the wallet app on the learner's phone."""
    async with AsyncTestClient(app=app) as wallet_client:
        yield wallet_client
