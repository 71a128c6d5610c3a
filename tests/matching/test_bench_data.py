"""bench/matching's synthetic people: ver.2.0 codes in the ver.2.0 items' rows, and queries that find people."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from matching.query import search
from matching.roles import role_targets
from taxonomies.dss import get_taxonomy

BENCH = Path(__file__).resolve().parents[2] / "bench" / "matching" / "run.py"


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_matching_run", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_people_hold_ver2_items_and_every_query_fills_a_page():
    bench = bench_module()
    tx = get_taxonomy()
    v2 = [s.id for s in tx.skill_items("2.0")]
    items = [s.id for v in tx.versions for s in tx.skill_items(v)]
    targets = role_targets()
    people = bench.build_people(20_000, targets, items, v2)
    index, _, _ = bench.make_index(people, targets, items)
    held = [index.profile_of(row) for row in range(0, 20_000, 397)]
    assert all(h for h in held)
    assert all(skill.startswith("v2-") for h in held for skill in h)  # were ver.1.2 items before the fix
    queries = bench.make_queries(targets, 12)
    assert bench.nonempty(index, queries) == []
    assert all(search(index, q).total >= 20 for _, q in queries)
    # the SQL side names the same items: its skill column is the index position of a ver.2.0 item
    assert {items[p] for p in people["position"]} == set(v2)
