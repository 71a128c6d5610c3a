"""Issued CLR transcripts kept for their provider: listing, revocation, and the status lists behind them.

A transcript is not an ``IssuedCredential`` (it has no single achievement), so it cannot use that
table's status entries; each provider's issuer gets its own Bitstring Status Lists for transcripts,
marked ``clr-revocation`` in ``status_list.purpose`` so that ``credentials.status`` never hands out or
rebuilds them. The list credential itself says ``statusPurpose: revocation`` and is served at the same
``/credentials/status/{id}`` URL as every other list; its bits are a pure function of the transcripts'
states, rebuilt on every revocation under a row lock.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.clr.models import ClrTranscript
from credentials.models import HeldCredential, Issuer, StatusList
from credentials.status import FILL_LIMIT, LIST_SIZE, list_url, sign_list
from credentials.vc import status_entry
from credentials.wallet import _verified, content_hash

PURPOSE = "clr-revocation"
MAX_REASON = 500


@dataclass(frozen=True)
class Slot:
    list_id: uuid.UUID
    index: int
    entry: dict


async def _open_list(session: AsyncSession, settings: Settings, issuer: Issuer) -> StatusList:
    query = (select(StatusList).where(StatusList.issuer_id == issuer.id, StatusList.purpose == PURPOSE,
                                      StatusList.used < FILL_LIMIT)
             .order_by(StatusList.created_at.desc()).limit(1).with_for_update())
    found = (await session.execute(query)).scalar_one_or_none()
    if found is None:
        found = StatusList(issuer_id=issuer.id, purpose=PURPOSE, size=LIST_SIZE)
        session.add(found)
        await session.flush()
        await publish(session, settings, found)
    return found


async def allocate(session: AsyncSession, settings: Settings, issuer: Issuer) -> Slot:
    """A random free index in the issuer's transcript list (the caller stores it on the transcript)."""
    status_list = await _open_list(session, settings, issuer)
    while True:
        index = secrets.randbelow(status_list.size)
        taken = await session.execute(select(ClrTranscript.id).where(
            ClrTranscript.status_list_id == status_list.id, ClrTranscript.status_index == index))
        if taken.first() is None:
            break
    status_list.used += 1
    return Slot(status_list.id, index, status_entry(list_url(settings, status_list.id), index, "revocation"))


async def publish(session: AsyncSession, settings: Settings, status_list: StatusList) -> None:
    """Rebuild and sign the list from the transcripts' states."""
    revoked = await session.execute(select(ClrTranscript.status_index).where(
        ClrTranscript.status_list_id == status_list.id, ClrTranscript.state == "revoked"))
    issuer = await session.get(Issuer, status_list.issuer_id)
    await sign_list(session, settings, status_list, issuer, revoked.scalars(), "revocation")


async def issued(session: AsyncSession, org_id: uuid.UUID, *, limit: int = 50,
                 offset: int = 0) -> tuple[list[ClrTranscript], int]:
    """The organization's transcripts, newest first, and how many there are."""
    rows = (await session.execute(
        select(ClrTranscript).where(ClrTranscript.org_id == org_id)
        .order_by(ClrTranscript.created_at.desc(), ClrTranscript.id).limit(limit).offset(offset))
    ).scalars().all()
    total = (await session.execute(select(func.count()).select_from(ClrTranscript)
                                   .where(ClrTranscript.org_id == org_id))).scalar_one()
    return list(rows), total


async def get(session: AsyncSession, org_id: uuid.UUID, transcript_id: uuid.UUID) -> ClrTranscript:
    row = await session.get(ClrTranscript, transcript_id)
    if row is None or row.org_id != org_id:
        raise NotFound("No such transcript in this organization.")
    return row


async def revoke(session: AsyncSession, settings: Settings, org_id: uuid.UUID, transcript_id: uuid.UUID,
                 reason: str | None = None) -> ClrTranscript:
    """Revoke a transcript (final): its status bit is set, and the learner's copy is verified again."""
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > MAX_REASON:
        raise InvalidInput(f"The reason has at most {MAX_REASON} characters.", field="reason")
    row = await get(session, org_id, transcript_id)
    if row.state == "revoked":
        raise InvalidInput("This transcript is already revoked.", field="state")
    row.state, row.state_reason, row.state_changed_at = "revoked", reason, utcnow()
    await session.flush()
    if row.status_list_id is not None:
        status_list = (await session.execute(select(StatusList).where(StatusList.id == row.status_list_id)
                                             .with_for_update())).scalar_one()
        await publish(session, settings, status_list)
    digest = content_hash(row.jwt or row.document)
    copies = await session.execute(select(HeldCredential).where(HeldCredential.content_hash == digest))
    for held in copies.scalars():
        await _verified(session, settings, held)
    await session.flush()
    return row
