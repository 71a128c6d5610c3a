"""Pathways: the provider console defines and lists them (the same domain function as the provider
API); the learner sees progress on each pathway relevant to them and the badge it awarded."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.pathways import service
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.forms import FormData, as_list, as_uuid, errors_by_field, form_error_status, redirect, text_of
from frontend.provider_console import BASE, MEMBER, base_of, console
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me
from skills.consent import learner_settings
from taxonomies.dss import get_taxonomy


async def _console(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                   values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    achievements = await AchievementService(db, settings).list(org_id)
    return await console(request, db, org_id, "pathways", achievements=achievements,
                         pathways=await service.list_pathways(db, org_id), roles=get_taxonomy().roles("2.0"),
                         values=values, errors=errors)


@get(f"{BASE}/pathways", **MEMBER, include_in_schema=False)
async def pathways_console(request: Request, org_id: OrgId, db_session: DbSession, settings: AppSettings) -> Template:
    """The organization's pathways and the form for a new one."""
    context = await _console(request, db_session, settings, org_id, {"ordered": "on"}, {})
    return page(request, "pathways/console.html", context)


def pathway_from_form(data: dict[str, Any]) -> service.PathwayIn:
    """The chosen achievements (in the order listed) as steps, each with its optional group."""
    steps = [service.StepIn(a, text_of(data, f"group_{a}")) for a in filter(None, map(as_uuid, as_list(data.get("steps"))))]
    return service.PathwayIn(name_ja=text_of(data, "name_ja"), name_en=text_of(data, "name_en"),
                             description_ja=text_of(data, "description_ja"),
                             description_en=text_of(data, "description_en"),
                             ordered=data.get("ordered") == "on", role_id=text_of(data, "role_id") or None,
                             badge_achievement_id=as_uuid(data.get("badge_achievement_id")) or uuid.UUID(int=0),
                             steps=steps)


@post(f"{BASE}/pathways", **MEMBER, include_in_schema=False)
async def pathways_create(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                          settings: AppSettings) -> Response:
    """Create a pathway; errors show next to their fields."""
    try:
        await service.create_pathway(db_session, settings, org_id, pathway_from_form(data))
    except DomainError as exc:
        values = {k: v for k, v in data.items() if k != "_csrf_token"}
        values["steps"] = as_list(data.get("steps"))
        context = await _console(request, db_session, settings, org_id, values,
                                 errors_by_field(exc, lang_of(request), "pathways"))
        return page(request, "pathways/console.html", context, status_code=form_error_status(request, 422))
    return redirect(request, f"{base_of(org_id)}/pathways")


@get("/wallet/pathways", **SIGNED_IN)
async def learner_pathways(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """Progress on each pathway relevant to me (a step held, or aligned to my goal role)."""
    person = me(request)
    goal = (await learner_settings(db_session, person)).target_role
    found = await service.learner_pathways(db_session, person, target_role=goal)
    return page(request, "pathways/learner.html", {"pathways": found})


handlers: list = [pathways_console, pathways_create, learner_pathways]
