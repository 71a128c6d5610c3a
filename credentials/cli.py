"""``skillpass credentials ...``: the vc library's commands (keygen, sign, verify) plus the platform's
own: ``worker`` (SAQ batch worker on PostgreSQL), ``resume`` (finish unfinished batches here and now)
and ``rotate-key --org SLUG``."""

from __future__ import annotations

import asyncio

import click

from core.settings import get_settings
from credentials.vc.cli import credentials_group, verify_options


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
        if "base_url" not in settings.model_fields_set:
            click.echo(f"warning: SKILLPASS_BASE_URL is not set, so the credentials this worker issues name "
                       f"{settings.base_url}; set it to the server's public URL (skillpass serve follows its "
                       f"own --host/--port, a worker cannot know them)", err=True)
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


def _trust_entries(path: str, pin: str | None, resolver) -> list:
    """Trust entries of a registry file given on the command line: DCC legacy or a signed trust list."""
    from pathlib import Path

    from core.errors import DomainError
    from credentials.trust.dcc import parse_dcc
    from credentials.trust.trustlist import TYPE, read_trust_list
    from credentials.vc.cli import InputProblem, _read_json

    document = _read_json(path, "trust list")
    try:
        if isinstance(document, dict) and isinstance(document.get("registry"), dict):
            return parse_dcc(document, Path(path).name)
        if isinstance(document, dict) and TYPE in (document.get("type") or []):
            if not pin:
                raise InputProblem("--pin DID_OR_VM is required with a signed trust list (whose list do you trust?)")
            return read_trust_list(document, pin, resolver=resolver)
    except DomainError as exc:
        raise InputProblem(f"trust list {path}: {exc.detail}") from None
    raise InputProblem(f"trust list {path}: neither a DCC registry (\"registry\") nor a {TYPE} credential")


def _embedded_credentials(document: object) -> tuple[bool, list[dict]]:
    """(is a presentation, the credentials to judge): a credential, a VC-JWT, or a presentation's credentials."""
    from credentials.vc.errors import VcError
    from credentials.vc.jwt import looks_like_jwt, parse_jwt

    def as_credential(value: object) -> dict | None:
        if isinstance(value, str) and looks_like_jwt(value.strip()):
            try:
                value = parse_jwt(value.strip())[1]
            except VcError:
                return None
        if isinstance(value, dict) and isinstance(value.get("vp"), dict):
            return None
        return value if isinstance(value, dict) else None

    if isinstance(document, str) and looks_like_jwt(document.strip()):
        try:
            document = parse_jwt(document.strip())[1]
        except VcError:
            return False, []
        document = document.get("vp", document) if isinstance(document, dict) else document
    if isinstance(document, dict) and ("VerifiablePresentation" in (document.get("type") or [])):
        items = document.get("verifiableCredential") or []
        items = items if isinstance(items, list) else [items]
        return True, [c for c in map(as_credential, items) if c is not None]
    found = as_credential(document)
    return False, [found] if found is not None else []


def _trust_output(data: bytes, entries: list | None) -> dict | list:
    """The ``trust`` object of the verify output (a list, one per credential, for a presentation)."""
    import json

    from credentials.trust.evaluate import evaluate, issuer_of, kind_of, reason

    try:
        document: object = json.loads(data)
    except ValueError:
        document = data.decode("utf-8", errors="replace")
    presentation, credentials = _embedded_credentials(document)
    verdicts = []
    for credential in credentials:
        trust = evaluate(*issuer_of(credential), entries or [], kind_of(credential)).to_dict()
        if entries is None:
            trust["reasons"] = [reason("no_trust_list", "No trust list was given (--trust-list): the issuer is "
                                       "not checked against any registry.",
                                       "信頼リストが指定されていないため、発行者は確認していません")]
        verdicts.append(trust)
    return verdicts if presentation else (verdicts[0] if verdicts else
                                          {"status": "untrusted", "issuer": {"id": None, "name": None},
                                           "registry": None, "reasons": [reason(
                                               "issuer_unknown", "No credential to judge.",
                                               "判定できる証明書がありません")]})


@click.command("verify")
@verify_options
@click.option("--trust-list", "trust_path", help="judge the issuer against this registry file (DCC legacy "
              "registry.json or a signed TrustedIssuerList).")
@click.option("--pin", help="operator DID or verification method id of a signed --trust-list.")
def verify_with_trust(in_path: str, documents_path: str | None, at: str | None, challenge: str | None,
                      domain: str | None, strict_schema: bool, network: bool, trust_path: str | None,
                      pin: str | None) -> None:
    """Verify a credential, presentation or VC-JWT; print one JSON object with a "trust" verdict.

    Exit status: 0 verified, 1 not verified, 2 unreadable input / bad options (trust does not change it).
    """
    import json
    import sys

    from credentials.vc.cli import verify_input
    from credentials.vc.verifier import verify

    data, resolver = verify_input(in_path, documents_path, network)
    entries = _trust_entries(trust_path, pin, resolver) if trust_path else None
    result = verify(data, at=at, resolver=resolver, challenge=challenge, domain=domain, strict_schema=strict_schema)
    out = result.to_dict()
    click.echo(json.dumps({"verified": out["verified"], "checks": out["checks"], "errors": out["errors"],
                           "warnings": out["warnings"], "kind": out["kind"],
                           "trust": _trust_output(data, entries)}, indent=2, ensure_ascii=False))
    sys.exit(0 if result.verified else 1)


# Replaces the vc library's verify: same options and output, plus the trust verdict.
credentials_group.add_command(verify_with_trust, "verify")

__all__ = ["credentials_group"]
