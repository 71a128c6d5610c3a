"""A learner's connections to other OB 3.0 Hosts: connect (discovery, registration, the authorization
URL), the callback (state bound to the learner, code exchanged), push chosen badges (upsertCredential),
list what the Host holds (getCredentials) and disconnect (revocation, then the row goes). Every
function answers NotFound while ``ob_consumer_enabled`` is off, before anything is fetched.

Tokens rotate at the Host when authlib refreshes them, so push and list never raise once a token may
have been refreshed: a Host error becomes part of their result and the request still commits the new pair.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.models import HeldCredential
from credentials.ob_consumer import host
from credentials.ob_consumer.guard import host_base_url
from credentials.ob_consumer.host import HostError
from credentials.ob_consumer.models import HostConnection
from credentials.ob_consumer.sealing import seal, unseal
from credentials.vc.jwt import jwt_document, parse_jwt

CALLBACK_PATH = "/wallet/settings/ob-hosts/callback"
PENDING_MINUTES = 15
MAX_PUSH = 50
MAX_CONNECTIONS = 20
PAGE = 20
TOKEN_FIELDS = ("access_token", "refresh_token", "token_type", "expires_at", "scope")
NOT_YOURS = "This answer from the Host does not belong to a connection you started."


def _enabled(settings: Settings) -> None:
    if not settings.ob_consumer_enabled:
        raise NotFound("Connecting other Open Badges Hosts is not enabled on this server.")


def callback_url(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + CALLBACK_PATH


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value


async def connections(db: AsyncSession, settings: Settings, person_id: uuid.UUID) -> list[HostConnection]:
    """The learner's connections, newest first (pending ones too)."""
    _enabled(settings)
    rows = await db.execute(select(HostConnection).where(HostConnection.person_id == person_id)
                            .order_by(HostConnection.created_at.desc()))
    return list(rows.scalars())


async def _own(db: AsyncSession, person_id: uuid.UUID, connection_id: uuid.UUID) -> HostConnection:
    row = await db.get(HostConnection, connection_id)
    if row is None or row.person_id != person_id:
        raise NotFound("No such connection.")
    return row


async def connect(db: AsyncSession, settings: Settings, person_id: uuid.UUID,
                  host_text: str) -> HostConnection:
    """Read the Host's discovery document, register skillpass there and keep a pending connection whose
    ``authorization_request`` is where the learner's browser goes next. Nothing is kept when a step fails."""
    _enabled(settings)
    host_url = host_base_url(host_text, allow_loopback=settings.ob_consumer_allow_http_loopback)
    existing = await db.scalar(select(HostConnection).where(HostConnection.person_id == person_id,
                                                            HostConnection.host_url == host_url))
    if existing is not None and existing.state == "connected":
        raise Conflict("This Host is already connected; disconnect it first to connect again.",
                       field="already")
    if existing is None and await db.scalar(select(func.count()).select_from(HostConnection).where(
            HostConnection.person_id == person_id)) >= MAX_CONNECTIONS:
        raise InvalidInput(f"At most {MAX_CONNECTIONS} Hosts can be connected; disconnect one first.",
                           field="too_many")
    description = await host.describe(settings, host_url)
    registered = await host.register(settings, description, callback_url(settings))
    revoke_url = await host.revocation_url(settings, host_url, description.token_url)
    if existing is not None:
        await db.delete(existing)
        await db.flush()
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    row = HostConnection(person_id=person_id, host_url=host_url, host_name=description.name,
                         api_url=description.api_url, authorize_url=description.authorize_url,
                         token_url=description.token_url, revoke_url=revoke_url,
                         client_id=registered["client_id"], client_secret_sealed=b"",
                         state_digest=_digest(state))
    row.client_secret_sealed = seal(registered["client_secret"], row.id, settings.master_key)
    row.verifier_sealed = seal(verifier, row.id, settings.master_key)
    row.authorization_request = host.authorization_request(description, row.client_id, callback_url(settings),
                                                           state, verifier)
    try:
        async with db.begin_nested():
            db.add(row)
    except IntegrityError as exc:  # the same learner connecting the same Host twice at once: one wins
        raise Conflict("This Host is being connected already; try again.", field="already") from exc
    return row


async def pending(db: AsyncSession, settings: Settings, person_id: uuid.UUID,
                  connection_id: uuid.UUID) -> HostConnection:
    """One of the learner's connections (the page that sends the browser to the Host)."""
    _enabled(settings)
    return await _own(db, person_id, connection_id)


async def finish(db: AsyncSession, settings: Settings, person_id: uuid.UUID, *, state: str, code: str,
                 error: str = "") -> HostConnection:
    """The Host's redirect back: the state must be one this learner started (within 15 minutes); the code
    is exchanged with the PKCE verifier and the tokens are sealed. A refusal changes nothing."""
    _enabled(settings)
    if not state or len(state) > 200:
        raise InvalidInput(NOT_YOURS, field="state")
    row = await db.scalar(select(HostConnection).where(HostConnection.person_id == person_id,
                                                       HostConnection.state_digest == _digest(state),
                                                       HostConnection.state == "pending"))
    if row is None:
        raise InvalidInput(NOT_YOURS, field="state")
    if _aware(row.created_at) < utcnow() - timedelta(minutes=PENDING_MINUTES):
        raise InvalidInput("This connection was started too long ago; connect again.", field="state")
    if error:
        raise HostError(f"The Host did not grant access ({error[:100]}).", code="denied")
    verifier = unseal(row.verifier_sealed or b"", row.id, settings.master_key)
    token = await host.exchange(settings, token_url=row.token_url, client_id=row.client_id,
                                client_secret=unseal(row.client_secret_sealed, row.id, settings.master_key),
                                callback=callback_url(settings), code=host.check_code(code, "code"),
                                verifier=verifier)
    _keep_token(row, token, settings)
    row.state = "connected"
    row.state_digest = row.verifier_sealed = row.authorization_request = None
    row.connected_at = utcnow()
    return row


def _keep_token(row: HostConnection, token: dict[str, Any], settings: Settings) -> None:
    kept = {k: token[k] for k in TOKEN_FIELDS if k in token}
    row.tokens_sealed = seal(kept, row.id, settings.master_key)
    if token.get("expires_at"):
        row.access_expires_at = datetime.fromtimestamp(int(token["expires_at"]), tz=timezone.utc)
    if token.get("scope"):
        row.scopes = str(token["scope"])[:1000]


def _client_options(row: HostConnection, settings: Settings) -> dict[str, Any]:
    if row.state != "connected" or not row.tokens_sealed:
        raise Conflict("This Host is not connected yet: finish the authorization first.")

    async def keep(token, refresh_token=None, access_token=None) -> None:
        _keep_token(row, dict(token), settings)

    secret = unseal(row.client_secret_sealed, row.id, settings.master_key)
    return host.api_client_options(client_id=row.client_id, client_secret=secret,
                                   token=unseal(row.tokens_sealed, row.id, settings.master_key),
                                   token_url=row.token_url, on_refresh=keep)


@dataclass(frozen=True)
class Pushed:
    held_id: uuid.UUID
    title: str
    status: int | None
    outcome: str  # created | updated | unchanged (304: the Host holds exactly this one) | error
    message: str = ""


@dataclass
class ConnectionView:
    connection: HostConnection
    held: list[HeldCredential] = field(default_factory=list)


async def connection_view(db: AsyncSession, settings: Settings, person_id: uuid.UUID,
                          connection_id: uuid.UUID) -> ConnectionView:
    """The connection and the learner's held credentials that can be pushed."""
    _enabled(settings)
    row = await _own(db, person_id, connection_id)
    held = await db.execute(select(HeldCredential).where(HeldCredential.person_id == person_id)
                            .order_by(HeldCredential.created_at.desc()))
    return ConnectionView(row, list(held.scalars()))


async def push(db: AsyncSession, settings: Settings, person_id: uuid.UUID, connection_id: uuid.UUID,
               held_ids: list[uuid.UUID]) -> list[Pushed]:
    """upsertCredential of each chosen held credential, as it is held (a VC-JWT as ``text/plain``, a Data
    Integrity credential as JSON); one result per credential."""
    _enabled(settings)
    row = await _own(db, person_id, connection_id)
    if not held_ids:
        raise InvalidInput("Choose at least one credential to send.", field="held")
    if len(held_ids) > MAX_PUSH:
        raise InvalidInput(f"Send at most {MAX_PUSH} credentials at once.", field="held")
    chosen = list((await db.execute(select(HeldCredential).where(
        HeldCredential.person_id == person_id, HeldCredential.id.in_(held_ids)))).scalars())
    if len(chosen) != len(set(held_ids)):
        raise NotFound("A chosen credential is not in your wallet.")
    options = _client_options(row, settings)
    results: list[Pushed] = []
    try:
        async with host.calling(settings, **options) as client:
            for held in chosen:
                if held.jwt:
                    answer = await client.post(row.api_url + "/credentials", content=held.jwt.encode(),
                                               headers={"Content-Type": "text/plain"})
                else:
                    answer = await client.post(row.api_url + "/credentials", json=held.document)
                outcome = {201: "created", 200: "updated", 304: "unchanged"}.get(answer.status_code, "error")
                results.append(Pushed(held.id, held.title, answer.status_code, outcome,
                                      "" if outcome != "error" else host.status_info(answer)))
    except HostError as exc:
        done = {r.held_id for r in results}
        results += [Pushed(h.id, h.title, None, "error", exc.detail) for h in chosen if h.id not in done]
    row.used_at = utcnow()
    return results


@dataclass(frozen=True)
class Remote:
    """What the Host holds for the learner (one page)."""

    items: list[dict[str, str]]
    total: int | None
    offset: int
    next_offset: int | None
    error: str = ""
    error_code: str = ""


def _summary(document: Any, fmt: str) -> dict[str, str]:
    document = document if isinstance(document, dict) else {}
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    issuer = document.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else issuer
    name = (achievement.get("name") if isinstance(achievement, dict) else None) or document.get("name") or ""
    return {"id": str(document.get("id") or "")[:300], "name": str(name)[:300],
            "issuer": str(issuer_name or "")[:300], "format": fmt}


def _decoded(token: Any) -> dict[str, Any]:
    try:
        _, payload, _, _ = parse_jwt(str(token))
        return jwt_document(payload)[1]
    except Exception:  # a Host's junk: listed as an unreadable entry, never an error page
        return {}


async def remote(db: AsyncSession, settings: Settings, person_id: uuid.UUID, connection_id: uuid.UUID,
                 offset: int = 0) -> Remote:
    """getCredentials at the Host, one page from ``offset``; the next page's offset from its Link header."""
    _enabled(settings)
    row = await _own(db, person_id, connection_id)
    offset = max(0, min(offset, 1_000_000))
    options = _client_options(row, settings)
    try:
        async with host.calling(settings, **options) as client:
            answer = await client.get(row.api_url + "/credentials", params={"limit": PAGE, "offset": offset},
                                      headers={"Accept": "application/json"})
    except HostError as exc:
        return Remote([], None, offset, None, exc.detail, exc.code)
    row.used_at = utcnow()
    if answer.status_code != 200:
        return Remote([], None, offset, None, host.status_info(answer), "refused")
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return Remote([], None, offset, None, "The Host's list is not a JSON object.", "invalid_answer")
    items = [_summary(d, "ldp") for d in body.get("credential") or [] if isinstance(d, dict)]
    items += [_summary(_decoded(t), "jwt") for t in body.get("compactJwsString") or []]
    try:
        total = int(answer.headers["x-total-count"]) if "x-total-count" in answer.headers else None
    except ValueError:
        total = None
    return Remote(items, total, offset, host.next_offset(answer))


async def disconnect(db: AsyncSession, settings: Settings, person_id: uuid.UUID,
                     connection_id: uuid.UUID) -> bool:
    """Revoke the tokens at the Host (RFC 7009, when it has an endpoint) and delete the connection here
    in any case; True when the Host confirmed the revocation."""
    _enabled(settings)
    row = await _own(db, person_id, connection_id)
    revoked = False
    if row.state == "connected" and row.tokens_sealed and row.revoke_url:
        token = unseal(row.tokens_sealed, row.id, settings.master_key)
        secret = unseal(row.client_secret_sealed, row.id, settings.master_key)
        try:
            async with host.calling(settings, client_id=row.client_id, client_secret=secret,
                                    revocation_endpoint_auth_method="client_secret_basic") as client:
                for kind in ("refresh_token", "access_token"):
                    if token.get(kind):
                        answer = await client.revoke_token(row.revoke_url, token=token[kind],
                                                           token_type_hint=kind)
                        revoked = answer.status_code == 200 or revoked
        except HostError:
            revoked = False
    await db.delete(row)
    return revoked


async def export_connections(db: AsyncSession, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The person's part of their data export: each Host connection, never its secrets or tokens."""
    rows = await db.execute(select(HostConnection).where(HostConnection.person_id == person_id)
                            .order_by(HostConnection.created_at))
    return [{"host_url": r.host_url, "host_name": r.host_name, "client_id": r.client_id, "state": r.state,
             "scopes": r.scopes.split(), "created_at": r.created_at.isoformat(),
             "connected_at": r.connected_at.isoformat() if r.connected_at else None,
             "used_at": r.used_at.isoformat() if r.used_at else None} for r in rows.scalars()]


async def delete_connections(db: AsyncSession, person_id: uuid.UUID) -> None:
    """Delete every connection here (the Host's tokens then lapse: nothing here can use them again)."""
    await db.execute(delete(HostConnection).where(HostConnection.person_id == person_id))


async def sweep_pending(engine: AsyncEngine) -> int:
    """The upkeep round (``accounts.upkeep``): pending connections whose authorization never came back
    (past 15 minutes their callback is refused anyway), with the secrets sealed on them."""
    cutoff = utcnow() - timedelta(minutes=PENDING_MINUTES)
    async with engine.begin() as conn:
        gone = await conn.execute(delete(HostConnection).where(HostConnection.state == "pending",
                                                               HostConnection.created_at < cutoff))
    return gone.rowcount or 0


__all__ = ["CALLBACK_PATH", "HostError", "connect", "connections", "disconnect", "finish", "push", "remote"]
