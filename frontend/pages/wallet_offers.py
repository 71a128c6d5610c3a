""""Send to my wallet app": a learner makes an OpenID4VCI offer of a credential they hold and sees it
as a QR code and an ``openid-credential-offer://`` link, with the one-time code to type into the app.

A provider delivering by offer sends the recipient a claim page, ``/claim/{handle}``: public (the handle
is the secret, as the offer link itself is), it shows which badge is offered, the QR code and link; the
code travels separately.
"""

from __future__ import annotations

import uuid

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from core.settings import Settings
from credentials.oid4vci.service import OFFER_LIFETIME, Oid4vciService
from credentials.wallet import WalletService
from frontend.forms import FormData
from frontend.offer_view import qr_svg
from accounts import access
from frontend.rendering import not_found_page, page
from frontend.signed_in import SIGNED_IN, me

TEMPLATE = "wallet_offers/send.html"
MINUTES = int(OFFER_LIFETIME.total_seconds() // 60)


def _path(held_id: uuid.UUID) -> str:
    return f"/wallet/credentials/{held_id}/wallet-app"


@get("/wallet/credentials/{held_id:uuid}/wallet-app", **SIGNED_IN)
async def send_page(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                    settings: NamedDependency[Settings]) -> Template:
    """What sending to a wallet app does, and the button that makes the offer."""
    try:
        held = await WalletService(db_session, settings).get(me(request), held_id)
    except NotFound:
        return not_found_page(request)
    return page(request, TEMPLATE, {"held": held, "action": _path(held_id), "minutes": MINUTES})


@post("/wallet/credentials/{held_id:uuid}/wallet-app", **SIGNED_IN)
async def send_offer(request: Request, held_id: FromPath[uuid.UUID], data: FormData,
                     db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Template:
    """Make a single-use offer (10 minutes) and show its QR code, link and code."""
    with_code = str(data.get("tx_code") or "") == "on"
    try:
        held = await WalletService(db_session, settings).get(me(request), held_id)
        offer = await Oid4vciService(db_session, settings).offer_for_held(me(request), held_id, tx_code=with_code)
    except NotFound:
        return not_found_page(request)
    except Conflict as exc:
        reason = exc.extra.get("reason", "revoked")
        return page(request, TEMPLATE, {"held": held, "action": _path(held_id), "minutes": MINUTES,
                                        "error": f"wallet_app.error.{reason}"}, block="wallet_app", status_code=409)
    context = {"held": held, "action": _path(held_id), "minutes": MINUTES, "offer": offer,
               "qr": qr_svg(offer.offer_uri)}
    return page(request, TEMPLATE, context, block="wallet_app")


@get("/claim/{handle:str}", **access.public(), include_in_schema=False)
async def claim_page(request: Request, handle: FromPath[str], db_session: NamedDependency[AsyncSession],
                     settings: NamedDependency[Settings]) -> Template:
    """A recipient's claim page: the badge offered, its QR code and wallet link (while the offer is live)."""
    try:
        offer, credential, link = await Oid4vciService(db_session, settings).claim(handle)
    except NotFound:
        return not_found_page(request, "wallet_app.claim.gone")
    document = credential.document
    issuer = document.get("issuer") if isinstance(document.get("issuer"), dict) else {}
    context = {"title": document.get("name", ""), "issuer": issuer.get("name", ""), "link": link,
               "qr": qr_svg(link), "with_code": offer.tx_code_hash is not None, "expires_at": offer.expires_at}
    return page(request, "wallet_offers/claim.html", context, headers={"Cache-Control": "no-store"})


handlers = [send_page, send_offer, claim_page]
