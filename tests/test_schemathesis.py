"""Schemathesis against the app's own OpenAPI document: generated requests to every operation,
anonymous, with a signed-in session (the admin of a provider and an employer organization, whose ids
fill ``org_id``), as a platform administrator (admin routes) and with the provider's API key (the
routes that take one). Every response must be no server error and conform to the document (status
code, content type, headers, body schema).

Bounded: ``SKILLPASS_FUZZ_EXAMPLES`` examples per operation and caller (default 8), no shrinking.
The app runs in the test loop; hypothesis runs in a worker thread and hands each request to the loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from accounts.models import Person
from tests.conftest import create_api_key, create_org, csrf_headers, sign_up

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("SKILLPASS_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# a signed-in fuzz run must keep its session: these would end it or sign in someone else
KEEPS_SESSION_OUT = {("POST", "/api/v1/auth/signout"), ("POST", "/api/v1/auth/signin"),
                     ("POST", "/api/v1/auth/signup")}


def _access_by_operation(app) -> dict[tuple[str, str], str]:
    found = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                for method in handler.http_methods:
                    found[(method, route.path_format)] = str(handler.opt.get("access", "public"))
    return found


def _file_part(part):
    """A multipart part as httpx takes it: generated form values may be numbers or objects."""
    if isinstance(part, tuple):
        filename, content, *rest = part
        return (filename, _file_part(content), *rest)
    return part if isinstance(part, (bytes, str)) else json.dumps(part)


def _httpx_kwargs(case) -> dict:
    """The request schemathesis built (requests-style keyword arguments) as httpx keyword arguments."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver.local")
    out = {key: kwargs[key] for key in ("method", "url", "headers", "params") if kwargs.get(key) is not None}
    if "json" in kwargs:
        out["json"] = kwargs["json"]
    data = kwargs.get("data")
    if isinstance(data, (bytes, str)):
        out["content"] = data
    elif data is not None:
        out["data"] = data
    if kwargs.get("files"):
        out["files"] = [(name, _file_part(part)) for name, part in kwargs["files"]]
    if kwargs.get("cookies"):
        out["cookies"] = kwargs["cookies"]
    return out


def _fuzz(schema, loop, client: AsyncTestClient, selected, *, headers: dict[str, str],
          cookies: dict[str, str], org_ids: dict[str, str]) -> tuple[list[str], dict[str, int]]:
    """Run every selected operation: one failure message per failing operation, and counts of what was
    sent (requests, operations, answers below 400 from operations that need a caller)."""
    failures: list[str] = []
    counts = {"requests": 0, "operations": 0, "allowed": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        access = selected(operation.method.upper(), operation.path)
        if access is None:
            continue
        kind = access.split(":")[0].replace("any", "provider")
        own_org = kind in org_ids and "{org_id}" in operation.path
        path_parameters = {"org_id": org_ids[kind]} if own_org else None
        found: list[str] = []
        counts["operations"] += 1

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(path_parameters=path_parameters))
        def run(case) -> None:
            if found:
                return
            kwargs = _httpx_kwargs(case)
            kwargs["headers"] = {**kwargs.get("headers", {}), **headers}
            kwargs["cookies"] = {**kwargs.get("cookies", {}), **cookies}
            client.cookies.clear()  # each case sends exactly the caller's cookies
            response = asyncio.run_coroutine_threadsafe(client.request(**kwargs), loop).result(timeout=60)
            counts["requests"] += 1
            counts["allowed"] += access != "public" and response.status_code < 400
            response.request.read()  # a multipart body is a stream; schemathesis reads the request it reports
            try:
                case.validate_response(response, checks=CHECKS)
            except (FailureGroup, Exception) as exc:  # noqa: BLE001 - collected, reported together below
                found.append(f"{operation.method.upper()} {operation.path}: {exc}"[:2000])

        run()
        failures.extend(found)
    return failures, counts


async def _run(app, db, mode: str) -> tuple[list[str], dict[str, int], float]:
    async with AsyncTestClient(app=app) as client:
        spec = (await client.get("/schema/openapi.json")).json()
        schema = schemathesis.openapi.from_dict(spec)
        access = _access_by_operation(app)
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        org_ids: dict[str, str] = {}
        if mode != "anonymous":
            person = await sign_up(client, f"fuzz-{uuid.uuid4().hex[:8]}@example.com")
            if mode == "admin":
                await db.execute(update(Person).where(Person.id == uuid.UUID(person["id"]))
                                 .values(is_admin=True))
                await db.commit()
            provider = await create_org(client, "provider", f"fuzz-provider-{uuid.uuid4().hex[:6]}")
            employer = await create_org(client, "employer", f"fuzz-employer-{uuid.uuid4().hex[:6]}")
            org_ids = {"provider": provider["id"], "employer": employer["id"]}
            key = await create_api_key(client, provider["id"])
            if mode in ("session", "admin"):
                headers = await csrf_headers(client)
                cookies = dict(client.cookies)
            else:
                headers = {"X-API-Key": key}

        def selected(method: str, path: str) -> str | None:
            label = access.get((method, path))
            if label is None:
                return None
            if mode in ("session", "admin") and (method, path) in KEEPS_SESSION_OUT:
                return None
            if mode == "admin" and label != "admin":
                return None
            if mode == "api_key" and not label.endswith("+apikey"):
                return None
            return label

        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        failures, counts = await asyncio.to_thread(_fuzz, schema, loop, client, selected, headers=headers,
                                                 cookies=cookies, org_ids=org_ids)
        return failures, counts, time.perf_counter() - started


@pytest.mark.parametrize("mode", ["anonymous", "session", "admin", "api_key"])
async def test_every_operation_answers_as_documented_and_never_5xx(app, db, mode: str) -> None:
    failures, counts, seconds = await _run(app, db, mode)
    print(f"schemathesis {mode}: {counts['requests']} requests to {counts['operations']} operations in "
          f"{seconds:.1f} s ({counts['allowed']} let through a guard), {len(failures)} failing operations")
    assert counts["requests"] >= counts["operations"] > 0
    if mode != "anonymous":  # the caller's credentials were really used
        assert counts["allowed"] > counts["operations"] // 2, counts
    assert not failures, "\n\n".join(failures)


# What the runs above found, each pinned by its own case.

async def test_a_wallet_upload_without_a_file_field_is_a_422_problem(client) -> None:
    await sign_up(client, "upload-no-file@example.com")
    response = await client.post("/api/v1/me/credentials/upload", headers=await csrf_headers(client),
                                 files={"other": (None, '{"g": 1}')})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "data"
