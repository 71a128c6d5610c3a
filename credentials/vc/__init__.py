"""W3C Verifiable Credentials / Open Badges 3.0: offline JSON-LD, keys, proofs, status and verification.

Public API (see docs/credentials-verification.md):
    verify(document, *, documents=None, at=None, resolver=None, challenge=None, domain=None) -> VerificationResult
    sign_credential(credential, key, *, verification_method=None, created=None, suite="eddsa-rdfc-2022")
    sign_presentation(...), sign_batch(...)
    keys: generate_ed25519, generate_p256, load_key, KeyPair, PublicKey
    Resolver (did:key / registry / documents map / opt-in HTTPS), status list helpers
"""

from credentials.vc.canon import canonicalize
from credentials.vc.did import HttpFetcher, Resolver, load_documents_map
from credentials.vc.errors import ContextRefused, JsonLdError, VcError
from credentials.vc.keys import (
    KeyPair,
    PublicKey,
    did_key_document,
    generate_ed25519,
    generate_p256,
    load_key,
    public_key_from_multibase,
)
from credentials.vc.signing import sign_batch, sign_credential, sign_presentation
from credentials.vc.status import Bitstring, build_status_list_credential, decode_list, status_entry
from credentials.vc.verifier import Check, VerificationResult, verify

__all__ = [
    "Bitstring", "Check", "ContextRefused", "HttpFetcher", "JsonLdError", "KeyPair", "PublicKey", "Resolver",
    "VcError", "VerificationResult", "build_status_list_credential", "canonicalize", "decode_list",
    "did_key_document", "generate_ed25519", "generate_p256", "load_documents_map", "load_key",
    "public_key_from_multibase", "sign_batch", "sign_credential", "sign_presentation", "status_entry", "verify",
]
