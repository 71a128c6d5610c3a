"""VC-JWT: JOSE compact JWS with EdDSA (Ed25519) or ES256 (P-256), signed with joserfc.

VCDM 1.1 credentials use the 'vc' claim with iss/sub/jti/nbf/exp (VC Data Model 1.1 section 6.3.1);
VCDM 2.0 credentials are the JWT payload itself (VC-JOSE-COSE, typ "vc+jwt").
"""

from __future__ import annotations

import json
import re
import warnings
from datetime import datetime, timezone
from typing import Any

from joserfc import jws
from joserfc.jwk import import_key

from credentials.vc.errors import ProofError
from credentials.vc.keys import ED25519, P256, KeyPair
from credentials.vc.multibase import b64url_decode

JWT_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
ALGORITHMS = {"EdDSA": ED25519, "ES256": P256}
VCDM2 = "https://www.w3.org/ns/credentials/v2"


def looks_like_jwt(text: str) -> bool:
    return bool(JWT_PATTERN.match(text))


def _epoch(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def _iso(epoch: Any) -> str | None:
    if not isinstance(epoch, (int, float)) or isinstance(epoch, bool):
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _contexts(document: dict) -> list:
    ctx = document.get("@context")
    return ctx if isinstance(ctx, list) else [ctx]


def sign_jwt(payload: dict, header: dict, key: KeyPair) -> str:
    """Compact JWS over payload with the key's algorithm."""
    alg = "EdDSA" if key.algorithm == ED25519 else "ES256"
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    with warnings.catch_warnings():  # joserfc: "EdDSA is deprecated via RFC 9864"; verifiers still expect it
        warnings.simplefilter("ignore")
        return jws.serialize_compact({"alg": alg, **header}, body, import_key(key.private_jwk()), algorithms=[alg])


def credential_to_jwt(credential: dict, key: KeyPair, *, verification_method: str | None = None) -> str:
    """Encode and sign a credential as a VC-JWT (form chosen by its data model version)."""
    kid = verification_method or key.verification_method
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    if _contexts(unsecured)[:1] == [VCDM2]:
        return sign_jwt(unsecured, {"kid": kid, "typ": "vc+jwt", "cty": "vc"}, key)
    issuer = unsecured.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = unsecured.get("credentialSubject")
    payload: dict[str, Any] = {"vc": unsecured, "iss": issuer_id}
    if isinstance(subject, dict) and isinstance(subject.get("id"), str):
        payload["sub"] = subject["id"]
    if isinstance(unsecured.get("id"), str):
        payload["jti"] = unsecured["id"]
    for claim, field in (("nbf", "issuanceDate"), ("exp", "expirationDate")):
        epoch = _epoch(unsecured.get(field))
        if epoch is not None:
            payload[claim] = epoch
    return sign_jwt(payload, {"kid": kid, "typ": "JWT"}, key)


def presentation_to_jwt(presentation: dict, key: KeyPair, *, challenge: str | None = None,
                        domain: str | None = None, verification_method: str | None = None) -> str:
    """A VCDM 1.1 VP-JWT ('vp' claim, nonce = challenge, aud = domain)."""
    payload: dict[str, Any] = {"vp": {k: v for k, v in presentation.items() if k != "proof"}}
    holder = presentation.get("holder")
    payload["iss"] = holder.get("id") if isinstance(holder, dict) else holder or key.public.did
    if challenge is not None:
        payload["nonce"] = challenge
    if domain is not None:
        payload["aud"] = domain
    return sign_jwt(payload, {"kid": verification_method or key.verification_method, "typ": "JWT"}, key)


def parse_jwt(token: str) -> tuple[dict, dict, bytes, bytes]:
    """Split and decode a compact JWS: (header, payload, signature, signing_input)."""
    if not looks_like_jwt(token):
        raise ProofError("not a compact JWS (header.payload.signature)", code="malformed_jwt")
    header_b64, payload_b64, sig_b64 = token.split(".")
    try:
        header = json.loads(b64url_decode(header_b64))
        payload = json.loads(b64url_decode(payload_b64))
        signature = b64url_decode(sig_b64)
    except (ValueError, UnicodeDecodeError):
        raise ProofError("JWT header/payload is not base64url JSON", code="malformed_jwt") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ProofError("JWT header and payload must be JSON objects", code="malformed_jwt")
    return header, payload, signature, f"{header_b64}.{payload_b64}".encode("ascii")


def jwt_document(payload: dict) -> tuple[str, dict]:
    """('credential'|'presentation', the JSON-LD document) carried by a JWT payload, claims mapped back."""
    if isinstance(payload.get("vp"), dict):
        vp = dict(payload["vp"])
        if "iss" in payload and "holder" not in vp:
            vp["holder"] = payload["iss"]
        return "presentation", vp
    if isinstance(payload.get("vc"), dict):
        vc = dict(payload["vc"])
        if isinstance(payload.get("iss"), str):
            issuer = vc.get("issuer")
            vc["issuer"] = {**issuer, "id": payload["iss"]} if isinstance(issuer, dict) else payload["iss"]
        if isinstance(payload.get("jti"), str):
            vc.setdefault("id", payload["jti"])
        for claim, field in (("nbf", "issuanceDate"), ("exp", "expirationDate")):
            if claim in payload and field not in vc:
                vc[field] = _iso(payload[claim])
        subject = vc.get("credentialSubject")
        if isinstance(payload.get("sub"), str) and isinstance(subject, dict) and "id" not in subject:
            vc["credentialSubject"] = {**subject, "id": payload["sub"]}
        return "credential", vc
    types = payload.get("type")
    kind = "presentation" if "VerifiablePresentation" in (types if isinstance(types, list) else [types]) \
        else "credential"
    return kind, payload


def verify_jwt_signature(token: str, resolver: Any, purpose: str) -> tuple[dict, dict, str, str]:
    """Check the JWS; return (header, payload, verification method id, controller).  Raises ProofError."""
    header, payload, signature, signing_input = parse_jwt(token)
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise ProofError(f"JWT alg {alg!r} is not accepted (EdDSA or ES256)", code="unknown_suite")
    kid = header.get("kid")
    iss = payload.get("iss") or _issuer_of(payload)
    if isinstance(kid, str) and kid.startswith("#") and isinstance(iss, str):
        kid = iss + kid
    if not isinstance(kid, str) and isinstance(iss, str) and iss.startswith("did:key:"):
        kid = f"{iss}#{iss[len('did:key:'):]}"
    if not isinstance(kid, str):
        raise ProofError("JWT header has no usable 'kid'", code="malformed_jwt")
    from credentials.vc.errors import ResolutionError

    try:
        _, key, controller = resolver.verification_method(kid, purpose)
    except ResolutionError as exc:
        raise ProofError(str(exc), code=exc.code) from None
    if key.algorithm != ALGORITHMS[alg]:
        raise ProofError(f"JWT alg {alg} does not fit the {key.algorithm} key of {kid}", code="wrong_key_type")
    if not key.verify(signature, signing_input):
        raise ProofError("JWT signature is invalid (token altered or signed with another key)",
                         code="invalid_signature")
    return header, payload, kid, controller


def _issuer_of(payload: dict) -> str | None:
    issuer = payload.get("issuer")
    return issuer.get("id") if isinstance(issuer, dict) else issuer if isinstance(issuer, str) else None
