"""Jobs for you: published postings ranked by fit with the learner's profile (the engine's own posting
scoring, ``matching.roles.rank_targets``), each with its met and missing items and, for one job, the
learning path that closes the gap (``matching.paths``); saving a job; applying with a share link or a
verifiable presentation.

An application names one of the learner's share links (chosen, or made for it through
``skills.sharing.create_link``); the posting's employer sees the application with what that link
shares, read live (``skills.sharing.shared_view``): nothing once the learner withdraws or the link is
revoked or expires. Or it names a presentation of a wallet badge, made through the employer's
OpenID4VP verifier (``matching.contact.presentations``): the employer sees what the verifier kept,
deleted when the learner withdraws. Employers of other organizations never see it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from matching.contact import presentations
from matching.contact.requests import link_is_live
from matching.jobs.models import JobApplication, SavedJob
from matching.models import JobPosting
from matching.postings import PostingService, posting_target
from matching.roles import TargetMatch, rank_targets
from matching.schemas import PathOptions
from matching.service import learning_path, own_profile
from skills import sharing
from skills.export import row_dict

DEFAULT_PARTS = ["skills", "categories"]
APPLIED_ALREADY = "You have applied to this job already."


@dataclass
class Job:
    posting: JobPosting
    match: TargetMatch
    saved: bool
    applied: bool

    @property
    def met(self) -> list[str]:
        return [n.skill_id for n in self.match.needs if n.outcome == "met"]

    @property
    def missing(self) -> list[str]:
        return [n.skill_id for n in self.match.needs if n.outcome != "met"]


async def _mine(session: AsyncSession, model, person_id: uuid.UUID) -> set[uuid.UUID]:
    query = select(model.posting_id).where(model.person_id == person_id)
    if model is JobApplication:
        query = query.where(JobApplication.withdrawn_at.is_(None))
    return set((await session.execute(query)).scalars())


async def jobs_for(session: AsyncSession, settings: Settings, person_id: uuid.UUID, *,
                   saved_only: bool = False) -> list[Job]:
    """Every published posting, best fit first (ties: newest first, the order postings come in)."""
    postings = {str(p.id): p for p in await PostingService(session).published()}
    profile = await own_profile(session, settings, person_id)
    saved, applied = await _mine(session, SavedJob, person_id), await _mine(session, JobApplication, person_id)
    ranked = rank_targets(profile, [posting_target(p) for p in postings.values()])
    jobs = [Job(postings[m.target.id], m, postings[m.target.id].id in saved, postings[m.target.id].id in applied)
            for m in ranked]
    return [j for j in jobs if j.saved] if saved_only else jobs


async def job_detail(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                     posting_id: uuid.UUID) -> tuple[Job, dict[str, Any]]:
    """One published job with its fit and the learning path to close its gap."""
    posting = await PostingService(session).get_published(posting_id)
    profile = await own_profile(session, settings, person_id)
    [match] = rank_targets(profile, [posting_target(posting)])
    saved, applied = await _mine(session, SavedJob, person_id), await _mine(session, JobApplication, person_id)
    path = await learning_path(session, profile, PathOptions(posting_id=posting.id))
    return Job(posting, match, posting.id in saved, posting.id in applied), path


async def set_saved(session: AsyncSession, person_id: uuid.UUID, posting_id: uuid.UUID, saved: bool) -> None:
    """Save (idempotent) or unsave a published job."""
    await PostingService(session).get_published(posting_id)
    found = await session.scalar(select(SavedJob).where(SavedJob.person_id == person_id,
                                                        SavedJob.posting_id == posting_id))
    if saved and found is None:
        try:
            async with session.begin_nested():
                session.add(SavedJob(person_id=person_id, posting_id=posting_id))
                await session.flush()
        except IntegrityError:
            pass  # saved by a concurrent request: the same outcome
    elif not saved and found is not None:
        await session.delete(found)
        await session.flush()


async def apply(session: AsyncSession, settings: Settings, person_id: uuid.UUID, posting_id: uuid.UUID, *,
                link_id: uuid.UUID | None = None, parts: list[str] | None = None) -> JobApplication:
    """Apply with one of the learner's live share links, or a new one of ``parts`` (sharing's rules:
    the same 422 as the share form). A second application to the same posting is a 409."""
    posting, existing = await _can_apply(session, person_id, posting_id)
    async with session.begin_nested():  # a lost race leaves no new share link behind
        if link_id is not None:
            try:
                link = await sharing.own_link(session, person_id, link_id)
            except NotFound:
                raise NotFound("No such share link.", field="link_id") from None
            if not link_is_live(link):
                raise InvalidInput("this link was revoked or has expired; choose another", field="link_id")
        else:
            accounts = AccountService(session)
            org, person = await accounts.get_org(posting.org_id), await accounts.get_person(person_id)
            org_name = org.name_ja if person.lang == "ja" else org.name_en  # the label is the learner's, in their language
            label = f"{posting.title} ({org_name})"[:sharing.MAX_LABEL]
            link, _ = await sharing.create_link(session, settings, person_id, label=label,
                                                parts=list(parts if parts is not None else DEFAULT_PARTS),
                                                credential_ids=[], expires_at=None)
        return await _applied(session, existing, person_id, posting_id, share_link_id=link.id)


PURPOSE = {"ja": "求人「{title}」への応募", "en": "An application to the job “{title}”"}


async def apply_with_presentation(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                                  posting_id: uuid.UUID, *, held_id: uuid.UUID,
                                  skill_codes: list[str]) -> JobApplication:
    """Apply by presenting one wallet badge (and, in SD-JWT, only the chosen skills) to the posting's
    employer, verified before it is kept; asks for the posting's DSS items."""
    posting, existing = await _can_apply(session, person_id, posting_id)
    purpose = {lang: text.format(title=posting.title) for lang, text in PURPOSE.items()}
    async with session.begin_nested():  # a lost race leaves no presentation behind
        presented = await presentations.present_to(
            session, settings, person_id, posting.org_id, asked_by=posting.created_by, purpose=purpose,
            dss_items=[r["skill_id"] for r in posting.requirements], held_id=held_id, skill_codes=list(skill_codes))
        return await _applied(session, existing, person_id, posting_id, presentation_request_id=presented.id)


async def _can_apply(session: AsyncSession, person_id: uuid.UUID,
                     posting_id: uuid.UUID) -> tuple[JobPosting, JobApplication | None]:
    posting = await PostingService(session).get_published(posting_id)
    existing = await session.scalar(select(JobApplication).where(JobApplication.person_id == person_id,
                                                                 JobApplication.posting_id == posting_id))
    if existing is not None and existing.withdrawn_at is None:
        raise Conflict(APPLIED_ALREADY)
    return posting, existing


async def _applied(session: AsyncSession, existing: JobApplication | None, person_id: uuid.UUID,
                   posting_id: uuid.UUID, **values: Any) -> JobApplication:
    """Record the application, only if none is live when written: of two at the same moment (two
    tabs, a double click) one wins and the other is the same 409 as a later second application."""
    values.update(share_link_id=values.get("share_link_id"),
                  presentation_request_id=values.get("presentation_request_id"),
                  withdrawn_at=None, created_at=utcnow())  # again after a withdrawal: anew
    if existing is None:
        application = JobApplication(person_id=person_id, posting_id=posting_id, **values)
        try:
            async with session.begin_nested():
                session.add(application)
                await session.flush()
        except IntegrityError:
            raise Conflict(APPLIED_ALREADY) from None
        return application
    done = await session.execute(update(JobApplication).where(
        JobApplication.id == existing.id, JobApplication.withdrawn_at.is_not(None))
        .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict(APPLIED_ALREADY)
    await session.refresh(existing)
    return existing


async def withdraw(session: AsyncSession, person_id: uuid.UUID, posting_id: uuid.UUID) -> None:
    found = await session.scalar(select(JobApplication).where(JobApplication.person_id == person_id,
                                                              JobApplication.posting_id == posting_id,
                                                              JobApplication.withdrawn_at.is_(None)))
    if found is None:
        raise NotFound("No application to this job.")
    presented, found.presentation_request_id = found.presentation_request_id, None
    found.withdrawn_at, found.share_link_id = utcnow(), None
    await session.flush()
    await presentations.forget(session, presented)


async def applications_for(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                           posting_id: uuid.UUID) -> list[tuple[JobApplication, dict[str, Any] | None]]:
    """The posting's applications for its own employer, each with what its link shares now (None:
    withdrawn, revoked or expired). Another organization's posting is a 404."""
    await PostingService(session).get(org_id, posting_id)
    rows = await session.execute(select(JobApplication).where(JobApplication.posting_id == posting_id,
                                                              JobApplication.withdrawn_at.is_(None))
                                 .order_by(JobApplication.created_at.desc()))
    found = []
    for application in rows.scalars():
        shared = await presentations.presented_view(session, settings, application.presentation_request_id)
        if application.share_link_id is not None:
            link = await sharing.own_link(session, application.person_id, application.share_link_id)
            shared = await sharing.shared_view(session, settings, link) if link_is_live(link) else None
        found.append((application, shared))
    return found


async def export_jobs(session: AsyncSession, person_id: uuid.UUID) -> dict[str, Any]:
    """The person's saved jobs and applications (their part of ``accounts.erasure``)."""
    saved = await session.execute(select(SavedJob).where(SavedJob.person_id == person_id))
    applied = await session.execute(select(JobApplication).where(JobApplication.person_id == person_id))
    return {"saved": [row_dict(r) for r in saved.scalars()], "applications": [row_dict(r) for r in applied.scalars()]}


async def delete_jobs(session: AsyncSession, person_id: uuid.UUID) -> None:
    await session.execute(delete(JobApplication).where(JobApplication.person_id == person_id))
    await session.execute(delete(SavedJob).where(SavedJob.person_id == person_id))
