"""The learner answers an OpenID4VP request from their skillpass wallet: paste or open the request link,
see who asks (organisation, verified or not), for what and why, pick a badge and the skills to disclose,
and the platform presents it with the learner's platform-held DID (``credentials.oid4vp.holder``)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.oid4vp.holder import WalletPresenter, handle_of
from frontend.forms import FormData, as_list, as_uuid, errors_by_field, form_error_status, text_of
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me

TEMPLATE = "oid4vp/wallet.html"
PATH = "/wallet/presentations"


async def _described(request: Request, db: AsyncSession, settings: Settings, link: str) -> dict:
    try:
        return {"link": link, "asked": await WalletPresenter(db, settings).describe(me(request), link)}
    except (InvalidInput, NotFound) as exc:
        return {"link": link, "errors": errors_by_field(exc, lang_of(request), "oid4vp", "request")}


@get(PATH, **SIGNED_IN)
async def answer_page(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                      request_link: FromQuery[str] = "") -> Template:
    """A request link (``?request_link=`` openid4vp:// or its https request_uri): who asks, why, and the
    badges and skills that can answer; without one, the field to paste it."""
    context = await _described(request, db_session, settings, request_link) if request_link else {"link": ""}
    status = 404 if context.get("errors") else 200
    return page(request, TEMPLATE, {"action": PATH, **context}, status_code=status)


@post(PATH, **SIGNED_IN)
async def answer_send(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> Template:
    """Present the chosen badge with only the chosen skills; then say it was sent and verified."""
    link = text_of(data, "request_link")
    presenter = WalletPresenter(db_session, settings)
    try:
        handle = handle_of(settings, link)
        held_id = as_uuid(data.get("held_id"))
        if held_id is None:
            raise InvalidInput("Choose the badge to present.", field="held_id")
        answered = await presenter.present(me(request), handle, held_id, as_list(data.get("skills")))
    except (InvalidInput, NotFound, Conflict) as exc:
        context = await _described(request, db_session, settings, link)
        context["errors"] = {**context.get("errors", {}), **errors_by_field(exc, lang_of(request), "oid4vp", "request")}
        return page(request, TEMPLATE, {"action": PATH, **context}, block="answer_form",
                    status_code=form_error_status(request, 422 if isinstance(exc, InvalidInput) else 409))
    return page(request, TEMPLATE, {"action": PATH, "link": link, "sent": answered}, block="answer_form")


handlers: list = [answer_page, answer_send]
