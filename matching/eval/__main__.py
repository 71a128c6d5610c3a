"""``python -m matching.eval [--json]``: print the evaluation report."""

from __future__ import annotations

import json
import sys

from matching.eval.run import evaluate


def table(title: str, results: dict[str, dict], metric: str) -> list[str]:
    first = next(iter(results.values()))
    labels = [f"{part} (n={figures['n']})" for part, figures in first.items()]
    lines = [f"\n{title}", f"  {'method':34s}" + "".join(f"{label:>18s}" for label in labels)]
    for name, by_part in results.items():
        lines.append(f"  {name:34s}" + "".join(f"{by_part[p][metric]:>18.3f}" for p in first))
    return lines


def main(argv: list[str]) -> int:
    report = evaluate()
    if "--json" in argv:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    roles, jobs = report["role_recommendation"], report["job_text"]
    lines = ["matching evaluation (labels by the developer, see docs/matching.md)"]
    lines += table("Role recommendation: top-1 accuracy", roles, "top1")
    lines += table("Role recommendation: NDCG@5", roles, "ndcg@5")
    lines += table("Job text -> role: top-1 accuracy", jobs["roles"], "top1")
    lines += table("Job text -> skills: precision@5", jobs["skills"], "precision@5")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
