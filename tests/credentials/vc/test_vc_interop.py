"""All 130 interop fixtures get the verdict of the reference verifier (documents map, at 2026-06-01)."""

from __future__ import annotations

import json

import pytest

from conftest import INTEROP, REFERENCE_TIME, load
from credentials.vc.verifier import verify

EXPECTED = load(INTEROP / "expected-results.json")["results"]
CHALLENGES = {
    "credo-ts/TEST_VP_DOCUMENT_SIGNED.json": ("7bf32d0b-39d4-41f3-96b6-45de52988e4c", None),
    "didkit-0.3.3/vp-Ed25519Signature2018-challenge-xcheck-123-domain-example.org.json": ("xcheck-123", "example.org"),
}


def test_fixture_count() -> None:
    assert len(EXPECTED) == 130


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_interop_fixture_verdict(name: str, interop_documents: dict) -> None:
    expected = EXPECTED[name]
    challenge, domain = CHALLENGES.get(name, (None, None))
    result = verify(load(INTEROP / name), documents=interop_documents, at=REFERENCE_TIME,
                    challenge=challenge, domain=domain)
    assert result.verified is expected["verified"], result.errors
    proofs_ok = all(c.ok for c in result.checks if c.check == "proof")
    if expected["proofsVerified"]:
        assert proofs_ok, result.errors
    if expected.get("statusBitsSet") == 1:
        assert any(c.code in ("revoked", "suspended") for c in result.checks) or any(
            c.check == "dates" and not c.ok for c in result.checks)
    json.dumps(result.to_dict())  # machine form is serialisable


def test_presentation_challenge_is_enforced(interop_documents: dict) -> None:
    name = "didkit-0.3.3/vp-Ed25519Signature2018-challenge-xcheck-123-domain-example.org.json"
    vp = load(INTEROP / name)
    assert not verify(vp, challenge="other", domain="example.org").verified
    assert not verify(vp, challenge="xcheck-123", domain="evil.example").verified
    codes = {c.code for c in verify(vp, challenge="other").checks}
    assert "challenge_mismatch" in codes
