"""The employer's contact pages: a candidate's file (ask to share, shortlist, private note, what the
candidate shares), the shortlists per posting (remove, mark hired, CSV) and the requests sent.

Every route is for members of the employer in ``org_id``; the rules live in ``matching.contact``
(the API calls the same functions).
"""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template

from core.errors import DomainError
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.employer_console import BASE, MEMBER, base_of, console
from frontend.forms import FormData, as_list, as_uuid, form_error_status, redirect, text_of
from frontend.i18n import translate
from frontend.rendering import lang_of, not_found_page, page
from frontend.signed_in import me
from matching.contact import console as contact_console
from matching.contact import outcomes, requests, shortlists
from matching.contact.requests import DAILY_LIMIT, MAX_MESSAGE, WANTS
from matching.contact.shortlists import MAX_NOTE
from matching.postings import PostingService

PersonId = FromPath[uuid.UUID]
PostingId = FromPath[uuid.UUID]


def contact_errors(exc: DomainError, lang: str) -> dict[str, str]:
    """The form's error in the page's language: on its field, or for the form (limits, verification)."""
    if exc.field in ("message", "wants", "posting_id"):
        return {exc.field: translate(f"contact.error.{exc.field}", lang)}
    return {"form": translate(f"contact.error.{exc.type_slug}", lang)}


def candidate_path(org_id: uuid.UUID, person_id: uuid.UUID) -> str:
    return f"{base_of(org_id)}/candidates/{person_id}/contact"


async def candidate_context(request: Request, db: DbSession, settings: AppSettings, org_id: uuid.UUID,
                            person_id: uuid.UUID, **extra) -> dict | None:
    found = await contact_console.candidate_file(db, settings, org_id, person_id)
    if found is None:
        return None
    extra.setdefault("errors", {})
    extra.setdefault("values", {"wants": ["skills"], "message": "", "posting_id": ""})
    return await console(request, db, org_id, "shortlists", person_id=person_id, file=found, wants=WANTS,
                         max_message=MAX_MESSAGE, max_note=MAX_NOTE, daily_limit=DAILY_LIMIT,
                         done=request.query_params.get("done", ""), **extra)


@get(f"{BASE}/candidates/{{person_id:uuid}}/contact", **MEMBER, include_in_schema=False)
async def candidate_contact(request: Request, org_id: OrgId, person_id: PersonId, db_session: DbSession,
                            settings: AppSettings) -> Template:
    """A candidate's file: pseudonymous until they share, then exactly what they share."""
    context = await candidate_context(request, db_session, settings, org_id, person_id)
    if context is None:
        return not_found_page(request)
    return page(request, "contact/candidate.html", context)


@post(f"{BASE}/candidates/{{person_id:uuid}}/contact", **MEMBER, include_in_schema=False)
async def send_request(request: Request, org_id: OrgId, person_id: PersonId, data: FormData, db_session: DbSession,
                       settings: AppSettings) -> Template | Response:
    """Ask the candidate to share (``matching.contact.requests.send_request``: the API's rules and limits)."""
    values = {"wants": as_list(data.get("wants")), "message": text_of(data, "message"),
              "posting_id": text_of(data, "posting_id")}
    try:
        await requests.send_request(db_session, settings, org_id, me(request), person_id,
                                    posting_id=as_uuid(values["posting_id"]), wants=values["wants"],
                                    message=values["message"])
    except DomainError as exc:
        context = await candidate_context(request, db_session, settings, org_id, person_id, values=values,
                                          errors=contact_errors(exc, lang_of(request)))
        if context is None:
            return not_found_page(request)
        return page(request, "contact/candidate.html", context, status_code=form_error_status(request, exc.status_code))
    return redirect(request, f"{candidate_path(org_id, person_id)}?done=sent")


@post(f"{BASE}/candidates/{{person_id:uuid}}/shortlist", **MEMBER, include_in_schema=False)
async def add_to_shortlist(request: Request, org_id: OrgId, person_id: PersonId, data: FormData,
                           db_session: DbSession) -> Response:
    """Put the candidate on one of the organization's postings' shortlist."""
    posting_id = as_uuid(text_of(data, "posting_id"))
    if posting_id is None:
        return redirect(request, f"{candidate_path(org_id, person_id)}?done=no_posting")
    await shortlists.add(db_session, org_id, posting_id, person_id, me(request))
    return redirect(request, f"{candidate_path(org_id, person_id)}?done=shortlisted")


@post(f"{BASE}/candidates/{{person_id:uuid}}/note", **MEMBER, include_in_schema=False)
async def save_note(request: Request, org_id: OrgId, person_id: PersonId, data: FormData,
                    db_session: DbSession, settings: AppSettings) -> Template | Response:
    """Replace the organization's private note on the candidate."""
    try:
        await shortlists.set_note(db_session, org_id, person_id, str(data.get("note") or ""), me(request))
    except DomainError as exc:
        context = await candidate_context(request, db_session, settings, org_id, person_id,
                                          errors={"note": translate("contact.error.note", lang_of(request))})
        if context is None:
            return not_found_page(request)
        return page(request, "contact/candidate.html", context, status_code=form_error_status(request, exc.status_code))
    return redirect(request, f"{candidate_path(org_id, person_id)}?done=noted")


@get(f"{BASE}/shortlists", **MEMBER, include_in_schema=False)
async def shortlist_index(request: Request, org_id: OrgId, db_session: DbSession) -> Template:
    """The organization's postings, each leading to its shortlist."""
    postings = await PostingService(db_session).list_for_org(org_id)
    return page(request, "contact/shortlists.html", await console(request, db_session, org_id, "shortlists",
                                                                  postings=postings))


@get(f"{BASE}/shortlists/{{posting_id:uuid}}", **MEMBER, include_in_schema=False)
async def shortlist(request: Request, org_id: OrgId, posting_id: PostingId, db_session: DbSession,
                    settings: AppSettings) -> Template:
    """One posting's shortlist: shared data or the pseudonym, remove, mark hired, export."""
    try:
        found = await contact_console.shortlist_page(db_session, settings, org_id, posting_id)
    except DomainError:
        return not_found_page(request)
    return page(request, "contact/shortlist.html", await console(
        request, db_session, org_id, "shortlists", done=request.query_params.get("done", ""), **found))


@post(f"{BASE}/shortlists/{{posting_id:uuid}}/{{person_id:uuid}}/remove", **MEMBER, include_in_schema=False)
async def remove_from_shortlist(request: Request, org_id: OrgId, posting_id: PostingId, person_id: PersonId,
                                db_session: DbSession) -> Response:
    """Take a candidate off the shortlist."""
    await shortlists.remove(db_session, org_id, posting_id, person_id)
    return redirect(request, f"{base_of(org_id)}/shortlists/{posting_id}?done=removed")


@post(f"{BASE}/shortlists/{{posting_id:uuid}}/{{person_id:uuid}}/hired", **MEMBER, include_in_schema=False)
async def mark_hired(request: Request, org_id: OrgId, posting_id: PostingId, person_id: PersonId,
                     db_session: DbSession) -> Response:
    """Record that the candidate was hired; the candidate confirms it in the wallet."""
    await outcomes.mark_hired(db_session, org_id, posting_id, person_id, me(request))
    return redirect(request, f"{base_of(org_id)}/shortlists/{posting_id}?done=hired")


@get(f"{BASE}/shortlists/{{posting_id:uuid}}/export.csv", **MEMBER, include_in_schema=False)
async def export_shortlist(org_id: OrgId, posting_id: PostingId, db_session: DbSession,
                           settings: AppSettings) -> Response[str]:
    """The shortlist as CSV (only what candidates share with the organization)."""
    return Response(await shortlists.export_csv(db_session, settings, org_id, posting_id),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="skillpass-shortlist.csv"'})


@get(f"{BASE}/contact-requests", **MEMBER, include_in_schema=False)
async def sent_requests(request: Request, org_id: OrgId, db_session: DbSession) -> Template:
    """The requests the organization sent and where each stands."""
    sent = await requests.list_for_org(db_session, org_id)
    return page(request, "contact/requests.html", await console(request, db_session, org_id, "shortlists",
                                                                sent=sent, daily_limit=DAILY_LIMIT))


handlers = [candidate_contact, send_request, add_to_shortlist, save_note, shortlist_index, shortlist,
            remove_from_shortlist, mark_hired, export_shortlist, sent_requests]
