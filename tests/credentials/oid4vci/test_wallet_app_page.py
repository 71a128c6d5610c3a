""""Send to my wallet app" page: bilingual, shows a QR code, the openid-credential-offer link and the
code apart; an imported credential gets a clear error and no offer."""

from __future__ import annotations

from sqlalchemy import func, select

from credentials.oid4vci.models import CredentialOffer
from credentials.vc import generate_ed25519, sign_credential
from tests.conftest import csrf_headers
from tests.credentials.oid4vci.conftest import learner_with_badge


async def offers(db) -> int:
    return (await db.execute(select(func.count()).select_from(CredentialOffer))).scalar_one()


async def test_the_page_makes_an_offer_and_shows_qr_link_and_code(client, db) -> None:
    learner = await learner_with_badge(client)  # signed up in Japanese
    path = f"/wallet/credentials/{learner['held']['id']}/wallet-app"
    detail = await client.get(f"/wallet/credentials/{learner['held']['id']}")
    assert path in detail.text and "ウォレットアプリに送る" in detail.text
    before = await client.get(path)
    assert before.status_code == 200 and "QR コードとリンクを作る" in before.text and await offers(db) == 0

    made = await client.post(path, data={"tx_code": "on", "_csrf_token": (await csrf_headers(client))["x-csrftoken"]})
    assert made.status_code == 200, made.text
    assert "<svg" in made.text and "openid-credential-offer://?credential_offer_uri=" in made.text
    (row,) = (await db.execute(select(CredentialOffer))).scalars()
    assert row.tx_code_hash is not None and "確認コード" in made.text



async def test_the_page_in_english_without_a_code(client, db) -> None:
    learner = await learner_with_badge(client, lang="en")
    path = f"/wallet/credentials/{learner['held']['id']}/wallet-app"
    before = await client.get(path)
    assert "Send to my wallet app" in before.text and "ウォレットアプリ" not in before.text
    made = await client.post(path, data={"_csrf_token": (await csrf_headers(client))["x-csrftoken"]})
    assert made.status_code == 200 and "Scan it with your wallet app" in made.text
    assert "Code to type into the app" not in made.text
    (row,) = (await db.execute(select(CredentialOffer))).scalars()
    assert row.tx_code_hash is None


async def test_an_imported_credential_gets_a_clear_error_and_no_offer(client, db) -> None:
    learner = await learner_with_badge(client)
    key = generate_ed25519()
    foreign = {k: v for k, v in learner["issued"]["credential"].items() if k not in ("proof", "credentialStatus")}
    foreign["issuer"] = {"id": key.public.did, "type": ["Profile"], "name": "Elsewhere"}
    imported = await client.post("/api/v1/me/credentials", json=sign_credential(foreign, key),
                                 headers=await csrf_headers(client))
    path = f"/wallet/credentials/{imported.json()['id']}/wallet-app"
    refused = await client.post(path, data={"_csrf_token": (await csrf_headers(client))["x-csrftoken"]})
    assert refused.status_code == 409
    assert "取り込んだ証明書は送れません" in refused.text and "<svg" not in refused.text
    assert await offers(db) == 0


async def test_a_provider_delivers_by_offer_and_the_recipient_claims_it(client, wallet, db) -> None:
    from tests.credentials.oid4vci.conftest import access_token, c_nonce, credential_request, holder, proof

    learner = await learner_with_badge(client)
    provider = learner["provider"]
    path = f"{provider['base']}/credentials/{learner['issued']['id']}/oid4vci-offer"
    assert (await wallet.post(path)).status_code == 401  # no key, no offer
    made = await wallet.post(path, headers=provider["headers"], json={"tx_code": True})
    assert made.status_code == 201, made.text
    offer = made.json()
    assert offer["claim_url"].startswith("http://testserver.local/claim/") and len(offer["tx_code"]) == 6
    claim_path = offer["claim_url"].removeprefix("http://testserver.local")
    page = await wallet.get(claim_path)
    assert page.status_code == 200 and "<svg" in page.text and offer["tx_code"] not in page.text
    assert "データエンジニアリング基礎" in page.text or "Data Engineering Foundations" in page.text

    token = await access_token(wallet, offer)
    received = await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)))
    assert received.status_code == 200, received.text
    gone = await wallet.get(claim_path)
    assert gone.status_code == 404
    # the recipient has an account: the wallet's DID shows among their bindings
    wallets = [b for b in (await client.get("/api/v1/me/dids/bindings")).json() if b["kind"] == "wallet"]
    assert wallets and wallets[0]["credentials"][0]["held_id"] == learner["held"]["id"]

    other = await new_provider_offer_of_someone_else(wallet, provider, learner)
    assert other.status_code == 404


async def new_provider_offer_of_someone_else(wallet, provider, learner):
    """Another provider's key cannot make offers of this provider's credential."""
    from tests.credentials.conftest import new_provider

    stranger = await new_provider(wallet, "stranger")
    return await wallet.post(f"{stranger['base']}/credentials/{learner['issued']['id']}/oid4vci-offer",
                             headers=stranger["headers"])


async def test_a_batch_is_delivered_by_offer_one_claim_page_per_issued_line(client, wallet, db) -> None:
    from datetime import timedelta

    from tests.credentials.oid4vci.conftest import access_token, c_nonce, credential_request, holder, proof
    from tests.credentials.test_batches import submit_json, wait_done
    from tests.credentials.conftest import new_achievement, new_provider

    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    recipients = [{"recipient_email": "one@example.jp"}, {"recipient_email": "broken"},
                  {"recipient_email": "three@example.jp"}]
    submitted = await submit_json(client, provider, {"achievement_id": achievement["id"], "recipients": recipients})
    batch = await wait_done(client, provider, submitted.json()["id"])
    path = f"{provider['base']}/batches/{batch['id']}/oid4vci-offers"
    too_long = await wallet.post(path, headers=provider["headers"], json={"expires_in_hours": 10_000})
    assert too_long.status_code == 400 or too_long.status_code == 422
    made = await wallet.post(path, headers=provider["headers"], json={"expires_in_hours": 48})
    assert made.status_code == 201, made.text
    offers = made.json()
    assert [(o["line"], o["recipient_email"]) for o in offers] == [(1, "one@example.jp"), (3, "three@example.jp")]
    assert len({o["claim_url"] for o in offers}) == 2 and all(len(o["tx_code"]) == 6 for o in offers)
    rows = list((await db.execute(select(CredentialOffer).order_by(CredentialOffer.created_at))).scalars())
    assert all(timedelta(hours=47) < r.expires_at - r.created_at <= timedelta(hours=48) for r in rows)

    token = await access_token(wallet, offers[1])
    received = await credential_request(wallet, token, proof(holder(), await c_nonce(wallet)))
    assert received.status_code == 200, received.text
    assert received.json()["credentials"][0]["credential"]["id"] != offers[0]["credential_id"]
    unknown = await wallet.post(f"{provider['base']}/batches/{provider['id']}/oid4vci-offers",
                                headers=provider["headers"])
    assert unknown.status_code == 404
