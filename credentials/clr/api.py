"""HTTP surface of credentials.clr: a provider issues a CLR 2.0 transcript (JSON-LD or VC-JWT), lists the
transcripts it issued and revokes one; a learner exports the wallet as a CLR; anyone verifies one. The
CLR 2.0 API for applications (OAuth 2.0) is ``credentials.clr.host``."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.openapi import problem_responses
from core.settings import Settings
from credentials import views
from credentials.clr import host, store
from credentials.clr.models import ClrTranscript
from credentials.clr.service import export_wallet, issue_transcript, verify_transcript
from credentials.schemas import StateChange

TAGS = ["credentials: CLR 2.0"]


class TranscriptIn(BaseModel):
    recipient_email: str = Field(max_length=320, description="the learner whose credentials the transcript bundles")
    lang: Literal["ja", "en"] = "ja"
    format: Literal["ldp", "jwt"] = Field("ldp", description="ldp: eddsa-rdfc-2022 proof; jwt: a VC-JWT")


class TranscriptRead(BaseModel):
    id: uuid.UUID
    credential_id: str
    recipient_email: str
    name: str
    format: str
    achievement_count: int
    state: str
    state_reason: str | None
    created_at: str


def transcript_read(row: ClrTranscript) -> TranscriptRead:
    return TranscriptRead(id=row.id, credential_id=row.credential_uri, recipient_email=row.recipient_email,
                          name=row.name, format=row.format, achievement_count=row.achievement_count,
                          state=row.state, state_reason=row.state_reason,
                          created_at=row.created_at.isoformat())


@post("/api/v1/orgs/{org_id:uuid}/clr", status_code=HTTP_201_CREATED, tags=TAGS,
      responses=problem_responses(404), **access.org_member("provider", api_key=True))
async def issue_clr(org_id: FromPath[uuid.UUID], data: JSONBody[TranscriptIn], db_session: NamedDependency[AsyncSession],
                    settings: NamedDependency[Settings]) -> Response:
    """Issue a signed ClrCredential embedding the learner's active credentials from this organization, each
    with its own proof; kept (listed and revocable) and delivered to the learner's wallet. ``format`` jwt
    answers the compact JWS as ``text/plain``; ``X-Transcript-Id`` names the kept transcript."""
    row = await issue_transcript(db_session, settings, org_id, data.recipient_email, data.lang, data.format)
    headers = {"X-Transcript-Id": str(row.id)}
    if row.jwt:
        return Response(row.jwt, status_code=HTTP_201_CREATED, media_type="text/plain", headers=headers)
    return Response(row.document, status_code=HTTP_201_CREATED, media_type="application/json",
                    headers=headers)


@get("/api/v1/orgs/{org_id:uuid}/clr", tags=TAGS, **access.org_member("provider", api_key=True))
async def list_clr(org_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                   limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> dict[str, Any]:
    """The transcripts this organization issued, newest first (``limit`` at most 200)."""
    rows, total = await store.issued(db_session, org_id, limit=max(1, min(limit, 200)), offset=max(offset, 0))
    return {"total": total, "items": [transcript_read(r).model_dump(mode="json") for r in rows]}


@post("/api/v1/orgs/{org_id:uuid}/clr/{transcript_id:uuid}/revoke", status_code=HTTP_200_OK, tags=TAGS,
      responses=problem_responses(404), **access.org_member("provider", api_key=True, scope="revoke"))
async def revoke_clr(org_id: FromPath[uuid.UUID], transcript_id: FromPath[uuid.UUID],
                     db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                     data: JSONBody[StateChange | None] = None) -> TranscriptRead:
    """Revoke a transcript (final): its bit in the transcripts' status list is set and the list re-signed."""
    row = await store.revoke(db_session, settings, org_id, transcript_id, data.reason if data else None)
    return transcript_read(row)


@get("/api/v1/me/clr", tags=TAGS, responses=problem_responses(404), **access.signed_in())
async def my_clr(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                 lang: FromQuery[Literal["ja", "en"]] = "ja") -> dict[str, Any]:
    """My wallet as a ClrCredential (my accepted JSON-LD credentials, embedded unchanged), signed by the
    platform's issuer key."""
    return await export_wallet(db_session, settings, views.person_id(request), lang)


# Stateless and public like /api/v1/verify.
@post("/api/v1/clr/verify", status_code=HTTP_200_OK, tags=TAGS,
      responses=problem_responses(422, 429), **access.public(exclude_from_csrf=True, throttle="verify"))
async def verify_clr(request: Request, db_session: NamedDependency[AsyncSession],
                     settings: NamedDependency[Settings]) -> dict[str, Any]:
    """Verify a ClrCredential (JSON-LD or VC-JWT): its proof, issuer trust and CLR 2.0 schema, and every
    embedded credential."""
    return await verify_transcript(db_session, settings, views.verification_input(await request.body()))


handlers: list = [issue_clr, list_clr, revoke_clr, my_clr, verify_clr, *host.handlers]
