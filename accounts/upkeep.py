"""Account housekeeping in the background of each server process: retry mail that was not sent after
its commit, and delete lapsed throttle counters, password reset and email confirmation links. Started and stopped with the
app's jobs (``credentials.deps.start_jobs``); every step is safe to run in several processes at once.

Higher domains add their own sweeps of lapsed rows with :func:`contribute` (accounts cannot import
them; the composition root connects them, ``skillpass/wiring.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from accounts import confirmation
from accounts.outbox import deliver_due
from accounts.password_reset import sweep_lapsed_links
from accounts.throttle import sweep_lapsed_counters
from core.settings import Settings

log = logging.getLogger("skillpass.accounts")
EVERY_SECONDS = 60
Sweep = Callable[[AsyncEngine], Awaitable[int]]
_sweeps: dict[str, Sweep] = {}


def contribute(name: str, sweep: Sweep) -> None:
    """Register (or replace) a domain's sweep: deletes its lapsed rows in its own transaction, returns how many."""
    _sweeps[name] = sweep


async def run_once(engine: AsyncEngine, settings: Settings) -> None:
    """One round: mail whose turn has come, then the counters, reset and confirmation links whose time
    has passed, then each contributed sweep."""
    await deliver_due(engine, settings)
    await sweep_lapsed_counters(engine)
    await sweep_lapsed_links(engine)
    await confirmation.sweep_lapsed_links(engine)
    for sweep in list(_sweeps.values()):
        await sweep(engine)


async def _loop(engine: AsyncEngine, settings: Settings, every: float) -> None:
    while True:
        try:
            await run_once(engine, settings)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the loop; the next round retries
            log.warning("account upkeep failed; trying again in %s s", every, exc_info=True)
        await asyncio.sleep(every)


def start(engine: AsyncEngine, settings: Settings, every: float = EVERY_SECONDS) -> asyncio.Task:
    return asyncio.get_running_loop().create_task(_loop(engine, settings, every), name="skillpass-account-upkeep")


async def stop(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
