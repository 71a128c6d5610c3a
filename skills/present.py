"""JSON-ready views of a profile (own profile, share links): taxonomy order, names, evidence links."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from skills.assessment import PROFILE_VERSION, Gap, GroupSummary
from skills.profile import STATUSES, EvidencePiece, Profile, ProfileItem
from taxonomies.dss import get_taxonomy

SOURCE_HREFS = {
    "record": "/api/v1/me/records/{id}",
    "exam": "/api/v1/me/exams/{id}",
    "ob2_badge": "/api/v1/me/badges/ob2/{id}",
    "self": "/api/v1/me/self-assessment",
    "credential": "/api/v1/me/credentials/{id}",
    "credential_untrusted": "/api/v1/me/credentials/{id}",
}


def evidence_view(piece: EvidencePiece) -> dict[str, Any]:
    return {"id": piece.id, "source": piece.source, "source_id": piece.source_id, "tier": piece.tier,
            "href": SOURCE_HREFS[piece.source].format(id=piece.source_id), "label": piece.label,
            "level": piece.level, "weight": piece.weight,
            "observed_on": piece.observed_on.isoformat() if piece.observed_on else None}


def item_view(item: ProfileItem, *, with_evidence: bool) -> dict[str, Any]:
    skill = get_taxonomy().skill_item(item.skill_id)
    view: dict[str, Any] = {
        "skill_id": item.skill_id, "code": skill.code, "name_ja": skill.name_ja, "name_en": skill.name_en,
        "category_id": skill.category_id, "subcategory_id": skill.subcategory_id, "level": item.level,
        "status": item.status, "confidence": item.confidence, "levels": item.levels,
        "evidence_count": len(item.evidence),
    }
    if with_evidence:
        view["evidence"] = [evidence_view(p) for p in item.evidence]
    return view


def profile_view(profile: Profile, updated_at: datetime | None, *,
                 with_evidence: bool = True) -> dict[str, Any]:
    """Items in taxonomy order, with or without their evidence."""
    order = {s.id: i for i, s in enumerate(get_taxonomy().skill_items(PROFILE_VERSION))}
    items = sorted(profile.items.values(), key=lambda i: (order.get(i.skill_id, len(order)), i.skill_id))
    return {
        "version": PROFILE_VERSION, "updated_at": updated_at.isoformat() if updated_at else None,
        "evidence_count": profile.evidence_count,
        "counts": {status: sum(1 for i in items if i.status == status) for status in STATUSES},
        "items": [item_view(i, with_evidence=with_evidence) for i in items],
    }


def summaries_view(summaries: dict[str, list[GroupSummary]]) -> dict[str, Any]:
    groups = {kind: [asdict(g) for g in found] for kind, found in summaries.items()}
    return {"version": PROFILE_VERSION, **groups}


def gap_view(gap: Gap) -> dict[str, Any]:
    return {"version": PROFILE_VERSION, **asdict(gap)}
