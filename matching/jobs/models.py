"""Tables of matching.jobs: the postings a learner saved, and their applications (a share link sent to
the posting's employer; the employer sees what that link shares, nothing else)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class SavedJob(SQLModel, table=True):
    __tablename__ = "job_saved"
    __table_args__ = (UniqueConstraint("person_id", "posting_id", name="uq_job_saved"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    posting_id: uuid.UUID = Field(foreign_key="job_posting.id", index=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()


class JobApplication(SQLModel, table=True):
    """One application per learner and posting; ``share_link_id`` (a share link) or
    ``presentation_request_id`` (a verified presentation) is what the employer may open (none once
    withdrawn, or when the link is revoked or expires)."""

    __tablename__ = "job_application"
    __table_args__ = (UniqueConstraint("person_id", "posting_id", name="uq_job_application"),)

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    posting_id: uuid.UUID = Field(foreign_key="job_posting.id", index=True, ondelete="CASCADE")
    share_link_id: uuid.UUID | None = Field(default=None, foreign_key="skill_share_link.id", ondelete="SET NULL")
    presentation_request_id: uuid.UUID | None = Field(default=None, foreign_key="oid4vp_request.id",
                                                      ondelete="SET NULL")
    created_at: datetime = created_at_field()
    withdrawn_at: datetime | None = datetime_field()
