"""HTTP surface of credentials.obv3: the OB 3.0 API (Host) under /ims/ob/v3p0: discovery
(getServiceDescription), getCredentials, upsertCredential, getProfile, putProfile.

The four data endpoints take an OAuth 2.0 bearer token of ``accounts.oauth`` (never a session cookie, so
no CSRF token either) and check its scope per endpoint; every error answers an ``Imsx_StatusInfo`` body
(401 without a working token, 403 without the scope, 400 for bad input), as the spec defines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.oauth import urls
from accounts.oauth.http import http_input
from accounts.oauth.server import BearerGrant, BearerRefused, bearer
from core.errors import DomainError
from core.openapi import json_error_responses
from core.settings import Settings
from credentials.obv3 import service
from credentials.obv3.discovery import API_PREFIX, service_description

TAGS = ["credentials: Open Badges 3.0 API"]
# Bearer tokens only: a cross-site page cannot set the header, and a cookie opens nothing here.
OAUTH = access.public(exclude_from_csrf=True)
MAX_LIMIT = 100
# what imsx() answers: no working token, no scope, bad input, nothing with that id
IMSX_ERRORS = json_error_responses(400, 401, 403, 404, body="an OB 3.0 `Imsx_StatusInfo`")
# upsertCredential and putProfile also list 304 (the spec's "already has a valid representation")
NOT_MODIFIED = {304: ResponseSpec(None, generate_examples=False, description=(
    "Not Modified: the wallet already holds exactly this credential (upsertCredential) or profile "
    "(putProfile); nothing changed, no body."))}
MINOR = {400: "invalid_data", 401: "unauthorizedrequest", 403: "forbidden", 404: "not_found"}


def imsx(status: int, description: str, *, minor: str | None = None, headers: dict[str, str] | None = None) -> Response:
    """An ``Imsx_StatusInfo`` failure body."""
    body = {"imsx_codeMajor": "failure", "imsx_severity": "error", "imsx_description": description,
            "imsx_codeMinor": {"imsx_codeMinorField": [{"imsx_codeMinorFieldName": "TargetEndSystem",
                                                        "imsx_codeMinorFieldValue": minor or MINOR.get(status, "unknown")}]}}
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def _refused(_: Request, exc: BearerRefused) -> Response:
    return imsx(exc.status, exc.description, headers=exc.headers)


def _domain_error(_: Request, exc: DomainError) -> Response:
    status = 404 if exc.status_code == 404 else 400
    return imsx(status, str(exc))


def scoped(scope: str, *, writes: bool = False) -> dict[str, Any]:
    """Route options of an endpoint that needs ``scope``: the grant as the ``grant`` dependency; ``writes``:
    it may answer 304 (upsertCredential, putProfile)."""
    async def provide(request: Request, db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> BearerGrant:
        return await bearer(db_session, await http_input(request, settings), scope)

    return {**OAUTH, "dependencies": {"grant": Provide(provide)}, "responses": {**IMSX_ERRORS, **(NOT_MODIFIED if writes else {})},
            "exception_handlers": {BearerRefused: _refused, DomainError: _domain_error}}


@get(f"{API_PREFIX}/discovery", tags=TAGS, **access.public())
async def discovery(settings: NamedDependency[Settings]) -> Response:
    """The Service Description Document: 1EdTech's OB 3.0 OpenAPI with this server's URLs and OAuth 2.0 scheme."""
    return Response(service_description(settings), media_type="application/json")


def _count(value: str | None, name: str, *, default: int, minimum: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}.")
    return int(value)


def _links(base: str, limit: int, offset: int, total: int, since: str | None = None) -> str:
    def link(at: int, rel: str) -> str:
        params = {"limit": limit, "offset": at, **({"since": since} if since else {})}  # a filter stays on
        return f'<{base}?{urlencode(params)}>; rel="{rel}"'

    last = max(total - 1, 0) // limit * limit
    links = [link(0, "first"), link(last, "last")]
    if offset + limit < total:
        links.append(link(offset + limit, "next"))
    if offset > 0:
        links.append(link(max(offset - limit, 0), "prev"))
    return ", ".join(links)


@dataclass(frozen=True)
class PageQuery:
    """getCredentials' query parameters, checked."""

    limit: int
    offset: int
    since: datetime | None
    since_text: str | None = None  # as sent, for the Link header


def page_query(query: Any) -> PageQuery | Response:
    """``limit`` (1 to 100, default 100), ``offset`` (from 0) and ``since`` (ISO 8601 with a time zone) of
    a getCredentials request (OB 3.0 and CLR 2.0 alike); the spec's 400 ``invalid_query_parameter``
    Imsx_StatusInfo for a bad one."""
    try:
        limit = min(_count(query.get("limit"), "limit", default=MAX_LIMIT, minimum=1), MAX_LIMIT)
        offset = _count(query.get("offset"), "offset", default=0, minimum=0)
        since = datetime.fromisoformat(query["since"].replace("Z", "+00:00")) if query.get("since") else None
    except ValueError as exc:
        return imsx(400, str(exc) if "must" in str(exc) else "since must be an ISO 8601 date-time.",
                    minor="invalid_query_parameter")
    if since is not None and since.tzinfo is None:
        return imsx(400, "since must carry a time zone (e.g. Z).", minor="invalid_query_parameter")
    return PageQuery(limit, offset, since, query.get("since") or None)


def paged(settings: Settings, prefix: str, asked: PageQuery, body: dict[str, Any], total: int) -> Response:
    """A getCredentials answer with ``X-Total-Count`` and ``Link``."""
    base = settings.base_url.rstrip("/") + prefix + "/credentials"
    links = _links(base, asked.limit, asked.offset, total, asked.since_text)
    return Response(body, media_type="application/json", headers={"X-Total-Count": str(total), "Link": links})


@get(f"{API_PREFIX}/credentials", tags=TAGS, **scoped(urls.CREDENTIAL_READ))
async def get_credentials(request: Request, grant: NamedDependency[BearerGrant], db_session: NamedDependency[AsyncSession],
                          settings: NamedDependency[Settings]) -> Response:
    """getCredentials: the learner's credentials, ``limit`` (at most 100) per page from ``offset``, received
    at or after ``since``, with ``X-Total-Count`` and ``Link`` (first, last, next, prev)."""
    asked = page_query(request.query_params)
    if isinstance(asked, Response):
        return asked
    found = await service.credentials_page(db_session, settings, grant.person_id, limit=asked.limit,
                                           offset=asked.offset, since=asked.since)
    return paged(settings, API_PREFIX, asked, found.body, found.total)


@post(f"{API_PREFIX}/credentials", tags=TAGS, **scoped(urls.CREDENTIAL_UPSERT, writes=True))
async def upsert_credential(request: Request, grant: NamedDependency[BearerGrant], db_session: NamedDependency[AsyncSession],
                            settings: NamedDependency[Settings]) -> Response:
    """upsertCredential: a compact JWS (``text/plain``) or a Data Integrity credential (``application/json``),
    verified before it is kept; 201 when new, 200 when it replaced the held credential with its ``id``, 304
    when the wallet already held exactly this credential."""
    raw = await upsert_body(request, "a credential")
    if isinstance(raw, Response):
        return raw
    _, outcome = await service.upsert(db_session, settings, grant.person_id, raw)
    return upserted(raw, outcome)


async def upsert_body(request: Request, what: str) -> Any:
    """An upsertCredential body: ``application/json`` parsed, or ``text/plain`` (a compact JWS) as text;
    else the spec's 400 as an Imsx_StatusInfo response (shared with the CLR 2.0 API)."""
    media = request.content_type[0]
    raw: Any = await request.body()
    if media == "application/json":
        try:
            return json.loads(raw)
        except ValueError:
            return imsx(400, "The body is not JSON.")
    if media == "text/plain":
        return raw.decode("utf-8", errors="replace").strip()
    return imsx(400, f"Send application/json ({what}) or text/plain (a compact JWS).")


def upserted(raw: Any, outcome: str) -> Response:
    """The stored credential echoed in its own form: 201 when new, 200 when it replaced one; 304 without a
    body (RFC 9110 section 15.4.5: a 304 has no content) when the wallet already held exactly this one."""
    if outcome == service.UNCHANGED:
        return Response(b"", status_code=304)
    return Response(raw, status_code=201 if outcome == service.CREATED else 200,
                    media_type="text/plain" if isinstance(raw, str) else "application/json")


def profile_answer(profile: dict[str, Any], changed: bool) -> Response:
    """putProfile's answer: 200 with the profile, or 304 without a body when nothing changed."""
    if not changed:
        return Response(b"", status_code=304)
    return Response(profile, media_type="application/json")


@get(f"{API_PREFIX}/profile", tags=TAGS, **scoped(urls.PROFILE_READ))
async def get_profile(grant: NamedDependency[BearerGrant], db_session: NamedDependency[AsyncSession]) -> Response:
    """getProfile: the learner as an OB ``Profile`` (id, name, email)."""
    return Response(await service.get_profile(db_session, grant.person_id), media_type="application/json")


@put(f"{API_PREFIX}/profile", tags=TAGS, **scoped(urls.PROFILE_UPDATE, writes=True))
async def put_profile(request: Request, grant: NamedDependency[BearerGrant], db_session: NamedDependency[AsyncSession]) -> Response:
    """putProfile: change the learner's name; answers the profile as it now is (304 when it was already so)."""
    try:
        body = await request.json()
    except Exception:  # noqa: BLE001 - any unreadable body is the client's error
        return imsx(400, "The body is not JSON.")
    return profile_answer(*await service.put_profile(db_session, grant.person_id, body))


handlers = [discovery, get_credentials, upsert_credential, get_profile, put_profile]
