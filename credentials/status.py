"""Bitstring Status Lists of our issuers: random free indexes, and signed list credentials rebuilt
whenever a credential's state changes.

The bits are derived from the credentials' states (``revoked`` sets the revocation bit,
``suspended`` the suspension bit), so a list credential is always a pure function of the database.
The list row is locked while it is rebuilt, so concurrent state changes never lose a bit.

Batch issuance allocates a chunk's indexes at once (``allocate_many``): the list row is locked with
SKIP LOCKED, so a second worker issuing at the same time takes (or opens) another list instead of
waiting, and the chunk's candidate indexes are checked against the list in one statement.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from core.errors import NotFound
from core.settings import Settings
from credentials.achievements import base_url
from credentials.issuers import IssuerService
from credentials.models import IssuedCredential, Issuer, StatusEntry, StatusList
from credentials.vc import Bitstring, build_status_list_credential, sign_credential, status_entry
from credentials.vc.status import MIN_ENTRIES

LIST_SIZE = MIN_ENTRIES  # 131,072 entries (16 KiB): herd privacy
FILL_LIMIT = LIST_SIZE // 2  # past half full, a new list starts (random picks stay cheap)
PICK_TRIES = 32
_random = secrets.SystemRandom()
STATE_OF_PURPOSE = {"revocation": "revoked", "suspension": "suspended"}


def list_url(settings: Settings, list_id: uuid.UUID) -> str:
    return f"{base_url(settings)}/credentials/status/{list_id}"


async def sign_list(session: AsyncSession, settings: Settings, status_list: StatusList, issuer: Issuer,
                    flagged: Iterable[int], purpose: str) -> None:
    """Set the ``flagged`` bits and sign the list anew with its issuer's key (a credential list, and the
    endorsement and transcript lists that ``credentials.endorsements`` and ``credentials.clr`` keep)."""
    bits = Bitstring(status_list.size)
    for index in flagged:
        bits.set(index)
    key, method = await IssuerService(session, settings).signing_key(issuer)
    # No validFrom: a verifier judging a credential at an earlier instant must still accept the list.
    unsigned = build_status_list_credential(list_id=list_url(settings, status_list.id), issuer=issuer.did,
                                            purpose=purpose, bits=bits)
    status_list.document = sign_credential(unsigned, key, verification_method=method)
    status_list.version += 1
    status_list.updated_at = utcnow()
    await session.flush()


def status_list_prefix(settings: Settings) -> str:
    return f"{base_url(settings)}/credentials/status/"


class StatusListService:
    """Allocation and publication of status lists (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.issuers = IssuerService(session, settings)

    async def allocate(self, issuer: Issuer, credential_id: uuid.UUID, purpose: str) -> dict:
        """Give the credential a random free index in the issuer's current list; return its status entry."""
        status_list = await self._open_list(issuer, purpose)
        index = await self._free_index(status_list)
        self.session.add(StatusEntry(credential_id=credential_id, list_id=status_list.id, index=index,
                                     purpose=purpose))
        status_list.used += 1
        return status_entry(list_url(self.settings, status_list.id), index, purpose)

    async def allocate_many(self, issuer: Issuer, credential_ids: list[uuid.UUID],
                            purpose: str) -> tuple[list[dict], list[dict]]:
        """Random free indexes for many credentials: (their status entries, the ``status_entry`` rows to
        insert with ``insert_entries`` once the credentials are flushed)."""
        entries: list[dict] = []
        rows: list[dict] = []
        remaining = list(credential_ids)
        while remaining:
            status_list = await self._open_list(issuer, purpose, skip_locked=True)
            room = max(1, FILL_LIMIT - status_list.used)
            take, remaining = remaining[:room], remaining[room:]
            url = list_url(self.settings, status_list.id)
            for credential_id, index in zip(take, await self._free_indexes(status_list, len(take))):
                rows.append({"id": uuid.uuid4(), "credential_id": credential_id, "list_id": status_list.id,
                             "index": index, "purpose": purpose})
                entries.append(status_entry(url, index, purpose))
            status_list.used += len(take)
        return entries, rows

    async def insert_entries(self, rows: list[dict]) -> None:
        if rows:
            await self.session.execute(insert(StatusEntry.__table__), rows)  # Core, as for the credentials

    async def _free_indexes(self, status_list: StatusList, n: int) -> list[int]:
        """``n`` distinct random indexes not taken in the (locked) list; one query per round of candidates."""
        chosen: list[int] = []
        picked: set[int] = set()
        while len(chosen) < n:
            want = n - len(chosen)
            pool = min(status_list.size, 2 * want + 16)
            candidates = [i for i in _random.sample(range(status_list.size), pool) if i not in picked]
            taken = set((await self.session.execute(select(StatusEntry.index).where(
                StatusEntry.list_id == status_list.id, StatusEntry.index.in_(candidates)))).scalars())
            free = [i for i in candidates if i not in taken][:want]
            chosen += free
            picked.update(free)
        return chosen

    async def _free_index(self, status_list: StatusList) -> int:
        for _ in range(PICK_TRIES):
            index = secrets.randbelow(status_list.size)
            taken = await self.session.execute(
                select(StatusEntry.id).where(StatusEntry.list_id == status_list.id, StatusEntry.index == index))
            if taken.first() is None:
                return index
        taken_all = set((await self.session.execute(  # practically unreachable below half full
            select(StatusEntry.index).where(StatusEntry.list_id == status_list.id))).scalars())
        return next(i for i in range(status_list.size) if i not in taken_all)

    async def _open_list(self, issuer: Issuer, purpose: str, *, skip_locked: bool = False) -> StatusList:
        query = (select(StatusList).where(StatusList.issuer_id == issuer.id, StatusList.purpose == purpose,
                                          StatusList.used < FILL_LIMIT)
                 .order_by(StatusList.created_at.desc()).limit(1).with_for_update(skip_locked=skip_locked))
        status_list = (await self.session.execute(query)).scalar_one_or_none()
        if status_list is None:
            status_list = StatusList(issuer_id=issuer.id, purpose=purpose, size=LIST_SIZE)
            self.session.add(status_list)
            await self.session.flush()
            await self._publish(status_list, issuer)
        return status_list

    async def refresh_for(self, credential: IssuedCredential) -> None:
        """Rebuild and re-sign every list the credential has an entry in (call after its state changed)."""
        entries = (await self.session.execute(
            select(StatusEntry).where(StatusEntry.credential_id == credential.id))).scalars()
        for entry in list(entries):
            await self.refresh(entry.list_id)

    async def refresh(self, list_id: uuid.UUID) -> StatusList:
        status_list = (await self.session.execute(
            select(StatusList).where(StatusList.id == list_id).with_for_update())).scalar_one()
        issuer = await self.session.get(Issuer, status_list.issuer_id)
        await self._publish(status_list, issuer)
        return status_list

    async def _publish(self, status_list: StatusList, issuer: Issuer) -> None:
        flagged = await self.session.execute(
            select(StatusEntry.index).join(IssuedCredential, IssuedCredential.id == StatusEntry.credential_id)
            .where(StatusEntry.list_id == status_list.id,
                   IssuedCredential.state == STATE_OF_PURPOSE[status_list.purpose]))
        await sign_list(self.session, self.settings, status_list, issuer, flagged.scalars(), status_list.purpose)

    async def document(self, list_id: uuid.UUID) -> dict:
        """The signed status list credential served at its public URL."""
        status_list = await self.session.get(StatusList, list_id)
        if status_list is None or status_list.document is None:
            raise NotFound("No such status list.")
        return status_list.document

    async def documents_for(self, urls: set[str]) -> dict[str, dict]:
        """Our status list credentials among ``urls`` (URL -> document), for offline verification."""
        prefix = status_list_prefix(self.settings)
        ids = []
        for url in urls:
            if url.startswith(prefix):
                try:
                    ids.append(uuid.UUID(url[len(prefix):]))
                except ValueError:
                    continue
        if not ids:
            return {}
        rows = await self.session.execute(select(StatusList).where(StatusList.id.in_(ids)))
        return {list_url(self.settings, s.id): s.document for s in rows.scalars() if s.document}
