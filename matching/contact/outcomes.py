"""Hiring outcomes: an employer marks a shortlisted person hired, the person confirms (or rejects) it in
the wallet, and confirmed outcomes become k-anonymous statistics per course, provider and DSS role.

Confirming records the facts the statistics count, as they are at that moment: the courses
(achievements) and providers of the person's credentials issued here that count for them
(``credentials.wallet.counts_for_holder``), and their target role. A cell counts distinct people and
is published under the trends' small-cell rule (``matching.trends.suppressed_group``: fewer than
``THRESHOLD`` people is suppressed, never shown as a number).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.models import Achievement, IssuedCredential
from credentials.wallet import WalletService, counts_for_holder
from accounts.service import AccountService
from matching.contact import shortlists
from matching.contact.models import HireOutcome, OutcomeState
from matching.postings import PostingService
from matching.trends import ALL, suppressed_group
from skills.consent import learner_settings
from taxonomies.dss import get_taxonomy

KINDS = ("course", "provider", "role")


async def mark_hired(session: AsyncSession, org_id: uuid.UUID, posting_id: uuid.UUID, person_id: uuid.UUID,
                     marked_by: uuid.UUID | None) -> HireOutcome:
    """Say a person on the posting's shortlist was hired; it waits for the person's confirmation."""
    await PostingService(session).get(org_id, posting_id)
    if await shortlists.entry(session, posting_id, person_id) is None:
        raise InvalidInput("put the candidate on this posting's shortlist first", field="person_id")
    existing = (await session.execute(select(HireOutcome).where(
        HireOutcome.org_id == org_id, HireOutcome.posting_id == posting_id,
        HireOutcome.person_id == person_id))).scalar_one_or_none()
    if existing is not None:
        raise Conflict("This hire is recorded already.")
    outcome = HireOutcome(org_id=org_id, posting_id=posting_id, person_id=person_id, marked_by=marked_by)
    session.add(outcome)
    await session.flush()
    return outcome


async def list_for_org(session: AsyncSession, org_id: uuid.UUID) -> list[HireOutcome]:
    rows = await session.execute(select(HireOutcome).where(HireOutcome.org_id == org_id)
                                 .order_by(HireOutcome.created_at.desc(), HireOutcome.id))
    return list(rows.scalars())


async def list_for_person(session: AsyncSession, person_id: uuid.UUID) -> list[HireOutcome]:
    rows = await session.execute(select(HireOutcome).where(HireOutcome.person_id == person_id)
                                 .order_by(HireOutcome.created_at.desc(), HireOutcome.id))
    return list(rows.scalars())


async def own_pending(session: AsyncSession, person_id: uuid.UUID, outcome_id: uuid.UUID) -> HireOutcome:
    outcome = await session.get(HireOutcome, outcome_id)
    if outcome is None or outcome.person_id != person_id:
        raise NotFound("No such hiring outcome.")
    if outcome.state != OutcomeState.pending:
        raise Conflict(f"This outcome is {outcome.state} already.")
    return outcome


async def profile_facts(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> dict[str, Any]:
    """The courses and providers of the person's counting credentials issued here, and their target role."""
    held = [h.credential_id for h in await WalletService(session, settings).standings(person_id)
            if h.credential_id is not None and counts_for_holder(h)]
    courses: dict[str, dict[str, str]] = {}
    providers: dict[str, dict[str, str]] = {}
    if held:
        rows = await session.execute(select(Achievement).join(
            IssuedCredential, IssuedCredential.achievement_id == Achievement.id).where(IssuedCredential.id.in_(held)))
        accounts = AccountService(session)
        for achievement in rows.scalars().unique():
            courses[str(achievement.id)] = {"name_ja": achievement.name_ja, "name_en": achievement.name_en}
            if str(achievement.org_id) not in providers:
                org = await accounts.get_org(achievement.org_id)
                providers[str(org.id)] = {"name_ja": org.name_ja, "name_en": org.name_en}
    role = (await learner_settings(session, person_id)).target_role
    return {"course": courses, "provider": providers, "role": role}


async def confirm(session: AsyncSession, settings: Settings, person_id: uuid.UUID, outcome_id: uuid.UUID) -> HireOutcome:
    """The person confirms the hire: it counts in the statistics with their profile's facts of now."""
    outcome = await own_pending(session, person_id, outcome_id)
    outcome.facts = await profile_facts(session, settings, person_id)
    outcome.state, outcome.answered_at = OutcomeState.confirmed, utcnow()
    session.add(outcome)
    return outcome


async def reject(session: AsyncSession, person_id: uuid.UUID, outcome_id: uuid.UUID) -> HireOutcome:
    outcome = await own_pending(session, person_id, outcome_id)
    outcome.state, outcome.answered_at = OutcomeState.rejected, utcnow()
    session.add(outcome)
    return outcome


def role_names(role_id: str) -> dict[str, str]:
    try:
        role = get_taxonomy().role(role_id)
    except KeyError:
        return {"name_ja": role_id, "name_en": role_id}
    return {"name_ja": role.name_ja, "name_en": role.name_en or role.name_ja}


async def statistics(session: AsyncSession) -> dict[str, list[dict[str, Any]]]:
    """Confirmed hires per course, provider and DSS role: distinct people per cell, a cell under the
    trends' threshold suppressed (``count`` None). Published cells first, by count."""
    rows = await session.execute(select(HireOutcome.person_id, HireOutcome.facts)
                                 .where(HireOutcome.state == OutcomeState.confirmed))
    people: dict[tuple[str, str], set[uuid.UUID]] = defaultdict(set)
    names: dict[tuple[str, str], dict[str, str]] = {}
    for person_id, facts in rows:
        facts = facts or {}
        for kind in ("course", "provider"):
            for identifier, label in (facts.get(kind) or {}).items():
                people[(kind, identifier)].add(person_id)
                names[(kind, identifier)] = label
        if facts.get("role"):
            people[("role", facts["role"])].add(person_id)
            names[("role", facts["role"])] = role_names(facts["role"])
    stats: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for (kind, identifier), found in people.items():
        _, count = suppressed_group({ALL: len(found)})
        stats[kind].append({"id": identifier, **names[(kind, identifier)], "count": count,
                            "suppressed": count is None})
    for cells in stats.values():
        cells.sort(key=lambda c: (c["suppressed"], -(c["count"] or 0), c["id"]))
    return stats


def outcome_view(outcome: HireOutcome) -> dict[str, Any]:
    return {"id": str(outcome.id), "org_id": str(outcome.org_id), "person_id": str(outcome.person_id),
            "posting_id": str(outcome.posting_id) if outcome.posting_id else None, "state": str(outcome.state),
            "created_at": outcome.created_at.isoformat(),
            "answered_at": outcome.answered_at.isoformat() if outcome.answered_at else None}


