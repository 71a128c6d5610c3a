"""The learner's profile as an application with their grant reads and changes it (OB 3.0 getProfile /
putProfile): the name is theirs to change there; the email address changes only through the account."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from core.errors import InvalidInput, NotFound

NAME_LIMIT = 200


async def person_of(db: AsyncSession, person_id: uuid.UUID) -> Person:
    person = await db.get(Person, person_id)
    if person is None or not person.is_active:
        raise NotFound("No such person.")
    return person


async def rename(db: AsyncSession, person_id: uuid.UUID, name: object) -> Person:
    """Change the display name (1-200 characters after trimming)."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_LIMIT:
        raise InvalidInput(f"name must be 1-{NAME_LIMIT} characters.", field="name")
    person = await person_of(db, person_id)
    person.display_name = name.strip()
    await db.flush()
    return person
