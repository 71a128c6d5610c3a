"""The copy of an issued credential that a wallet receives: the same badge, status entries and
evidence, its subject bound to the wallet's holder DID, signed again with the original issuer's key.

As an SD-JWT VC (``dc+sd-jwt``) the badge's claims are flattened: the badge and its issuer are always
disclosed; each skill alignment, result description and result, the evidence and the personal claims (the recipient's
email and name identifiers) are selectively disclosable; ``cnf.jwk`` binds the holder key and
``status.bitstring_status_list`` carries the original's status entries.
"""

from __future__ import annotations

import copy
import time
import uuid
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.issuers import IssuerService
from credentials.models import IssuedCredential, Issuer
from credentials.oid4vci import metadata
from credentials.vc import KeyPair, sign_credential
from credentials.vc.proof_jwt import KeyProof
from credentials.vc.sd_jwt import issue_sd_jwt_vc, sd, sd_item
from credentials.vc.verifier import parse_date


def bound_document(original: dict[str, Any], *, holder_did: str, copy_id: uuid.UUID, issuer_did: str) -> dict[str, Any]:
    """The unsigned copy: a new id, ``credentialSubject.id`` = the holder DID, the issuer's current DID,
    and the original's ``credentialStatus`` kept, so revoking the original revokes the copy."""
    document = copy.deepcopy({k: v for k, v in original.items() if k != "proof"})
    document["id"] = f"urn:uuid:{copy_id}"
    subject = document.get("credentialSubject")
    document["credentialSubject"] = {**(subject if isinstance(subject, dict) else {}), "id": holder_did}
    issuer = document.get("issuer")
    document["issuer"] = {**issuer, "id": issuer_did} if isinstance(issuer, dict) else issuer_did
    return document


def _epoch(value: Any) -> int | None:
    moment = parse_date(value)
    return int(moment.timestamp()) if moment else None


def sd_jwt_claims(document: dict[str, Any], *, vct: str, issuer_did: str, copy_id: uuid.UUID) -> dict[str, Any]:
    """The SD-JWT VC claims of a bound copy (``document`` as from :func:`bound_document`)."""
    subject = document.get("credentialSubject") or {}
    achievement = dict(subject.get("achievement") or {})
    alignments = achievement.pop("alignment", None) or []
    descriptions = achievement.pop("resultDescription", None) or []  # each names a skill and its rubric
    issuer = document.get("issuer") if isinstance(document.get("issuer"), dict) else {}
    claims: dict[str, Any] = {
        "vct": vct, "iss": issuer_did, "jti": f"urn:uuid:{copy_id}", "iat": int(time.time()),
        "name": document.get("name"),
        "issuer": {k: issuer[k] for k in ("name", "url") if k in issuer},
        "achievement": {**achievement, "alignment": [sd_item(a) for a in alignments],
                        "resultDescription": [sd_item(d) for d in descriptions]},
    }
    for claim, field in (("nbf", "validFrom"), ("exp", "validUntil")):
        if _epoch(document.get(field)) is not None:
            claims[claim] = _epoch(document.get(field))
    if document.get("awardedDate"):
        claims["awarded_date"] = document["awardedDate"]
    if subject.get("result"):
        claims["result"] = [sd_item(r) for r in subject["result"]]
    if subject.get("identifier"):
        claims[sd("identifier")] = [sd_item(i) for i in subject["identifier"]]
    if document.get("evidence"):
        claims[sd("evidence")] = document["evidence"]
    status = document.get("credentialStatus")
    if status:
        claims["status"] = {"bitstring_status_list": status if isinstance(status, list) else [status]}
    return claims


async def signed_copy(session: AsyncSession, settings: Settings, credential: IssuedCredential, proof: KeyProof,
                      copy_id: uuid.UUID, configuration_id: str) -> dict[str, Any] | str:
    """Sign the bound copy in the configuration's format: Data Integrity, VC-JWT or SD-JWT VC."""
    issuers = IssuerService(session, settings)
    issuer = await session.get(Issuer, credential.issuer_id)
    key, method = await issuers.signing_key(issuer)
    document = bound_document(credential.document, holder_did=proof.holder_did, copy_id=copy_id,
                              issuer_did=issuer.did)
    if configuration_id == metadata.SD_JWT_VC:
        claims = sd_jwt_claims(document, vct=metadata.vct(settings), issuer_did=issuer.did, copy_id=copy_id)
        return _sd_jwt(claims, key, method, proof)
    suite = "vc-jwt" if configuration_id == metadata.JWT_VC_JSON else "eddsa-rdfc-2022"
    # canonicalization is CPU work: off the event loop, as verification is
    return await anyio.to_thread.run_sync(
        lambda: sign_credential(document, key, verification_method=method, suite=suite))


def _sd_jwt(claims: dict[str, Any], key: KeyPair, method: str, proof: KeyProof) -> str:
    return issue_sd_jwt_vc(claims, key, kid=method, holder_jwk=proof.public_key.jwk())
