"""HTTP surface of accounts.oauth: RFC 7591 dynamic client registration for the OB 3.0 API (OAuth error bodies)."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.oauth import urls
from accounts.oauth.registration import RegistrationError, register
from core.openapi import PROBLEM_JSON, problem_responses

TAGS = ["accounts: OAuth 2.0 (OB 3.0 API)"]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Client applications call these without cookies; a registration carries no ambient authority.
CLIENT = access.public(exclude_from_csrf=True)


@post(urls.REGISTER_PATH, tags=TAGS, **CLIENT, status_code=201,
      responses=problem_responses(400))
async def register_client(request: Request, db_session: NamedDependency[AsyncSession]) -> Response:
    """Dynamic client registration (RFC 7591): the answer holds the client secret, shown only here."""
    try:
        body: Any = await request.json()
    except Exception:
        body = None
    try:
        answer = await register(db_session, body)
    except RegistrationError as error:
        # A problem document that also carries RFC 7591's "error" / "error_description" members.
        return Response({"type": "about:blank", "title": "Invalid client metadata", "status": 400,
                         "detail": error.description, "error": error.code, "error_description": error.description},
                        status_code=400, headers=NO_STORE, media_type=PROBLEM_JSON)
    answer["client_id_issued_at"] = int(time.time())
    return Response(answer, status_code=201, headers=NO_STORE, media_type="application/json")


handlers = [register_client]
