"""Signing API for the issuance service: embedded proofs (Data Integrity, Ed25519Signature2018) or VC-JWT."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal

from credentials.vc import jwt as vcjwt
from credentials.vc.keys import KeyPair, load_key
from credentials.vc.suites import ED25519_2018, EDDSA_RDFC_2022, SIGN_SUITES, create_proof, ensure_suite_context

Suite = Literal["eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2018", "Ed25519Signature2020", "vc-jwt"]


def _as_key(key: KeyPair | dict) -> KeyPair:
    return key if isinstance(key, KeyPair) else load_key(key)


def _add_proof(document: dict, proof: dict) -> dict:
    existing = document.get("proof")
    if existing is None:
        return {**document, "proof": proof}
    proofs = existing if isinstance(existing, list) else [existing]
    return {**document, "proof": [*proofs, proof]}


def sign_credential(credential: dict, key: KeyPair | dict, *, verification_method: str | None = None,
                    created: str | None = None, suite: Suite = EDDSA_RDFC_2022) -> dict | str:
    """Sign a credential: returns it with a proof added (a proof set if it had one), or a VC-JWT string.

    key is a KeyPair or a key document (Multikey with secretKeyMultibase, or a private JWK); the
    verification method defaults to the key's id, else its did:key.  The suite's context is appended
    to @context when the credential does not define the proof type yet.
    """
    pair = _as_key(key)
    if suite == "vc-jwt":
        return vcjwt.credential_to_jwt(credential, pair, verification_method=verification_method)
    if suite not in SIGN_SUITES:
        raise ValueError(f"unknown suite {suite!r}; use one of {SIGN_SUITES + ('vc-jwt',)}")
    document = ensure_suite_context(credential, suite)
    proof = create_proof(document, pair, suite=suite, created=created, verification_method=verification_method)
    return _add_proof(document, proof)


def sign_presentation(presentation: dict, key: KeyPair | dict, *, challenge: str | None = None,
                      domain: str | None = None, verification_method: str | None = None,
                      created: str | None = None, suite: Suite = EDDSA_RDFC_2022) -> dict | str:
    """Sign a presentation for authentication (challenge/domain bound), or as a VP-JWT."""
    pair = _as_key(key)
    if suite == "vc-jwt":
        return vcjwt.presentation_to_jwt(presentation, pair, challenge=challenge, domain=domain,
                                         verification_method=verification_method)
    document = ensure_suite_context(presentation, suite)
    proof = create_proof(document, pair, suite=suite, created=created, verification_method=verification_method,
                         purpose="authentication", challenge=challenge, domain=domain)
    return _add_proof(document, proof)


_worker_key: KeyPair | None = None


def _init_worker(key_doc: dict) -> None:
    global _worker_key
    _worker_key = load_key(key_doc)


def _sign_one(args: tuple[dict, str | None, str | None, str]) -> dict | str:
    credential, vm, created, suite = args
    return sign_credential(credential, _worker_key, verification_method=vm, created=created, suite=suite)


def sign_batch(credentials: list[dict], key: KeyPair | dict, *, verification_method: str | None = None,
               created: str | None = None, suite: Suite = EDDSA_RDFC_2022, workers: int | None = None,
               chunksize: int = 64) -> list[dict | str]:
    """Sign many credentials on all cores (a process pool); results keep the input order."""
    pair = _as_key(key)
    jobs = [(c, verification_method, created, suite) for c in credentials]
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(pair.to_multikey(),)) as pool:
        return list(pool.map(_sign_one, jobs, chunksize=chunksize))


__all__ = ["sign_credential", "sign_presentation", "sign_batch", "ED25519_2018"]
