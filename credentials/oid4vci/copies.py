"""The copy of an issued credential that a wallet receives: the same badge, status entries and
evidence, its subject bound to the wallet's holder DID, signed again with the original issuer's key."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.issuers import IssuerService
from credentials.models import IssuedCredential, Issuer
from credentials.oid4vci import metadata
from credentials.vc import sign_credential


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


async def signed_copy(session: AsyncSession, settings: Settings, credential: IssuedCredential, holder_did: str,
                      copy_id: uuid.UUID, configuration_id: str) -> dict[str, Any] | str:
    """Sign the bound copy in the configuration's format: a Data Integrity document or a VC-JWT."""
    issuers = IssuerService(session, settings)
    issuer = await session.get(Issuer, credential.issuer_id)
    key, method = await issuers.signing_key(issuer)
    document = bound_document(credential.document, holder_did=holder_did, copy_id=copy_id, issuer_did=issuer.did)
    suite = "vc-jwt" if configuration_id == metadata.JWT_VC_JSON else "eddsa-rdfc-2022"
    # canonicalization is CPU work: off the event loop, as verification is
    return await anyio.to_thread.run_sync(
        lambda: sign_credential(document, key, verification_method=method, suite=suite))
