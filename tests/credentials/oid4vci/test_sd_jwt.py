"""SD-JWT VC (dc+sd-jwt) copies: the skills and the personal claims are selectively disclosable, the
holder key is in cnf, a forged or stray disclosure fails, revoking the original reaches the copy."""

from __future__ import annotations

import base64
import json

from credentials.oid4vci.sd_jwt_check import verify_sd_jwt
from credentials.vc.jwt import parse_jwt
from tests.credentials.oid4vci.conftest import (
    access_token,
    c_nonce,
    credential_request,
    holder,
    learner_with_badge,
    new_offer,
    proof,
)

CONFIGURATION = "OpenBadgeCredential_dc_sd_jwt"


def disclosure(salt: str, name: str | None, value) -> str:
    content = [salt, name, value] if name is not None else [salt, value]
    return base64.urlsafe_b64encode(json.dumps(content).encode()).rstrip(b"=").decode()


async def received_sd_jwt(client, wallet, key) -> tuple[dict, str]:
    learner = await learner_with_badge(client)
    token = await access_token(wallet, await new_offer(client, learner["held"]["id"]))
    response = await credential_request(wallet, token, proof(key, await c_nonce(wallet)), CONFIGURATION)
    assert response.status_code == 200, response.text
    return learner, response.json()["credentials"][0]["credential"]


async def test_the_sd_jwt_vc_hides_skills_and_personal_claims_until_disclosed(client, wallet, db, settings) -> None:
    key = holder()
    learner, sd_jwt = await received_sd_jwt(client, wallet, key)
    signed, *disclosures, last = sd_jwt.split("~")
    assert last == "" and disclosures
    header, payload, _, _ = parse_jwt(signed)
    assert header["typ"] == "dc+sd-jwt" and header["alg"] == "EdDSA"
    assert payload["cnf"]["jwk"] == key.public.jwk()
    assert payload["iss"] == learner["issued"]["credential"]["issuer"]["id"]
    signed_text = json.dumps(payload, ensure_ascii=False)
    assert "v2-data-engineering" not in signed_text and "identityHash" not in signed_text  # only digests
    assert "データエンジニアリング基礎" in signed_text  # the badge itself is always disclosed

    result, claims = await verify_sd_jwt(db, settings, sd_jwt)
    assert result.verified, result.to_dict()
    assert {a["targetCode"] for a in claims["achievement"]["alignment"]} >= {"v2-data-engineering"}
    assert any(i["identityType"] == "emailAddress" for i in claims["identifier"])

    # the holder drops the personal claims: still verifies, nothing personal left
    kept = [d for d in disclosures if "identifier" not in base64.urlsafe_b64decode(d + "==").decode()
            and "identityHash" not in base64.urlsafe_b64decode(d + "==").decode()]
    result, claims = await verify_sd_jwt(db, settings, "~".join([signed, *kept, ""]))
    assert result.verified and "identifier" not in claims


async def test_a_forged_disclosure_and_an_altered_jwt_fail(client, wallet, db, settings) -> None:
    _, sd_jwt = await received_sd_jwt(client, wallet, holder())
    signed, *disclosures, _ = sd_jwt.split("~")
    forged = disclosure("c2FsdHNhbHRzYWx0", "identifier", [{"identityType": "name", "identityHash": "Mallory"}])
    result, claims = await verify_sd_jwt(db, settings, "~".join([signed, *disclosures, forged, ""]))
    assert not result.verified and result.checks[0].code == "disclosure_not_referenced" and claims == {}
    header_b64, payload_b64, sig = signed.split(".")
    tampered = json.loads(base64.urlsafe_b64decode(payload_b64 + "=="))
    tampered["name"] = "Something else"
    payload_b64 = base64.urlsafe_b64encode(json.dumps(tampered).encode()).rstrip(b"=").decode()
    result, _ = await verify_sd_jwt(db, settings, "~".join([f"{header_b64}.{payload_b64}.{sig}", *disclosures, ""]))
    assert not result.verified


async def test_revoking_the_original_revokes_the_sd_jwt_copy(client, wallet, db, settings) -> None:
    learner, sd_jwt = await received_sd_jwt(client, wallet, holder())
    assert (await verify_sd_jwt(db, settings, sd_jwt))[0].verified
    provider = learner["provider"]
    revoked = await wallet.post(f"{provider['base']}/credentials/{learner['issued']['id']}/revoke",
                                headers=provider["headers"], json={"reason": "issued in error"})
    assert revoked.status_code == 200, revoked.text
    result, _ = await verify_sd_jwt(db, settings, sd_jwt)
    assert not result.verified and [c.code for c in result.checks if not c.ok] == ["revoked"]
