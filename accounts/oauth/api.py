"""HTTP surface of accounts.oauth for the OB 3.0 API: RFC 7591 dynamic client registration and its RFC 7592
configuration endpoint, the token endpoint (code exchange with PKCE, refresh) and RFC 7009 revocation;
errors as OAuth JSON bodies (registration: problem documents carrying the OAuth members); RFC 8414 metadata."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Request, Response, get, post, route
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.oauth import urls
from accounts.oauth.http import NO_STORE, as_response, http_input
from accounts.oauth.metadata import METADATA_PATH, server_metadata
from accounts.oauth.registration import RegistrationError, register
from accounts.oauth.server import OAuthAnswer, configuration_response, revocation_response, token_response
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
async def register_client(request: Request, db_session: NamedDependency[AsyncSession],
                          settings: NamedDependency[Settings]) -> Response:
    """Dynamic client registration (RFC 7591): the answer holds the client secret, shown only here."""
    try:
        body: Any = await request.json()
    except Exception:
        body = None
    try:
        answer = await register(db_session, body, settings.base_url)
    except RegistrationError as error:
        return _problem(400, "Invalid client metadata", error.code, error.description, {})
    return Response(answer, status_code=201, headers=NO_STORE, media_type="application/json")


def _problem(status: int, title: str, code: str, description: str, headers: dict[str, str]) -> Response:
    """A problem document that also carries RFC 7591's ``error`` / ``error_description`` members."""
    return Response({"type": "about:blank", "title": title, "status": status, "detail": description,
                     "error": code, "error_description": description},
                    status_code=status, headers={**NO_STORE, **headers}, media_type=PROBLEM_JSON)


def _configuration_answer(answer: OAuthAnswer) -> Response:
    if answer.status == 204:
        return Response(content=b"", status_code=204, headers=NO_STORE)
    if answer.status >= 400 and isinstance(answer.body, dict):
        # WWW-Authenticate (RFC 6750) stays on a 401.
        headers = {k: v for k, v in answer.headers.items() if k.lower() == "www-authenticate"}
        title = "Invalid registration access token" if answer.status == 401 else "Invalid client metadata"
        return _problem(answer.status, title, answer.body.get("error", "invalid_request"),
                        answer.body.get("error_description", ""), headers)
    return as_response(answer)


@route(urls.REGISTER_PATH + "/{client_id:str}", http_method=["GET", "PUT", "DELETE"], tags=TAGS, **CLIENT,
       status_code=200, responses=problem_responses(400, 401))
async def client_configuration(request: Request, client_id: FromPath[str],
                               db_session: NamedDependency[AsyncSession],
                               settings: NamedDependency[Settings]) -> Response:
    """Client configuration (RFC 7592) with ``Authorization: Bearer <registration_access_token>``: GET
    reads the registration, PUT replaces it (the body names ``client_id``), DELETE removes the client and
    every token it holds (204). Each read or update answers a new registration access token."""
    given = await http_input(request, settings)
    if request.method == "PUT":
        try:
            given = replace(given, json=await request.json())
        except Exception:
            given = replace(given, json=None)
    return _configuration_answer(await configuration_response(db_session, given, settings.base_url))


@post(urls.TOKEN_PATH, tags=TAGS, **CLIENT, status_code=200, responses=OAUTH_ERRORS)
async def token(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Token endpoint (RFC 6749 section 3.2): ``authorization_code`` with its PKCE verifier, or
    ``refresh_token`` (the old pair is revoked); the client authenticates with HTTP Basic or the form."""
    return as_response(await token_response(db_session, await http_input(request, settings)))


@post(urls.REVOKE_PATH, tags=TAGS, **CLIENT, status_code=200, responses=OAUTH_ERRORS)
async def revoke(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Token revocation (RFC 7009): an access or refresh token of the calling client; its pair ends too."""
    return as_response(await revocation_response(db_session, await http_input(request, settings)))


@get(METADATA_PATH, tags=TAGS, **access.public())
async def authorization_server_metadata(settings: NamedDependency[Settings]) -> dict[str, Any]:
    """RFC 8414 metadata of this OAuth 2.0 server (its revocation endpoint, which OB 3.0's discovery
    does not name; PKCE S256 only; the OB and CLR scopes)."""
    return server_metadata(settings.base_url)


handlers = [register_client, client_configuration, token, revoke, authorization_server_metadata]
