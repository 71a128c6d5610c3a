"""Idempotency-Key handling for issuing requests.

The first request with a key stores (organization, key, request fingerprint, resulting resource) in
the same transaction as the issuance, so the record exists exactly when the credential or batch does.
A retry with the same key and the same body gets the first result; the same key with another body
is refused (422); a second request racing the first one is refused (409) and may be retried.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput
from credentials.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def fingerprint(payload: Any) -> str:
    """SHA-256 of a request's meaning (canonical JSON, or raw bytes for uploads)."""
    if isinstance(payload, (bytes, bytearray)):
        return hashlib.sha256(payload).hexdigest()
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_key(key: str | None) -> str:
    """The header value, or a 422 naming the header when it is missing or unusable."""
    key = (key or "").strip()
    if not key:
        raise InvalidInput("Send an Idempotency-Key header (any unique string, e.g. a UUID) with every issuing "
                           "request, so a retry never issues twice.", field=HEADER)
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(f"The Idempotency-Key must be printable and at most {MAX_KEY_LENGTH} characters.",
                           field=HEADER)
    return key


class Idempotency:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replay(self, org_id: uuid.UUID, key: str, request_hash: str, resource_type: str) -> uuid.UUID | None:
        """The resource made by an earlier request with this key, or None when the key is new."""
        found = await self.session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.org_id == org_id, IdempotencyRecord.key == key))
        record = found.scalar_one_or_none()
        if record is None:
            return None
        if record.request_hash != request_hash or record.resource_type != resource_type:
            raise InvalidInput("This Idempotency-Key was used for a different request; use a new key.",
                               field=HEADER)
        return record.resource_id

    async def remember(self, org_id: uuid.UUID, key: str, request_hash: str, resource_type: str,
                       resource_id: uuid.UUID) -> None:
        record = IdempotencyRecord(org_id=org_id, key=key, request_hash=request_hash, resource_type=resource_type,
                                   resource_id=resource_id)
        try:
            async with self.session.begin_nested():
                self.session.add(record)
        except IntegrityError:
            raise Conflict("A request with this Idempotency-Key is already being processed; retry it shortly.",
                           field=HEADER) from None
