"""Benchmark: learning records mapped per second (median of runs) for 10,000 records.

    .venv/bin/python bench/records/run.py [--records 10000] [--runs 5] [--version 2.0]

Records are built from the evaluation set's titles and descriptions (cycled, each made unique by a
suffix). Prints the one-off model build time, then records/s for mapping alone (map_records on
parsed records) and for parse + map from CSV bytes. Checks that what it timed is real mapping: every
record parsed, every record mapped to at least one item, and the top 5 holding one of the evaluation
set's expected items for most records (ver.2.0); exits 1 otherwise.
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

from skills.mapping import get_model, map_records  # noqa: E402
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


def main() -> int:
    parser = argparse.ArgumentParser(description="records mapped per second")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--version", default="2.0", choices=["2.0", "1.2"])
    args = parser.parse_args()

    build = timed(lambda: get_model(args.version))
    data = make_csv(args.records)
    records = parse_records(data, "bench.csv").records
    assert len(records) == args.records
    map_times = [timed(lambda: map_records(records, version=args.version, top_k=5)) for _ in range(args.runs)]
    full_times = [timed(lambda: map_records(parse_records(data, "bench.csv").records, version=args.version))
                  for _ in range(args.runs)]
    n = args.records
    print(f"DSS {args.version}: model build (first use) {build:.2f} s")
    print(f"map_records, {n} records, top 5: median {statistics.median(map_times):.3f} s over {args.runs} runs "
          f"-> {n / statistics.median(map_times):,.0f} records/s (best {n / min(map_times):,.0f})")
    print(f"parse CSV + map, {n} records: median {statistics.median(full_times):.3f} s "
          f"-> {n / statistics.median(full_times):,.0f} records/s")
    problems = check(map_records(records, version=args.version, top_k=5), n, args.version)
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
