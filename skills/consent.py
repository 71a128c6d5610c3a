"""Learner settings and consent: discoverable by employers (opt-in, default off), prefecture, target role,
which profile parts employers may see; and the consented view the matching domain reads.

    from skills.consent import discoverable_profiles, ProfileRow
    rows = await discoverable_profiles(session)   # opted-in people, consented fields only
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from core.db import utcnow
from core.errors import InvalidInput
from skills import events
from skills.models import LearnerSettings, ProfileSnapshot
from skills.prefectures import prefecture_code
from taxonomies.dss import get_taxonomy

EMPLOYER_PARTS = ("skills", "self_declared", "prefecture", "target_role", "display_name")
"""skills: verified and evidenced items; self_declared: self-declared items too; the rest: that field."""
DEFAULT_EMPLOYER_PARTS = ("skills", "prefecture", "target_role")


@dataclass(frozen=True)
class ProfileRow:
    """One opted-in learner as employers may see them; a field not consented to is None (or empty)."""

    person_id: uuid.UUID
    display_name: str | None
    prefecture: str | None
    skills: dict[str, tuple[str, str, float]]  # skill_id -> (level, status, confidence)
    updated_at: datetime
    target_role: str | None = None


def check_parts(parts: list[str], allowed: tuple[str, ...], field: str) -> list[str]:
    unknown = sorted(set(parts) - set(allowed))
    if unknown:
        raise InvalidInput(f"unknown parts {', '.join(unknown)}; choose from {', '.join(allowed)}",
                           field=field)
    return [p for p in allowed if p in parts]


def check_role(role_id: str | None) -> str | None:
    if role_id is None:
        return None
    try:
        return get_taxonomy().role(role_id).id
    except KeyError:
        raise InvalidInput(f"unknown DSS role {role_id!r}", field="target_role") from None


def check_prefecture(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = prefecture_code(value)
    if code is None:
        raise InvalidInput(f"unknown prefecture {value!r}; use JP-01 .. JP-47 or its name",
                           field="prefecture")
    return code


async def learner_settings(session: AsyncSession, person_id: uuid.UUID) -> LearnerSettings:
    """The person's settings (defaults, not stored, when never set)."""
    found = await session.get(LearnerSettings, person_id)
    return found or LearnerSettings(person_id=person_id, employer_parts=list(DEFAULT_EMPLOYER_PARTS))


async def update_learner_settings(session: AsyncSession, person_id: uuid.UUID,
                                  changes: dict[str, Any]) -> LearnerSettings:
    """Apply the given fields (others unchanged); subscribers hear of it after commit."""
    checked: dict[str, Any] = {}
    if "discoverable" in changes:
        checked["discoverable"] = bool(changes["discoverable"])
    if "prefecture" in changes:
        checked["prefecture"] = check_prefecture(changes["prefecture"])
    if "target_role" in changes:
        checked["target_role"] = check_role(changes["target_role"])
    if "employer_parts" in changes:
        checked["employer_parts"] = check_parts(list(changes["employer_parts"] or []), EMPLOYER_PARTS,
                                                "employer_parts")
    settings = await learner_settings(session, person_id)
    for name, value in checked.items():
        setattr(settings, name, value)
    settings.updated_at = utcnow()
    session.add(settings)
    events.changed_on_commit(session, person_id)
    return settings


def consented_skills(items: dict[str, dict], parts: list[str]) -> dict[str, tuple[str, str, float]]:
    if "skills" not in parts:
        return {}
    return {skill_id: (item["level"], item["status"], item["confidence"]) for skill_id, item in items.items()
            if item["status"] != "self_declared" or "self_declared" in parts}


async def discoverable_profiles(session: AsyncSession, *,
                                person_ids: Iterable[uuid.UUID] | None = None) -> list[ProfileRow]:
    """Every active person who opted in to employer search (or those of ``person_ids`` who did), with only
    the fields they consented to, ordered by person id."""
    latest = (select(ProfileSnapshot.person_id, func.max(ProfileSnapshot.created_at).label("at"))
              .group_by(ProfileSnapshot.person_id).subquery())
    query = (select(LearnerSettings, Person.display_name, ProfileSnapshot)
             .join(Person, Person.id == LearnerSettings.person_id)
             .outerjoin(latest, latest.c.person_id == LearnerSettings.person_id)
             .outerjoin(ProfileSnapshot, and_(ProfileSnapshot.person_id == latest.c.person_id,
                                              ProfileSnapshot.created_at == latest.c.at))
             .where(LearnerSettings.discoverable.is_(True), Person.is_active.is_(True))
             .order_by(LearnerSettings.person_id))
    if person_ids is not None:
        query = query.where(LearnerSettings.person_id.in_(list(person_ids)))
    rows: dict[uuid.UUID, ProfileRow] = {}
    for settings, name, snapshot in await session.execute(query):
        if settings.person_id in rows:  # two snapshots with the same timestamp
            continue
        parts = settings.employer_parts or []
        updated = max(settings.updated_at, snapshot.created_at) if snapshot else settings.updated_at
        rows[settings.person_id] = ProfileRow(
            person_id=settings.person_id,
            display_name=name if "display_name" in parts else None,
            prefecture=settings.prefecture if "prefecture" in parts else None,
            skills=consented_skills(snapshot.items if snapshot else {}, parts),
            updated_at=updated,
            target_role=settings.target_role if "target_role" in parts else None,
        )
    return list(rows.values())


async def changed_since(session: AsyncSession, since: datetime) -> set[uuid.UUID]:
    """People whose consent or profile changed after ``since`` (any server process; indexed columns).

    Lets each process's candidate index catch changes made by other processes, whose in-process events
    it never hears.
    """
    settings_changed = select(LearnerSettings.person_id).where(LearnerSettings.updated_at > since)
    profile_changed = select(ProfileSnapshot.person_id).where(ProfileSnapshot.created_at > since)
    rows = await session.execute(settings_changed.union(profile_changed))
    return {row[0] for row in rows}
