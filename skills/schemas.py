"""Request and response shapes of the skills API."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["a", "b", "c", "d"]


class ExamCreate(BaseModel):
    exam: str = Field(min_length=1, max_length=20, description="IPA exam id or code, e.g. fe or FE")
    date: dt.date
    passed: bool
    score: float | None = None


class SelfLevel(BaseModel):
    skill_id: str = Field(min_length=1, max_length=100)
    level: Level | None = Field(description="a-d, or null to clear")


class SkillCorrectionBody(BaseModel):
    level: str | None = Field(max_length=1, description="a-d at or below the level the mapper read, or null to "
                              "reject the skill for this record")


class BadgeJson(BaseModel):
    assertion: dict[str, Any] | str = Field(description="assertion JSON, a signed assertion (JWS) or its URL")
    badge_class: dict[str, Any] | None = Field(None, description="the BadgeClass JSON when not embedded")


class SettingsUpdate(BaseModel):
    """Only the fields sent change."""

    discoverable: bool = False
    prefecture: str | None = Field(None, max_length=20)
    target_role: str | None = Field(None, max_length=100)
    employer_parts: list[str] = Field(default_factory=list, max_length=10)


class ShareLinkCreate(BaseModel):
    label: str = Field("", description="at most 200 characters (skills.sharing.MAX_LABEL)")
    parts: list[str] = Field(default_factory=list, max_length=10)
    credential_ids: list[uuid.UUID] = Field(default_factory=list,
                                            description="at most 100 (skills.sharing.MAX_CREDENTIALS)")
    disclose: dict[uuid.UUID, list[str]] = Field(
        default_factory=dict, description="held badge id -> the DSS skill ids it shares: the link carries an "
        "SD-JWT VC of that badge disclosing those skills only (no name, email, results or other skills)")
    expires_at: datetime | None = Field(None, description="default: 30 days from now; at most 365 days")


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RecordRead(ReadModel):
    id: uuid.UUID
    upload_id: uuid.UUID
    line: int
    title: str
    description: str
    provider: str
    hours: float | None
    completion_date: date | None
    score: float | None
    passed: bool | None
    lang: str
    course_level: str | None
    url: str | None
    created_at: datetime


class ExamRead(ReadModel):
    id: uuid.UUID
    exam_id: str
    taken_on: date
    passed: bool
    score: float | None
    created_at: datetime


class SelfAssessmentRead(ReadModel):
    skill_id: str
    level: str
    created_at: datetime


class BadgeRead(ReadModel):
    id: uuid.UUID
    name: str
    issuer_name: str
    issued_on: datetime | None
    media_type: str
    check_level: str
    checks: dict[str, Any]
    created_at: datetime


class BadgeDetail(BadgeRead):
    assertion: dict[str, Any]
    badge_class: dict[str, Any] | None


class SnapshotRead(ReadModel):
    id: uuid.UUID
    created_at: datetime
    reason: str
    evidence_count: int
    items: dict[str, Any]


class SettingsRead(ReadModel):
    discoverable: bool
    prefecture: str | None
    target_role: str | None
    employer_parts: list[str]
    updated_at: datetime | None


class ShareLinkRead(ReadModel):
    id: uuid.UUID
    label: str
    parts: list[str]
    credential_ids: list[str]
    expires_at: datetime
    revoked_at: datetime | None
    created_at: datetime
    opened: int = 0


class ShareLinkCreated(ShareLinkRead):
    token: str = Field(description="shown only now; the link works until it expires or is revoked")
    path: str


class AccessRead(ReadModel):
    opened_at: datetime
    viewer_person_id: uuid.UUID | None
    viewer_name: str
    client: str
    user_agent: str


class ShareLinkDetail(ShareLinkRead):
    accesses: list[AccessRead]
