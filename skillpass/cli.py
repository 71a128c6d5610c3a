"""The ``skillpass`` command line: serve, migrate, demo data, admin users, and each domain's commands."""

from __future__ import annotations

import asyncio
import getpass
import importlib
import sys

import click

from core.settings import get_settings

# Each domain's command group, imported only when its command runs (or help lists it), so that
# ``skillpass records map`` does not start by importing credentials, trust and matching. The vc
# library's ``credentials`` commands are merged into the platform's group of that name by ``credentials.cli``.
DOMAIN_GROUPS = {"taxonomy": ("taxonomies.dss.cli", "taxonomy_group"),
                 "credentials": ("credentials.cli", "credentials_group"),
                 "trust": ("credentials.trust.cli", "trust_group"),
                 "records": ("skills.cli", "records_group"),
                 "match": ("matching.cli", "match_group")}


class DomainGroups(click.Group):
    """The top-level group: its own commands, and each domain's group loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *DOMAIN_GROUPS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in DOMAIN_GROUPS and name not in self.commands:
            module, attribute = DOMAIN_GROUPS[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


# Commands that write domain data run with the domains connected (see skillpass.wiring).
CONNECTED_COMMANDS = {"demo", "users", "credentials", "trust"}


@click.group(cls=DomainGroups, help="skillpass: Digital Skill Standard credentials and matching.")
@click.pass_context
def main(ctx: click.Context) -> None:
    if ctx.invoked_subcommand in CONNECTED_COMMANDS:
        from skillpass.wiring import connect_domains

        connect_domains(get_settings())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app with uvicorn; links follow --host/--port unless SKILLPASS_BASE_URL is set."""
    from skillpass import serving

    serving.serve(host, port, workers)


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the database named by DATABASE_URL (default: the SQLite file under var/)."""
    from skillpass.migrate import upgrade

    settings = get_settings()
    if settings.is_sqlite:
        _ensure_sqlite_dir(settings.async_database_url)
    upgrade(settings.async_database_url, revision)
    click.echo(f"database at {revision}")


@db.command("revision")
@click.argument("message")
def db_revision(message: str) -> None:
    """Autogenerate a migration from the models (review it before committing)."""
    from skillpass.migrate import autogenerate

    autogenerate(get_settings().async_database_url, message)


def _ensure_sqlite_dir(url: str) -> None:
    from pathlib import Path

    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def _with_session(work):
    from core.db import make_engine, session_scope

    engine = make_engine(get_settings())
    try:
        async with session_scope(engine) as session:
            return await work(session)
    finally:
        await engine.dispose()


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
def demo_load() -> None:
    """Load demo learners, an employer and two training providers (idempotent)."""
    from skillpass.demo import DEMO_PASSWORD, load_demo

    counts = asyncio.run(_with_session(load_demo))
    click.echo(f"demo data ready: {counts['people']} people, {counts['organizations']} organizations "
               f"({counts['created']} created). Password for every demo account: {DEMO_PASSWORD}")


@main.group()
def users() -> None:
    """People and administrators."""


@users.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Administrator", show_default=True)
@click.option("--password", envvar="SKILLPASS_ADMIN_PASSWORD", default=None,
              help="For a new account: read from SKILLPASS_ADMIN_PASSWORD or asked for when omitted.")
@click.option("--promote", is_flag=True, help="Make an existing account an administrator.")
@click.option("--confirm", "vouch", is_flag=True, help="With --promote: confirm an unconfirmed address (you vouch for it).")
def create_admin(email: str, name: str, password: str | None, promote: bool, vouch: bool) -> None:
    """Create a platform administrator, or promote an existing account with --promote."""
    from accounts.service import AccountService
    from core.errors import DomainError

    async def work(session):
        person, outcome = await AccountService(session).make_admin(
            email, lambda: password or getpass.getpass("Password: "), name, promote=promote, vouch=vouch)
        return person.email, person.display_name, outcome

    try:
        address, display_name, outcome = asyncio.run(_with_session(work))
    except DomainError as exc:
        raise click.ClickException(f"{exc.field or 'input'}: {exc.detail}") from exc
    said = {"created": "administrator created", "promoted": "promoted to administrator",
            "unchanged": "already an administrator"}[outcome]
    click.echo(f"{said}: {address} ({display_name})")


@users.command("export")
@click.argument("email")
def users_export(email: str) -> None:
    """Print everything the platform holds about the account EMAIL as JSON (as GET /api/v1/me/export)."""
    import json

    from accounts import erasure

    async def work(session):
        return await erasure.export_person(session, await erasure.person_id_of(session, email))

    click.echo(json.dumps(_run_domain(work), ensure_ascii=False, indent=2, default=str))


@users.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Confirm: the account and everything about the person is deleted.")
def users_delete(email: str, yes: bool) -> None:
    """Delete the account EMAIL and everything about the person (as DELETE /api/v1/me); refused while
    they are the only admin of an organisation."""
    from accounts import erasure

    if not yes:
        raise click.UsageError("Deleting an account cannot be undone: add --yes to confirm.")

    async def work(session):
        await erasure.delete_person(session, await erasure.person_id_of(session, email))

    _run_domain(work)
    click.echo(f"deleted: {email}")


def _run_domain(work):
    """Run ``work`` in one transaction; a domain error becomes a one-line message and exit status 1."""
    from core.errors import DomainError

    try:
        return asyncio.run(_with_session(work))
    except DomainError as exc:
        raise click.ClickException(f"{exc.field or 'input'}: {exc.detail}") from exc


if __name__ == "__main__":
    sys.exit(main())
