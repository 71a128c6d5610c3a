"""What every page of the training provider's console shares: its routes' base and access, the
console context (organization, tab, whether the viewer is an admin) and errors in the reader's language."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response
from litestar.background_tasks import BackgroundTask
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.service import AccountService
from core.errors import DomainError
from frontend import forms
from frontend.consoles import is_org_admin

BASE = "/provider/{org_id:uuid}"
MEMBER = access.org_member("provider")
ADMIN = access.org_member("provider", admin_only=True)
PER_PAGE = 20


def base_of(org_id: uuid.UUID) -> str:
    return f"/provider/{org_id}"


def error_text(field: str, message: str, lang: str) -> str:
    """Our wording for a field's error when we have one (the services speak English)."""
    return forms.error_text("provider", field, message, lang)


def translated_errors(errors: list[dict[str, Any]] | None, lang: str) -> list[tuple[str, str]]:
    """(field, message in ``lang``) for each error a service stored."""
    pairs = [(str(e.get("field", "")), str(e.get("message", ""))) for e in errors or []]
    return [(field, error_text(field, message, lang)) for field, message in pairs]


def errors_by_field(exc: DomainError, lang: str, default_field: str = "form") -> dict[str, str]:
    return forms.errors_by_field(exc, lang, "provider", default_field)


async def console(request: Request, db: AsyncSession, org_id: uuid.UUID, tab: str,
                  **extra: Any) -> dict[str, Any]:
    """What every console page needs: the organization, the active tab, whether the viewer is an admin."""
    org = await AccountService(db).get_org(org_id)
    return {"org": org, "base": base_of(org_id), "tab": tab, "is_admin": is_org_admin(request, org_id),
            **extra}


def with_background(response: Response, task: BackgroundTask) -> Response:
    response.background = task
    return response
