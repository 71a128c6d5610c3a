"""Domain errors: raised by services, mapped once to HTTP (see ``core.problems``)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status_code = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, *, field: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra or {}


class NotFound(DomainError):
    status_code = 404
    title = "Not found"
    type_slug = "not-found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"
    type_slug = "conflict"


class PermissionDenied(DomainError):
    status_code = 403
    title = "Forbidden"
    type_slug = "forbidden"


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Sign-in required"
    type_slug = "not-authenticated"


class InvalidInput(DomainError):
    """Input that parsed but is not acceptable; ``errors`` lists each field at fault."""

    status_code = 422
    title = "Invalid input"
    type_slug = "invalid-input"

    def __init__(self, detail: str, *, field: str | None = None, errors: list[dict[str, Any]] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail, field=field, extra=extra)
        self.errors = errors or ([{"field": field, "message": detail}] if field else [])


class TooLarge(DomainError):
    status_code = 413
    title = "Payload too large"
    type_slug = "too-large"


class RateLimited(DomainError):
    status_code = 429
    title = "Too many requests"
    type_slug = "rate-limited"
