"""Dependency providers of the credentials API, and the app-wide batch job runner.

The runner starts with the app when ``start_jobs``/``stop_jobs`` are wired as lifespan hooks;
otherwise it starts on the first batch request (and resumes unfinished batches then).
"""

from __future__ import annotations

import asyncio

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
ENGINE_KEY = "db_engine"  # advanced-alchemy's default engine_app_state_key
_lock = asyncio.Lock()


async def start_jobs(app: Litestar) -> BatchRunner:
    """Lifespan hook: start the batch runner and resume unfinished batches."""
    async with _lock:
        runner = app.state.get(RUNNER_KEY)
        if runner is None:
            runner = make_runner(app.state[ENGINE_KEY], app.state["settings"])
            await runner.start()
            app.state[RUNNER_KEY] = runner
        return runner


async def stop_jobs(app: Litestar) -> None:
    """Lifespan hook: stop the runner; unfinished lines stay pending and resume on the next start."""
    runner = app.state.pop(RUNNER_KEY, None)
    if runner is not None:
        await runner.stop()


async def provide_runner(request: Request) -> BatchRunner:
    return request.app.state.get(RUNNER_KEY) or await start_jobs(request.app)


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
