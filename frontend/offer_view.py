"""What a screen shows of an OpenID4VCI offer just made: the QR code of its link (an inline SVG), and
for a provider the recipient's claim page and the tx_code, shown this once (only hashes are kept)."""

from __future__ import annotations

import io
from typing import Any

import segno

from credentials.models import IssuedCredential
from credentials.oid4vci.service import NewOffer, Oid4vciService

NO_STORE = {"Cache-Control": "no-store"}  # the page carries the tx_code: never cached


def qr_svg(link: str) -> str:
    """The offer link as an inline SVG QR code (dark on light, with the quiet zone)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=5, border=4, xmldecl=False, svgns=True, title="QR",
                                     dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")


def delivered(service: Oid4vciService, credential: IssuedCredential, new: NewOffer, *, qr: bool = True) -> dict[str, Any]:
    """One recipient's offer as the provider console shows it."""
    return {"credential": credential, "claim_url": service.claim_url(new), "offer_uri": new.offer_uri,
            "tx_code": new.tx_code, "expires_at": new.expires_at, "qr": qr_svg(new.offer_uri) if qr else None}
