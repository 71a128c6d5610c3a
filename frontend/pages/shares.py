"""The learner's share links: choose credentials (whole, or a badge with chosen skills only, as an
SD-JWT), profile parts and an expiry, see who opened a link, revoke it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import DomainError
from core.settings import Settings
from credentials.wallet import WalletService
from frontend.i18n import translate
from frontend.forms import FormData, as_list, form_error_status, redirect
from frontend.signed_in import SIGNED_IN, me
from frontend.pagination import paginate
from frontend.rendering import lang_of, not_found_page, page
from skills import sharing

EXPIRY_DAYS = (1, 7, 30, 90, 365)
DEFAULT_PARTS = ("skills", "categories")


def share_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/s/{token}"


def link_state(link) -> str:
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if link.expires_at <= utcnow() else "active"


async def _context(request: Request, session: AsyncSession, settings: Settings, **extra) -> dict:
    person = me(request)
    links = [(link, opened, link_state(link)) for link, opened in await sharing.list_links(session, person)]
    listed = paginate(links, request.query_params.get("page"), per_page=10, path="/wallet/share")
    held = await WalletService(session, settings).list_for_person(person)
    context = {"links": listed, "held": held, "share_parts": sharing.SHARE_PARTS, "expiry_days": EXPIRY_DAYS,
               "disclosable": await sharing.disclosable(session, settings, person),
               "errors": {}, "values": {"parts": list(DEFAULT_PARTS), "credential_ids": [], "days": "30",
                                        "label": "", "disclose": []}, "created": None}
    context.update(extra)
    return context


@get("/wallet/share", **SIGNED_IN)
async def share_page(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                     credential: FromQuery[str | None] = None) -> Template:
    """My share links and the form for a new one (``?credential=`` preselects one credential)."""
    context = await _context(request, db_session, settings)
    if credential:
        context["values"] = {**context["values"], "credential_ids": [credential], "parts": []}
    return page(request, "shares/index.html", context, block="share_list")


def share_form(data: dict) -> tuple[dict, int]:
    """The form as sent (to show it again) and the validity in days (one of ``EXPIRY_DAYS``, else 30)."""
    values = {"label": str(data.get("label") or "").strip(), "parts": as_list(data.get("parts")),
              "credential_ids": as_list(data.get("credential_ids")), "days": str(data.get("days") or "30"),
              "disclose": as_list(data.get("disclose"))}
    return values, int(values["days"]) if values["days"] in {str(d) for d in EXPIRY_DAYS} else 30


def disclose_of(values: list[str]) -> dict[uuid.UUID, list[str]]:
    """``<held id>:<skill id>`` ticks as badge -> skills (ValueError for a malformed one)."""
    chosen: dict[uuid.UUID, list[str]] = {}
    for value in values:
        held_id, _, skill = value.partition(":")
        chosen.setdefault(uuid.UUID(held_id), []).append(skill)
    return chosen


def share_errors(exc: DomainError, lang: str) -> dict[str, str]:
    if exc.field == "disclose":
        return {"disclose": translate("wallet2.share.error.disclose", lang)}
    field = exc.field if exc.field in ("label", "parts", "credential_ids", "expires_at") else "parts"
    return {field: translate(f"share.error.{field}", lang)}


@post("/wallet/share", **SIGNED_IN)
async def share_create(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings]) -> Template:
    """Create a link with ``skills.sharing.create_link`` (the API's rule); its address is shown once."""
    values, days = share_form(data)
    try:
        ids = [uuid.UUID(c) for c in values["credential_ids"]]
        link, token = await sharing.create_link(
            db_session, settings, me(request), label=values["label"], parts=values["parts"], credential_ids=ids,
            expires_at=utcnow() + timedelta(days=days), disclose=disclose_of(values["disclose"]))
    except ValueError:
        errors = {"credential_ids": translate("share.error.credentials", lang_of(request))}
    except DomainError as exc:
        errors = share_errors(exc, lang_of(request))
    else:
        created = {"link": link, "url": share_url(settings, token)}
        return page(request, "shares/index.html", await _context(request, db_session, settings, created=created),
                    block="share_panel")
    context = await _context(request, db_session, settings, errors=errors, values=values)
    return page(request, "shares/index.html", context, block="share_panel",
                status_code=form_error_status(request, 422))


@get("/wallet/share/{link_id:uuid}", **SIGNED_IN)
async def share_detail(request: Request, link_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings]) -> Template:
    """One link: what it shares, until when, and each time it was opened (who, when)."""
    try:
        link, accesses = await sharing.link_with_log(db_session, me(request), link_id)
    except DomainError:
        return not_found_page(request)
    held = {str(h.id): h for h in await WalletService(db_session, settings).list_for_person(me(request))}
    log = paginate(accesses, request.query_params.get("page"), per_page=20, path=f"/wallet/share/{link_id}")
    return page(request, "shares/detail.html", {
        "link": link, "state": link_state(link), "log": log, "opened": len(accesses),
        "credentials": [held[c] for c in link.credential_ids if c in held],
        "disclosed": [d["title"] for d in link.disclosed],
    }, block="access_log")


@post("/wallet/share/{link_id:uuid}/revoke", **SIGNED_IN)
async def share_revoke(request: Request, link_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession]) -> Response:
    """Stop the link now; anyone opening it sees that it was withdrawn."""
    await sharing.revoke_link(db_session, me(request), link_id)
    return redirect(request, f"/wallet/share/{link_id}?revoked=1")


handlers = [share_page, share_create, share_detail, share_revoke]
