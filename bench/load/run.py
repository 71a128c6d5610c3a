"""Bounded load burst against a local skillpass server on PostgreSQL (127.0.0.1 only).

    .venv/bin/python bench/load/run.py [--database-url postgresql://postgres@127.0.0.1:5432/skillpass_load]
                                       [--concurrency 200] [--workers 1] [--pool-size 5 --max-overflow 5]

Resets the given database (its name must contain "load", "bench" or "test"), migrates it, starts
``skillpass serve`` on 127.0.0.1, signs up a provider admin and creates an organization, an API key, an
achievement and one credential through the API. Then it sends one burst of ``--concurrency`` requests
at the same moment, mixed: pages (anonymous and signed-in), the API with the key, and replays of the
first issuance with its Idempotency-Key. It prints the error count (anything but the expected status),
the latency median and 95th percentile, and the time until ``/health`` answers 200 after the burst.
Exits 1 when there was an error or recovery took 5 s or more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/skillpass_load"
ADMIN_EMAIL = "load-admin@example.jp"
PASSWORD = "correct-horse-battery"
RECOVERY_BUDGET_S = 5.0
REQUEST_TIMEOUT_S = 60.0
ACHIEVEMENT = {
    "name_ja": "負荷試験バッジ", "name_en": "Load test badge",
    "description_ja": "負荷試験のためのバッジです。", "description_en": "A badge for the load test.",
    "criteria_ja": "負荷試験を完了すること。", "criteria_en": "Complete the load test.",
    "alignments": [{"skill_id": "v2-data-engineering", "level": "b"}],
}


@dataclass
class Outcome:
    kind: str
    status: int
    seconds: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_database(url: str) -> None:
    """Drop and recreate the public schema of a throw-away database, creating the database if needed."""
    import asyncpg

    parts = urlsplit(url.replace("+asyncpg", ""))
    name = parts.path.lstrip("/")
    if not any(word in name for word in ("load", "bench", "test")):
        raise SystemExit(f"refusing to reset database {name!r}: its name must contain load, bench or test")
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the load test runs against a local PostgreSQL server only")

    async def work() -> None:
        admin = await asyncpg.connect(parts._replace(path="/postgres").geturl())
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        conn = await asyncpg.connect(parts.geturl())
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        await conn.close()

    asyncio.run(work())


def server_env(database_url: str, pool_size: int, max_overflow: int, pool_timeout: float,
               data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SKILLPASS_ENVIRONMENT": "development",
            "SKILLPASS_DATA_DIR": str(data_dir),
            "SKILLPASS_WARM_MODELS": "false", "SKILLPASS_LOG_LEVEL": "WARNING",
            "SKILLPASS_DATABASE_POOL_SIZE": str(pool_size), "SKILLPASS_DATABASE_MAX_OVERFLOW": str(max_overflow),
            "SKILLPASS_DATABASE_POOL_TIMEOUT": str(pool_timeout)}


def start_server(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    """Migrate, then serve on 127.0.0.1 (stderr, the JSON request log, goes to ``log_path``)."""
    skillpass = [sys.executable, "-m", "skillpass"]
    subprocess.run([*skillpass, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    log = log_path.open("wb")
    return subprocess.Popen([*skillpass, "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers)], env=env, cwd=ROOT, stdout=log, stderr=log)


async def wait_healthy(base: str, timeout: float) -> float:
    """Seconds until GET /health answers 200 (raises after ``timeout``)."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as client:
        while time.perf_counter() - started < timeout:
            try:
                if (await client.get("/health")).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"/health did not answer 200 within {timeout:.0f} s")


def confirmation_token(outbox: Path, email: str) -> str | None:
    """The token of the confirmation link mailed to ``email`` (development writes mails to .eml files)."""
    for path in sorted(outbox.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == email:
            found = re.search(r"/account/confirm\?token=([A-Za-z0-9_-]+)", message.get_body(("plain",)).get_content())
            if found:
                return found.group(1)
    return None


async def arrange(base: str, data_dir: Path) -> dict:
    """A provider admin (session cookie), its organization, API key, achievement and one issued credential."""
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as admin:
        csrf = {"x-csrftoken": (await admin.get("/api/v1/auth/csrf")).json()["csrf_token"]}  # a pre-session
        signed_up = await admin.post("/api/v1/auth/signup", headers=csrf, json={
            "email": ADMIN_EMAIL, "password": PASSWORD, "display_name": "Load", "lang": "en", "accept_terms": True})
        assert signed_up.status_code == 202, signed_up.text  # sign-up signs nobody in: the link or the password does
        token = confirmation_token(data_dir / "outbox", ADMIN_EMAIL)
        if token is not None:  # organizations are created by people who confirmed their email
            # confirming needs the sign-up password (account pre-hijacking)
            confirmed = await admin.post("/api/v1/auth/confirm", headers=csrf,
                                         json={"token": token, "password": PASSWORD})
            assert confirmed.status_code == 200, confirmed.text
        signed_in = await admin.post("/api/v1/auth/signin", headers=csrf, json={
            "email": ADMIN_EMAIL, "password": PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        csrf = {"x-csrftoken": admin.cookies.get("skillpass_csrf", "")}
        org = await admin.post("/api/v1/orgs", headers=csrf, json={
            "kind": "provider", "slug": "load-provider", "name_ja": "負荷 株式会社", "name_en": "Load"})
        assert org.status_code == 201, org.text
        org = org.json()
        key = (await admin.post(f"/api/v1/orgs/{org['id']}/api-keys", headers=csrf, json={"name": "load"})).json()["key"]
        cookies = dict(admin.cookies)
    base_path = f"/api/v1/orgs/{org['id']}"
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, headers={"x-api-key": key}) as api:
        achievement = await api.post(f"{base_path}/achievements", json=ACHIEVEMENT)
        assert achievement.status_code == 201, achievement.text
        issue_body = {"achievement_id": achievement.json()["id"], "recipient_email": "learner@example.jp"}
        first = await api.post(f"{base_path}/credentials", json=issue_body, headers={"Idempotency-Key": "load-1"})
        assert first.status_code == 201, first.text
    return {"key": key, "base": base_path, "issue": issue_body, "cookies": cookies}


def requests_for(fixture: dict, n: int) -> list[tuple[str, str, str, dict]]:
    """``n`` requests (kind, method, path, httpx options) cycling through the mix."""
    api = {"headers": {"x-api-key": fixture["key"]}}
    replay = {"headers": {"authorization": f"Bearer {fixture['key']}", "Idempotency-Key": "load-1"},
              "json": fixture["issue"]}
    mix = [
        ("page", "GET", "/", {}),
        ("page", "GET", "/dss", {}),
        ("page-signed-in", "GET", "/", {"cookies": fixture["cookies"]}),
        ("health", "GET", "/health", {}),
        ("api-key", "GET", fixture["base"], api),
        ("api-key", "GET", f"{fixture['base']}/achievements", api),
        ("api-key", "GET", f"{fixture['base']}/credentials", api),
        ("replay", "POST", f"{fixture['base']}/credentials", replay),
    ]
    return [mix[i % len(mix)] for i in range(n)]


EXPECTED = {"GET": 200, "POST": 201}


async def burst(base: str, fixture: dict, n: int) -> list[Outcome]:
    """Send ``n`` requests at once, each on its own connection, and time each one."""
    start = asyncio.Event()

    async def one(kind: str, method: str, path: str, options: dict) -> Outcome:
        cookies = options.pop("cookies", None)
        async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, cookies=cookies) as client:
            await start.wait()
            began = time.perf_counter()
            try:
                status = (await client.request(method, path, **options)).status_code
            except httpx.HTTPError:
                status = 0
            return Outcome(kind, status, time.perf_counter() - began)

    tasks = [asyncio.create_task(one(k, m, p, dict(o))) for k, m, p, o in requests_for(fixture, n)]
    await asyncio.sleep(0.2)  # let every client get ready, then release them together
    start.set()
    return await asyncio.gather(*tasks)


def summarize(outcomes: list[Outcome], recovery_s: float) -> dict:
    seconds = sorted(o.seconds for o in outcomes)
    errors = [o for o in outcomes if o.status != EXPECTED["POST" if o.kind == "replay" else "GET"]]
    by_status: dict[str, int] = {}
    for o in errors:
        by_status[f"{o.kind}:{o.status}"] = by_status.get(f"{o.kind}:{o.status}", 0) + 1
    return {"requests": len(outcomes), "errors": len(errors), "errors_by_kind": by_status,
            "median_ms": round(statistics.median(seconds) * 1000, 1),
            "p95_ms": round(seconds[int(0.95 * (len(seconds) - 1))] * 1000, 1),
            "recovery_s": round(recovery_s, 2)}


async def measure(base: str, concurrency: int, data_dir: Path) -> dict:
    """Arrange, burst, and time the recovery; the figures as a dict."""
    fixture = await arrange(base, data_dir)
    outcomes = await burst(base, fixture, concurrency)
    recovery = await wait_healthy(base, timeout=60)
    return summarize(outcomes, recovery)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pool-size", type=int, default=5)
    parser.add_argument("--max-overflow", type=int, default=5)
    parser.add_argument("--pool-timeout", type=float, default=10.0)
    args = parser.parse_args()
    reset_database(args.database_url)
    port = free_port()
    log_path = ROOT / "var" / "bench-load-server.log"
    log_path.parent.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="skillpass-load-"))
    env = server_env(args.database_url, args.pool_size, args.max_overflow, args.pool_timeout, data_dir)
    server = start_server(env, port, args.workers, log_path)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_healthy(base, timeout=60))
        figures = asyncio.run(measure(base, args.concurrency, data_dir))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    figures.update(workers=args.workers, pool_size=args.pool_size, max_overflow=args.max_overflow)
    print(json.dumps(figures, indent=2))
    if figures["errors"] or figures["recovery_s"] >= RECOVERY_BUDGET_S:
        print(f"FAILED: want 0 errors and recovery < {RECOVERY_BUDGET_S:.0f} s (server log: {log_path})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
