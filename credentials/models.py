"""Tables of the credentials domain: issuers and their keys, status lists, achievements, issued
credentials, idempotency records, batch jobs and the learner's wallet."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field

DID_METHODS = ("key", "web")
FORMATS = ("ldp", "jwt")


# The states below are stored as their string values (VARCHAR columns, no database enum); a member
# compares equal to its value, so code and templates may use either.
class CredentialState(StrEnum):
    """An issued credential: ``active``, ``suspended`` (can be lifted) or ``revoked`` (final)."""

    active = "active"
    suspended = "suspended"
    revoked = "revoked"


class BatchState(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"


class RowState(StrEnum):
    """One line of a batch: waiting, issued, or failed with its errors."""

    pending = "pending"
    issued = "issued"
    failed = "failed"


class TrustStatus(StrEnum):
    """Who stands behind a held credential's issuer (``credentials.trust``)."""

    trusted = "trusted"
    untrusted = "untrusted"
    impersonation = "impersonation"


class OfferState(StrEnum):
    """A held credential offered to its holder: taken into the profile, waiting, or declined."""

    accepted = "accepted"
    pending = "pending"
    declined = "declined"


CREDENTIAL_STATES = tuple(CredentialState)
STATUS_PURPOSES = ("revocation", "suspension")
BATCH_STATES = tuple(BatchState)
ROW_STATES = tuple(RowState)
HELD_SOURCES = ("issued", "imported")
TRUST_STATUSES = tuple(TrustStatus)
SUBJECT_MATCHES = ("self", "other", "unknown")
OFFER_STATES = tuple(OfferState)


def json_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=JSON, nullable=nullable)


class Issuer(SQLModel, table=True):
    """A credential issuer: a provider organization (or the platform itself when ``org_id`` is null)."""

    __tablename__ = "issuer"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID | None = Field(default=None, foreign_key="organization.id", unique=True, ondelete="CASCADE")
    slug: str = Field(max_length=80, unique=True, index=True)
    did_method: str = Field(default="key", max_length=10)
    did: str = Field(max_length=500, index=True)
    created_at: datetime = created_at_field()


class IssuerKey(SQLModel, table=True):
    """An Ed25519 key pair of an issuer; the private half is AES-GCM encrypted (``credentials.keystore``)."""

    __tablename__ = "issuer_key"

    id: uuid.UUID = id_field()
    issuer_id: uuid.UUID = Field(foreign_key="issuer.id", index=True, ondelete="CASCADE")
    public_multibase: str = Field(max_length=100, unique=True)
    secret_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    active: bool = True
    created_at: datetime = created_at_field()
    retired_at: datetime | None = datetime_field()


class StatusList(SQLModel, table=True):
    """One Bitstring Status List of an issuer (one purpose). Its bits follow the states of the credentials
    holding entries in it; the signed list credential is kept ready to serve."""

    __tablename__ = "status_list"

    id: uuid.UUID = id_field()
    issuer_id: uuid.UUID = Field(foreign_key="issuer.id", index=True, ondelete="CASCADE")
    purpose: str = Field(max_length=20)
    size: int
    used: int = 0
    document: dict | None = json_field()
    version: int = 0
    created_at: datetime = created_at_field()
    updated_at: datetime | None = datetime_field()


class Achievement(SQLModel, table=True):
    """A badge definition of a provider, aligned to DSS skill items (``alignments``: skill_id + level)."""

    __tablename__ = "achievement"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    description_ja: str = Field(sa_type=Text)
    description_en: str = Field(sa_type=Text)
    criteria_ja: str = Field(sa_type=Text)
    criteria_en: str = Field(sa_type=Text)
    criteria_url: str | None = Field(default=None, max_length=500)
    image: str | None = Field(default=None, sa_type=Text)
    achievement_type: str = Field(default="Badge", max_length=60)
    alignments: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    # Micro-credential detail (issue 14, credentials.achievements.check_micro): all optional.
    credits_available: float | None = None
    credit_unit: str | None = Field(default=None, max_length=10)
    workload_hours: float | None = None
    level_framework: str | None = Field(default=None, max_length=10)
    qualification_level: int | None = None
    field_of_study: str | None = Field(default=None, max_length=200)
    instruction_language: str | None = Field(default=None, max_length=20)
    result_descriptions: list | None = Field(default=None, sa_type=JSON)
    created_at: datetime = created_at_field()


class IssuedCredential(SQLModel, table=True):
    """An OpenBadgeCredential issued by a provider; ``document`` is the signed credential (or, for VC-JWT,
    the credential the token carries, with the token in ``jwt``)."""

    __tablename__ = "issued_credential"
    __table_args__ = (UniqueConstraint("batch_id", "batch_line", name="uq_issued_credential_batch_line"),)

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    issuer_id: uuid.UUID = Field(foreign_key="issuer.id", index=True, ondelete="CASCADE")
    achievement_id: uuid.UUID = Field(foreign_key="achievement.id", index=True, ondelete="CASCADE")
    recipient_email: str = Field(max_length=320, index=True)
    recipient_name: str | None = Field(default=None, max_length=200)
    format: str = Field(default="ldp", max_length=10)
    document: dict = Field(sa_type=JSON, nullable=False)
    jwt: str | None = Field(default=None, sa_type=Text)
    verification_method: str = Field(max_length=600)
    valid_from: datetime = datetime_field(nullable=False)
    valid_until: datetime | None = datetime_field()
    state: CredentialState = Field(default=CredentialState.active, sa_type=String(20), index=True)
    state_reason: str | None = Field(default=None, max_length=500)
    state_changed_at: datetime | None = datetime_field()
    batch_id: uuid.UUID | None = Field(default=None, foreign_key="issuance_batch.id", index=True,
                                       ondelete="SET NULL")
    batch_line: int | None = None
    created_at: datetime = created_at_field()


class StatusEntry(SQLModel, table=True):
    """The index a credential holds in a status list, for one purpose."""

    __tablename__ = "status_entry"
    __table_args__ = (UniqueConstraint("list_id", "index", name="uq_status_entry_list_index"),)

    id: uuid.UUID = id_field()
    credential_id: uuid.UUID = Field(foreign_key="issued_credential.id", index=True, ondelete="CASCADE")
    list_id: uuid.UUID = Field(foreign_key="status_list.id", index=True, ondelete="CASCADE")
    index: int
    purpose: str = Field(max_length=20)


class IdempotencyRecord(SQLModel, table=True):
    """The first result of an issuing request, by (organization, Idempotency-Key)."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("org_id", "key", name="uq_idempotency_org_key"),)

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    resource_type: str = Field(max_length=20)
    resource_id: uuid.UUID
    created_at: datetime = created_at_field()


class IssuanceBatch(SQLModel, table=True):
    """A durable batch issuance job; its rows carry the per-line state."""

    __tablename__ = "issuance_batch"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    format: str = Field(default="ldp", max_length=10)
    suspendable: bool = False
    state: BatchState = Field(default=BatchState.queued, sa_type=String(20), index=True)
    total: int = 0
    created_at: datetime = created_at_field()
    started_at: datetime | None = datetime_field()
    finished_at: datetime | None = datetime_field()


class BatchRow(SQLModel, table=True):
    """One recipient line of a batch: its input, its state and, once issued, the credential."""

    __tablename__ = "batch_row"
    __table_args__ = (UniqueConstraint("batch_id", "line", name="uq_batch_row_line"),)

    id: uuid.UUID = id_field()
    batch_id: uuid.UUID = Field(foreign_key="issuance_batch.id", index=True, ondelete="CASCADE")
    line: int
    state: RowState = Field(default=RowState.pending, sa_type=String(20), index=True)
    data: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    errors: list | None = json_field()
    credential_id: uuid.UUID | None = Field(default=None, foreign_key="issued_credential.id", ondelete="SET NULL")
    updated_at: datetime | None = datetime_field()


class HeldCredential(SQLModel, table=True):
    """A credential in a learner's wallet: issued here, or imported from elsewhere."""

    __tablename__ = "held_credential"
    __table_args__ = (UniqueConstraint("person_id", "content_hash", name="uq_held_credential_person_content"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    source: str = Field(max_length=20)
    credential_id: uuid.UUID | None = Field(default=None, foreign_key="issued_credential.id", index=True,
                                            ondelete="SET NULL")
    format: str = Field(default="ldp", max_length=10)
    document: dict = Field(sa_type=JSON, nullable=False)
    jwt: str | None = Field(default=None, sa_type=Text)
    content_hash: str = Field(max_length=64)
    title: str = Field(default="", max_length=500)
    issuer_name: str = Field(default="", max_length=500)
    verified: bool = False
    verification: dict | None = json_field()
    verified_at: datetime | None = datetime_field()
    # Who stands behind it (credentials.trust) and whose it is (credentials.subject): a held credential
    # counts for its holder only when it names them, and as verified only when its issuer is trusted.
    issuer_did: str = Field(default="", max_length=500, index=True)
    trust_status: TrustStatus = Field(default=TrustStatus.untrusted, sa_type=String(20), index=True)
    trust: dict | None = json_field()
    subject: str = Field(default="unknown", max_length=10)
    offer_state: OfferState = Field(default=OfferState.accepted, sa_type=String(10), index=True)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = datetime_field()


class HolderDid(SQLModel, table=True):
    """A DID a person proved to control (a DID-authentication presentation answering our challenge); a
    credential whose subject is this DID is theirs (``credentials.subject``)."""

    __tablename__ = "holder_did"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    did: str = Field(max_length=500, unique=True)
    created_at: datetime = created_at_field()


class BadgeImage(SQLModel, table=True):
    """The image a provider uploaded for an achievement (PNG, or SVG once sanitised); an achievement
    without one is shown with generated badge art (``credentials.badge_art``)."""

    __tablename__ = "badge_image"

    achievement_id: uuid.UUID = Field(foreign_key="achievement.id", primary_key=True, ondelete="CASCADE")
    media_type: str = Field(max_length=20)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    updated_at: datetime = created_at_field()


class PublicBadge(SQLModel, table=True):
    """A held credential its holder chose to show on a public badge page (``/b/{token}``); deleting the
    row takes the page down. ``show_name``: whether the page shows the holder's name."""

    __tablename__ = "public_badge"

    id: uuid.UUID = id_field()
    held_id: uuid.UUID = Field(foreign_key="held_credential.id", unique=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    token: str = Field(max_length=64, unique=True)
    show_name: bool = False
    created_at: datetime = created_at_field()


class Endorsement(SQLModel, table=True):
    """An OB 3.0 EndorsementCredential one organization issued about another's achievement or issuer
    profile (``credentials.endorsements``); ``document`` is the signed credential. Its revocation bit is
    ``status_index`` in ``status_list_id`` (an endorsement list of the endorser); set once ``withdrawn_at``."""

    __tablename__ = "endorsement"
    __table_args__ = (UniqueConstraint("status_list_id", "status_index", name="uq_endorsement_status_index"),)

    id: uuid.UUID = id_field()
    endorser_org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    achievement_id: uuid.UUID | None = Field(default=None, foreign_key="achievement.id", index=True,
                                             ondelete="CASCADE")
    subject_org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    document: dict = Field(sa_type=JSON, nullable=False)
    status_list_id: uuid.UUID | None = Field(default=None, foreign_key="status_list.id", index=True,
                                             ondelete="CASCADE")
    status_index: int | None = None
    withdrawn_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()
