"""Delete what OpenID4VCI no longer needs (run by the upkeep round, ``accounts.upkeep``; connected in
``skillpass/wiring.py``): expired proof nonces (an expired ``c_nonce`` is refused by its own signed
expiry, so its row no longer guards anything), expired access tokens of offers, and expired offers that
delivered nothing (their pre-authorized code with them). An offer that delivered a wallet copy stays:
the copy's record (which credential went to which holder DID) hangs on it.
"""

from __future__ import annotations

from sqlalchemy import delete, exists
from sqlalchemy.ext.asyncio import AsyncEngine

from core.db import utcnow
from credentials.oid4vci.models import AccessToken, CredentialOffer, ProofNonce, WalletCopy


async def sweep_lapsed(engine: AsyncEngine) -> int:
    """One transaction; how many rows went."""
    now = utcnow()
    async with engine.begin() as conn:
        nonces = await conn.execute(delete(ProofNonce).where(ProofNonce.expires_at <= now))
        tokens = await conn.execute(delete(AccessToken).where(AccessToken.offer_id.is_not(None),
                                                              AccessToken.expires_at <= now))
        offers = await conn.execute(delete(CredentialOffer).where(
            CredentialOffer.expires_at <= now,
            ~exists().where(WalletCopy.offer_id == CredentialOffer.id),
            ~exists().where(AccessToken.offer_id == CredentialOffer.id)))  # a token still alive finishes first
    return sum(r.rowcount or 0 for r in (nonces, tokens, offers))
