"""The CLR 2.0 API under /ims/clr/v2p0: discovery (getServiceDescription), getCredentials,
upsertCredential, getProfile, putProfile, with the OB 3.0 API's OAuth 2.0 server and error shape
(``Imsx_StatusInfo``), and the CLR scopes. Only ClrCredentials pass here: getCredentials lists the
learner's verified CLRs, upsertCredential takes a CLR (JSON-LD or compact JWS) that validates against the
CLR 2.0 schema and verifies with every embedded credential before it is kept."""

from __future__ import annotations

from litestar import Request, Response, get, post, put
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.oauth import urls
from accounts.oauth.server import BearerGrant
from core.settings import Settings
from credentials.clr import service
from credentials.clr.discovery import API_PREFIX, service_description
from credentials.obv3 import service as ob_service
from credentials.obv3.api import imsx, page_query, paged, profile_answer, scoped, upsert_body, upserted

TAGS = ["credentials: CLR 2.0 API"]


@get(f"{API_PREFIX}/discovery", tags=TAGS, **access.public())
async def clr_discovery(settings: NamedDependency[Settings]) -> Response:
    """The Service Description Document of the CLR 2.0 API (derived from 1EdTech's OB 3.0 OpenAPI)."""
    return Response(service_description(settings), media_type="application/json")


@get(f"{API_PREFIX}/credentials", tags=TAGS, **scoped(urls.CLR_CREDENTIAL_READ))
async def clr_get_credentials(request: Request, grant: NamedDependency[BearerGrant],
                              db_session: NamedDependency[AsyncSession],
                              settings: NamedDependency[Settings]) -> Response:
    """getCredentials: the learner's ClrCredentials, ``limit`` (at most 100) per page from ``offset``,
    received at or after ``since``, with ``X-Total-Count`` and ``Link`` (first, last, next, prev)."""
    asked = page_query(request.query_params)
    if isinstance(asked, Response):
        return asked
    body, total = await service.clr_page(db_session, settings, grant.person_id, limit=asked.limit,
                                         offset=asked.offset, since=asked.since)
    return paged(settings, API_PREFIX, asked, body, total)


@post(f"{API_PREFIX}/credentials", tags=TAGS, **scoped(urls.CLR_CREDENTIAL_UPSERT, writes=True))
async def clr_upsert_credential(request: Request, grant: NamedDependency[BearerGrant],
                                db_session: NamedDependency[AsyncSession],
                                settings: NamedDependency[Settings]) -> Response:
    """upsertCredential: a ClrCredential as JSON (``application/json``) or compact JWS (``text/plain``),
    schema-checked and verified with every embedded credential before it is kept; 201 when new, 200 when
    it replaced the held CLR with its ``id``, 304 when the wallet already held exactly this CLR."""
    raw = await upsert_body(request, "a ClrCredential")
    if isinstance(raw, Response):
        return raw
    service.check_incoming(raw)
    _, outcome = await ob_service.upsert(db_session, settings, grant.person_id, raw)
    return upserted(raw, outcome)


@get(f"{API_PREFIX}/profile", tags=TAGS, **scoped(urls.CLR_PROFILE_READ))
async def clr_get_profile(grant: NamedDependency[BearerGrant],
                          db_session: NamedDependency[AsyncSession]) -> Response:
    """getProfile: the learner as a ``Profile`` (the class CLR 2.0 shares with OB 3.0: id, name, email)."""
    return Response(await ob_service.get_profile(db_session, grant.person_id), media_type="application/json")


@put(f"{API_PREFIX}/profile", tags=TAGS, **scoped(urls.CLR_PROFILE_UPDATE, writes=True))
async def clr_put_profile(request: Request, grant: NamedDependency[BearerGrant],
                          db_session: NamedDependency[AsyncSession]) -> Response:
    """putProfile: change the learner's name; answers the profile as it now is (304 when it was already so)."""
    try:
        body = await request.json()
    except Exception:  # noqa: BLE001 - any unreadable body is the client's error
        return imsx(400, "The body is not JSON.")
    return profile_answer(*await ob_service.put_profile(db_session, grant.person_id, body))


handlers = [clr_discovery, clr_get_credentials, clr_upsert_credential, clr_get_profile, clr_put_profile]
