"""The learner's wallet: automatic delivery, claiming after sign-up, import of foreign credentials,
download, re-verification, deletion; the public verification API's handling of bad input."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from sqlalchemy import select

from accounts.models import Person
from core.errors import InvalidInput
from credentials.models import HeldCredential
from credentials.alignments import dss_alignments
from credentials.vc.did import load_documents_map
from credentials.wallet import WalletService, claim_for_person
from tests.conftest import csrf_headers, sign_up
from tests.credentials.conftest import SKILL, api_headers, issue, new_achievement, new_provider

INTEROP = "standards/interop-fixtures"
DIDKEY_OB3 = "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json"


async def as_learner(client, email: str = "hanako@example.jp") -> dict:
    client.cookies.clear()
    return await sign_up(client, email, "山田 花子", "ja")


async def test_issued_credentials_land_in_the_wallet_of_the_matching_account(client) -> None:
    learner_client_email = "hanako@example.jp"
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    admin_cookies = dict(client.cookies)
    await as_learner(client, learner_client_email)
    client.cookies.clear()
    client.cookies.update(admin_cookies)
    issued = (await issue(client, provider, achievement["id"], email="Hanako@Example.jp")).json()
    await as_learner_signin(client, learner_client_email)
    held = (await client.get("/api/v1/me/credentials")).json()
    assert len(held) == 1 and held[0]["source"] == "issued" and held[0]["verified"]
    assert held[0]["credential_id"] == issued["id"]
    assert {"skill_id": SKILL, "level": "b"} in held[0]["skills"]
    detail = (await client.get(f"/api/v1/me/credentials/{held[0]['id']}")).json()
    assert detail["document"]["id"] == issued["credential"]["id"]
    assert detail["verification"]["verified"]


async def as_learner_signin(client, email: str) -> None:
    from tests.conftest import TEST_PASSWORD

    client.cookies.clear()
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text


async def test_sign_up_claims_credentials_issued_before_the_account(client, db, settings) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    await issue(client, provider, achievement["id"], email="later@example.jp")
    await issue(client, provider, achievement["id"], email="later@example.jp", format="jwt")
    await as_learner(client, "later@example.jp")  # sign-up runs the claim hook (skillpass.wiring)
    held = (await client.get("/api/v1/me/credentials")).json()
    assert sorted(h["format"] for h in held) == ["jwt", "ldp"]
    if not all(h["verified"] for h in held):
        rows = (await db.execute(select(HeldCredential))).scalars().all()
        raise AssertionError([(r.format, r.verification) for r in rows])
    person = (await db.execute(select(Person).where(Person.email == "later@example.jp"))).scalar_one()
    assert await claim_for_person(db, person, settings) == []  # idempotent


async def test_import_a_foreign_credential_over_the_api(client, shared_dir) -> None:
    await as_learner(client)
    document = json.loads((shared_dir / INTEROP / DIDKEY_OB3).read_text())
    response = await client.post("/api/v1/me/credentials", json=document, headers=await csrf_headers(client))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["source"] == "imported" and body["verified"], body["verification"]
    again = await client.post("/api/v1/me/credentials", json={"credential": document},
                              headers=await csrf_headers(client))
    assert again.json()["id"] == body["id"]  # importing twice keeps one copy
    files = {"data": ("badge.json", io.BytesIO(json.dumps(document).encode()), "application/json")}
    upload = await client.post("/api/v1/me/credentials/upload", files=files, headers=await csrf_headers(client))
    assert upload.status_code == 201 and upload.json()["id"] == body["id"]


async def test_import_with_a_documents_map_verifies_did_web_and_https_issuers(client, db, settings, shared_dir) -> None:
    learner = await as_learner(client)
    documents = load_documents_map(str(shared_dir / INTEROP / "documents.json"))
    raw = (shared_dir / INTEROP / "1edtech-ob-impl-guide/ob3-eddsa-rdfc-2022-signed.json").read_bytes()
    held = await WalletService(db, settings).import_document(uuid.UUID(learner["id"]), raw, documents=documents)
    assert held.verified, held.verification
    tampered = json.loads(raw)
    tampered["name"] = "Something else"
    bad = await WalletService(db, settings).import_document(uuid.UUID(learner["id"]), tampered, documents=documents)
    assert not bad.verified  # kept, with the failed result, so the learner sees why


@pytest.mark.parametrize("body", [
    [1, 2, 3],
    {"hello": "world"},
    {"credential": "not-a-jwt"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]},
    {"credential": "eyJhbGciOiJFZERTQSJ9.bm90LWpzb24.c2ln"},
])
async def test_bad_imports_are_422(client, body) -> None:
    await as_learner(client)
    response = await client.post("/api/v1/me/credentials", json=body, headers=await csrf_headers(client))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_bad_import_file_is_422(client) -> None:
    await as_learner(client)
    files = {"data": ("x.bin", io.BytesIO(b"\xff\xfe\xfa"), "application/octet-stream")}
    response = await client.post("/api/v1/me/credentials/upload", files=files, headers=await csrf_headers(client))
    assert response.status_code == 422


async def test_wallet_service_rejects_bad_input_with_invalid_input(db, settings) -> None:
    with pytest.raises(InvalidInput):
        await WalletService(db, settings).import_document(uuid.uuid4(), "{not json")


async def test_download_reverify_and_delete(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    admin_cookies = dict(client.cookies)
    await as_learner(client, "taro@example.jp")
    client.cookies.clear()
    client.cookies.update(admin_cookies)
    issued = (await issue(client, provider, achievement["id"], email="taro@example.jp", format="jwt")).json()
    await client.post(f"{provider['base']}/credentials/{issued['id']}/revoke",
                      headers=await api_headers(client, provider))
    await as_learner_signin(client, "taro@example.jp")
    held_id = (await client.get("/api/v1/me/credentials")).json()[0]["id"]
    jwt = await client.get(f"/api/v1/me/credentials/{held_id}/download", params={"format": "jwt"})
    assert jwt.status_code == 200 and jwt.text == issued["credential"]
    assert jwt.headers["content-type"].startswith("application/vc+jwt")
    as_json = await client.get(f"/api/v1/me/credentials/{held_id}/download")
    assert as_json.json()["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert "attachment" in as_json.headers["content-disposition"]
    reverified = (await client.post(f"/api/v1/me/credentials/{held_id}/verify", headers=await csrf_headers(client)))
    assert reverified.json()["verified"] is False
    assert [c["code"] for c in reverified.json()["verification"]["checks"] if c["check"] == "status"] == ["revoked"]
    deleted = await client.delete(f"/api/v1/me/credentials/{held_id}", headers=await csrf_headers(client))
    assert deleted.status_code == 200
    assert (await client.get(f"/api/v1/me/credentials/{held_id}")).status_code == 404


async def test_other_people_cannot_see_my_credentials(client, shared_dir) -> None:
    await as_learner(client, "owner@example.jp")
    document = json.loads((shared_dir / INTEROP / DIDKEY_OB3).read_text())
    held_id = (await client.post("/api/v1/me/credentials", json=document, headers=await csrf_headers(client))).json()["id"]
    await as_learner(client, "other@example.jp")
    assert (await client.get(f"/api/v1/me/credentials/{held_id}")).status_code == 404
    assert (await client.delete(f"/api/v1/me/credentials/{held_id}", headers=await csrf_headers(client))).status_code == 404
    client.cookies.clear()
    assert (await client.get("/api/v1/me/credentials")).status_code == 401


@pytest.mark.parametrize("content, content_type", [
    (b"", "application/json"),
    (b"{broken", "application/json"),
    (b"[1,2]", "application/json"),
    (b'{"a": 1}', "application/json"),
    (b"hello", "text/plain"),
])
async def test_verify_api_bad_input_is_4xx_never_500(client, content, content_type) -> None:
    response = await client.post("/api/v1/verify", content=content, headers={"content-type": content_type})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_verify_api_reports_a_foreign_credential_and_a_presentation(client, shared_dir) -> None:
    document = json.loads((shared_dir / INTEROP / DIDKEY_OB3).read_text())
    result = (await client.post("/api/v1/verify", json={"credential": document})).json()
    assert result["verified"] and result["kind"] == "credential"
    presentation = json.loads((shared_dir / INTEROP / "credo-ts/TEST_VP_DOCUMENT_SIGNED.json").read_text())
    client.cookies.clear()  # a script without a cookie jar (a cookie would require the CSRF token)
    result = (await client.post("/api/v1/verify", json=presentation,
                                params={"challenge": "7bf32d0b-39d4-41f3-96b6-45de52988e4c"})).json()
    assert result["kind"] == "presentation" and result["verified"], result


def test_dss_alignments_of_foreign_and_odd_documents() -> None:
    assert dss_alignments({}) == [] and dss_alignments("x") == []
    foreign = {"credentialSubject": {"achievement": {"alignment": [
        {"targetUrl": "https://dss.example.org/dss/2.0/skills/v2-machine-learning", "targetName": "ML"},
        {"targetCode": "not-dss"}, "junk"]}}}
    assert dss_alignments(foreign) == [("v2-machine-learning", None)]


async def test_public_verify_api_works_for_a_client_holding_cookies(client, shared_dir) -> None:
    document = json.loads((shared_dir / INTEROP / DIDKEY_OB3).read_text())
    first = await client.post("/api/v1/verify", json=document)
    assert first.status_code == 200
    assert not client.cookies  # an anonymous API answer sets no cookie ...
    await sign_up(client, "cookies@example.jp")
    assert client.cookies  # ... but a signed-in browser holds session and CSRF cookies
    second = await client.post("/api/v1/verify", json=document)
    assert second.status_code == 200 and second.json()["verified"] == first.json()["verified"]  # ... no CSRF refusal
