"""Plain JSON shapes of matching results, shared by the API and the CLI."""

from __future__ import annotations

from functools import cache
from typing import Any

from matching.job_text import JobAnalysis
from matching.paths import Closure, Gap, LearningPath
from matching.roles import RANK, Need, TargetMatch
from taxonomies.dss import get_taxonomy, level_rank

OUTCOMES = ("met", "partly_met", "missing")


@cache
def _names() -> dict[str, tuple[str, str]]:
    """Item labels, read once (``get_taxonomy()`` checks the overlay file on every call)."""
    tx = get_taxonomy()
    return {item.id: (item.name_ja, item.name_en) for v in tx.versions for item in tx.skill_items(v)}


def item_names(skill_id: str) -> dict[str, str]:
    name_ja, name_en = _names()[skill_id]
    return {"name_ja": name_ja, "name_en": name_en}


def need_view(need: Need) -> dict[str, Any]:
    return {"skill_id": need.skill_id, **item_names(need.skill_id), "required": need.required,
            "held": need.held, "status": need.status}


def explanation(match: TargetMatch, min_required: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Needs grouped met / partly met / missing; ``min_required`` leaves out less important needs."""
    floor = level_rank(min_required) if min_required else 0
    groups: dict[str, list[dict[str, Any]]] = {o: [] for o in OUTCOMES}
    for need in match.needs:
        if RANK[need.required] >= floor or need.outcome != "missing":
            groups[need.outcome].append(need_view(need))
    return groups


def target_match_view(match: TargetMatch, *, detail: bool = True) -> dict[str, Any]:
    """A ranked role or posting; role explanations list missing needs only from level c up."""
    target = match.target
    view: dict[str, Any] = {"kind": target.kind, "id": target.id, "name_ja": target.name_ja,
                            "name_en": target.name_en, "score": match.score, "coverage": match.coverage}
    if target.kind == "role":
        view["extension"] = target.extension
    if detail:
        view.update(explanation(match, "c" if target.kind == "role" else None))
    return view


def gap_view(gap: Gap) -> dict[str, Any]:
    return {"skill_id": gap.skill_id, **item_names(gap.skill_id), "current": gap.current,
            "required": gap.required}


def closure_view(closure: Closure) -> dict[str, Any]:
    return {"skill_id": closure.skill_id, **item_names(closure.skill_id), "from": closure.from_level,
            "to": closure.to_level, "required": closure.required, "closes": closure.closes}


def path_view(path: LearningPath) -> dict[str, Any]:
    return {
        "target": {"kind": path.target.kind, "id": path.target.id, "name_ja": path.target.name_ja,
                   "name_en": path.target.name_en},
        "steps": [{"course": {"id": s.course.id, "provider": s.course.provider,
                              "provider_en": s.course.provider, "provider_ja": s.course.provider_ja or s.course.provider,
                              "title_ja": s.course.title_ja,
                              "title_en": s.course.title_en, "hours": s.course.hours,
                              "price_jpy": s.course.price_jpy, "language": s.course.language,
                              "mode": s.course.mode, "url": s.course.url},
                   "closes": [closure_view(c) for c in s.closures], "phase": s.phase} for s in path.steps],
        "total_hours": path.total_hours, "total_price_jpy": path.total_price,
        "gaps": [gap_view(g) for g in path.gaps], "remaining": [gap_view(g) for g in path.remaining],
        "gap_before": path.gap_before, "gap_after": path.gap_after,
    }


def job_view(analysis: JobAnalysis, top_roles: int = 5) -> dict[str, Any]:
    """The ``match job`` shape: DSS roles best first, proposed skills, then the extension roles apart."""
    return {
        "roles": [{"id": r.id, "name_ja": r.name_ja, "name_en": r.name_en, "score": r.score}
                  for r in analysis.roles[:top_roles]],
        "extension_roles": [{"id": r.id, "name_ja": r.name_ja, "name_en": r.name_en, "score": r.score}
                            for r in analysis.extension_roles],
        "skills": [{"id": s.id, "name_ja": s.name_ja, "name_en": s.name_en, "level": s.level,
                    "confidence": s.confidence, "source": s.source} for s in analysis.skills],
    }
