"""The employer's console: candidate search with live results and explanations (opted-in people,
consented data only), a candidate's page, and verifying a credential or share link. Saved job
postings: ``employer_postings``.

Every route is for members of the employer in the ``org_id`` path parameter. The matching, skills and
credentials services do the work; these handlers parse, call them and render.
"""

from __future__ import annotations

import uuid

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.dss_picker import skill_choices
from frontend.employer_console import (
    BASE,
    MEMBER,
    Criteria,
    console,
    criteria_of,
    explain_candidate,
    posting_context,
    proposal_of,
    proposed_rows,
    role_template,
    search_context,
)
from frontend.forms import FormData, MultipartData, text_of
from frontend.rendering import lang_of, not_found_page, page
from frontend.verify_flow import Checked, check_form, check_link
from taxonomies.dss import get_taxonomy

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
    text, errors, criteria = text_of(data, "job_text"), {}, criteria_of(data)
    proposal = await proposal_of(text, errors, "job_text", lang_of(request))
    if proposal:
        # the proposed items become the criteria and rank the results; "any" keeps people who meet only some
        criteria.rows = proposed_rows(proposal)
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
    criteria = criteria_of(request.query_params)
    found = await explain_candidate(db_session, org_id, person_id, criteria)
    if found is None:  # not discoverable (any more): nothing to show
        return not_found_page(request)
    tx = get_taxonomy()
    order = {s.id: i for i, s in enumerate(tx.skill_items("2.0"))}
    skills = sorted(((tx.skill_item(sid), held) for sid, held in found["person"].skills.items()),
                    key=lambda pair: (order.get(pair[0].id, 999), pair[0].id))
    return page(request, "employer/candidate.html", await console(
        request, db_session, org_id, "candidates", person=found["person"], skills=skills,
        explained=found["explained"], criteria=criteria, query="&".join(f"{k}={v}" for k, v in criteria.params())))


# -- verification ----------------------------------------------------------------------------------

@get(f"{BASE}/verify", **MEMBER, include_in_schema=False)
async def verify_page(request: Request, org_id: OrgId, db_session: DbSession,
                      settings: AppSettings, url: FromQuery[str] = "") -> Template:
    """Verify a credential (paste or file) or a candidate's share link."""
    checked = await check_link(request, db_session, settings, url) if url else Checked()
    return page(request, "employer/verify.html", await console(
        request, db_session, org_id, "verify", **checked.context()))


@post(f"{BASE}/verify", **MEMBER, include_in_schema=False)
async def verify_submit(request: Request, org_id: OrgId, data: MultipartData,
                        db_session: DbSession, settings: AppSettings) -> Template:
    """Every check of the credential, or of each credential the share link shares (opening it is logged)."""
    checked = await check_form(request, db_session, settings, data)
    context = await console(request, db_session, org_id, "verify", **checked.context())
    return page(request, "employer/verify.html", context, block="verify_panel", status_code=checked.status(request))


handlers = [candidate_search, search_requirements, skill_picker, search_from_text, candidate_page, verify_page,
            verify_submit]
