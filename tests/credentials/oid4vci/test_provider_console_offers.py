"""The provider console delivers by offer: issuing with delivery "offer" shows the recipient's claim
page, code and QR once; a credential's page and a finished batch's page make claim pages too; a
wallet receives the badge with what the page showed; revoked credentials get none."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from credentials.oid4vci.models import CredentialOffer
from tests.conftest import csrf_headers
from tests.credentials.conftest import issue, new_achievement, new_provider
from tests.credentials.oid4vci.conftest import access_token, c_nonce, credential_request, holder, proof
from tests.credentials.test_batches import submit_json, wait_done

HTML = {"accept": "text/html"}


def shown_offer(html: str) -> dict[str, str]:
    """What the page showed: the claim page address, the code, and the QR content's link."""
    claim_url = re.search(r'id="claim-url" class="mono" readonly value="([^"]+)"', html).group(1)
    code = re.search(r'<strong class="mono" id="tx-code">(\d{6})</strong>', html).group(1)
    return {"claim_url": claim_url, "tx_code": code}


async def offer_of_claim_page(wallet, claim_url: str) -> dict[str, str]:
    claim = await wallet.get(claim_url.split("testserver.local", 1)[1], headers=HTML)
    assert claim.status_code == 200 and "<svg" in claim.text
    link = re.search(r'id="offer-url" class="mono" readonly value="([^"]+)"', claim.text).group(1)
    return {"offer_uri": link.replace("&amp;", "&")}


async def test_issuing_in_the_console_with_delivery_offer_shows_the_claim_page_once(client, wallet, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    form = {"_csrf_token": (await csrf_headers(client))["x-csrftoken"], "achievement_id": achievement["id"],
            "recipient_email": "jiro@example.jp", "format": "ldp", "lang": "en", "delivery": "offer",
            "idempotency_key": str(uuid.uuid4())}
    for lang, heading in (("ja", "ウォレットアプリで受け取るページ"), ("en", "Claim page for a wallet app")):
        client.cookies.set("lang", lang)
        page = await client.get(f"/provider/{provider['id']}/issue", headers=HTML)
        assert 'name="delivery" value="offer"' in page.text
    shown = await client.post(f"/provider/{provider['id']}/issue", data=form, headers=HTML)
    assert shown.status_code == 200, shown.text
    assert heading in shown.text and "<svg" in shown.text and shown.headers["cache-control"] == "no-store"
    offer = {**shown_offer(shown.text), **await offer_of_claim_page(wallet, shown_offer(shown.text)["claim_url"])}
    token = await access_token(wallet, offer)
    received = await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)))
    assert received.status_code == 200, received.text


async def test_a_credential_page_and_a_batch_page_make_claim_pages(client, wallet, db) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    issued = (await issue(client, provider, achievement["id"], email="saburo@example.jp")).json()
    base = f"/provider/{provider['id']}"
    client.cookies.set("lang", "en")
    detail = await client.get(f"{base}/credentials/{issued['id']}", headers=HTML)
    assert "Make a claim page for a wallet app (OpenID4VCI)" in detail.text
    token = (await csrf_headers(client))["x-csrftoken"]
    made = await client.post(f"{base}/credentials/{issued['id']}/oid4vci-offer", data={"_csrf_token": token},
                             headers=HTML)
    assert made.status_code == 200 and "saburo@example.jp" in made.text
    shown_offer(made.text)

    submitted = await submit_json(client, provider, {"achievement_id": achievement["id"], "recipients": [
        {"recipient_email": "a@example.jp"}, {"recipient_email": "b@example.jp"}]})
    batch = await wait_done(client, provider, submitted.json()["id"])
    page = await client.get(f"{base}/batches/{batch['id']}", headers=HTML)
    assert "Make claim pages for every recipient (OpenID4VCI)" in page.text
    listed = await client.post(f"{base}/batches/{batch['id']}/oid4vci-offers", data={"_csrf_token": token},
                               headers=HTML)
    assert listed.status_code == 200 and listed.headers["cache-control"] == "no-store"
    assert "2 claim pages are ready" in listed.text
    assert "a@example.jp" in listed.text and "b@example.jp" in listed.text
    assert len(re.findall(r'<td class="mono">\d{6}</td>', listed.text)) == 2
    assert await db.scalar(select(func.count()).select_from(CredentialOffer)) == 3

    revoked = await client.post(f"{provider['base']}/credentials/{issued['id']}/revoke",
                                headers={**provider["headers"], **await csrf_headers(client)},
                                json={"reason": "issued in error"})
    assert revoked.status_code == 200, revoked.text
    refused = await client.post(f"{base}/credentials/{issued['id']}/oid4vci-offer", data={"_csrf_token": token},
                                headers=HTML)
    assert refused.status_code == 409
    assert await db.scalar(select(func.count()).select_from(CredentialOffer)) == 3
