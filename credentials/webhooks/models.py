"""Tables of credentials.webhooks: a provider's endpoints, the outbox of messages to send (one row per
event and endpoint, written in the transaction of the event) and the log of every delivery attempt."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field

EVENT_TYPES = ("credential.issued", "credential.claimed", "credential.revoked", "batch.finished")
TEST_EVENT = "webhook.test"


class WebhookEndpoint(SQLModel, table=True):
    """A URL of a training provider that receives signed events; the secret is sealed at rest."""

    __tablename__ = "webhook_endpoint"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=200)
    events: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    secret_sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    enabled: bool = True
    created_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    secret_rotated_at: datetime | None = datetime_field()


class WebhookMessage(SQLModel, table=True):
    """One event for one endpoint: the outbox row. Its ``id`` is the ``webhook-id`` header, the same on
    every attempt, so a receiver can drop a message it already has."""

    __tablename__ = "webhook_message"

    id: uuid.UUID = id_field()
    endpoint_id: uuid.UUID = Field(foreign_key="webhook_endpoint.id", index=True, ondelete="CASCADE")
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    event_type: str = Field(max_length=40)
    payload: dict = Field(sa_type=JSON, nullable=False)
    state: str = Field(default="pending", max_length=20, index=True)  # pending | sending | delivered | failed
    attempts: int = 0
    next_attempt_at: datetime | None = datetime_field(index=True)
    last_status: int | None = None
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_at_field(index=True)
    delivered_at: datetime | None = datetime_field()


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: one row per attempt (never the secret, never the receiver's body)."""

    __tablename__ = "webhook_attempt"

    id: uuid.UUID = id_field()
    message_id: uuid.UUID = Field(foreign_key="webhook_message.id", index=True, ondelete="CASCADE")
    attempt: int
    at: datetime = created_at_field()
    status_code: int | None = None
    duration_ms: int = 0
    error: str | None = Field(default=None, max_length=200)
    next_retry_at: datetime | None = datetime_field()
