"""HTTP surface of credentials.clr: a provider issues a CLR 2.0 transcript; anyone verifies one."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.openapi import problem_responses
from core.settings import Settings
from credentials import views
from credentials.clr.service import export_wallet, issue_transcript, verify_transcript


class TranscriptIn(BaseModel):
    recipient_email: str = Field(max_length=320, description="the learner whose credentials the transcript bundles")
    lang: Literal["ja", "en"] = "ja"


@post("/api/v1/orgs/{org_id:uuid}/clr", status_code=HTTP_201_CREATED, tags=["credentials: CLR 2.0"],
      **access.org_member("provider", api_key=True))
async def issue_clr(org_id: FromPath[uuid.UUID], data: JSONBody[TranscriptIn], db_session: NamedDependency[AsyncSession],
                    settings: NamedDependency[Settings]) -> dict[str, Any]:
    """Issue a signed ClrCredential (eddsa-rdfc-2022) embedding the learner's active credentials from this
    organization, each with its own proof."""
    return await issue_transcript(db_session, settings, org_id, data.recipient_email, data.lang)


@get("/api/v1/me/clr", tags=["credentials: CLR 2.0"], responses=problem_responses(404), **access.signed_in())
async def my_clr(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                 lang: FromQuery[Literal["ja", "en"]] = "ja") -> dict[str, Any]:
    """My wallet as a ClrCredential (my accepted JSON-LD credentials, embedded unchanged), signed by the
    platform's issuer key."""
    return await export_wallet(db_session, settings, views.person_id(request), lang)


# Stateless and public like /api/v1/verify.
@post("/api/v1/clr/verify", status_code=HTTP_200_OK, tags=["credentials: CLR 2.0"],
      responses=problem_responses(422, 429), **access.public(exclude_from_csrf=True, throttle="verify"))
async def verify_clr(request: Request, db_session: NamedDependency[AsyncSession],
                     settings: NamedDependency[Settings]) -> dict[str, Any]:
    """Verify a ClrCredential: its proof, issuer trust and CLR 2.0 schema, and every embedded credential."""
    return await verify_transcript(db_session, settings, views.verification_input(await request.body()))


handlers: list = [issue_clr, my_clr, verify_clr]
