"""Shared steps of the skills API tests: a signed-in learner, wallet credentials, uploads."""

from __future__ import annotations

import hashlib
import json
import uuid

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from credentials.models import HeldCredential
from tests.conftest import csrf_headers, sign_up


async def learner(client: AsyncTestClient, email: str = "hanako@example.jp", name: str = "山田 花子") -> uuid.UUID:
    """Sign up (and stay signed in as) a learner; returns their person id."""
    person = await sign_up(client, email, name, lang="ja")
    return uuid.UUID(person["id"])


async def hold_credential(db: AsyncSession, person_id: uuid.UUID, document: dict, *, verified: bool = True,
                          trust_status: str = "trusted", subject: str = "self") -> HeldCredential:
    """Put a credential into the wallet the way credentials.wallet stores one after verifying it (by
    default: of a trusted issuer, naming its holder)."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    held = HeldCredential(person_id=person_id, source="imported", format="ldp", document=document,
                          content_hash=hashlib.sha256(text.encode()).hexdigest(), title=document.get("name", ""),
                          issuer_name=document["issuer"]["name"], verified=verified,
                          verification={"verified": verified}, trust_status=trust_status, subject=subject)
    db.add(held)
    await db.commit()
    return held


async def upload(client: AsyncTestClient, data: bytes, filename: str = "records.csv", *,
                 content_type: str = "text/csv"):
    """POST a records file as multipart field ``file``."""
    return await client.post("/api/v1/me/records", headers=await csrf_headers(client),
                             files={"file": (filename, data, content_type)})


async def send(client: AsyncTestClient, method: str, path: str, **kwargs):
    """A state-changing request with the CSRF header."""
    headers = {**await csrf_headers(client), **kwargs.pop("headers", {})}
    return await client.request(method, path, headers=headers, **kwargs)
