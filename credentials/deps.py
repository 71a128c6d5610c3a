"""Dependency providers of the credentials API, and the app-wide batch job runner.

The runner starts with the app when ``start_jobs``/``stop_jobs`` are wired as lifespan hooks;
otherwise it starts on the first batch request (and resumes unfinished batches then).
"""

from __future__ import annotations

import asyncio
import weakref

from litestar import Litestar, Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.batches import BatchService
from credentials.issuance import IssuanceService
from credentials.issuers import IssuerService
from credentials.jobs import BatchRunner, make_runner
from credentials.status import StatusListService
from credentials.wallet import WalletService

RUNNER_KEY = "credentials_runner"
LOOP_KEY = "credentials_runner_loop"
ENGINE_KEY = "db_engine"  # advanced-alchemy's default engine_app_state_key
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def start_jobs(app: Litestar) -> BatchRunner:
    """Lifespan hook: start the batch runner and resume unfinished batches."""
    loop = asyncio.get_running_loop()
    async with _locks.setdefault(loop, asyncio.Lock()):
        runner = app.state.get(RUNNER_KEY)
        if runner is None or app.state.get(LOOP_KEY) is not loop:  # a runner belongs to one event loop
            runner = make_runner(app.state[ENGINE_KEY], app.state["settings"])
            await runner.start()
            app.state[RUNNER_KEY], app.state[LOOP_KEY] = runner, loop
        return runner


async def stop_jobs(app: Litestar) -> None:
    """Lifespan hook: stop the runner; unfinished lines stay pending and resume on the next start."""
    runner, loop = app.state.pop(RUNNER_KEY, None), app.state.pop(LOOP_KEY, None)
    if runner is not None and loop is asyncio.get_running_loop():
        await runner.stop()


async def provide_runner(request: Request) -> BatchRunner:
    return await start_jobs(request.app)


async def provide_issuers(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> IssuerService:
    return IssuerService(db_session, settings)


async def provide_achievements(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> AchievementService:
    return AchievementService(db_session, settings)


async def provide_issuance(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> IssuanceService:
    return IssuanceService(db_session, settings)


async def provide_batches(db_session: NamedDependency[AsyncSession]) -> BatchService:
    return BatchService(db_session)


async def provide_status_lists(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> StatusListService:
    return StatusListService(db_session, settings)


async def provide_wallet(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> WalletService:
    return WalletService(db_session, settings)
