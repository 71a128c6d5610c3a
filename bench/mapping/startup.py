"""Benchmark: wall time of `skillpass records map` and `skillpass match job` from a cold process.

    .venv/bin/python bench/mapping/startup.py [--runs 5] [--postings 60] [--limit 1.5]

Runs each command --runs times in a fresh process (median and max printed, with the CPU seconds of
the child: less sensitive than wall time to the other jobs of a shared machine, whose load average is
printed), then one `match job --jsonl` over --postings postings (postings/s). Checks that every timed
answer is non-empty and equal to the in-process call (``map_records`` / ``analyze_job``); exits 1 when a
check fails or a median exceeds --limit seconds (the issue's 1.5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SKILLPASS = [sys.executable, "-m", "skillpass.cli"]

RECORDS_CSV = "title,description,hours\nPythonで学ぶ機械学習入門,回帰と分類の基礎,20\nAWS cloud architecture,VPC and IAM,10\n"
POSTING = ("データエンジニア募集\nPythonとSQLでETLパイプラインを構築・運用できる方。\n"
           "AWS (S3, Glue) とデータウェアハウス設計の経験を歓迎します。")
POSTINGS = [POSTING, "Frontend engineer\nReact and TypeScript web UI development in a small team.",
            "セキュリティエンジニア\n脆弱性診断とインシデント対応、SOC運用の経験がある方。",
            "Data scientist: build and evaluate machine learning models (Python, statistics, A/B tests)."]


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(args: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one command in a fresh process, and its output."""
    start, cpu = time.perf_counter(), child_cpu()
    done = subprocess.run([*SKILLPASS, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {done.stderr.strip()}")
    return elapsed, child_cpu() - cpu, done.stdout


def load_text() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def expected_records(path: Path) -> list[dict]:
    from skills.cli import output_lines, read_records
    from skills.mapping import map_records

    result = read_records(path)
    return output_lines(result, map_records(result.records))


def expected_job(text: str) -> dict:
    from matching.job_text import analyze_job
    from matching.present import job_view

    return job_view(analyze_job(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postings", type=int, default=60)
    parser.add_argument("--limit", type=float, default=1.5)
    args = parser.parse_args()
    failures = []
    print(f"machine: {os.cpu_count()} cores, load average {load_text()} (1/5/15 min) at start")
    with tempfile.TemporaryDirectory() as tmp:
        records, posting, jsonl = Path(tmp, "r.csv"), Path(tmp, "job.txt"), Path(tmp, "jobs.jsonl")
        records.write_text(RECORDS_CSV, encoding="utf-8")
        posting.write_text(POSTING, encoding="utf-8")
        rows = [{"id": f"p{i}", "text": POSTINGS[i % len(POSTINGS)] + f" (#{i})"} for i in range(args.postings)]
        jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
        cases = {"records map": (["records", "map", str(records)], expected_records(records), "lines"),
                 "match job": (["match", "job", str(posting)], expected_job(POSTING), "object")}
        for name, (argv, expected, shape) in cases.items():
            times, cpus = [], []
            for _ in range(args.runs):
                elapsed, cpu, out = timed_run(argv)
                times.append(elapsed)
                cpus.append(cpu)
                got = [json.loads(line) for line in out.splitlines()] if shape == "lines" else json.loads(out)
                empty = not got or (shape == "lines" and not all(r.get("skills") for r in got)) or \
                    (shape == "object" and not (got["roles"] and got["skills"]))
                if empty or got != expected:
                    failures.append(f"{name}: answer empty or different from the in-process call")
            median = statistics.median(times)
            print(f"{name:<12} start-to-answer median {median:.2f} s, max {max(times):.2f} s, "
                  f"CPU median {statistics.median(cpus):.2f} s ({args.runs} runs)")
            if median > args.limit:
                failures.append(f"{name}: median {median:.2f} s > {args.limit} s")
        elapsed, _, out = timed_run(["match", "job", "--jsonl", str(jsonl)])
        lines = [json.loads(line) for line in out.splitlines()]
        if [line["id"] for line in lines] != [r["id"] for r in rows] or not all(line["roles"] for line in lines):
            failures.append("match job --jsonl: ids out of order or empty answers")
        if {k: v for k, v in lines[0].items() if k != "id"} != expected_job(rows[0]["text"]):
            failures.append("match job --jsonl: first answer differs from the in-process call")
        print(f"match job --jsonl: {args.postings} postings in {elapsed:.2f} s "
              f"({args.postings / elapsed:.0f} postings/s including start-up); load average {load_text()}")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
