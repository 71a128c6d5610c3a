"""Puts a :class:`Principal` on every request: from the server-side session or a provider API key.

Never refuses a request itself; route guards (``accounts.access``) decide who may call what.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import uuid
from datetime import timedelta
from secrets import compare_digest

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState
from sqlalchemy import or_, select, update

from accounts import throttle
from accounts.models import ApiKey
from accounts.principal import ANONYMOUS, Principal
from accounts.service import AccountService
from core.db import utcnow

log = logging.getLogger("skillpass.accounts")

SESSION_PERSON_KEY = "pid"
SESSION_GENERATION_KEY = "gen"  # the person's session_generation at sign-in (absent: 0)
CSRF_SESSION_KEY = "csrf"
LOGIN_FORM_OPT = "login_form"
THROTTLE_OPT = "throttle"  # a route's attempts are counted (see THROTTLES)
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
                principal = await accounts.principal_for_person(uuid.UUID(person_id), lang,
                                                                generation=session_data.get(SESSION_GENERATION_KEY, 0))
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
    """CSRF protection with the token bound to the server-side session, and the per-route throttles.

    Every stored session holds a random CSRF secret (kept across sign-in, gone with the session);
    the token is its HMAC, put into forms, ``<body hx-headers>`` and the ``skillpass_csrf`` cookie (for
    scripts). An unsafe request on a session must carry the token (form field ``_csrf_token`` or header
    ``x-csrftoken``), whether or not it sends cookies. Without a session there is no ambient authority
    to forge, except for sign-in and sign-up (routes with ``opt[LOGIN_FORM_OPT]``): those always need a
    token, so a cross-site page cannot sign a victim into the attacker's account. The pages that render
    these forms (same opt, safe method) start a pre-session holding only the CSRF secret; every other
    anonymous request stores nothing. A request with an API key is authenticated by that key alone (a
    cross-site page cannot set the header), so it is neither checked nor given a cookie.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or has_api_key(scope):
            await self.app(scope, receive, send)
            return
        await throttle_route(scope)
        if should_bypass_middleware(scope=scope, scopes=self.scopes, exclude_opt_key=self.config.exclude_from_csrf_key,
                                    exclude_path_pattern=self.exclude):
            await self.app(scope, receive, send)
            return
        session = scope.get("session")
        session = session if isinstance(session, dict) else {}
        login_form = bool(scope["route_handler"].opt.get(LOGIN_FORM_OPT))
        secret = session.get(CSRF_SESSION_KEY)
        state = ScopeState.from_scope(scope)
        if scope["method"] in self.config.safe_methods:
            if secret is None and (login_form or session):  # a form page, or a session stored before secrets
                secret = session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)
                scope["session"] = session
        elif secret is not None or login_form or session.get(SESSION_PERSON_KEY):
            submitted = await self._submitted_token(scope, receive)
            if secret is None or not submitted or not compare_digest(submitted, self.token_of(secret)):
                raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = self.token_of(secret) if secret else ""
        await self.app(scope, receive, self._send_with_cookie(scope, send, secret))

    def token_of(self, secret: str) -> str:
        return hmac.new(self.config.secret.encode(), secret.encode(), hashlib.sha256).hexdigest()

    async def _submitted_token(self, scope: Scope, receive: Receive) -> str | None:
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        token = request.headers.get(self.config.header_name)
        if not token and request.content_type[0] in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
            token = (await request.form()).get("_csrf_token")
        return token if isinstance(token, str) else None

    def _send_with_cookie(self, scope: Scope, send: Send, secret_before: str | None) -> Send:
        """Carry the secret into a session that was replaced (sign-in stores a new session under a new id),
        and keep the cookie equal to the session's token (expired when there is no session)."""
        cookies = scope["litestar_app"].request_class(scope=scope).cookies
        current = cookies.get(self.config.cookie_name)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = scope.get("session")
                token = ""
                if isinstance(session, dict) and session:
                    if CSRF_SESSION_KEY not in session:
                        session[CSRF_SESSION_KEY] = secret_before or secrets.token_urlsafe(32)
                    token = self.token_of(session[CSRF_SESSION_KEY])
                if token != (current or ""):
                    self._set_cookie(message, token)
            await send(message)

        return send_wrapper

    def _set_cookie(self, message: Message, token: str) -> None:
        cookie = Cookie(key=self.config.cookie_name, value=token or "null", path=self.config.cookie_path,
                        secure=self.config.cookie_secure, httponly=self.config.cookie_httponly,
                        samesite=self.config.cookie_samesite, domain=self.config.cookie_domain,
                        expires=None if token else 0)
        MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))


async def throttle_route(scope: Scope) -> None:
    """Count an attempt on a route that declares ``throttle="verify" | "code_entry"`` in its access opt
    (public verify, code entry): 429 with Retry-After when over."""
    declared = scope["route_handler"].opt.get(THROTTLE_OPT) if scope.get("route_handler") else None
    if declared is None:
        return
    limits = THROTTLES[declared]
    person_limit, address_limit = limits
    session = scope.get("session")
    person = session.get(SESSION_PERSON_KEY) if isinstance(session, dict) else None
    client = scope.get("client")
    hits = [(address_limit, client[0] if client else "unknown")]
    if person:
        hits.insert(0, (person_limit, person))
    await throttle.release_connection(throttle.request_session(scope))
    await throttle.take(throttle.request_engine(scope), hits, "Too many attempts. Try again later.")


THROTTLES = {"verify": throttle.VERIFY, "code_entry": throttle.CODE_ENTRY}
