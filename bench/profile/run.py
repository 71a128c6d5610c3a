"""Benchmark: compute_profile (the aggregation rule) on synthetic evidence; median of runs.

    .venv/bin/python bench/profile/run.py [--pieces 100 500 2000] [--runs 200]

Evidence is drawn with a fixed seed over the 67 DSS ver.2.0 skill items: sources in the proportions a
busy learner has (records 60 %, credentials 10 %, badges 10 %, exams 10 %, self-assessment 10 %),
levels a-d, weights 0.1-1.0. Prints the median and 95th percentile per size, and the median of the
JSON view the API returns for the same profile (taxonomy names, evidence links).

``--db`` also times the whole recomputation as the app runs it, ``ProfileService.recompute`` (load the
person's evidence rows, apply the rule, compare with the latest snapshot, store a new one), for one
person with 500 pieces, on a fresh SQLite file and, when it answers, on PostgreSQL
(``--pg URL``, default the local server's ``skillpass_bench`` database, created if missing).

Checks that what it timed is real: every size yields a profile with items and a view listing them, and
every timed recomputation stored a new snapshot; exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skills.present import profile_view  # noqa: E402
from skills.profile import EvidencePiece, compute_profile  # noqa: E402
from taxonomies.dss import LEVELS, get_taxonomy  # noqa: E402

SOURCES = ["record"] * 6 + ["credential", "ob2_badge", "exam", "self"]
BUDGET_MS = 50.0  # at 500 pieces


def make_evidence(n: int, seed: int = 0) -> list[EvidencePiece]:
    rng = random.Random(seed)
    skills = [s.id for s in get_taxonomy().skill_items("2.0")]
    pieces = []
    for i in range(n):
        source = rng.choice(SOURCES)
        source_id = f"{source}-{rng.randrange(max(n // 3, 1))}"
        pieces.append(EvidencePiece(f"p{i}", source, source_id, rng.choice(skills), rng.choice(LEVELS),
                                    round(rng.uniform(0.1, 1.0), 4), f"piece {i}"))
    return pieces


def timings_ms(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pieces", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--db", action="store_true", help="also time ProfileService.recompute on databases")
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/skillpass_bench")
    args = parser.parse_args()
    get_taxonomy()  # loaded once, as in the running app
    print(f"compute_profile, median of {args.runs} runs (python {sys.version.split()[0]})")
    medians = {}
    problems = []
    for n in args.pieces:
        evidence = make_evidence(n)
        profile = compute_profile(evidence)
        compute = timings_ms(lambda e=evidence: compute_profile(e), args.runs)
        view = timings_ms(lambda p=profile: profile_view(p, None), args.runs)
        medians[n] = statistics.median(compute)
        if not profile.items or not view_items(profile_view(profile, None)):
            problems.append(f"{n} pieces gave an empty profile or view")
        p95 = statistics.quantiles(compute, n=20)[-1]
        print(f"  {n:>5} pieces -> {len(profile.items):>2} items: "
              f"compute_profile median {medians[n]:6.2f} ms "
              f"(p95 {p95:6.2f} ms); JSON view median {statistics.median(view):6.2f} ms")
    if 500 in medians:
        verdict = "within" if medians[500] < BUDGET_MS else "OVER"
        print(f"budget: {medians[500]:.2f} ms at 500 pieces, {verdict} the {BUDGET_MS:.0f} ms budget")
    if args.db:
        import asyncio

        for label, url in database_urls(args.pg):
            try:
                runs, stored = asyncio.run(recompute_timings(url, 500, max(args.runs // 10, 20)))
            except OSError as exc:
                print(f"  {label}: skipped ({exc})")
                continue
            if stored < len(runs):
                problems.append(f"{label}: {len(runs)} timed recomputations stored only {stored} snapshots")
            median = statistics.median(runs)
            verdict = "within" if median < BUDGET_MS else "OVER"
            print(f"  ProfileService.recompute, 500 pieces, {label}: median {median:6.2f} ms "
                  f"(p95 {statistics.quantiles(runs, n=20)[-1]:6.2f} ms), {verdict} the budget; "
                  f"{stored} snapshots stored")
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if problems else 0


def view_items(view: dict) -> int:
    """How many skill items a profile view lists."""
    return len(view["items"])


def database_urls(pg_url: str) -> list[tuple[str, str]]:
    import tempfile

    return [("SQLite", f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"), ("PostgreSQL", pg_url)]


async def recompute_timings(url: str, pieces: int, runs: int) -> tuple[list[float], int]:
    """Time ProfileService.recompute for one person whose evidence changes a little before each run;
    also how many snapshots the timed runs stored."""
    import uuid

    from accounts.models import Person
    from core.db import make_engine, session_scope
    from core.settings import Settings
    from sqlalchemy import func, select

    from skills.models import ProfileSnapshot, SkillEvidence
    from skills.service import ProfileService
    from skillpass.migrate import upgrade
    from tests.setup_env import ensure_database

    if url.startswith("postgresql"):
        await ensure_database(url)
    settings = Settings(database_url=url, environment="test")
    await asyncio_to_thread(upgrade, settings.async_database_url)
    engine = make_engine(settings)
    person_id = uuid.uuid4()
    async with session_scope(engine) as session:
        session.add(Person(id=person_id, email=f"bench-{person_id}@example.jp", display_name="bench",
                           password_hash="x"))
        await session.flush()
        for piece in make_evidence(pieces):
            session.add(SkillEvidence(person_id=person_id, source=piece.source, source_id=uuid.uuid4(),
                                      skill_id=piece.skill_id, level=piece.level, weight=piece.weight,
                                      label=piece.label))
    out = []
    rng = random.Random(1)
    skills = [s.id for s in get_taxonomy().skill_items("2.0")]
    for run in range(runs + 3):  # the first three warm SQLAlchemy's statement cache; not counted
        async with session_scope(engine) as session:
            # a new piece each time, so every run really changes the profile and stores a snapshot
            session.add(SkillEvidence(person_id=person_id, source="self", source_id=uuid.uuid4(),
                                      skill_id=rng.choice(skills), level=rng.choice(LEVELS), weight=1.0))
            start = time.perf_counter()
            await ProfileService(session, settings).recompute(person_id, "bench")
            await session.flush()
            elapsed = (time.perf_counter() - start) * 1000
        if run >= 3:
            out.append(elapsed)
    async with session_scope(engine) as session:
        stored = (await session.execute(select(func.count()).select_from(ProfileSnapshot)
                                        .where(ProfileSnapshot.person_id == person_id))).scalar_one()
    await engine.dispose()
    return out, stored - 3


async def asyncio_to_thread(fn, *args):
    import asyncio

    return await asyncio.to_thread(fn, *args)


if __name__ == "__main__":
    sys.exit(main())
