"""Fixtures of the OpenID4VP tests: an employer with a presentation request, and a holder of our own
making (a key, copies bound to it by OpenID4VCI, presentations of them) for the refusals; the real
third-party wallet is tests/node/oid4vp_wallet.mjs."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import import_key
from litestar.testing import AsyncTestClient

from credentials.vc import KeyPair, generate_ed25519
from credentials.vc.jwt import parse_jwt, presentation_to_jwt
from credentials.vc.signing import sign_presentation
from tests.conftest import create_org, csrf_headers, sign_up
from tests.credentials.oid4vci.conftest import access_token, c_nonce, credential_request, learner_with_badge, new_offer

CONFIGURATIONS = {"dc+sd-jwt": "OpenBadgeCredential_dc_sd_jwt", "jwt_vc_json": "OpenBadgeCredential_jwt_vc_json",
                  "ldp_vc": "OpenBadgeCredential_ldp_vc"}
QUERY_IDS = {"dc+sd-jwt": "badge_sd_jwt", "jwt_vc_json": "badge_jwt_vc", "ldp_vc": "badge_ldp_vc"}
PURPOSE = {"purpose_ja": "データエンジニア職の選考のため", "purpose_en": "To consider you for the data engineer role"}


@pytest.fixture
async def employer(app) -> AsyncIterator[dict[str, Any]]:
    """An employer organisation's member, signed in on a client of their own."""
    async with AsyncTestClient(app=app) as employer_client:
        await sign_up(employer_client, "hr@sakura.example.jp")
        org = await create_org(employer_client, "employer", "sakura")
        yield {"client": employer_client, "org": org, "base": f"/api/v1/orgs/{org['id']}/presentation-requests"}


@pytest.fixture
async def wallet(app) -> AsyncIterator[AsyncTestClient]:
    """A client without cookies: the holder's wallet."""
    async with AsyncTestClient(app=app) as wallet_client:
        yield wallet_client


async def new_request(employer: dict[str, Any], **changes: Any) -> dict[str, Any]:
    client = employer["client"]
    response = await client.post(employer["base"], json={**PURPOSE, **changes}, headers=await csrf_headers(client))
    assert response.status_code == 201, response.text
    return response.json()


async def read_request(employer: dict[str, Any], made: dict[str, Any]) -> dict[str, Any]:
    response = await employer["client"].get(f"{employer['base']}/{made['id']}")
    assert response.status_code == 200, response.text
    return response.json()


async def request_object(wallet: AsyncTestClient, made: dict[str, Any]) -> tuple[dict, dict]:
    """(header, payload) of the signed request object the request_uri serves."""
    response = await wallet.get(urlsplit(made["request_uri"]).path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/oauth-authz-req+jwt")
    header, payload, _, _ = parse_jwt(response.text)
    return header, payload


async def bound_copy(client, wallet: AsyncTestClient, key: KeyPair, fmt: str, *, badge: str = "ldp") -> Any:
    """A learner's badge received through OpenID4VCI in ``fmt``, bound to ``key``."""
    from tests.credentials.oid4vci.conftest import proof

    learner = await learner_with_badge(client, fmt=badge)
    token = await access_token(wallet, await new_offer(client, learner["held"]["id"]))
    response = await credential_request(wallet, token, proof(key, await c_nonce(wallet)), CONFIGURATIONS[fmt])
    assert response.status_code == 200, response.text
    return response.json()["credentials"][0]["credential"]


def decoded(disclosure: str) -> list:
    return json.loads(base64.urlsafe_b64decode(disclosure + "=" * (-len(disclosure) % 4)))


def kb_jwt(sd_jwt: str, key: KeyPair, *, nonce: str, aud: str, iat: int | None = None) -> str:
    sd_hash = base64.urlsafe_b64encode(hashlib.sha256(sd_jwt.encode()).digest()).rstrip(b"=").decode()
    claims = {"nonce": nonce, "aud": aud, "iat": int(time.time()) if iat is None else iat, "sd_hash": sd_hash}
    return jwt.encode({"alg": "EdDSA", "typ": "kb+jwt"}, claims, import_key(key.private_jwk()), algorithms=["EdDSA"])


def sd_jwt_presentation(sd_jwt: str, key: KeyPair, *, nonce: str, aud: str, keep=lambda d: True) -> str:
    """The SD-JWT with the disclosures ``keep`` accepts (decoded), then a KB-JWT over it."""
    signed, *disclosures, _ = sd_jwt.split("~")
    chosen = "~".join([signed, *[d for d in disclosures if keep(decoded(d))], ""])
    return chosen + kb_jwt(chosen, key, nonce=nonce, aud=aud)


def w3c_presentation(credential: Any, key: KeyPair, *, nonce: str, aud: str) -> Any:
    """An ldp_vp (Data Integrity, challenge/domain) of an ldp_vc, or a VP-JWT (nonce/aud) of a VC-JWT."""
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "holder": key.public.did, "verifiableCredential": [credential]}
    if isinstance(credential, str):
        return presentation_to_jwt(presentation, key, challenge=nonce, domain=aud,
                                   verification_method=key.public.did_key_vm)
    return sign_presentation(presentation, key, challenge=nonce, domain=aud, verification_method=key.public.did_key_vm)


async def answer(wallet: AsyncTestClient, made: dict[str, Any], vp_token: dict[str, Any], *, state: str | None = None,
                 payload: dict | None = None):
    """POST the direct_post answer (form-encoded vp_token JSON and state) to the request's response_uri."""
    if payload is None:
        _, payload = await request_object(wallet, made)
    form = {"vp_token": json.dumps(vp_token), "state": payload["state"] if state is None else state}
    return await wallet.post(urlsplit(payload["response_uri"]).path, data=form)


def holder() -> KeyPair:
    return generate_ed25519()
