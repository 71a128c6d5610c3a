"""Server-side sessions, stored only when they hold something, whose id changes at sign-in.

Litestar's backend stores every session, an empty one too, for every request; here an empty session
is never stored (an anonymous visitor, ``/health``, a crawler leave no record and get no cookie), an
emptied one is deleted, and API-key requests never get a session cookie. Litestar keeps the id found in
the cookie; a sign-in marks the request with :func:`rotate_session`, and the backend then drops the old
record and stores the session under a new id (no session fixation).

A session that a request read and left as it was is not written again (on PostgreSQL that write is a
committed UPSERT per page view): it is rewritten, which renews its expiry and cookie, only when the
stored copy was written in an earlier ``TOUCH_SECONDS`` window, so a session in use expires about
``max_age`` after its last use, give or take that window. In the database store (PostgreSQL) the
session is read on the request's own database session, so a page view takes one pooled connection.
"""

from __future__ import annotations

import time
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

from accounts.middleware import has_api_key
from core.kvstore import DatabaseStore

_ROTATE = "skillpass.rotate_session"
_NEW_ID = "skillpass.new_session_id"
_LOADED = "skillpass.session_as_loaded"  # (serialized data, touch window) of the stored session
_TOUCHED = "_touched"  # the window the session was written in; kept in the store only, never in scope
TOUCH_SECONDS = 3600


def _window() -> int:
    return int(time.time() // TOUCH_SECONDS)


def rotate_session(connection: ASGIConnection) -> None:
    """Ask for a fresh session id when this response stores the session."""
    connection.scope[_ROTATE] = True  # type: ignore[literal-required]


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection) -> str:
        if connection.scope.get(_ROTATE):
            new_id = connection.scope.get(_NEW_ID)
            if new_id is None:
                new_id = connection.scope[_NEW_ID] = self.generate_session_id()  # type: ignore[literal-required]
            return new_id
        return super().get_session_id(connection)

    async def store_in_message(self, scope_session: ScopeSession, message: Message,
                               connection: ASGIConnection) -> None:
        if has_api_key(connection.scope):
            return
        old_id = connection.cookies.get(self.config.key)
        old_id = old_id if old_id and old_id != "null" else None
        if scope_session is Empty or not scope_session:
            if old_id is not None:
                await self._forget(old_id, message, connection)
            return
        rotating = bool(connection.scope.get(_ROTATE))
        if (not rotating and old_id is not None
                and connection.scope.get(_LOADED) == (self.serialize_data(scope_session), _window())):
            return  # unchanged and written in this window: no write, no new cookie
        if rotating and old_id is not None:
            await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
        await super().store_in_message({**scope_session, _TOUCHED: _window()}, message, connection)

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await self._stored(connection)
        touched = data.pop(_TOUCHED, None)
        if data:
            connection.scope[_LOADED] = (self.serialize_data(data), touched)  # type: ignore[literal-required]
        return data

    async def _stored(self, connection: ASGIConnection) -> dict[str, Any]:
        """The stored session of the cookie; in the database store it is read on the request's own database
        session (its transaction then begins here and ends with the request's, core.db)."""
        session_id = connection.cookies.get(self.config.key)
        if not session_id:
            return {}
        store = self.config.get_store_from_app(connection.scope["app"])
        if isinstance(store, DatabaseStore) and not self.config.renew_on_access:
            data = await store.get_in(store.request_session(connection.scope), session_id)
        else:
            data = await self.get(session_id, store=store)
        return self.deserialize_data(data) if data is not None else {}

    async def _forget(self, session_id: str, message: Message, connection: ASGIConnection) -> None:
        """Delete the stored session and expire its cookie (sign-out, or a session that was emptied)."""
        await self.delete(session_id, store=self.config.get_store_from_app(connection.scope["app"]))
        params = dict(extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys()))
        MutableScopeHeaders.from_message(message).add(
            "Set-Cookie", Cookie(value="null", key=self.config.key, expires=0, **params).to_header(header=""))


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
