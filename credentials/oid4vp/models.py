"""Tables of OpenID4VP: an employer's presentation request and, once a wallet answered, what the holder
disclosed and the verdict (nothing else of the presentation is kept).

``handle`` names the request in its public ``request_uri`` and ``response_uri``; it is kept in clear
because the employer's page shows the link again, and it grants nothing by itself: an answer must carry
presentations bound to the holder's key that answer this request's ``nonce`` and ``client_id``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class RequestStatus(StrEnum):
    PENDING = "pending"
    ANSWERED = "answered"


class PresentationRequest(SQLModel, table=True):
    """A presentation request of an employer organisation (single answer, expiring)."""

    __tablename__ = "oid4vp_request"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    created_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    handle: str = Field(max_length=64, unique=True)
    nonce: str = Field(max_length=64, unique=True)
    state: str = Field(max_length=64)
    purpose: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # {"ja": ..., "en": ...}
    wanted: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # formats, types, issuers, dss_items
    dcql_query: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    status: str = Field(default=RequestStatus.PENDING, max_length=20)
    verified: bool | None = Field(default=None)
    result: dict | None = Field(default=None, sa_type=JSON)  # the disclosed claims and verdict per credential
    expires_at: datetime = datetime_field(nullable=False)
    answered_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()
