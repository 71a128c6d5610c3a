"""The upkeep round deletes lapsed OpenID4VCI and OpenID4VP rows and keeps live ones: expired nonces,
expired offer tokens, expired offers that delivered nothing, and presentation requests left unanswered
a week past their expiry. Offers that delivered a wallet copy and answered requests stay (records)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select, update

from accounts import upkeep
from core.db import utcnow
from credentials.oid4vci.models import AccessToken, CredentialOffer, ProofNonce, WalletCopy
from credentials.oid4vp.models import PresentationRequest
from tests.credentials.oid4vci.conftest import (
    access_token,
    c_nonce,
    credential_request,
    holder,
    learner_with_badge,
    new_offer,
    pre_authorized_code,
    proof,
    token_request,
)
from tests.credentials.oid4vp.conftest import employer, new_request  # noqa: F401 - employer is a fixture

PAST, LONG_PAST = utcnow() - timedelta(seconds=1), utcnow() - timedelta(days=8)


async def test_expired_offers_tokens_and_nonces_go_and_live_ones_stay(client, wallet, db, engine, settings) -> None:
    learner = await learner_with_badge(client)
    held = learner["held"]["id"]
    delivered = await new_offer(client, held)
    token = await access_token(wallet, delivered)
    assert (await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)))).status_code == 200
    unused, live = await new_offer(client, held), await new_offer(client, held)
    unused_code = await pre_authorized_code(wallet, unused)
    live_token = await access_token(wallet, live)
    other = AccessToken(token_hash=hashlib.sha256(b"ob3-api").hexdigest(), scope="ob3", client_id="c",
                        expires_at=PAST)  # not an offer's: the OAuth server's business
    db.add_all([other, ProofNonce(nonce_hash="b" * 64, expires_at=utcnow() + timedelta(minutes=5))])
    await db.commit()

    offers = {o.id: o for o in (await db.execute(select(CredentialOffer))).scalars()}
    by_token = {t.token_hash: t for t in (await db.execute(select(AccessToken))).scalars()}
    live_offer = next(t.offer_id for h, t in by_token.items() if h == hashlib.sha256(live_token.encode()).hexdigest())
    (copy_offer,) = (await db.execute(select(WalletCopy.offer_id))).scalars()
    await db.execute(update(CredentialOffer).where(CredentialOffer.id != live_offer).values(expires_at=PAST))
    await db.execute(update(AccessToken).where(AccessToken.offer_id.is_not(None), AccessToken.offer_id != live_offer)
                     .values(expires_at=PAST))
    await db.execute(update(ProofNonce).where(ProofNonce.nonce_hash != "b" * 64).values(expires_at=PAST))
    await db.commit()

    await upkeep.run_once(engine, settings)
    db.expire_all()
    left_offers = set((await db.execute(select(CredentialOffer.id))).scalars())
    assert left_offers == {copy_offer, live_offer} and len(offers) == 3  # the unused expired one went
    left_tokens = list((await db.execute(select(AccessToken))).scalars())
    assert {t.offer_id for t in left_tokens} == {live_offer, None}  # the spent expired token went
    assert [n.nonce_hash for n in (await db.execute(select(ProofNonce))).scalars()] == ["b" * 64]
    assert len(list((await db.execute(select(WalletCopy))).scalars())) == 1  # the delivery record stays

    refused = await token_request(wallet, unused_code, unused["tx_code"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    still = await credential_request(wallet, live_token, proof(holder(), await c_nonce(wallet)))
    assert still.status_code == 200, still.text


async def test_unanswered_requests_go_a_week_after_expiry(employer, db, engine, settings) -> None:
    stale, recent, answered, live = [await new_request(employer) for _ in range(4)]
    for made, expires in ((stale, LONG_PAST), (recent, PAST), (answered, LONG_PAST)):
        await db.execute(update(PresentationRequest).where(PresentationRequest.handle == made["request_uri"]
                                                           .rsplit("/", 1)[1]).values(expires_at=expires))
    await db.execute(update(PresentationRequest).where(PresentationRequest.handle == answered["request_uri"]
                                                       .rsplit("/", 1)[1]).values(status="answered", verified=True))
    await db.commit()
    await upkeep.run_once(engine, settings)
    db.expire_all()
    left = {str(r.id) for r in (await db.execute(select(PresentationRequest))).scalars()}
    assert left == {recent["id"], answered["id"], live["id"]}
