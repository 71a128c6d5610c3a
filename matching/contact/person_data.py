"""matching.contact's part of a person's data export and deletion (``accounts.erasure``, connected in
``skillpass.wiring``): the employers' requests to them with their answers, and the hires recorded for them.

Employers' private notes are the employer's working data and are not exported; like shortlist entries,
they are deleted with the person.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from matching.contact import outcomes, requests
from matching.contact.console import org_names
from matching.contact.models import CandidateNote, ContactRequest, HireOutcome, ShortlistEntry


async def export_contact(session: AsyncSession, person_id: uuid.UUID) -> dict[str, Any]:
    asked = await requests.list_for_person(session, person_id)
    hires = await outcomes.list_for_person(session, person_id)
    orgs = await org_names(session, {r.org_id for r in asked} | {o.org_id for o in hires})

    def employer(org_id: uuid.UUID) -> dict[str, str]:
        return {"name_ja": orgs[org_id].name_ja, "name_en": orgs[org_id].name_en}

    return {"requests": [{**requests.request_view(r), "employer": employer(r.org_id)} for r in asked],
            "hires": [{**outcomes.outcome_view(o), "employer": employer(o.org_id), "facts": o.facts} for o in hires]}


async def delete_contact(session: AsyncSession, person_id: uuid.UUID) -> None:
    for table in (ContactRequest, HireOutcome, ShortlistEntry, CandidateNote):
        await session.execute(delete(table).where(table.person_id == person_id))
