"""authlib's OAuth 2.0 authorization server and resource protector, framed for this platform.

authlib is framework-agnostic and synchronous: ``HttpInput`` carries what it needs of a Litestar request
(read asynchronously first), and every call runs inside ``AsyncSession.run_sync`` so the hooks below read
and write on the request's own transaction. Responses come back as ``OAuthAnswer`` (status, JSON body,
headers); the HTTP layer turns them into Litestar responses.

What authlib decides: request validation, client authentication (``client_secret_basic`` and
``client_secret_post``), PKCE (RFC 7636, S256 only and required), code and refresh grants, revocation
(RFC 7009), the RFC 7592 client configuration protocol (``configuration.py``) and bearer-token checks
(RFC 6750), and every error body (RFC 6749 section 5.2). What we add:
storage (each code and token only as its SHA-256 digest), single use of a code, rotation of refresh tokens.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer, OAuth2Error, OAuth2Request, ResourceProtector
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749.requests import JsonPayload, JsonRequest, OAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator, BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from accounts.oauth import urls
from accounts.oauth.configuration import ClientConfiguration
from accounts.oauth.models import OAuthClient, OAuthCode, OAuthToken
from core.db import utcnow

T = TypeVar("T")
CLIENT_AUTH = ["client_secret_basic", "client_secret_post"]


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class HttpInput:
    """What authlib reads of a request: method, URI, headers (case-insensitive mapping), query and form."""

    method: str
    uri: str
    headers: Mapping[str, str]
    query: dict[str, list[str]] = field(default_factory=dict)
    form: dict[str, list[str]] = field(default_factory=dict)
    json: Any = None  # a JSON body (the RFC 7592 configuration endpoint's PUT)


@dataclass(frozen=True)
class OAuthAnswer:
    """An authlib response: a redirect (302 with ``Location``) or a JSON body with its status."""

    status: int
    body: Any
    headers: dict[str, str]

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


@dataclass(frozen=True)
class BearerGrant:
    """Whose data an access token opens, for which client and scopes."""

    person_id: uuid.UUID
    client_id: str
    scope: str


class BearerRefused(Exception):
    """A bearer token that is missing, unknown, expired, revoked (401) or lacks the scope (403)."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str]) -> None:
        super().__init__(description)
        self.status, self.error, self.description, self.headers = status, error, description, headers


class _Payload(OAuth2Payload):
    def __init__(self, values: dict[str, list[str]]) -> None:
        self._datalist = values
        self._data = {key: items[0] for key, items in values.items() if items}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> dict[str, list[str]]:
        return self._datalist


class _Json(JsonPayload):
    def __init__(self, body: Any) -> None:
        self._data = body if isinstance(body, dict) else {}

    @property
    def data(self) -> dict[str, Any]:
        return self._data


def _first(values: dict[str, list[str]]) -> dict[str, str]:
    return {key: items[0] for key, items in values.items() if items}


class _Request(OAuth2Request):
    def __init__(self, given: HttpInput) -> None:
        super().__init__(given.method, given.uri, headers=given.headers)
        merged: dict[str, list[str]] = {key: list(items) for key, items in given.query.items()}
        for key, items in given.form.items():
            merged.setdefault(key, []).extend(items)
        self.payload = _Payload(merged)
        self._args, self._form = _first(given.query), _first(given.form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _S256Required(CodeChallenge):
    """PKCE on every authorization request, S256 only (``plain`` would let a stolen code be redeemed)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only code_challenge_method=S256 is supported.")
        return super().validate_code_challenge(grant, redirect_uri)


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH

    def save_authorization_code(self, code: str, request: _Request) -> None:
        # An empty redirect_uri means the request named none (the single registered one was used), so the
        # token request need not name it either (RFC 6749 section 4.1.3).
        self.server.session.add(OAuthCode(
            code_hash=sha256_hex(code), client_id=request.client.client_id, person_id=request.user,
            redirect_uri=request.payload.redirect_uri or "", scope=request.scope,
            code_challenge=request.payload.data["code_challenge"],
            expires_at=utcnow() + timedelta(seconds=urls.CODE_SECONDS)))
        self.server.session.flush()

    def query_authorization_code(self, code: str, client: OAuthClient) -> OAuthCode | None:
        row = self.server.session.scalar(select(OAuthCode).where(
            OAuthCode.code_hash == sha256_hex(code), OAuthCode.client_id == client.client_id))
        if row is not None and row.used_at is not None:
            self.server.reused_code_id = row.id  # token_response revokes what it led to
        if row is None or row.used_at is not None or row.expires_at <= utcnow():
            return None
        return row

    def delete_authorization_code(self, authorization_code: OAuthCode) -> None:
        # A conditional update, so two concurrent exchanges of one code cannot both succeed.
        done = self.server.session.execute(
            update(OAuthCode).where(OAuthCode.id == authorization_code.id, OAuthCode.used_at.is_(None))
            .values(used_at=utcnow()))
        if done.rowcount != 1:
            raise InvalidGrantError("The code was already used.")

    def authenticate_user(self, authorization_code: OAuthCode) -> uuid.UUID:
        return authorization_code.person_id


class _RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh hands out a new refresh token

    def authenticate_refresh_token(self, refresh_token: str) -> OAuthToken | None:
        row = self.server.session.scalar(select(OAuthToken).where(OAuthToken.refresh_hash == sha256_hex(refresh_token)))
        if row is not None and row.revoked_at is not None and row.code_id is not None:
            # A rotated-away refresh token presented again was copied: end the whole grant (RFC 9700 4.14.2).
            self.server.reused_code_id = row.code_id
        if row is None or row.revoked_at is not None or row.refresh_expires_at is None \
                or row.refresh_expires_at <= utcnow():
            return None
        return row

    def authenticate_user(self, refresh_token: OAuthToken) -> uuid.UUID:
        return refresh_token.person_id

    def revoke_old_credential(self, refresh_token: OAuthToken) -> None:
        done = self.server.session.execute(
            update(OAuthToken).where(OAuthToken.id == refresh_token.id, OAuthToken.revoked_at.is_(None))
            .values(revoked_at=utcnow()))
        if done.rowcount != 1:
            raise InvalidGrantError("The refresh token was already used.")


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = CLIENT_AUTH

    def query_token(self, token_string: str, token_type_hint: str | None) -> OAuthToken | None:
        digest = sha256_hex(token_string)
        columns = [OAuthToken.access_hash, OAuthToken.refresh_hash]
        if token_type_hint == "refresh_token":
            columns.reverse()
        for column in columns:
            row = self.server.session.scalar(select(OAuthToken).where(column == digest))
            if row is not None:
                return row
        return None

    def revoke_token(self, token: OAuthToken, request: _Request) -> None:
        # Access and refresh token are one row: revoking either ends both.
        token.revoked_at = token.revoked_at or utcnow()
        self.server.session.flush()


class _Server(AuthorizationServer):
    def __init__(self, session: Session) -> None:
        super().__init__(scopes_supported=list(urls.ALL_SCOPES))
        self.session = session
        self.reused_code_id: uuid.UUID | None = None  # a grant to end: its code or a refresh token was replayed
        self.register_token_generator("default", BearerTokenGenerator(
            lambda **_: generate_token(43), lambda **_: generate_token(48),
            lambda client, grant_type: urls.ACCESS_TOKEN_SECONDS))
        self.register_grant(_CodeGrant, [_S256Required(required=True)])
        self.register_grant(_RefreshGrant)
        self.register_endpoint(_Revocation)

    def query_client(self, client_id: Any) -> OAuthClient | None:
        if not isinstance(client_id, str) or len(client_id) > 64:
            return None
        return self.session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))

    def save_token(self, token: dict[str, Any], request: _Request) -> None:
        now = utcnow()
        refresh = token.get("refresh_token")
        # The grant's code, from the exchange itself or carried over from the pair a refresh replaces.
        code_id = request.authorization_code.id if request.authorization_code is not None else \
            (request.refresh_token.code_id if request.refresh_token is not None else None)
        self.session.add(OAuthToken(
            access_hash=sha256_hex(token["access_token"]), refresh_hash=sha256_hex(refresh) if refresh else None,
            client_id=request.client.client_id, person_id=request.user, code_id=code_id,
            scope=token.get("scope", ""),
            access_expires_at=now + timedelta(seconds=token["expires_in"]),
            refresh_expires_at=now + timedelta(seconds=urls.REFRESH_TOKEN_SECONDS) if refresh else None,
            created_at=now))
        self.session.flush()

    def create_json_request(self, request: HttpInput) -> JsonRequest:
        json_request = JsonRequest(request.method, request.uri, request.headers)
        json_request.payload = _Json(request.json)
        return json_request

    def create_oauth2_request(self, request: Any) -> _Request:
        return request if isinstance(request, _Request) else _Request(request)

    def handle_response(self, status: int, body: Any, headers: Any) -> OAuthAnswer:
        return OAuthAnswer(status, body, dict(headers or []))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class _AccessTokens(BearerTokenValidator):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        return self.session.scalar(select(OAuthToken).where(OAuthToken.access_hash == sha256_hex(token_string)))


async def _run(db: AsyncSession, work: Callable[[_Server], T]) -> T:
    return await db.run_sync(lambda session: work(_Server(session)))


@dataclass(frozen=True)
class ConsentRequest:
    """A valid authorization request waiting for the learner's answer: who asks, for what, and the
    parameters the consent form sends back."""

    client_name: str
    client_uri: str
    logo_uri: str | None
    scopes: list[str]
    params: dict[str, str]
    redirect_uri: str  # where the answer goes (checked against the registration)


AUTHORIZE_PARAMS = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                    "code_challenge_method")


async def consent_request(db: AsyncSession, given: HttpInput, person_id: uuid.UUID) -> ConsentRequest | OAuthAnswer:
    """Check an authorization request for a signed-in learner: what to ask them, or authlib's error (a
    redirect to the client when the redirect URI is known to be the client's, a 400 otherwise)."""
    def work(server: _Server) -> ConsentRequest | OAuthAnswer:
        request = _Request(given)
        try:
            grant = server.get_consent_grant(request, end_user=person_id)
        except OAuth2Error as error:
            return server.handle_error_response(request, error)
        client: OAuthClient = grant.client
        return ConsentRequest(client.client_name, client.client_uri, client.logo_uri, request.scope.split(),
                              {k: v for k, v in request.payload.data.items() if k in AUTHORIZE_PARAMS},
                              grant.redirect_uri)
    return await _run(db, work)


async def decide(db: AsyncSession, given: HttpInput, person_id: uuid.UUID, *, approve: bool) -> OAuthAnswer:
    """The learner's answer: a code (approve) or ``access_denied``, as a redirect to the client."""
    def work(server: _Server) -> OAuthAnswer:
        request = _Request(given)
        try:
            grant = server.get_consent_grant(request, end_user=person_id)
        except OAuth2Error as error:
            return server.handle_error_response(request, error)
        return server.create_authorization_response(request, grant_user=person_id if approve else None, grant=grant)
    return await _run(db, work)


async def token_response(db: AsyncSession, given: HttpInput) -> OAuthAnswer:
    """The token endpoint: code exchange (with PKCE) or refresh (rotating). A code presented a second
    time, or a refresh token after it was rotated or revoked, is refused and every token pair of that
    grant is revoked (RFC 6749 section 4.1.2, RFC 9700 section 4.14.2): in a transaction of its own,
    since the refusal rolls the request's transaction back."""
    def work(server: _Server) -> tuple[OAuthAnswer, uuid.UUID | None]:
        return server.create_token_response(_Request(given)), server.reused_code_id

    answer, reused = await _run(db, work)
    if reused is not None:
        async with db.bind.begin() as conn:
            await conn.execute(update(OAuthToken).where(OAuthToken.code_id == reused, OAuthToken.revoked_at.is_(None))
                               .values(revoked_at=utcnow()))
    return answer


async def revocation_response(db: AsyncSession, given: HttpInput) -> OAuthAnswer:
    """The RFC 7009 revocation endpoint (200 for an unknown token too, as the RFC says)."""
    return await _run(db, lambda server: server.create_endpoint_response("revocation", _Request(given)))


async def configuration_response(db: AsyncSession, given: HttpInput, base_url: str) -> OAuthAnswer:
    """The RFC 7592 client configuration endpoint: read, replace or delete the registration named by the
    URI, for the bearer of its registration access token."""
    def work(server: _Server) -> OAuthAnswer:
        server.register_endpoint(ClientConfiguration(base_url=base_url))
        return server.create_endpoint_response(ClientConfiguration.ENDPOINT_NAME, given)
    return await _run(db, work)


async def bearer(db: AsyncSession, given: HttpInput, scope: str) -> BearerGrant:
    """The grant behind ``Authorization: Bearer``, checked for ``scope``; BearerRefused otherwise."""
    def work(session: Session) -> BearerGrant:
        protector = ResourceProtector()
        protector.register_token_validator(_AccessTokens(session))
        try:
            token: OAuthToken = protector.validate_request([scope], _Request(given))
        except OAuth2Error as error:
            status, body, headers = error()
            raise BearerRefused(status, error.error, error.get_error_description() or error.error,
                                dict(headers or [])) from None
        return BearerGrant(token.person_id, token.client_id, token.scope)
    return await db.run_sync(work)
