"""Endorsements by an employer: a verified employer signs an EndorsementCredential with a did:web issuer of
its own (key sealed at rest), whose DID document the platform serves like a provider's, so the endorsement
verifies here and for a third party, shows its endorser's trust status, and is withdrawn through its status
list; the same issuer never lets the employer issue: the achievements, credentials and issuer APIs refuse it,
and ``IssuanceService`` cannot sign with its key."""

from __future__ import annotations

import uuid

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import func, select

from accounts.service import AccountService
from core.errors import NotFound
from credentials import endorsements
from credentials.issuance import IssuanceService, IssueRequest
from credentials.issuers import IssuerService, did_web
from credentials.keystore import open_key
from credentials.models import Achievement, IssuedCredential, Issuer, IssuerKey
from credentials.vc import Resolver, verify
from credentials.vc.did import did_web_url
from credentials.vc.schema import validate_ob
from credentials.vc.signing import sign_credential
from tests.conftest import create_org, csrf_headers, sign_up, verify_org, verify_org_through_app
from tests.credentials.conftest import ACHIEVEMENT, issue, new_achievement, new_provider


async def new_employer(client, slug: str, *, verified: bool = True) -> dict:
    """An employer organization whose admin stays signed in (employers hold no API keys)."""
    await sign_up(client, f"hr@{slug}.example.jp")
    org = await create_org(client, "employer", slug)
    if verified:
        await verify_org_through_app(client, org["id"])
    return {"id": org["id"], "slug": slug, "base": f"/api/v1/orgs/{org['id']}"}


async def test_an_employer_endorses_with_a_did_web_issuer_that_verifies_and_is_withdrawn(client, db,
                                                                                         settings) -> None:
    university = await new_provider(client, "emp-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "emp-sakura")
    employer_id = uuid.UUID(employer["id"])
    row = await endorsements.endorse(db, settings, employer_id, achievement_id=uuid.UUID(achievement["id"]),
                                     issuer_org_id=None, comments={"ja": "採用で重視しています。"}, lang="ja")
    await db.commit()

    issuer = (await db.execute(select(Issuer).where(Issuer.org_id == employer_id))).scalar_one()
    assert issuer.did_method == "web" and issuer.did == did_web(settings, "emp-sakura")
    [key] = (await db.execute(select(IssuerKey).where(IssuerKey.issuer_id == issuer.id))).scalars().all()
    pair = open_key(key.secret_encrypted, key.public_multibase, settings.master_key)  # sealed, and opens
    seed = pair.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    assert seed not in key.secret_encrypted and len(key.secret_encrypted) == 1 + 12 + 32 + 16

    credential = row.document
    assert credential["issuer"]["id"] == issuer.did
    assert credential["proof"]["verificationMethod"] == f"{issuer.did}#{key.public_multibase}"
    assert validate_ob(credential) == []
    checked = (await client.post("/api/v1/verify", json=credential)).json()
    assert checked["verified"], checked
    listed = (await client.get(f"/api/v1/achievements/{achievement['id']}/endorsements")).json()
    assert [e["trust"]["status"] for e in listed] == ["trusted"]
    published = (await client.get("/.well-known/skillpass-trust-list.json")).json()
    scopes = {i["id"]: i["scope"] for i in published["credentialSubject"]["trustedIssuer"]}
    assert scopes[issuer.did] == ["endorsement"] and scopes[listed[0]["credential"]["issuer"]["id"]] == [
        "endorsement"]

    # A third party: the DID document and the status list fetched from where did:web and the entry say.
    served_did = await client.get(f"/issuers/{employer['slug']}/did.json")
    assert served_did.status_code == 200 and served_did.json()["id"] == issuer.did
    status_url = credential["credentialStatus"]["statusListCredential"]
    served = {did_web_url(issuer.did): served_did.json()}  # the did:web resolved as https, by the fetcher
    lists = {status_url: (await client.get(status_url)).json()}  # the test server's http URL: given as is
    outside = verify(credential, resolver=Resolver(documents=lists, fetcher=lambda url: served[url]))
    assert outside.verified, [(c.check, c.code, c.message) for c in outside.checks if not c.ok]

    await endorsements.withdraw(db, settings, employer_id, row.id)
    await db.commit()
    lists[status_url] = (await client.get(status_url)).json()
    outside = verify(credential, resolver=Resolver(documents=lists, fetcher=lambda url: served[url]))
    assert not outside.verified and [c.code for c in outside.checks if c.check == "status"] == ["revoked"]
    result = (await client.post("/api/v1/verify", json=credential)).json()
    assert not result["verified"]


async def test_an_employer_with_an_endorsement_issuer_still_cannot_issue(client, db, settings) -> None:
    university = await new_provider(client, "emp-iss-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "emp-iss-sakura")
    employer_id = uuid.UUID(employer["id"])
    await endorsements.endorse(db, settings, employer_id, achievement_id=uuid.UUID(achievement["id"]),
                               issuer_org_id=None, comments={"en": "We hire on it."}, lang="en")
    await db.commit()
    assert (await db.execute(select(Issuer).where(Issuer.org_id == employer_id))).scalar_one_or_none()

    session_headers = await csrf_headers(client)  # the employer's admin, signed in; and a provider's API key
    for headers in (session_headers, university["headers"]):
        calls = [("POST", "/achievements", ACHIEVEMENT), ("GET", "/achievements", None),
                 ("POST", "/credentials", {"achievement_id": achievement["id"], "recipient_email": "a@b.jp"}),
                 ("GET", "/credentials", None), ("GET", "/issuer", None),
                 ("POST", "/issuer/rotate-key", None)]
        for method, path, body in calls:
            response = await client.request(method, employer["base"] + path, json=body,
                                            headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
            assert response.status_code in (403, 404), (method, path, response.status_code)

    # Even given an achievement of its own (never possible through the API), issuance refuses its key.
    own = Achievement(org_id=employer_id, name_ja="社内研修", name_en="In-house course", description_ja="x",
                      description_en="x", criteria_ja="x", criteria_en="x")
    db.add(own)
    await db.commit()
    issuance = IssuanceService(db, settings)
    request = IssueRequest(achievement_id=own.id, recipient_email="learner@example.jp")
    with pytest.raises(NotFound):
        await issuance.issue(employer_id, request)
    with pytest.raises(NotFound):
        await IssuerService(db, settings).for_org(employer_id)
    await db.rollback()
    assert (await db.execute(select(func.count()).select_from(IssuedCredential))).scalar_one() == 0


async def test_a_badge_signed_with_an_endorsement_key_is_not_from_a_vetted_issuer(client, db, settings) -> None:
    """Defence in depth: were an employer's endorsement key ever to sign a badge outside the platform's
    issuance, the signature verifies but the issuer is not trusted for badges (its scope is endorsement)."""
    university = await new_provider(client, "emp-key-uni")
    achievement = await new_achievement(client, university)
    issued = await issue(client, university, achievement["id"])
    assert issued.status_code == 201, issued.text
    employer = await new_employer(client, "emp-key-sakura")
    await endorsements.endorse(db, settings, uuid.UUID(employer["id"]), achievement_id=uuid.UUID(achievement["id"]),
                               issuer_org_id=None, comments={"en": "We hire on it."}, lang="en")
    await db.commit()
    issuer = (await db.execute(select(Issuer).where(Issuer.org_id == uuid.UUID(employer["id"])))).scalar_one()
    key, method = await IssuerService(db, settings).signing_key(issuer)
    badge = {k: v for k, v in issued.json()["credential"].items() if k != "proof"}
    badge["issuer"] = {"id": issuer.did, "type": ["Profile"], "name": "emp-key-sakura"}
    forged = sign_credential(badge, key, verification_method=method)
    checked = (await client.post("/api/v1/verify", json=forged)).json()
    assert [c["ok"] for c in checked["checks"] if c["check"] == "proof"] == [True]  # the signature is good
    assert checked["trust"]["status"] == "untrusted", checked["trust"]  # signed, but not by a vetted badge issuer
    assert checked["trust"]["reasons"][0]["code"] == "issuer_out_of_scope"


async def test_an_unverified_employer_cannot_endorse_and_gets_no_issuer(client, db, settings) -> None:
    university = await new_provider(client, "emp-unv-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "emp-unv-sakura", verified=False)
    employer_id = uuid.UUID(employer["id"])
    with pytest.raises(Exception) as refused:
        await endorsements.endorse(db, settings, employer_id, achievement_id=uuid.UUID(achievement["id"]),
                                   issuer_org_id=None, comments={"en": "Good."}, lang="en")
    assert refused.value.extra.get("code") == "not_verified"
    await db.rollback()
    assert (await db.execute(select(Issuer).where(Issuer.org_id == employer_id))).scalar_one_or_none() is None


async def test_a_suspended_employers_endorsement_is_no_longer_recognised(client, db, settings) -> None:
    university = await new_provider(client, "emp-sus-uni")
    achievement = await new_achievement(client, university)
    accounts = AccountService(db)
    employer = await accounts.create_org("employer", "emp-sus-sakura", "さくら商事", "Sakura Trading",
                                         admin_id=None)
    await db.commit()
    await verify_org(db, employer.id)
    await endorsements.endorse(db, settings, employer.id, achievement_id=uuid.UUID(achievement["id"]),
                               issuer_org_id=None, comments={"en": "We hire on it."}, lang="en")
    await db.commit()
    [listed] = await endorsements.for_achievement(db, settings, uuid.UUID(achievement["id"]))
    assert listed["trust"]["status"] == "trusted"
    from accounts.verification import OrgVerificationService
    from tests.conftest import VERIFY_ADMIN_EMAIL

    admin = await accounts.person_by_email(VERIFY_ADMIN_EMAIL)
    await OrgVerificationService(db).suspend(employer.id, admin.id, "test: suspended")
    await db.commit()
    [listed] = await endorsements.for_achievement(db, settings, uuid.UUID(achievement["id"]))
    assert listed["trust"]["status"] != "trusted"
