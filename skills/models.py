"""Tables of the skills domain: evidence sources (each with its raw original), derived evidence,
profile snapshots, learner settings and share links.

Every row belongs to one person and goes when the person's account goes (``ON DELETE CASCADE``).
Source tables keep what the learner gave us; ``skill_evidence`` holds the (skill item, level, weight)
pieces derived from them, which ``skills.profile.compute_profile`` aggregates.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class EvidenceStatus(StrEnum):
    """How a profile item is backed, strongest first (``skills.profile`` ranks by this order): a verified
    credential of a trusted issuer, other evidence, or the person's own word."""

    verified = "verified"
    evidenced = "evidenced"
    self_declared = "self_declared"


def person_fk() -> Any:
    return Field(foreign_key="person.id", index=True, ondelete="CASCADE")


class RecordUpload(SQLModel, table=True):
    """One uploaded CSV/JSONL file of learning records, kept byte for byte with its row report."""

    __tablename__ = "skill_record_upload"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    filename: str = Field(default="", max_length=255)
    encoding: str = Field(max_length=20)
    format: str = Field(max_length=10)
    content: bytes = Field(sa_type=LargeBinary)
    report: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = created_at_field()


class LearningRecordRow(SQLModel, table=True):
    """One imported learning record (a good row of an upload); ``dedupe_key`` stops double counting."""

    __tablename__ = "skill_learning_record"
    __table_args__ = (UniqueConstraint("person_id", "dedupe_key", name="uq_skill_learning_record_key"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    upload_id: uuid.UUID = Field(foreign_key="skill_record_upload.id", index=True, ondelete="CASCADE")
    line: int
    title: str = Field(max_length=500)
    description: str = ""
    provider: str = Field(default="", max_length=200)
    hours: float | None = None
    completion_date: date | None = None
    score: float | None = None
    passed: bool | None = None
    lang: str = Field(default="en", max_length=10)
    course_level: str | None = Field(default=None, max_length=20)
    url: str | None = Field(default=None, max_length=1000)
    dedupe_key: str = Field(max_length=600)
    created_at: datetime = created_at_field()


class ExamResult(SQLModel, table=True):
    """An IPA examination result as the learner entered it; only passes give evidence."""

    __tablename__ = "skill_exam_result"
    __table_args__ = (UniqueConstraint("person_id", "exam_id", "taken_on", name="uq_skill_exam_result"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    exam_id: str = Field(max_length=20)
    taken_on: date
    passed: bool
    score: float | None = None
    raw: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = created_at_field()


class SelfAssessment(SQLModel, table=True):
    """The level a person gives themselves on one skill item (never verified)."""

    __tablename__ = "skill_self_assessment"
    __table_args__ = (UniqueConstraint("person_id", "skill_id", name="uq_skill_self_assessment"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    skill_id: str = Field(max_length=100)
    level: str = Field(max_length=1)
    created_at: datetime = created_at_field()


class BadgeImport(SQLModel, table=True):
    """An Open Badges 2.0 assertion (JSON or baked image) with the upload and what could be checked."""

    __tablename__ = "skill_ob2_badge"
    __table_args__ = (UniqueConstraint("person_id", "assertion_key", name="uq_skill_ob2_badge_assertion"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    media_type: str = Field(max_length=50)
    raw: bytes = Field(sa_type=LargeBinary)
    assertion: dict = Field(default_factory=dict, sa_type=JSON)
    badge_class: dict | None = Field(default=None, sa_type=JSON)
    assertion_key: str = Field(max_length=600)
    name: str = Field(default="", max_length=500)
    issuer_name: str = Field(default="", max_length=500)
    issued_on: datetime | None = datetime_field()
    check_level: str = Field(max_length=30)
    checks: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = created_at_field()


class CredentialImport(SQLModel, table=True):
    """A wallet credential whose evidence has been derived (the credential itself stays in the wallet)."""

    __tablename__ = "skill_credential_import"
    __table_args__ = (UniqueConstraint("person_id", "held_credential_id", name="uq_skill_credential_import"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    held_credential_id: uuid.UUID
    digest: str = Field(max_length=64)
    name: str = Field(default="", max_length=500)
    method: str = Field(max_length=20)  # "alignment" or "mapper"
    created_at: datetime = created_at_field()


class SkillEvidence(SQLModel, table=True):
    """One piece of evidence: a source says the person holds ``level`` on ``skill_id``, with ``weight``."""

    __tablename__ = "skill_evidence"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    source: str = Field(max_length=20)  # credential | credential_untrusted | ob2_badge | record | exam | self
    source_id: uuid.UUID = Field(index=True)
    skill_id: str = Field(max_length=100)
    level: str = Field(max_length=1)
    weight: float
    label: str = Field(default="", max_length=500)
    observed_on: date | None = None
    created_at: datetime = created_at_field()


class ProfileSnapshot(SQLModel, table=True):
    """The profile as computed after an evidence change; the latest one is the current profile."""

    __tablename__ = "skill_profile_snapshot"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    reason: str = Field(max_length=50)
    evidence_count: int
    items: dict = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = created_at_field(index=True)


class LearnerSettings(SQLModel, table=True):
    """Consent and preferences: discoverable by employers (opt-in), prefecture, target role, shared parts."""

    __tablename__ = "skill_learner_settings"

    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    discoverable: bool = False
    prefecture: str | None = Field(default=None, max_length=5)
    target_role: str | None = Field(default=None, max_length=100)
    employer_parts: list = Field(default_factory=list, sa_type=JSON)
    onboarded_at: datetime | None = datetime_field()  # the first-run path finished or skipped
    updated_at: datetime = created_at_field(index=True)


class ShareLink(SQLModel, table=True):
    """A link showing chosen credentials and profile parts until it expires or is revoked."""

    __tablename__ = "skill_share_link"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    token_hash: str = Field(max_length=64, unique=True)
    # the token sealed under the master key (skills.sharing.seal_token), so the learner's own QR code can show
    # a live link again; None for links made before it was kept (those cannot be shown again)
    token_sealed: bytes | None = Field(default=None, sa_type=LargeBinary, nullable=True)
    label: str = Field(default="", max_length=200)
    parts: list = Field(default_factory=list, sa_type=JSON)
    credential_ids: list = Field(default_factory=list, sa_type=JSON)
    # SD-JWT VCs of chosen skills only ({"held_id", "sd_jwt"}): undisclosed claims are not in them at all
    disclosed: list = Field(default_factory=list, sa_type=JSON)
    expires_at: datetime = datetime_field(nullable=False)
    revoked_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()


class ShareAccess(SQLModel, table=True):
    """One opening of a share link: when, and by whom as far as known."""

    __tablename__ = "skill_share_access"

    id: uuid.UUID = id_field()
    link_id: uuid.UUID = Field(foreign_key="skill_share_link.id", index=True, ondelete="CASCADE")
    viewer_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    viewer_name: str = Field(default="", max_length=200)
    client: str = Field(default="", max_length=100)
    user_agent: str = Field(default="", max_length=300)
    opened_at: datetime = created_at_field()


class SkillCorrection(SQLModel, table=True):
    """A learner's correction of what the mapper read in one of their learning records: a lower level, or
    not this skill at all (``level`` None). Keyed by the record's dedupe key, so deleting and importing the
    record again keeps it; ``mapped_level`` and ``mapped_weight`` are what the mapper said."""

    __tablename__ = "skill_correction"
    __table_args__ = (UniqueConstraint("person_id", "record_key", "skill_id", name="uq_skill_correction"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = person_fk()
    record_key: str = Field(max_length=600)
    skill_id: str = Field(max_length=100)
    mapped_level: str = Field(max_length=1)
    mapped_weight: float
    level: str | None = Field(default=None, max_length=1)
    created_at: datetime = created_at_field()
