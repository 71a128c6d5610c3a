"""Tables of accounts.oauth: the OB 3.0 API's OAuth 2.0 clients (RFC 7591 registrations), authorization
codes (PKCE S256) and token pairs.

Every secret handed out (client secret, code, access and refresh token) is stored only as its SHA-256
hex digest, so a database dump hands out no credential.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class OAuthClient(SQLModel, table=True):
    """A dynamically registered client application; ``client_id`` is public, the secret only hashed."""

    __tablename__ = "ob_oauth_client"

    id: uuid.UUID = id_field()
    client_id: str = Field(max_length=64, unique=True)
    secret_hash: str = Field(max_length=64)
    client_name: str = Field(max_length=200)
    client_uri: str = Field(max_length=500)
    logo_uri: str | None = Field(default=None, max_length=500)
    tos_uri: str | None = Field(default=None, max_length=500)
    policy_uri: str | None = Field(default=None, max_length=500)
    redirect_uris: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    scope: str = Field(max_length=1000)
    metadata_json: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    created_at: datetime = created_at_field()


class OAuthCode(SQLModel, table=True):
    """An authorization code a learner granted: single use, short-lived, bound to its redirect URI and
    PKCE challenge (S256 only)."""

    __tablename__ = "ob_oauth_code"

    id: uuid.UUID = id_field()
    code_hash: str = Field(max_length=64, unique=True)
    client_id: str = Field(foreign_key="ob_oauth_client.client_id", index=True, ondelete="CASCADE", max_length=64)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    redirect_uri: str = Field(max_length=500)
    scope: str = Field(max_length=1000)
    code_challenge: str = Field(max_length=128)
    expires_at: datetime = datetime_field(nullable=False)
    used_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()


class OAuthToken(SQLModel, table=True):
    """An access token (1 h) and its refresh token (30 days); a refresh rotates the pair and revokes
    the old one."""

    __tablename__ = "ob_oauth_token"

    id: uuid.UUID = id_field()
    access_hash: str = Field(max_length=64, unique=True)
    refresh_hash: str | None = Field(default=None, max_length=64, unique=True)
    client_id: str = Field(foreign_key="ob_oauth_client.client_id", index=True, ondelete="CASCADE", max_length=64)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    scope: str = Field(max_length=1000)
    access_expires_at: datetime = datetime_field(nullable=False, index=True)
    refresh_expires_at: datetime | None = datetime_field()
    revoked_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()
