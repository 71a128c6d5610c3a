"""HTTP surface of matching.contact.

* employer: ``/api/v1/orgs/{org_id}/contact-requests``, ``.../shortlists/{posting_id}`` (and its CSV),
  ``.../notes/{person_id}``, ``.../outcomes``
* learner: ``/api/v1/me/contact-requests`` (share, decline, withdraw), ``/api/v1/me/outcomes`` (confirm, reject)
* public: ``GET /api/v1/outcomes/statistics`` (k-anonymous, suppressed like the trends)
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.openapi import problem_responses
from core.settings import Settings
from matching.contact import outcomes, requests, shortlists
from matching.contact.person_data import export_contact
from matching.contact.schemas import (ContactRequestCreate, NoteUpdate, OutcomeCreate, PresentationAnswer,
                                      ShareAnswer, ShortlistAdd)
from matching.trends import THRESHOLD

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
OrgId = FromPath[uuid.UUID]
EMPLOYER = access.org_member("employer")


def person_of(request: Request) -> uuid.UUID:
    return access.principal_of(request).person_id


class ContactRequestController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/contact-requests"
    tags = ["contact"]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(429), **EMPLOYER)
    async def send_request(self, request: Request, org_id: OrgId, data: JSONBody[ContactRequestCreate],
                           db_session: DbSession, settings: AppSettings) -> dict[str, Any]:
        """Ask a candidate to share (verified employers; 20 a day per organization, one open per candidate)."""
        sent = await requests.send_request(db_session, settings, org_id, person_of(request), data.person_id,
                                           posting_id=data.posting_id, wants=data.wants, message=data.message)
        return requests.request_view(sent)

    @get("/", **EMPLOYER)
    async def list_requests(self, org_id: OrgId, db_session: DbSession,
                            person_id: FromQuery[uuid.UUID | None] = None) -> list[dict[str, Any]]:
        """The organization's requests, newest first (without shared data: open one for it)."""
        return [requests.request_view(r) for r in await requests.list_for_org(db_session, org_id, person_id)]

    @get("/{request_id:uuid}", **EMPLOYER)
    async def get_request(self, org_id: OrgId, request_id: FromPath[uuid.UUID], db_session: DbSession,
                          settings: AppSettings) -> dict[str, Any]:
        """One request and, while the learner shares, exactly what the share link shows."""
        found = await requests.get_for_org(db_session, org_id, request_id)
        return requests.request_view(found, await requests.shared_data(db_session, settings, found))


class ShortlistController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/shortlists/{posting_id:uuid}"
    tags = ["contact"]

    @get("/", **EMPLOYER)
    async def get_shortlist(self, org_id: OrgId, posting_id: FromPath[uuid.UUID], db_session: DbSession,
                            settings: AppSettings) -> list[dict[str, Any]]:
        """The posting's shortlist; each candidate's shared data, or none (pseudonym only)."""
        return await shortlists.entries(db_session, settings, org_id, posting_id)

    @post("/candidates", status_code=HTTP_201_CREATED, **EMPLOYER)
    async def add_candidate(self, request: Request, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                            data: JSONBody[ShortlistAdd], db_session: DbSession) -> dict[str, Any]:
        """Put a candidate on the shortlist (again: no change)."""
        entry = await shortlists.add(db_session, org_id, posting_id, data.person_id, person_of(request))
        return {"posting_id": str(entry.posting_id), "person_id": str(entry.person_id),
                "added_at": entry.created_at.isoformat()}

    @delete("/candidates/{person_id:uuid}", status_code=HTTP_200_OK, **EMPLOYER)
    async def remove_candidate(self, org_id: OrgId, posting_id: FromPath[uuid.UUID],
                               person_id: FromPath[uuid.UUID], db_session: DbSession) -> dict[str, bool]:
        """Take a candidate off the shortlist."""
        await shortlists.remove(db_session, org_id, posting_id, person_id)
        return {"removed": True}

    @get("/export.csv", media_type="text/csv", **EMPLOYER)
    async def export_shortlist(self, org_id: OrgId, posting_id: FromPath[uuid.UUID], db_session: DbSession,
                               settings: AppSettings) -> Response[str]:
        """The shortlist as CSV: shared data only, the pseudonym of anyone who does not share."""
        return Response(await shortlists.export_csv(db_session, settings, org_id, posting_id),
                        media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="skillpass-shortlist.csv"'})


class NoteController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/notes/{person_id:uuid}"
    tags = ["contact"]

    @get("/", **EMPLOYER)
    async def get_note(self, org_id: OrgId, person_id: FromPath[uuid.UUID], db_session: DbSession) -> dict[str, Any]:
        """The organization's private note on a candidate (empty when none)."""
        note = await shortlists.note_of(db_session, org_id, person_id)
        return {"person_id": str(person_id), "text": note.text if note else "",
                "updated_at": note.updated_at.isoformat() if note else None}

    @put("/", **EMPLOYER)
    async def put_note(self, request: Request, org_id: OrgId, person_id: FromPath[uuid.UUID],
                       data: JSONBody[NoteUpdate], db_session: DbSession) -> dict[str, Any]:
        """Replace the note (only members of the organization read it)."""
        note = await shortlists.set_note(db_session, org_id, person_id, data.text, person_of(request))
        return {"person_id": str(person_id), "text": note.text, "updated_at": note.updated_at.isoformat()}


class OutcomeController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/outcomes"
    tags = ["contact"]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409), **EMPLOYER)
    async def mark_hired(self, request: Request, org_id: OrgId, data: JSONBody[OutcomeCreate],
                         db_session: DbSession) -> dict[str, Any]:
        """Say a shortlisted person was hired; it counts once they confirm."""
        outcome = await outcomes.mark_hired(db_session, org_id, data.posting_id, data.person_id, person_of(request))
        return outcomes.outcome_view(outcome)

    @get("/", **EMPLOYER)
    async def list_outcomes(self, org_id: OrgId, db_session: DbSession) -> list[dict[str, Any]]:
        """The organization's recorded hires and whether each person confirmed."""
        return [outcomes.outcome_view(o) for o in await outcomes.list_for_org(db_session, org_id)]


class LearnerContactController(Controller):
    path = "/api/v1/me"
    tags = ["contact"]

    @get("/contact-requests", **access.signed_in())
    async def my_requests(self, request: Request, db_session: DbSession) -> list[dict[str, Any]]:
        """Employers' requests to me, newest first, each naming the employer."""
        return (await export_contact(db_session, person_of(request)))["requests"]

    @post("/contact-requests/{request_id:uuid}/share", status_code=HTTP_200_OK, responses=problem_responses(409),
          **access.signed_in())
    async def share(self, request: Request, request_id: FromPath[uuid.UUID], data: JSONBody[ShareAnswer],
                    db_session: DbSession, settings: AppSettings) -> dict[str, Any]:
        """Answer with a share link: the employer then sees exactly what it shows."""
        answered = await requests.answer_with_share(
            db_session, settings, person_of(request), request_id, link_id=data.link_id, parts=data.parts,
            credential_ids=data.credential_ids, expires_at=data.expires_at)
        return requests.request_view(answered)

    @post("/contact-requests/{request_id:uuid}/presentation", status_code=HTTP_200_OK,
          responses=problem_responses(404, 409), **access.signed_in())
    async def present(self, request: Request, request_id: FromPath[uuid.UUID], data: JSONBody[PresentationAnswer],
                      db_session: DbSession, settings: AppSettings) -> dict[str, Any]:
        """Answer with a verified presentation (OpenID4VP) of one wallet badge and the chosen skills: the
        employer sees the verdict, the issuer's trust status and the disclosed skills only."""
        answered = await requests.answer_with_presentation(db_session, settings, person_of(request), request_id,
                                                           held_id=data.held_id, skill_codes=data.skills)
        return requests.request_view(answered)

    @post("/contact-requests/{request_id:uuid}/decline", status_code=HTTP_200_OK,
          responses=problem_responses(409), **access.signed_in())
    async def decline(self, request: Request, request_id: FromPath[uuid.UUID], db_session: DbSession) -> dict[str, Any]:
        """Decline a request (the employer learns only that it was declined)."""
        return requests.request_view(await requests.decline(db_session, person_of(request), request_id))

    @post("/contact-requests/{request_id:uuid}/withdraw", status_code=HTTP_200_OK,
          responses=problem_responses(409), **access.signed_in())
    async def withdraw(self, request: Request, request_id: FromPath[uuid.UUID], db_session: DbSession) -> dict[str, Any]:
        """Take a share back: the employer sees the pseudonymous view only."""
        return requests.request_view(await requests.withdraw(db_session, person_of(request), request_id))

    @get("/outcomes", **access.signed_in())
    async def my_outcomes(self, request: Request, db_session: DbSession) -> list[dict[str, Any]]:
        """Hires employers recorded for me, each naming the employer."""
        return (await export_contact(db_session, person_of(request)))["hires"]

    @post("/outcomes/{outcome_id:uuid}/confirm", status_code=HTTP_200_OK, responses=problem_responses(409),
          **access.signed_in())
    async def confirm(self, request: Request, outcome_id: FromPath[uuid.UUID], db_session: DbSession,
                      settings: AppSettings) -> dict[str, Any]:
        """Confirm a hire: it counts, anonymously, in the outcome statistics."""
        return outcomes.outcome_view(await outcomes.confirm(db_session, settings, person_of(request), outcome_id))

    @post("/outcomes/{outcome_id:uuid}/reject", status_code=HTTP_200_OK, responses=problem_responses(409),
          **access.signed_in())
    async def reject(self, request: Request, outcome_id: FromPath[uuid.UUID], db_session: DbSession) -> dict[str, Any]:
        """Say the hire is not right; it never counts."""
        return outcomes.outcome_view(await outcomes.reject(db_session, person_of(request), outcome_id))


@get("/api/v1/outcomes/statistics", tags=["contact"], **access.public())
async def outcome_statistics(db_session: DbSession) -> dict[str, Any]:
    """Confirmed hires per course, provider and DSS role; cells under the threshold are null (suppressed)."""
    return {"threshold": THRESHOLD, **await outcomes.statistics(db_session)}


handlers: list = [ContactRequestController, ShortlistController, NoteController, OutcomeController,
                  LearnerContactController, outcome_statistics]
