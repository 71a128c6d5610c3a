"""The employer's pages: candidate search with live results and explanations (opted-in people, consented
data only), a candidate's page, verifying a credential or share link, and saved job postings (pasted
text -> proposed DSS skills with levels and the closest role -> edit -> save).

Every route is for members of the employer in the ``org_id`` path parameter. The matching, skills and
credentials services do the work; these handlers parse, call them and render.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from accounts.service import AccountService
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials.baked import BakedError, credential_text
from frontend.i18n import messages, translate
from frontend.pages import FormData, MultipartData, form_error_status, redirect
from frontend.pages.provider import alignment_rows, as_list, skill_choices, text_of
from frontend.pages.public import MAX_PASTE, check_link, check_one
from frontend.pagination import Page, page_number, paginate
from frontend.rendering import lang_of, not_found_page, page
from matching import service
from matching.models import POSTING_STATUSES
from matching.postings import PostingService, analyze, posting_target
from matching.present import explanation, job_view
from matching.profiles import SkillsProfileSource
from matching.query import ranking_target
from matching.roles import score_target
from matching.schemas import CandidateSearchRequest, PostingCreate, PostingUpdate
from matching.search import holder_of
from skills.prefectures import PREFECTURES
from taxonomies.dss import LEVELS, get_taxonomy

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
OrgId = FromPath[uuid.UUID]
BASE = "/employer/{org_id:uuid}"
MEMBER = access.org_member("employer")
PER_PAGE = 10
MAX_REQUIREMENTS = 40
ROLE_TEMPLATE_SIZE = 12  # a role's level-a needs copied into the requirements


def base_of(org_id: uuid.UUID) -> str:
    return f"/employer/{org_id}"


async def console(request: Request, db: AsyncSession, org_id: uuid.UUID, tab: str,
                  **extra: Any) -> dict[str, Any]:
    """What every employer page needs: the organization, the active tab, the DSS roles and prefectures."""
    org = await AccountService(db).get_org(org_id)
    roles = sorted(get_taxonomy().roles(), key=lambda r: (r.extension, r.id))
    return {"org": org, "base": base_of(org_id), "tab": tab, "roles": roles,
            "roles_by_id": {r.id: r for r in roles},
            "prefectures": PREFECTURES,
            "levels": list(reversed(LEVELS)), **extra}


def requirement_rows(data: Any, *, add: str = "", remove: str = "") -> list[dict]:
    """Chosen skill items and levels from a query or form (``req_skill``/``req_level`` pairs)."""
    get_all = data.getall if hasattr(data, "getall") else (lambda name, default=None: as_list(data.get(name)))
    rows = alignment_rows(get_all("req_skill", []), get_all("req_level", []), add=add, remove=remove)
    return rows[:MAX_REQUIREMENTS]


# -- candidate search ------------------------------------------------------------------------------

@dataclass
class Criteria:
    """What the employer is looking for, as the search form sends it."""

    rows: list[dict] = field(default_factory=list)
    match: str = "all"
    verified_only: bool = False
    role_id: str = ""
    posting_id: str = ""
    prefecture: str = ""

    @property
    def empty(self) -> bool:
        return not (self.rows or self.role_id or self.posting_id)

    def params(self) -> list[tuple[str, str]]:
        """The criteria as query parameters (repeated keys for the skill rows)."""
        pairs: list[tuple[str, str]] = []
        for row in self.rows:
            pairs += [("req_skill", row["skill"].id), ("req_level", row["level"])]
        pairs += [(k, v) for k, v in (("match", self.match if self.match != "all" else ""),
                                      ("verified", "on" if self.verified_only else ""),
                                      ("role_id", self.role_id),
                                      ("posting_id", self.posting_id), ("prefecture", self.prefecture)) if v]
        return pairs

    def request(self, number: int) -> CandidateSearchRequest:
        return CandidateSearchRequest(
            skills=[{"skill_id": r["skill"].id, "min_level": r["level"]} for r in self.rows],
            match=self.match, verified_only=self.verified_only, role_id=self.role_id or None,
            posting_id=self.posting_id or None, prefecture=self.prefecture or None, page=number,
            per_page=PER_PAGE)


def criteria_of(data: Any, **changes: str) -> Criteria:
    get_one = data.get
    posting = str(get_one("posting_id") or "")
    return Criteria(
        rows=requirement_rows(data, **changes), match="any" if get_one("match") == "any" else "all",
        verified_only=get_one("verified") == "on",
        role_id=str(get_one("role_id") or "") if str(get_one("role_id") or "") in known_roles() else "",
        posting_id=posting if _uuid(posting) else "",
        prefecture=str(get_one("prefecture") or "") if get_one("prefecture") in PREFECTURES else "")


def known_roles() -> set[str]:
    return {r.id for r in get_taxonomy().roles()}


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def search_results(request: Request, db: AsyncSession, org_id: uuid.UUID,
                         criteria: Criteria) -> Page | None:
    """One page of explained candidates, or None when there is nothing to search for yet."""
    if criteria.empty:
        return None
    number = page_number(request.query_params.get("page"))
    found = await service.search_candidates(db, holder_of(request.app.state), org_id,
                                            criteria.request(number))
    path = f"{base_of(org_id)}/candidates"
    return Page(found["results"], number, PER_PAGE, found["total"], path, tuple(criteria.params()))


async def search_context(request: Request, db: AsyncSession, org_id: uuid.UUID, criteria: Criteria,
                         **extra: Any) -> dict[str, Any]:
    postings = await PostingService(db).list_for_org(org_id)
    error = None
    try:
        results = await search_results(request, db, org_id, criteria)
    except (DomainError, ValidationError):  # e.g. a posting of another organization
        results, error = None, translate("employer.search.error", lang_of(request))
    extra.setdefault("picker_q", "")
    extra.setdefault("choices", [])
    extra.setdefault("proposal", None)
    return await console(request, db, org_id, "candidates", criteria=criteria, results=results, error=error,
                         postings=postings, query="&".join(f"{k}={v}" for k, v in criteria.params()),
                         rows_url=f"{base_of(org_id)}/candidates/requirements", editor="search", **extra)


@get([BASE, f"{BASE}/candidates"], **MEMBER, include_in_schema=False)
async def candidate_search(request: Request, org_id: OrgId,
                           db_session: DbSession) -> Template:
    """Find opted-in people by skill items and levels, a role or a saved posting; results update live."""
    criteria = criteria_of(request.query_params)
    context = await search_context(request, db_session, org_id, criteria)
    return page(request, "employer/search.html", context, block="candidate_results")


@get(f"{BASE}/candidates/requirements", **MEMBER, include_in_schema=False)
async def search_requirements(request: Request, org_id: OrgId, db_session: DbSession,
                              add: FromQuery[str] = "", remove: FromQuery[str] = "") -> Template:
    """The requirement rows with one skill item added or removed; the results then refresh."""
    criteria = criteria_of(request.query_params, add=add, remove=remove)
    if request.query_params.get("template") and criteria.role_id:
        criteria.rows = role_template(criteria.role_id)
    context = await search_context(request, db_session, org_id, criteria, removed=bool(remove))
    response = page(request, "employer/search.html", context, block="requirement_rows")
    response.headers["HX-Trigger-After-Settle"] = "filters-changed"  # after the new criteria are in place
    return response


def role_template(role_id: str) -> list[dict]:
    """A role's level-a needs (DSS ver.2.0) as requirement rows: a starting point to edit."""
    tx = get_taxonomy()
    role = tx.role(role_id)
    needs = [s for s in tx.skill_items("2.0")
             if s.id in role.requirements and role.requirements[s.id].level == "a"]
    return [{"skill": s, "level": "a"} for s in needs[:ROLE_TEMPLATE_SIZE]]


@get(f"{BASE}/skills", **MEMBER, include_in_schema=False)
async def skill_picker(request: Request, org_id: OrgId, db_session: DbSession,
                       q: FromQuery[str] = "", editor: FromQuery[str] = "search") -> Template:
    """Type-ahead over DSS skill items in Japanese and English, for the search or the posting editor."""
    if editor == "posting":
        context = await posting_context(request, db_session, org_id, {}, [], {}, picker_q=q,
                                        choices=skill_choices(q))
        return page(request, "employer/posting_form.html", context, block="req_picker_results")
    context = await search_context(request, db_session, org_id, Criteria(), picker_q=q,
                                   choices=skill_choices(q))
    return page(request, "employer/search.html", context, block="req_picker_results")


@post(f"{BASE}/candidates/from-text", **MEMBER, include_in_schema=False)
async def search_from_text(request: Request, org_id: OrgId, data: FormData,
                           db_session: DbSession) -> Template:
    """Fill the requirements and role from a pasted job description; the results then refresh."""
    text = text_of(data, "job_text")
    errors: dict[str, str] = {}
    criteria = criteria_of(data)
    proposal = None
    try:
        proposal = job_view(await analyze(text))
    except InvalidInput:
        errors["job_text"] = translate("employer.error.job_text", lang_of(request))
    if proposal:
        # the proposed items become the criteria and rank the results; "any" keeps people who meet only some
        criteria.rows = alignment_rows([s["id"] for s in proposal["skills"]],
                                       [s["level"] for s in proposal["skills"]])
        criteria.match, criteria.role_id, criteria.posting_id = "any", "", ""
    context = await search_context(request, db_session, org_id, criteria, job_text=text, errors=errors,
                                   proposal=proposal)
    response = page(request, "employer/search.html", context, block="search_form")
    if proposal:
        response.headers["HX-Trigger-After-Settle"] = "filters-changed"  # after the new criteria are in place
    return response


@get(f"{BASE}/candidates/{{person_id:uuid}}", **MEMBER, include_in_schema=False)
async def candidate_page(request: Request, org_id: OrgId, person_id: FromPath[uuid.UUID],
                         db_session: DbSession) -> Template:
    """One opted-in person: what they consented to show, and how they meet the current criteria."""
    found = await SkillsProfileSource().load_some(db_session, {person_id})
    if not found:  # not discoverable (any more): nothing to show
        return not_found_page(request)
    person = found[0]
    criteria = criteria_of(request.query_params)
    explained = None
    if not criteria.empty:
        try:
            explained = await explain(db_session, org_id, criteria, person.skills)
        except (DomainError, ValidationError):
            explained = None
    tx = get_taxonomy()
    order = {s.id: i for i, s in enumerate(tx.skill_items("2.0"))}
    skills = sorted(((tx.skill_item(sid), held) for sid, held in person.skills.items()),
                    key=lambda pair: (order.get(pair[0].id, 999), pair[0].id))
    query = "&".join(f"{k}={v}" for k, v in criteria.params())
    return page(request, "employer/candidate.html", await console(
        request, db_session, org_id, "candidates", person=person, skills=skills, explained=explained,
        criteria=criteria, query=query))


async def explain(db: AsyncSession, org_id: uuid.UUID, criteria: Criteria, skills: Any) -> dict[str, Any]:
    """Coverage and met / partly met / missing needs of the ranking target, as the search explains it."""
    target = None
    if criteria.role_id:
        target = service.role_target(criteria.role_id)
    elif criteria.posting_id:
        target = posting_target(await PostingService(db).get(org_id, uuid.UUID(criteria.posting_id)))
    target = ranking_target(service.candidate_query(criteria.request(1), target))
    match = score_target(skills, target)
    return {"coverage": match.coverage, "target": target,
            **explanation(match, "c" if target.kind == "role" else None)}


# -- verification ----------------------------------------------------------------------------------

@get(f"{BASE}/verify", **MEMBER, include_in_schema=False)
async def verify_page(request: Request, org_id: OrgId, db_session: DbSession,
                      settings: AppSettings, url: FromQuery[str] = "") -> Template:
    """Verify a credential (paste or file) or a candidate's share link."""
    results, errors = [], {}
    if url:
        results, error = await check_link(request, db_session, settings, url, lang_of(request))
        errors = {"url": error} if error else {}
    return page(request, "employer/verify.html", await console(
        request, db_session, org_id, "verify", results=results, errors=errors, url=url, document=""))


@post(f"{BASE}/verify", **MEMBER, include_in_schema=False)
async def verify_submit(request: Request, org_id: OrgId, data: MultipartData,
                        db_session: DbSession, settings: AppSettings) -> Template:
    """Every check of the credential, or of each credential the share link shares (opening it is logged)."""
    lang = lang_of(request)
    text, url = str(data.get("document") or "").strip(), str(data.get("url") or "").strip()
    upload = data.get("file")
    errors: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            text = credential_text(await upload.read(), upload.content_type or "")
        except BakedError as exc:
            errors["file"] = translate(f"verify.error.{exc.code}", lang)
    if url and not text and not errors:
        results, error = await check_link(request, db_session, settings, url, lang)
        errors = {"url": error} if error else {}
    elif not errors:
        if not text:
            errors["document"] = translate("verify.error.empty", lang)
        elif len(text) > MAX_PASTE:
            errors["document"] = translate("verify.error.too_large", lang)
        else:
            results = [await check_one(db_session, settings, text, lang)]
    context = await console(request, db_session, org_id, "verify", results=results, errors=errors, url=url,
                            document=str(data.get("document") or ""))
    status = 422 if errors and request.headers.get("hx-request") != "true" else 200
    return page(request, "employer/verify.html", context, block="verify_panel", status_code=status)


# -- job postings ----------------------------------------------------------------------------------

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


async def posting_context(request: Request, db: AsyncSession, org_id: uuid.UUID, values: dict[str, Any],
                          rows: list[dict], errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    values.setdefault("lang", lang_of(request))
    values.setdefault("status", "draft")
    posting_id = values.get("id")
    action = f"{base_of(org_id)}/postings/{posting_id}" if posting_id else f"{base_of(org_id)}/postings"
    extra.setdefault("picker_q", "")
    extra.setdefault("choices", [])
    extra.setdefault("proposal", None)
    return await console(request, db, org_id, "postings", values=values, requirements=rows, errors=errors,
                         action=action, rows_url=f"{base_of(org_id)}/postings/requirements", editor="posting",
                         statuses=POSTING_STATUSES, **extra)


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
    proposal = None
    try:
        proposal = job_view(await analyze(values["description"]))
    except InvalidInput:
        errors["description"] = translate("employer.error.job_text", lang_of(request))
    if proposal:
        rows = alignment_rows([s["id"] for s in proposal["skills"]], [s["level"] for s in proposal["skills"]])
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


handlers = [
    candidate_search, search_requirements, skill_picker, search_from_text, candidate_page, verify_page,
    verify_submit, posting_list, posting_new, posting_requirements, posting_analyze, posting_create,
    posting_edit,
    posting_update,
]
