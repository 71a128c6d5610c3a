"""The platform admin console: organizations by verification state (pending requests first), one
organization's request, domain check and audit log, and the approve / reject / suspend / reinstate forms.

Platform administrators only. The handlers call ``accounts.verification.OrgVerificationService``, the
same rules as ``/api/v1/admin/organizations``.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from accounts.models import VERIFICATION_STATES
from accounts.verification import ADMIN_ACTIONS, REASON_REQUIRED, TRANSITIONS, OrgVerificationService
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from frontend.forms import FormData, errors_by_field, form_error_status, redirect, text_of
from frontend.rendering import lang_of, not_found_page, page

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
ADMIN = access.admin()


def actions_for(state: str) -> list[dict[str, Any]]:
    """The decisions open from ``state``, each saying whether the form needs a reason."""
    return [{"name": a, "reason_required": a in REASON_REQUIRED}
            for a in ADMIN_ACTIONS if TRANSITIONS[a][0] == state]


@get("/admin", **ADMIN, include_in_schema=False)
async def admin_home(request: Request, db_session: DbSession, settings: AppSettings) -> Template:
    """Organizations by verification state, pending requests first (``?state=`` and ``?kind=`` filter)."""
    state = request.query_params.get("state") or None
    kind = request.query_params.get("kind") or None
    state = state if state in VERIFICATION_STATES else None
    kind = kind if kind in ("employer", "provider") else None
    rows = await OrgVerificationService(db_session, settings).list_orgs(state, kind)
    return page(request, "admin/index.html", {"rows": rows, "state": state, "kind": kind,
                                              "states": VERIFICATION_STATES}, block="org_list")


async def detail_context(db: AsyncSession, settings: Settings, org_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    org, row, events = await OrgVerificationService(db, settings).status(org_id)
    extra.setdefault("errors", {})
    extra.setdefault("values", {})
    return {"org": org, "req": row, "events": events, "actions": actions_for(org.verification_state), **extra}


@get("/admin/organizations/{org_id:uuid}", **ADMIN, include_in_schema=False)
async def admin_org(request: Request, org_id: FromPath[uuid.UUID], db_session: DbSession,
                    settings: AppSettings) -> Template:
    """One organization: its request, the domain-check result, the audit log and the decisions open."""
    try:
        context = await detail_context(db_session, settings, org_id)
    except NotFound:
        return not_found_page(request)
    return page(request, "admin/organization.html", context)


@post("/admin/organizations/{org_id:uuid}/check-domain", **ADMIN, include_in_schema=False)
async def admin_check_domain(request: Request, org_id: FromPath[uuid.UUID], db_session: DbSession,
                             settings: AppSettings) -> Response:
    """Run the domain check again (recorded for manual review when outbound requests are off)."""
    await OrgVerificationService(db_session, settings).check_domain(org_id)
    return redirect(request, f"/admin/organizations/{org_id}")


@post("/admin/organizations/{org_id:uuid}/{action:str}", **ADMIN, include_in_schema=False)
async def admin_decide(request: Request, org_id: FromPath[uuid.UUID], action: FromPath[str], data: FormData,
                       db_session: DbSession, settings: AppSettings) -> Response:
    """approve / reject / suspend / reinstate; the form shows the reason's error next to it."""
    note = text_of(data, "note")
    try:
        await OrgVerificationService(db_session, settings).decide(org_id, action, principal_of(request).person_id,
                                                                  note)
    except InvalidInput as exc:
        context = await detail_context(db_session, settings, org_id, failed_action=action, values={"note": note},
                                       errors=errors_by_field(exc, lang_of(request), "verification"))
        return page(request, "admin/organization.html", context, status_code=form_error_status(request, 422))
    return redirect(request, f"/admin/organizations/{org_id}")


handlers = [admin_home, admin_org, admin_check_domain, admin_decide]
