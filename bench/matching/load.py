"""Candidate index load from the database: seconds and memory per million profiles (streamed, columnar).

Run:  .venv/bin/python bench/matching/load.py [--sizes 100000] [--pg postgresql+asyncpg://postgres@127.0.0.1:5432/skillpass_bench_load]
      [--sqlite] [--runs 3]

Resets the database (its name must contain "bench"), migrates it and writes ``n`` people straight into
the tables (``tests/matching/seeding.py``: 3-9 items each, up to three snapshots, varied consent; every
tenth not discoverable, every 25th inactive). Then it builds the index the way a server process does on
its first search (``IndexHolder.ready``: one streamed query, chunks appended to the columns), cold (first
load after seeding) and warm (median of ``--runs`` more), and reports seconds, the Python heap's peak
during a load (tracemalloc, a run of its own: tracing slows Python), the process's peak RSS growth, and the
index's own memory, each also per
million people. Checks what it measured: the index holds exactly the discoverable, active people, and 200
sampled people read back from the index equal the consented view ``skills.consent`` gives for them.
Seeding bypasses the services, so the index's stored rows (``matching.candidates``) are built once after
it (timed apart) as the migration's first load would; the timed loads read only the stored rows.
Exits 1 when a check fails or the load would exceed 10 s or 500 MB per million profiles.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.db import make_engine  # noqa: E402
from core.settings import Settings  # noqa: E402
from matching.candidates import heal  # noqa: E402
from matching.profiles import indexed  # noqa: E402
from matching.search import IndexHolder  # noqa: E402
from skillpass.migrate import upgrade  # noqa: E402
from skills.consent import discoverable_profiles  # noqa: E402
from tests.matching.seeding import seed_profiles  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/skillpass_bench_load"
GOAL_SECONDS, GOAL_MB = 10.0, 500.0  # per million profiles


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


async def reset(url: str) -> None:
    import asyncpg

    base, _, name = url.replace("+asyncpg", "").rpartition("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to reset {name!r}: the name must contain 'bench'")
    admin = await asyncpg.connect(base + "/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()


async def expected_count(engine) -> int:
    from sqlalchemy import text

    async with engine.connect() as conn:
        return (await conn.execute(text(
            "SELECT count(*) FROM skill_learner_settings s JOIN person p ON p.id = s.person_id "
            "WHERE s.discoverable AND p.is_active"))).scalar_one()


async def one_load(engine, trace: bool = False) -> tuple[float, float, object]:
    """Seconds, peak memory growth in MB (the Python heap's under tracemalloc, else the RSS's), the index."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    gc.collect()
    reset_peak_rss()
    rss_before = peak_rss_mb()
    if trace:
        tracemalloc.start()
    holder = IndexHolder()
    async with async_sessionmaker(engine)() as session:
        started = time.perf_counter()
        index = await holder.ready(session)
        seconds = time.perf_counter() - started
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    else:
        peak = peak_rss_mb() - rss_before
    holder.close()
    return seconds, peak, index


async def check(engine, index, expected: int) -> list[str]:
    """What is wrong with the loaded index (empty when it holds what the consented view holds)."""
    from sqlalchemy.ext.asyncio import async_sessionmaker

    problems = []
    if len(index) != expected or expected == 0:
        problems.append(f"index holds {len(index)} people, the database {expected} discoverable")
    rows = random.Random(1).sample(range(index.size), min(200, index.size))
    async with async_sessionmaker(engine)() as session:
        view = {p.person_id: p for p in map(indexed, await discoverable_profiles(
            session, person_ids=[index.person_id(r) for r in rows]))}
    held = 0
    for row in rows:
        person = view.get(index.person_id(row))
        mine = index.profile_of(row)
        held += len(mine)
        if person is None or dict(person.skills) != mine or person.display_name != index.names[row]:
            problems.append(f"row {row} differs from the consented view")
            break
    if held == 0:
        problems.append("the sampled people hold no items")
    return problems


async def bench(url: str, n: int, runs: int) -> dict:
    settings = Settings(database_url=url, environment="test")
    if url.startswith("postgresql"):
        await reset(url)
    await asyncio.to_thread(upgrade, settings.async_database_url)
    engine = make_engine(settings)
    started = time.perf_counter()
    async with engine.begin() as conn:
        await seed_profiles(conn, n)
    if url.startswith("postgresql"):
        async with engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql("VACUUM ANALYZE")
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    async with engine.begin() as conn:  # seeding bypasses the services: build the stored rows once
        await heal(conn)
    rows_built = time.perf_counter() - started
    expected = await expected_count(engine)
    seconds, rss, index = await one_load(engine)
    problems = await check(engine, index, expected)
    memory = index.memory_bytes() / 1e6
    del index  # one index alive at a time while the warm runs measure
    warm = [(await one_load(engine))[:2] for _ in range(runs)]
    heap = (await one_load(engine, trace=True))[1]
    await engine.dispose()
    return {"n": n, "people": expected, "seeded": seeded, "rows_built": rows_built, "cold": (seconds, rss), "problems": problems,
            "memory": memory, "warm": tuple(statistics.median(w[i] for w in warm) for i in range(2)),
            "heap": heap}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file instead of PostgreSQL")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    failed = False
    for n in (int(s) for s in args.sizes.split(",")):
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db" if args.sqlite else args.pg
        r = asyncio.run(bench(url, n, args.runs))
        per = 1e6 / r["people"]
        print(f"\n== {n:,} seeded, {r['people']:,} discoverable ({'SQLite' if args.sqlite else 'PostgreSQL'}; "
              f"seeding {r['seeded']:.0f} s, stored rows built in {r['rows_built']:.0f} s) ==")
        for label, (seconds, rss) in (("cold", r["cold"]), ("warm", r["warm"])):
            print(f"  {label}: load {seconds:6.2f} s ({seconds * per:5.1f} s per million, "
                  f"{seconds / r['people'] * 1e6:.1f} µs per person); peak RSS growth {rss:5.0f} MB "
                  f"({rss * per:4.0f} MB per million)")
        print(f"  Python heap peak during a load (tracemalloc, numpy included) {r['heap']:.0f} MB "
              f"({r['heap'] * per:.0f} MB per million); the index itself {r['memory']:.0f} MB "
              f"({r['memory'] * per:.0f} MB per million)")
        seconds = r["cold"][0] * per
        megabytes = max(r["cold"][1], r["heap"]) * per
        for problem in r["problems"]:
            print(f"  CHECK FAILED: {problem}")
        print(f"  goals per million: load {seconds:.1f} s <= {GOAL_SECONDS:.0f} s "
              f"{'met' if seconds <= GOAL_SECONDS else 'NOT met'}; peak {megabytes:.0f} MB <= {GOAL_MB:.0f} MB "
              f"{'met' if megabytes <= GOAL_MB else 'NOT met'}")
        failed |= bool(r["problems"]) or seconds > GOAL_SECONDS or megabytes > GOAL_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
