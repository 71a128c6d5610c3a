"""The evaluation itself: every method on every set, as a plain dict of figures."""

from __future__ import annotations

from collections.abc import Callable

from matching.eval.baselines import cosine_rank, fit_learned, keyword_skills, learned_rank
from matching.eval.data import LabelledJob, LabelledProfile, load_jobs, load_profiles
from matching.eval.metrics import mean, ndcg_at, precision_at, top1
from matching.job_text import analyze_job, rank_roles, skill_confidences, title_hits
from matching.roles import Profile, Target, rank_targets, role_targets

DEV_IDS = {f"p{i:02d}" for i in range(1, 65)}  # method chosen on these; p65-p96 held out
DEV_JOB_IDS = {f"j{i:02d}" for i in range(1, 41)}  # role titles written for these; j41-j60 held out
K = 5

RoleRanker = Callable[[Profile], list[str]]


def role_rankers(targets: list[Target]) -> dict[str, RoleRanker]:
    """The engine (fit), its coverage score, plain cosine and the learned model."""
    learned = fit_learned(targets)
    by_coverage = lambda p: [m.target.id for m in sorted(rank_targets(p, targets),  # noqa: E731
                                                         key=lambda m: (-m.coverage, m.target.id))]
    return {
        "engine (fit)": lambda p: [m.target.id for m in rank_targets(p, targets)],
        "coverage only": by_coverage,
        "cosine baseline": lambda p: cosine_rank(p, targets),
        "learned (logistic regression)": lambda p: learned_rank(learned, p, targets),
    }


def evaluate_roles(profiles: list[LabelledProfile], rankers: dict[str, RoleRanker]) -> dict[str, dict]:
    out = {}
    for name, rank in rankers.items():
        ranked = [(p, rank(p.skills)) for p in profiles]
        out[name] = {part: {"n": len(rows), "top1": round(mean([top1(r, p.role) for p, r in rows]), 3),
                            f"ndcg@{K}": round(mean([ndcg_at(r, p.relevance, K) for p, r in rows]), 3)}
                     for part, rows in (("dev", [x for x in ranked if x[0].id in DEV_IDS]),
                                        ("held_out", [x for x in ranked if x[0].id not in DEV_IDS]),
                                        ("all", ranked))}
    return out


def _job_rows(jobs: list[LabelledJob]) -> list[dict]:
    rows = []
    for job in jobs:
        analysis = analyze_job(job.text)
        confidences = skill_confidences(job.text)
        by_text = sorted(confidences, key=lambda s: -confidences[s])
        by_skills = [g.id for g in rank_roles(confidences, {})]
        hits = title_hits(job.text)
        rows.append({
            "job": job, "engine_roles": [g.id for g in analysis.roles],
            "title_roles": sorted(hits, key=lambda r: -hits[r]), "skill_roles": by_skills,
            "engine_skills": [s.id for s in analysis.skills], "mapper_skills": by_text,
            "keyword_skills": keyword_skills(job.text),
        })
    return rows


def evaluate_jobs(jobs: list[LabelledJob]) -> dict[str, dict]:
    rows = _job_rows(jobs)
    out: dict[str, dict] = {"roles": {}, "skills": {}}
    parts = (("dev", [r for r in rows if r["job"].id in DEV_JOB_IDS]),
             ("held_out", [r for r in rows if r["job"].id not in DEV_JOB_IDS]),
             ("ja", [r for r in rows if r["job"].lang == "ja"]),
             ("en", [r for r in rows if r["job"].lang == "en"]), ("all", rows))
    for part, selected in parts:
        for key, name in (("engine_roles", "engine (skills + titles)"), ("skill_roles", "skills only"),
                          ("title_roles", "job-title keywords only")):
            out["roles"].setdefault(name, {})[part] = {
                "n": len(selected), "top1": round(mean([top1(r[key], r["job"].role) for r in selected]), 3)}
        for key, name in (("engine_skills", "engine proposal"), ("mapper_skills", "mapper, sentence max"),
                          ("keyword_skills", "keyword baseline")):
            out["skills"].setdefault(name, {})[part] = {
                "n": len(selected),
                f"precision@{K}": round(mean([precision_at(r[key], set(r["job"].skills), K)
                                          for r in selected]), 3)}
        # Jobs name 2-5 items, so even a perfect proposal cannot reach precision@5 = 1.
        out["skills"].setdefault("ceiling (all gold items first)", {})[part] = {
            "n": len(selected),
            f"precision@{K}": round(mean([min(len(r["job"].skills), K) / K for r in selected]), 3)}
    return out


def evaluate() -> dict[str, dict]:
    """Every figure the report prints (deterministic)."""
    targets = role_targets()
    return {"role_recommendation": evaluate_roles(load_profiles(), role_rankers(targets)),
            "job_text": evaluate_jobs(load_jobs())}
