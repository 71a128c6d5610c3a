"""Request and response shapes of the matching API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["a", "b", "c", "d"]
Status = Literal["verified", "evidenced", "self_declared"]


class HeldSkillIn(BaseModel):
    """A skill a person holds, by id or by its Japanese/English name."""

    id: str | None = Field(default=None, max_length=120)
    name_ja: str | None = Field(default=None, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    level: Level
    status: Status = "self_declared"


class ProfileIn(BaseModel):
    skills: list[HeldSkillIn] = Field(max_length=200)
    version: Literal["2.0", "1.2"] = "2.0"


class RolesRequest(ProfileIn):
    include_postings: bool = True
    top_k: int = Field(default=17, ge=1, le=100)


class PathOptions(BaseModel):
    role_id: str | None = None
    posting_id: uuid.UUID | None = None
    languages: list[Literal["ja", "en"]] | None = None
    modes: list[Literal["online", "offline", "hybrid"]] | None = None
    max_course_hours: float | None = Field(default=None, gt=0)
    max_course_price: int | None = Field(default=None, ge=0)
    budget_hours: float | None = Field(default=None, gt=0)
    budget_price: int | None = Field(default=None, ge=0)
    objective: Literal["hours", "price", "balanced"] = "balanced"
    min_required: Level | None = None

    @model_validator(mode="after")
    def _one_target(self) -> PathOptions:
        if (self.role_id is None) == (self.posting_id is None):
            raise ValueError("give exactly one of role_id and posting_id")
        return self


class PathRequest(PathOptions):
    skills: list[HeldSkillIn] = Field(max_length=200)
    version: Literal["2.0", "1.2"] = "2.0"


class SkillLevelIn(BaseModel):
    skill_id: str = Field(max_length=120)
    level: Level


class AnalyzeRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)
    version: Literal["2.0", "1.2"] = "2.0"


class PostingCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    lang: Literal["ja", "en"] = "ja"
    prefecture: str | None = Field(default=None, max_length=20)
    role_id: str | None = Field(default=None, max_length=80)
    version: Literal["2.0", "1.2"] = "2.0"
    requirements: list[SkillLevelIn] = Field(min_length=1, max_length=40)
    status: Literal["draft", "published"] = "draft"


class PostingUpdate(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20_000)
    lang: Literal["ja", "en"] | None = None
    prefecture: str | None = Field(default=None, max_length=20)
    role_id: str | None = Field(default=None, max_length=80)
    requirements: list[SkillLevelIn] | None = Field(default=None, min_length=1, max_length=40)
    status: Literal["draft", "published", "closed"] | None = None


class PostingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    title: str
    description: str
    lang: str
    prefecture: str | None
    role_id: str | None
    version: str
    requirements: list[dict]
    status: str
    created_at: datetime
    updated_at: datetime | None
    published_at: datetime | None


class SkillFilterIn(BaseModel):
    skill_id: str = Field(max_length=120)
    min_level: Level = "d"


class CandidateSearchRequest(BaseModel):
    skills: list[SkillFilterIn] = Field(default_factory=list, max_length=40)
    match: Literal["all", "any"] = "all"
    verified_only: bool = False
    role_id: str | None = None
    posting_id: uuid.UUID | None = None
    must_meet: bool = Field(default=False, description="with posting_id: every requirement is a filter")
    prefecture: str | None = Field(default=None, max_length=20)
    min_coverage: float = Field(default=0.0, ge=0.0, le=1.0)
    page: int = Field(default=1, ge=1, le=500)
    per_page: int = Field(default=20, ge=1, le=100)

    @model_validator(mode="after")
    def _something_to_rank_by(self) -> CandidateSearchRequest:
        if self.role_id is not None and self.posting_id is not None:
            raise ValueError("give at most one of role_id and posting_id")
        if not self.skills and self.role_id is None and self.posting_id is None:
            raise ValueError("give skills, a role_id or a posting_id")
        if self.must_meet and self.posting_id is None:
            raise ValueError("must_meet needs a posting_id")
        return self


class CourseCreate(BaseModel):
    key: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
    title_ja: str = Field(min_length=1, max_length=300)
    title_en: str = Field(min_length=1, max_length=300)
    hours: float = Field(gt=0, le=10_000)
    price_jpy: int = Field(default=0, ge=0)
    language: Literal["ja", "en"] = "ja"
    mode: Literal["online", "offline", "hybrid"] = "online"
    url: str | None = Field(default=None, max_length=500)
    achievement_id: uuid.UUID | None = None
    alignments: list[SkillLevelIn] = Field(min_length=1, max_length=40)


class CourseUpdate(BaseModel):
    title_ja: str | None = Field(default=None, min_length=1, max_length=300)
    title_en: str | None = Field(default=None, min_length=1, max_length=300)
    hours: float | None = Field(default=None, gt=0, le=10_000)
    price_jpy: int | None = Field(default=None, ge=0)
    language: Literal["ja", "en"] | None = None
    mode: Literal["online", "offline", "hybrid"] | None = None
    url: str | None = Field(default=None, max_length=500)
    alignments: list[SkillLevelIn] | None = Field(default=None, min_length=1, max_length=40)


class CourseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    provider_org_id: uuid.UUID
    key: str
    title_ja: str
    title_en: str
    hours: float
    price_jpy: int
    language: str
    mode: str
    url: str | None
    achievement_id: uuid.UUID | None
    alignments: list[dict]
