"""What the employer's and the learner's contact pages show, each read in one call: a candidate's file
for one organization (pseudonymous view, requests, the live share, shortlists, note, hires), and the
learner's inbox (requests with the employer's name, their live links to answer with, hires to confirm)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.settings import Settings
from credentials.wallet import WalletService
from matching import service
from matching.contact import outcomes, presentations, requests, shortlists
from matching.contact.models import RequestState
from matching.postings import PostingService
from skills import sharing


async def candidate_file(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                         person_id: uuid.UUID) -> dict[str, Any] | None:
    """Everything the organization may see of a candidate, or None when it may see nothing (neither
    discoverable nor ever asked by this organization)."""
    found = await service.explain_candidate(session, org_id, person_id, None)
    asked = await requests.list_for_org(session, org_id, person_id)
    if found is None and not asked:
        return None
    return {"candidate": found["person"] if found else None, "requests": asked,
            "open_request": any(r.state == RequestState.open for r in asked),
            "shared": await requests.shared_with_org(session, settings, org_id, person_id),
            "postings": await PostingService(session).list_for_org(org_id),
            "shortlisted": set(await shortlists.shortlisted_postings(session, org_id, person_id)),
            "note": await shortlists.note_of(session, org_id, person_id),
            "hires": [o for o in await outcomes.list_for_org(session, org_id) if o.person_id == person_id]}


async def shortlist_page(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                         posting_id: uuid.UUID) -> dict[str, Any]:
    """A posting, its shortlist (shared data or pseudonym) and the hires recorded on it."""
    posting = await PostingService(session).get(org_id, posting_id)
    hires = {o.person_id: o for o in await outcomes.list_for_org(session, org_id) if o.posting_id == posting_id}
    entries = await shortlists.entries(session, settings, org_id, posting_id)
    for item in entries:
        item["hire"] = hires.get(uuid.UUID(item["person_id"]))
    return {"posting": posting, "entries": entries}


async def org_names(session: AsyncSession, org_ids: set[uuid.UUID]) -> dict[uuid.UUID, Any]:
    accounts = AccountService(session)
    return {org_id: await accounts.get_org(org_id) for org_id in org_ids}


async def learner_inbox(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> dict[str, Any]:
    """The learner's requests (newest first) and hires, each with its employer; the live links and the
    credentials a new link could share; the badges a presentation could show."""
    asked = await requests.list_for_person(session, person_id)
    hires = await outcomes.list_for_person(session, person_id)
    orgs = await org_names(session, {r.org_id for r in asked} | {o.org_id for o in hires})
    links = [link for link, _ in await sharing.list_links(session, person_id) if requests.link_is_live(link)]
    return {"requests": [(r, orgs[r.org_id]) for r in asked], "hires": [(o, orgs[o.org_id]) for o in hires],
            "links": links, "held": await WalletService(session, settings).list_for_person(person_id),
            "share_parts": sharing.SHARE_PARTS,
            "presentable": await presentations.presentable(session, settings, person_id)}
