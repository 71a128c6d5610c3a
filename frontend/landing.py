"""Where the sign-in form sends a person: ``next`` when it is a safe local path, else their console; a
learner who has not yet finished or skipped the first-run path goes to it (/welcome) instead of the wallet.

The rule is ``accounts.landing``; the remembered choice travels in a cookie (why: frontend/pages/landing.py).
"""

from __future__ import annotations

import uuid

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.landing import WALLET, landing_of, principal_after_sign_in
from frontend.forms import safe_next
from skills import onboarding

CONSOLE_COOKIE = "skillpass_console"
WELCOME = "/welcome"


async def after_sign_in(request: Request, session: AsyncSession, person_id: uuid.UUID,
                        next_path: str | None) -> str:
    """``next`` when it is a safe local path, else the person's landing (their console or the chooser);
    the wallet's place is taken by /welcome until the first-run path is done. Providers, employers and
    admins keep their console: the first-run path is the learner's."""
    wanted = safe_next(next_path, "")
    if wanted:
        return wanted
    principal = await principal_after_sign_in(session, person_id)
    landing = landing_of(principal, request.cookies.get(CONSOLE_COOKIE))
    if landing == WALLET and not await onboarding.is_done(session, person_id):
        return WELCOME
    return landing
