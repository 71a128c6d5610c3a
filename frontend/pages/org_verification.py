"""An organization's verification page in the provider and employer consoles: the state, what it
means, what to do next, the request form (organization admins) and the domain token to publish.

The handlers call ``accounts.verification.OrgVerificationService``, the same rules as
``/api/v1/orgs/{org_id}/verification``.
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
from accounts.verification import DID_PATH, TOKEN_PATH, OrgVerificationService
from core.errors import InvalidInput
from core.settings import Settings
from frontend.consoles import is_org_admin
from frontend.forms import FormData, errors_by_field, form_error_status, redirect, text_of
from frontend.rendering import lang_of, page

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
OrgId = FromPath[uuid.UUID]
FIELDS = ("corporate_number", "domain", "domain_method", "gbiz_id")


def field_errors(exc: InvalidInput, lang: str) -> dict[str, str]:
    """Each field's error in ``lang`` (our wording when we have one, else the service's)."""
    return errors_by_field(exc, lang, "verification")


async def verification_context(request: Request, db: AsyncSession, settings: Settings, kind: str,
                               org_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    org, row, events = await OrgVerificationService(db, settings).status(org_id)
    proof_path = (TOKEN_PATH if row.domain_method == "token" else DID_PATH) if row else TOKEN_PATH
    extra.setdefault("errors", {})
    extra.setdefault("values", {})
    return {"org": org, "req": row, "events": events, "kind": kind, "base": f"/{kind}/{org_id}",
            "layout": f"{kind}/_layout.html", "tab": "verification", "is_admin": is_org_admin(request, org_id),
            "proof_path": proof_path, "fetch_enabled": settings.org_domain_check_fetch, **extra}


async def show(request: Request, db: AsyncSession, settings: Settings, kind: str, org_id: uuid.UUID) -> Template:
    context = await verification_context(request, db, settings, kind, org_id)
    return page(request, "provider/verification.html", context)


async def submit(request: Request, db: AsyncSession, settings: Settings, kind: str, org_id: uuid.UUID,
                 data: dict[str, Any]) -> Response:
    values = {name: text_of(data, name) for name in FIELDS}
    try:
        await OrgVerificationService(db, settings).request(
            org_id, principal_of(request).person_id, values["corporate_number"], values["domain"],
            values["gbiz_id"] or None, values["domain_method"] or "token")
    except InvalidInput as exc:
        context = await verification_context(request, db, settings, kind, org_id, values=values,
                                             errors=field_errors(exc, lang_of(request)))
        return page(request, "provider/verification.html", context, block="verification_form",
                    status_code=form_error_status(request, 422))
    return redirect(request, f"/{kind}/{org_id}/verification")


async def check(request: Request, db: AsyncSession, settings: Settings, kind: str, org_id: uuid.UUID) -> Response:
    await OrgVerificationService(db, settings).check_domain(org_id)
    return redirect(request, f"/{kind}/{org_id}/verification")


def console_handlers(kind: str) -> list:
    """The verification page, its request form and the domain check of one console (provider or employer):
    members see it, organization admins act."""
    path = f"/{kind}/{{org_id:uuid}}/verification"
    admins = access.org_member(kind, admin_only=True)

    @get(path, **access.org_member(kind), include_in_schema=False)
    async def verification_page(request: Request, org_id: OrgId, db_session: DbSession,
                                settings: AppSettings) -> Template:
        """The organization's verification state and what to do next."""
        return await show(request, db_session, settings, kind, org_id)

    @post(path, **admins, include_in_schema=False)
    async def verification_submit(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                                  settings: AppSettings) -> Response:
        """Ask to be verified (organization admins)."""
        return await submit(request, db_session, settings, kind, org_id, data)

    @post(f"{path}/check-domain", **admins, include_in_schema=False)
    async def verification_check(request: Request, org_id: OrgId, db_session: DbSession,
                                 settings: AppSettings) -> Response:
        """Check the published domain proof now."""
        return await check(request, db_session, settings, kind, org_id)

    return [verification_page, verification_submit, verification_check]


handlers = [*console_handlers("provider"), *console_handlers("employer")]
