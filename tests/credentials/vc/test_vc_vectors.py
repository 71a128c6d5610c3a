"""W3C vc-di-eddsa and 1EdTech OB 3.0 test vectors reproduce exactly and verify."""

from __future__ import annotations

import hashlib

import pytest

from conftest import INTEROP, VECTORS, load, text
from credentials.vc.canon import canonicalize
from credentials.vc.did import Resolver, load_documents_map
from credentials.vc.keys import load_key
from credentials.vc.signing import sign_credential
from credentials.vc.suites import verify_proof
from credentials.vc.verifier import verify

CASES = {
    "basic": ("unsigned.json", "eddsa-rdfc-2022", "DataInt", "eddsa-rdfc-2022"),
    "employ": ("employmentAuth.json", "eddsa-rdfc-2022/employ", "DataInt", "eddsa-rdfc-2022"),
    "ed2020": ("unsigned.json", "Ed25519Signature2020", "EdSig", "Ed25519Signature2020"),
}


@pytest.fixture(scope="module")
def key():
    return load_key(load(VECTORS / "keyPair.json"))


@pytest.mark.parametrize("case", CASES)
def test_vector_intermediate_values_reproduce(case: str, key) -> None:
    unsigned_file, folder, suffix, suite = CASES[case]
    unsigned = load(VECTORS / unsigned_file)
    signed = sign_credential(unsigned, key, created="2023-02-24T23:36:38Z", suite=suite)
    doc = {k: v for k, v in signed.items() if k != "proof"}
    canon_doc = canonicalize(doc)
    assert canon_doc.strip() == text(VECTORS / folder / f"canonDoc{suffix}.txt")
    assert hashlib.sha256(canon_doc.encode()).hexdigest() == text(VECTORS / folder / f"docHash{suffix}.txt")
    config = load(VECTORS / folder / f"proofConfig{suffix}.json")
    canon_proof = canonicalize(config)
    assert canon_proof.strip() == text(VECTORS / folder / f"proofCanon{suffix}.txt")
    proof_hash = hashlib.sha256(canon_proof.encode()).hexdigest()
    assert proof_hash == text(VECTORS / folder / f"proofHash{suffix}.txt")
    assert signed["proof"]["proofValue"] == text(VECTORS / folder / f"sigBTC58{suffix}.txt")
    assert signed == load(VECTORS / folder / f"signed{suffix}.json")


@pytest.mark.parametrize("case", CASES)
def test_vector_signed_document_verifies_and_one_altered_byte_fails(case: str) -> None:
    _, folder, suffix, _ = CASES[case]
    signed = load(VECTORS / folder / f"signed{suffix}.json")
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    assert verify_proof(unsecured, signed["proof"], Resolver()).ok
    altered = dict(unsecured, validFrom=unsecured["validFrom"].replace("0", "1", 1))
    outcome = verify_proof(altered, signed["proof"], Resolver())
    assert not outcome.ok and outcome.code == "invalid_signature"
    # full verification also binds issuer to key controller; the vectors' issuer is not the key's controller
    result = verify(signed)
    assert not result.verified
    assert [c.code for c in result.checks if c.check == "issuer"] == ["issuer_mismatch"]


def test_proof_set_vectors_verify_each_proof() -> None:
    for name in ("signedProofSet1.json", "signedProofSet2.json"):
        signed = load(VECTORS / "proof-set-chain" / name)
        unsecured = {k: v for k, v in signed.items() if k != "proof"}
        proofs = signed["proof"] if isinstance(signed["proof"], list) else [signed["proof"]]
        assert all(verify_proof(unsecured, p, Resolver()).ok for p in proofs)


def test_1edtech_vector_reproduces_exactly() -> None:
    folder = INTEROP / "1edtech-ob-impl-guide"
    unsigned = load(folder / "ob3-unsigned.json")
    key_doc = load(folder / "published-keypair.json")
    signed = sign_credential(unsigned, key_doc, created="2010-01-01T19:23:24Z")
    expected = load(folder / "ob3-eddsa-rdfc-2022-signed.json")
    assert signed["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert canonicalize(unsigned).strip() == text(folder / "document-canon.txt")
    assert hashlib.sha256(canonicalize(unsigned).encode()).hexdigest().startswith("87f65a76")
    config = {k: v for k, v in expected["proof"].items() if k != "proofValue"}
    config["@context"] = unsigned["@context"]
    assert canonicalize(config).strip() == text(folder / "proof-canon.txt")
    assert hashlib.sha256(canonicalize(config).encode()).hexdigest().startswith("d34009ce")
    documents = load_documents_map(str(INTEROP / "documents.json"))
    assert verify(expected, documents=documents, at="2026-06-01T00:00:00Z").verified
