"""``skillpass trust ...``: import DCC registries and signed trust lists, refresh them from their
sources, list them, and write the platform's own signed trusted-issuer list."""

from __future__ import annotations

import asyncio
import json

import click

from core.errors import DomainError
from core.settings import get_settings


class RegistryProblem(click.ClickException):
    """A registry file or option that cannot be used: exit code 2, and nothing was changed."""

    exit_code = 2


async def _registry_dids(session) -> set[str]:
    from sqlalchemy import select

    from credentials.trust.models import TrustRegistryEntry

    return set((await session.execute(select(TrustRegistryEntry.did))).scalars())


def _run(work, *, retrust: bool = False):
    """Run ``work(service)`` in one transaction: committed on success, rolled back on any error.

    With ``retrust`` (the commands that change registries), held credentials signed by any DID that was
    or now is listed are judged again in the same transaction, and their holders' profiles follow.
    """
    from core.db import make_engine, session_scope
    from credentials.trust.service import TrustService
    from credentials.wallet import retrust as retrust_held

    async def main():
        settings = get_settings()
        engine = make_engine(settings)
        try:
            async with session_scope(engine) as session:
                before = await _registry_dids(session) if retrust else set()
                result = await work(TrustService(session, settings))
                if retrust:
                    await retrust_held(session, settings, before | await _registry_dids(session))
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except DomainError as exc:
        raise RegistryProblem(f"{exc.field or 'input'}: {exc.detail}" if exc.field and exc.field not in exc.detail
                              else exc.detail) from None


def _summary(registry) -> str:
    until = f", valid until {registry.valid_until:%Y-%m-%d}" if registry.valid_until else ""
    return f"{registry.name} ({registry.kind}): {registry.entry_count} issuer(s){until}"


@click.group("trust")
def trust_group() -> None:
    """Trust registries: which issuers are trusted (never fetched while serving requests)."""


@trust_group.command("import-dcc")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--name", required=True, help="Name of the registry (shown in verification results).")
def import_dcc(file: str, name: str) -> None:
    """Import (or replace) a registry in the DCC legacy format (registry.json)."""
    click.echo(_summary(_run(lambda trust: trust.import_dcc(name, file), retrust=True)))


@trust_group.command("import-list")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--name", required=True, help="Name of the registry (shown in verification results).")
@click.option("--pin", "pinned", required=True, help="DID or verification method id of the list's operator.")
def import_list(file: str, name: str, pinned: str) -> None:
    """Import (or replace) a signed trust list (TrustedIssuerList) signed by the pinned operator."""
    click.echo(_summary(_run(lambda trust: trust.import_trust_list(name, file, pinned), retrust=True)))


@trust_group.command("refresh")
@click.option("--name", default=None, help="Only this registry (default: every registry).")
def refresh(name: str | None) -> None:
    """Re-read registries from their recorded sources (URLs only with SKILLPASS_TRUST_REGISTRY_FETCH=true)."""
    for registry in _run(lambda trust: trust.refresh(name), retrust=True):
        click.echo(_summary(registry))


@trust_group.command("list")
def list_registries() -> None:
    """Show the imported registries."""
    registries = _run(lambda trust: trust.registries())
    if not registries:
        click.echo("no trust registries imported")
    for registry in registries:
        click.echo(f"{_summary(registry)}; source {registry.source}"
                   + (f"; pinned {registry.pinned}" if registry.pinned else ""))


@trust_group.command("publish")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the list to this file (default: print it).")
def publish(out: str | None) -> None:
    """Write the platform's signed list of its verified organisations (as served at the well-known URL)."""
    text = json.dumps(_run(lambda trust: trust.published_list()), indent=2, ensure_ascii=False)
    if out is None:
        click.echo(text)
        return
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    click.echo(f"trust list written to {out}")


__all__ = ["trust_group"]
