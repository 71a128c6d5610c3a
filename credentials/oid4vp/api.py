"""HTTP surface of OpenID4VP: employers create and read presentation requests (RFC 9457 problems); the
wallet-facing request object (``request_uri``) and response endpoint (``direct_post``, OAuth error bodies)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from core.openapi import problem_responses
from core.settings import Settings
from credentials.oid4vci.api import oauth_errors
from credentials.oid4vci.errors import NO_STORE, OAuthError
from credentials.oid4vp.models import PresentationRequest
from credentials.oid4vp.service import FORMATS, PresentationRequestService, authorization_link, client_id, request_uri

TAGS = ["credentials: OpenID4VP"]
EMPLOYER = access.org_member("employer")
WALLET = access.public(exclude_from_csrf=True)  # wallets post without cookies; the presentation is the proof


class PresentationRequestIn(BaseModel):
    # lengths and choices are the service's rules (422), so that the form and the API refuse alike
    purpose_ja: str
    purpose_en: str
    formats: list[str] = Field(default_factory=lambda: list(FORMATS))
    issuers: list[str] = Field(default_factory=list)
    dss_items: list[str] = Field(default_factory=list)
    expires_in_minutes: int = Field(default=60, ge=5, le=10_080)


class PresentationRequestRead(BaseModel):
    id: uuid.UUID
    status: str
    verified: bool | None
    purpose: dict[str, str]
    wanted: dict[str, Any]
    client_id: str
    request_uri: str
    authorization_request: str
    dcql_query: dict[str, Any]
    result: dict[str, Any] | None
    expires_at: datetime
    answered_at: datetime | None
    created_at: datetime


def request_read(settings: Settings, request: PresentationRequest) -> PresentationRequestRead:
    return PresentationRequestRead(
        id=request.id, status=request.status, verified=request.verified, purpose=request.purpose,
        wanted=request.wanted, client_id=client_id(settings), request_uri=request_uri(settings, request.handle),
        authorization_request=authorization_link(settings, request.handle), dcql_query=request.dcql_query,
        result=request.result, expires_at=request.expires_at, answered_at=request.answered_at,
        created_at=request.created_at)


@post("/api/v1/orgs/{org_id:uuid}/presentation-requests", tags=TAGS, status_code=HTTP_201_CREATED,
      responses=problem_responses(422), **EMPLOYER)
async def create_request(request: Request, org_id: FromPath[uuid.UUID], data: JSONBody[PresentationRequestIn],
                         db_session: NamedDependency[AsyncSession],
                         settings: NamedDependency[Settings]) -> PresentationRequestRead:
    """Ask a wallet for an Open Badges 3.0 credential (DCQL: the formats, DSS items wanted), with a purpose in
    Japanese and English; answers the ``openid4vp://`` link (QR) passing the request by reference."""
    made = await PresentationRequestService(db_session, settings).create(
        org_id, principal_of(request).person_id, purpose_ja=data.purpose_ja, purpose_en=data.purpose_en,
        formats=data.formats, issuers=data.issuers, dss_items=data.dss_items,
        lifetime=timedelta(minutes=data.expires_in_minutes))
    return request_read(settings, made)


@get("/api/v1/orgs/{org_id:uuid}/presentation-requests", tags=TAGS, **EMPLOYER)
async def list_requests(org_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> list[PresentationRequestRead]:
    """The organisation's latest presentation requests (100), newest first."""
    rows = await PresentationRequestService(db_session, settings).list_for_org(org_id)
    return [request_read(settings, row) for row in rows]


@get("/api/v1/orgs/{org_id:uuid}/presentation-requests/{request_id:uuid}", tags=TAGS,
     responses=problem_responses(404), **EMPLOYER)
async def read_request(org_id: FromPath[uuid.UUID], request_id: FromPath[uuid.UUID],
                       db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings]) -> PresentationRequestRead:
    """A presentation request and, once answered, the verdict and what the holder disclosed."""
    return request_read(settings, await PresentationRequestService(db_session, settings).for_org(org_id, request_id))


@get("/oid4vp/requests/{handle:str}", tags=TAGS, responses=problem_responses(404), **access.public())
async def request_object(handle: FromPath[str], db_session: NamedDependency[AsyncSession],
                         settings: NamedDependency[Settings]) -> Response:
    """The signed request object (``application/oauth-authz-req+jwt``) while the request waits for its answer."""
    token = await PresentationRequestService(db_session, settings).request_object(handle)
    return Response(token, media_type="application/oauth-authz-req+jwt", headers=NO_STORE)


@post("/oid4vp/responses/{handle:str}", tags=TAGS, status_code=HTTP_200_OK, responses=oauth_errors(400), **WALLET)
async def direct_post(request: Request, handle: FromPath[str], db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> Response:
    """Response endpoint (``direct_post``, form-encoded ``vp_token`` and ``state``): ``200 {}`` once every
    presentation is bound to this request and verifies; OAuth error ``invalid_request`` otherwise."""
    try:
        form = dict(await request.form())
        await PresentationRequestService(db_session, settings).answer(handle, form)
    except OAuthError as exc:
        return exc.response()
    return Response({}, media_type="application/json", headers=NO_STORE)


handlers: list = [create_request, list_requests, read_request, request_object, direct_post]
