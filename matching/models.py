"""Tables of the matching domain: the course catalog (providers' courses aligned to DSS items) and
employers' job postings with their DSS requirements.

``alignments`` and ``requirements`` are JSON lists of ``{"skill_id": ..., "level": ...}``: small, always
read whole, and validated against the taxonomy by the services before they are stored.

``matching_candidate`` is the candidate index's own copy of each discoverable person: the consented
profile already encoded as the index's columns (see ``matching.candidates``), kept in the transaction
that changes the profile or the consent, so loading the index is one scan of fixed-shape rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field

COURSE_MODES = ("online", "offline", "hybrid")


class PostingStatus(StrEnum):
    """A job posting: being written, public (counts as demand, rankable), or closed (kept for trends)."""

    draft = "draft"
    published = "published"
    closed = "closed"


POSTING_STATUSES = tuple(PostingStatus)


class Course(SQLModel, table=True):
    """A provider's course in the catalog; ``key`` is the provider's own stable reference."""

    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("provider_org_id", "key", name="uq_course_provider_key"),)

    id: uuid.UUID = id_field()
    provider_org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    key: str = Field(max_length=80)
    title_ja: str = Field(max_length=300)
    title_en: str = Field(max_length=300)
    hours: float
    price_jpy: int = 0
    language: str = Field(default="ja", max_length=5)
    mode: str = Field(default="online", max_length=10)
    url: str | None = Field(default=None, max_length=500)
    achievement_id: uuid.UUID | None = Field(default=None, foreign_key="achievement.id", ondelete="SET NULL")
    alignments: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = datetime_field()


class JobPosting(SQLModel, table=True):
    """An employer's job posting: the pasted description, the DSS role it is closest to and the
    skill requirements the employer confirmed. Only ``published`` postings are matched and counted."""

    __tablename__ = "job_posting"

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_type=Text)
    lang: str = Field(default="ja", max_length=5)
    prefecture: str | None = Field(default=None, max_length=5)
    role_id: str | None = Field(default=None, max_length=80)
    version: str = Field(default="2.0", max_length=5)
    requirements: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    status: PostingStatus = Field(default=PostingStatus.draft, sa_type=String(20), index=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    updated_at: datetime | None = datetime_field()
    published_at: datetime | None = datetime_field(index=True)


class CandidateRow(SQLModel, table=True):
    """One discoverable person as the candidate index stores them (only consented data).

    ``packed`` holds the index's columns for the person (codes per item, role coverages, best role,
    update second and month) in the byte layout ``layout`` names; a row of another layout is rebuilt
    before the index reads it. The display name is read from ``person`` when ``show_name``."""

    __tablename__ = "matching_candidate"

    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    layout: int = Field(sa_type=Integer)
    packed: bytes = Field(sa_type=LargeBinary)
    show_name: bool = False
    prefecture: str | None = Field(default=None, max_length=5)
