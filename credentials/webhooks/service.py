"""A provider's webhook endpoints: add, change, enable/disable, delete, rotate the secret, send a test
event, read the delivery log. One set of rules for the API and the console page (the caller commits)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.webhooks import outbox
from credentials.webhooks.addresses import check_reachable
from credentials.webhooks.models import (
    EVENT_TYPES,
    TEST_EVENT,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookMessage,
)
from credentials.webhooks.sealing import new_secret, seal

MAX_ENDPOINTS = 10
MAX_DESCRIPTION = 200
LOG_LIMIT = 50


def checked_events(events: Iterable[str] | None) -> list[str]:
    chosen = sorted({str(e).strip() for e in (events or []) if str(e).strip()})
    unknown = [e for e in chosen if e not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(f"Unknown event type: {unknown[0]} (known: {', '.join(EVENT_TYPES)}).",
                           field="events")
    if not chosen:
        raise InvalidInput("Choose at least one event.", field="events")
    return chosen


def checked_description(description: str | None) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(f"At most {MAX_DESCRIPTION} characters.", field="description")
    return description


class WebhookService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def list(self, org_id: uuid.UUID) -> list[WebhookEndpoint]:
        rows = await self.session.execute(select(WebhookEndpoint).where(WebhookEndpoint.org_id == org_id)
                                          .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id))
        return list(rows.scalars())

    async def get(self, org_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
        endpoint = await self.session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None or endpoint.org_id != org_id:
            raise NotFound("No such webhook endpoint in this organization.")
        return endpoint

    async def create(self, org_id: uuid.UUID, url: str, events: Iterable[str] | None,
                     description: str | None = None,
                     created_by: uuid.UUID | None = None) -> tuple[WebhookEndpoint, str]:
        """A new endpoint and its signing secret (``whsec_…``, shown this once; stored sealed)."""
        chosen, text = checked_events(events), checked_description(description)
        url = await check_reachable(url, allow_private=self.settings.webhooks_allow_private)
        count = (await self.session.execute(select(func.count()).select_from(WebhookEndpoint)
                                            .where(WebhookEndpoint.org_id == org_id))).scalar_one()
        if count >= MAX_ENDPOINTS:
            raise Conflict(f"An organization has at most {MAX_ENDPOINTS} webhook endpoints.")
        endpoint_id, secret = uuid.uuid4(), new_secret()
        endpoint = WebhookEndpoint(id=endpoint_id, org_id=org_id, url=url, events=chosen, description=text,
                                   secret_sealed=seal(secret, endpoint_id, self.settings.master_key),
                                   created_by=created_by)
        self.session.add(endpoint)
        await self.session.flush()
        return endpoint, secret

    async def update(self, org_id: uuid.UUID, endpoint_id: uuid.UUID,
                     changes: dict[str, Any]) -> WebhookEndpoint:
        """Change the url, events, description or ``enabled`` (keys absent from ``changes`` stay)."""
        endpoint = await self.get(org_id, endpoint_id)
        if "url" in changes:
            endpoint.url = await check_reachable(changes["url"],
                                                 allow_private=self.settings.webhooks_allow_private)
        if "events" in changes:
            endpoint.events = checked_events(changes["events"])
        if "description" in changes:
            endpoint.description = checked_description(changes["description"])
        if changes.get("enabled") is not None:
            endpoint.enabled = bool(changes["enabled"])
        await self.session.flush()
        return endpoint

    async def delete(self, org_id: uuid.UUID, endpoint_id: uuid.UUID) -> None:
        """Delete the endpoint with its messages and their log."""
        endpoint = await self.get(org_id, endpoint_id)
        messages = select(WebhookMessage.id).where(WebhookMessage.endpoint_id == endpoint.id)
        await self.session.execute(delete(WebhookAttempt).where(WebhookAttempt.message_id.in_(messages)))
        await self.session.execute(delete(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint.id))
        await self.session.delete(endpoint)
        await self.session.flush()

    async def rotate_secret(self, org_id: uuid.UUID, endpoint_id: uuid.UUID) -> tuple[WebhookEndpoint, str]:
        """A new secret, used from the next attempt on (also for messages still waiting); shown once."""
        endpoint = await self.get(org_id, endpoint_id)
        secret = new_secret()
        endpoint.secret_sealed = seal(secret, endpoint.id, self.settings.master_key)
        endpoint.secret_rotated_at = utcnow()
        await self.session.flush()
        return endpoint, secret

    async def send_test(self, org_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookMessage:
        """Queue a ``webhook.test`` message for this endpoint (sent after commit, like any other)."""
        endpoint = await self.get(org_id, endpoint_id)
        if not endpoint.enabled:
            raise Conflict("This endpoint is disabled; enable it to send a test event.")
        now = utcnow()
        message = WebhookMessage(endpoint_id=endpoint.id, org_id=org_id, event_type=TEST_EVENT,
                                 payload=outbox.payload(TEST_EVENT, {"endpoint_id": str(endpoint.id)}),
                                 next_attempt_at=now, created_at=now)
        self.session.add(message)
        await self.session.flush()
        self.session.info[outbox.DUE_KEY] = True
        return message

    async def log(self, org_id: uuid.UUID, endpoint_id: uuid.UUID,
                  limit: int = LOG_LIMIT) -> list[tuple[WebhookMessage, list[WebhookAttempt]]]:
        """The endpoint's newest messages, each with its attempts (oldest first)."""
        endpoint = await self.get(org_id, endpoint_id)
        messages = list((await self.session.execute(
            select(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint.id)
            .order_by(WebhookMessage.created_at.desc(), WebhookMessage.id)
            .limit(max(1, min(limit, 200))))).scalars())
        attempts: dict[uuid.UUID, list[WebhookAttempt]] = {m.id: [] for m in messages}
        if messages:
            rows = await self.session.execute(select(WebhookAttempt).where(
                WebhookAttempt.message_id.in_(list(attempts))).order_by(WebhookAttempt.attempt))
            for attempt in rows.scalars():
                attempts[attempt.message_id].append(attempt)
        return [(m, attempts[m.id]) for m in messages]
