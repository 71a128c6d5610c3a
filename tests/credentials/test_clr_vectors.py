"""The 1EdTech validator's signed CLR 2.0 sample (VCDM 2.0, eddsa-rdfc-2022) verifies offline with the
bundled CLR context, outer proof and embedded credential alike; changing one embedded claim breaks both."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from credentials.clr.service import embedded_credentials, validate_clr
from credentials.vc import verify

SAMPLE = Path("/work/shared/standards/clr-v2p0/examples/1edtech-validator/simple.json")
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="the shared standards copy is not on this machine")


def controller_of(document: dict) -> dict[str, dict]:
    """The sample's keys are https URLs whose fragment is the Multikey: a controller document for it
    (what the issuer would serve at that URL; nothing is fetched)."""
    proof = document["proof"][0] if isinstance(document["proof"], list) else document["proof"]
    method = proof["verificationMethod"]
    controller, key = method.split("#", 1)
    return {controller: {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
                         "id": controller, "assertionMethod": [method],
                         "verificationMethod": [{"id": method, "type": "Multikey", "controller": controller,
                                                 "publicKeyMultibase": key}]}}


def test_1edtech_clr_sample_verifies_outer_and_embedded() -> None:
    clr = json.loads(SAMPLE.read_text(encoding="utf-8"))
    assert "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json" in clr["@context"]
    (embedded,) = embedded_credentials(clr)
    keys = {**controller_of(clr), **controller_of(embedded)}
    outer = verify(clr, documents=keys)
    assert outer.verified, outer.errors
    inner = verify(embedded, documents=keys)
    assert inner.verified, inner.errors
    assert validate_clr(clr) == []


def test_1edtech_clr_sample_tampered_embedded_claim_is_refused() -> None:
    clr = json.loads(SAMPLE.read_text(encoding="utf-8"))
    keys = {**controller_of(clr), **controller_of(embedded_credentials(clr)[0])}
    tampered = copy.deepcopy(clr)
    embedded = embedded_credentials(tampered)[0]
    embedded["credentialSubject"]["achievement"]["name"] = "Something else"
    assert not verify(tampered, documents=keys).verified
    assert not verify(embedded, documents=keys).verified
