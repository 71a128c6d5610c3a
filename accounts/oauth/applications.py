"""The applications a learner let into their data: which clients hold live tokens, taking that back, the
person's part of their data export and deletion, and the upkeep sweep of lapsed codes and tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from accounts.oauth.models import OAuthClient, OAuthCode, OAuthToken
from core.db import utcnow
from core.errors import NotFound


@dataclass(frozen=True)
class Application:
    client_id: str
    client_name: str
    client_uri: str
    scopes: list[str]
    since: datetime


def _live(now: datetime):
    return (OAuthToken.revoked_at.is_(None),
            or_(OAuthToken.access_expires_at > now, OAuthToken.refresh_expires_at > now))


async def applications(db: AsyncSession, person_id: uuid.UUID) -> list[Application]:
    """Clients holding a token of this person that still works (access or refresh), with the scopes of
    all those tokens and when the oldest was issued."""
    rows = await db.execute(
        select(OAuthClient, OAuthToken.scope, OAuthToken.created_at)
        .join(OAuthToken, OAuthToken.client_id == OAuthClient.client_id)
        .where(OAuthToken.person_id == person_id, *_live(utcnow()))
        .order_by(OAuthClient.client_name, OAuthToken.created_at))
    found: dict[str, Application] = {}
    for client, scope, created_at in rows:
        known = found.get(client.client_id)
        scopes = sorted(set(scope.split()) | set(known.scopes if known else []))
        found[client.client_id] = Application(client.client_id, client.client_name, client.client_uri, scopes,
                                              known.since if known else created_at)
    return list(found.values())


async def revoke_application(db: AsyncSession, person_id: uuid.UUID, client_id: str) -> int:
    """End every token (and unused code) this person gave the client; NotFound when it holds none."""
    now = utcnow()
    live = await db.scalar(select(func.count()).select_from(OAuthToken).where(
        OAuthToken.person_id == person_id, OAuthToken.client_id == client_id, *_live(now)))
    if not live:
        raise NotFound("This application holds no access to your data.")
    await db.execute(update(OAuthToken).where(OAuthToken.person_id == person_id, OAuthToken.client_id == client_id,
                                              OAuthToken.revoked_at.is_(None)).values(revoked_at=now))
    await db.execute(update(OAuthCode).where(OAuthCode.person_id == person_id, OAuthCode.client_id == client_id,
                                             OAuthCode.used_at.is_(None)).values(used_at=now))
    return int(live)


async def export_grants(db: AsyncSession, person_id: uuid.UUID) -> list[dict]:
    """The person's part of their data export (``accounts.erasure``): the applications holding tokens."""
    return [{"client_id": app.client_id, "client_name": app.client_name, "client_uri": app.client_uri,
             "scopes": app.scopes, "since": app.since.isoformat()} for app in await applications(db, person_id)]


async def delete_grants(db: AsyncSession, person_id: uuid.UUID) -> None:
    """Every token and code the person gave (the foreign keys would cascade; this says so on purpose)."""
    await db.execute(delete(OAuthToken).where(OAuthToken.person_id == person_id))
    await db.execute(delete(OAuthCode).where(OAuthCode.person_id == person_id))


async def sweep_lapsed(engine: AsyncEngine) -> int:
    """The upkeep round (``accounts.upkeep``): codes past their 5 minutes, and token pairs that can no
    longer be used (revoked, or both tokens expired): a deleted row refuses a presented token just as a
    revoked one does. One transaction; how many rows went."""
    now = utcnow()
    async with engine.begin() as conn:
        codes = await conn.execute(delete(OAuthCode).where(OAuthCode.expires_at <= now))
        tokens = await conn.execute(delete(OAuthToken).where(
            or_(OAuthToken.revoked_at.is_not(None),
                and_(OAuthToken.access_expires_at <= now,
                     or_(OAuthToken.refresh_expires_at.is_(None), OAuthToken.refresh_expires_at <= now)))))
    return (codes.rowcount or 0) + (tokens.rowcount or 0)
