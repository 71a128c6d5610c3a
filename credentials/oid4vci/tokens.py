"""Access tokens and one-time secrets: random values handed out once and kept only as SHA-256 hashes.

The access-token store is written to be shared with the OB 3.0 API's OAuth authorization server: a
token has a scope, an expiry and an owner (an OpenID4VCI offer here, a person or client later), and is
spent atomically (one conditional UPDATE), so two requests racing with one token cannot both use it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import utcnow
from credentials.oid4vci.models import AccessToken

TOKEN_BYTES = 32


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def keyed_digest(key: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 under the platform secret: for short secrets (a 6-digit tx_code) that a plain hash
    would not protect against a dump being brute-forced."""
    return hmac.new(key.encode("utf-8"), f"{purpose}:{value}".encode("utf-8"), hashlib.sha256).hexdigest()


async def issue_token(session: AsyncSession, *, scope: str, lifetime: timedelta, offer_id: uuid.UUID | None = None,
                      person_id: uuid.UUID | None = None, client_id: str | None = None) -> tuple[str, AccessToken]:
    """A new access token (its value, returned once, and its stored row)."""
    value = new_secret()
    row = AccessToken(token_hash=digest(value), scope=scope, offer_id=offer_id, person_id=person_id,
                      client_id=client_id, expires_at=utcnow() + lifetime)
    session.add(row)
    await session.flush()
    return value, row


async def find_token(session: AsyncSession, value: str, scope: str) -> AccessToken | None:
    """The live (unexpired, unspent) token with this value and scope, or None."""
    row = (await session.execute(select(AccessToken).where(AccessToken.token_hash == digest(value)))).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or scope not in row.scope.split():
        return None
    return row


async def spend_token(session: AsyncSession, token: AccessToken) -> bool:
    """Mark a single-use token spent; False when another request spent it first."""
    spent = await session.execute(update(AccessToken).where(AccessToken.id == token.id, AccessToken.used_at.is_(None))
                                  .values(used_at=utcnow()))
    return spent.rowcount == 1


def signed_nonce(key: str, lifetime_s: int, now: float | None = None) -> tuple[str, int]:
    """A stateless ``c_nonce``: ``<expiry>.<random>.<HMAC>`` (nothing is stored until a proof uses it)."""
    expires = int((time.time() if now is None else now) + lifetime_s)
    body = f"{expires}.{secrets.token_urlsafe(16)}"
    return f"{body}.{keyed_digest(key, 'c_nonce', body)[:32]}", expires


def nonce_expiry(key: str, nonce: str, now: float | None = None) -> int | None:
    """The expiry of a nonce we issued and that has not expired, else None."""
    parts = nonce.split(".")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    if not hmac.compare_digest(parts[2], keyed_digest(key, "c_nonce", f"{parts[0]}.{parts[1]}")[:32]):
        return None
    expires = int(parts[0])
    return expires if expires > (time.time() if now is None else now) else None
