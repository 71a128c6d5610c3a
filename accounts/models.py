"""Tables for people, organizations, memberships and provider API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field

ORG_KINDS = ("employer", "provider")


class VerificationState(StrEnum):
    """An organisation's verification (``accounts.verification``); stored as its value (VARCHAR)."""

    unverified = "unverified"
    pending = "pending"
    verified = "verified"
    suspended = "suspended"


VERIFICATION_STATES = tuple(VerificationState)
MEMBER_ROLES = ("admin", "member")
LANGS = ("ja", "en")
API_KEY_ALL_SCOPES = "issue read revoke webhooks"


class Person(SQLModel, table=True):
    """A person with a sign-in: a learner, and possibly a member of organizations."""

    __tablename__ = "person"

    id: uuid.UUID = id_field()
    email: str = Field(max_length=320, unique=True, index=True)
    display_name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    lang: str = Field(default="ja", max_length=5)
    is_admin: bool = False
    is_active: bool = True
    email_confirmed_at: datetime | None = datetime_field()
    # Sessions carry the generation they were started in; a password reset moves it on, which ends them.
    session_generation: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # Which terms of use and privacy notice the person accepted at sign-up, and when (none: an operator's account).
    terms_version: str | None = Field(default=None, max_length=20)
    terms_accepted_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()


class Organization(SQLModel, table=True):
    """An employer or a training provider (providers are credential issuers)."""

    __tablename__ = "organization"

    id: uuid.UUID = id_field()
    kind: str = Field(max_length=20, index=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=500)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True, ondelete="SET NULL")
    verification_state: VerificationState = Field(default=VerificationState.unverified, sa_type=String(20),
                                                  index=True)
    created_at: datetime = created_at_field()


class Membership(SQLModel, table=True):
    """A person's role in an organization."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("org_id", "person_id", name="uq_membership_org_person"),)

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    role: str = Field(default="member", max_length=20)
    created_at: datetime = created_at_field()


class ApiKey(SQLModel, table=True):
    """A provider API key: shown once, stored as a SHA-256 hash, scoped to one organization."""

    __tablename__ = "api_key"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    prefix: str = Field(max_length=16, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = datetime_field()
    last_used_at: datetime | None = datetime_field()
    # space-separated (accounts.security.API_KEY_SCOPES); keys made before scopes existed keep all of them
    scopes: str = Field(default=API_KEY_ALL_SCOPES, max_length=100,
                        sa_column_kwargs={"server_default": API_KEY_ALL_SCOPES})
    expires_at: datetime | None = datetime_field()  # None: never (keys made before expiry existed)


class EmailConfirmation(SQLModel, table=True):
    """A one-time link mailed to confirm an address: only the SHA-256 of the token is stored."""

    __tablename__ = "email_confirmation"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field(index=True)
    expires_at: datetime = datetime_field(nullable=False)
    used_at: datetime | None = datetime_field()


class PasswordReset(SQLModel, table=True):
    """A one-time link mailed to set a new password: only the SHA-256 of the token is stored."""

    __tablename__ = "password_reset"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field(index=True)
    expires_at: datetime = datetime_field(nullable=False)
    used_at: datetime | None = datetime_field()


class MailOutbox(SQLModel, table=True):
    """A mail written in the transaction that caused it and sent after that transaction commits (then
    deleted). Sealed at rest: the message carries a one-time link that the database must not reveal."""

    __tablename__ = "mail_outbox"

    id: uuid.UUID = id_field()
    message_sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    link_sealed: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    attempts: int = 0
    next_attempt_at: datetime = datetime_field(nullable=False, index=True)
    last_error: str | None = Field(default=None, max_length=100)
    created_at: datetime = created_at_field()


class OrgVerificationRequest(SQLModel, table=True):
    """An organization's latest request to be verified: 法人番号, domain proof, GビズID, the decision."""

    __tablename__ = "org_verification_request"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", unique=True, index=True, ondelete="CASCADE")
    corporate_number: str = Field(max_length=13)
    domain: str = Field(max_length=253)
    domain_token: str = Field(max_length=64)
    domain_method: str = Field(default="token", max_length=20)  # "token" | "did_web"
    domain_check: str | None = Field(default=None, max_length=200)  # last check result, or "manual_review"
    domain_checked_at: datetime | None = datetime_field()
    gbiz_id: str | None = Field(default=None, max_length=100)
    submitted_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    submitted_at: datetime = created_at_field()
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    decided_at: datetime | None = datetime_field()
    note: str | None = Field(default=None, max_length=2000)


class OrgVerificationEvent(SQLModel, table=True):
    """One change of an organization's verification state (append-only audit log)."""

    __tablename__ = "org_verification_event"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")  # None: system
    action: str = Field(max_length=20)
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    note: str | None = Field(default=None, max_length=2000)
    at: datetime = created_at_field(index=True)
