"""Signing API round trips, tamper detection, dates, keys and presentations."""

from __future__ import annotations

import copy

import pytest

from credentials.vc.did import Resolver
from credentials.vc.keys import (
    did_key_document,
    generate_ed25519,
    generate_p256,
    keypair_from_jwk,
    load_key,
    public_key_from_multibase,
)
from credentials.vc.signing import sign_credential, sign_presentation
from credentials.vc.verifier import verify
from helpers_vc import badge_for

KEY = generate_ed25519()
SIGNED = sign_credential(badge_for(KEY), KEY, created="2024-01-01T00:00:00Z")


def _codes(result, check: str) -> list[str]:
    return [c.code for c in result.checks if c.check == check]


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "Ed25519Signature2018", "Ed25519Signature2020", "vc-jwt"])
def test_round_trip_every_suite(suite: str) -> None:
    signed = sign_credential(badge_for(KEY), KEY, suite=suite)
    result = verify(signed)
    assert result.verified, result.errors
    assert {c.check for c in result.checks} >= {"proof", "issuer", "dates", "status", "schema"}


def test_p256_ecdsa_round_trip() -> None:
    key = generate_p256()
    signed = sign_credential(badge_for(key), key, suite="ecdsa-rdfc-2019")
    assert verify(signed).verified
    assert key.public.did.startswith("did:key:zDna")


def test_every_check_has_english_japanese_and_machine_form() -> None:
    for check in verify(SIGNED).to_dict()["checks"]:
        assert set(check) >= {"check", "ok", "code", "message", "message_ja"}
        assert check["message"] and check["message_ja"]


def _mutations(credential: dict):
    for field in credential:
        if field == "proof":
            continue
        changed = copy.deepcopy(credential)
        value = changed[field]
        if field == "@context":
            # swap the OB context for one that maps the same terms elsewhere (appending a context that
            # leaves the RDF unchanged is not tampering: the signed dataset is the same)
            changed[field] = [value[0], "https://www.w3.org/ns/credentials/examples/v2"]
        elif field == "type":
            changed[field] = value + ["EndorsementCredential"]  # (AchievementCredential is an alias: same IRI)
        elif isinstance(value, str):
            changed[field] = value[:-1] + ("X" if value[-1] != "X" else "Y")
        elif isinstance(value, dict):
            changed[field] = {**value, "name": "Forged"} if field != "credentialSubject" else {**value, "id": "did:example:other"}
        yield field, changed
    for key, value in (("name", "Forged achievement"), ("id", "https://evil.example/a"),
                       ("criteria", {"narrative": "No effort"})):
        changed = copy.deepcopy(credential)
        changed["credentialSubject"]["achievement"][key] = value
        yield f"achievement.{key}", changed


@pytest.mark.parametrize("field,changed", list(_mutations(SIGNED)), ids=lambda v: v if isinstance(v, str) else "")
def test_tampering_any_top_level_field_or_the_achievement_fails(field: str, changed: dict) -> None:
    result = verify(changed)
    assert not result.verified
    assert not all(c.ok for c in result.checks if c.check == "proof"), field


def test_removing_a_field_and_adding_a_field_fail() -> None:
    removed = {k: v for k, v in SIGNED.items() if k != "name"}
    assert "invalid_signature" in _codes(verify(removed), "proof")
    added = {**SIGNED, "description": "added later"}
    assert "invalid_signature" in _codes(verify(added), "proof")


def test_wrong_key_fails_and_issuer_must_control_key() -> None:
    other = generate_ed25519()
    forged = sign_credential(badge_for(KEY), other)  # signed by someone else, issuer still KEY's DID
    result = verify(forged)
    assert not result.verified and _codes(result, "issuer") == ["issuer_mismatch"]
    proof = dict(SIGNED["proof"], verificationMethod=other.verification_method)
    assert "invalid_signature" in _codes(verify({**SIGNED, "proof": proof}), "proof")


def test_missing_proof_and_unknown_cryptosuite() -> None:
    unsigned = {k: v for k, v in SIGNED.items() if k != "proof"}
    assert _codes(verify(unsigned), "proof") == ["missing_proof"]
    unknown = {**SIGNED, "proof": dict(SIGNED["proof"], cryptosuite="eddsa-jcs-2022")}
    assert _codes(verify(unknown), "proof") == ["unknown_suite"]


@pytest.mark.parametrize("at,code", [("2023-12-31T23:59:59Z", "not_yet_valid"), ("2030-01-01T00:00:01Z", "expired"),
                                     ("2027-01-01T00:00:00Z", "ok")])
def test_validity_period(at: str, code: str) -> None:
    signed = sign_credential(badge_for(KEY, validUntil="2030-01-01T00:00:00Z"), KEY)
    result = verify(signed, at=at)
    assert _codes(result, "dates") == [code]
    assert result.verified is (code == "ok")


def test_vcdm11_expiration_and_issuance_dates() -> None:
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"],
                  "issuer": KEY.public.did, "issuanceDate": "2024-01-01T00:00:00Z",
                  "expirationDate": "2025-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:1"}}
    signed = sign_credential(credential, KEY, suite="Ed25519Signature2018")
    assert verify(signed, at="2024-06-01T00:00:00Z").verified
    assert _codes(verify(signed, at="2025-06-01T00:00:00Z"), "dates") == ["expired"]
    assert _codes(verify(signed, at="2023-06-01T00:00:00Z"), "dates") == ["not_yet_valid"]


def test_proof_set_all_proofs_must_verify() -> None:
    both = sign_credential(SIGNED, KEY, suite="Ed25519Signature2020")
    assert isinstance(both["proof"], list) and len(both["proof"]) == 2
    assert verify(both).verified
    broken = copy.deepcopy(both)
    broken["proof"][1]["proofValue"] = broken["proof"][0]["proofValue"]
    assert not verify(broken).verified


def test_schema_check_is_a_warning_unless_strict() -> None:
    bad = badge_for(KEY)
    bad["credentialSubject"]["achievement"]["achievementType"] = "NotAType"
    signed = sign_credential(bad, KEY)
    assert verify(signed).verified and verify(signed).warnings
    assert not verify(signed, strict_schema=True).verified


def test_presentation_with_challenge_and_domain() -> None:
    holder = generate_ed25519()
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": holder.public.did, "verifiableCredential": [SIGNED]}
    signed = sign_presentation(vp, holder, challenge="c-123", domain="skillpass.example")
    assert verify(signed, challenge="c-123", domain="skillpass.example").verified
    assert not verify(signed, challenge="replayed", domain="skillpass.example").verified
    assert not verify(signed, challenge="c-123", domain="other.example").verified
    tampered = copy.deepcopy(signed)
    tampered["verifiableCredential"][0]["name"] = "Forged"
    result = verify(tampered, challenge="c-123", domain="skillpass.example")
    assert not result.verified
    assert any(c.path == "verifiableCredential[0]" and not c.ok for c in result.checks)


def test_keys_multikey_jwk_and_did_key() -> None:
    key = load_key(KEY.to_multikey())
    assert key.public == KEY.public
    assert keypair_from_jwk(KEY.private_jwk()).public == KEY.public
    assert KEY.public.multibase.startswith("z6Mk")
    assert KEY.to_multikey()["secretKeyMultibase"].startswith("z3u2")
    p256 = generate_p256()
    assert load_key(p256.to_multikey()).public == p256.public
    assert public_key_from_multibase(p256.public.multibase) == p256.public
    doc = did_key_document(p256.public.did)
    assert doc["assertionMethod"] == [p256.public.did_key_vm]
    method, pub, controller = Resolver().verification_method(KEY.public.did_key_vm, "assertionMethod")
    assert pub == KEY.public and controller == KEY.public.did


def test_did_web_from_registry_and_documents_map() -> None:
    key = generate_ed25519()
    did = "did:web:skillpass.example:issuers:1"
    vm = f"{did}#key-1"
    did_doc = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
               "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                       "publicKeyMultibase": key.public.multibase}],
               "assertionMethod": ["#key-1"]}
    credential = badge_for(key)
    credential["issuer"] = {**credential["issuer"], "id": did}
    signed = sign_credential(credential, key, verification_method=vm)
    resolver = Resolver()
    resolver.register(did, did_doc)
    assert verify(signed, resolver=resolver).verified
    assert verify(signed, documents={did: did_doc}).verified
    result = verify(signed)  # network off and unknown DID: a clear failure, no fetch
    assert not result.verified and _codes(result, "proof") == ["resolution_failed"]


def test_http_fetcher_is_used_only_when_configured() -> None:
    from credentials.vc.did import did_web_url

    calls = []

    def fake_fetch(url: str):
        calls.append(url)
        raise AssertionError("no network in tests")

    assert did_web_url("did:web:example.com") == "https://example.com/.well-known/did.json"
    assert did_web_url("did:web:example.com%3A8443:u:alice") == "https://example.com:8443/u/alice/did.json"
    verify(sign_credential(badge_for(KEY), KEY, verification_method="did:web:example.com#k"))
    assert calls == []
    result = verify(sign_credential(badge_for(KEY), KEY, verification_method="did:web:example.com#k"),
                    resolver=Resolver(fetcher=fake_fetch))
    assert calls == ["https://example.com/.well-known/did.json"] and not result.verified


def test_sign_batch_uses_a_process_pool_and_keeps_order() -> None:
    from credentials.vc.signing import sign_batch

    credentials = [dict(badge_for(KEY), id=f"urn:uuid:batch-{i}") for i in range(6)]
    signed = sign_batch(credentials, KEY, workers=2, chunksize=2)
    assert [s["id"] for s in signed] == [c["id"] for c in credentials]
    assert all(verify(s).verified for s in signed)
