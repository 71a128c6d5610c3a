"""System routes: health check."""

from __future__ import annotations

import logging

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Response
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.problems import PROBLEM_JSON

log = logging.getLogger("skillpass.health")


@get("/health", **access.public(), tags=["system"])
async def health(request: Request, db_session: NamedDependency[AsyncSession]) -> Response:
    """200 when the database answers; 503 with a problem document otherwise."""
    try:
        await db_session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        problem = {"type": "/problems/database-unavailable", "title": "Service unavailable", "status": 503,
                   "detail": "The database does not answer.", "instance": request.url.path}
        return Response(problem, status_code=503, media_type=PROBLEM_JSON, headers={"Retry-After": "5"})
    return Response({"status": "ok", "database": "ok"})


handlers = [health]
