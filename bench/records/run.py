"""Benchmark: learning records mapped per second (median of runs), fused model beside its lexical half.

    .venv/bin/python bench/records/run.py [--records 2000] [--runs 3] [--version 2.0]

Records are built from the evaluation set's titles and descriptions (cycled, each made unique by a
suffix). Prints the one-off model load time, then records/s on the same records for: the fused model
cold (embedding memo emptied before each run: every text embedded), the fused model warm (the same
texts again: vectors from the memo, as for repeated course titles), the lexical half alone
(``SKILLPASS_MAPPING_EMBEDDER=none``), and parse + map from CSV bytes. Checks that what it timed is real
mapping: every record mapped to at least one item, and for both peers the top 5 holding one of the
evaluation set's expected items for most records (ver.2.0); exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skills.mapping import artefact, get_model, map_records, rank_texts  # noqa: E402
from skills.mapping.text import record_text  # noqa: E402
from skills.record_parsing import parse_records  # noqa: E402

EVAL = ROOT / "tests" / "data" / "records_eval.jsonl"


MIN_HIT_SHARE = 0.5  # of records whose top 5 holds an expected item (the evaluation set's own figure is higher)


def eval_rows() -> list[dict]:
    return [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def check(matches: list[list], n: int, version: str) -> list[str]:
    """What shows the timed mapping did not really map (empty when it did)."""
    problems = []
    if len(matches) != n:
        problems.append(f"{len(matches)} results for {n} records")
    empty = sum(1 for m in matches if not m)
    if empty:
        problems.append(f"{empty} records mapped to nothing")
    if version == "2.0":
        source = eval_rows()
        hits = sum(1 for i, m in enumerate(matches) if {x.id for x in m} & set(source[i % len(source)]["skills"]))
        if hits < MIN_HIT_SHARE * n:
            problems.append(f"only {hits / n:.0%} of records have an expected item in their top 5")
        else:
            print(f"check: every record mapped; {hits / n:.0%} have an expected item in their top 5")
    return problems


def make_csv(n: int) -> bytes:
    """n records as UTF-8 CSV bytes."""
    source = eval_rows()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "description", "provider", "hours", "completion_date", "score", "lang"])
    for i in range(n):
        r = source[i % len(source)]
        writer.writerow([f"{r['title']} #{i}", r["description"], r["provider"], r["hours"],
                         f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", 60 + i % 41, r["lang"]])
    return out.getvalue().encode("utf-8")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def rate(n: int, times: list[float]) -> str:
    return f"median {statistics.median(times):.3f} s -> {n / statistics.median(times):,.0f} records/s"


def main() -> int:
    parser = argparse.ArgumentParser(description="records mapped per second")
    parser.add_argument("--records", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--version", default="2.0", choices=["2.0", "1.2"])
    args = parser.parse_args()

    build = timed(lambda: get_model(args.version))
    fused = get_model(args.version)
    lexical = artefact.load(args.version, embedder_spec="none")
    data = make_csv(args.records)
    records = parse_records(data, "bench.csv").records
    assert len(records) == args.records
    texts = [record_text(r.title, r.description) for r in records]
    n = args.records

    def cold() -> None:
        fused.embedder._memo.clear()  # type: ignore[union-attr]
        map_records(records, version=args.version, top_k=5)

    cold_times = [timed(cold) for _ in range(args.runs)]
    warm_times = [timed(lambda: map_records(records, version=args.version, top_k=5)) for _ in range(args.runs)]
    lexical_times = [timed(lambda: rank_texts(texts, args.version, 5, model=lexical)) for _ in range(args.runs)]
    full_times = [timed(lambda: map_records(parse_records(data, "bench.csv").records, version=args.version))
                  for _ in range(args.runs)]
    print(f"DSS {args.version}: model load (first use) {build:.2f} s; {fused.meta['semantic_status']}")
    print(f"fused, cold (every text embedded), {n} records: {rate(n, cold_times)}")
    print(f"fused, warm (vectors from the memo):  {rate(n, warm_times)}")
    print(f"lexical half alone:                   {rate(n, lexical_times)}")
    print(f"ratio lexical / fused cold: {statistics.median(cold_times) / statistics.median(lexical_times):.1f}x faster")
    print(f"parse CSV + map (fused, warm), {n} records: {rate(n, full_times)}")
    problems = check(map_records(records, version=args.version, top_k=5), n, args.version)
    lexical_matches = [[type("M", (), {"id": lexical.ids[i]})() for i, _ in ranks]
                       for ranks in rank_texts(texts, args.version, 5, model=lexical)]
    problems += [f"lexical: {p}" for p in check(lexical_matches, n, args.version)]
    if not fused.semantic:
        problems.append("the fused model is not fused: " + fused.meta["semantic_status"])
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
