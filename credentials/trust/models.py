"""Tables of the trust registries imported from outside: one row per registry, one per listed issuer.

Our own organisations are not copied here: their trust comes from ``Organization.verification_state``
and the issuer keys at the moment of evaluation.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field

REGISTRY_KINDS = ("dcc", "trust-list")


class TrustRegistry(SQLModel, table=True):
    """An imported registry: where it came from, who signs it (pinned) and until when it holds."""

    __tablename__ = "trust_registry"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=200, unique=True)
    kind: str = Field(max_length=20)
    source: str = Field(max_length=1000)
    pinned: str | None = Field(default=None, max_length=600)
    imported_at: datetime = created_at_field()
    valid_until: datetime | None = datetime_field()
    entry_count: int = 0


class TrustRegistryEntry(SQLModel, table=True):
    """One issuer DID a registry lists, with its names and the scope it is trusted for."""

    __tablename__ = "trust_registry_entry"

    id: uuid.UUID = id_field()
    registry_id: uuid.UUID = Field(foreign_key="trust_registry.id", index=True, ondelete="CASCADE")
    did: str = Field(max_length=500, index=True)
    name_ja: str = Field(default="", max_length=500)
    name_en: str = Field(default="", max_length=500)
    url: str | None = Field(default=None, max_length=1000)
    scope: list = Field(default_factory=list, sa_type=JSON, nullable=False)
