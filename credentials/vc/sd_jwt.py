"""SD-JWT VC (draft-ietf-oauth-sd-jwt-vc-18, media type ``dc+sd-jwt``) over SD-JWT (RFC 9901 / draft -22),
with the OpenWallet Foundation reference implementation (PyPI ``sd-jwt``) doing the disclosures.

Issuing: claims marked with :func:`sd` (a key) or :func:`sd_item` (a list element) become disclosures;
the holder's key goes into ``cnf.jwk``. Verifying: the issuer's key is found from the header ``kid`` (a
DID URL) through the same resolver as every other proof; every disclosure must be referenced by a digest
(a forged or altered disclosure fails); ``nbf``/``exp`` are checked, and a Bitstring status entry
carried in ``status.bitstring_status_list`` is checked like a credential's ``credentialStatus``.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from typing import Any

from jwcrypto.jwk import JWK
from sd_jwt.common import SDObj
from sd_jwt.issuer import SDJWTIssuer
from sd_jwt.verifier import SDJWTVerifier

from credentials.vc.errors import ResolutionError, VcError
from credentials.vc.jwt import parse_jwt
from credentials.vc.keys import ED25519, KeyPair
from credentials.vc.messages import ja
from credentials.vc.status import check_entry
from credentials.vc.verifier import Check, VerificationResult, credential_checks

SD_JWT_VC_TYP = "dc+sd-jwt"
STATUS_KEY = "bitstring_status_list"  # a member of the SD-JWT VC "status" object, beside Token Status List's


def sd(name: str) -> SDObj:
    """A selectively disclosable claim name (use as a dict key)."""
    return SDObj(name)


def sd_item(value: Any) -> SDObj:
    """A selectively disclosable array element."""
    return SDObj(value)


def _alg(key: KeyPair) -> str:
    return "EdDSA" if key.algorithm == ED25519 else "ES256"


def issue_sd_jwt_vc(claims: dict[str, Any], key: KeyPair, *, kid: str, holder_jwk: dict[str, Any]) -> str:
    """The SD-JWT (issuer-signed JWT ``~`` disclosures ``~``) of ``claims`` bound to ``holder_jwk``."""
    issuer = SDJWTIssuer(claims, JWK.from_json(json.dumps(key.private_jwk())),
                         holder_key=JWK.from_json(json.dumps(holder_jwk)), sign_alg=_alg(key),
                         extra_header_parameters={"typ": SD_JWT_VC_TYP, "kid": kid})
    return issuer.sd_jwt_issuance


_B64 = r"[A-Za-z0-9_-]"
# <issuer JWT>~<disclosure>~...~ and an optional KB-JWT after the last "~"
SD_JWT_PATTERN = re.compile(rf"^{_B64}+\.{_B64}+\.{_B64}+~(?:{_B64}+~)*(?:{_B64}+\.{_B64}+\.{_B64}+)?$")


def looks_like_sd_jwt(text: Any) -> bool:
    return isinstance(text, str) and bool(SD_JWT_PATTERN.match(text.strip()))


def _check(name: str, ok: bool, code: str, message: str) -> Check:
    return Check(name, ok, code, message, message_ja=ja(code, ok, name))


def _times(payload: dict[str, Any], at: float) -> Check:
    nbf, exp = payload.get("nbf"), payload.get("exp")
    if isinstance(nbf, (int, float)) and at < nbf:
        return _check("dates", False, "not_yet_valid", "the SD-JWT VC is not valid yet (nbf)")
    if isinstance(exp, (int, float)) and at >= exp:
        return _check("dates", False, "expired", "the SD-JWT VC has expired (exp)")
    return _check("dates", True, "ok", "within nbf/exp")


def _status(payload: dict[str, Any], resolver: Any, at: datetime) -> Check:
    status = payload.get("status")
    entries = status.get(STATUS_KEY) if isinstance(status, dict) else None
    if entries is None:
        return _check("status", True, "no_status", "the SD-JWT VC has no status entry")

    def verify_list(list_vc: Any) -> tuple[bool, str]:
        failed = [c.message for c in credential_checks(list_vc, resolver, at, with_status=False, with_schema=False)
                  if not c.ok]
        return (not failed), "; ".join(failed)

    messages = []
    for entry in entries if isinstance(entries, list) else [entries]:
        outcome = check_entry(entry, resolver, verify_list)
        if not outcome.ok:
            return _check("status", False, outcome.code, outcome.message)
        messages.append(outcome.message)
    return _check("status", True, "ok", "; ".join(messages))


def _digests(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        if isinstance(value.get("_sd"), list):
            out.update(d for d in value["_sd"] if isinstance(d, str))
        if set(value) == {"..."} and isinstance(value["..."], str):
            out.add(value["..."])
        for item in value.values():
            _digests(item, out)
    elif isinstance(value, list):
        for item in value:
            _digests(item, out)


def _unreferenced(verifier: SDJWTVerifier) -> set[str]:
    """Digests of presented disclosures that neither the signed payload nor another disclosure references."""
    referenced: set[str] = set()
    _digests(verifier._sd_jwt_payload, referenced)  # the library keeps the verified payload only privately
    for decoded in verifier._hash_to_decoded_disclosure.values():
        _digests(decoded[-1], referenced)
    return set(verifier._hash_to_decoded_disclosure) - referenced


def as_document(payload: dict[str, Any]) -> dict[str, Any]:
    """The disclosed claims of an SD-JWT VC shaped as the W3C badge they came from, for display and trust
    (only what was disclosed: an undisclosed alignment or identifier is simply not there)."""
    issuer = payload.get("issuer") if isinstance(payload.get("issuer"), dict) else {}
    subject: dict[str, Any] = {"achievement": payload.get("achievement") or {}}
    for claim in ("identifier", "result"):
        if payload.get(claim):
            subject[claim] = payload[claim]
    document: dict[str, Any] = {
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "id": payload.get("jti"),
        "name": payload.get("name"), "issuer": {**issuer, "id": payload.get("iss")}, "credentialSubject": subject}
    for claim, name in (("nbf", "validFrom"), ("exp", "validUntil")):
        if isinstance(payload.get(claim), (int, float)):
            document[name] = datetime.fromtimestamp(payload[claim], timezone.utc).isoformat().replace("+00:00", "Z")
    return document


def verify_sd_jwt_vc(token: str, resolver: Any, *, at: float | None = None) -> tuple[VerificationResult, dict]:
    """Verify an SD-JWT VC as issued (no key binding JWT): (result, the payload with disclosed claims)."""
    moment = time.time() if at is None else at
    try:
        header = parse_jwt(token.split("~", 1)[0])[0]
    except VcError as exc:
        return VerificationResult(False, [_check("format", False, exc.code, str(exc))], "sd-jwt"), {}
    if header.get("typ") != SD_JWT_VC_TYP:
        return VerificationResult(False, [_check("format", False, "wrong_typ", "typ must be dc+sd-jwt")], "sd-jwt"), {}
    found: dict[str, str] = {}

    def issuer_key(iss: str | None, jose_header: dict[str, Any]) -> JWK:
        _, public, controller = resolver.verification_method(jose_header.get("kid"), "assertionMethod")
        found["controller"] = controller
        if iss != controller:
            raise ResolutionError(f"the SD-JWT's iss {iss!r} is not the controller of its key ({controller})")
        return JWK.from_json(json.dumps(public.jwk()))

    try:
        verifier = SDJWTVerifier(token, issuer_key)
        payload = verifier.get_verified_payload()
    except ResolutionError as exc:
        return VerificationResult(False, [_check("issuer", False, exc.code, str(exc))], "sd-jwt"), {}
    except Exception as exc:  # noqa: BLE001 - jwcrypto/sd-jwt raise many kinds: all mean "does not verify"
        return VerificationResult(False, [_check("proof", False, "invalid_sd_jwt",
                                                 f"signature or disclosures do not verify ({type(exc).__name__}: {exc})")],
                                  "sd-jwt"), {}
    stray = _unreferenced(verifier)
    if stray:  # RFC 9901 section 7.1: the library leaves these out silently; a verifier must refuse them
        return VerificationResult(False, [_check("proof", False, "disclosure_not_referenced",
                                                 f"{len(stray)} disclosure(s) are not referenced by the signed payload")],
                                  "sd-jwt"), {}
    checks = [_check("proof", True, "ok", f"issuer signature and every disclosure verify ({header.get('kid')})"),
              _check("issuer", True, "ok", f"signed by {found['controller']}"),
              _times(payload, moment),
              _status(payload, resolver, datetime.fromtimestamp(moment, timezone.utc))]
    return VerificationResult(all(c.ok for c in checks), checks, "sd-jwt"), payload
