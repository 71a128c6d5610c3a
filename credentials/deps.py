"""Dependency providers of the credentials API, and the app-wide batch job runner.

The runner starts with the app when ``start_jobs``/``stop_jobs`` are wired as lifespan hooks;
otherwise it starts on the first batch request (and resumes unfinished batches then). The accounts'
upkeep loop (mail retries, lapsed throttle counters) starts and stops with it.
"""

from __future__ import annotations

import asyncio
import weakref

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import upkeep
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
UPKEEP_KEY = "accounts_upkeep"
_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


async def start_jobs(app: Litestar) -> BatchRunner:
    """Lifespan hook: start the batch runner and resume unfinished batches."""
    loop = asyncio.get_running_loop()
    async with _locks.setdefault(loop, asyncio.Lock()):
        runner = app.state.get(RUNNER_KEY)
        if runner is None or app.state.get(LOOP_KEY) is not loop:  # a runner belongs to one event loop
            runner = make_runner(app_engine(app), app.state["settings"])
            await runner.start()
            app.state[RUNNER_KEY], app.state[LOOP_KEY] = runner, loop
            app.state[UPKEEP_KEY] = upkeep.start(app_engine(app), app.state["settings"])
        return runner


def app_engine(app: Litestar):
    """The app's own engine. Not ``app.state["db_engine"]``: advanced-alchemy gives each further config in
    one process another state key (``db_engine_1`` ...), so a second app would have read the first one's."""
    return app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()


async def stop_jobs(app: Litestar) -> None:
    """Lifespan hook: stop the runner; unfinished lines stay pending and resume on the next start."""
    runner, loop = app.state.pop(RUNNER_KEY, None), app.state.pop(LOOP_KEY, None)
    task = app.state.pop(UPKEEP_KEY, None)
    if runner is not None and loop is asyncio.get_running_loop():
        await runner.stop()
        await upkeep.stop(task)


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
