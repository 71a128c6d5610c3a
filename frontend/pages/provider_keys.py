"""Pages: a provider's API keys (organization admins): create one with its scopes and expiry and see
it once, list and revoke them, and what a caller needs (the org id, each achievement id, a curl line).
``AccountService`` keeps the rules, so the form and ``POST /api/v1/orgs/{org_id}/api-keys`` refuse alike.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.access import principal_of
from accounts.security import API_KEY_DEFAULT_DAYS, API_KEY_SCOPES
from accounts.service import AccountService
from core.db import utcnow
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials.achievements import AchievementService
from frontend import forms
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.flash import flash
from frontend.forms import FormData, as_list, form_error_status, redirect, text_of
from frontend.pagination import paginate
from frontend.provider_console import ADMIN, BASE, PER_PAGE, base_of, console
from frontend.rendering import lang_of, page

DEFAULT_SCOPES = ("issue", "read", "revoke")  # what the form ticks; webhooks is asked for on purpose
SCOPES_SHOWN = "scopes_shown"  # the form always sends it: no ticked box then means "none", not "default"


def issue_example(base_url: str, org_id: uuid.UUID, achievement_id: uuid.UUID | str) -> str:
    """A curl line that issues one credential with the key in $SKILLPASS_API_KEY (what the key page shows)."""
    body = json.dumps({"achievement_id": str(achievement_id), "recipient_email": "learner@example.jp",
                       "recipient_name": "Hanako Yamada", "lang": "ja"}, ensure_ascii=False)
    return (f'curl -sS -X POST "{base_url.rstrip("/")}/api/v1/orgs/{org_id}/credentials" \\\n'
            '  -H "X-API-Key: $SKILLPASS_API_KEY" \\\n'
            '  -H "Idempotency-Key: first-issue-1" \\\n'
            '  -H "Content-Type: application/json" \\\n'
            f"  -d '{body}'")


def form_values(data: dict[str, Any]) -> tuple[str, list[str], datetime | None, dict[str, Any]]:
    """(name, scopes, expiry, the values to show again) from the form; a date that does not parse is a 422."""
    name = text_of(data, "name")
    scopes = as_list(data.get("scopes")) if data.get(SCOPES_SHOWN) else list(API_KEY_SCOPES)
    raw = text_of(data, "expires_at")
    values = {"name": name, "scopes": scopes, "expires_at": raw}
    if not raw:
        return name, scopes, None, values
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput("Give the expiry as a date (YYYY-MM-DD).", field="expires_at",
                           extra={"values": values}) from exc
    return name, scopes, datetime.combine(day, time(0, 0), tzinfo=timezone.utc), values


def key_errors(exc: DomainError, lang: str) -> dict[str, str]:
    return forms.errors_by_field(exc, lang, "provider" if exc.field == "name" else "apikeys")


async def keys_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                       **extra: Any) -> dict[str, Any]:
    """The key list, and what a caller of the API needs: the org id, each achievement id, an example."""
    keys = await AccountService(db).list_api_keys(org_id)
    listing = paginate(keys, request.query_params.get("page"), per_page=PER_PAGE,
                       path=f"{base_of(org_id)}/api-keys")
    achievements = await AchievementService(db, settings).list(org_id)
    example_id = achievements[0].id if achievements else "ACHIEVEMENT_ID"
    extra.setdefault("errors", {})
    extra.setdefault("new_key", None)
    default_expiry = (utcnow() + timedelta(days=API_KEY_DEFAULT_DAYS)).date().isoformat()
    extra.setdefault("values", {"scopes": list(DEFAULT_SCOPES), "expires_at": default_expiry})
    return await console(request, db, org_id, "keys", keys=listing, achievements=achievements,
                         curl_example=issue_example(settings.base_url, org_id, example_id),
                         all_scopes=API_KEY_SCOPES, now=utcnow(), **extra)


@get(f"{BASE}/api-keys", **ADMIN, include_in_schema=False)
async def api_keys(request: Request, org_id: OrgId, db_session: DbSession, settings: AppSettings) -> Template:
    """The organization's API keys (prefix, scopes, expiry, last use) and how to call the API; admins only."""
    return page(request, "provider/api_keys.html", await keys_context(request, db_session, settings, org_id),
                block="key_list")


@post(f"{BASE}/api-keys", **ADMIN, include_in_schema=False)
async def api_key_create(request: Request, org_id: OrgId, data: FormData,
                         db_session: DbSession, settings: AppSettings) -> Template:
    """Create a key with the chosen scopes and expiry and show it this once (only its hash is kept)."""
    values: dict[str, Any] = {"name": text_of(data, "name"), "scopes": as_list(data.get("scopes")),
                              "expires_at": text_of(data, "expires_at")}
    try:
        name, scopes, expires_at, values = form_values(data)
        key, secret = await AccountService(db_session).create_api_key(
            org_id, name, principal_of(request).person_id, scopes, expires_at)
    except InvalidInput as exc:
        context = await keys_context(request, db_session, settings, org_id, name=values["name"],
                                     values=values, errors=key_errors(exc, lang_of(request)))
        return page(request, "provider/api_keys.html", context, block="api_keys",
                    status_code=form_error_status(request, 422))
    await db_session.flush()
    context = await keys_context(request, db_session, settings, org_id,
                                 new_key={"key": key, "secret": secret})
    return page(request, "provider/api_keys.html", context, block="api_keys")


@post(f"{BASE}/api-keys/{{key_id:uuid}}/revoke", **ADMIN, include_in_schema=False)
async def api_key_revoke(request: Request, org_id: OrgId, key_id: FromPath[uuid.UUID],
                         db_session: DbSession) -> Response:
    """Revoke a key at once; calls with it are refused from now on."""
    await AccountService(db_session).revoke_api_key(org_id, key_id)
    flash(request, "flash.key_revoked")
    return redirect(request, f"{base_of(org_id)}/api-keys")


handlers = [api_keys, api_key_create, api_key_revoke]
