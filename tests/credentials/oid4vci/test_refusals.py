"""What the issuer refuses, with the OpenID4VCI / OAuth error codes wallets read, and nothing issued:
reused or expired codes, wrong tx_codes and their limit, bad key proofs, replayed nonces and tokens."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core.db import utcnow
from credentials.oid4vci.models import CredentialOffer, WalletCopy
from credentials.oid4vci.service import TX_CODE_ATTEMPTS
from credentials.vc import generate_ed25519, sign_credential
from tests.conftest import csrf_headers
from tests.credentials.oid4vci.conftest import (
    access_token,
    c_nonce,
    credential_request,
    holder,
    learner_with_badge,
    new_offer,
    offer_handle,
    pre_authorized_code,
    proof,
    token_request,
)


async def copies(db) -> int:
    return (await db.execute(select(func.count()).select_from(WalletCopy))).scalar_one()


def oauth_error(response, status: int = 400) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["error"]


async def test_a_pre_authorized_code_works_once(client, wallet) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    code = await pre_authorized_code(wallet, offer)
    assert (await token_request(wallet, code, offer["tx_code"])).status_code == 200
    assert oauth_error(await token_request(wallet, code, offer["tx_code"])) == "invalid_grant"
    assert (await wallet.get(offer_handle(offer))).status_code == 404  # a used offer is gone


async def test_an_expired_code_is_invalid_grant(client, wallet, db) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    code = await pre_authorized_code(wallet, offer)
    await db.execute(update(CredentialOffer).values(expires_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    assert oauth_error(await token_request(wallet, code, offer["tx_code"])) == "invalid_grant"
    assert oauth_error(await token_request(wallet, "not-a-code", "123456")) == "invalid_grant"


async def test_tx_code_missing_wrong_and_rate_limited(client, wallet) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    code = await pre_authorized_code(wallet, offer)
    wrong = "000000" if offer["tx_code"] != "000000" else "111111"
    assert oauth_error(await token_request(wallet, code)) == "invalid_request"
    for _ in range(TX_CODE_ATTEMPTS - 1):
        assert oauth_error(await token_request(wallet, code, wrong)) == "invalid_grant"
    # the attempts are used up: even the right code no longer gets a token, the offer has to be made again
    refused = await token_request(wallet, code, offer["tx_code"])
    assert oauth_error(refused) == "invalid_grant" and "Too many" in refused.json()["error_description"]


async def test_a_tx_code_sent_to_an_offer_without_one_is_invalid_request(client, wallet) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"], tx_code=False)
    code = await pre_authorized_code(wallet, offer)
    assert oauth_error(await token_request(wallet, code, "123456")) == "invalid_request"
    assert oauth_error(await wallet.post("/oid4vci/token", data={"grant_type": "password"})) == "unsupported_grant_type"


@pytest.mark.parametrize("fault", ["wrong_nonce", "no_nonce", "wrong_audience", "stale_iat", "wrong_signature",
                                   "wrong_typ", "no_proof", "private_jwk"])
async def test_bad_key_proofs_are_refused_and_issue_nothing(client, wallet, db, fault) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    token = await access_token(wallet, offer)
    key, nonce = holder(), await c_nonce(wallet)
    bad = {
        "wrong_nonce": lambda: proof(key, nonce[:-4] + "AAAA"),
        "no_nonce": lambda: proof(key, None),
        "wrong_audience": lambda: proof(key, nonce, aud="https://elsewhere.example"),
        "stale_iat": lambda: proof(key, nonce, iat=int(time.time()) - 3600),
        "wrong_signature": lambda: proof(generate_ed25519(), nonce, header={"kid": key.public.did_key_vm}),
        "wrong_typ": lambda: proof(key, nonce, header={"kid": key.public.did_key_vm, "typ": "JWT"}),
        "no_proof": lambda: None,
        "private_jwk": lambda: proof(key, nonce, header={"jwk": key.private_jwk()}),
    }[fault]()
    expected = "invalid_nonce" if fault == "wrong_nonce" else "invalid_proof"
    assert oauth_error(await credential_request(wallet, token, bad)) == expected
    assert await copies(db) == 0
    # the token was not spent by the refused request: a good proof still gets the credential
    good = await credential_request(wallet, token, proof(key, await c_nonce(wallet)))
    assert good.status_code == 200, good.text


async def test_replayed_nonce_and_access_token_are_refused(client, wallet, db) -> None:
    learner = await learner_with_badge(client)
    first = await new_offer(client, learner["held"]["id"])
    second = await new_offer(client, learner["held"]["id"])
    key, nonce = holder(), await c_nonce(wallet)
    token = await access_token(wallet, first)
    assert (await credential_request(wallet, token, proof(key, nonce))).status_code == 200

    replayed_token = await credential_request(wallet, token, proof(key, await c_nonce(wallet)))
    assert oauth_error(replayed_token, 401) == "invalid_token"
    assert replayed_token.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    other_token = await access_token(wallet, second)
    assert oauth_error(await credential_request(wallet, other_token, proof(key, nonce))) == "invalid_nonce"
    assert oauth_error(await credential_request(wallet, "made-up", proof(key, nonce)), 401) == "invalid_token"
    no_bearer = await wallet.post("/oid4vci/credential", json={"credential_configuration_id": "x"})
    assert oauth_error(no_bearer, 401) == "invalid_token"
    assert await copies(db) == 1


async def test_an_unknown_configuration_is_refused(client, wallet) -> None:
    learner = await learner_with_badge(client)
    token = await access_token(wallet, await new_offer(client, learner["held"]["id"]))
    response = await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)), "mDL")
    assert oauth_error(response) == "unknown_credential_configuration"
    malformed = await wallet.post("/oid4vci/credential", content=b"{not json",
                                  headers={"Authorization": f"Bearer {token}", "content-type": "application/json"})
    assert oauth_error(malformed) == "invalid_credential_request"


async def test_an_imported_credential_cannot_be_offered(client) -> None:
    learner = await learner_with_badge(client)
    key = generate_ed25519()
    foreign = {k: v for k, v in learner["issued"]["credential"].items() if k not in ("proof", "credentialStatus")}
    foreign["issuer"] = {"id": key.public.did, "type": ["Profile"], "name": "Elsewhere"}
    imported = await client.post("/api/v1/me/credentials", json=sign_credential(foreign, key),
                                 headers=await csrf_headers(client))
    assert imported.status_code == 201, imported.text
    refused = await client.post(f"/api/v1/me/credentials/{imported.json()['id']}/oid4vci-offer",
                                headers=await csrf_headers(client))
    assert refused.status_code == 409 and refused.headers["content-type"].startswith("application/problem+json")
