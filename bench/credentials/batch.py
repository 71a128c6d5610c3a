"""End-to-end batch issuance throughput through the platform: submit a batch of N lines over the API,
time it until the batch is ``done``, on PostgreSQL (one and two batch workers) and SQLite.

    .venv/bin/python bench/credentials/batch.py [--lines 10000] [--rounds 3] [--databases postgresql sqlite]
        [--workers 1 2] [--signing 1 2] [--database-url postgresql://postgres@127.0.0.1:5432/skillpass_bench_batch]

For each set-up it resets the database (PostgreSQL: the name must contain load, bench or test; SQLite:
a temporary file), starts ``skillpass serve`` on 127.0.0.1 (its in-process batch worker is worker 1)
and, for ``--workers 2`` on PostgreSQL, one ``skillpass credentials worker`` process beside it;
``--signing`` sets ``SKILLPASS_SIGNING_PROCESSES`` (signing processes per job process). Each
round submits a fresh batch (one line goes to the confirmed admin account, so wallet delivery is on
the path) and polls ``GET …/batches/{id}`` until it is done. It prints lines/s per round and their
median, with the CPU milliseconds per line the app's processes used (server, workers, signing pool;
PostgreSQL's not counted: on a shared machine it is the figure other work moves least), and checks that what it timed is real: every line issued, none failed or pending, exactly one
credential per line and every line pointing at its own credential (read from the database), and a
random sample of the credentials verified through ``POST /api/v1/verify``. Exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.load.run import ACHIEVEMENT, free_port, reset_database, server_env, start_server, wait_healthy  # noqa: E402

ADMIN_EMAIL = "batch-admin@example.jp"

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/skillpass_bench_batch"
SAMPLE = 5
TIMEOUT_S = 600


async def run_round(base: str, fixture: dict, lines: int, round_no: int) -> dict:
    """Submit one batch and time it until done; returns the batch id and the figures."""
    recipients = [{"recipient_email": f"r{round_no}-{i}@example.jp", "recipient_name": f"受講者 {i}"}
                  for i in range(lines - 1)] + [{"recipient_email": ADMIN_EMAIL}]
    body = {"achievement_id": fixture["achievement_id"], "format": "ldp", "lang": "ja", "recipients": recipients}
    headers = {"x-api-key": fixture["key"]}
    async with httpx.AsyncClient(base_url=base, timeout=120, headers=headers) as api:
        started = time.perf_counter()
        submitted = await api.post(f"{fixture['base']}/batches", json=body,
                                   headers={"Idempotency-Key": f"bench-{uuid.uuid4()}"})
        assert submitted.status_code == 202, submitted.text
        accepted = time.perf_counter() - started
        batch_id = submitted.json()["id"]
        while True:
            state = (await api.get(f"{fixture['base']}/batches/{batch_id}", params={"limit": 1})).json()
            if state["state"] == "done":
                break
            if time.perf_counter() - started > TIMEOUT_S:
                raise TimeoutError(f"batch not done after {TIMEOUT_S} s: {state}")
            await asyncio.sleep(0.1)
        elapsed = time.perf_counter() - started
    return {"batch_id": batch_id, "seconds": round(elapsed, 2), "submit_s": round(accepted, 2),
            "lines_per_s": round(lines / elapsed, 1), "issued": state["issued"], "failed": state["failed"],
            "pending": state["pending"]}


async def verify_sample(base: str, fixture: dict, batch_id: str, lines: int) -> int:
    """How many of a random sample of the batch's credentials verify through the public API."""
    ok = 0
    async with httpx.AsyncClient(base_url=base, timeout=60, headers={"x-api-key": fixture["key"]}) as api:
        for offset in random.sample(range(lines), SAMPLE):
            page = (await api.get(f"{fixture['base']}/credentials",
                                  params={"batch_id": batch_id, "limit": 1, "offset": offset})).json()
            document = page["items"][0]["credential"]
            result = (await api.post("/api/v1/verify", json=document)).json()
            ok += bool(result.get("verified"))
    return ok


def stored_counts(database_url: str, batch_id: str) -> tuple[int, int, int, int]:
    """(credentials, distinct lines, lines marked issued, distinct credentials those lines point at)."""
    queries = ["SELECT count(*), count(DISTINCT batch_line) FROM issued_credential WHERE batch_id = {p}",
               "SELECT count(*), count(DISTINCT credential_id) FROM batch_row WHERE batch_id = {p} "
               "AND state = 'issued' AND credential_id IN (SELECT id FROM issued_credential WHERE batch_id = {p})"]
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.split("///", 1)[1])
        key = uuid.UUID(batch_id).hex  # SQLAlchemy stores UUIDs as 32 hex characters on SQLite
        try:
            found = [connection.execute(q.format(p="?"), [key] * q.count("{p}")).fetchone() for q in queries]
        finally:
            connection.close()
    else:
        import asyncpg

        async def work() -> list:
            connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
            try:
                return [await connection.fetchrow(q.format(p="$1"), uuid.UUID(batch_id)) for q in queries]
            finally:
                await connection.close()

        found = asyncio.run(work())
    return (*found[0], *found[1])


async def arrange(base: str, database_url: str) -> dict:
    """A confirmed provider admin, its organization and API key (written with the account services, as
    the operator CLI does), then an achievement created through the API with that key."""
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    from accounts.service import AccountService
    from core.settings import async_database_url

    engine = create_async_engine(async_database_url(database_url))
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
            accounts = AccountService(session)
            admin = await accounts.sign_up(ADMIN_EMAIL, "correct-horse-battery", "Batch", "en", confirmed=True)
            org = await accounts.create_org("provider", "batch-provider", "バッチ 株式会社", "Batch", admin_id=admin.id)
            _, key = await accounts.create_api_key(org.id, "bench", admin.id)
    finally:
        await engine.dispose()
    base_path = f"/api/v1/orgs/{org.id}"
    async with httpx.AsyncClient(base_url=base, timeout=60, headers={"x-api-key": key}) as api:
        achievement = await api.post(f"{base_path}/achievements", json=ACHIEVEMENT)
        assert achievement.status_code == 201, achievement.text
    return {"key": key, "base": base_path, "achievement_id": achievement.json()["id"]}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes and of their live children (a signing pool), from /proc."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        pid, parent = int(stat.parent.name), int(fields[1])
        if pid in pids or parent in pids:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def bench_setup(database: str, database_url: str, workers: int, signing: int, lines: int, rounds: int) -> dict:
    data_dir = Path(tempfile.mkdtemp(prefix="skillpass-batch-bench-"))
    if database == "sqlite":
        database_url = f"sqlite+aiosqlite:///{data_dir / 'bench.db'}"
    else:
        reset_database(database_url)
    port, log_path = free_port(), ROOT / "var" / f"bench-batch-{database}-{workers}.log"
    # the server and the extra worker must name one base URL in what they sign (the server alone would
    # follow its port; the worker cannot know it)
    env = {**server_env(database_url, 5, 5, 30.0, data_dir), "SKILLPASS_SIGNING_PROCESSES": str(signing),
           "SKILLPASS_BASE_URL": f"http://127.0.0.1:{port}"}
    log_path.parent.mkdir(exist_ok=True)
    processes = [start_server(env, port, 1, log_path)]
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(wait_healthy(base, timeout=60))
        for _ in range(workers - 1):
            processes.append(subprocess.Popen([sys.executable, "-m", "skillpass", "credentials", "worker"], env=env,
                                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log_path.open("ab")))
        fixture = asyncio.run(arrange(base, database_url))
        results, problems = [], []
        for round_no in range(rounds):
            cpu_before = cpu_seconds([p.pid for p in processes])
            result = asyncio.run(run_round(base, fixture, lines, round_no))
            # CPU per line of the app's processes (not PostgreSQL's): a figure the machine's load barely moves
            result["app_cpu_ms_per_line"] = round((cpu_seconds([p.pid for p in processes]) - cpu_before) / lines * 1e3, 3)
            credentials, distinct, marked, pointed = stored_counts(database_url, result["batch_id"])
            result["verified_sample"] = f"{asyncio.run(verify_sample(base, fixture, result['batch_id'], lines))}/{SAMPLE}"
            if (result["issued"], result["failed"], result["pending"]) != (lines, 0, 0):
                problems.append(f"round {round_no}: counts {result}")
            if (credentials, distinct, marked, pointed) != (lines,) * 4:
                problems.append(f"round {round_no}: stored {credentials} credentials for {distinct} lines, "
                                f"{marked} lines marked issued pointing at {pointed} credentials")
            if result["verified_sample"] != f"{SAMPLE}/{SAMPLE}":
                problems.append(f"round {round_no}: sample verified {result['verified_sample']}")
            print(f"  {database} workers={workers} signing={signing} round {round_no}: {json.dumps(result)}", flush=True)
            results.append(result)
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"database": database, "workers": workers, "signing_processes": signing, "lines": lines, "rounds": rounds,
            "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine slows every figure
            "median_lines_per_s": statistics.median(r["lines_per_s"] for r in results),
            "median_seconds": statistics.median(r["seconds"] for r in results),
            "median_app_cpu_ms_per_line": statistics.median(r["app_cpu_ms_per_line"] for r in results),
            "problems": problems}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", nargs="+", default=["postgresql", "sqlite"], choices=["postgresql", "sqlite"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--signing", nargs="+", type=int, default=[1, 2],
                        help="SKILLPASS_SIGNING_PROCESSES values (signing processes per job process)")
    parser.add_argument("--database-url", default=DEFAULT_PG)
    args = parser.parse_args()
    summaries = []
    for database in args.databases:
        for workers in (args.workers if database == "postgresql" else [1]):  # SQLite: the app's one writer
            for signing in args.signing:
                if database == "postgresql" and workers > 1 and signing > 1:
                    continue  # two worker processes already use both cores
                summaries.append(bench_setup(database, args.database_url, workers, signing, args.lines, args.rounds))
    print(json.dumps(summaries, indent=2))
    print(f"{'database':<11} {'workers':>7} {'signing':>7} {'lines/s':>8} {'app CPU ms/line':>16}  "
          f"(median of {args.rounds}, {args.lines} lines)")
    for s in summaries:
        print(f"{s['database']:<11} {s['workers']:>7} {s['signing_processes']:>7} {s['median_lines_per_s']:>8} "
              f"{s['median_app_cpu_ms_per_line']:>16}")
    base = {(s["database"]): s["median_lines_per_s"] for s in summaries if s["workers"] == 1 and s["signing_processes"] == 1}
    for s in summaries:
        if s["database"] in base and (s["workers"], s["signing_processes"]) != (1, 1):
            print(f"{s['database']} workers={s['workers']} signing={s['signing_processes']} / 1 worker in-process "
                  f"= {s['median_lines_per_s'] / base[s['database']]:.2f}x")
    problems = [p for s in summaries for p in s["problems"]]
    for problem in problems:
        print("FAILED:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
