"""Open Badges 2.0 importer: assertion JSON or a baked PNG/SVG -> stored upload + evidence.

Skill items come from the badge class's alignments when they name DSS items, else from its name and
description through the mapper. OB 2.0 alignments carry no level, so the level is the mapper's rule for
a passed achievement. The weight depends on how far the badge could be checked (``skills.ob2``).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound, TooLarge
from credentials.alignments import skill_of
from skills.mapping import suggest_level
from skills.models import BadgeImport
from skills.ob2 import Badge, BadgeError, read_badge
from skills.sources.common import drop_evidence, match_text, profile_skill_ids, replace_evidence

SOURCE = "ob2_badge"
MAX_BADGE_BYTES = 2 * 1024 * 1024


async def badge_pieces(badge: Badge) -> list[tuple[str, str, float]]:
    """(skill_id, level, weight) a checked badge gives; none when it could not be read far enough."""
    if badge.weight <= 0:
        return []
    level = suggest_level(passed=True)
    aligned: set[str] = set()
    for alignment in badge.alignments:
        skill_id = skill_of(alignment)
        aligned.update(profile_skill_ids(skill_id) if skill_id else ())
    if aligned:
        return [(sid, level, badge.weight) for sid in sorted(aligned)]
    return [(m.id, m.level, badge.weight * m.confidence)
            for m in await match_text(badge.name, badge.description, passed=True)]


async def import_badge(session: AsyncSession, person_id: uuid.UUID, email: str, data: bytes, media_type: str,
                       *, assertion: dict | None = None, badge_class: dict | None = None) -> BadgeImport:
    """Read, check and store one badge; the same assertion twice is a conflict."""
    if len(data) > MAX_BADGE_BYTES:
        raise TooLarge(f"the badge is larger than {MAX_BADGE_BYTES // 1024} KB")
    try:
        badge = read_badge(data, media_type, email, assertion=assertion, badge_class=badge_class)
    except BadgeError as exc:
        raise InvalidInput(str(exc), field=exc.field) from exc
    found = await session.execute(select(BadgeImport.id).where(BadgeImport.person_id == person_id,
                                                               BadgeImport.assertion_key == badge.key[:600]))
    if found.first() is not None:
        raise Conflict("this badge is already imported", field="file")
    row = BadgeImport(person_id=person_id, media_type=media_type[:50], raw=data, assertion=badge.assertion,
                      badge_class=badge.badge_class, assertion_key=badge.key[:600], name=badge.name[:500],
                      issuer_name=badge.issuer_name[:500], issued_on=badge.issued_on,
                      check_level=badge.check_level, checks=badge.checks)
    session.add(row)
    await session.flush()
    issued_on = badge.issued_on.date() if badge.issued_on else None
    await replace_evidence(session, person_id, SOURCE, row.id, await badge_pieces(badge),
                           badge.name or "Open Badge 2.0", issued_on)
    return row


async def list_badges(session: AsyncSession, person_id: uuid.UUID) -> list[BadgeImport]:
    rows = await session.execute(select(BadgeImport).where(BadgeImport.person_id == person_id)
                                 .order_by(BadgeImport.created_at))
    return list(rows.scalars())


async def get_badge(session: AsyncSession, person_id: uuid.UUID, badge_id: uuid.UUID) -> BadgeImport:
    row = await session.get(BadgeImport, badge_id)
    if row is None or row.person_id != person_id:
        raise NotFound("No such badge.")
    return row


async def delete_badge(session: AsyncSession, person_id: uuid.UUID, badge_id: uuid.UUID) -> None:
    row = await get_badge(session, person_id, badge_id)
    await drop_evidence(session, person_id, row.id)
    await session.delete(row)
