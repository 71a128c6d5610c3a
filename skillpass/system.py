"""System routes: health check."""

from __future__ import annotations

from litestar.di import NamedDependency
from litestar import get
from litestar.response import Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access


@get("/health", **access.public(), tags=["system"])
async def health(db_session: NamedDependency[AsyncSession]) -> Response:
    """200 when the database answers, 503 otherwise."""
    try:
        await db_session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return Response({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return Response({"status": "ok", "database": "ok"})


handlers = [health]
