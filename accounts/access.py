"""Route access declarations: every handler says who may call it.

Use one of these as keyword arguments of a route decorator, e.g. ``@get("/x", **access.public())``.
Each sets ``opt["access"]`` (read by the route-table test) and the guard that enforces it.
Organization-scoped routes take the organization from the ``org_id`` path parameter. A route an API
key may call needs one scope of the key (``API_KEY_SCOPES``): the one it names, else ``read`` for
GET/HEAD and ``issue`` for the rest (``required_scope``, also what the OpenAPI document states).
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from accounts.principal import ANONYMOUS, Principal
from accounts.security import API_KEY_SCOPES
from core.errors import NotAuthenticated, PermissionDenied

ACCESS_OPT = "access"
SCOPE_OPT = "api_scope"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def principal_of(connection: ASGIConnection) -> Principal:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else ANONYMOUS


def _requires_person(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if not principal_of(connection).is_person:
        raise NotAuthenticated("Sign in to continue.")


def _requires_admin(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    principal = principal_of(connection)
    if not principal.is_person:
        raise NotAuthenticated("Sign in to continue.")
    if not principal.is_admin:
        raise PermissionDenied("Platform administrators only.")


def required_scope(opt: dict[str, Any], method: str) -> str | None:
    """The API-key scope a route needs for ``method`` (None: API keys cannot call it)."""
    if not str(opt.get(ACCESS_OPT, "")).endswith("+apikey"):
        return None
    return opt.get(SCOPE_OPT) or ("read" if method.upper() in SAFE_METHODS else "issue")


def _org_guard(kind: str, *, admin: bool, allow_api_key: bool):
    def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        principal = principal_of(connection)
        if not principal.is_authenticated:
            raise NotAuthenticated("Sign in or send an API key.")
        by_key = principal.api_key_org_id is not None
        if by_key and not allow_api_key:
            raise PermissionDenied("API keys cannot call this route.")
        raw = connection.path_params.get("org_id")
        try:
            org_id = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        except ValueError as exc:
            raise PermissionDenied("Unknown organization.") from exc
        # for a key, the scope below is the permission (an admin-only route that takes keys wants its scope)
        if not principal.can_act_for(org_id, kind, admin=admin and not by_key):
            raise PermissionDenied("You cannot act for this organization.")
        if by_key:
            scope = required_scope(handler.opt, connection.scope.get("method", "GET"))
            if scope not in principal.api_key_scopes:
                raise PermissionDenied(f"This API key lacks the scope '{scope}'.",
                                       extra={"missing_scope": scope})

    guard.__name__ = f"requires_{kind}{'_admin' if admin else ''}"
    return guard


def public(**opt: Any) -> dict[str, Any]:
    """Anyone, signed in or not."""
    return {"opt": {ACCESS_OPT: "public", **opt}}


def signed_in(**opt: Any) -> dict[str, Any]:
    """Any signed-in person (learner, employer or provider member)."""
    return {"guards": [_requires_person], "opt": {ACCESS_OPT: "person", **opt}}


def admin(**opt: Any) -> dict[str, Any]:
    """Platform administrators."""
    return {"guards": [_requires_admin], "opt": {ACCESS_OPT: "admin", **opt}}


def org_member(kind: str, *, admin_only: bool = False, api_key: bool = False, scope: str | None = None,
               **opt: Any) -> dict[str, Any]:
    """Members of the organization in the ``org_id`` path parameter (``kind`` is employer or provider);
    with ``api_key``, also its API keys that hold ``scope`` (default: ``read`` for GET, else ``issue``)."""
    if scope is not None and (not api_key or scope not in API_KEY_SCOPES):
        raise ValueError(f"unknown API key scope {scope!r} (or a route API keys cannot call)")
    label = f"{kind}:{'admin' if admin_only else 'member'}{'+apikey' if api_key else ''}"
    extra = {SCOPE_OPT: scope} if scope else {}
    return {"guards": [_org_guard(kind, admin=admin_only, allow_api_key=api_key)],
            "opt": {ACCESS_OPT: label, **extra, **opt}}
