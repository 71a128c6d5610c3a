"""The employer's saved job postings: pasted text -> proposed DSS skills with levels and the closest
role -> edit -> save (``matching.postings``, the rules of ``/api/v1/orgs/{org_id}/postings``)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.access import principal_of
from core.errors import InvalidInput
from frontend.consoles import DbSession, OrgId
from frontend.dss_picker import alignment_rows
from frontend.employer_console import (
    BASE,
    MEMBER,
    PER_PAGE,
    base_of,
    console,
    posting_context,
    proposal_of,
    proposed_rows,
    requirement_rows,
)
from frontend.forms import FormData, form_error_status, redirect, text_of
from frontend.i18n import messages, translate
from frontend.pagination import paginate
from frontend.rendering import lang_of, page
from matching.models import POSTING_STATUSES
from matching.postings import PostingService
from matching.schemas import PostingCreate, PostingUpdate


@get(f"{BASE}/postings", **MEMBER, include_in_schema=False)
async def posting_list(request: Request, org_id: OrgId, db_session: DbSession,
                       status: FromQuery[str] = "") -> Template:
    """Saved postings, newest first, by status, paginated."""
    status = status if status in POSTING_STATUSES else ""
    postings = await PostingService(db_session).list_for_org(org_id, status or None)
    listing = paginate(postings, request.query_params.get("page"), per_page=PER_PAGE,
                       path=f"{base_of(org_id)}/postings", params={"status": status})
    return page(request, "employer/postings.html", await console(
        request, db_session, org_id, "postings", postings=listing, status=status, statuses=POSTING_STATUSES),
        block="posting_list")


POSTING_FIELDS = ("title", "description", "lang", "prefecture", "role_id", "status")


@get(f"{BASE}/postings/new", **MEMBER, include_in_schema=False)
async def posting_new(request: Request, org_id: OrgId, db_session: DbSession) -> Template:
    """A new posting: paste the job description, get DSS skills proposed, edit, save."""
    context = await posting_context(request, db_session, org_id, {}, [], {})
    return page(request, "employer/posting_form.html", context)


@get(f"{BASE}/postings/requirements", **MEMBER, include_in_schema=False)
async def posting_requirements(request: Request, org_id: OrgId,
                               db_session: DbSession, add: FromQuery[str] = "",
                               remove: FromQuery[str] = "") -> Template:
    """The posting's requirement rows with one skill item added or removed."""
    rows = requirement_rows(request.query_params, add=add, remove=remove)
    context = await posting_context(request, db_session, org_id, {}, rows, {}, removed=bool(remove))
    return page(request, "employer/posting_form.html", context, block="requirement_rows")


def posting_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {name: text_of(data, name) for name in POSTING_FIELDS}
    values["description"] = str(data.get("description") or "").strip()
    return values


@post(f"{BASE}/postings/analyze", **MEMBER, include_in_schema=False)
async def posting_analyze(request: Request, org_id: OrgId, data: FormData,
                          db_session: DbSession) -> Template:
    """Propose DSS skill items with levels and the closest roles for the pasted text (nothing is saved)."""
    values = posting_values(data)
    values["id"] = text_of(data, "posting_id")
    errors: dict[str, str] = {}
    rows = requirement_rows(data)
    proposal = await proposal_of(values["description"], errors, "description", lang_of(request))
    if proposal:
        rows = proposed_rows(proposal)
        values["role_id"] = proposal["roles"][0]["id"] if proposal["roles"] else values["role_id"]
        if not values["title"] and proposal["roles"]:
            values["title"] = proposal["roles"][0][f"name_{lang_of(request)}"]
    context = await posting_context(request, db_session, org_id, values, rows, errors, proposal=proposal,
                                    sources={s["id"]: s for s in (proposal or {}).get("skills", [])})
    status = 200 if not errors else form_error_status(request, 422)
    return page(request, "employer/posting_form.html", context, block="posting_form", status_code=status)


def posting_fields(values: dict[str, Any], rows: list[dict]) -> dict[str, Any]:
    return {"title": values["title"], "description": values["description"], "lang": values["lang"] or "ja",
            "prefecture": values["prefecture"] or None, "role_id": values["role_id"] or None,
            "status": values["status"] or "draft",
            "requirements": [{"skill_id": r["skill"].id, "level": r["level"]} for r in rows]}


def field_errors(exc: ValidationError | InvalidInput, lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    problems = exc.errors() if isinstance(exc, ValidationError) else [
        {"loc": ((e.get("field") or "form").split("[")[0].split(".")[0],)} for e in exc.errors]
    for problem in problems:
        name = str(problem["loc"][0]) if problem["loc"] else "form"
        key = f"employer.error.{name}"
        found.setdefault(name, translate(key if key in messages() else "employer.error.form", lang))
    return found


async def save_posting(request: Request, db: AsyncSession, org_id: uuid.UUID, data: dict[str, Any],
                       posting_id: uuid.UUID | None) -> Response:
    values = posting_values(data)
    rows = requirement_rows(data)
    fields = posting_fields(values, rows)
    postings = PostingService(db)
    try:
        if posting_id is None:
            checked = PostingCreate.model_validate(fields)
            saved = await postings.create(org_id, checked.model_dump(), principal_of(request).person_id)
        else:
            checked = PostingUpdate.model_validate(fields)
            saved = await postings.update(org_id, posting_id, checked.model_dump(exclude_unset=True))
    except (ValidationError, InvalidInput) as exc:
        values["id"] = str(posting_id) if posting_id else ""
        errors = field_errors(exc, lang_of(request))
        context = await posting_context(request, db, org_id, values, rows, errors)
        status = form_error_status(request, 422)
        return page(request, "employer/posting_form.html", context, block="posting_form", status_code=status)
    return redirect(request, f"{base_of(org_id)}/postings/{saved.id}?saved=1")


@post(f"{BASE}/postings", **MEMBER, include_in_schema=False)
async def posting_create(request: Request, org_id: OrgId, data: FormData,
                         db_session: DbSession) -> Response:
    """Save a new posting with the requirements the employer confirmed."""
    return await save_posting(request, db_session, org_id, data, None)


@get(f"{BASE}/postings/{{posting_id:uuid}}", **MEMBER, include_in_schema=False)
async def posting_edit(request: Request, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                       db_session: DbSession, saved: FromQuery[bool] = False) -> Template:
    """A saved posting in the editor."""
    posting = await PostingService(db_session).get(org_id, posting_id)
    values = {name: getattr(posting, name) or "" for name in POSTING_FIELDS}
    values["id"] = str(posting.id)
    rows = alignment_rows([r["skill_id"] for r in posting.requirements],
                          [r["level"] for r in posting.requirements])
    context = await posting_context(request, db_session, org_id, values, rows, {}, saved=saved,
                                    posting=posting)
    return page(request, "employer/posting_form.html", context)


@post(f"{BASE}/postings/{{posting_id:uuid}}", **MEMBER, include_in_schema=False)
async def posting_update(request: Request, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                         data: FormData, db_session: DbSession) -> Response:
    """Save changes to a posting (publish it, or close it)."""
    await PostingService(db_session).get(org_id, posting_id)  # 404 for another organization's posting
    return await save_posting(request, db_session, org_id, data, posting_id)


handlers = [posting_list, posting_new, posting_requirements, posting_analyze, posting_create, posting_edit,
            posting_update]
