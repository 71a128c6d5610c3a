"""Shared fixtures: one database per run (SQLite file or PostgreSQL, from SKILLPASS_TEST_DB), migrated
with Alembic, emptied before each test; the app built from explicit test settings."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import skillpass.models  # noqa: F401 - registers every domain's tables (core.db imports no domain)
from core.db import make_engine, metadatas
from core.settings import Settings

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
TEST_PASSWORD = "correct-horse-battery"


def _test_database_url() -> str:
    chosen = os.environ.get("SKILLPASS_TEST_DB", "sqlite")
    if chosen == "sqlite":
        folder = tempfile.mkdtemp(prefix="skillpass-test-")
        return f"sqlite+aiosqlite:///{folder}/test.db"
    return chosen


@pytest.fixture(scope="session")
def database_url() -> str:
    url = _test_database_url()
    if url.startswith("postgresql"):
        import asyncio

        async def reset() -> None:
            engine = make_engine(Settings(database_url=url))
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await engine.dispose()

        asyncio.run(reset())
    from skillpass.migrate import upgrade

    upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory) -> Settings:
    return Settings(
        environment="test", database_url=database_url, secret_key="test-secret-key-0123456789",
        master_key="test-master-key-0123456789", base_url="http://testserver.local",
        log_level="WARNING", warm_models=False, database_pool=False, data_dir=tmp_path_factory.mktemp("data"),
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings):
    engine = make_engine(settings)
    yield engine
    await engine.dispose()


def _tables_in_delete_order() -> list:
    tables = []
    for metadata in metadatas():
        tables.extend(metadata.sorted_tables)
    return list(reversed(tables))


@pytest.fixture(scope="session")
async def migrated_tables(engine) -> list:
    """The model tables the migrations created (tests/test_migrations.py checks they are all there)."""
    from sqlalchemy import inspect

    async with engine.connect() as conn:
        existing = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
    return [table for table in _tables_in_delete_order() if table.name in existing]


@pytest.fixture(autouse=True)
async def clean_database(engine, migrated_tables) -> None:
    """Empty every table before each test (faster than re-migrating)."""
    async with engine.begin() as conn:
        for table in migrated_tables:
            await conn.execute(table.delete())


@pytest.fixture
async def db(engine) -> AsyncIterator[AsyncSession]:
    """A session for arranging data and checking what the app stored (commit to make it visible)."""
    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as session:
        yield session


@pytest.fixture(scope="session")
def app(settings: Settings):
    from skillpass.app import create_app

    return create_app(settings)


@pytest.fixture
async def client(app) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


async def csrf_headers(client: AsyncTestClient) -> dict[str, str]:
    """The header that must echo the session's CSRF token (without a session, start a pre-session)."""
    if not client.cookies.get("skillpass_csrf"):
        await client.get("/api/v1/auth/csrf")
    return {"x-csrftoken": client.cookies.get("skillpass_csrf", "")}


def outbox_files(client: AsyncTestClient) -> set[Path]:
    """The .eml files the app wrote so far (no SMTP host in the test settings)."""
    return set((client.app.state["settings"].data_dir / "outbox").glob("*.eml"))


def confirmation_token(message_bytes: bytes, email: str) -> str:
    """The token of the confirmation link in a received mail addressed to ``email``."""
    import re
    from email import message_from_bytes, policy

    message = message_from_bytes(message_bytes, policy=policy.default)
    assert message["To"] == email, message["To"]
    text = message.get_body(("plain",)).get_content()
    found = re.search(r"https?://\S+/account/confirm\?token=([A-Za-z0-9_-]+)", text)
    assert found, text
    return found.group(1)


def mailed_token(client: AsyncTestClient, email: str, before: set[Path]) -> str:
    """The token of the one confirmation mail to ``email`` written since ``before``."""
    new = [p for p in outbox_files(client) - before if f"To: {email}".encode() in p.read_bytes()]
    assert len(new) == 1, f"expected one new mail to {email}, found {len(new)}"
    return confirmation_token(new[0].read_bytes(), email)


async def confirm_email(client: AsyncTestClient, token: str, password: str = TEST_PASSWORD) -> dict:
    """Confirm with the mailed token and the password chosen at sign-up (``sign_up`` uses TEST_PASSWORD)."""
    response = await client.post("/api/v1/auth/confirm", headers=await csrf_headers(client),
                                 json={"token": token, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


async def sign_up(client: AsyncTestClient, email: str, name: str = "Test Person", lang: str = "en", *,
                  confirm: bool = True) -> dict:
    """Sign up through the API as a person would: with ``confirm``, follow the link of the mailed .eml;
    then sign in with the password (sign-up itself signs nobody in). Returns the person as
    ``/api/v1/auth/me`` shows it; with ``confirm=False`` the client is signed in, unconfirmed."""
    before = outbox_files(client)
    response = await client.post("/api/v1/auth/signup", headers=await csrf_headers(client),
                                 json={"email": email, "password": TEST_PASSWORD, "display_name": name, "lang": lang,
                                       "accept_terms": True})
    assert response.status_code == 202, response.text
    if confirm:
        await confirm_email(client, mailed_token(client, email.strip().lower(), before))
    signed_in = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                  json={"email": email, "password": TEST_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    me = await client.get("/api/v1/auth/me")
    assert me.status_code == 200, me.text
    return me.json()["person"]


async def create_org(client: AsyncTestClient, kind: str, slug: str) -> dict:
    response = await client.post("/api/v1/orgs", headers=await csrf_headers(client),
                                 json={"kind": kind, "slug": slug, "name_ja": f"{slug} 株式会社", "name_en": slug})
    assert response.status_code == 201, response.text
    return response.json()


async def create_api_key(client: AsyncTestClient, org_id: str, name: str = "ci") -> str:
    response = await client.post(f"/api/v1/orgs/{org_id}/api-keys", headers=await csrf_headers(client),
                                 json={"name": name})
    assert response.status_code == 201, response.text
    return response.json()["key"]


VERIFY_ADMIN_EMAIL = "platform-admin@skillpass.test"


async def verify_org_through_app(client: AsyncTestClient, org_id) -> None:
    """``verify_org`` on the app's own database engine (for helpers that only hold a test client)."""
    from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin

    engine = client.app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await verify_org(session, org_id)


async def verify_org(db: AsyncSession, org_id) -> None:
    """Make an organization ``verified`` the way an operator does (request, then a platform admin
    approves), and commit: a provider's credentials are trusted from here on."""
    import uuid

    from accounts.service import AccountService
    from accounts.verification import OrgVerificationService

    org_id = org_id if isinstance(org_id, uuid.UUID) else uuid.UUID(str(org_id))
    accounts = AccountService(db)
    admin = await accounts.person_by_email(VERIFY_ADMIN_EMAIL) or await accounts.sign_up(
        VERIFY_ADMIN_EMAIL, TEST_PASSWORD, "Platform Admin", "en", is_admin=True)
    service = OrgVerificationService(db)
    org = await accounts.get_org(org_id)
    if org.verification_state == "unverified":
        await service.request(org_id, admin.id, "7000012050002", f"{org.slug}.example.jp")
    if org.verification_state == "pending":
        await service.approve(org_id, admin.id, "verified by the test helper")
    elif org.verification_state == "suspended":
        await service.reinstate(org_id, admin.id, "reinstated by the test helper")
    await db.commit()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is not beside the project")
    return SHARED
