"""JSON API of the matching domain.

* public: ``POST /api/v1/match/roles``, ``POST /api/v1/match/path`` (stateless, for a posted profile),
  ``GET /api/v1/courses``, ``GET /api/v1/postings`` (published), ``GET /api/v1/trends`` (JSON or CSV)
* learner: ``GET /api/v1/me/recommendations``, ``GET /api/v1/me/learning-path``
* employer: ``/api/v1/orgs/{org_id}/postings`` (analyze, CRUD), ``POST .../candidates/search``
* provider: ``/api/v1/orgs/{org_id}/courses``
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import InvalidInput
from core.settings import Settings
from core.openapi import problem_responses
from matching import service
from matching.catalog import CatalogService
from matching.inputs import parse_profile
from matching.postings import PostingService, analyze
from matching.present import job_view
from matching.schemas import (
    AnalyzeRequest,
    CandidateSearchRequest,
    CourseCreate,
    CourseRead,
    CourseUpdate,
    PathOptions,
    PathRequest,
    PostingCreate,
    PostingRead,
    PostingUpdate,
    RolesRequest,
)
from matching.search import holder_of
from matching.trends import to_csv

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
OrgId = FromPath[uuid.UUID]


def person_of(request: Request) -> uuid.UUID:
    return access.principal_of(request).person_id


def profile_of(data: RolesRequest | PathRequest) -> dict:
    held, _ = parse_profile({"skills": [s.model_dump(exclude_none=True) for s in data.skills]}, data.version)
    return held


class MatchController(Controller):
    path = "/api/v1/match"
    tags = ["matching"]

    @post("/roles", status_code=HTTP_200_OK, **access.public())
    async def rank_roles(self, data: JSONBody[RolesRequest], db_session: DbSession) -> list[dict[str, Any]]:
        """DSS roles and published postings ranked for the posted profile, each with met/partly/missing."""
        return await service.recommend(db_session, profile_of(data), data.version,
                                       include_postings=data.include_postings, top_k=data.top_k)

    @post("/path", status_code=HTTP_200_OK, responses=problem_responses(404), **access.public())
    async def plan_path(self, data: JSONBody[PathRequest], db_session: DbSession) -> dict[str, Any]:
        """Courses that close the posted profile's gap to a role or published posting, in order."""
        return await service.learning_path(db_session, profile_of(data), data, data.version)


class LearnerController(Controller):
    path = "/api/v1/me"
    tags = ["matching"]

    @get("/recommendations", **access.signed_in())
    async def recommendations(self, request: Request, db_session: DbSession, settings: AppSettings,
                              top_k: FromQuery[int] = 10) -> list[dict[str, Any]]:
        """Roles and published postings ranked for the signed-in learner's own profile."""
        profile = await service.own_profile(db_session, settings, person_of(request))
        return await service.recommend(db_session, profile, top_k=max(1, min(top_k, 100)))

    @get("/learning-path", responses=problem_responses(404), **access.signed_in())
    async def learning_path(self, request: Request, db_session: DbSession, settings: AppSettings,
                            role_id: FromQuery[str | None] = None,
                            posting_id: FromQuery[uuid.UUID | None] = None,
                            language: FromQuery[str | None] = None, mode: FromQuery[str | None] = None,
                            budget_hours: FromQuery[float | None] = None,
                            budget_price: FromQuery[int | None] = None) -> dict[str, Any]:
        """Courses that close the learner's gap to a role or published posting."""
        try:
            options = PathOptions.model_validate({
                "role_id": role_id, "posting_id": posting_id, "budget_hours": budget_hours,
                "budget_price": budget_price, "languages": [language] if language else None,
                "modes": [mode] if mode else None})
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or "role_id"
            raise InvalidInput(error["msg"], field=field) from None
        profile = await service.own_profile(db_session, settings, person_of(request))
        return await service.learning_path(db_session, profile, options)


class PublicCatalogController(Controller):
    path = "/api/v1"
    tags = ["matching"]

    @get("/courses", **access.public())
    async def courses(self, db_session: DbSession, language: FromQuery[str | None] = None,
                      mode: FromQuery[str | None] = None,
                      skill: FromQuery[str | None] = None) -> list[CourseRead]:
        """The course catalog, optionally by language, mode or DSS skill item."""
        rows = await CatalogService(db_session).courses(language=language, mode=mode, skill_id=skill)
        return [CourseRead.model_validate(c) for c, _ in rows]

    @get("/postings", **access.public())
    async def postings(self, db_session: DbSession) -> list[PostingRead]:
        """Published job postings, newest first."""
        return [PostingRead.model_validate(p) for p in await PostingService(db_session).published()]

    @get("/trends", **access.public())
    async def trends(self, request: Request, db_session: DbSession, kind: FromQuery[str] = "skill",
                     id: FromQuery[str | None] = None, prefecture: FromQuery[str | None] = None,
                     month_from: FromQuery[str | None] = None, month_to: FromQuery[str | None] = None,
                     min_level: FromQuery[str] = "d", version: FromQuery[str] = "2.0",
                     format: FromQuery[str] = "json") -> Response:
        """Supply (profiles) and demand (postings) per skill item or role, prefecture and month;
        cells under 10 people suppressed. ``format=csv`` for CSV."""
        cells = await service.trends(db_session, holder_of(request.app.state), kind=kind, version=version,
                                     min_level=min_level, month_from=month_from, month_to=month_to,
                                     skill_or_role=id, prefecture=prefecture)
        if format == "csv":
            return Response(to_csv(cells), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="skillpass-trends.csv"'})
        return Response({"threshold": 10, "kind": kind, "min_level": min_level,
                         "cells": [asdict(c) for c in cells]})


class PostingController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/postings"
    tags = ["matching"]

    @get("/", **access.org_member("employer"))
    async def list_postings(self, org_id: OrgId, db_session: DbSession,
                            status: FromQuery[str | None] = None) -> list[PostingRead]:
        """The organization's postings, newest first."""
        postings = await PostingService(db_session).list_for_org(org_id, status)
        return [PostingRead.model_validate(p) for p in postings]

    @post("/analyze", status_code=HTTP_200_OK, **access.org_member("employer"))
    async def analyze_posting(self, org_id: OrgId, data: JSONBody[AnalyzeRequest]) -> dict[str, Any]:
        """Proposed DSS skill items (with levels) and closest roles for a pasted job description;
        nothing is stored: the employer edits the proposal and saves it with POST."""
        return job_view(await analyze(data.text, data.version))

    @post("/", status_code=HTTP_201_CREATED, **access.org_member("employer"))
    async def create_posting(self, request: Request, org_id: OrgId, data: JSONBody[PostingCreate],
                             db_session: DbSession) -> PostingRead:
        """Save a posting with the requirements the employer confirmed."""
        fields = data.model_dump()
        fields["requirements"] = [r.model_dump() for r in data.requirements]
        posting = await PostingService(db_session).create(org_id, fields, person_of(request))
        return PostingRead.model_validate(posting)

    @get("/{posting_id:uuid}", **access.org_member("employer"))
    async def get_posting(self, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                          db_session: DbSession) -> PostingRead:
        """One posting of the organization."""
        return PostingRead.model_validate(await PostingService(db_session).get(org_id, posting_id))

    @patch("/{posting_id:uuid}", **access.org_member("employer"))
    async def update_posting(self, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                             data: JSONBody[PostingUpdate], db_session: DbSession) -> PostingRead:
        """Change fields of a posting (publish with ``status: published``, close with ``closed``)."""
        fields = data.model_dump(exclude_unset=True)
        posting = await PostingService(db_session).update(org_id, posting_id, fields)
        return PostingRead.model_validate(posting)

    @delete("/{posting_id:uuid}", status_code=HTTP_200_OK, **access.org_member("employer"))
    async def delete_posting(self, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                             db_session: DbSession) -> dict[str, bool]:
        """Delete a posting."""
        await PostingService(db_session).delete(org_id, posting_id)
        return {"deleted": True}


class CandidateController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/candidates"
    tags = ["matching"]

    @post("/search", status_code=HTTP_200_OK, **access.org_member("employer"))
    async def search_candidates(self, request: Request, org_id: OrgId, data: JSONBody[CandidateSearchRequest],
                     db_session: DbSession) -> dict[str, Any]:
        """Opted-in people ranked by coverage of the skills, role or posting, each explained; paginated."""
        return await service.search_candidates(db_session, holder_of(request.app.state), org_id, data)


class CourseController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/courses"
    tags = ["matching"]

    @get("/", **access.org_member("provider", api_key=True))
    async def list_courses(self, org_id: OrgId, db_session: DbSession) -> list[CourseRead]:
        """The provider's courses in the catalog."""
        rows = await CatalogService(db_session).courses(provider_org_id=org_id)
        return [CourseRead.model_validate(c) for c, _ in rows]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409),
          **access.org_member("provider", api_key=True))
    async def create_course(self, org_id: OrgId, data: JSONBody[CourseCreate],
                            db_session: DbSession) -> CourseRead:
        """Add a course aligned to DSS skill items."""
        fields = data.model_dump(exclude_none=True)
        fields["alignments"] = [a.model_dump() for a in data.alignments]
        return CourseRead.model_validate(await CatalogService(db_session).save(org_id, fields))

    @patch("/{course_id:uuid}", responses=problem_responses(409),
           **access.org_member("provider", api_key=True))
    async def update_course(self, org_id: OrgId, course_id: FromPath[uuid.UUID], data: JSONBody[CourseUpdate],
                            db_session: DbSession) -> CourseRead:
        """Change a course."""
        catalog = CatalogService(db_session)
        fields = data.model_dump(exclude_unset=True)
        if data.alignments is not None:
            fields["alignments"] = [a.model_dump() for a in data.alignments]
        course = await catalog.get(org_id, course_id)
        return CourseRead.model_validate(await catalog.save(org_id, fields, course))

    @delete("/{course_id:uuid}", status_code=HTTP_200_OK, **access.org_member("provider", api_key=True))
    async def delete_course(self, org_id: OrgId, course_id: FromPath[uuid.UUID],
                            db_session: DbSession) -> dict[str, bool]:
        """Remove a course from the catalog."""
        await CatalogService(db_session).delete(org_id, course_id)
        return {"deleted": True}


handlers = [MatchController, LearnerController, PublicCatalogController, PostingController,
            CandidateController, CourseController]
