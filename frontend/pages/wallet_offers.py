""""Send to my wallet app": a learner makes an OpenID4VCI offer of a credential they hold and sees it
as a QR code and an ``openid-credential-offer://`` link, with the one-time code to type into the app."""

from __future__ import annotations

import io
import uuid

import segno
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
from frontend.rendering import not_found_page, page
from frontend.signed_in import SIGNED_IN, me

TEMPLATE = "wallet_offers/send.html"
MINUTES = int(OFFER_LIFETIME.total_seconds() // 60)


def qr_svg(link: str) -> str:
    """The offer link as an inline SVG QR code (dark on light, with the quiet zone)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=5, border=4, xmldecl=False, svgns=True, title="QR",
                                     dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")


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


handlers = [send_page, send_offer]
