"""Issuance: OB 3.0 shape and schema, verification through the platform's verifier, tampering,
expiry, revocation and suspension through the status list, key rotation."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from credentials.alignments import dss_alignments
from credentials.vc import Resolver, verify
from credentials.vc.schema import validate_ob
from credentials.vc.status import MIN_ENTRIES, decode_list
from tests.credentials.conftest import SKILL, api_headers, issue, new_achievement, new_provider


async def verify_api(client, document, **params):
    response = await client.post("/api/v1/verify", json=document, params=params, headers=await _csrf(client))
    assert response.status_code == 200, response.text
    return response.json()


def failed_checks(result: dict) -> set[str]:
    return {c["check"] for c in result["checks"] if not c["ok"]}


async def test_issued_credential_is_ob3_valid_and_verifies(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    response = await issue(client, provider, achievement["id"], recipient_name="山田 花子",
                           evidence=[{"url": "https://example.jp/projects/42", "name": "最終課題"}])
    assert response.status_code == 201, response.text
    body = response.json()
    credential = body["credential"]
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["proof"]["type"] == "DataIntegrityProof"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["issuer"]["id"].startswith("did:key:z6Mk")
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert "learner@example.jp" not in str(subject)  # the email is only present as a salted hash
    alignment = subject["achievement"]["alignment"][0]
    assert alignment["targetCode"] == SKILL
    assert alignment["targetFramework"] == "Digital Skill Standard (DSS) ver.2.0"
    assert alignment["targetUrl"] == f"http://testserver.local/dss/2.0/skills/{SKILL}"
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    assert validate_ob(credential) == []
    result = await verify_api(client, credential)
    assert result["verified"], result["errors"]
    assert {c["check"] for c in result["checks"]} >= {"proof", "issuer", "dates", "status", "schema"}
    assert dss_alignments(credential) == [(SKILL, "b"), ("v2-machine-learning", "c")]


async def test_status_list_is_public_large_and_signed(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    credential = (await issue(client, provider, achievement["id"])).json()["credential"]
    url = credential["credentialStatus"]["statusListCredential"]
    client.cookies.clear()
    response = await client.get(url.removeprefix("http://testserver.local"))
    assert response.status_code == 200
    status_list = response.json()
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert len(decode_list(status_list["credentialSubject"]["encodedList"])) >= MIN_ENTRIES
    assert verify(status_list).verified


async def test_jwt_format_verifies(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    body = (await issue(client, provider, achievement["id"], format="jwt")).json()
    token = body["credential"]
    assert isinstance(token, str) and token.count(".") == 2
    result = await verify_api(client, {"jwt": token})
    assert result["verified"], result["errors"]
    assert result["kind"] == "jwt-credential"


@pytest.mark.parametrize("field", ["id", "name", "issuer", "validFrom", "awardedDate", "credentialSubject",
                                   "credentialStatus", "type"])
async def test_tampering_with_any_top_level_field_fails(client, field: str) -> None:
    provider = await new_provider(client, f"tamper-{field.lower()}")
    achievement = await new_achievement(client, provider)
    credential = (await issue(client, provider, achievement["id"])).json()["credential"]
    tampered = copy.deepcopy(credential)
    value = tampered[field]
    if isinstance(value, str):
        tampered[field] = "1999" + value[4:] if value.endswith("Z") else value + "x"
    elif isinstance(value, list):
        tampered[field] = [value[0], "EndorsementCredential"]
    else:
        value["extra" if field != "issuer" else "name"] = "changed"
        if field == "credentialStatus":
            value["statusListIndex"] = str((int(value["statusListIndex"]) + 1) % MIN_ENTRIES)
    result = await verify_api(client, tampered)
    assert not result["verified"]
    assert "proof" in failed_checks(result)


async def test_tampering_with_the_achievement_fails(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    credential = (await issue(client, provider, achievement["id"])).json()["credential"]
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["alignment"][0]["targetCode"] = "v2-machine-learning"
    result = await verify_api(client, tampered)
    assert not result["verified"] and "proof" in failed_checks(result)


async def test_expiry_is_judged_at_the_given_time(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    until = datetime.now(UTC) + timedelta(days=30)
    credential = (await issue(client, provider, achievement["id"], valid_until=until.isoformat())).json()["credential"]
    assert credential["validUntil"].endswith("Z")
    assert (await verify_api(client, credential))["verified"]
    assert (await verify_api(client, credential, at=credential["validFrom"]))["verified"]  # the list too
    later = (until + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    result = await verify_api(client, credential, at=later)
    assert not result["verified"] and failed_checks(result) == {"dates"}


async def test_revocation_flips_the_status_bit_and_the_next_verification_sees_it(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    body = (await issue(client, provider, achievement["id"])).json()
    credential = body["credential"]
    assert (await verify_api(client, credential))["verified"]
    revoked = await client.post(f"{provider['base']}/credentials/{body['id']}/revoke", headers=await api_headers(client, provider),
                                json={"reason": "issued by mistake"})
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    result = await verify_api(client, credential)
    assert not result["verified"]
    assert [c["code"] for c in result["checks"] if c["check"] == "status"] == ["revoked"]
    again = await client.post(f"{provider['base']}/credentials/{body['id']}/unsuspend", headers=await api_headers(client, provider))
    assert again.status_code == 409


async def test_suspension_is_reversible(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    body = (await issue(client, provider, achievement["id"], suspendable=True)).json()
    credential = body["credential"]
    assert [e["statusPurpose"] for e in credential["credentialStatus"]] == ["revocation", "suspension"]
    assert (await verify_api(client, credential))["verified"]
    base = f"{provider['base']}/credentials/{body['id']}"
    assert (await client.post(f"{base}/suspend", headers=await api_headers(client, provider))).json()["state"] == "suspended"
    result = await verify_api(client, credential)
    assert [c["code"] for c in result["checks"] if c["check"] == "status"] == ["suspended"]
    assert (await client.post(f"{base}/unsuspend", headers=await api_headers(client, provider))).json()["state"] == "active"
    assert (await verify_api(client, credential))["verified"]


async def test_credentials_without_a_suspension_entry_cannot_be_suspended(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    body = (await issue(client, provider, achievement["id"])).json()
    response = await client.post(f"{provider['base']}/credentials/{body['id']}/suspend", headers=await api_headers(client, provider))
    assert response.status_code == 409


async def test_key_rotation_keeps_old_credentials_verifiable(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    old = (await issue(client, provider, achievement["id"])).json()["credential"]
    rotated = await client.post(f"{provider['base']}/issuer/rotate-key", headers=await _csrf(client))
    assert rotated.status_code == 200, rotated.text
    assert [k["active"] for k in rotated.json()["keys"]] == [False, True]
    new = (await issue(client, provider, achievement["id"])).json()["credential"]
    assert new["proof"]["verificationMethod"] != old["proof"]["verificationMethod"]
    assert (await verify_api(client, old))["verified"]
    assert (await verify_api(client, new))["verified"]
    # revoking the old credential re-signs its list with the new key; verification still works
    listed = (await client.get(f"{provider['base']}/credentials", headers=await api_headers(client, provider))).json()
    oldest = listed["items"][-1]
    await client.post(f"{provider['base']}/credentials/{oldest['id']}/revoke", headers=await api_headers(client, provider))
    assert [c["code"] for c in (await verify_api(client, old))["checks"] if c["check"] == "status"] == ["revoked"]


async def test_did_web_issuer_rotation_keeps_old_keys_in_the_document(client) -> None:
    provider = await new_provider(client, "webco")
    achievement = await new_achievement(client, provider)
    switched = await client.put(f"{provider['base']}/issuer", headers=await _csrf(client), json={"did_method": "web"})
    assert switched.status_code == 200, switched.text
    assert switched.json()["did"] == "did:web:testserver.local:issuers:webco"
    old = (await issue(client, provider, achievement["id"])).json()["credential"]
    assert old["issuer"]["id"] == "did:web:testserver.local:issuers:webco"
    await client.post(f"{provider['base']}/issuer/rotate-key", headers=await _csrf(client))
    new = (await issue(client, provider, achievement["id"])).json()["credential"]
    client.cookies.clear()
    document = (await client.get("/issuers/webco/did.json")).json()
    methods = [m["id"] for m in document["verificationMethod"]]
    assert old["proof"]["verificationMethod"] in methods and new["proof"]["verificationMethod"] in methods
    assert set(methods) <= set(document["assertionMethod"])
    assert (await verify_api(client, old))["verified"] and (await verify_api(client, new))["verified"]
    # an outside verifier given the served documents agrees
    status_url = old["credentialStatus"]["statusListCredential"]
    status_doc = (await client.get(status_url.removeprefix("http://testserver.local"))).json()
    resolver = Resolver(documents={document["id"]: document, status_url: status_doc})
    assert verify(old, resolver=resolver).verified


async def test_platform_did_document_is_served(client) -> None:
    response = await client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response.json()["id"] == "did:web:testserver.local"
    assert response.headers["content-type"].startswith("application/did+json")


async def _csrf(client) -> dict[str, str]:
    from tests.conftest import csrf_headers

    return await csrf_headers(client)
