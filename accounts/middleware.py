"""Puts a :class:`Principal` on every request: from the server-side session or a provider API key.

Never refuses a request itself; route guards (``accounts.access``) decide who may call what.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send
from sqlalchemy import or_, select, update

from accounts.models import ApiKey
from accounts.principal import ANONYMOUS, Principal
from accounts.service import AccountService
from core.db import utcnow

log = logging.getLogger("skillpass.accounts")

SESSION_PERSON_KEY = "pid"
LANG_COOKIE = "lang"


def api_key_from_headers(connection: ASGIConnection) -> str | None:
    key = connection.headers.get("x-api-key")
    auth = connection.headers.get("authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    return key or None


def has_api_key(scope: Scope) -> bool:
    """True when the request authenticates with ``X-API-Key`` or ``Authorization: Bearer`` (raw scope)."""
    for name, value in scope.get("headers") or []:
        if name == b"x-api-key" and value.strip():
            return True
        if name == b"authorization" and value[:7].lower() == b"bearer " and value[7:].strip():
            return True
    return False


async def touch_api_key(engine, key_id: uuid.UUID, every: timedelta) -> None:
    """Record that a key was used: at most once per ``every``, in its own short transaction, skipping a
    row another request is writing (PostgreSQL ``SKIP LOCKED``). Never fails the caller."""
    now = utcnow()
    unlocked = (select(ApiKey.id)
                .where(ApiKey.id == key_id, or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at < now - every))
                .with_for_update(skip_locked=True))
    try:
        async with engine.begin() as conn:
            await conn.execute(update(ApiKey).where(ApiKey.id.in_(unlocked)).values(last_used_at=now))
    except Exception:  # noqa: BLE001 - a lost "last used" mark is not worth a failed request
        log.warning("could not record the use of API key %s", key_id, exc_info=True)


class PrincipalMiddleware(AbstractAuthenticationMiddleware):
    """Resolve the caller once per request, on the request's own database session."""

    def __init__(self, app: ASGIApp, alchemy: SQLAlchemyAsyncConfig, touch_every: timedelta = timedelta(minutes=5),
                 **kwargs) -> None:
        super().__init__(app, **kwargs)
        self.alchemy = alchemy
        self.touch_every = touch_every

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)
        # After the response: the request's own connection is back in the pool by now.
        user = scope.get("user")
        if isinstance(user, Principal) and user.api_key_id is not None and _stale(user, self.touch_every):
            await touch_api_key(self.alchemy.get_engine(), user.api_key_id, self.touch_every)

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        lang = connection.cookies.get(LANG_COOKIE)
        lang = lang if lang in ("ja", "en") else None
        api_key = api_key_from_headers(connection)
        session_data = connection.scope.get("session") or {}
        person_id = session_data.get(SESSION_PERSON_KEY) if isinstance(session_data, dict) else None
        if not api_key and not person_id:
            return AuthenticationResult(user=_anonymous(lang, connection), auth=None)
        db = self.alchemy.provide_session(connection.app.state, connection.scope)
        accounts = AccountService(db)
        principal = None
        if api_key:
            principal = await accounts.principal_for_api_key(api_key)
        elif person_id:
            try:
                principal = await accounts.principal_for_person(uuid.UUID(person_id), lang)
            except ValueError:
                principal = None
        return AuthenticationResult(user=principal or _anonymous(lang, connection), auth=None)


def _stale(principal: Principal, every: timedelta) -> bool:
    return principal.api_key_used_at is None or principal.api_key_used_at < utcnow() - every


def _anonymous(lang: str | None, connection: ASGIConnection):
    if lang is None:
        accept = connection.headers.get("accept-language", "")
        lang = "en" if accept[:2].lower() == "en" else "ja"
    return ANONYMOUS if lang == "ja" else type(ANONYMOUS)(lang=lang)


class CookieCSRFMiddleware(CSRFMiddleware):
    """CSRF protection wherever the browser sends cookies.

    A request without any Cookie header carries no ambient authority (API-key scripts, first JSON
    sign-in from a client), so there is nothing to forge; every cookie-bearing unsafe request must
    carry the token (form field ``_csrf_token`` or header ``x-csrftoken``). A request with an API key
    is authenticated by that key alone (the session is ignored; a cross-site page cannot set the
    header), so it is neither checked nor given a CSRF cookie.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and has_api_key(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "http" and not any(name == b"cookie" for name, _ in scope.get("headers") or []):
            if scope["method"] not in self.config.safe_methods:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
