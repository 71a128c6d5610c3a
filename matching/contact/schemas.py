"""Request bodies of the contact API (the console forms fill the same fields)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class ContactRequestCreate(BaseModel):
    person_id: uuid.UUID
    posting_id: uuid.UUID | None = None
    wants: list[str] = Field(description="any of skills, credentials, presentation")
    message: str = Field(description="plain text, at most 1,000 characters")


class ShareAnswer(BaseModel):
    """Answer with one of your live share links (``link_id``), or a new link of these parts and credentials."""

    link_id: uuid.UUID | None = None
    parts: list[str] = Field(default_factory=list)
    credential_ids: list[uuid.UUID] = Field(default_factory=list)
    expires_at: datetime | None = None


class PresentationAnswer(BaseModel):
    """Answer with a verified presentation of one badge of your wallet (issued on skillpass, not revoked)."""

    held_id: uuid.UUID = Field(description="the wallet credential to present")
    skills: list[str] = Field(default_factory=list, description="the DSS item ids of the badge to disclose")


class ShortlistAdd(BaseModel):
    person_id: uuid.UUID


class NoteUpdate(BaseModel):
    text: str = Field(description="at most 2,000 characters; empty clears the note")


class OutcomeCreate(BaseModel):
    person_id: uuid.UUID
    posting_id: uuid.UUID
