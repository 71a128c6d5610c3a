"""A provider issuing with ``delivery: "offer"``: the answer carries the recipient's claim page and
tx_code once, the claim page shows the QR code, a wallet receives the badge through it, and a retry
with the same Idempotency-Key gives the same credential with a fresh offer. OpenAPI documents it."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy import func, select

from credentials.models import IssuedCredential
from credentials.oid4vci.models import CredentialOffer
from tests.credentials.conftest import api_headers, new_achievement, new_provider
from tests.credentials.oid4vci.conftest import access_token, c_nonce, credential_request, holder, proof


async def issue_by_offer(client, provider, achievement, key: str, **changes):
    headers = await api_headers(client, provider, **{"Idempotency-Key": key})
    return await client.post(f"{provider['base']}/credentials", headers=headers, json={
        "achievement_id": achievement["id"], "recipient_email": "taro@example.jp", "delivery": "offer", **changes})


async def test_issuing_by_offer_answers_a_claim_page_and_a_wallet_receives_it(client, wallet, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    key = str(uuid.uuid4())
    response = await issue_by_offer(client, provider, achievement, key)
    assert response.status_code == 201, response.text
    issued = response.json()
    offer = issued["offer"]
    assert offer["offer_uri"].startswith("openid-credential-offer://?credential_offer_uri=")
    assert offer["tx_code"].isdigit() and len(offer["tx_code"]) == 6

    claim = await wallet.get(urlsplit(offer["claim_url"]).path, headers={"accept": "text/html"})
    assert claim.status_code == 200 and "<svg" in claim.text and offer["tx_code"] not in claim.text
    (row,) = (await db.execute(select(CredentialOffer))).scalars()
    assert row.credential_id == uuid.UUID(issued["id"]) and offer["tx_code"] not in (row.tx_code_hash or "")

    token = await access_token(wallet, offer)
    received = await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)))
    assert received.status_code == 200, received.text

    again = await issue_by_offer(client, provider, achievement, key)
    assert again.status_code == 201 and again.json()["id"] == issued["id"]
    assert again.json()["offer"]["claim_url"] != offer["claim_url"]
    assert await db.scalar(select(func.count()).select_from(IssuedCredential)) == 1
    assert await db.scalar(select(func.count()).select_from(CredentialOffer)) == 2


async def test_plain_issuing_has_no_offer_and_a_bad_delivery_is_refused(client, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    plain = await issue_by_offer(client, provider, achievement, str(uuid.uuid4()), delivery="credential")
    assert plain.status_code == 201 and plain.json()["offer"] is None
    bad = await issue_by_offer(client, provider, achievement, str(uuid.uuid4()), delivery="pigeon")
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("application/problem+json")
    assert await db.scalar(select(func.count()).select_from(CredentialOffer)) == 0


def test_openapi_documents_the_delivery_field(app) -> None:
    schemas = app.openapi_schema.to_schema()["components"]["schemas"]
    delivery = schemas["IssueIn"]["properties"]["delivery"]
    assert delivery["enum"] == ["credential", "offer"] and "claim_url" in delivery["description"]
    assert {"claim_url", "tx_code", "offer_uri"} <= set(schemas["DeliveredOffer"]["properties"])
