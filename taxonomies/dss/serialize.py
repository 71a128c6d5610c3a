"""Plain-dict (JSON) views of taxonomy concepts, shared by the JSON export and the API."""

from __future__ import annotations

from typing import Any

from taxonomies.dss.levels import DEFINITIONS, LEVELS
from taxonomies.dss.models import (
    Category,
    CrosswalkLink,
    Exam,
    LiteracyCategory,
    LiteracyItem,
    OccupationLink,
    PersonType,
    Role,
    SearchHit,
    SkillItem,
    Subcategory,
)
from taxonomies.dss.profiles import ESTIMATE_LABEL_EN, ESTIMATE_LABEL_JA
from taxonomies.dss.taxonomy import Taxonomy


def concept_uri(base_url: str, uri_path: str) -> str:
    return base_url.rstrip("/") + uri_path


def _base(concept: Any, base_url: str, kind: str) -> dict[str, Any]:
    return {"id": concept.id, "type": kind, "version": concept.version,
            "uri": concept_uri(base_url, concept.uri_path), "name_ja": concept.name_ja,
            "name_en": concept.name_en}


def _provenance(concept: Any) -> dict[str, Any]:
    return {"provenance": concept.provenance, "sources": list(concept.sources), "note": concept.note}


def category_dict(cat: Category, base_url: str, tx: Taxonomy | None = None) -> dict[str, Any]:
    out = {**_base(cat, base_url, "category"), "code": cat.code, **_provenance(cat)}
    if tx is not None:
        out["subcategories"] = [subcategory_dict(s, base_url) for s in tx.subcategories(cat.version, cat.id)]
    return out


def subcategory_dict(sub: Subcategory, base_url: str) -> dict[str, Any]:
    return {**_base(sub, base_url, "subcategory"), "code": sub.code, "category": sub.category_id,
            **_provenance(sub)}


def skill_dict(skill: SkillItem, base_url: str) -> dict[str, Any]:
    return {
        **_base(skill, base_url, "skill"), "code": skill.code,
        "category": skill.category_id, "subcategory": skill.subcategory_id,
        "description_ja": skill.description_ja, "description_en": skill.description_en,
        "learning_items_ja": list(skill.learning_items_ja),
        "learning_items_en": list(skill.learning_items_en),
        **_provenance(skill),
    }


def person_type_dict(pt: PersonType, base_url: str) -> dict[str, Any]:
    return {**_base(pt, base_url, "person-type"), "roles": list(pt.role_ids),
            "definition_en": pt.definition_en, **_provenance(pt)}


def role_dict(role: Role, base_url: str, skill_ids: list[str] | None = None) -> dict[str, Any]:
    """A role with its requirements (on ``skill_ids``, default every skill item)."""
    reqs = role.requirements_for(skill_ids) if skill_ids is not None else role.requirements
    return {
        **_base(role, base_url, "role"), "person_type": role.person_type_id, "extension": role.extension,
        "label_en": "platform extension (skillpass)" if role.extension else None,
        **_provenance(role),
        "rationale_en": role.rationale_en, "rationale_ja": role.rationale_ja,
        "requirements": [
            {"skill": sid, "level": req.level, "provenance": req.provenance,
             "provenance_label_en": ESTIMATE_LABEL_EN if req.provenance == "estimated" else None,
             "provenance_label_ja": ESTIMATE_LABEL_JA if req.provenance == "estimated" else None,
             "rationale": req.rationale}
            for sid, req in reqs.items()
        ],
    }


def literacy_category_dict(cat: LiteracyCategory, base_url: str) -> dict[str, Any]:
    return {**_base(cat, base_url, "literacy-category"), "parent": cat.parent_id, "label_ja": cat.label_ja,
            "summary_ja": cat.summary_ja, **_provenance(cat)}


def literacy_item_dict(item: LiteracyItem, base_url: str) -> dict[str, Any]:
    return {**_base(item, base_url, "literacy-item"), "category": item.category_id, "group": item.group_id,
            **_provenance(item)}


def crosswalk_dict(link: CrosswalkLink) -> dict[str, Any]:
    return {"v1": link.source_id, "v2": link.target_id, "match": link.match, "basis": link.basis,
            "note": link.note}


def exam_dict(exam: Exam) -> dict[str, Any]:
    return {"id": exam.id, "code": exam.code, "name_ja": exam.name_ja, "name_en": exam.name_en,
            "url": exam.url,
            "provenance": exam.provenance, "note": exam.note,
            "skills": [{"skill": link.skill_id, "level": link.level, "confidence": link.confidence,
                        "note": link.note} for link in exam.links]}


def occupation_dict(occ: OccupationLink) -> dict[str, Any]:
    return {"role": occ.role_id, "scheme": occ.scheme, "label": occ.label, "code": occ.code, "uri": occ.uri,
            "confidence": occ.confidence, "provenance": occ.provenance, "note": occ.note}


def search_hit_dict(hit: SearchHit, base_url: str) -> dict[str, Any]:
    return {"id": hit.id, "kind": hit.kind, "version": hit.version,
            "uri": concept_uri(base_url, hit.uri_path),
            "name_ja": hit.name_ja, "name_en": hit.name_en, "matched": hit.field, "score": hit.score}


def levels_list() -> list[dict[str, str]]:
    return [vars(DEFINITIONS[level]) for level in LEVELS]


SERIALIZERS = {
    "categories": lambda c, base, tx: category_dict(c, base, tx),
    "subcategories": lambda c, base, tx: subcategory_dict(c, base),
    "skills": lambda c, base, tx: skill_dict(c, base),
    "person-types": lambda c, base, tx: person_type_dict(c, base),
    "roles": lambda c, base, tx: role_dict(c, base),
    "literacy-categories": lambda c, base, tx: literacy_category_dict(c, base),
    "literacy": lambda c, base, tx: literacy_item_dict(c, base),
}


def concept_dict(kind: str, concept: Any, base_url: str, tx: Taxonomy) -> dict[str, Any]:
    """Any concept as JSON, by its URI kind."""
    return SERIALIZERS[kind](concept, base_url, tx)
