"""The employer's OpenID4VP presentation requests: a form (purpose in ja/en, formats, DSS items), then the
request's QR code and ``openid4vp://`` link, polled with htmx until a wallet answers; then the verdict and
what the holder disclosed (``credentials.oid4vp``, the rules of ``/api/v1/orgs/{org_id}/presentation-requests``)."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
import segno

from accounts.access import principal_of

from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.oid4vp.service import FORMATS, PresentationRequestService, authorization_link
from frontend.consoles import DbSession, OrgId
from frontend.employer_console import BASE, MEMBER, base_of, console
from frontend.forms import FormData, as_list, errors_by_field, form_error_status, redirect, text_of
from frontend.rendering import lang_of, not_found_page, page

LIST = "oid4vp/requests.html"
DETAIL = "oid4vp/request.html"
LIFETIME = timedelta(hours=1)


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def shown_status(row: Any) -> str:
    return "expired" if row.status == "pending" and row.expires_at <= utcnow() else row.status


async def _list_context(request: Request, db: DbSession, org_id: uuid.UUID, settings: Settings,
                        values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    rows = await PresentationRequestService(db, settings).list_for_org(org_id)
    return await console(request, db, org_id, "presentations", requests=rows, values=values, errors=errors,
                         formats=FORMATS, shown_status=shown_status)


@get(f"{BASE}/presentation-requests", **MEMBER, include_in_schema=False)
async def request_list(request: Request, org_id: OrgId, db_session: DbSession,
                       settings: NamedDependency[Settings]) -> Template:
    """The form for a new request and the organisation's requests, newest first."""
    values = {"formats": list(FORMATS), "purpose_ja": "", "purpose_en": "", "dss_items": "", "issuers": ""}
    return page(request, LIST, await _list_context(request, db_session, org_id, settings, values, {}))


@post(f"{BASE}/presentation-requests", **MEMBER, include_in_schema=False)
async def request_create(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                         settings: NamedDependency[Settings]) -> Response | Template:
    """Create the request (the service's rules, as the API) and go to its QR code page."""
    values = {"purpose_ja": str(data.get("purpose_ja") or ""), "purpose_en": str(data.get("purpose_en") or ""),
              "formats": as_list(data.get("formats")), "dss_items": text_of(data, "dss_items"),
              "issuers": text_of(data, "issuers")}
    try:
        made = await PresentationRequestService(db_session, settings).create(
            org_id, principal_of(request).person_id,
            purpose_ja=values["purpose_ja"], purpose_en=values["purpose_en"], formats=values["formats"],
            issuers=_codes(values["issuers"]), dss_items=_codes(values["dss_items"]), lifetime=LIFETIME)
    except InvalidInput as exc:
        errors = errors_by_field(exc, lang_of(request), "oid4vp")
        context = await _list_context(request, db_session, org_id, settings, values, errors)
        return page(request, LIST, context, block="request_form", status_code=form_error_status(request, 422))
    return redirect(request, f"{base_of(org_id)}/presentation-requests/{made.id}")


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code (page modules do not share code; this is segno's one call)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=5, border=4, xmldecl=False, svgns=True, title="QR",
                                     dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")


async def _detail(request: Request, db: DbSession, settings: Settings, org_id: uuid.UUID,
                  request_id: uuid.UUID) -> dict[str, Any] | None:
    try:
        row = await PresentationRequestService(db, settings).for_org(org_id, request_id)
    except NotFound:
        return None
    link = authorization_link(settings, row.handle)
    return await console(request, db, org_id, "presentations", item=row, link=link, qr=qr_svg(link),
                         status=shown_status(row),
                         poll=f"{base_of(org_id)}/presentation-requests/{row.id}")


@get(f"{BASE}/presentation-requests/{{request_id:uuid}}", **MEMBER, include_in_schema=False)
async def request_detail(request: Request, org_id: OrgId, request_id: FromPath[uuid.UUID], db_session: DbSession,
                         settings: NamedDependency[Settings]) -> Template:
    """The QR code and link while waiting (htmx polls the ``answer`` block every 2 s), then the verdict."""
    context = await _detail(request, db_session, settings, org_id, request_id)
    if context is None:
        return not_found_page(request)
    return page(request, DETAIL, context, block="answer")


handlers: list = [request_list, request_create, request_detail]
