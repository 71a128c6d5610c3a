"""Linked-data proof suites: DataIntegrityProof (eddsa-rdfc-2022, ecdsa-rdfc-2019), Ed25519Signature2020
and Ed25519Signature2018 (detached JWS).  Create and verify single proofs; proof sets are lists of these."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from credentials.vc.canon import config_hash, document_hash
from credentials.vc.errors import ContextRefused, JsonLdError, KeyError_, ProofError, ResolutionError
from credentials.vc.keys import ED25519, P256, KeyPair, PublicKey
from credentials.vc.multibase import b58encode, b64url_decode, b64url_encode, multibase_decode

EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
ECDSA_RDFC_2019 = "ecdsa-rdfc-2019"
ED25519_2020 = "Ed25519Signature2020"
ED25519_2018 = "Ed25519Signature2018"
DATA_INTEGRITY = "DataIntegrityProof"
SIGN_SUITES = (EDDSA_RDFC_2022, ECDSA_RDFC_2019, ED25519_2020, ED25519_2018)

VCDM2 = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
ED25519_2018_CONTEXT = "https://w3id.org/security/suites/ed25519-2018/v1"
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"
_JWS_2018_HEADER = b64url_encode(json.dumps({"alg": "EdDSA", "b64": False, "crit": ["b64"]},
                                            separators=(",", ":")).encode())


@dataclass
class ProofOutcome:
    """Result of verifying one proof."""

    ok: bool
    code: str
    message: str
    suite: str = ""
    verification_method: str | None = None
    controller: str | None = None


def now_iso() -> str:
    """Current UTC time, seconds precision, 'Z' suffix (the form proofs use)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def suite_name(proof: dict) -> str:
    """'eddsa-rdfc-2022' / 'ecdsa-rdfc-2019' for DataIntegrityProof, else the proof type."""
    type_ = proof.get("type")
    if type_ == DATA_INTEGRITY:
        return str(proof.get("cryptosuite"))
    return str(type_)


def _contexts(document: dict) -> list:
    ctx = document.get("@context")
    return ctx if isinstance(ctx, list) else [ctx] if ctx is not None else []


def ensure_suite_context(document: dict, suite: str) -> dict:
    """Return document with the context its proof type needs appended (if not already covered)."""
    contexts = _contexts(document)
    needed = None
    if suite in (EDDSA_RDFC_2022, ECDSA_RDFC_2019) and VCDM2 not in contexts:
        needed = DATA_INTEGRITY_CONTEXT
    elif suite == ED25519_2018 and not any(c in contexts for c in _LEGACY_CONTEXTS[ED25519_2018]):
        needed = ED25519_2018_CONTEXT
    elif suite == ED25519_2020:
        needed = ED25519_2020_CONTEXT
    if needed and needed not in contexts and not (suite in (EDDSA_RDFC_2022, ECDSA_RDFC_2019) and
                                                   "https://w3id.org/security/data-integrity/v1" in contexts):
        return {**document, "@context": contexts + [needed]}
    return document


def _verify_data(unsecured: dict, proof_options: dict) -> bytes:
    """hash(canonical proof options) || hash(canonical document): the signed bytes of all RDFC suites."""
    config = dict(proof_options)
    config["@context"] = proof_options.get("@context", unsecured.get("@context"))
    return config_hash(config) + document_hash(unsecured)


def create_proof(document: dict, key: KeyPair, *, suite: str = EDDSA_RDFC_2022, created: str | None = None,
                 verification_method: str | None = None, purpose: str = "assertionMethod",
                 challenge: str | None = None, domain: str | None = None) -> dict:
    """Create one proof over document (any existing 'proof' is left out of the signed data)."""
    if suite not in SIGN_SUITES:
        raise ProofError(f"cannot sign with suite {suite!r}", code="unknown_suite")
    if (suite == ECDSA_RDFC_2019) != (key.algorithm == P256):
        raise KeyError_(f"suite {suite} needs {'a P-256' if suite == ECDSA_RDFC_2019 else 'an Ed25519'} key")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if suite in (EDDSA_RDFC_2022, ECDSA_RDFC_2019):
        proof: dict[str, Any] = {"type": DATA_INTEGRITY, "cryptosuite": suite}
    else:
        proof = {"type": suite}
    proof["created"] = created or now_iso()
    proof["verificationMethod"] = verification_method or key.verification_method
    proof["proofPurpose"] = purpose
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    data = _verify_data(unsecured, proof)
    if suite == ED25519_2018:
        signature = key.sign(_JWS_2018_HEADER.encode("ascii") + b"." + data)
        proof["jws"] = f"{_JWS_2018_HEADER}..{b64url_encode(signature)}"
    else:
        proof["proofValue"] = "z" + b58encode(key.sign(data))
    return proof


def _signature_and_message(proof: dict, suite: str, data: bytes) -> tuple[bytes, bytes]:
    if suite == ED25519_2018:
        jws = proof.get("jws")
        if not isinstance(jws, str) or jws.count(".") != 2:
            raise ProofError("Ed25519Signature2018 proof needs a detached JWS in 'jws'", code="malformed_proof")
        header_b64, payload, sig_b64 = jws.split(".")
        if payload:
            raise ProofError("JWS must be detached (empty payload)", code="malformed_proof")
        try:
            header = json.loads(b64url_decode(header_b64))
            signature = b64url_decode(sig_b64)
        except ValueError:
            raise ProofError("JWS header or signature is not valid base64url/JSON", code="malformed_proof") from None
        if not isinstance(header, dict) or header.get("alg") != "EdDSA" or header.get("b64") is not False \
                or header.get("crit") != ["b64"]:
            raise ProofError("JWS header must be {alg: EdDSA, b64: false, crit: [b64]}", code="malformed_proof")
        return signature, header_b64.encode("ascii") + b"." + data
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("proofValue must be a base58btc multibase string", code="malformed_proof")
    try:
        return multibase_decode(value), data
    except ValueError:
        raise ProofError("proofValue is not valid base58btc", code="malformed_proof") from None


def verify_proof(unsecured: dict, proof: Any, resolver: Any, *, purpose: str = "assertionMethod",
                 challenge: str | None = None, domain: str | None = None) -> ProofOutcome:
    """Verify one proof over unsecured (the document without 'proof'); never raises for bad input."""
    if not isinstance(proof, dict):
        return ProofOutcome(False, "malformed_proof", "proof must be a JSON object")
    suite = suite_name(proof)
    vm = proof.get("verificationMethod")
    vm = vm.get("id") if isinstance(vm, dict) else vm
    try:
        if proof.get("type") == DATA_INTEGRITY and suite not in (EDDSA_RDFC_2022, ECDSA_RDFC_2019):
            raise ProofError(f"unsupported cryptosuite {suite!r}", code="unknown_suite")
        if suite not in SIGN_SUITES:
            raise ProofError(f"unsupported proof type {suite!r}", code="unknown_suite")
        if proof.get("proofPurpose") != purpose:
            raise ProofError(f"proofPurpose is {proof.get('proofPurpose')!r}, expected {purpose!r}",
                             code="wrong_purpose")
        _check_challenge(proof, challenge, domain)
        _check_proof_context(unsecured, proof)
        _check_suite_context(unsecured, suite)
        if not isinstance(proof.get("created", ""), str):
            raise ProofError("proof 'created' must be a string", code="malformed_proof")
        options = {k: v for k, v in proof.items() if k not in ("proofValue", "jws")}
        signature, message = _signature_and_message(proof, suite, _verify_data(unsecured, options))
        method, key, controller = resolver.verification_method(vm, purpose)
        _check_key_fits(suite, key)
        if not key.verify(signature, message):
            return ProofOutcome(False, "invalid_signature", f"{suite} signature is invalid (document altered or "
                                "signed with another key)", suite, vm, controller)
        return ProofOutcome(True, "ok", f"{suite} signature valid, key {vm} authorised for {purpose}",
                            suite, vm, controller)
    except ContextRefused as exc:
        return ProofOutcome(False, exc.code, str(exc), suite, vm if isinstance(vm, str) else None)
    except (ProofError, ResolutionError, JsonLdError, KeyError_) as exc:
        return ProofOutcome(False, exc.code, str(exc), suite, vm if isinstance(vm, str) else None)


def _check_challenge(proof: dict, challenge: str | None, domain: str | None) -> None:
    if challenge is not None and proof.get("challenge") != challenge:
        raise ProofError(f"proof challenge {proof.get('challenge')!r} does not match the expected challenge",
                         code="challenge_mismatch")
    if domain is not None:
        got = proof.get("domain")
        if not (got == domain or (isinstance(got, list) and domain in got)):
            raise ProofError(f"proof domain {got!r} does not match the expected domain", code="domain_mismatch")


def _check_proof_context(unsecured: dict, proof: dict) -> None:
    """A proof's own @context must be a prefix of the document's (Data Integrity 1.0 verification step)."""
    if "@context" not in proof or proof.get("type") != DATA_INTEGRITY:
        return
    mine, theirs = _contexts(proof), _contexts(unsecured)
    if theirs[: len(mine)] != mine:
        raise ProofError("proof @context does not match the document @context", code="malformed_proof")


_LEGACY_CONTEXTS = {
    ED25519_2020: (ED25519_2020_CONTEXT,),
    ED25519_2018: (ED25519_2018_CONTEXT, "https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/v2"),
}


def _check_suite_context(unsecured: dict, suite: str) -> None:
    """Legacy suites are matched only when the document's own @context defines them (as the reference
    libraries do); a suite context carried inside the proof alone is not accepted."""
    wanted = _LEGACY_CONTEXTS.get(suite)
    if wanted and not any(c in _contexts(unsecured) for c in wanted):
        raise ProofError(f"the document @context does not include the {suite} suite context ({wanted[0]})",
                         code="suite_context_missing")


def _check_key_fits(suite: str, key: PublicKey) -> None:
    wanted = P256 if suite == ECDSA_RDFC_2019 else ED25519
    if key.algorithm != wanted:
        raise ProofError(f"{suite} needs a {wanted} key, the verification method holds {key.algorithm}",
                         code="wrong_key_type")
