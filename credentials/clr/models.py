"""Tables of credentials.clr: every CLR transcript a provider issued, kept so that the provider can list
and revoke it (a revoked transcript's bit is set in its own status list, see ``credentials.clr.store``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class ClrTranscript(SQLModel, table=True):
    """One issued ClrCredential: its signed form (``document``; ``jwt`` too when issued as a VC-JWT), whom
    it was for, how many achievements it carries, and its state (``active`` or ``revoked``, final)."""

    __tablename__ = "clr_transcript"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    issuer_id: uuid.UUID = Field(foreign_key="issuer.id", index=True, ondelete="CASCADE")
    recipient_email: str = Field(max_length=320, index=True)
    credential_uri: str = Field(max_length=200, unique=True)
    format: str = Field(default="ldp", max_length=10)
    document: dict = Field(sa_type=JSON, nullable=False)
    jwt: str | None = Field(default=None, sa_type=Text)
    name: str = Field(default="", max_length=500)
    achievement_count: int = 0
    status_list_id: uuid.UUID | None = Field(default=None, foreign_key="status_list.id", ondelete="SET NULL")
    status_index: int | None = None
    state: str = Field(default="active", sa_type=String(20), index=True)
    state_reason: str | None = Field(default=None, max_length=500)
    state_changed_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()
