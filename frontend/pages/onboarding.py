"""Pages: the learner's first-run path (/welcome): pick a goal, add what you have, see your profile;
skippable, remembered as done (the rule: skills.onboarding)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from frontend.forms import FormData, form_error_status, redirect
from frontend.i18n import translate
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me
from skills import consent, onboarding
from taxonomies.dss import get_taxonomy


async def _context(session: AsyncSession, request: Request, step: str, **extra) -> dict:
    settings = await consent.learner_settings(session, me(request))
    return {"step": step, "roles": get_taxonomy().roles(), "goal": settings.target_role,
            "done": settings.onboarded_at is not None, "explore": onboarding.EXPLORE, "errors": {}, **extra}


@get("/welcome", **SIGNED_IN)
async def welcome_page(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """Step one (a goal), or step two with ``?step=add`` (what to add first)."""
    step = "add" if request.query_params.get("step") == "add" else "goal"
    return page(request, "onboarding/welcome.html", await _context(db_session, request, step))


@post("/welcome/goal", **SIGNED_IN)
async def welcome_goal(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Response:
    """Keep the goal (a DSS role becomes the target role; "explore": none), then on to step two."""
    try:
        await onboarding.set_goal(db_session, me(request), str(data.get("goal", "")))
    except InvalidInput as exc:
        errors = {"goal": translate("onboarding.error.goal", lang_of(request))}
        return page(request, "onboarding/welcome.html", await _context(db_session, request, "goal", errors=errors),
                    status_code=form_error_status(request, exc.status_code))
    return redirect(request, "/welcome?step=add")


@post("/welcome/finish", **SIGNED_IN)
async def welcome_finish(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Response:
    """Finished or skipped: remember it; go to the profile (finish) or the wallet (skip)."""
    await onboarding.finish(db_session, me(request))
    return redirect(request, "/wallet/profile" if data.get("then") == "profile" else "/wallet")


handlers = [welcome_page, welcome_goal, welcome_finish]
