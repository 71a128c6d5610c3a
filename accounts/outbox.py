"""Mail after commit: a mail is written to ``mail_outbox`` in the transaction that causes it, and sent
once that transaction has committed; a row that could not be sent is retried later.

Sent inside the transaction, a mail could announce an account that a rollback then removed, and the
SMTP round trip held the transaction open. Now :func:`enqueue` only adds a row (sealed with AES-256-GCM
under a key derived from ``master_key``: the message carries a one-time link the database must not
reveal); :class:`MailAfterCommitMiddleware` sends the request's rows after the request's commit and
before the last byte of the response (a client that reads the mailbox when its call returns finds the
mail); :func:`deliver_due` retries the rest (``accounts.upkeep``). A row is claimed by a conditional
``UPDATE`` before sending, so two senders never both send it; it is deleted once sent.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from accounts.models import MailOutbox
from core import mail
from core.db import utcnow
from core.sealing import Sealer
from core.settings import Settings

log = logging.getLogger("skillpass.mail")

PENDING_KEY = "skillpass.mail_outbox"  # in ``session.info``: ids of the rows this session wrote
LEASE = timedelta(minutes=5)  # a claimed row is left alone this long (longer than an SMTP timeout)
GIVE_UP_AFTER = timedelta(hours=48)  # as long as a confirmation link lives
_SEALER = Sealer(None, b"skillpass mail outbox v1")


def seal(settings: Settings, data: bytes, row_id: uuid.UUID) -> bytes:
    return _SEALER.seal(settings.master_key, data, row_id.bytes)


def unseal(settings: Settings, sealed: bytes, row_id: uuid.UUID) -> bytes:
    return _SEALER.open(settings.master_key, sealed, row_id.bytes)


async def enqueue(session: AsyncSession, settings: Settings, message: EmailMessage, *, link: str | None = None) -> None:
    """Write ``message`` in the session's transaction; it is sent after the transaction commits."""
    row_id = uuid.uuid4()
    session.add(MailOutbox(id=row_id, message_sealed=seal(settings, message.as_bytes(), row_id),
                           link_sealed=seal(settings, link.encode(), row_id) if link else None,
                           next_attempt_at=utcnow() + LEASE))  # the retry leaves it to the committing request
    await session.flush()
    session.info.setdefault(PENDING_KEY, []).append(row_id)


async def deliver_committed(session: AsyncSession, settings: Settings) -> int:
    """Send the rows this session wrote, once its transaction has ended. After a rollback the rows do
    not exist, so nothing is sent."""
    ids = session.info.pop(PENDING_KEY, [])
    if not ids:
        return 0
    return await _deliver(session.bind, settings, MailOutbox.id.in_(ids), MailOutbox.attempts == 0)


async def deliver_due(engine: AsyncEngine, settings: Settings) -> int:
    """Retry every row whose turn has come (mail server outage, a process that stopped before sending)."""
    return await _deliver(engine, settings, MailOutbox.next_attempt_at <= utcnow())


async def _deliver(engine: AsyncEngine, settings: Settings, *conditions) -> int:
    async with engine.connect() as conn:
        ids = list((await conn.execute(select(MailOutbox.id).where(*conditions).limit(100))).scalars())
    sent = 0
    for row_id in ids:
        claimed = await _claim(engine, row_id, *conditions)
        if claimed is not None:
            sent += await _send_one(engine, settings, claimed)
    return sent


async def _claim(engine: AsyncEngine, row_id: uuid.UUID, *conditions) -> MailOutbox | None:
    """Take the row for one lease, unless another sender took it first."""
    now = utcnow()
    async with engine.begin() as conn:
        row = (await conn.execute(
            update(MailOutbox).where(MailOutbox.id == row_id, *conditions)
            .values(attempts=MailOutbox.attempts + 1, next_attempt_at=now + LEASE)
            .returning(MailOutbox.id, MailOutbox.message_sealed, MailOutbox.link_sealed, MailOutbox.attempts,
                       MailOutbox.created_at))).one_or_none()
    return MailOutbox(**row._asdict()) if row is not None else None


async def _send_one(engine: AsyncEngine, settings: Settings, row: MailOutbox) -> int:
    message = message_from_bytes(unseal(settings, row.message_sealed, row.id), policy=policy.default)
    link = unseal(settings, row.link_sealed, row.id).decode() if row.link_sealed else None
    try:
        await mail.send(settings, message, link=link)
    except mail.MailNotSent as exc:
        await _postpone(engine, row, type(exc).__name__)
        return 0
    async with engine.begin() as conn:
        await conn.execute(delete(MailOutbox).where(MailOutbox.id == row.id))
    return 1


async def _postpone(engine: AsyncEngine, row: MailOutbox, error: str) -> None:
    """Try again later (30 s, 1 min, 2 min ... at most hourly); after ``GIVE_UP_AFTER`` drop the row."""
    async with engine.begin() as conn:
        if utcnow() - row.created_at > GIVE_UP_AFTER:
            log.warning("a mail could not be sent for %s; dropped after %d attempts", GIVE_UP_AFTER, row.attempts)
            await conn.execute(delete(MailOutbox).where(MailOutbox.id == row.id))
            return
        wait = timedelta(seconds=min(3600, 30 * 2 ** (row.attempts - 1)))
        await conn.execute(update(MailOutbox).where(MailOutbox.id == row.id)
                           .values(next_attempt_at=utcnow() + wait, last_error=error))


class MailAfterCommitMiddleware:
    """Sends the mail a request wrote once its transaction has committed, before the response ends.

    Placed inside ``core.db.RequestTransactionMiddleware``, which commits when the response starts:
    the request's session is picked up here before that, and its mail sent once the commit went
    through (an error response rolls back, and nothing is sent).
    """

    def __init__(self, app: ASGIApp, alchemy: SQLAlchemyAsyncConfig) -> None:
        self.app = app
        self.key = alchemy.session_scope_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: dict = {}

        async def send_after_commit(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = get_aa_scope_state(scope, self.key)
                if session is not None and session.info.get(PENDING_KEY) and message["status"] < 400:
                    held["session"] = session
            elif message["type"] == "http.response.body" and not message.get("more_body") and held:
                await _deliver_quietly(held.pop("session"), scope["app"].state["settings"])
            await send(message)

        await self.app(scope, receive, send_after_commit)


async def _deliver_quietly(session: AsyncSession, settings: Settings) -> None:
    try:
        await deliver_committed(session, settings)
    except Exception:  # noqa: BLE001 - the rows stay; the retry sends them. The request itself succeeded.
        log.warning("mail after commit failed; it will be retried", exc_info=True)
