"""Sending outbox messages: signed (Standard Webhooks), retried with back-off, logged per attempt.

A message is claimed by a conditional ``UPDATE`` (state ``sending`` for one ``LEASE``), so two runners
never send it at once; a process that dies while sending leaves the row ``sending`` and, once the lease
has passed, the next runner sends it again with the same ``webhook-id`` (receivers drop repeats).
A 2xx answer delivers it; anything else (another status, a timeout, a refused address) is logged and
retried after ``BACKOFF[attempt - 1]``; after the last retry the message is ``failed``. Redirects are
not followed. Each round sends at most ``BATCH`` messages, ``PARALLEL`` at a time, so a dead endpoint
only ever holds one slot for ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook

from core.db import utcnow
from core.settings import Settings
from credentials.webhooks import outbox
from credentials.webhooks.addresses import AddressRefused, resolve
from credentials.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from credentials.webhooks.sealing import unseal

log = logging.getLogger("skillpass.credentials.webhooks")
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
           timedelta(hours=12))
LEASE = timedelta(minutes=2)  # longer than one attempt can take
TIMEOUT = 10.0
BATCH = 50
PARALLEL = 4
POLL_SECONDS = 15.0
RETENTION = timedelta(days=30)  # delivered and failed messages (and their log) are kept this long
SWEEP_EVERY = 3600.0
STOP_GRACE = 10.0
USER_AGENT = "skillpass-webhooks/1"


class Stopped(Exception):
    """The runner is stopping: the attempt in flight is dropped (the row's lease brings it back)."""


async def deliver_due(engine: AsyncEngine, settings: Settings, *, now: datetime | None = None,
                      stopping: asyncio.Event | None = None) -> int:
    """Send the messages whose turn has come (``now``: the clock, for tests); returns how many were
    delivered. When ``stopping`` is set, requests in flight are abandoned, never a database write."""
    now = now or utcnow()
    query = (select(WebhookMessage.id).join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
             .where(*_due(now), WebhookEndpoint.enabled.is_(True))
             .order_by(WebhookMessage.next_attempt_at).limit(BATCH))
    async with engine.connect() as conn:
        ids = list((await conn.execute(query)).scalars())
    if not ids:
        return 0
    slots = asyncio.Semaphore(PARALLEL)
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
        async def one(message_id: uuid.UUID) -> bool:
            async with slots:
                if stopping is not None and stopping.is_set():
                    return False
                try:
                    return await _deliver_one(engine, settings, client, message_id, now, stopping)
                except Stopped:
                    return False

        results = await asyncio.gather(*(one(i) for i in ids))
    return sum(results)


def _due(now: datetime) -> list:
    return [WebhookMessage.state.in_(("pending", "sending")), WebhookMessage.next_attempt_at <= now]


@dataclass(frozen=True)
class Claimed:
    """A message taken for one attempt, with what sending it needs."""

    id: uuid.UUID
    endpoint_id: uuid.UUID
    payload: dict
    attempts: int
    url: str
    secret_sealed: bytes


async def _claim(engine: AsyncEngine, message_id: uuid.UUID, now: datetime) -> Claimed | None:
    async with engine.begin() as conn:
        row = (await conn.execute(
            update(WebhookMessage).where(WebhookMessage.id == message_id, *_due(now))
            .values(state="sending", attempts=WebhookMessage.attempts + 1, next_attempt_at=now + LEASE)
            .returning(WebhookMessage.id, WebhookMessage.endpoint_id, WebhookMessage.payload,
                       WebhookMessage.attempts))).one_or_none()
        if row is None:
            return None
        endpoint = (await conn.execute(select(WebhookEndpoint.url, WebhookEndpoint.secret_sealed).where(
            WebhookEndpoint.id == row.endpoint_id))).one()
    return Claimed(row.id, row.endpoint_id, row.payload, row.attempts, endpoint.url, endpoint.secret_sealed)


def signed_headers(secret: str, message_id: str, body: str, at: datetime | None = None) -> dict[str, str]:
    """The Standard Webhooks headers for ``body`` (``webhook-timestamp`` is the time of this attempt)."""
    at = at or utcnow()
    return {"webhook-id": message_id, "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, at, body),
            "content-type": "application/json", "user-agent": USER_AGENT}


async def _post(client: httpx.AsyncClient, stopping: asyncio.Event | None, url: str,
                **kwargs) -> httpx.Response:
    """``client.post``, abandoned (``Stopped``) as soon as ``stopping`` is set."""
    if stopping is None:
        return await client.post(url, **kwargs)
    post = asyncio.ensure_future(client.post(url, **kwargs))
    stop = asyncio.ensure_future(stopping.wait())
    try:
        await asyncio.wait({post, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not post.done():
        post.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await post
        raise Stopped
    return post.result()


async def _deliver_one(engine: AsyncEngine, settings: Settings, client: httpx.AsyncClient,
                       message_id: uuid.UUID, now: datetime, stopping: asyncio.Event | None = None) -> bool:
    message = await _claim(engine, message_id, now)
    if message is None:
        return False  # another runner took it
    url, sealed = message.url, message.secret_sealed
    body = json.dumps(message.payload, ensure_ascii=False, separators=(",", ":"))
    started = time.monotonic()
    status, error = None, None
    try:
        target = await resolve(url, allow_private=settings.webhooks_allow_private)
        secret = unseal(sealed, message.endpoint_id, settings.master_key)
        headers = {**signed_headers(secret, f"msg_{message.id.hex}", body), "host": target.host_header()}
        extensions = {"sni_hostname": target.host} if url.startswith("https:") else {}
        response = await _post(client, stopping, target.pinned_url(), content=body.encode(), headers=headers,
                               extensions=extensions)
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except Stopped:
        raise
    except AddressRefused as exc:
        error = str(exc)
    except httpx.TimeoutException:
        error = "timed out"
    except httpx.HTTPError as exc:
        error = type(exc).__name__
    except Exception:  # noqa: BLE001 - one message never stops the runner; the attempt is logged and retried
        log.exception("webhook message %s could not be sent", message.id)
        error = "internal error"
    await _record(engine, message, now, status, error, int((time.monotonic() - started) * 1000))
    return error is None


async def _record(engine: AsyncEngine, message: Claimed, now: datetime, status: int | None,
                  error: str | None, duration_ms: int) -> None:
    retry_at = None
    if error is None:
        values = {"state": "delivered", "delivered_at": utcnow(), "next_attempt_at": None}
    elif message.attempts <= len(BACKOFF):
        retry_at = now + BACKOFF[message.attempts - 1]
        values = {"state": "pending", "next_attempt_at": retry_at}
    else:
        values = {"state": "failed", "next_attempt_at": None}
    async with engine.begin() as conn:
        await conn.execute(update(WebhookMessage).where(WebhookMessage.id == message.id)
                           .values(last_status=status, last_error=error[:200] if error else None, **values))
        await conn.execute(insert(WebhookAttempt.__table__).values(
            id=uuid.uuid4(), message_id=message.id, attempt=message.attempts, at=utcnow(), status_code=status,
            duration_ms=duration_ms, error=error[:200] if error else None, next_retry_at=retry_at))


async def sweep(engine: AsyncEngine, now: datetime | None = None) -> int:
    """Delete delivered and failed messages older than ``RETENTION`` (their attempts go with them): the
    payloads name recipients, and the log is for looking into recent deliveries."""
    cutoff = (now or utcnow()) - RETENTION
    old = select(WebhookMessage.id).where(WebhookMessage.state.in_(("delivered", "failed")),
                                          WebhookMessage.created_at < cutoff)
    async with engine.begin() as conn:
        await conn.execute(delete(WebhookAttempt).where(WebhookAttempt.message_id.in_(old)))
        return (await conn.execute(delete(WebhookMessage).where(WebhookMessage.id.in_(old)))).rowcount


class WebhookRunner:
    """Sends due messages in the background of one server process: woken when a transaction that wrote
    messages commits (``outbox.add_waker``), and every ``POLL_SECONDS`` for retries and other processes.
    Stopping abandons requests in flight but lets database writes finish (a cancelled write could leave
    a SQLite lock behind); what was abandoned is sent again once its lease has passed."""

    def __init__(self, engine: AsyncEngine, settings: Settings, poll_seconds: float = POLL_SECONDS) -> None:
        self.engine = engine
        self.settings = settings
        self.poll_seconds = poll_seconds
        self.task: asyncio.Task | None = None
        self._signal = asyncio.Event()
        self._stopping = asyncio.Event()
        self._wake = None
        self._next_sweep = 0.0

    async def start(self) -> None:
        self._wake = outbox.waker_for(self._signal)
        outbox.add_waker(self._wake)
        self.task = asyncio.get_running_loop().create_task(self._loop(), name="skillpass-webhooks")

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            self._signal.clear()
            wait = self.poll_seconds
            try:
                if await deliver_due(self.engine, self.settings, stopping=self._stopping) >= BATCH:
                    self._signal.set()  # a full round: more may be due (a batch of thousands), go on at once
                if time.monotonic() >= self._next_sweep:
                    await sweep(self.engine)
                    self._next_sweep = time.monotonic() + SWEEP_EVERY
            except Exception:  # noqa: BLE001 - a database hiccup must not end the loop; the next round tries
                log.warning("webhook delivery round failed; trying again", exc_info=True)
                wait = 1.0
            if self._stopping.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._signal.wait(), wait)

    async def stop(self) -> None:
        if self._wake is not None:
            outbox.remove_waker(self._wake)
        self._stopping.set()
        self._signal.set()
        if self.task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self.task), STOP_GRACE)
            except TimeoutError:  # a database write that hangs: give up on it
                self.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self.task
        self.task = None
