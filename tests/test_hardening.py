"""Hardening (issue 11): sessions only when something is stored, no cookies for API keys, the key's
last_used_at off the request transaction, security headers, depth-limited JSON, /health during a
database outage, and start-up refusals that do not echo secrets."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from litestar.testing import AsyncTestClient
from pydantic import ValidationError
from sqlalchemy import select, text

from accounts.models import ApiKey
from core.headers import security_headers
from core.jsonlimits import MAX_DEPTH, TooDeep, depth_exceeds, loads
from core.settings import Settings
from tests.conftest import create_api_key, create_org, csrf_headers, sign_up

DEEP = "[" * 1500 + "]" * 1500


async def stored_sessions(settings: Settings, db) -> int:
    if settings.is_sqlite:
        folder = settings.data_dir / "store" / "sessions"
        return len(list(folder.glob("*"))) if folder.exists() else 0
    return (await db.execute(text("SELECT count(*) FROM kv_store WHERE namespace = 'sessions'"))).scalar_one()


async def provider_with_key(client) -> tuple[dict, str]:
    await sign_up(client, "hardening@example.jp")
    org = await create_org(client, "provider", "hardening-provider")
    return org, await create_api_key(client, org["id"])


async def test_anonymous_requests_store_no_session_and_get_no_session_cookie(client, settings, db) -> None:
    before = await stored_sessions(settings, db)
    for path in ("/health", "/", "/dss", "/api/v1/dss/versions", "/no-such-page"):
        response = await client.get(path)
        assert "skillpass_session" not in response.headers.get("set-cookie", ""), path
    assert await stored_sessions(settings, db) == before


async def test_signed_in_session_is_stored_and_deleted_at_sign_out(client, settings, db) -> None:
    before = await stored_sessions(settings, db)
    await sign_up(client, "session@example.jp")
    assert await stored_sessions(settings, db) == before + 1
    assert (await client.get("/api/v1/me")).status_code == 200
    signed_out = await client.post("/api/v1/auth/signout", headers=await csrf_headers(client))
    assert signed_out.status_code == 200
    assert await stored_sessions(settings, db) == before
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_api_key_requests_get_no_cookies_and_a_cookie_keeping_client_is_not_refused(client, app) -> None:
    org, key = await provider_with_key(client)
    async with AsyncTestClient(app=app) as script:  # a client that keeps whatever cookies it is sent
        for _ in range(2):
            read = await script.get(f"/api/v1/orgs/{org['id']}", headers={"x-api-key": key})
            assert read.status_code == 200 and "set-cookie" not in read.headers
            made = await script.post(f"/api/v1/orgs/{org['id']}/achievements", headers={"authorization": f"Bearer {key}"},
                                     json={"name_ja": "バッジ", "name_en": "Badge", "description_ja": "説明",
                                           "description_en": "About", "criteria_ja": "基準", "criteria_en": "Criteria",
                                           "alignments": [{"skill_id": "v2-data-engineering", "level": "b"}]})
            assert made.status_code == 201, made.text
            assert "set-cookie" not in made.headers
        assert not script.cookies


async def test_last_used_at_is_written_after_the_request_at_most_once_per_interval(client, db) -> None:
    org, key = await provider_with_key(client)
    client.cookies.clear()
    assert (await client.get(f"/api/v1/orgs/{org['id']}", headers={"x-api-key": key})).status_code == 200
    first = (await db.execute(select(ApiKey.last_used_at))).scalar_one()
    assert first is not None
    await db.rollback()
    assert (await client.get(f"/api/v1/orgs/{org['id']}", headers={"x-api-key": key})).status_code == 200
    assert (await db.execute(select(ApiKey.last_used_at))).scalar_one() == first


async def test_an_api_key_request_does_not_wait_for_a_lock_on_its_key(client, engine, settings) -> None:
    """Another transaction holding the key row (PostgreSQL) or the write lock (SQLite) used to hang the
    request on ``UPDATE api_key SET last_used_at`` (or give 500 database is locked)."""
    org, key = await provider_with_key(client)
    client.cookies.clear()
    async with engine.connect() as holder:
        if settings.is_sqlite:
            await holder.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            await holder.execute(text("SELECT id FROM api_key FOR UPDATE"))
        response = await asyncio.wait_for(client.get(f"/api/v1/orgs/{org['id']}", headers={"x-api-key": key}), 15)
        assert response.status_code == 200, response.text
        await holder.rollback()


async def test_security_headers_on_pages_api_errors_and_share_links(client) -> None:
    for path in ("/", "/api/v1/dss/versions", "/no-such-page", "/api/v1/orgs"):
        headers = (await client.get(path)).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in \
            policy.split("script-src")[1].split(";")[0], path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in headers  # the test base URL is http
    share = await client.get("/s/" + "x" * 32)
    assert share.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" in {k.lower() for k in security_headers("/", https=True)}


def test_cookies_are_secure_outside_development_and_test() -> None:
    strong = {"secret_key": "s" * 32, "master_key": "m" * 32, "smtp_host": "127.0.0.1"}
    assert Settings(environment="production", base_url="http://behind-a-proxy", **strong).secure_cookies
    assert not Settings(environment="development", base_url="http://127.0.0.1:8000").secure_cookies
    assert Settings(environment="development", base_url="https://skillpass.example").secure_cookies


def test_refusing_a_weak_secret_does_not_print_it() -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", secret_key="hunter2-weak", master_key="another-weak-one-123456",
                 smtp_host="127.0.0.1")
    message = str(refused.value)
    assert "SKILLPASS_SECRET_KEY" in message
    assert "hunter2" not in message and "another-weak" not in message


def test_depth_check_ignores_brackets_in_strings() -> None:
    assert not depth_exceeds('{"a": "' + "[" * 500 + '"}')
    assert not depth_exceeds("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert depth_exceeds("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert depth_exceeds('["\\"", ' + DEEP + "]")
    with pytest.raises(TooDeep):
        loads(DEEP)


def _fill(path: str, org_id: str) -> str:
    for name, value in (("{org_id:uuid}", org_id), (":uuid}", None), (":str}", None), (":int}", None)):
        while name in path:
            start = path.index("{") if value is None else path.index(name)
            end = path.index("}", start) + 1 if value is None else start + len(name)
            path = path[:start] + (value or ("1" if name == ":int}" else str(uuid.uuid4()) if name == ":uuid}"
                                            else "x")) + path[end:]
    return path


async def test_deeply_nested_json_is_422_naming_the_limit_on_every_write_api_route(client, app) -> None:
    org, _ = await provider_with_key(client)
    headers = {**await csrf_headers(client), "content-type": "application/json"}
    answers = {}
    for route in app.routes:
        for method in sorted(getattr(route, "methods", set()) & {"POST", "PUT", "PATCH"}):
            if not route.path.startswith("/api/"):
                continue
            path = _fill(route.path, org["id"])
            response = await client.request(method, path, headers=headers, content=DEEP)
            answers[f"{method} {route.path}"] = response.status_code
            assert response.status_code == 422, (method, path, response.text)
            assert response.json()["max_depth"] == MAX_DEPTH and str(MAX_DEPTH) in response.json()["detail"]
    assert len(answers) > 20
    shallow = await client.post("/api/v1/verify", headers=headers, content='{"credential": ' + "[" * 50 + "]" * 50 + "}")
    assert shallow.status_code < 500 and "max_depth" not in shallow.text


async def test_health_answers_503_problem_when_the_database_is_down(settings) -> None:
    from skillpass.app import create_app

    closed = settings.model_copy(update={"database_url": "postgresql+asyncpg://postgres@127.0.0.1:9/none"})
    app = create_app(closed)
    app.on_startup.clear()  # the schema check would (rightly) refuse to start on an unreachable database
    async with AsyncTestClient(app=app) as client:
        response = await asyncio.wait_for(client.get("/health"), 30)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 503 and response.json()["title"] == "Service unavailable"


def test_production_needs_an_explicit_base_url() -> None:
    strong = {"secret_key": "s" * 32, "master_key": "m" * 32, "smtp_host": "127.0.0.1"}
    with pytest.raises(ValidationError) as refused:
        Settings(environment="production", **strong)
    assert "SKILLPASS_BASE_URL" in str(refused.value)
    assert Settings(environment="production", base_url="https://skillpass.example", **strong).base_url
    assert Settings(environment="development").base_url == "http://127.0.0.1:8000"
