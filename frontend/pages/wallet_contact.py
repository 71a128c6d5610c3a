"""The learner's contact page: employers' requests (share a link, make a new one, present a badge, decline,
withdraw)
and hires to confirm or reject. The rules live in ``matching.contact`` (the API calls the same functions)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from frontend.forms import FormData, as_list, as_uuid, form_error_status, redirect, text_of
from frontend.i18n import translate
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me
from matching.contact import outcomes, requests
from matching.contact.console import learner_inbox
from matching.trends import THRESHOLD

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
ItemId = FromPath[uuid.UUID]
LINK_DAYS = 30


async def inbox_context(request: Request, db: AsyncSession, settings: Settings, **extra) -> dict:
    context = await learner_inbox(db, settings, me(request))
    context.update({"errors": {}, "error_for": None, "done": request.query_params.get("done", ""),
                    "link_days": LINK_DAYS, "threshold": THRESHOLD, **extra})
    return context


@get("/wallet/contact", **SIGNED_IN)
async def contact_inbox(request: Request, db_session: DbSession, settings: AppSettings) -> Template:
    """Employers who would like to hear from me, and hires to confirm."""
    return page(request, "contact/wallet.html", await inbox_context(request, db_session, settings))


def answer_errors(exc: DomainError, lang: str) -> dict[str, str]:
    field = exc.field if exc.field in ("link_id", "parts", "credential_ids", "held_id") else "form"
    if exc.field == "request":  # the verifier refused the presentation the wallet made
        field = "presentation"
    return {field: translate(f"contact.wallet.error.{field}", lang)}


@post("/wallet/contact/{request_id:uuid}/share", **SIGNED_IN)
async def share(request: Request, request_id: ItemId, data: FormData, db_session: DbSession,
                settings: AppSettings) -> Template | Response:
    """Answer with a chosen live link, or a new link of the parts and credentials ticked (30 days)."""
    link_id = as_uuid(text_of(data, "link_id"))
    try:
        credential_ids = [uuid.UUID(c) for c in as_list(data.get("credential_ids"))]
        await requests.answer_with_share(
            db_session, settings, me(request), request_id, link_id=link_id, parts=as_list(data.get("parts")),
            credential_ids=credential_ids, expires_at=None if link_id else utcnow() + timedelta(days=LINK_DAYS))
    except ValueError:
        errors = {"credential_ids": translate("contact.wallet.error.credential_ids", lang_of(request))}
    except DomainError as exc:
        errors = answer_errors(exc, lang_of(request))
    else:
        return redirect(request, "/wallet/contact?done=shared")
    context = await inbox_context(request, db_session, settings, errors=errors, error_for=str(request_id))
    return page(request, "contact/wallet.html", context, status_code=form_error_status(request, 422))


@post("/wallet/contact/{request_id:uuid}/present", **SIGNED_IN)
async def present(request: Request, request_id: ItemId, data: FormData, db_session: DbSession,
                  settings: AppSettings) -> Template | Response:
    """Answer with a verified presentation of the chosen badge and skills (OpenID4VP, from this wallet)."""
    held_id = as_uuid(text_of(data, "held_id"))
    try:
        if held_id is None:
            raise InvalidInput("choose a badge to present", field="held_id")
        await requests.answer_with_presentation(db_session, settings, me(request), request_id, held_id=held_id,
                                                skill_codes=as_list(data.get(f"skills-{held_id}")))
    except DomainError as exc:
        errors = answer_errors(exc, lang_of(request))
    else:
        return redirect(request, "/wallet/contact?done=presented")
    context = await inbox_context(request, db_session, settings, errors=errors, error_for=str(request_id))
    return page(request, "contact/wallet.html", context, status_code=form_error_status(request, 422))


@post("/wallet/contact/{request_id:uuid}/decline", **SIGNED_IN)
async def decline(request: Request, request_id: ItemId, db_session: DbSession) -> Response:
    """Decline: the employer learns only that."""
    await requests.decline(db_session, me(request), request_id)
    return redirect(request, "/wallet/contact?done=declined")


@post("/wallet/contact/{request_id:uuid}/withdraw", **SIGNED_IN)
async def withdraw(request: Request, request_id: ItemId, db_session: DbSession) -> Response:
    """Take the share back: the employer sees the pseudonymous view only."""
    await requests.withdraw(db_session, me(request), request_id)
    return redirect(request, "/wallet/contact?done=withdrawn")


@post("/wallet/outcomes/{outcome_id:uuid}/confirm", **SIGNED_IN)
async def confirm_hire(request: Request, outcome_id: ItemId, db_session: DbSession, settings: AppSettings) -> Response:
    """Confirm the hire: it counts, anonymously, in the outcome statistics."""
    await outcomes.confirm(db_session, settings, me(request), outcome_id)
    return redirect(request, "/wallet/contact?done=confirmed")


@post("/wallet/outcomes/{outcome_id:uuid}/reject", **SIGNED_IN)
async def reject_hire(request: Request, outcome_id: ItemId, db_session: DbSession) -> Response:
    """Say the hire is not right; it never counts."""
    await outcomes.reject(db_session, me(request), outcome_id)
    return redirect(request, "/wallet/contact?done=rejected")


handlers = [contact_inbox, share, present, decline, withdraw, confirm_hire, reject_hire]
