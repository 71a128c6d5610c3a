"""The table of credentials.ob_consumer: one row per learner and Host they connected (or are connecting).
The client secret, the PKCE verifier and the tokens are sealed (``sealing``); the state only as a digest."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class HostConnection(SQLModel, table=True):
    """A learner's connection to another OB 3.0 Host: ``pending`` until the authorization comes back."""

    __tablename__ = "ob_host_connection"
    __table_args__ = (UniqueConstraint("person_id", "host_url", name="uq_ob_host_connection_person_host"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    host_url: str = Field(max_length=2000)
    host_name: str = Field(default="", max_length=200)
    api_url: str = Field(max_length=2000)
    authorize_url: str = Field(max_length=2000)
    token_url: str = Field(max_length=2000)
    revoke_url: str | None = Field(default=None, max_length=2000)
    client_id: str = Field(max_length=500)
    client_secret_sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    state: str = Field(default="pending", max_length=20)  # pending | connected
    state_digest: str | None = Field(default=None, max_length=64, index=True)
    verifier_sealed: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    authorization_request: str | None = Field(default=None, sa_type=Text)
    tokens_sealed: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    access_expires_at: datetime | None = datetime_field()
    scopes: str = Field(default="", max_length=1000)
    created_at: datetime = created_at_field()
    connected_at: datetime | None = datetime_field()
    used_at: datetime | None = datetime_field()
