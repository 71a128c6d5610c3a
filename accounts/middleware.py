"""Puts a :class:`Principal` on every request: from the server-side session or a provider API key.

Never refuses a request itself; route guards (``accounts.access``) decide who may call what.
"""

from __future__ import annotations

import uuid

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from accounts.principal import ANONYMOUS
from accounts.service import AccountService

SESSION_PERSON_KEY = "pid"
LANG_COOKIE = "lang"


def api_key_from_headers(connection: ASGIConnection) -> str | None:
    key = connection.headers.get("x-api-key")
    auth = connection.headers.get("authorization", "")
    if not key and auth.lower().startswith("bearer "):
        key = auth[7:].strip()
    return key or None


class PrincipalMiddleware(AbstractAuthenticationMiddleware):
    """Resolve the caller once per request, on the request's own database session."""

    def __init__(self, app: ASGIApp, alchemy: SQLAlchemyAsyncConfig, **kwargs) -> None:
        super().__init__(app, **kwargs)
        self.alchemy = alchemy

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


def _anonymous(lang: str | None, connection: ASGIConnection):
    if lang is None:
        accept = connection.headers.get("accept-language", "")
        lang = "en" if accept[:2].lower() == "en" else "ja"
    return ANONYMOUS if lang == "ja" else type(ANONYMOUS)(lang=lang)


class CookieCSRFMiddleware(CSRFMiddleware):
    """CSRF protection wherever the browser sends cookies.

    A request without any Cookie header carries no ambient authority (API-key scripts, first JSON
    sign-in from a client), so there is nothing to forge; every cookie-bearing unsafe request must
    carry the token (form field ``_csrf_token`` or header ``x-csrftoken``).
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(name == b"cookie" for name, _ in scope.get("headers") or []):
            if scope["method"] not in self.config.safe_methods:
                await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
