"""In-process change hook: who wants to know that a person's profile or consent changed.

    from skills import events
    events.subscribe(lambda person_id: index.mark_dirty(person_id))

Services call :func:`changed_on_commit` with their session; subscribers are called with the person id
once that session commits (never for a rollback), so they read committed data. A callback may be
sync or async (a coroutine callback runs as a task on the running loop). A failing callback is logged
and does not affect the request or the other subscribers.

:func:`subscribe_in_transaction` callbacks run just before the commit instead, in the same transaction
(``callback(sync_session, person_ids)``; a sync ``Session``, whose ``execute`` works inside an
``AsyncSession`` too): what they write commits with the change, and if they fail the commit fails.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

Callback = Callable[[uuid.UUID], Awaitable[None] | None]
TransactionCallback = Callable[[Session, set[uuid.UUID]], None]

log = logging.getLogger("skillpass.skills.events")
_PENDING_KEY = "skills.changed_people"
_subscribers: list[Callback] = []
_in_transaction: list[TransactionCallback] = []
_tasks: set[asyncio.Task] = set()


def subscribe(callback: Callback) -> None:
    """Call ``callback(person_id)`` after each committed profile recompute or consent change."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def unsubscribe(callback: Callback) -> None:
    if callback in _subscribers:
        _subscribers.remove(callback)


def subscribe_in_transaction(callback: TransactionCallback) -> None:
    """Call ``callback(session, person_ids)`` before each commit of a session that changed someone."""
    if callback not in _in_transaction:
        _in_transaction.append(callback)


def changed_on_commit(session: AsyncSession, person_id: uuid.UUID) -> None:
    """Remember that ``person_id`` changed; subscribers hear of it when ``session`` commits."""
    session.sync_session.info.setdefault(_PENDING_KEY, set()).add(person_id)


def publish(person_id: uuid.UUID) -> None:
    """Call every subscriber now (used by the commit hook)."""
    for callback in list(_subscribers):
        try:
            result = callback(person_id)
            if inspect.isawaitable(result):
                task = asyncio.get_running_loop().create_task(_guarded(result))
                _tasks.add(task)
                task.add_done_callback(_tasks.discard)
        except Exception:
            log.exception("skills change subscriber %r failed for %s", callback, person_id)


async def _guarded(awaitable: Awaitable[None]) -> None:
    try:
        await awaitable
    except Exception:
        log.exception("skills change subscriber failed")


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    pending = session.info.get(_PENDING_KEY)
    if pending:
        for callback in list(_in_transaction):
            callback(session, set(pending))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    for person_id in sorted(session.info.pop(_PENDING_KEY, set())):
        publish(person_id)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
