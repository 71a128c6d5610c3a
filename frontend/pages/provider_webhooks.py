"""Pages: a provider's webhooks (organization admins): add an endpoint (its secret shown once), see each
endpoint's delivery log, send a test event, enable/disable, rotate the secret, delete.
``credentials.webhooks.service.WebhookService`` keeps the rules, so the form and the API refuse alike
(an http URL or a private address is a 422 on ``url`` for both)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.access import principal_of
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials.webhooks.models import EVENT_TYPES
from credentials.webhooks.service import WebhookService
from frontend import forms
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.forms import FormData, as_list, form_error_status, redirect, text_of
from frontend.provider_console import ADMIN, BASE, base_of, console
from frontend.rendering import lang_of, page

DEFAULT_EVENTS = ("credential.issued", "credential.revoked", "batch.finished")


def errors_of(exc: DomainError, lang: str) -> dict[str, str]:
    return forms.errors_by_field(exc, lang, "webhooks")


async def list_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                       **extra: Any) -> dict[str, Any]:
    extra.setdefault("errors", {})
    extra.setdefault("values", {"url": "", "description": "", "events": list(DEFAULT_EVENTS)})
    extra.setdefault("created", None)
    endpoints = await WebhookService(db, settings).list(org_id)
    return await console(request, db, org_id, "webhooks", endpoints=endpoints, event_types=EVENT_TYPES,
                         **extra)


async def endpoint_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                           endpoint_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    service = WebhookService(db, settings)
    endpoint = await service.get(org_id, endpoint_id)
    extra.setdefault("secret", None)
    extra.setdefault("notice", None)
    extra.setdefault("errors", {})
    return await console(request, db, org_id, "webhooks", endpoint=endpoint,
                         log=await service.log(org_id, endpoint_id), **extra)


@get(f"{BASE}/webhooks", **ADMIN, include_in_schema=False)
async def webhooks(request: Request, org_id: OrgId, db_session: DbSession, settings: AppSettings) -> Template:
    """The organization's webhook endpoints and the form to add one."""
    return page(request, "provider/webhooks.html", await list_context(request, db_session, settings, org_id))


@post(f"{BASE}/webhooks", **ADMIN, include_in_schema=False)
async def webhook_create(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                         settings: AppSettings) -> Template:
    """Add an endpoint and show its signing secret this once."""
    values = {"url": text_of(data, "url"), "description": text_of(data, "description"),
              "events": as_list(data.get("events"))}
    try:
        endpoint, secret = await WebhookService(db_session, settings).create(
            org_id, values["url"], values["events"], values["description"], principal_of(request).person_id)
    except DomainError as exc:
        context = await list_context(request, db_session, settings, org_id, values=values,
                                     errors=errors_of(exc, lang_of(request)))
        return page(request, "provider/webhooks.html", context, block="webhook_form",
                    status_code=form_error_status(request, exc.status_code))
    context = await list_context(request, db_session, settings, org_id, created={"endpoint": endpoint,
                                                                                 "secret": secret})
    return page(request, "provider/webhooks.html", context, block="webhook_form")


@get(f"{BASE}/webhooks/{{endpoint_id:uuid}}", **ADMIN, include_in_schema=False)
async def webhook_page(request: Request, org_id: OrgId, endpoint_id: FromPath[uuid.UUID],
                       db_session: DbSession, settings: AppSettings) -> Template:
    """One endpoint: its events, state and delivery log (status, duration, attempt, next retry)."""
    context = await endpoint_context(request, db_session, settings, org_id, endpoint_id,
                                     notice=request.query_params.get("done"))
    return page(request, "provider/webhook.html", context, block="delivery_log")


@post(f"{BASE}/webhooks/{{endpoint_id:uuid}}/{{action:str}}", **ADMIN, include_in_schema=False)
async def webhook_action(request: Request, org_id: OrgId, endpoint_id: FromPath[uuid.UUID],
                         action: FromPath[str], data: FormData, db_session: DbSession,
                         settings: AppSettings) -> Response:
    """``test`` (queue a test event), ``enable``, ``disable``, ``rotate`` (a new secret, shown once) or
    ``delete`` (needs the confirmation box)."""
    service = WebhookService(db_session, settings)
    here = f"{base_of(org_id)}/webhooks/{endpoint_id}"
    try:
        if action == "test":
            await service.send_test(org_id, endpoint_id)
        elif action in ("enable", "disable"):
            await service.update(org_id, endpoint_id, {"enabled": action == "enable"})
        elif action == "rotate":
            _, secret = await service.rotate_secret(org_id, endpoint_id)
            return page(request, "provider/webhook.html", await endpoint_context(
                request, db_session, settings, org_id, endpoint_id, secret=secret, notice="rotate"))
        elif action == "delete":
            if text_of(data, "confirm") != "on":
                raise InvalidInput("Tick the box to confirm.", field="confirm")
            await service.delete(org_id, endpoint_id)
            return redirect(request, f"{base_of(org_id)}/webhooks?deleted=1")
        else:
            return redirect(request, here)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        context = await endpoint_context(request, db_session, settings, org_id, endpoint_id,
                                         errors=errors_of(exc, lang_of(request)))
        return page(request, "provider/webhook.html", context,
                    status_code=form_error_status(request, exc.status_code))
    return redirect(request, f"{here}?done={action}")


handlers = [webhooks, webhook_create, webhook_page, webhook_action]
