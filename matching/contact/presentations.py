"""Answering an employer with a verifiable presentation instead of a share link: a contact request or a
job application is answered from the learner's skillpass wallet through OpenID4VP.

The platform makes an OpenID4VP presentation request on behalf of the employer organization (the same
``credentials.oid4vp`` verifier an employer's own requests use, asking for the posting's DSS items when
there is a posting), and the learner's wallet answers it (``WalletPresenter.present``: a fresh copy of
the chosen badge bound to the learner's DID, in SD-JWT with only the chosen skills disclosed). The answer
goes through the verifier's checks (binding to the request's nonce and client id, signatures, status,
issuer trust) before anything is kept; the employer then sees only what the verifier kept: the disclosed
claims and the verdict. Withdrawing deletes that record.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.achievements import base_url
from credentials.models import Achievement
from credentials.oid4vp.holder import WalletPresenter
from credentials.oid4vp.models import PresentationRequest, RequestStatus
from credentials.oid4vp.service import FORMATS, MAX_PURPOSE, PresentationRequestService

LIFETIME = timedelta(minutes=10)  # made and answered in the same request; kept short all the same


async def present_to(session: AsyncSession, settings: Settings, person_id: uuid.UUID, org_id: uuid.UUID, *,
                     asked_by: uuid.UUID | None, purpose: dict[str, str], dss_items: list[str],
                     held_id: uuid.UUID, skill_codes: list[str]) -> PresentationRequest:
    """Make the employer's presentation request and answer it with the learner's chosen badge and skills;
    NotFound / Conflict (nothing kept) when the badge cannot be presented or the verifier refuses."""
    async with session.begin_nested():  # a refused answer leaves no pending request behind
        request = await PresentationRequestService(session, settings).create(
            org_id, asked_by, purpose_ja=purpose["ja"][:MAX_PURPOSE], purpose_en=purpose["en"][:MAX_PURPOSE],
            formats=list(FORMATS), issuers=[], dss_items=list(dss_items), lifetime=LIFETIME)
        return await WalletPresenter(session, settings).present(person_id, request.handle, held_id, skill_codes)


async def presentable(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The learner's badges that can answer with a presentation, each with its skills."""
    return await WalletPresenter(session, settings).presentable(person_id)


async def _names(session: AsyncSession, settings: Settings, achievement: dict[str, Any],
                 trust: dict[str, Any]) -> dict[str, str]:
    """The badge's and the issuer's names in both languages when they are ours (the presented claims carry
    the issuer's one language only); empty otherwise."""
    names: dict[str, str] = {}
    org = (trust.get("issuer") or {}).get("org") or {}
    if org.get("name_ja") and org.get("name_en"):
        names.update(issuer_name_ja=org["name_ja"], issuer_name_en=org["name_en"])
    prefix = f"{base_url(settings)}/achievements/"  # as achievement_url writes our achievements' ids
    found_id = str(achievement.get("id") or "")
    if found_id.startswith(prefix):
        try:
            ours = await session.get(Achievement, uuid.UUID(found_id[len(prefix):]))
        except ValueError:
            ours = None
        if ours is not None:
            names.update(title_ja=ours.name_ja, title_en=ours.name_en)
    return names


async def presented_view(session: AsyncSession, settings: Settings,
                         presentation_request_id: uuid.UUID | None) -> dict[str, Any] | None:
    """What the employer sees of an answered presentation: per credential the badge, its issuer, the
    issuer's trust status, the verdict and the disclosed DSS items; None when there is none."""
    if presentation_request_id is None:
        return None
    request = await session.get(PresentationRequest, presentation_request_id)
    if request is None or request.status != RequestStatus.ANSWERED or not request.result:
        return None
    credentials = []
    for found in request.result.get("credentials") or []:
        claims = found.get("claims") or {}
        achievement = claims.get("achievement") or (claims.get("credentialSubject") or {}).get("achievement") or {}
        issuer = claims.get("issuer")
        issuer_name = issuer.get("name") if isinstance(issuer, dict) else None
        trust = found.get("trust") or {}
        credentials.append({"title": achievement.get("name") or "", "issuer": found.get("issuer"),
                            "issuer_name": issuer_name or found.get("issuer") or "",
                            "verified": bool(found.get("verified")), "trust_status": trust.get("status"),
                            "format": found.get("format"), "dss_items": list(found.get("dss_items") or []),
                            **await _names(session, settings, achievement, trust)})
    return {"presentation": {"id": str(request.id), "verified": bool(request.verified),
                             "answered_at": request.answered_at.isoformat() if request.answered_at else None,
                             "credentials": credentials},
            "credentials": [{"title": c["title"], "issuer_name": c["issuer_name"],
                             "verified": c["verified"] and c["trust_status"] == "trusted"} for c in credentials]}


async def forget(session: AsyncSession, presentation_request_id: uuid.UUID | None) -> None:
    """Delete what a withdrawn answer presented (the employer's copy of the disclosed claims)."""
    if presentation_request_id is None:
        return
    request = await session.get(PresentationRequest, presentation_request_id)
    if request is not None:
        await session.delete(request)
        await session.flush()
