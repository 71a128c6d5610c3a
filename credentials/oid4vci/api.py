"""HTTP surface of OpenID4VCI: the issuer and authorization server metadata, offers by reference, the
token, nonce and credential endpoints (wallet-facing, OAuth error bodies), and the learner's
"send to my wallet app" offer and DID bindings (RFC 9457 problems, like the rest of the API)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.throttle import request_engine
from core.openapi import problem_responses
from core.settings import Settings
from credentials.holders import HolderDidService
from credentials.oid4vci import metadata
from credentials.oid4vci.errors import NO_STORE, OAuthError
from credentials.oid4vci.service import NewOffer, Oid4vciService
from credentials.views import person_id

TAGS = ["credentials: OpenID4VCI"]
# Wallets call these without cookies; they carry their own proof (a code, a token, a key proof).
WALLET = access.public(exclude_from_csrf=True)


class OfferIn(BaseModel):
    tx_code: bool = True


class RecipientOfferIn(OfferIn):
    expires_in_hours: int = Field(default=72, ge=1, le=720)


class OfferRead(BaseModel):
    offer_uri: str
    credential_offer_uri: str
    tx_code: str | None
    expires_at: datetime


def oauth_errors(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI: the OAuth error bodies (``{"error", "error_description"}``) a wallet endpoint answers."""
    return {status: ResponseSpec(data_container=dict[str, str], media_type="application/json",
                                 description="OAuth / OpenID4VCI error", generate_examples=False)
            for status in statuses}


def offer_read(new: NewOffer) -> OfferRead:
    return OfferRead(offer_uri=new.offer_uri, credential_offer_uri=new.credential_offer_uri, tx_code=new.tx_code,
                     expires_at=new.expires_at)


def _json(data: Any) -> Response:
    return Response(data, media_type="application/json", headers=NO_STORE)


@get("/.well-known/openid-credential-issuer", tags=TAGS, **access.public())
async def issuer_metadata(settings: NamedDependency[Settings]) -> Response:
    """Credential issuer metadata (OpenID4VCI 1.0 section 12.2): configurations in ja and en."""
    return Response(metadata.credential_issuer_metadata(settings), media_type="application/json")


@get("/.well-known/oauth-authorization-server", tags=TAGS, **access.public())
async def authorization_server_metadata(settings: NamedDependency[Settings]) -> Response:
    """OAuth authorization server metadata (RFC 8414) for the pre-authorized code grant."""
    return Response(metadata.authorization_server_metadata(settings), media_type="application/json")


@get("/oid4vci/offers/{handle:str}", tags=TAGS, **access.public(), responses=problem_responses(404))
async def credential_offer(handle: FromPath[str], db_session: NamedDependency[AsyncSession],
                           settings: NamedDependency[Settings]) -> Response:
    """The credential offer a ``credential_offer_uri`` points at (while unused and unexpired)."""
    return _json(await Oid4vciService(db_session, settings).offer_document(handle))


@post("/oid4vci/token", tags=TAGS, status_code=HTTP_200_OK, responses=oauth_errors(400), **WALLET)
async def token(request: Request, db_session: NamedDependency[AsyncSession],
                settings: NamedDependency[Settings]) -> Response:
    """Token endpoint: ``grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code``, the code and,
    when the offer has one, ``tx_code`` (form-encoded). Errors are OAuth error responses."""
    try:
        form = dict(await request.form())
        return _json(await Oid4vciService(db_session, settings).token(request_engine(request.scope), form))
    except OAuthError as exc:
        return exc.response()


@post("/oid4vci/nonce", tags=TAGS, status_code=HTTP_200_OK, **WALLET)
async def nonce(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """A fresh ``c_nonce`` for the key proof (valid five minutes, usable once)."""
    return _json(Oid4vciService(db_session, settings).nonce())


@post("/oid4vci/credential", tags=TAGS, status_code=HTTP_200_OK, responses=oauth_errors(400, 401), **WALLET)
async def credential(request: Request, db_session: NamedDependency[AsyncSession],
                     settings: NamedDependency[Settings]) -> Response:
    """Credential endpoint: the access token as Bearer, ``credential_configuration_id`` and one key proof
    (``proofs.jwt``); answers ``{"credentials": [{"credential": ...}]}`` bound to the proof's holder DID."""
    try:
        try:
            body = await request.json()
        except Exception:  # noqa: BLE001 - any unreadable body is the same wallet error
            body = None
        service = Oid4vciService(db_session, settings)
        return _json(await service.credential(request.headers.get("authorization"), body))
    except OAuthError as exc:
        return exc.response()


@post("/api/v1/me/credentials/{held_id:uuid}/oid4vci-offer", tags=["credentials: wallet"],
      status_code=HTTP_201_CREATED, responses=problem_responses(404, 409), **access.signed_in())
async def offer_held(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                     settings: NamedDependency[Settings], data: JSONBody[OfferIn | None] = None) -> OfferRead:
    """Send a credential to my wallet app: an ``openid-credential-offer://`` link (valid 10 minutes, single
    use) and the ``tx_code`` to type into the app (``{"tx_code": false}`` for none)."""
    service = Oid4vciService(db_session, settings)
    wanted = data.tx_code if data is not None else True
    return offer_read(await service.offer_for_held(person_id(request), held_id, tx_code=wanted))


class RecipientOfferRead(OfferRead):
    claim_url: str


class BatchOfferRead(RecipientOfferRead):
    line: int
    credential_id: uuid.UUID
    recipient_email: str


PROVIDER = access.org_member("provider", api_key=True)


@post("/api/v1/orgs/{org_id:uuid}/credentials/{credential_id:uuid}/oid4vci-offer", tags=["credentials: provider"],
      status_code=HTTP_201_CREATED, responses=problem_responses(404, 409),
      **PROVIDER)
async def offer_to_recipient(org_id: FromPath[uuid.UUID], credential_id: FromPath[uuid.UUID],
                             db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                             data: JSONBody[RecipientOfferIn | None] = None) -> RecipientOfferRead:
    """Deliver an issued credential by OpenID4VCI offer: send the recipient ``claim_url`` (a page with the QR
    code and link, single use, ``expires_in_hours``: 72 by default) and, separately, the ``tx_code``."""
    data = data or RecipientOfferIn()
    service = Oid4vciService(db_session, settings)
    new = await service.offer_for_recipient(org_id, credential_id, tx_code=data.tx_code,
                                            lifetime=timedelta(hours=data.expires_in_hours))
    return RecipientOfferRead(**offer_read(new).model_dump(), claim_url=service.claim_url(new))


@post("/api/v1/orgs/{org_id:uuid}/batches/{batch_id:uuid}/oid4vci-offers", tags=["credentials: provider"],
      status_code=HTTP_201_CREATED, responses=problem_responses(404), **PROVIDER)
async def offers_for_batch(org_id: FromPath[uuid.UUID], batch_id: FromPath[uuid.UUID],
                           db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                           data: JSONBody[RecipientOfferIn | None] = None) -> list[BatchOfferRead]:
    """Deliver a batch by offer: one claim page and tx_code per credential the batch issued (revoked ones
    left out), in line order. Each call makes new offers; earlier ones stay valid until used or expired."""
    data = data or RecipientOfferIn()
    service = Oid4vciService(db_session, settings)
    made = await service.offers_for_batch(org_id, batch_id, tx_code=data.tx_code,
                                          lifetime=timedelta(hours=data.expires_in_hours))
    return [BatchOfferRead(**offer_read(new).model_dump(), claim_url=service.claim_url(new), line=line,
                           credential_id=credential.id, recipient_email=credential.recipient_email)
            for line, credential, new in made]


@get("/api/v1/me/dids/bindings", tags=["credentials: wallet"], **access.signed_in())
async def did_bindings(request: Request, db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
    """My DIDs (the one skillpass holds for me, those I registered, my wallet apps' holder DIDs), each with
    the credentials bound to it."""
    return await HolderDidService(db_session, settings).bindings(person_id(request))


handlers: list = [issuer_metadata, authorization_server_metadata, credential_offer, token, nonce, credential,
                  offer_held, offer_to_recipient, offers_for_batch, did_bindings]
