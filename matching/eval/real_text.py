"""Evaluation on real public text (``matching/eval/realtext/``): records -> skill items, postings -> roles.

    python -m matching.eval.real_text [--split dev|test|all] [--json]

Records (course pages, syllabi): P@1 (first item in the gold set), hit@3 (any gold item in the top 3),
recall@3 (share of the gold items in the top 3), and for the level of the first gold item, accuracy
and MAE in level ranks (a=4 ... d=1) of the mapper's level rule against "always c". Postings (job ads
and role descriptions): role top-1 strict (the labelled role) and lenient (or one of ``also_roles``),
and skills hit@5 (a gold item among the first five proposed from the text); role top-1 also with the
first line (the job title) removed, since a title names the role by itself. Each figure per language
and overall, with a 95% percentile bootstrap interval (2,000 resamples, fixed seed), beside the
baselines: keyword matching and plain TF-IDF cosine for records, keyword skills and title-only roles
for postings.

The split is fixed by the id's SHA-256 (``split_of``), so adding items never moves old ones. Nothing
is fitted or tuned on this set; see realtext/README.md for how it was gathered and labelled.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "realtext"
SEED = 0
RESAMPLES = 2000
LEVEL_RANK = {"a": 4, "b": 3, "c": 2, "d": 1}


def split_of(item_id: str) -> str:
    """dev or test, from the first byte of the id's SHA-256 (about half each)."""
    return "dev" if hashlib.sha256(item_id.encode()).digest()[0] % 2 == 0 else "test"


def load(name: str, split: str = "all") -> list[dict]:
    rows = [json.loads(line) for line in (DATA_DIR / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if split == "all" or split_of(r["id"]) == split]


def bootstrap(values: Sequence[float], seed: int = SEED) -> dict:
    """Mean and 95% percentile interval of the mean."""
    data = np.asarray(values, dtype=float)
    if not len(data):
        return {"n": 0, "mean": None, "low": None, "high": None}
    rng = np.random.default_rng(seed)
    means = data[rng.integers(0, len(data), (RESAMPLES, len(data)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"n": len(data), "mean": round(float(data.mean()), 3), "low": round(float(low), 3),
            "high": round(float(high), 3)}


def by_language(rows: list[dict], per_row: Callable[[dict], float]) -> dict:
    scores = [(r["lang"], per_row(r)) for r in rows]
    return {lang: bootstrap([s for lg, s in scores if lang in ("all", lg)]) for lang in ("all", "ja", "en")}


def record_text_of(row: dict) -> str:
    from skills.mapping.text import record_text

    return record_text(row["title"], row["text"])


def mapper_rankings(rows: list[dict]) -> list[list[str]]:
    from skills.mapping import get_model, rank_texts

    model = get_model("2.0")
    return [[model.ids[i] for i, _ in ranks] for ranks in rank_texts([record_text_of(r) for r in rows], "2.0", 5)]


def lexical_rankings(rows: list[dict]) -> list[list[str]]:
    """The shipped model's lexical half alone (what runs with SKILLPASS_MAPPING_EMBEDDER=none)."""
    from skills.mapping import artefact, rank_texts

    model = artefact.load("2.0", embedder_spec="none")
    texts = [record_text_of(r) for r in rows]
    return [[model.ids[i] for i, _ in ranks] for ranks in rank_texts(texts, "2.0", 5, model=model)]


def keyword_rankings(rows: list[dict]) -> list[list[str]]:
    from skills.mapping.baseline import item_keywords, keyword_rank
    from taxonomies.dss import get_taxonomy

    items = get_taxonomy().skill_items("2.0")
    keywords = [item_keywords(i) for i in items]
    return [keyword_rank(record_text_of(r), items, 3, keywords) for r in rows]


def tfidf_rankings(rows: list[dict]) -> list[list[str]]:
    """Cosine between the record and each item's own text (names, descriptions, learning items): no training."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from skills.mapping.corpus import item_texts
    from taxonomies.dss import get_taxonomy

    items = get_taxonomy().skill_items("2.0")
    docs = [" ".join(item_texts(i)) for i in items]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit(docs)
    similarity = (vectorizer.transform([record_text_of(r) for r in rows]) @ vectorizer.transform(docs).T).toarray()
    return [[items[j].id for j in np.argsort(-row, kind="stable")[:3]] for row in similarity]


def record_scores(rows: list[dict], ranked: list[list[str]]) -> dict:
    by_id = {r["id"]: ranks for r, ranks in zip(rows, ranked)}

    def p1(r):
        return float(bool(by_id[r["id"]]) and by_id[r["id"]][0] in r["skills"])

    def hit3(r):
        return float(bool(set(by_id[r["id"]][:3]) & set(r["skills"])))

    def recall3(r):
        return len(set(by_id[r["id"]][:3]) & set(r["skills"])) / len(r["skills"])

    return {"p@1": by_language(rows, p1), "hit@3": by_language(rows, hit3), "recall@3": by_language(rows, recall3)}


def level_branches(rows: list[dict]) -> dict:
    """How often each branch of the text rule (``TextLevel.branch``) gave the labelled level: the
    figures behind ``skills.mapping.levels.BRANCH_CONFIDENCE`` (re-measure them on dev only)."""
    from skills.mapping import suggest_level
    from skills.mapping.levels import text_level

    tally: dict[str, list[int]] = {}
    for r in rows:
        by_text = text_level(record_text_of(r))
        right = suggest_level(r.get("hours"), None, None, None, by_text) == r["level"]
        counts = tally.setdefault(by_text.branch or "no cue", [0, 0])
        counts[0] += right
        counts[1] += 1
    return {branch: {"right": right, "n": n, "laplace": round((right + 1) / (n + 2), 2)}
            for branch, (right, n) in sorted(tally.items())}


def level_scores(rows: list[dict]) -> dict:
    from skills.mapping import suggest_level

    out = {}
    for name, level_of in (("mapper level rule", lambda r: suggest_level(r.get("hours"), None, None, None,
                                                                         record_text_of(r))),
                           ("hours-only rule", lambda r: suggest_level(r.get("hours"), None, None, None)),
                           ("always c", lambda r: "c")):
        out[name] = {"accuracy": by_language(rows, lambda r: float(level_of(r) == r["level"])),
                     "mae": by_language(rows, lambda r: abs(LEVEL_RANK[level_of(r)] - LEVEL_RANK[r["level"]]))}
    return out


def body_of(text: str) -> str:
    """The posting without its first line (the job title), to see what the prose alone gives."""
    return text.split("\n", 1)[1] if "\n" in text else text


def posting_scores(rows: list[dict]) -> dict:
    from matching.eval.baselines import keyword_skills
    from matching.job_text import analyze_job, title_hits

    analyses = {r["id"]: analyze_job(r["text"]) for r in rows}
    untitled = {r["id"]: analyze_job(body_of(r["text"])) for r in rows}

    def engine_top(r):
        return analyses[r["id"]].roles[0].id

    def untitled_top(r):
        return untitled[r["id"]].roles[0].id

    def title_top(r):
        hits = title_hits(r["text"])
        return max(sorted(hits), key=hits.get) if hits else None

    def strict(top):
        return lambda r: float(top(r) == r["role"])

    def lenient(top):
        return lambda r: float(top(r) in {r["role"], *r["also_roles"]})

    def skills_hit5(r):
        text_skills = [s.id for s in analyses[r["id"]].skills if s.source == "text"][:5]
        return float(bool(set(text_skills) & set(r["skills"])))

    return {
        "engine": {"role top-1 strict": by_language(rows, strict(engine_top)),
                   "role top-1 lenient": by_language(rows, lenient(engine_top)),
                   "skills hit@5": by_language(rows, skills_hit5),
                   "role top-1 strict, title line removed": by_language(rows, strict(untitled_top)),
                   "role top-1 lenient, title line removed": by_language(rows, lenient(untitled_top))},
        "baselines": {"title-only role top-1 strict": by_language(rows, strict(title_top)),
                      "title-only role top-1 lenient": by_language(rows, lenient(title_top)),
                      "keyword skills hit@5": by_language(
                          rows, lambda r: float(bool(set(keyword_skills(r["text"])[:5]) & set(r["skills"]))))},
        "engine top role per posting": {r["id"]: engine_top(r) for r in rows},
    }


def evaluate(split: str = "all") -> dict:
    records, postings = load("records", split), load("postings", split)
    systems = {"mapper (fused: TF-IDF + e5 head)": mapper_rankings, "mapper, lexical half only": lexical_rankings,
               "TF-IDF cosine baseline": tfidf_rankings,
               "keyword baseline": keyword_rankings}
    return {"split": split, "records": {name: record_scores(records, rank(records)) for name, rank in systems.items()},
            "levels": level_scores(records), "level branches": level_branches(records),
            "postings": posting_scores(postings)}


def fmt(cell: dict) -> str:
    if not cell["n"]:
        return "—"
    return f"{cell['mean']:.2f} [{cell['low']:.2f}, {cell['high']:.2f}] n={cell['n']}"


def print_table(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"  {'':<44}{'all':<26}{'ja':<26}{'en':<26}")
    for name, cells in rows.items():
        print(f"  {name:<44}" + "".join(f"{fmt(cells[lang]):<26}" for lang in ("all", "ja", "en")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["dev", "test", "all"], default="all")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = evaluate(args.split)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"real-text evaluation, split {args.split} (mean [95% bootstrap interval] n)")
    print_table("records -> skill items", {f"{system}: {metric}": cell for system, metrics in result["records"].items()
                                           for metric, cell in metrics.items()})
    print_table("records -> level of the first gold item", {f"{rule}: {metric}": cell
                                                            for rule, metrics in result["levels"].items()
                                                            for metric, cell in metrics.items()})
    print("  level rule per branch (right/n, Laplace-smoothed): " + ", ".join(
        f"{branch} {c['right']}/{c['n']} ({c['laplace']})" for branch, c in result["level branches"].items()))
    print_table("postings -> roles and skills", {**result["postings"]["engine"], **result["postings"]["baselines"]})


if __name__ == "__main__":
    main()
