"""Where the sign-in form sends a person: ``next`` when it is a safe local path, else their console.

The rule is ``accounts.landing``; the remembered choice travels in a cookie (why: frontend/pages/landing.py).
"""

from __future__ import annotations

import uuid

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.landing import landing_of, principal_after_sign_in
from frontend.forms import safe_next

CONSOLE_COOKIE = "skillpass_console"


async def after_sign_in(request: Request, session: AsyncSession, person_id: uuid.UUID,
                        next_path: str | None) -> str:
    """``next`` when it is a safe local path, else the person's landing (their console or the chooser)."""
    wanted = safe_next(next_path, "")
    if wanted:
        return wanted
    principal = await principal_after_sign_in(session, person_id)
    return landing_of(principal, request.cookies.get(CONSOLE_COOKIE))
