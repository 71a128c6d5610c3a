"""``skillpass credentials ...``: the vc library's commands (keygen, sign, verify) plus the platform's
own: ``worker`` (SAQ batch worker on PostgreSQL), ``resume`` (finish unfinished batches here and now)
and ``rotate-key --org SLUG``."""

from __future__ import annotations

import asyncio

import click

from core.settings import get_settings
from credentials.vc.cli import credentials_group


async def _with_engine(work):
    from core.db import make_engine

    settings = get_settings()
    engine = make_engine(settings)
    try:
        return await work(engine, settings)
    finally:
        await engine.dispose()


@credentials_group.command("worker")
@click.option("--concurrency", default=2, show_default=True, type=int, help="Batches run at once by this worker.")
def worker(concurrency: int) -> None:
    """Run a batch issuance worker (PostgreSQL; several may run, they share the queue)."""
    from credentials.jobs import enqueue, make_queue, make_worker, unfinished_batches

    async def work(engine, settings):
        if settings.is_sqlite:
            raise click.ClickException("With SQLite, batches run inside the web app; workers need PostgreSQL.")
        queue = await make_queue(settings)
        await queue.connect()
        for batch_id in await unfinished_batches(engine):
            await enqueue(queue, batch_id)
        click.echo("credentials worker started (Ctrl-C to stop)")
        await make_worker(queue, engine, settings, concurrency=concurrency, handle_signals=True).start()

    asyncio.run(_with_engine(work))


@credentials_group.command("resume")
def resume() -> None:
    """Finish every unfinished batch in this process (any database), then exit."""
    from credentials.jobs import run_batch, unfinished_batches

    async def work(engine, settings):
        total = 0
        for batch_id in await unfinished_batches(engine):
            total += await run_batch(engine, settings, batch_id)
        return total

    click.echo(f"{asyncio.run(_with_engine(work))} batch line(s) handled")


@credentials_group.command("rotate-key")
@click.option("--org", "slug", required=True, help="Slug of the provider organization.")
def rotate_key(slug: str) -> None:
    """Give a provider's issuer a new signing key (earlier credentials keep verifying)."""
    from accounts.service import AccountService
    from core.db import session_scope
    from credentials.issuers import IssuerService

    async def work(engine, settings):
        async with session_scope(engine) as session:
            org = await AccountService(session).org_by_slug(slug)
            if org is None or org.kind != "provider":
                raise click.ClickException(f"no training provider with slug {slug!r}")
            issuers = IssuerService(session, settings)
            issuer = await issuers.for_org(org.id)
            key = await issuers.rotate_key(issuer)
            return issuer.did, key.public_multibase

    did, public = asyncio.run(_with_engine(work))
    click.echo(f"{slug}: new key {public}; issuer DID {did}")


__all__ = ["credentials_group"]
