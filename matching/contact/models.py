"""Tables of matching.contact: an employer's contact requests to a candidate and the learner's answer,
shortlists per job posting, private notes per candidate, and hiring outcomes the learner confirms.

A request names no personal data of the learner: the employer sees what the learner shares through
``share_link_id`` (a ``skills`` share link, opened through ``skills.sharing``) or
``presentation_request_id`` (a verified OpenID4VP presentation, ``credentials.oid4vp``), and nothing
once the answer is withdrawn or the link revoked or expired. ``facts`` of a confirmed outcome are what the
statistics count (the courses, providers and target role of the profile when the learner confirmed).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class RequestState(StrEnum):
    """open: waiting for the learner; shared: answered with a share link or a presentation; declined; withdrawn: the
    learner took the share back."""

    open = "open"
    shared = "shared"
    declined = "declined"
    withdrawn = "withdrawn"


class OutcomeState(StrEnum):
    """pending: the employer marked the person hired; confirmed or rejected by the learner."""

    pending = "pending"
    confirmed = "confirmed"
    rejected = "rejected"


class ContactRequest(SQLModel, table=True):
    """An employer asks a pseudonymous candidate to share more."""

    __tablename__ = "contact_request"
    __table_args__ = (
        Index("ix_contact_request_org_created", "org_id", "created_at"),
        # one open request per candidate and organization, even for two requests sent at the same moment
        Index("uq_contact_request_open", "org_id", "person_id", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    posting_id: uuid.UUID | None = Field(default=None, foreign_key="job_posting.id", ondelete="SET NULL")
    sent_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    wants: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    message: str = Field(default="", sa_type=Text)
    state: RequestState = Field(default=RequestState.open, sa_type=String(20), index=True)
    share_link_id: uuid.UUID | None = Field(default=None, foreign_key="skill_share_link.id", ondelete="SET NULL")
    presentation_request_id: uuid.UUID | None = Field(default=None, foreign_key="oid4vp_request.id",
                                                      ondelete="SET NULL")
    created_at: datetime = created_at_field()
    answered_at: datetime | None = datetime_field()


class ShortlistEntry(SQLModel, table=True):
    """A candidate on one of the employer's postings' shortlist."""

    __tablename__ = "shortlist_entry"
    __table_args__ = (UniqueConstraint("posting_id", "person_id", name="uq_shortlist_posting_person"),)

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    posting_id: uuid.UUID = Field(foreign_key="job_posting.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    added_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class CandidateNote(SQLModel, table=True):
    """The employer's private note on a candidate (one per organization and candidate)."""

    __tablename__ = "candidate_note"
    __table_args__ = (UniqueConstraint("org_id", "person_id", name="uq_candidate_note_org_person"),)

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    text: str = Field(default="", sa_type=Text)
    written_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    updated_at: datetime = created_at_field()


class HireOutcome(SQLModel, table=True):
    """An employer says a shortlisted person was hired; it counts once the person confirms."""

    __tablename__ = "hire_outcome"
    __table_args__ = (UniqueConstraint("org_id", "person_id", "posting_id", name="uq_hire_outcome_org_person_posting"),)

    id: uuid.UUID = id_field()
    org_id: uuid.UUID = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    posting_id: uuid.UUID | None = Field(default=None, foreign_key="job_posting.id", ondelete="SET NULL")
    marked_by: uuid.UUID | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    state: OutcomeState = Field(default=OutcomeState.pending, sa_type=String(20), index=True)
    facts: dict | None = Field(default=None, sa_type=JSON)
    created_at: datetime = created_at_field()
    answered_at: datetime | None = datetime_field()
