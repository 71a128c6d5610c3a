"""The provider console's credentials: issue one, the issued list (live filters), one credential with
its signed document, and revoke / suspend / reinstate it through ``credentials.revocation`` (the rule
the provider API follows too)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials import revocation
from credentials.achievements import RESULT_STATUSES, AchievementService
from credentials.batches import parse_datetime
from credentials.issuance import IssuanceService, IssueRequest, has_suspension
from credentials.models import CREDENTIAL_STATES
from credentials.oid4vci.service import Oid4vciService
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.flash import flash
from frontend.forms import FormData, as_uuid, form_error_status, redirect, text_of
from frontend.i18n import translate
from frontend.offer_view import NO_STORE, delivered
from frontend.pagination import Page, page_number, page_of
from frontend.provider_console import BASE, MEMBER, PER_PAGE, base_of, console, error_text, errors_by_field
from frontend.rendering import lang_of, page

ISSUE_FIELDS = ("achievement_id", "recipient_email", "recipient_name", "valid_until", "evidence_url",
                "evidence_narrative", "format", "lang", "suspendable", "idempotency_key", "delivery")


async def issue_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                        values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    achievements = await AchievementService(db, settings).list(org_id)
    if len(achievements) == 1 and not values.get("achievement_id"):
        values["achievement_id"] = str(achievements[0].id)
    values.setdefault("idempotency_key", str(uuid.uuid4()))
    values.setdefault("lang", lang_of(request))
    values.setdefault("format", "ldp")
    chosen = next((a for a in achievements if str(a.id) == values.get("achievement_id")), None)
    return await console(request, db, org_id, "issue", achievements=achievements, values=values,
                         errors=errors, result_descriptions=(chosen.result_descriptions if chosen else None) or [],
                         statuses=RESULT_STATUSES)


@get(f"{BASE}/issue", **MEMBER, include_in_schema=False)
async def issue_form(request: Request, org_id: OrgId, db_session: DbSession,
                     settings: AppSettings, achievement_id: FromQuery[str] = "") -> Template:
    """Issue one credential: achievement, recipient, optional expiry and evidence."""
    context = await issue_context(request, db_session, settings, org_id, {"achievement_id": achievement_id},
                                  {})
    return page(request, "provider/issue.html", context)


def issue_request(values: dict[str, str]) -> IssueRequest:
    """The service's request from the form (a date means 00:00 UTC, as in CSV batches)."""
    date_errors: list[dict[str, str]] = []
    valid_until = parse_datetime(values.get("valid_until"), "valid_until", date_errors)
    if date_errors:
        raise InvalidInput(date_errors[0]["message"], field="valid_until", errors=date_errors)
    evidence = {k: values[f"evidence_{k}"] for k in ("url", "narrative") if values.get(f"evidence_{k}")}
    return IssueRequest(
        results=form_results(values),
        achievement_id=values.get("achievement_id") or None,
        recipient_email=values.get("recipient_email", ""),
        recipient_name=values.get("recipient_name") or None,
        valid_until=datetime.fromisoformat(valid_until) if valid_until else None,
        evidence=[evidence] if evidence else [], format=values.get("format") or "ldp",
        suspendable=values.get("suspendable") == "on", lang=values.get("lang") or "ja",
    )


RESULT_FIELD = "result:"  # one form field per result description of the achievement, as in CSV batches


def form_results(values: dict[str, str]) -> list[dict[str, str]]:
    """The learner's results from the ``result:<key>`` fields (the filled ones, in form order); the field's
    text is the value, status or rubric level, whichever the description's type asks for."""
    return [{"key": name.removeprefix(RESULT_FIELD), "value": text, "status": text, "level": text}
            for name, text in values.items() if name.startswith(RESULT_FIELD) and text]


def result_errors(exc: InvalidInput, values: dict[str, str], lang: str) -> dict[str, str]:
    """``results[i].…`` errors of the service, on the form's ``result:<key>`` field."""
    keys = [r["key"] for r in form_results(values)]
    found = {}
    for error in exc.errors or [{"field": exc.field, "message": exc.detail}]:
        field = str(error.get("field") or "")
        index = field.removeprefix("results[").split("]", 1)[0]
        if field.startswith("results[") and index.isdigit() and int(index) < len(keys):
            kind = field.rsplit(".", 1)[-1]
            found.setdefault(RESULT_FIELD + keys[int(index)], translate(f"micro.error.result.{kind}", lang))
    return found


def issue_errors(exc: DomainError, values: dict[str, str], lang: str) -> dict[str, str]:
    """The errors of a refused issue by form field (e.g. the achievement is not ours: 404, a reused key: 409)."""
    if isinstance(exc, InvalidInput) and str(exc.field or "").startswith("results["):
        errors = result_errors(exc, values, lang) or errors_by_field(exc, lang)
    elif isinstance(exc, InvalidInput):
        errors = errors_by_field(exc, lang)
    else:
        errors = {exc.field if exc.field in values else "form": error_text(exc.field or "form", exc.detail, lang)}
    return {("evidence_url" if k.startswith("evidence") else k): v for k, v in errors.items()}


@post(f"{BASE}/issue", **MEMBER, include_in_schema=False)
async def issue_submit(request: Request, org_id: OrgId, data: FormData,
                       db_session: DbSession, settings: AppSettings) -> Response:
    """Issue now (the form's idempotency key makes a double submit return the first credential); with
    delivery "offer", also make the recipient's claim page and show it with its code (as the API does)."""
    values = {name: text_of(data, name) for name in ISSUE_FIELDS}
    values.update({name: text_of(data, name) for name in data if str(name).startswith(RESULT_FIELD)})
    issuance, key = IssuanceService(db_session, settings), values["idempotency_key"] or str(uuid.uuid4())
    try:
        if values["delivery"] == "offer":
            offers = Oid4vciService(db_session, settings)
            credential, new = await offers.issue_by_offer(issuance, org_id, issue_request(values), key)
        else:
            credential = await issuance.issue_once(org_id, issue_request(values), key)
    except DomainError as exc:
        errors = issue_errors(exc, values, lang_of(request))
    else:
        if values["delivery"] != "offer":
            return redirect(request, f"{base_of(org_id)}/credentials/{credential.id}?issued=1")
        context = await console(request, db_session, org_id, "issue", **delivered(offers, credential, new))
        return page(request, "provider/offer.html", context, block="issue_form", headers=NO_STORE)
    context = await issue_context(request, db_session, settings, org_id, values, errors)
    return page(request, "provider/issue.html", context, block="issue_form",
                status_code=form_error_status(request, 422))


# -- issued credentials and revocation -------------------------------------------------------------

async def issued_page(request: Request, issuance: IssuanceService, org_id: uuid.UUID, filters: dict[str, Any],
                      params: dict[str, Any]) -> Page:
    """One page of issued credentials (the last page when the number asked for is past it)."""
    number = page_number(request.query_params.get("page"))
    items, total = await issuance.list(org_id, **filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    last = max(1, -(-total // PER_PAGE))
    if number > last:
        number = last
        items, total = await issuance.list(org_id, **filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    return page_of(items, number, PER_PAGE, total, path=f"{base_of(org_id)}/credentials", params=params)


@get(f"{BASE}/credentials", **MEMBER, include_in_schema=False)
async def credential_list(request: Request, org_id: OrgId, db_session: DbSession,
                          settings: AppSettings, achievement_id: FromQuery[str] = "",
                          email: FromQuery[str] = "", batch_id: FromQuery[str] = "") -> Template:
    """Issued credentials, newest first, filtered live by achievement, state, recipient and batch."""
    achievements = await AchievementService(db_session, settings).list(org_id)
    chosen = as_uuid(achievement_id) if as_uuid(achievement_id) in {a.id for a in achievements} else None
    state = request.query_params.get("state", "")  # ("state" is a name Litestar reserves for app state)
    state = state if state in CREDENTIAL_STATES else ""
    filters = {"achievement_id": chosen, "state": state or None, "recipient": email.strip()[:200] or None,
               "batch_id": as_uuid(batch_id)}
    params = {"achievement_id": chosen, "state": state, "email": email.strip(), "batch_id": as_uuid(batch_id)}
    listing = await issued_page(request, IssuanceService(db_session, settings), org_id, filters, params)
    return page(request, "provider/credentials.html", await console(
        request, db_session, org_id, "credentials", credentials=listing, achievements=achievements,
        names={a.id: a for a in achievements}, filters=params, states=CREDENTIAL_STATES),
        block="credential_list")


async def credential_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                             credential_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    credential = await IssuanceService(db, settings).get(org_id, credential_id)
    achievement = await AchievementService(db, settings).get(org_id, credential.achievement_id)
    document = json.dumps(credential.document, ensure_ascii=False, indent=2)
    extra.setdefault("errors", {})
    extra.setdefault("reason", "")
    return await console(request, db, org_id, "credentials", credential=credential, achievement=achievement,
                         document=document, suspendable=has_suspension(credential), **extra)


@get(f"{BASE}/credentials/{{credential_id:uuid}}", **MEMBER, include_in_schema=False)
async def credential_page(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                          db_session: DbSession, settings: AppSettings,
                          issued: FromQuery[bool] = False) -> Template:
    """One issued credential: recipient, state, the signed document, and the revoke form."""
    context = await credential_context(request, db_session, settings, org_id, credential_id, issued=issued)
    return page(request, "provider/credential.html", context)


def state_change_errors(exc: DomainError, field: str, lang: str) -> dict[str, str]:
    """A refused state change next to its field: the reason's limit, or why the change cannot be made."""
    if exc.field == "reason":
        return {"reason" if field == "form" else field: translate("provider.error.too_long", lang)}
    return {field: error_text("revoked" if field == "form" else field, exc.detail, lang)}


async def change_state(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                       credential_id: uuid.UUID, data: dict[str, Any], field: str) -> Response:
    """Apply the form's action with ``credentials.revocation`` (the API's rule); errors go next to ``field``."""
    action, reason = text_of(data, "action"), text_of(data, "reason")
    try:
        await revocation.change_state(IssuanceService(db, settings), org_id, credential_id, action, reason)
    except DomainError as exc:
        errors = state_change_errors(exc, field, lang_of(request))
        context = await credential_context(request, db, settings, org_id, credential_id, errors=errors,
                                           reason=reason if action == "revoke" else "")
        return page(request, "provider/credential.html", context, block="revoke_form",
                    status_code=form_error_status(request, exc.status_code))
    flash(request, {"revoke": "flash.revoked", "suspend": "flash.suspended"}.get(action, "flash.reinstated"))
    return redirect(request, f"{base_of(org_id)}/credentials/{credential_id}")


@post(f"{BASE}/credentials/{{credential_id:uuid}}/revoke", **MEMBER, include_in_schema=False)
async def credential_revoke(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                            data: FormData, db_session: DbSession, settings: AppSettings) -> Response:
    """Revoke for good, with an optional reason, once confirmed (the status list is re-signed at once)."""
    if text_of(data, "confirm") != "on":
        context = await credential_context(request, db_session, settings, org_id, credential_id,
                                           errors={"confirm": translate("provider.error.confirm", lang_of(request))},
                                           reason=text_of(data, "reason"))
        return page(request, "provider/credential.html", context, block="revoke_form",
                    status_code=form_error_status(request, 422))
    return await change_state(request, db_session, settings, org_id, credential_id,
                              {**data, "action": "revoke"}, "form")


@post(f"{BASE}/credentials/{{credential_id:uuid}}/suspension", **MEMBER, include_in_schema=False)
async def credential_suspension(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                                data: FormData, db_session: DbSession, settings: AppSettings) -> Response:
    """Suspend, or lift a suspension (only credentials issued with a suspension entry)."""
    return await change_state(request, db_session, settings, org_id, credential_id, data, "suspension")


handlers = [issue_form, issue_submit, credential_list, credential_page, credential_revoke, credential_suspension]
