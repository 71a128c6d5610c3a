"""Endorsements: an organization issues an OB 3.0 ``EndorsementCredential`` about another organization's
achievement or issuer profile, signed with its own issuer key; listed with the endorser's trust status."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.achievements import achievement_url
from credentials.documents import OB3_CONTEXT, VCDM2_CONTEXT, iso, issuer_profile
from credentials.issuers import IssuerService
from credentials.models import Achievement, Endorsement
from credentials.trust.service import TrustService
from credentials.vc.signing import sign_credential

MAX_COMMENT = 2000


def endorsement_credential(*, credential_id: str, issuer: dict[str, Any], subject_id: str, comment: str,
                           name: str, valid_from: Any) -> dict[str, Any]:
    """An unsigned EndorsementCredential about ``subject_id`` (an achievement URL or an issuer DID)."""
    return {"@context": [VCDM2_CONTEXT, OB3_CONTEXT], "id": credential_id,
            "type": ["VerifiableCredential", "EndorsementCredential"], "name": name, "issuer": issuer,
            "validFrom": iso(valid_from),
            "credentialSubject": {"id": subject_id, "type": ["EndorsementSubject"], "endorsementComment": comment}}


async def endorse(session: AsyncSession, settings: Settings, endorser_org_id: uuid.UUID, *,
                  achievement_id: uuid.UUID | None, issuer_org_id: uuid.UUID | None, comment: str,
                  lang: str = "ja") -> Endorsement:
    """Endorse one achievement or one issuer profile of another organization (never one's own)."""
    comment = (comment or "").strip()
    if not comment or len(comment) > MAX_COMMENT:
        raise InvalidInput(f"Write a comment of 1 to {MAX_COMMENT} characters.", field="comment")
    if (achievement_id is None) == (issuer_org_id is None):
        raise InvalidInput("Endorse either an achievement or an issuer.", field="achievement_id")
    issuers = IssuerService(session, settings)
    if achievement_id is not None:
        achievement = await session.get(Achievement, achievement_id)
        if achievement is None:
            raise NotFound("No such achievement.", field="achievement_id")
        subject_org, subject_id = achievement.org_id, achievement_url(settings, achievement.id)
    else:
        target = await session.get(Organization, issuer_org_id)
        if target is None or target.kind != "provider":
            raise NotFound("No such issuer.", field="issuer_org_id")
        subject_org, subject_id = target.id, (await issuers.for_org(target.id)).did
    if subject_org == endorser_org_id:
        raise InvalidInput("An organization cannot endorse itself.",
                           field="achievement_id" if achievement_id else "issuer_org_id")
    org = await session.get(Organization, endorser_org_id)
    issuer = await issuers.for_org(endorser_org_id)
    key, method = await issuers.signing_key(issuer)
    org_name = org.name_ja if lang == "ja" else org.name_en
    row = Endorsement(endorser_org_id=endorser_org_id, achievement_id=achievement_id, subject_org_id=subject_org,
                      document={})
    unsigned = endorsement_credential(
        credential_id=f"urn:uuid:{row.id}", issuer=issuer_profile(did=issuer.did, name=org_name, url=org.url),
        subject_id=subject_id, comment=comment,
        name=f"{org_name} による推薦" if lang == "ja" else f"Endorsement by {org_name}", valid_from=utcnow())
    row.document = sign_credential(unsigned, key, verification_method=method)
    session.add(row)
    await session.flush()
    return row


async def for_achievement(session: AsyncSession, settings: Settings,
                          achievement_id: uuid.UUID) -> list[dict[str, Any]]:
    """The achievement's endorsements, oldest first, each with its endorser's trust verdict."""
    rows = (await session.execute(select(Endorsement).where(Endorsement.achievement_id == achievement_id)
                                  .order_by(Endorsement.created_at))).scalars().all()
    trust = TrustService(session, settings)
    return [{"id": row.id, "endorser_org_id": row.endorser_org_id, "credential": row.document,
             "trust": (await trust.evaluate(row.document)).to_dict()} for row in rows]
