"""Announcing an event: one outbox row per enabled endpoint of the organization that wants it, written
in the caller's transaction, so the message exists exactly when the issuance, claim, revocation or
batch it tells of committed. Nothing is sent here; ``credentials.webhooks.delivery`` sends after commit.

The session is marked, and when it commits the delivery runners of this process are woken up
(``after_commit``), so a message usually leaves within a second of the commit; a runner also polls, for
messages written by other processes and for retries.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from core.db import utcnow
from credentials.webhooks.models import WebhookEndpoint, WebhookMessage

DUE_KEY = "skillpass.webhooks_due"
_wakers: set[Callable[[], None]] = set()


def payload(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The Standard Webhooks body: ``type``, ``timestamp`` (of the event) and ``data``."""
    return {"type": event_type, "timestamp": utcnow().isoformat().replace("+00:00", "Z"), "data": data}


async def announce(session: AsyncSession, org_id: uuid.UUID, event_type: str,
                   data: list[dict[str, Any]]) -> int:
    """Write one message per item of ``data`` for every enabled endpoint of ``org_id`` that subscribed to
    ``event_type``; returns how many rows were written (0 costs one query)."""
    if not data:
        return 0
    endpoints = (await session.execute(select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.org_id == org_id, WebhookEndpoint.enabled.is_(True)))).all()
    wanted = [endpoint_id for endpoint_id, events in endpoints if event_type in (events or [])]
    if not wanted:
        return 0
    now = utcnow()
    rows = [{"id": uuid.uuid4(), "endpoint_id": endpoint_id, "org_id": org_id, "event_type": event_type,
             "payload": payload(event_type, item), "state": "pending", "attempts": 0, "next_attempt_at": now,
             "created_at": now} for item in data for endpoint_id in wanted]
    await session.execute(insert(WebhookMessage.__table__), rows)
    session.info[DUE_KEY] = True
    return len(rows)


def add_waker(wake: Callable[[], None]) -> None:
    _listen()
    _wakers.add(wake)


def remove_waker(wake: Callable[[], None]) -> None:
    _wakers.discard(wake)


def _after_commit(session: Session) -> None:
    if session.info.pop(DUE_KEY, False):
        for wake in list(_wakers):
            wake()


def _listen() -> None:
    if not event.contains(Session, "after_commit", _after_commit):
        # a rolled-back session keeps its mark: its next commit wakes the runner for nothing (harmless)
        event.listen(Session, "after_commit", _after_commit)


def waker_for(signal: asyncio.Event) -> Callable[[], None]:
    """A wake-up that is safe to call from any thread: sets ``signal`` on its own loop."""
    loop = asyncio.get_running_loop()

    def wake() -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(signal.set)

    return wake
