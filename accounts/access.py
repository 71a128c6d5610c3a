"""Route access declarations: every handler says who may call it.

Use one of these as keyword arguments of a route decorator, e.g. ``@get("/x", **access.public())``.
Each sets ``opt["access"]`` (read by the route-table test) and the guard that enforces it.
Organization-scoped routes take the organization from the ``org_id`` path parameter.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from accounts.principal import ANONYMOUS, Principal
from core.errors import NotAuthenticated, PermissionDenied

ACCESS_OPT = "access"


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


def _org_guard(kind: str, *, admin: bool, allow_api_key: bool):
    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        principal = principal_of(connection)
        if not principal.is_authenticated:
            raise NotAuthenticated("Sign in or send an API key.")
        if principal.api_key_org_id is not None and not allow_api_key:
            raise PermissionDenied("API keys cannot call this route.")
        raw = connection.path_params.get("org_id")
        try:
            org_id = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        except ValueError as exc:
            raise PermissionDenied("Unknown organization.") from exc
        if not principal.can_act_for(org_id, kind, admin=admin):
            raise PermissionDenied("You cannot act for this organization.")

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


def org_member(kind: str, *, admin_only: bool = False, api_key: bool = False, **opt: Any) -> dict[str, Any]:
    """Members of the organization in the ``org_id`` path parameter (``kind`` is employer or provider)."""
    label = f"{kind}:{'admin' if admin_only else 'member'}{'+apikey' if api_key else ''}"
    return {"guards": [_org_guard(kind, admin=admin_only, allow_api_key=api_key)], "opt": {ACCESS_OPT: label, **opt}}
