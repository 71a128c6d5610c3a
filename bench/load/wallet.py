"""Throughput of the learner wallet page (``GET /wallet``) against a local skillpass server (127.0.0.1 only).

    .venv/bin/python bench/load/wallet.py [--database-url postgresql://postgres@127.0.0.1:5432/skillpass_bench]
                                          [--sqlite] [--workers 1 2] [--clients 50] [--seconds 15]

Resets the database (PostgreSQL: its name must contain "bench"; ``--sqlite``: a new file in a temporary
directory), migrates it, loads the demo data and gives the learner 山田 花子 a realistic wallet: ten
credentials from the two verified demo providers and the unverified dojo (its offer accepted), one of
them in VC-JWT form, next to her demo learning records, exam, self-assessments and target role. Then,
for each ``--workers`` value in turn, it starts ``skillpass serve``, signs her in, times the first
(cold) request, and drives ``GET /wallet`` with ``--clients`` concurrent keep-alive clients for
``--seconds`` (after a 2 s warm-up). The clients are httpx (``--client httpx``, always available) or
``wrk`` (``--client wrk``; the default when ``wrk`` is installed), which costs the shared CPU far less
per request. Every response is checked: status 200, the wallet heading, the titles of her five
newest credentials, and no sign-in form. It prints requests/s, latency p50/p95/p99, errors, the
server's CPU time per request and the load average per phase, and exits 1 when any response was wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, free_port, reset_database, server_env, wait_healthy  # noqa: E402

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/skillpass_bench"
LEARNER = "hanako@demo.skillpass.jp"
PASSWORD = "skillpass-demo"
WALLET = "/wallet"
SHOWN = 5  # the wallet home lists the newest five credentials
# (provider slug, achievement key, format): added to the demo's three badges of the learner
EXTRA_AWARDS = [
    ("tokyo-digital-academy", "security", "ldp"), ("tokyo-digital-academy", "pm", "ldp"),
    ("kansai-data-school", "de", "ldp"), ("kansai-data-school", "ai", "ldp"),
    ("kansai-data-school", "ds", "jwt"), ("tokyo-digital-academy", "web", "ldp"),
    ("shinjuku-coding-dojo", "python", "ldp"),
]


@dataclass
class Phase:
    workers: int
    cold_ms: float
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    loadavg: str = ""
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    database_cpu_s: float | None = None
    wrk: dict | None = None  # wrk's own count and percentiles, when it drove the phase

    def figures(self) -> dict:
        if self.wrk is not None:
            n, seconds = self.wrk["requests"], self.wrk["seconds"]
            p50, p95, p99 = self.wrk["p50"], self.wrk["p95"], self.wrk["p99"]
        else:
            ordered = sorted(self.latencies)
            n, seconds = len(ordered), self.seconds
            p50, p95, p99 = (percentile(ordered, p) * 1000 for p in (0.50, 0.95, 0.99))
        figures = {"workers": self.workers, "requests": n, "errors": sum(self.errors.values()),
                   "errors_by_kind": self.errors, "req_per_s": round(n / seconds, 1) if seconds else 0.0,
                   "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "p99_ms": round(p99, 1),
                   "cold_first_ms": self.cold_ms,
                   # CPU per request: comparable between runs on a busy machine, unlike requests/s
                   "server_cpu_ms_per_request": per_request(self.server_cpu_s, n),
                   "database_cpu_ms_per_request": per_request(self.database_cpu_s, n),
                   "loadavg": self.loadavg}
        if self.wrk is None:  # the httpx clients share this process and the machine's two cores
            figures["client_cpu_ms_per_request"] = per_request(self.client_cpu_s, n)
        return figures


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def per_request(seconds: float | None, n: int) -> float | None:
    return None if seconds is None else round(seconds * 1000 / max(1, n), 2)


async def seed() -> dict:
    """Demo data plus the learner's extra credentials; returns her titles, newest first (run in a child
    process whose environment names the bench database)."""
    sys.path.insert(0, str(ROOT))  # this checkout, not whichever one the virtualenv points at
    from sqlalchemy import select

    from accounts.models import Organization, Person
    from core.db import make_engine, session_scope
    from core.settings import get_settings
    from credentials.demo import _achievement
    from credentials.achievements import AchievementService
    from credentials.issuance import IssuanceService, IssueRequest
    from credentials.wallet import WalletService
    from skillpass.demo import load_demo
    from skillpass.wiring import connect_domains

    settings = get_settings()
    connect_domains(settings)
    engine = make_engine(settings)
    async with session_scope(engine) as session:
        await load_demo(session)
    async with session_scope(engine) as session:
        person = (await session.execute(select(Person).where(Person.email == LEARNER))).scalar_one()
        orgs = {o.slug: o for o in (await session.execute(select(Organization))).scalars()}
        achievements, issuance = AchievementService(session, settings), IssuanceService(session, settings)
        for slug, key, fmt in EXTRA_AWARDS:
            achievement = await _achievement(achievements, orgs[slug], key)
            await issuance.issue_once(orgs[slug].id, IssueRequest(
                achievement_id=achievement.id, recipient_email=LEARNER, recipient_name=person.display_name,
                format=fmt), f"bench:{slug}:{key}:{fmt}")
        wallet = WalletService(session, settings)
        for held in await wallet.list_for_person(person.id):
            if held.offer_state == "pending":
                await wallet.answer_offer(person.id, held.id, accept=True)
        held = await wallet.list_for_person(person.id)
        counted = sum(1 for h in held if h.verified)
        titles = [h.title for h in held]
    await engine.dispose()
    return {"titles": titles, "held": len(held), "verified": counted,
            "issuers": len({h.issuer_name for h in held})}


WRK_SCRIPT = """
wrk.headers["Cookie"] = [==[%(cookie)s]==]
wrk.headers["Accept"] = "text/html"
local expected = {%(expected)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) wrong = 0; checked = 0 end
function response(status, headers, body)
  checked = checked + 1
  local ok = status == 200 and body:find('id="creds-heading"', 1, true) ~= nil
             and body:find('action="/signin"', 1, true) == nil
  if ok then for _, t in ipairs(expected) do if not body:find(t, 1, true) then ok = false; break end end end
  if not ok then wrong = wrong + 1 end
end
function done(summary, latency, requests)
  local w, c = 0, 0
  for _, t in ipairs(threads) do w = w + t:get("wrong"); c = c + t:get("checked") end
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "checked": %%d, "wrong": %%d, "socket_errors": %%d, "seconds": %%f, '
    .. '"p50": %%f, "p95": %%f, "p99": %%f}\\n', summary.requests, c, w,
    e.connect + e.read + e.write + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def drive_wrk(base: str, cookies: dict[str, str], expected: list[str], clients: int, seconds: float,
              phase: Phase) -> None:
    """``wrk`` with ``clients`` keep-alive connections on two threads; a Lua script checks each answer."""
    script = Path(tempfile.mkstemp(suffix=".lua", prefix="wallet-bench-")[1])
    script.write_text(WRK_SCRIPT % {"cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
                                    "expected": ", ".join(f"[==[{t}]==]" for t in expected)}, encoding="utf-8")
    try:
        done = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
                               "-s", str(script), f"{base}{WALLET}"], capture_output=True, text=True, check=False)
    finally:
        script.unlink()
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    phase.wrk = json.loads(line[4:])
    phase.seconds = phase.wrk["seconds"]
    unchecked = phase.wrk["requests"] - phase.wrk["checked"]
    for kind, count in (("wrong page", phase.wrk["wrong"]), ("socket error", phase.wrk["socket_errors"]),
                        ("unchecked", unchecked)):
        if count:
            phase.errors[kind] = count


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (uvicorn's worker processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


async def backend_pids(database_url: str | None) -> list[int]:
    """PostgreSQL server processes connected to the bench database (local server: their CPU is read
    from /proc); empty on SQLite."""
    if database_url is None:
        return []
    import asyncpg

    parts = urlsplit(database_url.replace("+asyncpg", ""))
    conn = await asyncpg.connect(parts._replace(path="/postgres").geturl())
    try:
        rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", parts.path.lstrip("/"))
    finally:
        await conn.close()
    return [r["pid"] for r in rows]


def run_seed(env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--seed-only"], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"seeding failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(env: dict[str, str], port: int, workers: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("ab")
    return subprocess.Popen([sys.executable, "-m", "skillpass", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers)], env=env, cwd=ROOT, stdout=log, stderr=log)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def sign_in(base: str) -> dict[str, str]:
    """The learner's session cookies (through the sign-in API, with its pre-session CSRF token)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        csrf = (await client.get("/api/v1/auth/csrf")).json()["csrf_token"]
        answer = await client.post("/api/v1/auth/signin", headers={"x-csrftoken": csrf},
                                   json={"email": LEARNER, "password": PASSWORD})
        if answer.status_code != 200:
            raise SystemExit(f"sign-in failed: {answer.status_code} {answer.text[:300]}")
        return dict(client.cookies)


def wrong(response: httpx.Response, expected: list[str]) -> str | None:
    """Why a wallet response is not the real page (None when it is)."""
    if response.status_code != 200:
        return f"status {response.status_code}"
    body = response.text
    if 'action="/signin"' in body:
        return "sign-in page"
    if 'id="creds-heading"' not in body:
        return "no wallet"
    missing = [t for t in expected if t not in body]
    return "missing badge names" if missing else None


async def drive(base: str, cookies: dict[str, str], expected: list[str], clients: int, seconds: float,
                phase: Phase) -> None:
    """``clients`` keep-alive clients, each sending the next request when its answer is in, for ``seconds``."""
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)

    async def one_client() -> None:
        async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30, limits=limits) as client:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    reason = wrong(await client.get(WALLET), expected)
                except httpx.HTTPError as exc:
                    reason = type(exc).__name__
                phase.latencies.append(time.perf_counter() - began)
                if reason is not None:
                    phase.errors[reason] = phase.errors.get(reason, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    phase.seconds = time.perf_counter() - started


async def measure(base: str, server_pid: int, workers: int, expected: list[str], clients: int,
                  seconds: float, client: str = "httpx", database_url: str | None = None) -> Phase:
    await wait_healthy(base, timeout=60)
    cookies = await sign_in(base)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as cold:
        began = time.perf_counter()
        first = await cold.get(WALLET)
        cold_ms = round((time.perf_counter() - began) * 1000, 1)
    phase = Phase(workers, cold_ms, seconds)
    if (reason := wrong(first, expected)) is not None:
        phase.errors[f"cold: {reason}"] = 1
    # a short warm-up so that every worker has answered once (caches filled) before the clock runs
    await drive(base, cookies, expected, clients, 2.0, Phase(workers, 0, 0))
    backends = await backend_pids(database_url)  # the pool's connections, open since the warm-up
    database_cpu = sum(tree_cpu_seconds(pid) for pid in backends)
    server_cpu, client_cpu = tree_cpu_seconds(server_pid), time.process_time()
    if client == "wrk":
        await asyncio.to_thread(drive_wrk, base, cookies, expected, clients, seconds, phase)
    else:
        await drive(base, cookies, expected, clients, seconds, phase)
    phase.server_cpu_s = tree_cpu_seconds(server_pid) - server_cpu
    phase.client_cpu_s = time.process_time() - client_cpu
    if backends:
        phase.database_cpu_s = sum(tree_cpu_seconds(pid) for pid in backends) - database_cpu
    phase.loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return phase


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file instead of PostgreSQL")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--client", choices=("wrk", "httpx"), default="wrk" if shutil.which("wrk") else "httpx")
    parser.add_argument("--pool-size", type=int, default=5)
    parser.add_argument("--max-overflow", type=int, default=5)
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        print(json.dumps(asyncio.run(seed()), ensure_ascii=False))
        return 0
    data_dir = Path(tempfile.mkdtemp(prefix="skillpass-wallet-bench-"))
    if args.sqlite:
        url = f"sqlite:///{data_dir / 'bench.db'}"
    else:
        url = args.database_url
        if "bench" not in url.rsplit("/", 1)[-1]:
            raise SystemExit("refusing: the PostgreSQL database name must contain 'bench'")
        reset_database(url)
    env = server_env(url, args.pool_size, args.max_overflow, 10.0, data_dir)
    log_path = ROOT / "var" / "bench-wallet-server.log"
    log_path.parent.mkdir(exist_ok=True)
    log_path.write_bytes(b"")
    phases = []
    try:
        subprocess.run([sys.executable, "-m", "skillpass", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        seeded = run_seed(env)
        expected = [html.escape(t, quote=True) for t in seeded["titles"][:SHOWN]]
        for workers in args.workers:
            port = free_port()
            server = start_server(env, port, workers, log_path)
            try:
                base = f"http://127.0.0.1:{port}"
                phases.append(asyncio.run(measure(base, server.pid, workers, expected, args.clients,
                                                  args.seconds, args.client, None if args.sqlite else url)))
            finally:
                stop_server(server)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    report = {"database": "sqlite" if args.sqlite else "postgresql", "client": args.client,
              "clients": args.clients,
              "seconds": args.seconds, "credentials_held": seeded["held"], "verified": seeded["verified"],
              "issuers": seeded["issuers"],
              "phases": [p.figures() for p in phases]}
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if any(p.errors for p in phases):
        print(f"FAILED: some responses were not the learner's wallet (server log: {log_path})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
