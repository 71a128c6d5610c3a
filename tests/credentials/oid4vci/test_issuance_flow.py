"""OpenID4VCI pre-authorized code flow, driven over HTTP: metadata, offer, token, nonce, credential; the
copy verifies in skillpass, is bound to the proof's holder DID, and follows the original's revocation."""

from __future__ import annotations

from credentials.oid4vci.models import WalletCopy
from credentials.vc import generate_p256
from credentials.vc.jwt import jwt_document, parse_jwt
from credentials.vc.proof_jwt import did_jwk
from sqlalchemy import select
from tests.conftest import csrf_headers
from tests.credentials.oid4vci.conftest import (
    ISSUER,
    access_token,
    c_nonce,
    credential_request,
    holder,
    learner_with_badge,
    new_offer,
    offer_handle,
    proof,
)


async def verified(client, credential) -> dict:
    body = {"jwt": credential} if isinstance(credential, str) else credential
    response = await client.post("/api/v1/verify", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def test_metadata_names_both_formats_in_ja_and_en(wallet) -> None:
    issuer = (await wallet.get("/.well-known/openid-credential-issuer")).json()
    assert issuer["credential_issuer"] == ISSUER
    assert issuer["credential_endpoint"] == f"{ISSUER}/oid4vci/credential"
    assert issuer["nonce_endpoint"] == f"{ISSUER}/oid4vci/nonce"
    configurations = issuer["credential_configurations_supported"]
    assert {c["format"] for c in configurations.values()} == {"ldp_vc", "jwt_vc_json", "dc+sd-jwt"}
    assert configurations["OpenBadgeCredential_dc_sd_jwt"]["vct"] == f"{ISSUER}/oid4vci/vct/OpenBadgeCredential"
    for configuration in configurations.values():
        assert {d["locale"] for d in configuration["credential_metadata"]["display"]} == {"ja", "en"}
        assert configuration["proof_types_supported"]["jwt"]["proof_signing_alg_values_supported"] == ["EdDSA", "ES256"]
    server = (await wallet.get("/.well-known/oauth-authorization-server")).json()
    assert server["issuer"] == ISSUER and server["pre-authorized_grant_anonymous_access_supported"] is True
    assert server["token_endpoint"] == f"{ISSUER}/oid4vci/token"


async def test_a_wallet_receives_a_bound_ldp_copy_that_verifies(client, wallet, db) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    assert offer["offer_uri"].startswith("openid-credential-offer://?credential_offer_uri=")
    assert offer["tx_code"].isdigit() and len(offer["tx_code"]) == 6
    document = (await wallet.get(offer_handle(offer))).json()
    assert offer["tx_code"] not in str(document)  # the tx_code travels apart from the offer
    assert document["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["tx_code"]["length"] == 6

    key = holder()
    token = await access_token(wallet, offer)
    response = await credential_request(wallet, token, proof(key, await c_nonce(wallet)))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    (item,) = response.json()["credentials"]
    copy = item["credential"]
    original = learner["issued"]["credential"]
    assert copy["credentialSubject"]["id"] == key.public.did
    assert copy["credentialStatus"] == original["credentialStatus"]
    assert copy["id"] != original["id"] and copy["issuer"]["id"] == original["issuer"]["id"]
    result = await verified(wallet, copy)
    assert result["verified"] is True and result["trust"]["status"] == "trusted"

    (row,) = (await db.execute(select(WalletCopy))).scalars()
    assert row.holder_did == key.public.did and row.copy_id == copy["id"]
    (bindings,) = [b for b in (await client.get("/api/v1/me/dids/bindings")).json() if b["kind"] == "wallet"]
    assert bindings["did"] == key.public.did
    assert bindings["credentials"][0]["held_id"] == learner["held"]["id"]


async def test_jwt_vc_json_with_a_did_jwk_p256_holder_and_no_tx_code(client, wallet) -> None:
    learner = await learner_with_badge(client, fmt="jwt")
    offer = await new_offer(client, learner["held"]["id"], tx_code=False)
    assert offer["tx_code"] is None
    key = generate_p256()
    holder_did = did_jwk(key.public.jwk())
    token = await access_token(wallet, offer)
    jwt_proof = proof(key, await c_nonce(wallet), header={"kid": f"{holder_did}#0"})
    response = await credential_request(wallet, token, jwt_proof, "OpenBadgeCredential_jwt_vc_json")
    assert response.status_code == 200, response.text
    token_vc = response.json()["credentials"][0]["credential"]
    assert isinstance(token_vc, str)
    _, vc = jwt_document(parse_jwt(token_vc)[1])
    assert vc["credentialSubject"]["id"] == holder_did
    assert (await verified(wallet, token_vc))["verified"] is True


async def test_a_jwk_header_binds_the_keys_did_jwk(client, wallet) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    key = holder()
    token = await access_token(wallet, offer)
    response = await credential_request(wallet, token, proof(key, await c_nonce(wallet),
                                                             header={"jwk": key.public.jwk()}))
    assert response.status_code == 200, response.text
    assert response.json()["credentials"][0]["credential"]["credentialSubject"]["id"] == did_jwk(key.public.jwk())


async def test_revoking_the_original_revokes_the_wallet_copy(client, wallet) -> None:
    learner = await learner_with_badge(client)
    offer = await new_offer(client, learner["held"]["id"])
    token = await access_token(wallet, offer)
    copy = (await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)))).json()
    copy = copy["credentials"][0]["credential"]
    assert (await verified(wallet, copy))["verified"] is True

    provider = learner["provider"]
    revoked = await wallet.post(f"{provider['base']}/credentials/{learner['issued']['id']}/revoke",
                                headers=provider["headers"], json={"reason": "issued in error"})
    assert revoked.status_code == 200, revoked.text
    result = await verified(wallet, copy)
    assert result["verified"] is False
    assert any(c["check"] == "status" and not c["ok"] for c in result["checks"])
    refused = await client.post(f"/api/v1/me/credentials/{learner['held']['id']}/oid4vci-offer",
                                headers=await csrf_headers(client))
    assert refused.status_code == 409


async def test_only_the_holder_can_make_an_offer(client, wallet) -> None:
    learner = await learner_with_badge(client)
    anonymous = await wallet.post(f"/api/v1/me/credentials/{learner['held']['id']}/oid4vci-offer")
    assert anonymous.status_code == 401
    client.cookies.clear()
    from tests.conftest import sign_up

    await sign_up(client, "someone-else@example.jp")
    other = await client.post(f"/api/v1/me/credentials/{learner['held']['id']}/oid4vci-offer",
                              headers=await csrf_headers(client))
    assert other.status_code == 404 and other.headers["content-type"].startswith("application/problem+json")


async def test_every_learner_gets_one_platform_held_did_key_registered_as_theirs(client, db, settings) -> None:
    from credentials.holders import HolderDidService
    from credentials.oid4vci.models import HolderKey

    await learner_with_badge(client)
    first = (await client.get("/api/v1/me/dids/bindings")).json()
    again = (await client.get("/api/v1/me/dids/bindings")).json()
    (platform,) = [b for b in first if b["kind"] == "platform"]
    assert platform["did"].startswith("did:key:z6Mk") and again == first
    (row,) = (await db.execute(select(HolderKey))).scalars()
    assert row.did == platform["did"] and platform["did"].encode() not in row.secret_encrypted
    assert platform["did"] in [d["did"] for d in (await client.get("/api/v1/me/dids")).json()]
    pair = await HolderDidService(db, settings).platform_signing_key(row.person_id)
    assert pair.public.did == row.did and pair.verification_method == f"{row.did}#{row.public_multibase}"
    removed = await client.delete(f"/api/v1/me/dids/{platform['id']}", headers=await csrf_headers(client))
    assert removed.status_code == 409
