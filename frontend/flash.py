"""Confirmation banners: a page that changed something leaves a message in the session, and the next
full page shows it once in the ``#flash`` region (``role="status"``, so screen readers announce it)."""

from __future__ import annotations

from typing import Any

from litestar import Request

SESSION_KEY = "flash"


def flash(request: Request, key: str, **values: Any) -> None:
    """Leave the message ``key`` (an i18n key, with its values) for the next full page."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[SESSION_KEY] = {"key": key, "values": {k: str(v) for k, v in values.items()}}


def take(request: Request) -> tuple[str, dict[str, str]] | None:
    """The waiting message, removed from the session (so it shows once), or None."""
    session = request.scope.get("session")
    found = session.pop(SESSION_KEY, None) if isinstance(session, dict) else None
    if not isinstance(found, dict) or not isinstance(found.get("key"), str):
        return None
    return found["key"], dict(found.get("values") or {})
