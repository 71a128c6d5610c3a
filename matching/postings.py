"""Employers' job postings: propose DSS requirements from the pasted text, then store what the
employer confirmed. Only published postings are matched against learners and counted in trends."""

from __future__ import annotations

import uuid
from typing import Any

import anyio
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import InvalidInput, NotFound
from matching.catalog import check_alignments
from matching.job_text import JobAnalysis, analyze_job
from matching.models import POSTING_STATUSES, JobPosting
from matching.roles import Target
from skills.prefectures import prefecture_code
from taxonomies.dss import get_taxonomy

MAX_REQUIREMENTS = 40


def posting_target(posting: JobPosting) -> Target:
    """A posting as something to match people against."""
    return Target("posting", str(posting.id), posting.title, posting.title,
                  {r["skill_id"]: r["level"] for r in posting.requirements})


def check_role(role_id: str | None) -> str | None:
    if role_id is None:
        return None
    try:
        return get_taxonomy().role(role_id).id
    except KeyError:
        raise InvalidInput(f"unknown DSS role {role_id!r}", field="role_id") from None


def check_prefecture(value: str | None) -> str | None:
    if not value:
        return None
    code = prefecture_code(value)
    if code is None:
        raise InvalidInput(f"unknown prefecture {value!r}; use JP-01 .. JP-47 or its name",
                           field="prefecture")
    return code


def checked_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate the fields a create or update sets (the others are left alone)."""
    out = dict(fields)
    if "requirements" in out:
        if len(out["requirements"]) > MAX_REQUIREMENTS:
            raise InvalidInput(f"at most {MAX_REQUIREMENTS} skill items", field="requirements")
        out["requirements"] = check_alignments(out["requirements"], field="requirements")
    if "role_id" in out:
        out["role_id"] = check_role(out["role_id"])
    if "prefecture" in out:
        out["prefecture"] = check_prefecture(out["prefecture"])
    if "status" in out and out["status"] not in POSTING_STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(POSTING_STATUSES)}", field="status")
    return out


async def analyze(text: str, version: str = "2.0") -> JobAnalysis:
    """Roles and skills proposed for a job description (CPU work, run in a worker thread)."""
    if not text.strip():
        raise InvalidInput("paste the job description", field="text")
    if version not in get_taxonomy().versions:
        raise InvalidInput(f"unknown DSS version {version!r}", field="version")
    return await anyio.to_thread.run_sync(analyze_job, text, version)


class PostingService:
    """Postings of employers; the caller commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for_org(self, org_id: uuid.UUID, status: str | None = None) -> list[JobPosting]:
        query = select(JobPosting).where(JobPosting.org_id == org_id)
        if status:
            query = query.where(JobPosting.status == status)
        rows = await self.session.execute(query.order_by(JobPosting.created_at.desc(), JobPosting.id))
        return list(rows.scalars())

    async def published(self) -> list[JobPosting]:
        rows = await self.session.execute(select(JobPosting).where(JobPosting.status == "published")
                                          .order_by(JobPosting.published_at.desc(), JobPosting.id))
        return list(rows.scalars())

    async def published_or_closed(self) -> list[JobPosting]:
        """Every posting that was ever published (demand in trends)."""
        rows = await self.session.execute(select(JobPosting).where(JobPosting.published_at.is_not(None),
                                                                   JobPosting.status != "draft"))
        return list(rows.scalars())

    async def get(self, org_id: uuid.UUID, posting_id: uuid.UUID) -> JobPosting:
        posting = await self.session.get(JobPosting, posting_id)
        if posting is None or posting.org_id != org_id:
            raise NotFound("No such job posting in this organization.")
        return posting

    async def get_published(self, posting_id: uuid.UUID) -> JobPosting:
        posting = await self.session.get(JobPosting, posting_id)
        if posting is None or posting.status != "published":
            raise NotFound("No such published job posting.")
        return posting

    async def create(self, org_id: uuid.UUID, fields: dict[str, Any],
                     created_by: uuid.UUID | None) -> JobPosting:
        fields = checked_fields(fields)
        if not fields.get("requirements"):
            raise InvalidInput("confirm at least one DSS skill item", field="requirements")
        posting = JobPosting(org_id=org_id, created_by=created_by, **fields)
        if posting.status == "published":
            posting.published_at = utcnow()
        self.session.add(posting)
        await self.session.flush()
        return posting

    async def update(self, org_id: uuid.UUID, posting_id: uuid.UUID, fields: dict[str, Any]) -> JobPosting:
        posting = await self.get(org_id, posting_id)
        fields = checked_fields(fields)
        if fields.get("status") == "published" and posting.status != "published":
            posting.published_at = utcnow()
        for name, value in fields.items():
            setattr(posting, name, value)
        posting.updated_at = utcnow()
        self.session.add(posting)
        await self.session.flush()
        return posting

    async def delete(self, org_id: uuid.UUID, posting_id: uuid.UUID) -> None:
        await self.session.delete(await self.get(org_id, posting_id))
