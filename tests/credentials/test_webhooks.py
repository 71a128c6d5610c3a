"""Provider webhooks: written with the event, delivered after commit to a real local HTTP receiver,
signed so that standardwebhooks' own ``Webhook.verify`` accepts them, retried with back-off, never
in the way of issuance, and refused for addresses a webhook must not reach."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from standardwebhooks.webhooks import Webhook

from core.db import utcnow
from credentials.webhooks import delivery
from credentials.webhooks.delivery import BACKOFF, LEASE, deliver_due
from credentials.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from credentials.webhooks.outbox import announce
from credentials.webhooks.service import WebhookService
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider, provider_in_db
from tests.credentials.live_server import free_port


class Receiver:
    """A webhook receiver on 127.0.0.1 (``http.server`` in a thread). ``plan`` says how to answer each
    request in turn (a status code, or ``"hang"``: hold the request until ``release``); after the plan, 200."""

    def __init__(self, plan: list[int | str] | None = None) -> None:
        self.plan = list(plan or [])
        self.received: list[tuple[dict[str, str], bytes, int | str]] = []
        self.released = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                answer = receiver.plan.pop(0) if receiver.plan else 200
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body, answer))
                if answer == "hang":
                    receiver.released.wait(30)
                    self.close_connection = True
                    return
                self.send_response(int(answer))
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/skillpass"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def answered(self, status: int = 200) -> list[tuple[dict[str, str], bytes, int | str]]:
        return [r for r in self.received if r[2] == status]


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def private_settings(settings):
    return settings.model_copy(update={"webhooks_allow_private": True})


@pytest.fixture(scope="module")
def webhook_app(settings):
    from skillpass.app import create_app

    return create_app(settings.model_copy(update={"webhooks_allow_private": True}))


@pytest.fixture
async def wh_client(webhook_app):
    async with AsyncTestClient(app=webhook_app) as test_client:
        yield test_client


async def wait_for(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def messages(db) -> list[WebhookMessage]:
    await db.rollback()  # a fresh snapshot (objects read before are expired)
    return list((await db.execute(select(WebhookMessage).order_by(WebhookMessage.created_at))).scalars())


async def endpoint_in_db(db, settings, url: str, events=("credential.issued",), slug: str = "wh-provider"):
    org = await provider_in_db(db, slug)
    endpoint, secret = await WebhookService(db, settings).create(org.id, url, list(events))
    await db.commit()
    return org.id, endpoint.id, secret


async def test_issued_credential_reaches_the_receiver_signed_after_commit(wh_client, receiver, db) -> None:
    provider = await new_provider(wh_client, "wh-signed")
    created = await wh_client.post(f"{provider['base']}/webhooks", headers=await api_headers(wh_client, provider),
                                   json={"url": receiver.url, "events": ["credential.issued", "credential.revoked"]})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    listed = await wh_client.get(f"{provider['base']}/webhooks", headers=provider["headers"])
    assert secret not in listed.text and listed.json()[0]["events"] == ["credential.issued", "credential.revoked"]
    stored = (await db.execute(select(WebhookEndpoint))).scalar_one()
    assert secret.encode() not in stored.secret_sealed and secret[6:].encode() not in stored.secret_sealed
    endpoint_id = stored.id

    achievement = await new_achievement(wh_client, provider)
    issued = await issue(wh_client, provider, achievement["id"], "wh-learner@example.jp")
    assert issued.status_code == 201, issued.text

    async def arrived() -> bool:  # received, and recorded as delivered (the record follows the answer)
        return len(receiver.answered()) == 1 and [m.state for m in await messages(db)] == ["delivered"]

    await wait_for(arrived)  # the runner was woken by the commit; nobody called deliver_due
    headers, body, _ = receiver.answered()[0]
    event = Webhook(secret).verify(body, headers)
    assert event["type"] == "credential.issued"
    assert event["data"]["credential_id"] == issued.json()["id"]
    assert event["data"]["recipient_email"] == "wh-learner@example.jp"
    [message] = await messages(db)
    assert headers["webhook-id"] == f"msg_{message.id.hex}" and message.state == "delivered"
    with pytest.raises(Exception):
        Webhook("whsec_" + "QUJD" * 8).verify(body, headers)  # another secret does not verify

    revoked = await wh_client.post(f"{provider['base']}/credentials/{issued.json()['id']}/revoke",
                                   headers=await api_headers(wh_client, provider), json={"reason": "error"})
    assert revoked.status_code == 200, revoked.text

    async def second() -> bool:
        return len(receiver.answered()) == 2 and {m.state for m in await messages(db)} == {"delivered"}

    await wait_for(second)
    revoked_event = Webhook(secret).verify(receiver.answered()[1][1], receiver.answered()[1][0])
    assert revoked_event["type"] == "credential.revoked" and revoked_event["data"]["reason"] == "error"
    log = await wh_client.get(f"{provider['base']}/webhooks/{endpoint_id}/messages", headers=provider["headers"])
    assert log.status_code == 200
    assert [m["log"][0]["status_code"] for m in log.json()] == [200, 200]
    assert secret not in log.text


async def test_failed_deliveries_are_retried_with_back_off_then_given_up(db, private_settings, engine) -> None:
    failing = Receiver([500] * 6)
    try:
        org_id, endpoint_id, secret = await endpoint_in_db(db, private_settings, failing.url)
        await announce(db, org_id, "credential.issued", [{"credential_id": "c-1"}])
        await db.commit()
        start = utcnow()
        assert await deliver_due(engine, private_settings, now=start) == 0
        [message] = await messages(db)
        assert message.state == "pending" and message.attempts == 1 and message.last_status == 500
        assert abs((message.next_attempt_at - (start + BACKOFF[0])).total_seconds()) < 1
        # not due before its time
        assert await deliver_due(engine, private_settings, now=start + BACKOFF[0] - timedelta(seconds=5)) == 0
        assert len(failing.received) == 1
        clock = start
        for wait in BACKOFF:
            clock = clock + wait + timedelta(seconds=1)
            assert await deliver_due(engine, private_settings, now=clock) == 0
        [message] = await messages(db)
        assert message.state == "failed" and message.attempts == len(BACKOFF) + 1 and message.next_attempt_at is None
        attempts = list((await db.execute(select(WebhookAttempt).order_by(WebhookAttempt.attempt))).scalars())
        assert [a.status_code for a in attempts] == [500] * 6
        assert [a.next_retry_at is not None for a in attempts] == [True] * 5 + [False]
        assert len(failing.received) == 6
        ids = {headers["webhook-id"] for headers, _, _ in failing.received}
        assert ids == {f"msg_{message.id.hex}"}  # the same id on every attempt
        assert await deliver_due(engine, private_settings, now=clock + timedelta(days=2)) == 0
        assert len(failing.received) == 6
    finally:
        failing.close()


async def test_a_500_then_a_200_delivers_on_the_retry(db, private_settings, engine) -> None:
    flaky = Receiver([500, 503])
    try:
        org_id, endpoint_id, secret = await endpoint_in_db(db, private_settings, flaky.url)
        await announce(db, org_id, "credential.issued", [{"credential_id": "c-2"}])
        await db.commit()
        start = utcnow()
        assert await deliver_due(engine, private_settings, now=start) == 0
        assert await deliver_due(engine, private_settings, now=start + BACKOFF[0] + timedelta(seconds=1)) == 0
        [message] = await messages(db)
        assert message.attempts == 2
        assert abs((message.next_attempt_at - (start + BACKOFF[0] + timedelta(seconds=1) + BACKOFF[1]))
                   .total_seconds()) < 1
        assert await deliver_due(engine, private_settings, now=message.next_attempt_at) == 1
        [message] = await messages(db)
        assert message.state == "delivered" and message.attempts == 3
        headers, body, _ = flaky.answered()[0]
        assert Webhook(secret).verify(body, headers)["data"] == {"credential_id": "c-2"}
    finally:
        flaky.close()


async def test_a_message_left_sending_by_a_dead_process_is_sent_once_after_its_lease(
        db, private_settings, engine, receiver) -> None:
    org_id, endpoint_id, secret = await endpoint_in_db(db, private_settings, receiver.url)
    await announce(db, org_id, "credential.issued", [{"credential_id": "c-3"}])
    await db.commit()
    [message] = await messages(db)
    now = utcnow()
    assert await delivery._claim(engine, message.id, now) is not None  # a process claimed it, then died
    assert await deliver_due(engine, private_settings, now=now + timedelta(seconds=30)) == 0  # lease held
    assert receiver.received == []
    after = now + LEASE + timedelta(seconds=1)
    results = await asyncio.gather(deliver_due(engine, private_settings, now=after),
                                   deliver_due(engine, private_settings, now=after))
    assert sorted(results) == [0, 1]  # two runners at once: one sends
    assert await deliver_due(engine, private_settings, now=after + timedelta(days=1)) == 0
    assert len(receiver.received) == 1
    headers, body, _ = receiver.received[0]
    assert headers["webhook-id"] == f"msg_{message.id.hex}"
    assert Webhook(secret).verify(body, headers)["data"] == {"credential_id": "c-3"}


async def test_restart_in_the_middle_of_a_delivery(db, private_settings, engine, tmp_path, monkeypatch) -> None:
    """A real server process is stopped while its receiver holds the request open; the next process
    delivers the message once, with the same webhook-id and a signature that verifies."""
    from accounts.service import AccountService
    from credentials.achievements import AchievementService
    from tests.credentials.conftest import ACHIEVEMENT
    from tests.credentials.live_server import serve_live

    import httpx

    hanging = Receiver(["hang"])
    try:
        org_id, endpoint_id, secret = await endpoint_in_db(db, private_settings, hanging.url, slug="wh-restart")
        _, key = await AccountService(db).create_api_key(org_id, "restart", None)
        achievement = await AchievementService(db, private_settings).create(org_id, ACHIEVEMENT)
        await db.commit()
        monkeypatch.setenv("SKILLPASS_WEBHOOKS_ALLOW_PRIVATE", "true")
        port = free_port()
        async with serve_live(private_settings, tmp_path, port=port, base_url=private_settings.base_url) as url:
            async with httpx.AsyncClient(base_url=url, timeout=10) as http:
                response = await http.post(f"/api/v1/orgs/{org_id}/credentials", json={
                    "achievement_id": str(achievement.id), "recipient_email": "restart@example.jp"},
                    headers={"x-api-key": key, "Idempotency-Key": "restart-1"})
                assert response.status_code == 201, response.text

            async def held() -> bool:
                return len(hanging.received) == 1

            await wait_for(held)
            [message] = await messages(db)
            assert message.state == "sending"
        # the process is gone; the row is still 'sending' under its lease
        [message] = await messages(db)
        assert message.state == "sending" and message.attempts == 1
        hanging.released.set()
        await db.execute(update(WebhookMessage).where(WebhookMessage.id == message.id)
                         .values(next_attempt_at=utcnow() - timedelta(seconds=1)))  # as if LEASE had passed
        await db.commit()
        async with serve_live(private_settings, tmp_path, port=free_port(), base_url=private_settings.base_url):
            async def delivered() -> bool:
                return [m.state for m in await messages(db)] == ["delivered"]

            await wait_for(delivered, timeout=20)
        [message] = await messages(db)
        assert message.state == "delivered" and message.attempts == 2
        assert len(hanging.answered()) == 1
        first, second = hanging.received
        assert first[0]["webhook-id"] == second[0]["webhook-id"] == f"msg_{message.id.hex}"
        event = Webhook(secret).verify(second[1], second[0])
        assert event["type"] == "credential.issued" and event["data"]["recipient_email"] == "restart@example.jp"
    finally:
        hanging.close()


async def test_issuance_succeeds_and_is_not_slowed_when_the_endpoint_is_down(wh_client, db) -> None:
    slow = Receiver(["hang"])
    try:
        provider = await new_provider(wh_client, "wh-down")
        headers = await api_headers(wh_client, provider)
        for url in (f"http://127.0.0.1:{free_port()}/nobody-listens", slow.url):
            created = await wh_client.post(f"{provider['base']}/webhooks", headers=headers,
                                           json={"url": url, "events": ["credential.issued"]})
            assert created.status_code == 201, created.text
        achievement = await new_achievement(wh_client, provider)
        started = time.monotonic()
        for n in range(3):
            response = await issue(wh_client, provider, achievement["id"], f"down{n}@example.jp")
            assert response.status_code == 201, response.text
        assert time.monotonic() - started < 5  # the endpoint that hangs holds nothing up

        async def refused_logged() -> bool:
            await db.rollback()
            rows = (await db.execute(select(WebhookAttempt))).scalars().all()
            return any(a.error and a.status_code is None for a in rows)

        await wait_for(refused_logged)
        refused = [a for a in (await db.execute(select(WebhookAttempt))).scalars() if a.error]
        assert refused[0].next_retry_at is not None
    finally:
        slow.close()


async def test_test_event_disable_enable_rotate_and_delete(wh_client, receiver, db) -> None:
    provider = await new_provider(wh_client, "wh-manage")
    headers = await api_headers(wh_client, provider)
    created = (await wh_client.post(f"{provider['base']}/webhooks", headers=headers,
                                    json={"url": receiver.url, "events": ["batch.finished"]})).json()
    base = f"{provider['base']}/webhooks/{created['id']}"
    sent = await wh_client.post(f"{base}/test", headers=headers)
    assert sent.status_code == 202 and sent.json()["event_type"] == "webhook.test"

    async def got(n: int):
        async def check() -> bool:
            return len(receiver.answered()) == n
        return check

    await wait_for(await got(1))
    assert Webhook(created["secret"]).verify(receiver.answered()[0][1], receiver.answered()[0][0])["type"] == "webhook.test"

    rotated = await wh_client.post(f"{base}/rotate-secret", headers=headers)
    assert rotated.status_code == 200 and rotated.json()["secret"] != created["secret"]
    disabled = await wh_client.patch(base, headers=headers, json={"enabled": False})
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    refused = await wh_client.post(f"{base}/test", headers=headers)
    assert refused.status_code == 409
    await wh_client.patch(base, headers=headers, json={"enabled": True})
    await wh_client.post(f"{base}/test", headers=headers)
    await wait_for(await got(2))
    new_headers, new_body, _ = receiver.answered()[1]
    assert Webhook(rotated.json()["secret"]).verify(new_body, new_headers)["type"] == "webhook.test"
    with pytest.raises(Exception):
        Webhook(created["secret"]).verify(new_body, new_headers)

    deleted = await wh_client.delete(base, headers=headers)
    assert deleted.status_code == 200
    assert (await wh_client.get(base, headers=headers)).status_code == 404
    assert await messages(db) == []


async def test_batch_finished_and_claimed_events(wh_client, receiver, db) -> None:
    from tests.conftest import sign_up

    provider = await new_provider(wh_client, "wh-batch")
    headers = await api_headers(wh_client, provider)
    secret = (await wh_client.post(f"{provider['base']}/webhooks", headers=headers, json={
        "url": receiver.url, "events": ["batch.finished", "credential.claimed"]})).json()["secret"]
    achievement = await new_achievement(wh_client, provider)
    submitted = await wh_client.post(f"{provider['base']}/batches", headers={**headers, "Idempotency-Key": "b-1"},
                                     json={"achievement_id": achievement["id"], "recipients": [
                                         {"recipient_email": "claimer@example.jp"}, {"recipient_email": "not-an-email"}]})
    assert submitted.status_code == 202, submitted.text

    async def finished() -> bool:
        return any(json.loads(b)["type"] == "batch.finished" for _, b, _ in receiver.answered())

    await wait_for(finished, timeout=20)
    [batch_event] = [Webhook(secret).verify(b, h) for h, b, _ in receiver.answered()
                     if json.loads(b)["type"] == "batch.finished"]
    assert batch_event["data"]["batch_id"] == submitted.json()["id"]
    assert batch_event["data"]["issued"] == 1 and batch_event["data"]["failed"] == 1

    wh_client.cookies.clear()
    await sign_up(wh_client, "claimer@example.jp")  # confirming the address claims the credential

    async def claimed() -> bool:
        return any(json.loads(b)["type"] == "credential.claimed" for _, b, _ in receiver.answered())

    await wait_for(claimed)
    [claim] = [Webhook(secret).verify(b, h) for h, b, _ in receiver.answered()
               if json.loads(b)["type"] == "credential.claimed"]
    assert claim["data"]["recipient_email"] == "claimer@example.jp"


@pytest.mark.parametrize("url", [
    "http://hooks.example.com/x",  # not https
    "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest/meta-data",
    "https://[::1]/hook", "https://[::ffff:10.0.0.1]/hook", "https://192.168.0.10/hook",
    "https://localhost/hook", "https://api.localhost/hook", "https://intranet/hook",
    "https://user:pw@hooks.example.com/x", "ftp://hooks.example.com/x",
])
async def test_addresses_a_webhook_must_not_reach_are_refused(client, url) -> None:
    provider = await new_provider(client, "wh-ssrf")
    response = await client.post(f"{provider['base']}/webhooks", headers=await api_headers(client, provider),
                                 json={"url": url, "events": ["credential.issued"]})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "url"


async def test_a_name_that_rebinds_to_a_private_address_is_refused_at_delivery(
        db, settings, engine, receiver, monkeypatch) -> None:
    """DNS is outside the platform: the look-up answers a public address when the endpoint is saved and
    the metadata address when it is delivered; the delivery is refused and nothing is sent."""
    from credentials.webhooks import addresses

    answers = {"hooks.example.com": "93.184.216.34"}

    async def lookup(host: str, port: int) -> list[str]:
        return [answers[host]]

    monkeypatch.setattr(addresses, "lookup", lookup)
    org_id, endpoint_id, secret = await endpoint_in_db(db, settings, "https://hooks.example.com/in")
    answers["hooks.example.com"] = "169.254.169.254"
    await announce(db, org_id, "credential.issued", [{"credential_id": "c-4"}])
    await db.commit()
    assert await deliver_due(engine, settings) == 0
    [message] = await messages(db)
    assert message.state == "pending" and "not public" in message.last_error
    # a literal private address stored before the rule (or edited in the database) is refused as well
    await db.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).values(url=receiver.url))
    await db.execute(update(WebhookMessage).values(next_attempt_at=utcnow()))
    await db.commit()
    assert await deliver_due(engine, settings) == 0
    assert receiver.received == []


async def test_webhooks_need_the_scope_and_an_admin(client) -> None:
    from tests.conftest import csrf_headers

    provider = await new_provider(client, "wh-scope")
    key = await client.post(f"{provider['base']}/api-keys", headers=await csrf_headers(client),
                            json={"name": "issue only", "scopes": ["issue", "read"]})
    assert key.status_code == 201, key.text
    client.cookies.clear()
    refused = await client.get(f"{provider['base']}/webhooks", headers={"x-api-key": key.json()["key"]})
    assert refused.status_code == 403 and refused.json()["missing_scope"] == "webhooks"
    allowed = await client.get(f"{provider['base']}/webhooks", headers=provider["headers"])
    assert allowed.status_code == 200
    other = await new_provider(client, "wh-scope-other")
    assert (await client.get(f"{other['base']}/webhooks", headers=provider["headers"])).status_code == 403


async def test_unknown_events_are_refused(client) -> None:
    provider = await new_provider(client, "wh-events")
    response = await client.post(f"{provider['base']}/webhooks", headers=await api_headers(client, provider),
                                 json={"url": "https://hooks.example.com/x", "events": ["credential.deleted"]})
    assert response.status_code == 400  # the body does not fit its schema (the event is an enum)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["key"] == "events.0"
    empty = await client.post(f"{provider['base']}/webhooks", headers=await api_headers(client, provider),
                              json={"url": "https://hooks.example.com/x", "events": []})
    assert empty.status_code == 400
    patched = await client.get(f"{provider['base']}/webhooks", headers=provider["headers"])
    assert patched.json() == []  # nothing written


async def test_old_delivered_and_failed_messages_are_swept(db, private_settings, engine, receiver) -> None:
    org_id, endpoint_id, secret = await endpoint_in_db(db, private_settings, receiver.url)
    await announce(db, org_id, "credential.issued", [{"credential_id": "old"}, {"credential_id": "waiting"}])
    await db.commit()
    first, second = await messages(db)
    now = utcnow()
    await deliver_due(engine, private_settings, now=now)
    await db.execute(update(WebhookMessage).where(WebhookMessage.id == second.id)
                     .values(state="pending", next_attempt_at=now + timedelta(hours=1)))
    await db.execute(update(WebhookMessage).values(created_at=now - delivery.RETENTION - timedelta(days=1)))
    await db.commit()
    assert await delivery.sweep(engine, now) == 1
    remaining = await messages(db)
    assert [m.state for m in remaining] == ["pending"]  # a message still waiting is never swept
    attempts = (await db.execute(select(WebhookAttempt))).scalars().all()
    assert {a.message_id for a in attempts} <= {remaining[0].id}


async def test_the_runner_goes_on_at_once_after_a_full_round(db, private_settings, engine, receiver,
                                                              monkeypatch) -> None:
    """A batch of thousands of credentials is more than one round: the runner does not wait for its poll."""
    monkeypatch.setattr(delivery, "BATCH", 2)
    org_id, endpoint_id, secret = await endpoint_in_db(db, private_settings, receiver.url)
    await announce(db, org_id, "credential.issued", [{"credential_id": f"c-{n}"} for n in range(7)])
    await db.commit()
    runner = delivery.WebhookRunner(engine, private_settings, poll_seconds=600)
    await runner.start()
    try:
        async def all_sent() -> bool:
            return len(receiver.answered()) == 7

        await wait_for(all_sent, timeout=15)
    finally:
        await runner.stop()
    sent = sorted(Webhook(secret).verify(b, h)["data"]["credential_id"] for h, b, _ in receiver.answered())
    assert sent == sorted(f"c-{n}" for n in range(7))
    assert {m.state for m in await messages(db)} == {"delivered"}
