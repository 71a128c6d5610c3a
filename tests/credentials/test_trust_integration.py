"""Issuer trust end to end through the HTTP API: who stands behind a credential decides what it counts
for. A look-alike forgery is an impersonation, never a verified skill, never found by verified-only search;
a copy of someone else's credential never counts; a fresh organisation's badges are untrusted offers
until an admin verifies it, and then its holders' skills turn verified without anyone opening anything."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

from accounts.service import AccountService
from accounts.verification import OrgVerificationService
from credentials.documents import email_identity
from credentials.vc import generate_ed25519, sign_credential
from tests.conftest import VERIFY_ADMIN_EMAIL, csrf_headers, sign_up, verify_org
from tests.credentials.conftest import SKILL, issue, new_achievement, new_provider
from tests.matching.helpers import employer, search
from tests.matching.helpers import settings as learner_settings

TDA_JA, TDA_EN = "東京デジタルアカデミー", "Tokyo Digital Academy"


async def tda(client) -> dict[str, Any]:
    """The verified provider 東京デジタルアカデミー with one achievement aligned to SKILL at b."""
    provider = await new_provider(client, "tda", name_ja=TDA_JA, name_en=TDA_EN)
    provider["achievement"] = await new_achievement(client, provider)
    return provider


async def issued_document(client, provider: dict[str, Any], email: str) -> dict[str, Any]:
    response = await issue(client, provider, provider["achievement"]["id"], email=email)
    assert response.status_code == 201, response.text
    return response.json()["credential"]


def forge(genuine: dict[str, Any], *, issuer_name: Any, recipient: str) -> dict[str, Any]:
    """The same badge re-signed with a brand-new did:key, naming ``issuer_name`` as its issuer."""
    key = generate_ed25519()
    forged = copy.deepcopy(genuine)
    forged.pop("proof", None)
    forged.pop("credentialStatus", None)
    forged["issuer"] = {"id": key.public.did, "type": ["Profile"], "name": issuer_name}
    forged["credentialSubject"]["identifier"] = [email_identity(recipient)]
    return sign_credential(forged, key)


async def verify_api(client, document: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/v1/verify", content=json.dumps(document),
                                 headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    return response.json()


async def import_credential(client, document: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/v1/me/credentials", json=document, headers=await csrf_headers(client))
    assert response.status_code == 201, response.text
    return response.json()


async def profile_items(client) -> dict[str, dict[str, Any]]:
    response = await client.get("/api/v1/me/profile")
    assert response.status_code == 200, response.text
    return {item["skill_id"]: item for item in response.json()["items"]}


async def discoverable_learner(client, email: str) -> str:
    client.cookies.clear()
    person = await sign_up(client, email, "山田 花子", "ja")
    await learner_settings(client, discoverable=True, prefecture="東京都",
                           employer_parts=["skills", "self_declared", "prefecture", "display_name"])
    return person["id"]


async def verified_only_hits(client, email: str = "hr@sakura.example") -> set[str]:
    client.cookies.clear()
    org = await employer(client, email, slug=email.split("@")[0] + "-sakura")
    found = await search(client, org, skills=[{"skill_id": SKILL, "min_level": "c"}], verified_only=True)
    return {r["person_id"] for r in found["results"]}


def switch_to(client, cookies: dict[str, str]) -> None:
    client.cookies.clear()
    client.cookies.update(cookies)


async def offered_to_learner(client, **provider_options: Any) -> dict[str, Any]:
    """An unverified provider issues its badge to a discoverable learner (signed in afterwards):
    the provider, the learner's person id and cookies, and the held credential."""
    provider = await new_provider(client, "fresh-school", verified=False, **provider_options)
    achievement = await new_achievement(client, provider)
    provider_cookies = dict(client.cookies)
    learner = await discoverable_learner(client, "learner@example.jp")
    learner_cookies = dict(client.cookies)
    switch_to(client, provider_cookies)
    assert (await issue(client, provider, achievement["id"], email="learner@example.jp")).status_code == 201
    switch_to(client, learner_cookies)
    (held,) = (await client.get("/api/v1/me/credentials")).json()
    return {"provider": provider, "learner": learner, "cookies": learner_cookies, "held": held}


async def test_a_look_alike_forgery_is_an_impersonation_and_never_a_verified_skill(client) -> None:
    provider = await tda(client)
    genuine = await issued_document(client, provider, "someone@example.jp")
    forged = forge(genuine, issuer_name=f"株式会社{TDA_JA}", recipient="forger@example.jp")

    client.cookies.clear()
    verdict = await verify_api(client, forged)
    assert verdict["verified"] is True  # the signature itself is fine: that was never the point
    assert verdict["trust"]["status"] == "impersonation"
    assert any(TDA_JA in r["message_ja"] for r in verdict["trust"]["reasons"])
    genuine_verdict = await verify_api(client, genuine)
    assert genuine_verdict["trust"]["status"] == "trusted"
    assert genuine_verdict["trust"]["registry"] == "skillpass"
    assert genuine_verdict["trust"]["issuer"]["org"]["slug"] == "tda"

    forger = await discoverable_learner(client, "forger@example.jp")
    held = await import_credential(client, forged)
    assert held["trust_status"] == "impersonation" and held["subject"] == "self" and held["counts"] is False
    assert SKILL not in await profile_items(client)
    assert forger not in await verified_only_hits(client)


async def test_an_english_name_variant_is_an_impersonation_too(client) -> None:
    provider = await tda(client)
    genuine = await issued_document(client, provider, "someone@example.jp")
    forged = forge(genuine, issuer_name=[{"@value": "Tokyo Digital Academy Co., Ltd.", "@language": "en"}],
                   recipient="x@example.jp")
    assert (await verify_api(client, forged))["trust"]["status"] == "impersonation"


async def test_an_unknown_issuer_is_untrusted_and_counts_only_as_evidenced(client) -> None:
    provider = await tda(client)
    genuine = await issued_document(client, provider, "someone@example.jp")
    unknown = forge(genuine, issuer_name="まったく別のスクール", recipient="own@example.jp")
    await discoverable_learner(client, "own@example.jp")
    held = await import_credential(client, unknown)
    assert held["verified"] and held["trust_status"] == "untrusted" and held["counts"] is True
    item = (await profile_items(client))[SKILL]
    assert item["status"] == "evidenced"
    assert {e["source"] for e in item["evidence"]} == {"credential_untrusted"}


async def test_someone_elses_credential_imported_never_counts(client) -> None:
    provider = await tda(client)
    theirs = await issued_document(client, provider, "owner@example.jp")
    copier = await discoverable_learner(client, "copier@example.jp")
    held = await import_credential(client, theirs)
    assert held["verified"] and held["trust_status"] == "trusted"
    assert held["subject"] == "other" and held["counts"] is False
    assert SKILL not in await profile_items(client)
    assert copier not in await verified_only_hits(client)


async def test_a_fresh_organisations_badges_are_offers_until_an_admin_verifies_it(client, db) -> None:
    offer = await offered_to_learner(client, name_ja="新しいスクール", name_en="Fresh School")
    held, learner = offer["held"], offer["learner"]
    assert held["verified"] and held["trust_status"] == "untrusted" and held["offer_state"] == "pending"
    assert held["counts"] is False and SKILL not in await profile_items(client)
    assert learner not in await verified_only_hits(client)

    await verify_org(db, offer["provider"]["id"])  # an admin approves: nobody opens anything afterwards
    assert learner in await verified_only_hits(client, "hr2@sakura.example")
    switch_to(client, offer["cookies"])
    (held,) = (await client.get("/api/v1/me/credentials")).json()
    assert held["trust_status"] == "trusted" and held["trust"]["issuer"]["org"]["slug"] == "fresh-school"
    assert held["offer_state"] == "accepted" and held["counts"] is True
    assert (await profile_items(client))[SKILL]["status"] == "verified"


async def test_an_accepted_offer_of_an_untrusted_issuer_counts_as_evidenced(client) -> None:
    offer = await offered_to_learner(client)
    accepted = await client.post(f"/api/v1/me/credentials/{offer['held']['id']}/accept",
                                 headers=await csrf_headers(client))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["offer_state"] == "accepted"
    assert (await profile_items(client))[SKILL]["status"] == "evidenced"
    assert offer["learner"] not in await verified_only_hits(client)


async def test_a_declined_offer_counts_for_nothing_and_is_not_delivered_again(client) -> None:
    offer = await offered_to_learner(client)
    declined = await client.post(f"/api/v1/me/credentials/{offer['held']['id']}/decline",
                                 headers=await csrf_headers(client))
    assert declined.status_code == 200 and declined.json()["offer_state"] == "declined"
    assert SKILL not in await profile_items(client)
    assert [h["offer_state"] for h in (await client.get("/api/v1/me/credentials")).json()] == ["declined"]


async def test_suspending_an_organisation_takes_verified_away_at_once(client, db) -> None:
    provider = await tda(client)
    provider_cookies = dict(client.cookies)
    await discoverable_learner(client, "learner@example.jp")
    learner_cookies = dict(client.cookies)
    switch_to(client, provider_cookies)
    await issued_document(client, provider, "learner@example.jp")
    switch_to(client, learner_cookies)
    assert (await profile_items(client))[SKILL]["status"] == "verified"

    admin = await AccountService(db).person_by_email(VERIFY_ADMIN_EMAIL)
    await OrgVerificationService(db).suspend(uuid.UUID(provider["id"]), admin.id, "complaints under review")
    await db.commit()
    assert (await profile_items(client))[SKILL]["status"] == "evidenced"
    (held,) = (await client.get("/api/v1/me/credentials")).json()
    assert held["trust_status"] == "untrusted"
    assert "issuer_org_suspended" in {r["code"] for r in held["trust"]["reasons"]}


async def test_a_did_listed_in_an_imported_registry_is_trusted_with_the_registry_named(client, settings,
                                                                                       tmp_path) -> None:
    from datetime import UTC, datetime, timedelta

    from credentials.trust.evaluate import TrustEntry
    from credentials.trust.trustlist import build_trust_list
    from tests.test_cli import run_cli

    provider = await tda(client)
    genuine = await issued_document(client, provider, "someone@example.jp")
    partner = generate_ed25519()
    unsigned = {k: v for k, v in genuine.items() if k not in ("proof", "credentialStatus")}
    unsigned["issuer"] = {"id": partner.public.did, "type": ["Profile"], "name": "北海道データ大学"}
    unsigned["credentialSubject"] = {**genuine["credentialSubject"], "identifier": [email_identity("own@example.jp")]}
    theirs = sign_credential(unsigned, partner)

    await discoverable_learner(client, "own@example.jp")
    held = await import_credential(client, theirs)
    assert held["trust_status"] == "untrusted"
    assert (await profile_items(client))[SKILL]["status"] == "evidenced"

    operator, now = generate_ed25519(), datetime.now(UTC)
    signed = build_trust_list([TrustEntry(partner.public.did, "北海道データ大学", "Hokkaido Data University", "x")],
                              operator, operator.public.did_key_vm, now - timedelta(days=1), now + timedelta(days=30))
    path = tmp_path / "partners.json"
    path.write_text(json.dumps(signed))
    env = {"DATABASE_URL": settings.database_url, "SKILLPASS_DATA_DIR": str(tmp_path),
           "SKILLPASS_BASE_URL": settings.base_url}
    done = run_cli("trust", "import-list", str(path), "--name", "大学コンソーシアム", "--pin",
                   operator.public.did, env=env)
    assert done.returncode == 0, done.stderr

    verdict = await verify_api(client, theirs)
    assert verdict["trust"]["status"] == "trusted" and verdict["trust"]["registry"] == "大学コンソーシアム"
    (held,) = (await client.get("/api/v1/me/credentials")).json()  # judged again by the import itself
    assert held["trust_status"] == "trusted" and held["trust"]["registry"] == "大学コンソーシアム"
    assert (await profile_items(client))[SKILL]["status"] == "verified"


async def test_a_self_registered_namesake_provider_cannot_raise_anyones_skills(client) -> None:
    provider = await tda(client)
    provider_cookies = dict(client.cookies)
    await discoverable_learner(client, "learner@example.jp")
    learner_cookies = dict(client.cookies)
    switch_to(client, provider_cookies)
    await issued_document(client, provider, "learner@example.jp")  # level b, from the verified academy

    client.cookies.clear()
    namesake = await new_provider(client, "tda-copy", verified=False, name_ja=TDA_JA, name_en=TDA_EN)
    achievement = await new_achievement(client, namesake, alignments=[{"skill_id": SKILL, "level": "a"}])
    assert (await issue(client, namesake, achievement["id"], email="learner@example.jp")).status_code == 201

    switch_to(client, learner_cookies)
    held = {h["trust_status"]: h for h in (await client.get("/api/v1/me/credentials")).json()}
    copy_held = held["impersonation"]
    assert copy_held["offer_state"] == "pending" and copy_held["counts"] is False
    assert (await profile_items(client))[SKILL]["level"] == "b"
    accepted = await client.post(f"/api/v1/me/credentials/{copy_held['id']}/accept", headers=await csrf_headers(client))
    assert accepted.status_code == 200 and accepted.json()["counts"] is False  # accepted or not, it never counts
    item = (await profile_items(client))[SKILL]
    assert item["level"] == "b" and item["status"] == "verified"
