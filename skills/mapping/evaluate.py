"""Evaluate the mapper against the keyword baseline on the hand-labelled set.

    python -m skills.mapping.evaluate [--data tests/data/records_eval.jsonl] [--json] [--ablation]

Metrics, over the top-3 predictions of each record against its gold set G (ver.2.0 ids):
- precision@3 = |top3 ∩ G| / 3 (the standard definition; its ceiling is mean(min(3,|G|))/3 < 1 when
  records have fewer than 3 gold items);
- capped precision@3 = |top3 ∩ G| / min(3, |G|) (1.0 when every slot that could be right is right);
- recall@3 = |top3 ∩ G| / |G|; hit@1 = top-1 item in G;
- micro P/R/F1: hits, predictions and gold items summed over all records, then
  P = hits / predictions, R = hits / gold, F1 = 2PR / (P + R). The baseline may predict fewer than 3.
Calibration (model only): expected calibration error and Brier score of the confidences of the
top-5 predictions, with "relevant" meaning "in the gold set".
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from taxonomies.dss import get_taxonomy

from skills.mapping.baseline import item_keywords, keyword_rank
from skills.mapping.corpus import build_corpus
from skills.mapping.mapper import get_model, rank_texts
from skills.mapping.model import fit_classifier, scores, training_samples
from skills.mapping.text import record_text

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "records_eval.jsonl"
K = 3
CALIBRATION_TOP = 5
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class Scores:
    """Ranking metrics of one system on one subset of the evaluation set."""

    n: int
    precision_at_3: float
    precision_at_3_ceiling: float  # best P@3 any system could reach on these gold sets
    capped_precision_at_3: float
    recall_at_3: float
    hit_at_1: float
    micro_precision: float
    micro_recall: float
    micro_f1: float


@dataclass(frozen=True)
class Calibration:
    """How well the top-5 confidences match how often those items are in the gold set."""

    n: int
    mean_confidence: float
    relevant_rate: float
    ece: float
    brier: float


def load_eval(path: Path = DEFAULT_DATA) -> list[dict]:
    """Evaluation records: title, description, lang, skills (gold ver.2.0 ids), ..."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_predictions(predictions: list[list[str]], golds: list[set[str]]) -> Scores:
    """Ranking metrics of top-k predictions against gold sets (see the module docstring)."""
    hits = [len(set(p[:K]) & g) for p, g in zip(predictions, golds)]
    n_pred = sum(len(p[:K]) for p in predictions)
    n_gold = sum(len(g) for g in golds)
    micro_p = sum(hits) / n_pred if n_pred else 0.0
    micro_r = sum(hits) / n_gold if n_gold else 0.0
    f1 = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    return Scores(
        n=len(golds),
        precision_at_3=float(np.mean([h / K for h in hits])),
        precision_at_3_ceiling=float(np.mean([min(K, len(g)) / K for g in golds])),
        capped_precision_at_3=float(np.mean([h / min(K, len(g)) for h, g in zip(hits, golds)])),
        recall_at_3=float(np.mean([h / len(g) for h, g in zip(hits, golds)])),
        hit_at_1=float(np.mean([bool(p) and p[0] in g for p, g in zip(predictions, golds)])),
        micro_precision=micro_p, micro_recall=micro_r, micro_f1=f1,
    )


def calibration(confidences: list[float], relevant: list[bool]) -> Calibration:
    """Expected calibration error (equal-width bins) and Brier score."""
    conf, rel = np.asarray(confidences), np.asarray(relevant, dtype=float)
    bins = np.minimum((conf * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    ece = sum(abs(conf[bins == b].mean() - rel[bins == b].mean()) * (bins == b).sum()
              for b in range(CALIBRATION_BINS) if (bins == b).any()) / len(conf)
    return Calibration(len(conf), float(conf.mean()), float(rel.mean()), float(ece),
                       float(np.mean((conf - rel) ** 2)))


def model_predictions(records: list[dict]) -> list[list[tuple[str, float]]]:
    """Top-5 (id, confidence) of the ver.2.0 model for each evaluation record."""
    model = get_model("2.0")
    ranked = rank_texts([record_text(r["title"], r.get("description", "")) for r in records], "2.0",
                        CALIBRATION_TOP)
    return [[(model.ids[i], c) for i, c in row] for row in ranked]


def baseline_predictions(records: list[dict]) -> list[list[str]]:
    """Top-3 ids of the keyword baseline for each evaluation record."""
    items = get_taxonomy().skill_items("2.0")
    keywords = [item_keywords(item) for item in items]
    return [keyword_rank(record_text(r["title"], r.get("description", "")), items, K, keywords)
            for r in records]


def taxonomy_only_predictions(records: list[dict]) -> list[list[str]]:
    """Ablation: top-3 ids of the same classifier fitted on the DSS text alone (no training examples)."""
    corpus = build_corpus("2.0")
    classifier = fit_classifier(*training_samples(corpus, ()))
    raw = scores(classifier, [record_text(r["title"], r.get("description", "")) for r in records])
    return [[corpus.ids[i] for i in row] for row in np.argsort(-raw, axis=1)[:, :K]]


def evaluate(records: list[dict], ablation: bool = False) -> dict:
    """Metrics for model and baseline on ja, en and all records, plus the model's calibration."""
    golds = [set(r["skills"]) for r in records]
    model = model_predictions(records)
    model_ids = [[i for i, _ in row] for row in model]
    systems = {"model": model_ids, "baseline": baseline_predictions(records)}
    if ablation:
        systems["dss_only"] = taxonomy_only_predictions(records)
    report: dict = {name: {} for name in systems}
    for subset in ("ja", "en", "all"):
        rows = [i for i, r in enumerate(records) if subset == "all" or r["lang"] == subset]
        for name, predictions in systems.items():
            report[name][subset] = asdict(score_predictions([predictions[i] for i in rows], [golds[i] for i in rows]))
    pairs = [(c, i in g) for row, g in zip(model, golds) for i, c in row]
    report["calibration"] = asdict(calibration([c for c, _ in pairs], [r for _, r in pairs]))
    report["reliability"] = reliability_table([c for c, _ in pairs], [r for _, r in pairs])
    return report


def reliability_table(confidences: list[float], relevant: list[bool], edges=(0, .2, .4, .6, .8, 1.0001)) -> list:
    """Share of relevant items per confidence band: [low, high, count, mean confidence, relevant rate]."""
    conf, rel = np.asarray(confidences), np.asarray(relevant, dtype=float)
    table = []
    for low, high in zip(edges, edges[1:]):
        mask = (conf >= low) & (conf < high)
        if mask.any():
            table.append([low, min(high, 1.0), int(mask.sum()), round(float(conf[mask].mean()), 3),
                          round(float(rel[mask].mean()), 3)])
    return table


def format_report(report: dict) -> str:
    """Plain-text tables of the report."""
    lines = ["system    subset    n   P@3  (ceiling)  cappedP@3  R@3  hit@1  microP  microR  microF1"]
    for system in [name for name in report if name not in ("calibration", "reliability")]:
        for subset, s in report[system].items():
            lines.append(f"{system[:9]:9s} {subset:5s} {s['n']:4d}  {s['precision_at_3']:.3f} ({s['precision_at_3_ceiling']:.3f})"
                         f"    {s['capped_precision_at_3']:.3f}"
                         f"    {s['recall_at_3']:.3f}  {s['hit_at_1']:.3f}  {s['micro_precision']:.3f}"
                         f"   {s['micro_recall']:.3f}   {s['micro_f1']:.3f}")
    c = report["calibration"]
    lines.append(f"calibration (model, top-{CALIBRATION_TOP}): n={c['n']} mean confidence={c['mean_confidence']:.3f} "
                 f"relevant rate={c['relevant_rate']:.3f} ECE={c['ece']:.3f} Brier={c['brier']:.3f}")
    lines.append("confidence band   count  mean conf  relevant rate")
    lines += [f"[{lo:.1f}, {hi:.1f})        {n:5d}  {mc:.3f}      {rr:.3f}" for lo, hi, n, mc, rr in report["reliability"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Command line: print the evaluation tables (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--ablation", action="store_true",
                        help="also score the classifier fitted on the DSS text alone (no training examples)")
    args = parser.parse_args(argv)
    report = evaluate(load_eval(args.data), ablation=args.ablation)
    print(json.dumps(report, indent=2) if args.json else format_report(report))


if __name__ == "__main__":
    main()
