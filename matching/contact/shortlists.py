"""Shortlists per job posting, the employer's private note per candidate, and the shortlist as CSV.

A candidate can be shortlisted, noted or exported while discoverable or once they answered one of the
organization's requests. The CSV carries what the candidate shares with the organization now
(``requests.shared_with_org``); of anyone else only the pseudonym the console shows.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from matching import service
from matching.contact import requests
from matching.contact.models import CandidateNote, ShortlistEntry
from matching.postings import PostingService

MAX_NOTE = 2000
CSV_FIELDS = ("candidate", "added_at", "shared", "display_name", "prefecture", "target_role", "skills",
              "credentials")


def pseudonym(person_id: uuid.UUID) -> str:
    """How the console names a candidate who has not shared their name (the id's first 8 digits)."""
    return str(person_id)[:8]


async def check_candidate(session: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID) -> None:
    if await service.explain_candidate(session, org_id, person_id, None) is not None:
        return
    if not await requests.list_for_org(session, org_id, person_id):
        raise NotFound("No such candidate.")


async def add(session: AsyncSession, org_id: uuid.UUID, posting_id: uuid.UUID, person_id: uuid.UUID,
              added_by: uuid.UUID | None) -> ShortlistEntry:
    """Put a candidate on a posting's shortlist (adding twice keeps the first entry)."""
    await PostingService(session).get(org_id, posting_id)
    await check_candidate(session, org_id, person_id)
    found = await entry(session, posting_id, person_id)
    if found is not None:
        return found
    created = ShortlistEntry(org_id=org_id, posting_id=posting_id, person_id=person_id, added_by=added_by)
    session.add(created)
    await session.flush()
    return created


async def entry(session: AsyncSession, posting_id: uuid.UUID, person_id: uuid.UUID) -> ShortlistEntry | None:
    return (await session.execute(select(ShortlistEntry).where(
        ShortlistEntry.posting_id == posting_id, ShortlistEntry.person_id == person_id))).scalar_one_or_none()


async def remove(session: AsyncSession, org_id: uuid.UUID, posting_id: uuid.UUID, person_id: uuid.UUID) -> None:
    await PostingService(session).get(org_id, posting_id)
    found = await entry(session, posting_id, person_id)
    if found is None:
        raise NotFound("This candidate is not on the shortlist.")
    await session.delete(found)


async def entries(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                  posting_id: uuid.UUID) -> list[dict[str, Any]]:
    """The posting's shortlist, oldest first, each with what the candidate shares with the organization."""
    await PostingService(session).get(org_id, posting_id)
    rows = await session.execute(select(ShortlistEntry).where(ShortlistEntry.posting_id == posting_id)
                                 .order_by(ShortlistEntry.created_at, ShortlistEntry.id))
    return [{"person_id": str(e.person_id), "pseudonym": pseudonym(e.person_id),
             "added_at": e.created_at.isoformat(),
             "shared": await requests.shared_with_org(session, settings, org_id, e.person_id)}
            for e in rows.scalars()]


async def shortlisted_postings(session: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.execute(select(ShortlistEntry.posting_id).where(
        ShortlistEntry.org_id == org_id, ShortlistEntry.person_id == person_id))
    return list(rows.scalars())


def csv_row(item: dict[str, Any]) -> dict[str, str]:
    shared = item["shared"] or {}
    skills = (shared.get("profile") or {}).get("items") or []
    return {"candidate": shared.get("display_name") or item["pseudonym"], "added_at": item["added_at"],
            "shared": "true" if item["shared"] is not None else "false",
            "display_name": shared.get("display_name") or "", "prefecture": shared.get("prefecture") or "",
            "target_role": shared.get("target_role") or "",
            "skills": ";".join(f"{s['skill_id']}:{s['level']}:{s['status']}" for s in skills),
            "credentials": ";".join(f"{c['title']} ({c['issuer_name']})" for c in shared.get("credentials") or [])}


async def export_csv(session: AsyncSession, settings: Settings, org_id: uuid.UUID, posting_id: uuid.UUID) -> str:
    """The shortlist as CSV: shared data of those who share with the organization, the pseudonym otherwise."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in await entries(session, settings, org_id, posting_id):
        writer.writerow(csv_row(item))
    return out.getvalue()


async def note_of(session: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID) -> CandidateNote | None:
    return (await session.execute(select(CandidateNote).where(
        CandidateNote.org_id == org_id, CandidateNote.person_id == person_id))).scalar_one_or_none()


async def set_note(session: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID, text: str,
                   written_by: uuid.UUID | None) -> CandidateNote:
    """Replace the organization's private note on a candidate (only its members read it)."""
    text = text.strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"a note has at most {MAX_NOTE} characters", field="text")
    await check_candidate(session, org_id, person_id)
    note = await note_of(session, org_id, person_id) or CandidateNote(org_id=org_id, person_id=person_id)
    note.text, note.written_by, note.updated_at = text, written_by, utcnow()
    session.add(note)
    await session.flush()
    return note
