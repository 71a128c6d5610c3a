"""Everything the platform holds about a person, exported as one JSON document or deleted, as one use
case for the API (``GET /api/v1/me/export``, ``DELETE /api/v1/me``), the CLI (``skillpass users export |
delete``) and the wallet pages.

Accounts sits below the other domains, so each domain contributes its part (an export and a deletion)
through ``contribute``; the composition root connects them (``skillpass/wiring.py``). What is kept on
deletion, and why: credentials *issued* to the person stay with their issuer (the issuer's record of
what it issued, and its status list, are the issuer's; a revocation list must not change because a
holder left), so a credential the person passed on keeps verifying for whoever holds it. Organisation
audit entries and postings the person made keep their rows, with the person's reference set to null.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.db import utcnow
from core.errors import NotFound

EXPORT_FORMAT = "skillpass-export/1"
ExportPart = Callable[[AsyncSession, uuid.UUID], Awaitable[Any]]
DeletePart = Callable[[AsyncSession, uuid.UUID], Awaitable[object]]
_parts: dict[str, tuple[ExportPart, DeletePart]] = {}


def contribute(name: str, export: ExportPart, delete: DeletePart) -> None:
    """Register (or replace) a domain's part of the person's data under the export key ``name``."""
    _parts[name] = (export, delete)


async def export_person(session: AsyncSession, person_id: uuid.UUID) -> dict[str, Any]:
    """One JSON-ready document: the account with its memberships, then each domain's part."""
    document: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": utcnow().isoformat(),
                                "account": await AccountService(session).export_person(person_id)}
    for name, (export, _) in _parts.items():
        document[name] = await export(session, person_id)
    return document


async def delete_person(session: AsyncSession, person_id: uuid.UUID) -> None:
    """Delete each domain's part, then the account. Refused (409) while the person is the only admin of
    an organisation; that check comes first, so a refused deletion removes nothing."""
    accounts = AccountService(session)
    await accounts.check_deletable(person_id)
    for _, delete in reversed(list(_parts.values())):
        await delete(session, person_id)
    await accounts.delete_person(person_id)


async def person_id_of(session: AsyncSession, email: str) -> uuid.UUID:
    """The account's id for an address (404 when there is none), for the command line."""
    person = await AccountService(session).person_by_email(email)
    if person is None:
        raise NotFound(f"No account with the address {email}.", field="email")
    return person.id
