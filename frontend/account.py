"""Export everything skillpass holds on a person, and delete it all, by calling each domain's service."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.db import utcnow
from core.settings import Settings
from credentials.wallet import WalletService
from skills import export as skills_export

EXPORT_FORMAT = "skillpass-export/1"


async def export_everything(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> dict[str, Any]:
    """One JSON-ready document: the account, the wallet's credentials and every skills row."""
    held = await WalletService(session, settings).list_for_person(person_id)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "account": await AccountService(session).export_person(person_id),
        "wallet": [{"id": str(h.id), "source": h.source, "format": h.format, "title": h.title,
                    "issuer_name": h.issuer_name, "credential": h.jwt or h.document, "verified": h.verified,
                    "verification": h.verification, "added_at": h.created_at.isoformat()} for h in held],
        "skills": await skills_export.export_all(session, person_id),
    }


async def delete_everything(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> None:
    """Delete the person's skills data, wallet and account (credentials issued to them stay with issuers).

    The account check comes first so that a refused deletion (only admin of an organization) removes nothing.
    """
    await AccountService(session).check_deletable(person_id)
    await skills_export.delete_all(session, person_id)
    wallet = WalletService(session, settings)
    for held in await wallet.list_for_person(person_id):
        await wallet.delete(person_id, held.id)
    await AccountService(session).delete_person(person_id)
