"""HTTP surface of matching.jobs: my jobs ranked by fit, save, apply with a share link or a presentation;
the employer's list of a posting's applications (only what each link shares or each presentation showed)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import InvalidInput
from core.settings import Settings
from matching.jobs import service

Part = Literal["skills", "self_declared", "evidence", "categories", "gap", "target_role", "prefecture", "display_name"]


class ApplyIn(BaseModel):
    """Apply with a share link (``link_id``, else a new link of ``parts``) or, with ``held_id``, by presenting
    one wallet badge (``skills``: the DSS items it discloses), verified before the employer sees it."""

    link_id: uuid.UUID | None = Field(default=None, description="One of my live share links; else a new one")
    parts: list[Part] | None = Field(default=None, description="What a new link shares (default: skills, categories)")
    held_id: uuid.UUID | None = Field(default=None, description="A wallet badge to present instead of a link")
    skills: list[str] = Field(default_factory=list, description="With held_id: the DSS item ids to disclose")


def _me(request: Request) -> uuid.UUID:
    return access.principal_of(request).person_id


def job_json(job: service.Job) -> dict[str, Any]:
    return {"posting_id": str(job.posting.id), "title": job.posting.title, "fit": job.match.coverage,
            "score": job.match.score, "met": job.met, "missing": job.missing, "saved": job.saved,
            "applied": job.applied}


class MyJobsController(Controller):
    path = "/api/v1/me/jobs"
    tags = ["matching: jobs for you"]

    @get("/", **access.signed_in())
    async def my_jobs(self, request: Request, db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
        """Published postings ranked by fit with my profile, each with met and missing skill items."""
        return [job_json(j) for j in await service.jobs_for(db_session, settings, _me(request))]

    @put("/{posting_id:uuid}/saved", status_code=HTTP_200_OK, **access.signed_in())
    async def save_job(self, request: Request, posting_id: FromPath[uuid.UUID],
                       db_session: NamedDependency[AsyncSession]) -> dict[str, bool]:
        """Save a published job (idempotent)."""
        await service.set_saved(db_session, _me(request), posting_id, True)
        return {"saved": True}

    @delete("/{posting_id:uuid}/saved", status_code=HTTP_200_OK, **access.signed_in())
    async def unsave_job(self, request: Request, posting_id: FromPath[uuid.UUID],
                         db_session: NamedDependency[AsyncSession]) -> dict[str, bool]:
        """Remove a job from my saved ones."""
        await service.set_saved(db_session, _me(request), posting_id, False)
        return {"saved": False}

    @post("/{posting_id:uuid}/application", status_code=HTTP_201_CREATED, **access.signed_in())
    async def apply_job(self, request: Request, posting_id: FromPath[uuid.UUID], data: JSONBody[ApplyIn],
                        db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> dict[str, Any]:
        """Apply by sending one of my share links (or a new one), or a presentation of a wallet badge, to the
        posting's employer."""
        if data.held_id is not None:
            if data.link_id is not None or data.parts is not None:
                raise InvalidInput("send either a share link (link_id, parts) or a presentation (held_id)",
                                   field="held_id")
            application = await service.apply_with_presentation(db_session, settings, _me(request), posting_id,
                                                                held_id=data.held_id, skill_codes=data.skills)
        else:
            application = await service.apply(db_session, settings, _me(request), posting_id, link_id=data.link_id,
                                              parts=list(data.parts) if data.parts is not None else None)
        return {"id": str(application.id), "posting_id": str(posting_id),
                "share_link_id": str(application.share_link_id) if application.share_link_id else None,
                "presentation_request_id": (str(application.presentation_request_id)
                                            if application.presentation_request_id else None)}


    @delete("/{posting_id:uuid}/application", status_code=HTTP_200_OK, **access.signed_in())
    async def withdraw_application(self, request: Request, posting_id: FromPath[uuid.UUID],
                                   db_session: NamedDependency[AsyncSession]) -> dict[str, bool]:
        """Withdraw my application: the employer no longer sees what it sent (a presentation is deleted)."""
        await service.withdraw(db_session, _me(request), posting_id)
        return {"applied": False}


class PostingApplicationsController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/postings/{posting_id:uuid}/applications"
    tags = ["matching"]

    @get("/", **access.org_member("employer"))
    async def posting_applications(self, org_id: FromPath[uuid.UUID], posting_id: FromPath[uuid.UUID],
                                   db_session: NamedDependency[AsyncSession],
                                   settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
        """The posting's applications with what each applicant's link shares now (``shared`` null: withdrawn,
        revoked or expired). The applicant is named only if their link shares the display name."""
        found = await service.applications_for(db_session, settings, org_id, posting_id)
        return [{"id": str(a.id), "applied_at": a.created_at.isoformat(), "shared": shared} for a, shared in found]


handlers: list = [MyJobsController, PostingApplicationsController]
