"""Server-side sessions whose id changes when someone signs in (no session fixation).

Litestar's backend keeps the id found in the cookie; a sign-in marks the request with
:func:`rotate_session`, and the backend then drops the old record and stores the session under a new id.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Message, ScopeSession

_ROTATE = "skillpass.rotate_session"
_NEW_ID = "skillpass.new_session_id"


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
        old_id = connection.cookies.get(self.config.key)
        if connection.scope.get(_ROTATE) and old_id and old_id != "null":
            await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
