"""HTTP surface of accounts.oauth for the OB 3.0 API: RFC 7591 dynamic client registration, the token
endpoint (code exchange with PKCE, refresh) and RFC 7009 revocation; errors as OAuth JSON bodies."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.oauth import urls
from accounts.oauth.http import NO_STORE, as_response, http_input
from accounts.oauth.registration import RegistrationError, register
from accounts.oauth.server import revocation_response, token_response
from core.openapi import PROBLEM_JSON, json_error_responses, problem_responses
from core.settings import Settings

TAGS = ["accounts: OAuth 2.0 (OB 3.0 API)"]
# Client applications call these without cookies; a registration carries no ambient authority.
CLIENT = access.public(exclude_from_csrf=True)
# RFC 6749 section 5.2 / RFC 7009: 400 for a bad request or grant, 401 when the client does not authenticate.
OAUTH_ERRORS = json_error_responses(400, 401, body="an OAuth 2.0 error (`error`, `error_description`)")


# Open registration writes a row per call: counted per address like the public verify API (429 when over).
REGISTRATION = access.public(exclude_from_csrf=True, throttle="verify")


@post(urls.REGISTER_PATH, tags=TAGS, **REGISTRATION, status_code=201,
      responses=problem_responses(400, 429))
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


@post(urls.TOKEN_PATH, tags=TAGS, **CLIENT, status_code=200, responses=OAUTH_ERRORS)
async def token(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Token endpoint (RFC 6749 section 3.2): ``authorization_code`` with its PKCE verifier, or
    ``refresh_token`` (the old pair is revoked); the client authenticates with HTTP Basic or the form."""
    return as_response(await token_response(db_session, await http_input(request, settings)))


@post(urls.REVOKE_PATH, tags=TAGS, **CLIENT, status_code=200, responses=OAUTH_ERRORS)
async def revoke(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Token revocation (RFC 7009): an access or refresh token of the calling client; its pair ends too."""
    return as_response(await revocation_response(db_session, await http_input(request, settings)))


handlers = [register_client, token, revoke]
