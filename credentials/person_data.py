"""The credentials domain's part of a person's data export and deletion (``accounts.erasure``): the
credentials they hold, the public badge pages they turned on and the DIDs they proved to control. Credentials *issued* to them are the
issuer's records and stay (their status lists do not change), so copies the person passed on keep
verifying."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.holders import HolderDidService
from credentials.models import PublicBadge
from credentials.wallet import WalletService


async def export_held(session: AsyncSession, person_id: uuid.UUID, *, settings: Settings) -> list[dict[str, Any]]:
    """Every credential in the person's wallet, with the document as held and its last verification."""
    held = await WalletService(session, settings).list_for_person(person_id)
    return [{"id": str(h.id), "source": h.source, "format": h.format, "title": h.title,
             "issuer_name": h.issuer_name, "credential": h.jwt or h.document, "verified": h.verified,
             "verification": h.verification, "added_at": h.created_at.isoformat()} for h in held]


async def delete_held(session: AsyncSession, person_id: uuid.UUID, *, settings: Settings) -> None:
    """Empty the wallet (each removal is announced, so the profile follows)."""
    wallet = WalletService(session, settings)
    for held in await wallet.list_for_person(person_id):
        await wallet.delete(person_id, held.id)


async def export_holder_dids(session: AsyncSession, person_id: uuid.UUID, *, settings: Settings) -> list[dict[str, Any]]:
    return [{"id": str(d.id), "did": d.did, "created_at": d.created_at.isoformat()}
            for d in await HolderDidService(session, settings).list_for_person(person_id)]


async def delete_holder_dids(session: AsyncSession, person_id: uuid.UUID, *, settings: Settings) -> None:
    """Nothing to do before the account goes: its holder DIDs are deleted with it (ON DELETE CASCADE)."""


async def export_public_badges(session: AsyncSession, person_id: uuid.UUID, *, settings: Settings) -> list[dict[str, Any]]:
    """The public badge pages the person turned on: which credential, its address, whether it shows the name."""
    rows = await session.execute(select(PublicBadge).where(PublicBadge.person_id == person_id)
                                 .order_by(PublicBadge.created_at))
    base = settings.base_url.rstrip("/")
    return [{"held_id": str(b.held_id), "url": f"{base}/b/{b.token}", "show_name": b.show_name,
             "created_at": b.created_at.isoformat()} for b in rows.scalars()]


async def delete_public_badges(session: AsyncSession, person_id: uuid.UUID, *, settings: Settings) -> None:
    """Turn every public page off (their addresses answer 404 from then on)."""
    await session.execute(delete(PublicBadge).where(PublicBadge.person_id == person_id))
