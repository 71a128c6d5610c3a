"""Candidate search benchmark: the in-memory index against the same query as SQL on PostgreSQL.

Run:  .venv/bin/python bench/matching/run.py [--quick] [--sizes 100000,1000000] [--queries 100]
      [--pg postgresql://postgres@127.0.0.1:5432/skillpass_bench] [--skip-sql]

Synthetic profiles are drawn from the taxonomy's role requirements (``matching.synthetic``: 3-15 items
each, levels near the role's need, 20 % verified), with a prefecture, a month and, for half of them, a
display name. Queries take ten skill items from a random role's highest needs, at the role's levels:

* ``rank10``: everyone holding any of the ten items, ranked by coverage of the ten (the heavy case:
  about half the people are scored), top 20 and the total;
* ``filter2+rank10``: the same ranking, restricted to people holding the first two items at their
  needed level (a posting with two hard requirements);
* ``role``: a role template (coverage of all 67 items, precomputed per role in the index).

Latency is one in-process search including the explained result page (no HTTP), p50/p95 over
``--queries`` runs. The SQL side loads the same people into ``profile_skill(person, skill, level,
status)`` with an index on (skill, level) and runs the equivalent GROUP BY query (same weights, same
top 20 and total; work_mem 256MB), timed from the client on a cold pass (each query's first run after
the load) and a warm pass; ratios use the warm pass. Both sides hold the same people as the same rows.

Checks that what it timed is real, and exits 1 otherwise: every index query fills a page of 20; on
the SQL sample, each query agrees (same total, full pages, coverages within the index's rounding, at
least 15 of the 20 people the same). ``--quick`` runs 100,000 only.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import resource
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from matching.index import CandidateIndex, IndexedProfile  # noqa: E402
from matching.query import CandidateQuery, SkillFilter, search  # noqa: E402
from matching.roles import IMPORTANCE_WEIGHT, Held, Target, role_targets  # noqa: E402
from matching.search import describe_hits  # noqa: E402
from matching.synthetic import sample_profiles  # noqa: E402
from taxonomies.dss import get_taxonomy, level_rank  # noqa: E402

SEED = 20260401
STATUS_CODE = (3, 2, 1)  # synthetic status index (verified, evidenced, self-declared) -> index code
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/skillpass_bench"
SQL_WORK_MEM = "256MB"


def rss_mb() -> float:
    """Current resident memory of this process."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


def build_people(n: int, targets: list[Target], items: list[str], v2: list[str]) -> dict:
    """Synthetic people as index columns (also used to fill the SQL tables): the ver.2.0 items' codes go
    into those items' own rows of the matrix (``items`` lists ver.1.2 first)."""
    rng = np.random.default_rng(SEED)
    _, ranks, statuses = sample_profiles(targets, v2, n, seed=SEED)
    codes = np.zeros((len(items), n), dtype=np.uint8)
    status_codes = np.array(STATUS_CODE, dtype=np.uint8)[statuses]
    position = np.array([items.index(s) for s in v2])
    codes[position] = np.where(ranks > 0, ranks * 4 + status_codes, 0).T
    # Random high halves like UUIDs' (the index looks people up by them); the low half numbers the rows.
    ids = np.stack([rng.integers(0, 2**63, n, dtype=np.uint64), np.arange(1, n + 1, dtype=np.uint64)], axis=1)
    names = [f"利用者 {i:07d}" if i % 2 == 0 else None for i in range(n)]
    return {"ids": ids, "codes": codes, "prefecture": rng.integers(1, 48, n).astype(np.uint8),
            "month": (2025 * 12 + rng.integers(0, 12, n)).astype(np.int32),
            "updated": rng.integers(0, 2**31, n).astype(np.uint32), "names": names, "ranks": ranks,
            "statuses": statuses, "position": position}


def make_index(people: dict, targets: list[Target], items: list[str]) -> tuple[CandidateIndex, float, float]:
    before = rss_mb()
    started = time.perf_counter()
    index = CandidateIndex(items, targets)
    for code in range(1, 48):
        index.prefecture_code(f"JP-{code:02d}")
    index.load_arrays(people["ids"], people["codes"], people["prefecture"], people["month"],
                      people["updated"], people["names"])
    return index, time.perf_counter() - started, rss_mb() - before


def make_queries(targets: list[Target], count: int) -> list[tuple[str, CandidateQuery]]:
    """(kind, query) triples cycling rank10, filter2+rank10 and role, from random roles' top needs."""
    rng = np.random.default_rng(SEED + 1)
    queries = []
    for i in range(count):
        role = targets[int(rng.integers(len(targets)))]
        top = sorted(role.requirements.items(), key=lambda kv: (-level_rank(kv[1]), rng.random()))[:10]
        posting = Target("posting", f"q{i}", "q", "q", dict(top))
        kind = ("rank10", "filter2+rank10", "role")[i % 3]
        if kind == "rank10":
            query = CandidateQuery(tuple(SkillFilter(s, "d") for s, _ in top), "any", target=posting)
        elif kind == "filter2+rank10":
            hard = tuple(SkillFilter(s, level) for s, level in top[:2])
            query = CandidateQuery(hard, "all", target=posting)
        else:
            query = CandidateQuery(target=role)
        queries.append((kind, query))
    return queries


def time_index(index: CandidateIndex, queries: list[tuple[str, CandidateQuery]]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    for kind, query in queries:
        started = time.perf_counter()
        page = search(index, query)
        describe_hits(index, query, page)
        timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return timings


def time_updates(index: CandidateIndex, people: dict, count: int = 2000) -> float:
    """Mean milliseconds per upsert (half changes of existing people, half new people)."""
    rng = np.random.default_rng(SEED + 2)
    v2 = [s.id for s in get_taxonomy().skill_items("2.0")]
    now = datetime.now(UTC)
    profiles = []
    for i in range(count):
        person = index.person_id(int(rng.integers(index.size))) if i % 2 == 0 else uuid.uuid4()
        chosen = rng.choice(len(v2), size=7, replace=False)
        skills = {v2[j]: Held("abcd"[int(rng.integers(4))], "evidenced") for j in chosen}
        profiles.append(IndexedProfile(person, None, "JP-13", skills, now))
    started = time.perf_counter()
    for profile in profiles:
        index.upsert(profile)
    return (time.perf_counter() - started) * 1000 / count


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


# -- PostgreSQL -------------------------------------------------------------------------------------
SQL_QUERY = """
WITH q AS (SELECT * FROM unnest($1::smallint[], $2::smallint[], $3::float8[], $4::smallint[])
                    AS q(skill, need, share, min_level)),
scored AS (
    SELECT ps.person,
           SUM(q.share * (CASE ps.status WHEN 3 THEN 1.0 WHEN 2 THEN 0.8 ELSE 0.6 END)
               * LEAST(ps.level::float8 / q.need, 1.0)) AS coverage,
           COUNT(*) FILTER (WHERE q.min_level > 0 AND ps.level >= q.min_level) AS passed
    FROM profile_skill ps JOIN q ON ps.skill = q.skill
    GROUP BY ps.person)
SELECT s.person, s.coverage, COUNT(*) OVER () AS total
FROM scored s JOIN person_row p ON p.person = s.person
WHERE s.passed >= $5
ORDER BY s.coverage DESC, p.updated DESC
LIMIT 20
"""


def sql_arguments(query: CandidateQuery, positions: dict[str, int]) -> list:
    """The query as arrays: items, needed rank, weight share, hard-filter minimum rank (0: none)."""
    needs = query.target.requirements
    total = sum(IMPORTANCE_WEIGHT[r] for r in needs.values())
    hard = {f.skill_id: level_rank(f.min_level) for f in query.filters} if query.match == "all" else {}
    ids = list(needs)
    return [[positions[s] for s in ids], [level_rank(needs[s]) for s in ids],
            [IMPORTANCE_WEIGHT[needs[s]] / total for s in ids], [hard.get(s, 0) for s in ids], len(hard)]


async def load_sql(pg: str, people: dict) -> float:
    import asyncpg

    base, _, name = pg.rpartition("/")
    admin = await asyncpg.connect(base + "/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    conn = await asyncpg.connect(pg)
    started = time.perf_counter()
    await conn.execute("CREATE TABLE person_row (person int PRIMARY KEY, prefecture smallint, "
                       "updated bigint)")
    await conn.execute("CREATE TABLE profile_skill (person int, skill smallint, level smallint, "
                       "status smallint)")
    n = len(people["updated"])
    await conn.copy_records_to_table("person_row", records=zip(range(n), people["prefecture"].tolist(),
                                                                 people["updated"].tolist(), strict=True))
    person, item = np.nonzero(people["ranks"])
    # the skill column is the item's position in the index, as sql_arguments passes it
    rows = zip(person.tolist(), people["position"][item].tolist(), people["ranks"][person, item].tolist(),
               np.array(STATUS_CODE)[people["statuses"][person, item]].tolist(), strict=True)
    await conn.copy_records_to_table("profile_skill", records=rows)
    await conn.execute("CREATE INDEX ON profile_skill (skill, level) INCLUDE (person, status)")
    await conn.execute("CREATE INDEX ON profile_skill (person)")
    await conn.execute("ANALYZE")
    await conn.close()
    return time.perf_counter() - started


async def time_sql(pg: str, queries: list[tuple[str, CandidateQuery]], positions: dict[str, int],
                   ) -> tuple[dict[str, list[float]], dict[str, list[float]], list[list[tuple[int, float, int]]]]:
    """Cold timings (each query's first run after the load), warm timings (its second run), answers."""
    import asyncpg

    conn = await asyncpg.connect(pg)
    await conn.execute(f"SET work_mem = '{SQL_WORK_MEM}'")  # let the aggregation stay in memory
    passes: list[dict[str, list[float]]] = [{}, {}]
    answers = []
    for timings in passes:
        answers = []
        for kind, query in queries:
            started = time.perf_counter()
            rows = await conn.fetch(SQL_QUERY, *sql_arguments(query, positions))
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
            answers.append([(r["person"], r["coverage"], r["total"]) for r in rows])
    await conn.close()
    return passes[0], passes[1], answers


def agreement(index: CandidateIndex, queries: list[tuple[str, CandidateQuery]],
              answers: list[list[tuple[int, float, int]]]) -> tuple[float, list[str]]:
    """Share of queries on which index and SQL agree, and what made the comparison empty or wrong.

    Agreeing means: the same total, a full page, top-20 coverages equal within the index's rounding
    (uint16 per item), and at least 15 of the 20 people the same (the rest may swap at rounding ties).
    The people are the same rows on both sides (SQL person = index row)."""
    same, problems = 0, []
    for (kind, query), answer in zip(queries, answers, strict=True):
        page = search(index, query)
        if not page.hits or not answer:
            problems.append(f"{kind}: an empty answer (index {page.total}, SQL {len(answer)} rows)")
            continue
        mine = sorted(round(h.coverage, 3) for h in page.hits)
        theirs = sorted(round(c, 3) for _, c, _ in answer)
        close = len(mine) == len(theirs) == 20 and all(abs(a - b) <= 2e-3
                                                       for a, b in zip(mine, theirs, strict=True))
        people = len({h.row for h in page.hits} & {p for p, _, _ in answer})
        total = answer[0][2]
        if close and people >= 15 and total == page.total:
            same += 1
        else:
            problems.append(f"{kind}: index total {page.total} vs SQL {total}, {people}/20 same people")
    return same / len(queries), problems


# -- report ---------------------------------------------------------------------------------------------
def report_size(n: int, args: argparse.Namespace, targets: list[Target], items: list[str],
                v2: list[str]) -> dict:
    started = time.perf_counter()
    people = build_people(n, targets, items, v2)
    generated = time.perf_counter() - started
    index, build_seconds, rss_growth = make_index(people, targets, items)
    queries = make_queries(targets, args.queries)
    cold = time_index(index, queries[:6])  # the first searches after the build
    timings = time_index(index, queries)
    problems = nonempty(index, queries)
    everything = [t for values in timings.values() for t in values]
    result = {"n": n, "generate_s": generated, "build_s": build_seconds,
              "memory_mb": index.memory_bytes() / 1e6, "rss_growth_mb": rss_growth,
              "p50": percentile(everything, 50), "p95": percentile(everything, 95),
              "cold": {k: max(v) for k, v in cold.items()}, "problems": problems,
              "by_kind": {k: (percentile(v, 50), percentile(v, 95)) for k, v in timings.items()}}
    if not args.skip_sql:
        sql_queries = queries[:args.sql_queries]
        result["sql_load_s"] = asyncio.run(load_sql(args.pg, people))
        sql_cold, sql_timings, answers = asyncio.run(time_sql(args.pg, sql_queries, index.positions))
        index_timings = time_index(index, sql_queries)
        mean_ratio = (sum(map(sum, sql_timings.values())) / sum(map(sum, index_timings.values())))
        agreed, disagreements = agreement(index, sql_queries, answers)
        problems += disagreements
        result.update(sql_by_kind={k: (percentile(v, 50), percentile(index_timings[k], 50))
                                   for k, v in sql_timings.items()},
                      sql_cold={k: percentile(v, 50) for k, v in sql_cold.items()},
                      ratio=mean_ratio, agreement=agreed)
        result["min_kind_ratio"] = min(sql / mine for sql, mine in result["sql_by_kind"].values())
    result["update_ms"] = time_updates(index, people)
    del people
    return result


def nonempty(index: CandidateIndex, queries: list[tuple[str, CandidateQuery]]) -> list[str]:
    """Queries that found less than a full page of 20 (every query of these kinds has more holders)."""
    problems = []
    for i, (kind, query) in enumerate(queries):
        page = search(index, query)
        if len(page.hits) < 20:
            problems.append(f"query {i} ({kind}): {page.total} found, {len(page.hits)} on the page")
    return problems


def print_result(r: dict) -> None:
    print(f"\n== {r['n']:,} profiles ==")
    print(f"  synthetic data {r['generate_s']:.1f} s; index build {r['build_s']:.1f} s")
    print(f"  index memory {r['memory_mb']:.0f} MB (arrays, posting lists, names; "
          f"process RSS grew {r['rss_growth_mb']:.0f} MB)")
    print(f"  search + explained page: p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms")
    for kind, (p50, p95) in r["by_kind"].items():
        print(f"    {kind:16s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  (cold, first search of the kind: "
              f"{r['cold'].get(kind, float('nan')):6.1f} ms)")
    print(f"  incremental update: {r['update_ms'] * 1000:.0f} µs per profile (upsert incl. role scores)")
    if "ratio" in r:
        print(f"  PostgreSQL: load {r['sql_load_s']:.0f} s; same queries, p50 SQL (warm; cold) vs index:")
        for kind, (sql, mine) in r["sql_by_kind"].items():
            print(f"    {kind:16s} SQL {sql:7.1f} ms ({r['sql_cold'][kind]:7.1f} ms)  index {mine:6.2f} ms"
                  f"  -> {sql / mine:,.0f}x")
        print(f"  SQL / index over all these queries (total time): {r['ratio']:,.0f}x; slowest kind "
              f"{r['min_kind_ratio']:,.0f}x; top-20 agreement {r['agreement']:.0%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 profiles only")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--sql-queries", type=int, default=15)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--skip-sql", action="store_true")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    tx = get_taxonomy()
    v2 = [s.id for s in tx.skill_items("2.0")]
    items = [s.id for v in tx.versions for s in tx.skill_items(v)]
    targets = role_targets()
    print(f"matching benchmark: {platform.processor() or platform.machine()}, {len(items)} skill items, "
          f"{len(targets)} roles, numpy {np.__version__}, Python {platform.python_version()}")
    results = []
    for n in sizes:
        results.append(report_size(n, args, targets, items, v2))
        print_result(results[-1])
    problems = [f"{r['n']:,}: {p}" for r in results for p in r["problems"]]
    for problem in problems:
        print(f"CHECK FAILED {problem}")
    big = results[-1]
    print("\nGoals at the largest size:")
    print(f"  p95 < 50 ms: {big['p95']:.1f} ms -> {'met' if big['p95'] < 50 else 'NOT met'}")
    print(f"  index < 500 MB: {big['memory_mb']:.0f} MB -> {'met' if big['memory_mb'] < 500 else 'NOT met'}")
    if "ratio" in big:
        ratio = big["min_kind_ratio"]
        verdict = "met" if ratio >= 20 else "NOT met"
        print(f"  >= 20x faster than SQL (worst query kind): {ratio:,.0f}x -> {verdict}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
