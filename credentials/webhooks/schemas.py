"""Request and response bodies of the webhooks API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EventType = Literal["credential.issued", "credential.claimed", "credential.revoked", "batch.finished"]


class EndpointCreate(BaseModel):
    url: str = Field(description="https URL on a public host; it receives POSTs signed per Standard Webhooks")
    events: list[EventType] = Field(min_length=1, description="The events to receive")
    description: str | None = Field(None, description="A note for yourself (at most 200 characters)")


class EndpointUpdate(BaseModel):
    url: str | None = None
    events: list[EventType] | None = None
    description: str | None = None
    enabled: bool | None = None


class EndpointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    url: str
    description: str
    events: list[str]
    enabled: bool
    created_at: datetime
    secret_rotated_at: datetime | None


class EndpointWithSecret(EndpointRead):
    secret: str = Field(description="The signing secret (whsec_…): shown only in this response")


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    next_retry_at: datetime | None


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    webhook_id: str = Field(description="The webhook-id header of every attempt")
    event_type: str
    state: str = Field(description="pending, sending, delivered or failed")
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    created_at: datetime
    delivered_at: datetime | None
    log: list[AttemptRead] = Field(default_factory=list)
