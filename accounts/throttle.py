"""Throttles: attempts per account and per client address, counted atomically in the database.

Each attempt is counted *before* it is checked (one UPSERT per counter, :func:`core.kvstore.hit_counter`),
so 100 concurrent wrong passwords cannot all be checked: only the first ``attempts`` of them get that
far, the rest answer 429 with ``Retry-After``. A successful sign-in takes its hits back in the
request's own transaction.

The count runs in its own short transaction; the request's own (read-only so far) transaction is
ended first, so a request never holds two connections at once (docs/operations.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from contextlib import nullcontext
from dataclasses import dataclass

from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar import Request
from litestar.di import NamedDependency
from litestar.types import Scope
from litestar.utils.scope.state import ScopeState
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.db import utcnow
from core.errors import RateLimited
from core.kvstore import StoreItem, hit_counter, take_back
from core.settings import Settings

NAMESPACE = "throttle"
# SQLite has one writer and one process: counting one at a time here keeps 100 waiting requests from
# each holding a connection in the database's busy wait (they timed out as "database is locked").
_sqlite_writer: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` per ``window`` seconds for one key (an email, an address, a person)."""

    name: str
    attempts: int
    window: int


def counter_key(limit: Limit, key: str) -> str:
    return f"{limit.name}:{hashlib.sha256(key.strip().lower().encode()).hexdigest()}"


async def release_connection(session: AsyncSession | None) -> None:
    """End the request's transaction before counting; it must not have written anything yet."""
    if session is None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a throttle is taken before the request writes anything")
    await session.rollback()


async def take(engine: AsyncEngine, hits: list[tuple[Limit, str]], message: str) -> None:
    """Count one attempt on every (limit, key); :class:`RateLimited` when any is over its limit."""
    wait = 0
    one_writer = (_sqlite_writer.setdefault(asyncio.get_running_loop(), asyncio.Lock())
                  if engine.dialect.name == "sqlite" else nullcontext())
    async with one_writer, engine.begin() as conn:
        for limit, key in hits:  # always in the caller's order: concurrent requests lock rows alike
            count, left = await hit_counter(conn, NAMESPACE, counter_key(limit, key), limit.window)
            if count > limit.attempts:
                wait = max(wait, left)
    if wait:
        raise RateLimited(message, extra={"retry_after": wait})


def request_engine(scope: Scope) -> AsyncEngine:
    from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin

    return scope["app"].plugins.get(SQLAlchemyPlugin).config[0].get_engine()


def request_session(scope: Scope) -> AsyncSession | None:
    from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin

    return get_aa_scope_state(scope, scope["app"].plugins.get(SQLAlchemyPlugin).config[0].session_scope_key)


class LoginThrottle:
    """Sign-in: failures per email and per client address (one password tried across many emails)."""

    def __init__(self, engine: AsyncEngine, attempts: int, window_seconds: int) -> None:
        self.engine = engine
        self.account = Limit("signin:account", attempts, window_seconds)
        self.address = Limit("signin:address", attempts * 4, window_seconds)

    async def check(self, db: AsyncSession, email: str, client: str) -> None:
        """Count this attempt (before the password is checked); 429 when over either limit."""
        await release_connection(db)
        await take(self.engine, [(self.account, email), (self.address, client)],
                   "Too many sign-in attempts. Try again in a few minutes.")

    async def succeeded(self, db: AsyncSession, email: str, client: str) -> None:
        """The right password: forget the account's failures and take this attempt back from the address."""
        await take_back(db, NAMESPACE, counter_key(self.account, email), forget=True)
        await take_back(db, NAMESPACE, counter_key(self.address, client))


def provide_throttle(request: Request, settings: NamedDependency[Settings]) -> LoginThrottle:
    return LoginThrottle(request_engine(request.scope), settings.login_attempts, settings.login_window_seconds)


SIGN_UP = (Limit("signup:account", 5, 3600), Limit("signup:address", 30, 3600))
PASSWORD_RESET = (Limit("reset:account", 3, 3600), Limit("reset:address", 30, 3600))  # requests (each a mail)
PRE_SESSION = Limit("presession:address", 60, 600)  # sign-in/sign-up forms and GET /api/v1/auth/csrf
# public verify and code entry: the caller's address, and the signed-in person when there is one
VERIFY = (Limit("verify:person", 60, 60), Limit("verify:address", 60, 60))
CODE_ENTRY = (Limit("code:person", 10, 600), Limit("code:address", 30, 600))


async def pre_session_attempt(request: Request, csrf_session_key: str) -> None:
    """Count, per address, a request that starts a new pre-session (a stored session holding only a CSRF
    secret): one whose ``skillpass_csrf`` cookie is not already the token of its session. Over the limit
    the new pre-session is dropped, not stored, and the caller gets 429."""
    token = ScopeState.from_scope(request.scope).csrf_token
    if token and request.cookies.get("skillpass_csrf") == token:
        return  # the session was there before this request: nothing new is stored
    await release_connection(request_session(request.scope))
    try:
        await take(request_engine(request.scope), [(PRE_SESSION, client_of(request))],
                   "Too many new sessions from here. Try again in a few minutes.")
    except RateLimited:
        if set(request.session) <= {csrf_session_key}:
            request.clear_session()
        raise


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def sign_up_attempt(request: Request, db: AsyncSession, email: str, client: str) -> None:
    """Count a sign-up per email and per address; 429 when over either limit."""
    await release_connection(db)
    await take(request_engine(request.scope), [(SIGN_UP[0], email), (SIGN_UP[1], client)],
               "Too many sign-ups from here. Try again later.")


async def sweep_lapsed_counters(engine: AsyncEngine) -> int:
    """Delete the counters whose window has passed (a lapsed counter counts as zero anyway; without
    this, every address and email ever seen kept its row). Returns how many went."""
    table = StoreItem.__table__
    async with engine.begin() as conn:
        gone = await conn.execute(table.delete().where(table.c.namespace == NAMESPACE, table.c.expires_at <= utcnow()))
    return gone.rowcount or 0


async def password_reset_attempt(request: Request, db: AsyncSession, email: str, client: str) -> None:
    """Count a password reset request per email (known or not) and per address; 429 when over either."""
    await release_connection(db)
    await take(request_engine(request.scope), [(PASSWORD_RESET[0], email), (PASSWORD_RESET[1], client)],
               "Too many password reset requests. Try again later.")
