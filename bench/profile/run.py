"""Benchmark: compute_profile (the aggregation rule) on synthetic evidence; median of runs.

    .venv/bin/python bench/profile/run.py [--pieces 100 500 2000] [--runs 200]

Evidence is drawn with a fixed seed over the 67 DSS ver.2.0 skill items: sources in the proportions a
busy learner has (records 60 %, credentials 10 %, badges 10 %, exams 10 %, self-assessment 10 %),
levels a-d, weights 0.1-1.0. Prints the median and 95th percentile per size, and the median of the
JSON view the API returns for the same profile (taxonomy names, evidence links).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pieces", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    get_taxonomy()  # loaded once, as in the running app
    print(f"compute_profile, median of {args.runs} runs (python {sys.version.split()[0]})")
    medians = {}
    for n in args.pieces:
        evidence = make_evidence(n)
        profile = compute_profile(evidence)
        compute = timings_ms(lambda e=evidence: compute_profile(e), args.runs)
        view = timings_ms(lambda p=profile: profile_view(p, None), args.runs)
        medians[n] = statistics.median(compute)
        p95 = statistics.quantiles(compute, n=20)[-1]
        print(f"  {n:>5} pieces -> {len(profile.items):>2} items: "
              f"compute_profile median {medians[n]:6.2f} ms "
              f"(p95 {p95:6.2f} ms); JSON view median {statistics.median(view):6.2f} ms")
    if 500 in medians:
        verdict = "within" if medians[500] < BUDGET_MS else "OVER"
        print(f"budget: {medians[500]:.2f} ms at 500 pieces, {verdict} the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
