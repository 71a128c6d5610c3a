"""Verification with the platform's own documents preloaded: our did:web issuers and our status list
credentials come from the database, so verifying what we issued never touches the network.

Foreign did:web documents and status lists resolve only from an explicit ``documents`` map (or a
``fetcher``, when the caller opts into network resolution).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.issuers import IssuerService
from credentials.status import StatusListService
from credentials.vc import Resolver, VerificationResult, verify
from credentials.vc.errors import VcError
from credentials.vc.jwt import looks_like_jwt, parse_jwt

MAX_WALK = 20_000


def referenced_urls(document: Any) -> set[str]:
    """Every http(s) URL string inside a document (JWT payloads included), for preloading."""
    if isinstance(document, (bytes, bytearray)):
        document = document.decode("utf-8", errors="replace")
    if isinstance(document, str):
        text = document.strip()
        if looks_like_jwt(text):
            document = _jwt_payload(text)
        else:
            try:
                document = json.loads(text)
            except ValueError:
                return set()
    urls: set[str] = set()
    stack, seen = [document], 0
    while stack and seen < MAX_WALK:
        value = stack.pop()
        seen += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            if value.startswith(("https://", "http://")):
                urls.add(value.split("#", 1)[0])
            elif looks_like_jwt(value):
                stack.append(_jwt_payload(value))
    return urls


def _jwt_payload(token: str) -> Any:
    try:
        return parse_jwt(token)[1]
    except VcError:
        return None


async def local_resolver(session: AsyncSession, settings: Settings, document: Any, *,
                         documents: dict[str, Any] | None = None, fetcher: Any = None) -> Resolver:
    """A resolver with our issuers' DID documents and the status lists the document points at."""
    registry = await IssuerService(session, settings).registry()
    registry.update(await StatusListService(session, settings).documents_for(referenced_urls(document)))
    return Resolver(registry=registry, documents=documents, fetcher=fetcher)


async def verify_document(session: AsyncSession, settings: Settings, document: Any, *,
                          at: datetime | str | None = None, documents: dict[str, Any] | None = None,
                          challenge: str | None = None, domain: str | None = None,
                          fetcher: Any = None) -> VerificationResult:
    """Verify a credential, presentation or VC-JWT (in a worker thread: canonicalization is CPU work)."""
    resolver = await local_resolver(session, settings, document, documents=documents, fetcher=fetcher)
    return await anyio.to_thread.run_sync(
        lambda: verify(document, at=at, resolver=resolver, challenge=challenge, domain=domain))
