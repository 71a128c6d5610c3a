"""OpenID4VCI key proofs of proof type ``jwt`` (OpenID4VCI 1.0, Appendix F.1): check an
``openid4vci-proof+jwt`` and say which holder key (and DID) it proves possession of.

The key is named by ``kid`` (a did:key or did:jwk DID URL) or given as ``jwk`` in the header (the holder
is then that key's did:jwk). Signatures are verified with joserfc; EdDSA (Ed25519) and ES256 (P-256).
Whether the nonce is one we issued and still unused is the caller's question (it needs a store).
"""

from __future__ import annotations

import json
import time
import warnings
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import import_key

from credentials.vc.errors import KeyError_, VcError
from credentials.vc.jwt import parse_jwt
from credentials.vc.keys import PublicKey, public_key_from_jwk, public_key_from_multibase
from credentials.vc.multibase import b64url_decode, b64url_encode

PROOF_TYP = "openid4vci-proof+jwt"
# "EdDSA" is what wallets send today; RFC 9864 renames it "Ed25519". Both mean Ed25519 here.
ALGORITHMS = {"EdDSA": "Ed25519", "Ed25519": "Ed25519", "ES256": "P-256"}
BINDING_METHODS = ("did:key", "did:jwk", "jwk")
MAX_AGE_S = 300
LEEWAY_S = 60
PUBLIC_MEMBERS = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y")}


class ProofJwtError(VcError):
    """The key proof is not acceptable; ``code`` is ``invalid_proof`` (OpenID4VCI credential error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_proof")


@dataclass(frozen=True)
class KeyProof:
    """A checked key proof: the holder DID the credential is to be bound to, its key and the nonce."""

    holder_did: str
    public_key: PublicKey
    nonce: str
    claims: dict[str, Any]


def did_jwk(jwk: dict[str, Any]) -> str:
    """did:jwk of a public JWK (only its public members, in lexicographic order)."""
    members = PUBLIC_MEMBERS.get(jwk.get("kty", ""), ())
    public = {k: jwk[k] for k in members if k in jwk}
    return "did:jwk:" + b64url_encode(json.dumps(public, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def jwk_of_did_jwk(did: str) -> dict[str, Any]:
    """The public JWK a did:jwk DID (or DID URL) encodes."""
    encoded = did[len("did:jwk:"):].split("#", 1)[0]
    try:
        jwk = json.loads(b64url_decode(encoded))
    except (ValueError, UnicodeDecodeError):
        raise ProofJwtError("the did:jwk does not encode a JSON Web Key") from None
    if not isinstance(jwk, dict):
        raise ProofJwtError("the did:jwk does not encode a JSON Web Key")
    return jwk


def holder_key(header: dict[str, Any]) -> tuple[str, PublicKey, dict[str, Any]]:
    """(holder DID, public key, public JWK) the proof header names: ``kid`` did:key / did:jwk, or ``jwk``."""
    kid, jwk = header.get("kid"), header.get("jwk")
    if (kid is None) == (jwk is None) or "x5c" in header:
        raise ProofJwtError("the proof header must name the key by exactly one of 'kid' (a DID URL) or 'jwk'")
    try:
        if jwk is not None:
            if not isinstance(jwk, dict) or "d" in jwk:
                raise ProofJwtError("the proof header's 'jwk' must be a public key")
            public = public_key_from_jwk(jwk)
            return did_jwk(jwk), public, public.jwk()
        if not isinstance(kid, str) or "#" not in kid:
            raise ProofJwtError("the proof 'kid' must be a DID URL (did:key or did:jwk, with a fragment)")
        did = kid.split("#", 1)[0]
        if did.startswith("did:key:"):
            public = public_key_from_multibase(did[len("did:key:"):])
            if kid.split("#", 1)[1] != did[len("did:key:"):]:
                raise ProofJwtError("the proof 'kid' is not the did:key's verification method")
            return did, public, public.jwk()
        if did.startswith("did:jwk:"):
            jwk = jwk_of_did_jwk(did)
            if "d" in jwk or kid.split("#", 1)[1] != "0":
                raise ProofJwtError("the did:jwk must hold a public key, named as '#0'")
            public = public_key_from_jwk(jwk)
            return did, public, public.jwk()
    except KeyError_ as exc:
        raise ProofJwtError(f"the proof key cannot be read: {exc}") from None
    raise ProofJwtError("the proof key must be a did:key, a did:jwk or a 'jwk' header")


def check_proof(token: Any, *, audience: str, now: float | None = None, max_age: int = MAX_AGE_S) -> KeyProof:
    """Check type, algorithm, signature, audience and freshness of a key proof; ProofJwtError otherwise."""
    if not isinstance(token, str):
        raise ProofJwtError("the proof must be a compact JWT")
    try:
        header = parse_jwt(token)[0]
    except VcError as exc:
        raise ProofJwtError(f"the proof is not a JWT: {exc}") from None
    if header.get("typ") != PROOF_TYP:
        raise ProofJwtError(f"the proof's 'typ' must be {PROOF_TYP}")
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise ProofJwtError("the proof's 'alg' must be EdDSA or ES256")
    holder, public, jwk = holder_key(header)
    if public.algorithm != ALGORITHMS[alg]:
        raise ProofJwtError(f"the proof's alg {alg} does not fit its {public.algorithm} key")
    try:
        with warnings.catch_warnings():  # joserfc warns that "EdDSA" is deprecated (RFC 9864); wallets still send it
            warnings.simplefilter("ignore")
            claims = jwt.decode(token, import_key(jwk), algorithms=[alg]).claims
    except (JoseError, ValueError) as exc:
        raise ProofJwtError(f"the proof's signature does not verify ({type(exc).__name__})") from None
    aud = claims.get("aud")
    if aud != audience and not (isinstance(aud, list) and audience in aud):
        raise ProofJwtError("the proof's 'aud' is not this credential issuer")
    iat, moment = claims.get("iat"), time.time() if now is None else now
    if not isinstance(iat, (int, float)) or isinstance(iat, bool):
        raise ProofJwtError("the proof has no 'iat'")
    if iat > moment + LEEWAY_S or iat < moment - max_age - LEEWAY_S:
        raise ProofJwtError("the proof's 'iat' is not recent")
    nonce = claims.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise ProofJwtError("the proof has no 'nonce' (ask the nonce endpoint for a c_nonce)")
    return KeyProof(holder_did=holder, public_key=public, nonce=nonce, claims=claims)
