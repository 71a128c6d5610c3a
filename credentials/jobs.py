"""Running batch issuance jobs, durably.

All job state lives in our tables (``issuance_batch``, ``batch_row``); the job function
:func:`run_batch` issues the pending lines in chunks of ``CHUNK`` lines, one transaction per chunk:
the chunk is signed with one key load, its credentials and status entries inserted in bulk and its
lines marked issued in one statement, all committed together; ``issued_credential`` has a unique
(batch, line) constraint. A job stopped at any point (crash, deploy, cancel, kill -9) leaves every
line either issued or pending, so running it again - on the same or on another process - finishes
the batch without duplicates.

Dispatch:

* **PostgreSQL**: SAQ's ``PostgresQueue`` (tables in the ``skillpass_jobs`` schema). The web app runs
  an in-process SAQ worker; ``skillpass credentials worker`` starts more worker processes, which
  share the queue. Each batch is enqueued as ``JOBS_PER_BATCH`` jobs, and each job claims chunks of
  lines with ``FOR UPDATE SKIP LOCKED``, so the workers share one batch.
* **SQLite** (embedded default): the same job function runs as an asyncio task inside the app.

Either way, unfinished batches are resumed when the app (or a worker) starts. On PostgreSQL a job also
beats a heartbeat (SAQ's ``touched``) after each chunk: a job whose worker was killed stops beating, and
the sweep of any live worker (every ``SWEEP_SECONDS``) aborts it and queues it again, so no job stays
``active`` forever and the batch is finished by the next runner without waiting for a restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.db import utcnow
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials.batches import BatchService, request_of
from credentials.issuance import IssuanceService
from credentials.models import BatchRow, IssuanceBatch, IssuedCredential
from credentials.webhooks import events as webhook_events

log = logging.getLogger("skillpass.credentials.jobs")
SAQ_SCHEMA = "skillpass_jobs"
SAQ_QUEUE = "credentials"
JOB_NAME = "run_batch"
RETRIES = 5
CONFLICT_RETRIES = 3
CHUNK = 250  # lines per transaction
JOBS_PER_BATCH = 4  # jobs enqueued per batch: the workers that pick them up share its chunks
HEARTBEAT_SECONDS = 60  # a job not touched for this long is taken for dead (a chunk takes about a second)
SWEEP_SECONDS = 30  # how often a worker looks for dead jobs


async def run_batch(engine: AsyncEngine, settings: Settings, batch_id: uuid.UUID, *,
                    max_rows: int | None = None, chunk: int = CHUNK,
                    alive: Callable[[], Awaitable[None]] | None = None) -> int:
    """Issue the batch's pending lines (at most ``max_rows``), ``chunk`` lines per transaction; returns
    how many lines were handled. ``alive`` is awaited after each chunk (the job's heartbeat)."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session, session.begin():
        batch = await session.get(IssuanceBatch, batch_id)
        if batch is None or batch.state == "done":
            return 0
        batch.state, batch.started_at = "running", batch.started_at or utcnow()
    handled, conflicts = 0, {}
    async with engine.connect() as connection:  # one connection for the job, one transaction per chunk
        chunks = async_sessionmaker(bind=connection, expire_on_commit=False)
        while max_rows is None or handled < max_rows:
            size = chunk if max_rows is None else min(chunk, max_rows - handled)
            done = await _issue_next_chunk(chunks, settings, batch_id, size, conflicts)
            if not done:
                break
            handled += done
            if alive is not None:
                await alive()
    await _finish_if_complete(maker, batch_id)
    return handled


async def _issue_next_chunk(maker: async_sessionmaker, settings: Settings, batch_id: uuid.UUID, size: int,
                            conflicts: dict[int, int]) -> int:
    """Claim up to ``size`` pending lines and issue them, all in one transaction; 0 when none is left.

    The lines are claimed with SKIP LOCKED, so concurrent workers take different chunks. The chunk is
    issued in bulk inside a savepoint; if that fails on one line (a unique conflict, an unexpected
    error), the savepoint is dropped and the chunk's lines are issued one by one instead, so one bad
    line never holds up the others.
    """
    async with maker() as session, session.begin():
        if session.bind.dialect.name == "sqlite":
            # Take SQLite's write lock before reading, so a concurrent commit cannot invalidate our snapshot.
            await session.execute(update(IssuanceBatch).where(IssuanceBatch.id == batch_id).values(state="running"))
        rows = list((await session.execute(
            select(BatchRow).where(BatchRow.batch_id == batch_id, BatchRow.state == "pending")
            .order_by(BatchRow.line).limit(size).with_for_update(skip_locked=True))).scalars())
        if not rows:
            return 0
        batch = await session.get(IssuanceBatch, batch_id)
        try:
            async with session.begin_nested():
                results = await IssuanceService(session, settings).issue_many(
                    batch.org_id, [request_of(row.data, batch) for row in rows], batch_id=batch_id,
                    batch_lines=[row.line for row in rows])
        except DBAPIError as exc:
            if not isinstance(exc, IntegrityError) or len(rows) == 1:
                if isinstance(exc, IntegrityError):
                    await _issue_line(session, settings, batch, rows[0], conflicts)
                    return 1
                raise  # the database itself failed: the lines stay pending and are retried
            results = None
        except DomainError:
            results = None
        except Exception:
            if len(rows) == 1:
                await _issue_line(session, settings, batch, rows[0], conflicts)
                return 1
            log.exception("batch %s: chunk from line %s failed in bulk; issuing it line by line",
                          batch_id, rows[0].line)
            results = None
        if results is None:
            for row in rows:
                await _issue_line(session, settings, batch, row, conflicts)
            return len(rows)
        now = utcnow()
        issued = [row.id for row, result in zip(rows, results) if isinstance(result, uuid.UUID)]
        if issued:
            await session.execute(
                update(BatchRow).where(BatchRow.id.in_(issued))
                .values(state="issued", updated_at=now, credential_id=select(IssuedCredential.id).where(
                    IssuedCredential.batch_id == BatchRow.batch_id, IssuedCredential.batch_line == BatchRow.line)
                    .scalar_subquery()).execution_options(synchronize_session=False))
        for row, result in zip(rows, results):
            if isinstance(result, DomainError):
                row.state, row.errors, row.updated_at = "failed", _errors_of(result), now
    return len(rows)


async def _issue_line(session, settings: Settings, batch: IssuanceBatch, row: BatchRow,
                      conflicts: dict[int, int]) -> None:
    """Issue one line in a savepoint of the chunk's transaction (the fallback of a chunk that failed).

    A unique-constraint conflict means another worker got there first: either it issued this very
    line (then we record its credential) or it raced us on something shared, and the line is retried.
    """
    try:
        async with session.begin_nested():
            [result] = await IssuanceService(session, settings).issue_many(
                batch.org_id, [request_of(row.data, batch)], batch_id=batch.id, batch_lines=[row.line])
        if isinstance(result, DomainError):
            raise result
        row.state, row.credential_id = "issued", result
    except IntegrityError:
        existing = (await session.execute(select(IssuedCredential.id).where(
            IssuedCredential.batch_id == batch.id, IssuedCredential.batch_line == row.line))).scalar()
        conflicts[row.line] = conflicts.get(row.line, 0) + 1
        if existing is not None:
            row.state, row.credential_id = "issued", existing
        elif conflicts[row.line] >= CONFLICT_RETRIES:
            row.state, row.errors = "failed", [{"field": "(row)", "message": "Could not be issued (conflict)."}]
    except DomainError as exc:
        row.state, row.errors = "failed", _errors_of(exc)
    except DBAPIError:  # the database itself failed: the line stays pending and is retried
        raise
    except Exception:  # a failed line never stops the rest of the batch
        log.exception("batch %s line %s could not be issued", batch.id, row.line)
        row.state, row.errors = "failed", [{"field": "(row)", "message": "Internal error while issuing."}]
    row.updated_at = utcnow()


def _errors_of(exc: DomainError) -> list[dict[str, str]]:
    if isinstance(exc, InvalidInput) and exc.errors:
        return exc.errors
    return [{"field": exc.field or "(row)", "message": exc.detail}]


async def _finish_if_complete(maker: async_sessionmaker, batch_id: uuid.UUID) -> None:
    async with maker() as session, session.begin():
        pending = (await session.execute(select(BatchRow.id).where(
            BatchRow.batch_id == batch_id, BatchRow.state == "pending").limit(1))).first()
        if pending is None:
            finished = await session.execute(update(IssuanceBatch).where(
                IssuanceBatch.id == batch_id, IssuanceBatch.state != "done").values(state="done", finished_at=utcnow()))
            if finished.rowcount:  # only the runner that finished it announces it
                batch = await session.get(IssuanceBatch, batch_id)
                await webhook_events.batch_finished(session, batch.org_id, batch_id,
                                                    await BatchService(session).counts(batch_id))


async def unfinished_batches(engine: AsyncEngine) -> list[uuid.UUID]:
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        rows = await session.execute(select(IssuanceBatch.id).where(IssuanceBatch.state != "done")
                                     .order_by(IssuanceBatch.created_at))
        return list(rows.scalars())


@runtime_checkable
class BatchRunner(Protocol):
    async def start(self) -> None: ...
    async def submit(self, batch_id: uuid.UUID) -> None: ...
    async def stop(self) -> None: ...


class InlineRunner:
    """Runs jobs as asyncio tasks of this process (SQLite); one task per batch."""

    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.tasks: dict[uuid.UUID, asyncio.Task] = {}

    async def start(self) -> None:
        for batch_id in await unfinished_batches(self.engine):
            await self.submit(batch_id)

    async def submit(self, batch_id: uuid.UUID) -> None:
        task = self.tasks.get(batch_id)
        if task is not None and not task.done():
            return
        self.tasks[batch_id] = asyncio.create_task(self._run(batch_id), name=f"batch-{batch_id}")

    async def _run(self, batch_id: uuid.UUID) -> None:
        for attempt in range(1, RETRIES + 1):
            try:
                await run_batch(self.engine, self.settings, batch_id)
                return
            except Exception:
                log.exception("batch %s stopped (attempt %s of %s)", batch_id, attempt, RETRIES)
                await asyncio.sleep(attempt)
        log.error("batch %s left unfinished; it resumes on the next start", batch_id)

    async def stop(self) -> None:
        tasks = [t for t in self.tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.tasks.clear()

    async def wait(self) -> None:
        """Wait for the running jobs (tests, CLI)."""
        await asyncio.gather(*[t for t in self.tasks.values() if not t.done()], return_exceptions=True)


def psycopg_url(settings: Settings) -> str:
    return settings.async_database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def _ensure_schema(url: str) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{SAQ_SCHEMA}"')


async def make_queue(settings: Settings, name: str = SAQ_QUEUE) -> Any:
    """SAQ's PostgreSQL queue; its tables live in their own schema, out of the app's migrations."""
    from psycopg_pool import AsyncConnectionPool
    from saq.queue.postgres import PostgresQueue

    url = psycopg_url(settings)
    await _ensure_schema(url)
    pool = AsyncConnectionPool(url, open=False, min_size=1, max_size=4, check=AsyncConnectionPool.check_connection,
                               kwargs={"autocommit": True, "options": f"-c search_path={SAQ_SCHEMA}"})
    return PostgresQueue(pool=pool, name=name, manage_pool_lifecycle=True)


async def run_batch_job(ctx: dict[str, Any], *, batch_id: str) -> int:
    """The SAQ job: run the batch with the worker's engine and settings, beating the job's heartbeat."""
    return await run_batch(ctx["engine"], ctx["settings"], uuid.UUID(batch_id), alive=heartbeat_of(ctx.get("job")))


def heartbeat_of(job: Any) -> Callable[[], Awaitable[None]]:
    """Touch the SAQ job (``touched`` = now) when a quarter of its heartbeat has passed since the last touch."""
    last = time.monotonic()

    async def beat() -> None:
        nonlocal last
        if job is None or not job.heartbeat or time.monotonic() - last < job.heartbeat / 4:
            return
        last = time.monotonic()
        await job.update()

    return beat


def make_worker(queue: Any, engine: AsyncEngine, settings: Settings, *, concurrency: int = 2,
                handle_signals: bool = False, sweep_seconds: int = SWEEP_SECONDS) -> Any:
    from saq import Worker

    async def startup(ctx: dict[str, Any]) -> None:
        ctx["engine"], ctx["settings"] = engine, settings

    worker = Worker(queue, functions=[(JOB_NAME, run_batch_job)], concurrency=concurrency, startup=startup,
                    timers={"sweep": sweep_seconds})
    if not handle_signals:  # inside the web app the server owns SIGINT/SIGTERM
        worker.SIGNALS = []
    return worker


async def enqueue(queue: Any, batch_id: uuid.UUID, jobs: int = JOBS_PER_BATCH,
                  heartbeat: int = HEARTBEAT_SECONDS) -> None:
    """Several jobs per batch, so that every worker process can take part (each claims its own chunks).

    No fixed job key: a duplicate job is harmless (lines are claimed), a lost one is not. No timeout (a
    batch may take minutes), but a heartbeat: without one SAQ never takes a killed worker's job for stuck."""
    for _ in range(jobs):
        await queue.enqueue(JOB_NAME, batch_id=str(batch_id), timeout=0, heartbeat=heartbeat, retries=RETRIES)


class SaqRunner:
    """Dispatches jobs through SAQ on PostgreSQL, with a worker inside this process.

    The queue and the in-process worker start with the first batch to run, so a process that never
    issues batches holds no queue connections."""

    def __init__(self, engine: AsyncEngine, settings: Settings, *, in_process_worker: bool = True) -> None:
        self.engine = engine
        self.settings = settings
        self.in_process_worker = in_process_worker
        self.queue: Any = None
        self.worker: Any = None
        self.worker_task: asyncio.Task | None = None

    async def start(self) -> None:
        for batch_id in await unfinished_batches(self.engine):
            await self.submit(batch_id)

    async def _connect(self) -> None:
        if self.queue is not None:
            return
        queue = await make_queue(self.settings)
        await queue.connect()
        self.queue = queue
        if self.in_process_worker:
            self.worker = make_worker(queue, self.engine, self.settings)
            self.worker_task = asyncio.create_task(self.worker.start(), name="saq-worker")

    async def submit(self, batch_id: uuid.UUID) -> None:
        await self._connect()
        await enqueue(self.queue, batch_id)

    async def stop(self) -> None:
        if self.worker is not None:
            await self.worker.stop()
        if self.worker_task is not None:
            await asyncio.gather(self.worker_task, return_exceptions=True)
        if self.queue is not None:
            await self.queue.disconnect()
        self.queue = self.worker = self.worker_task = None


def make_runner(engine: AsyncEngine, settings: Settings) -> BatchRunner:
    """SAQ on PostgreSQL, in-process tasks on SQLite."""
    return InlineRunner(engine, settings) if settings.is_sqlite else SaqRunner(engine, settings)
