"""Jobs for you: published postings ranked by fit, one job with its gap and learning path, save,
apply with a share link or a presented badge; and the employer's list of a posting's applications (only what was sent)."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, InvalidInput
from core.settings import Settings
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.employer_console import BASE, MEMBER
from frontend.forms import FormData, as_list, as_uuid, errors_by_field, form_error_status, redirect
from frontend.rendering import dss_skill, lang_of, page
from frontend.signed_in import SIGNED_IN, me
from matching.contact import presentations
from matching.contact.requests import link_is_live
from matching.jobs import service
from skills import sharing

APPLY_PARTS = ("skills", "categories", "evidence", "target_role", "prefecture", "display_name")


def _skills(ids: list[str]) -> list:
    return [s for s in map(dss_skill, ids) if s is not None]


@get("/wallet/jobs", **SIGNED_IN)
async def jobs_page(request: Request, db_session: NamedDependency[AsyncSession],
                    settings: NamedDependency[Settings]) -> Template:
    """Published jobs, best fit with my profile first, with what is met and missing."""
    saved_only = request.query_params.get("saved") == "1"
    jobs = await service.jobs_for(db_session, settings, me(request), saved_only=saved_only)
    rows = [{"job": j, "missing": _skills(j.missing)[:3], "missing_count": len(j.missing),
             "met_count": len(j.met)} for j in jobs]
    return page(request, "jobs/index.html", {"rows": rows, "saved_only": saved_only})


async def _detail(request: Request, db: AsyncSession, settings: Settings, posting_id: uuid.UUID,
                  errors: dict[str, str], status_code: int = 200) -> Template:
    person = me(request)
    job, path = await service.job_detail(db, settings, person, posting_id)
    links = [link for link, _ in await sharing.list_links(db, person) if link_is_live(link)]
    return page(request, "jobs/detail.html", {
        "job": job, "path": path, "met": _skills(job.met), "missing": _skills(job.missing), "links": links,
        "parts": APPLY_PARTS, "default_parts": service.DEFAULT_PARTS, "errors": errors,
        "presentable": await presentations.presentable(db, settings, person),
        "request_withdrawn": request.query_params.get("withdrawn") == "1",
    }, status_code=status_code)


@get("/wallet/jobs/{posting_id:uuid}", **SIGNED_IN)
async def job_page(request: Request, posting_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                   settings: NamedDependency[Settings]) -> Template:
    """One job: fit, met and missing items, the learning path to close the gap, save and apply."""
    return await _detail(request, db_session, settings, posting_id, {})


@post("/wallet/jobs/{posting_id:uuid}/save", **SIGNED_IN)
async def job_save(request: Request, posting_id: FromPath[uuid.UUID], data: FormData,
                   db_session: NamedDependency[AsyncSession]) -> Response:
    """Save or unsave the job."""
    await service.set_saved(db_session, me(request), posting_id, data.get("saved") == "on")
    return redirect(request, f"/wallet/jobs/{posting_id}")


@post("/wallet/jobs/{posting_id:uuid}/apply", **SIGNED_IN)
async def job_apply(request: Request, posting_id: FromPath[uuid.UUID], data: FormData,
                    db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Send one of my live share links, a new one of the chosen parts, or a presentation of a wallet badge
    and the skills ticked, to the posting's employer."""
    choice = str(data.get("link") or "new")
    try:
        if choice == "present":
            held_id = as_uuid(str(data.get("held_id") or ""))
            if held_id is None:
                raise InvalidInput("choose a badge to present", field="held_id")
            await service.apply_with_presentation(db_session, settings, me(request), posting_id, held_id=held_id,
                                                  skill_codes=as_list(data.get(f"skills-{held_id}")))
        elif choice == "new":
            await service.apply(db_session, settings, me(request), posting_id, parts=as_list(data.get("parts")))
        else:
            await service.apply(db_session, settings, me(request), posting_id,
                                link_id=as_uuid(choice) or uuid.UUID(int=0))
    except DomainError as exc:
        errors = errors_by_field(exc, lang_of(request), "jobs", "apply")
        return await _detail(request, db_session, settings, posting_id, errors,
                             form_error_status(request, exc.status_code))
    return redirect(request, f"/wallet/jobs/{posting_id}?applied=1")


@post("/wallet/jobs/{posting_id:uuid}/withdraw", **SIGNED_IN)
async def job_withdraw(request: Request, posting_id: FromPath[uuid.UUID],
                       db_session: NamedDependency[AsyncSession]) -> Response:
    """Withdraw my application: the employer no longer sees what it sent."""
    await service.withdraw(db_session, me(request), posting_id)
    return redirect(request, f"/wallet/jobs/{posting_id}?withdrawn=1")


@get(f"{BASE}/postings/{{posting_id:uuid}}/applications", **MEMBER, include_in_schema=False)
async def posting_applications(request: Request, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                               db_session: DbSession, settings: AppSettings) -> Template:
    """The posting's applications, each with only what the applicant's link shares now."""
    found = await service.applications_for(db_session, settings, org_id, posting_id)
    return page(request, "jobs/applications.html", {"applications": found, "org_id": org_id,
                                                    "posting_id": posting_id})


handlers: list = [jobs_page, job_page, job_save, job_apply, job_withdraw, posting_applications]
