"""SD-JWT key binding (RFC 9901 section 4.3): split a presented SD-JWT+KB and check its KB-JWT against
the holder key in the issuer-signed ``cnf.jwk``, the verifier's ``nonce`` and ``aud``, and ``sd_hash``
(the SHA-256 of everything before the KB-JWT, so no disclosure can be added, removed or altered).

Checked with joserfc, not the ``sd-jwt`` package: its verifier accepts only ES256 key binding, and our
holders' platform-held keys (and many wallets') are Ed25519.
"""

from __future__ import annotations

import hashlib
import time
import warnings
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import import_key

from credentials.vc.errors import VcError
from credentials.vc.jwt import parse_jwt
from credentials.vc.multibase import b64url_encode

KB_TYP = "kb+jwt"
ALGORITHMS = {"EdDSA": "OKP", "Ed25519": "OKP", "ES256": "EC"}
MAX_AGE_S = 300
LEEWAY_S = 60


class KeyBindingError(VcError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_key_binding")


@dataclass(frozen=True)
class Presented:
    """A presented SD-JWT cut in two: the SD-JWT as issued with the chosen disclosures, and the KB-JWT."""

    sd_jwt: str  # ends with "~"
    kb_jwt: str


def split_presentation(token: Any) -> Presented:
    if not isinstance(token, str) or "~" not in token:
        raise KeyBindingError("an SD-JWT presentation is '<issuer-signed JWT>~<disclosures>~<KB-JWT>'")
    cut = token.rindex("~") + 1
    if not token[cut:]:
        raise KeyBindingError("the SD-JWT presentation has no key binding JWT")
    return Presented(token[:cut], token[cut:])


def sd_hash(sd_jwt: str) -> str:
    return b64url_encode(hashlib.sha256(sd_jwt.encode("ascii")).digest())


def check_key_binding(presented: Presented, holder_jwk: Any, *, nonce: str, audience: str,
                      now: float | None = None) -> dict[str, Any]:
    """The KB-JWT's claims once type, algorithm, signature (by ``holder_jwk``), nonce, aud, iat and
    sd_hash all check out; KeyBindingError otherwise."""
    if not isinstance(holder_jwk, dict) or "d" in holder_jwk:
        raise KeyBindingError("the SD-JWT carries no holder key (cnf.jwk)")
    try:
        header = parse_jwt(presented.kb_jwt)[0]
    except VcError as exc:
        raise KeyBindingError(f"the key binding JWT cannot be read: {exc}") from None
    alg = header.get("alg")
    if header.get("typ") != KB_TYP:
        raise KeyBindingError("the key binding JWT's typ must be kb+jwt")
    if ALGORITHMS.get(alg) != holder_jwk.get("kty"):
        raise KeyBindingError("the key binding JWT's alg does not fit the holder key")
    try:
        with warnings.catch_warnings():  # joserfc warns that "EdDSA" is deprecated (RFC 9864); wallets send it
            warnings.simplefilter("ignore")
            claims = jwt.decode(presented.kb_jwt, import_key(holder_jwk), algorithms=[alg]).claims
    except (JoseError, ValueError) as exc:
        raise KeyBindingError(f"the key binding JWT's signature does not verify ({type(exc).__name__})") from None
    if claims.get("nonce") != nonce:
        raise KeyBindingError("the key binding JWT's nonce is not this request's")
    if claims.get("aud") != audience:
        raise KeyBindingError("the key binding JWT's aud is not this verifier")
    iat, moment = claims.get("iat"), time.time() if now is None else now
    if not isinstance(iat, (int, float)) or isinstance(iat, bool) or not (
            moment - MAX_AGE_S - LEEWAY_S <= iat <= moment + LEEWAY_S):
        raise KeyBindingError("the key binding JWT's iat is missing or not recent")
    if claims.get("sd_hash") != sd_hash(presented.sd_jwt):
        raise KeyBindingError("the key binding JWT's sd_hash does not match the presented SD-JWT")
    return claims
