"""HTTP surface of credentials.pathways: a provider defines and lists its pathways (members or API key)."""

from __future__ import annotations

import uuid
from datetime import datetime

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.settings import Settings
from credentials.pathways import service
from credentials.pathways.models import Pathway

ORG = "/api/v1/orgs/{org_id:uuid}"
PROVIDER = access.org_member("provider", api_key=True)


class StepBody(BaseModel):
    achievement_id: uuid.UUID
    group: str = Field(default="", max_length=100, description="Steps sharing a group are alternatives")


class PathwayCreate(BaseModel):
    name_ja: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    description_ja: str = Field(default="", max_length=5000)
    description_en: str = Field(default="", max_length=5000)
    ordered: bool = True
    role_id: str | None = Field(default=None, max_length=100, description="An optional DSS role")
    badge_achievement_id: uuid.UUID = Field(description="The organization's achievement awarded on completion")
    steps: list[StepBody] = Field(max_length=service.MAX_STEPS)


class PathwayRead(BaseModel):
    id: uuid.UUID
    name_ja: str
    name_en: str
    description_ja: str
    description_en: str
    ordered: bool
    role_id: str | None
    badge_achievement_id: uuid.UUID
    steps: list[StepBody]
    created_at: datetime


def pathway_in(data: PathwayCreate) -> service.PathwayIn:
    return service.PathwayIn(name_ja=data.name_ja, name_en=data.name_en, description_ja=data.description_ja,
                             description_en=data.description_en, ordered=data.ordered, role_id=data.role_id,
                             badge_achievement_id=data.badge_achievement_id,
                             steps=[service.StepIn(s.achievement_id, s.group) for s in data.steps])


def _read(pathway: Pathway, steps) -> PathwayRead:
    return PathwayRead(id=pathway.id, name_ja=pathway.name_ja, name_en=pathway.name_en,
                       description_ja=pathway.description_ja, description_en=pathway.description_en,
                       ordered=pathway.ordered, role_id=pathway.role_id,
                       badge_achievement_id=pathway.badge_achievement_id, created_at=pathway.created_at,
                       steps=[StepBody(achievement_id=s.achievement_id, group=s.group_name) for s, _ in steps])


class PathwayController(Controller):
    path = f"{ORG}/pathways"
    tags = ["credentials: provider"]

    @post("/", status_code=HTTP_201_CREATED, **PROVIDER)
    async def create_pathway(self, org_id: FromPath[uuid.UUID], data: JSONBody[PathwayCreate],
                             db_session: NamedDependency[AsyncSession],
                             settings: NamedDependency[Settings]) -> PathwayRead:
        """Define a pathway of the organization's own achievements; completing it awards its badge."""
        pathway = await service.create_pathway(db_session, settings, org_id, pathway_in(data))
        return _read(pathway, (await service.steps_of(db_session, [pathway.id]))[pathway.id])

    @get("/", **PROVIDER)
    async def list_pathways(self, org_id: FromPath[uuid.UUID],
                            db_session: NamedDependency[AsyncSession]) -> list[PathwayRead]:
        """The organization's pathways with their steps."""
        return [_read(p, steps) for p, steps in await service.list_pathways(db_session, org_id)]


handlers: list = [PathwayController]
