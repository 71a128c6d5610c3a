"""The provider's webhook page: add an endpoint (secret shown once), send a test event that the local
receiver gets signed, see it in the delivery log, disable, rotate, delete; the same refusals as the API."""

from __future__ import annotations

import re

from standardwebhooks.webhooks import Webhook

from tests.credentials.test_webhooks import Receiver, wait_for, webhook_app, wh_client  # noqa: F401 - fixtures
from tests.frontend.test_provider_pages import form, htmx, provider


async def test_the_page_adds_an_endpoint_sends_a_test_event_and_logs_it(wh_client) -> None:  # noqa: F811
    receiver = Receiver()
    try:
        base = await provider(wh_client, "wh-page")
        listing = await wh_client.get(f"{base}/webhooks")
        assert listing.status_code == 200 and 'name="events" value="credential.claimed"' in listing.text
        created = await wh_client.post(f"{base}/webhooks", headers=htmx("webhook_form"), data={
            **await form(wh_client), "url": receiver.url, "events": ["credential.issued", "batch.finished"]})
        assert created.status_code == 200, created.text
        secret = re.search(r'id="new-webhook-secret"[^>]*value="(whsec_[^"]+)"', created.text).group(1)
        endpoint_id = re.search(r"/webhooks/([0-9a-f-]{36})", created.text).group(1)
        assert secret not in (await wh_client.get(f"{base}/webhooks")).text  # shown once

        sent = await wh_client.post(f"{base}/webhooks/{endpoint_id}/test", data=await form(wh_client))
        assert sent.status_code == 200 and "The test event is on its way" in sent.text  # after the redirect

        async def arrived() -> bool:
            return len(receiver.answered()) == 1

        await wait_for(arrived)
        headers, body, _ = receiver.answered()[0]
        assert Webhook(secret).verify(body, headers)["type"] == "webhook.test"

        async def logged() -> bool:
            text = (await wh_client.get(f"{base}/webhooks/{endpoint_id}", headers=htmx("delivery_log"))).text
            return "delivered" in text and "#1 · 200" in text

        await wait_for(logged)
        disabled = await wh_client.post(f"{base}/webhooks/{endpoint_id}/disable", data=await form(wh_client))
        assert "Endpoint disabled" in disabled.text and f"/webhooks/{endpoint_id}/enable" in disabled.text
        rotated = await wh_client.post(f"{base}/webhooks/{endpoint_id}/rotate", data=await form(wh_client))
        new_secret = re.search(r'id="rotated-secret"[^>]*value="(whsec_[^"]+)"', rotated.text).group(1)
        assert new_secret != secret
        unconfirmed = await wh_client.post(f"{base}/webhooks/{endpoint_id}/delete", data=await form(wh_client))
        assert unconfirmed.status_code == 422 and 'id="e-confirm"' in unconfirmed.text
        deleted = await wh_client.post(f"{base}/webhooks/{endpoint_id}/delete",
                                       data={**await form(wh_client), "confirm": "on"})
        assert deleted.status_code == 200 and "Endpoint deleted." in deleted.text
        assert (await wh_client.get(f"{base}/webhooks/{endpoint_id}")).status_code == 404
    finally:
        receiver.close()


async def test_the_form_refuses_what_the_api_refuses(client) -> None:
    base = await provider(client, "wh-page-refuse", lang="ja")
    for url in ("http://hooks.example.com/x", "https://169.254.169.254/latest", "https://localhost/x"):
        refused = await client.post(f"{base}/webhooks", data={**await form(client), "url": url,
                                                              "events": ["credential.issued"]})
        assert refused.status_code == 422 and 'id="e-url"' in refused.text
        assert "https の公開ホスト" in refused.text  # in Japanese, not the service's English
    no_events = await client.post(f"{base}/webhooks", data={**await form(client), "url": "https://1.1.1.1/x"})
    assert no_events.status_code == 422 and 'id="e-events"' in no_events.text
    assert (await client.get(f"{base}/webhooks")).text.count("/webhooks/") == 0
