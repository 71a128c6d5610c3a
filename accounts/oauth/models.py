"""Tables of accounts.oauth: the OB 3.0 API's OAuth 2.0 clients (RFC 7591 registrations), authorization
codes (PKCE S256) and token pairs.

Every secret handed out (client secret, code, access and refresh token) is stored only as its SHA-256
hex digest, so a database dump hands out no credential.
"""

from __future__ import annotations

import hmac
import hashlib
import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field, utcnow


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

    # authlib's ClientMixin (authlib.oauth2.rfc6749.models), which the grants call.
    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # Only an unambiguous registration may omit redirect_uri from the authorization request.
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The registered scopes among those asked for (all registered when none are named); None
        (authlib answers ``invalid_scope``) when none of them was registered."""
        registered = self.scope.split()
        if not scope:
            return " ".join(registered)
        return " ".join(s for s in scope.split() if s in registered) or None

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        digest = hashlib.sha256(client_secret.encode()).hexdigest()
        return hmac.compare_digest(digest, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        # The method the client registered (RFC 7591 token_endpoint_auth_method), at the token and
        # revocation endpoints alike.
        return method == self.metadata_json.get("token_endpoint_auth_method", "client_secret_basic")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


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

    # authlib's AuthorizationCodeMixin and what its CodeChallenge extension reads.
    code_challenge_method: ClassVar[str] = "S256"

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


class OAuthToken(SQLModel, table=True):
    """An access token (1 h) and its refresh token (30 days); a refresh rotates the pair and revokes
    the old one."""

    __tablename__ = "ob_oauth_token"

    id: uuid.UUID = id_field()
    access_hash: str = Field(max_length=64, unique=True)
    refresh_hash: str | None = Field(default=None, max_length=64, unique=True)
    client_id: str = Field(foreign_key="ob_oauth_client.client_id", index=True, ondelete="CASCADE", max_length=64)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    # The code the first pair of this grant came from (kept through refreshes): a code presented again
    # revokes every pair it led to (RFC 6749 section 4.1.2).
    code_id: uuid.UUID | None = Field(default=None, foreign_key="ob_oauth_code.id", index=True, ondelete="SET NULL")
    scope: str = Field(max_length=1000)
    access_expires_at: datetime = datetime_field(nullable=False, index=True)
    refresh_expires_at: datetime | None = datetime_field()
    revoked_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()

    # authlib's TokenMixin (the refresh grant and the revocation endpoint call these).
    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int((self.access_expires_at - self.created_at).total_seconds())

    def is_expired(self) -> bool:
        return self.access_expires_at <= utcnow()

    def is_revoked(self) -> bool:
        return self.revoked_at is not None
