"""The provider console delivering by OpenID4VCI offer: for one issued credential, or for every
credential a batch issued, a claim page per recipient (QR code and link) and the tx_code to send them
by another channel, shown this once. The API does the same (``credentials/oid4vci/api.py``)."""

from __future__ import annotations

import uuid

from litestar import Request, post
from litestar.params import FromPath
from litestar.response import Template

from core.errors import Conflict, NotFound
from credentials.issuance import IssuanceService
from credentials.oid4vci.service import Oid4vciService
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.offer_view import NO_STORE, delivered
from frontend.provider_console import BASE, MEMBER, console
from frontend.rendering import not_found_page, page


@post(f"{BASE}/credentials/{{credential_id:uuid}}/oid4vci-offer", **MEMBER, include_in_schema=False)
async def credential_offer(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                           db_session: DbSession, settings: AppSettings) -> Template:
    """A claim page and tx_code for the credential's recipient (single use, 72 hours)."""
    service = Oid4vciService(db_session, settings)
    try:
        credential = await IssuanceService(db_session, settings).get(org_id, credential_id)
        new = await service.offer_for_recipient(org_id, credential_id)
    except NotFound:
        return not_found_page(request)
    except Conflict:
        context = await console(request, db_session, org_id, "credentials", credential=credential, refused=True)
        return page(request, "provider/offer.html", context, status_code=409)
    context = await console(request, db_session, org_id, "credentials", **delivered(service, credential, new))
    return page(request, "provider/offer.html", context, headers=NO_STORE)


@post(f"{BASE}/batches/{{batch_id:uuid}}/oid4vci-offers", **MEMBER, include_in_schema=False)
async def batch_offers(request: Request, org_id: OrgId, batch_id: FromPath[uuid.UUID], db_session: DbSession,
                       settings: AppSettings) -> Template:
    """A claim page and tx_code per credential the batch issued (revoked ones left out), in line order."""
    service = Oid4vciService(db_session, settings)
    try:
        made = await service.offers_for_batch(org_id, batch_id)
    except NotFound:
        return not_found_page(request)
    offers = [{"line": line, **delivered(service, credential, new, qr=False)} for line, credential, new in made]
    context = await console(request, db_session, org_id, "batches", batch_id=batch_id, offers=offers)
    return page(request, "provider/batch_offers.html", context, headers=NO_STORE)


handlers = [credential_offer, batch_offers]
