"""One-off derivation of ``taxonomies/dss/data/*.yaml`` from the reference tables.

Reads the raw reference material (``/work/shared/reference/dss``, developer machines only) and
writes the first reviewable YAML files. After review the YAML files are the source of truth; this
script documents how they were produced (cleaning rules, id slugs, fixed English learning items)
and is not run by the platform. Run: ``python -m taxonomies.dss.tools.derive_reference REF_DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

V2_CATEGORY_SLUGS = ["business", "data", "technology", "security", "personal"]
V2_SUBCATEGORY_SLUGS = [
    "strategy-architecture", "product-management", "transformation-management", "design",
    "data-ai-strategy", "ai-data-science", "data-management",
    "software-development", "digital-technology",
    "security-management", "security-technology",
    "human-skills", "conceptual-skills",
]
V2_SKILL_SLUGS = [
    "business-environment-strategy", "business-strategy", "organizational-maturity",
    "business-enterprise-architecture", "business-value-roi",
    "requirements-management", "product-vision-roadmap", "product-metrics", "product-scope-priority",
    "hypothesis-learning-cycle", "marketing", "technical-product-decisions",
    "architecture-governance", "product-lifecycle", "program-project-management", "risk-compliance",
    "change-management", "business-modeling-collaboration", "design-led-organization",
    "customer-user-understanding", "value-discovery", "digital-product-design", "validation-customer-user",
    "creative-direction", "design-production", "co-creation-facilitation", "experience-governance",
    "design-process-management",
    "data-ai-understanding", "data-ai-trends", "data-ai-strategy-design", "data-ai-operations",
    "data-ai-governance", "ai-implementation-operations",
    "math-stats-visualization", "machine-learning",
    "data-law-rules", "data-management-adoption", "data-quality-safety", "data-engineering",
    "data-management-design", "data-platform",
    "computer-science", "team-development", "software-design", "development-process", "web-app-basics",
    "frontend", "backend", "cloud-infrastructure", "sre", "service-utilization",
    "physical-computing", "other-advanced-technologies", "technology-trends",
    "security-organization", "security-management", "incident-business-continuity", "privacy",
    "secure-design", "security-operations",
    "leadership", "collaboration",
    "goal-setting", "creative-problem-solving", "critical-thinking", "adaptability",
]

# English learning items where the source's run-on English sentence cannot be split mechanically
# into the same items as the Japanese list (position in standard order, 1-based).
EN_LEARNING_ITEM_FIXES: dict[int, list[str]] = {
    4: ["Structural organization and requirement definition of management/business strategy",
        "Definition of architecture principles with overall optimization in mind",
        "Overall structure design of business processes, information, organization and systems",
        "Understanding of current architecture and problem identification",
        "Visualization of structures and dependencies to prevent sub-optimization",
        "Organization of activity units (programs/products) for implementation and roadmap creation"],
    6: ["Gathering and organizing requirements from stakeholders",
        "Clarifying the background, purpose and value of requirements",
        "Organizing relationships, contradictions and constraints among requirements",
        "Analyzing and managing the impact of requirement changes",
        "Building consensus to connect requirements to implementation and outcomes"],
    8: ["Designing metrics to measure product outcomes",
        "Using quantitative and qualitative metrics appropriately",
        "Collecting, visualizing and monitoring metrics",
        "Making improvement decisions based on metric results",
        "Reviewing the validity of and updating metric designs"],
    14: ["Overall understanding from product planning to retirement",
         "Understanding decision criteria for each phase",
         "Making decisions on growth, improvement or retirement",
         "Reviews based on technological and market changes",
         "Management for continuous value creation"],
    30: ["Understanding technological and social trends",
         "Understanding structural causality incorporating data and AI",
         "Forecasting changes, storytelling and shaping organizational direction"],
    34: ["AI system operation (AutoML, MLOps, AIOps), generative AI (development/utilization, coding "
         "assistance, fine-tuning)",
         "AI implementation and operation (AI agents, multimodal AI, knowledge utilization, interfaces, "
         "ontology, IoT, robotics)"],
    36: ["Machine learning, deep learning, reinforcement learning",
         "Unstructured data processing (natural language processing, image recognition, video recognition, "
         "speech recognition)",
         "Large language models, image generation models, audio generation models, video generation models"],
    37: ["AI act", "Intellectual property law",
         "Domestic laws such as the personal information protection law",
         "Overseas laws and standards", "Various rules such as industry or organizational regulations/codes",
         "Data governance", "AI governance", "Data sovereignty", "ELSI"],
    57: ["Security-related legal systems", "Formulation of policies, rules and manuals",
         "Risk awareness including threat intelligence utilization", "Risk assessment methodologies",
         "Security requirement definition, security features as functional requirements",
         "Types, features and selection methods of authentication methods",
         "Information asset management, configuration management",
         "Security education/training, qualifications and certification systems",
         "Information security audit methods"],
    60: ["Secure system design overview and practice methods", "DevSecOps concepts and practice methods",
         "Realization and implementation of security requirements and security functions",
         "Security measures in IT/OT/IoT devices",
         "Overview and configuration of security features in cloud services and network equipment",
         "Concepts of vulnerability, countermeasures and diagnosis methods"],
    66: ["Critical thinking and logical thinking", "Systems thinking"],
}


def split_top_level(text: str, separators: list[str]) -> list[str]:
    """Split ``text`` at any separator that is not inside (half- or full-width) parentheses."""
    parts: list[str] = []
    buf, depth, i = "", 0, 0
    while i < len(text):
        ch = text[i]
        depth += ch in "(（"
        depth -= ch in ")）"
        sep = next((s for s in separators if depth == 0 and text.startswith(s, i)), None)
        if sep:
            parts.append(buf)
            buf, i = "", i + len(sep)
            continue
        buf, i = buf + ch, i + 1
    parts.append(buf)
    return [p.strip() for p in parts if p.strip()]


def clean_learning_items_ja(raw: list[str]) -> list[str]:
    """Undo the source's naive split on 、 : bullets become items, else split outside parentheses."""
    text = "、".join(raw)
    if "<br />" in text or text.startswith("•"):
        return [c.strip().lstrip("•").strip() for c in text.split("<br />") if c.strip()]
    return split_top_level(text, ["、"])


def clean_learning_items_en(raw: str, count: int, position: int) -> list[str]:
    """Split the English run-on text into ``count`` items (fixed by hand where that is impossible)."""
    if position in EN_LEARNING_ITEM_FIXES:
        return EN_LEARNING_ITEM_FIXES[position]
    chunks = [c.strip().lstrip("•").strip().rstrip(".") for c in raw.strip().split("<br />")]
    for separators in (["; "], ["; ", ", "]):
        items = [i for c in chunks for i in split_top_level(c, separators)]
        if len(items) == count:
            return [i[0].upper() + i[1:] for i in items]
    raise ValueError(f"cannot split English learning items of item {position}: {raw!r}")


def derive_v2(ref: dict[str, Any]) -> dict[str, Any]:
    categories, position, sub_index = [], 0, 0
    for ci, cat in enumerate(ref["categories"]):
        subs = []
        for si, sub in enumerate(cat["subcategories"]):
            skills = []
            for ki, skill in enumerate(sub["skills"]):
                position += 1
                items_ja = clean_learning_items_ja(skill["learning_items_ja"])
                skills.append({
                    "id": f"v2-{V2_SKILL_SLUGS[position - 1]}",
                    "code": f"{sub['number']}.{ki + 1}",
                    "name_ja": skill["name_ja"],
                    "name_en": skill["name_en"],
                    "description_ja": skill["description_ja"],
                    "description_en": skill["description_en"],
                    "learning_items_ja": items_ja,
                    "learning_items_en": clean_learning_items_en(skill["learning_items_en"], len(items_ja),
                                                                 position),
                })
            subs.append({"id": f"v2-sub-{V2_SUBCATEGORY_SLUGS[sub_index]}", "code": sub["number"],
                         "name_ja": sub["name_ja"], "name_en": sub["name_en"], "skills": skills})
            sub_index += 1
        categories.append({"id": f"v2-cat-{V2_CATEGORY_SLUGS[ci]}", "code": cat["number"],
                           "name_ja": cat["name_ja"], "name_en": cat["name_en"], "subcategories": subs})
    return {
        "standard": "DX推進スキル標準 (DSS-P) 共通スキルリスト",
        "standard_en": "DX Promotion Skill Standard (DSS-P), common skill list",
        "version": "2.0",
        "published": ref["published"],
        "provenance": "secondary",
        "sources": ["S15", "S16"],
        "licence": "CC BY-SA 4.0 (derived from S15, jimyoshida/dx-devops-landscape @ a5b9caf); "
                   "see SOURCES.md",
        "categories": categories,
    }


V1_CATEGORY_IDS = {"biz": "business", "data": "data", "tech": "technology", "sec": "security",
                   "personal": "personal"}
V1_LEVEL_PROVENANCE = {"v1_era_third_party": "secondary", "v2_0_same_name_only": "unverified",
                       "unverified": "unverified"}
V1_LEVEL_NOTE = {
    "v1_era_third_party": "name used for ver.1.x by a third-party source written before ver.2.0",
    "v2_0_same_name_only": "name as in ver.2.0 (S15); that ver.1.2 used the same wording is not confirmed",
    "unverified": "candidate name; no source found (check against S02)",
}


def slug(raw: str) -> str:
    return raw.split(".")[-1].replace("_", "-")


def kebab(raw: str) -> str:
    return raw.replace(".", "-").replace("_", "-")


def named(entry: dict[str, Any]) -> dict[str, Any]:
    """Name fields of a reference entry, falling back to the unverified candidate name."""
    return {"name_ja": entry.get("name_ja") or entry.get("unverified_name_ja"), "name_en": entry["name_en"]}


def notes(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


def derive_v1(ref: dict[str, Any]) -> dict[str, Any]:
    person_types = []
    for pt in ref["person_types"]:
        roles = [{
            "id": kebab(role["id"]), **named(role),
            "provenance": "secondary" if role.get("name_ja") else "unverified",
            "sources": role["evidence"],
            "note": notes(None if role.get("name_ja")
                          else "candidate name; no source found (check against S02)",
                          role.get("note")),
        } for role in pt["roles"]]
        person_types.append({"id": kebab(pt["id"]), **named(pt), "provenance": "secondary",
                             "sources": pt["evidence"], "definition_en": pt.get("definition_paraphrase_en"),
                             "roles": roles})
    categories, counter = [], 0
    for ci, cat in enumerate(ref["categories"]):
        subs = []
        for si, sub in enumerate(cat["subcategories"]):
            skills = []
            for ki, skill in enumerate(sub["skills"]):
                counter += 1
                skills.append({
                    "id": f"v1-{slug(skill['id'])}", "code": f"{ci + 1}.{si + 1}.{ki + 1}", **named(skill),
                    "provenance": V1_LEVEL_PROVENANCE[skill["evidence_level"]], "sources": skill["evidence"],
                    "note": notes(V1_LEVEL_NOTE[skill["evidence_level"]], skill.get("placement_evidence")),
                })
            subs.append({
                "id": f"v1-sub-{slug(sub['id'])}", "code": f"{ci + 1}.{si + 1}", **named(sub),
                "provenance": V1_LEVEL_PROVENANCE[sub["evidence_level"]], "sources": sub["evidence"],
                "note": V1_LEVEL_NOTE[sub["evidence_level"]], "skills": skills,
            })
        v1_era = "S12" in cat["evidence"]
        categories.append({
            "id": f"v1-cat-{V1_CATEGORY_IDS[cat['id']]}", "code": str(ci + 1), **named(cat),
            "provenance": "secondary" if v1_era else "unverified", "sources": cat["evidence"],
            "note": None if v1_era else V1_LEVEL_NOTE["v2_0_same_name_only"], "subcategories": subs,
        })
    assert counter == 49
    return {
        "standard": "DX推進スキル標準 (DSS-P)", "standard_en": "DX Promotion Skill Standard (DSS-P)",
        "version": "1.2", "published": "2024-07", "provenance": "secondary",
        "sources": ["S01", "S03", "S04", "S05"],
        "importance_scale_ja_unverified": ref["importance_scale"]["definitions_ja_unverified"],
        "person_types": person_types, "categories": categories,
    }


def literacy_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"lit-{kebab(i['id'])}", **named(i),
             "provenance": "secondary" if i.get("name_ja") else "unverified", "sources": i["evidence"],
             "note": notes(None if i.get("name_ja") else "candidate name; no source found", i.get("note"))}
            for i in items]


def derive_literacy(ref: dict[str, Any]) -> dict[str, Any]:
    categories = []
    for cat in ref["categories"]:
        entry: dict[str, Any] = {
            "id": f"lit-{kebab(cat['id'])}", "name_ja": cat["name_ja"], "label_ja": cat.get("label_ja"),
            "name_en": cat["name_en"], "summary_ja": cat.get("summary_ja"), "provenance": "secondary",
            "sources": cat.get("label_evidence") or cat.get("summary_evidence") or [],
        }
        if "genai_addition" in cat:
            entry["note"] = (f"{cat['genai_addition']['name_ja']} (added {cat['genai_addition']['added']}): "
                             f"{cat['genai_addition']['summary_en']}")
        if "items" in cat:
            entry["items"] = literacy_items(cat["items"])
        entry["groups"] = [{
            "id": f"lit-{kebab(g['id'])}", **named(g),
            "provenance": "secondary" if g.get("name_ja") else "unverified", "sources": g["evidence"],
            "note": notes(None if g.get("name_ja") else "group heading not sourced", g.get("note")),
            "items": literacy_items(g["items"]),
        } for g in cat.get("groups", [])]
        categories.append(entry)
    return {"standard": "DXリテラシー標準 (DSS-L)", "standard_en": "DX Literacy Standard (DSS-L)",
            "version": "1.2", "revised": "2023-08", "provenance": "secondary",
            "sources": ref["structure_evidence"], "categories": categories}


def main(ref_dir: Path) -> None:
    def read(name: str) -> dict[str, Any]:
        return json.loads((ref_dir / name).read_text(encoding="utf-8"))

    dump(DATA_DIR / "dss_p_v2_0.yaml", derive_v2(read("dss_p_v2_0_skills.json")), V2_HEADER)
    dump(DATA_DIR / "dss_p_v1_2.yaml", derive_v1(read("dss_p_v1_2.json")), V1_HEADER)
    dump(DATA_DIR / "dss_l.yaml", derive_literacy(read("dss_l.json")), L_HEADER)


V2_HEADER = """\
# DX推進スキル標準 ver.2.0 — common skill list (5 categories, 13 subcategories, 67 skill items).
# Derived from S15 (github.com/jimyoshida/dx-devops-landscape @ a5b9caf, CC BY-SA 4.0), a
# third-party transcription of IPA's ver.2.0 skill-list PDF; English is S15's, not IPA's.
# This file is therefore licensed CC BY-SA 4.0 as well. See SOURCES.md.
# ids and codes are skillpass's (stable slugs / position in the published order), not IPA numbering.
"""

V1_HEADER = """\
# DX推進スキル標準 ver.1.2 — 5 person types, 15 roles, 5 categories, 12 subcategories, 49 skill items.
# Skeleton from public secondary sources (see SOURCES.md); nothing here is read from the ver.1.2
# PDF (S02). provenance: secondary = name shown by a ver.1.x-era source; unverified = name only seen
# in ver.2.0 or a candidate name with no source. All English is translation. No descriptions,
# learning items or importance values are public here.
"""

L_HEADER = """\
# DXリテラシー標準 (DSS-L), as revised 2023-08 for generative AI: Why / What / How / マインド・スタンス.
# Item names from third-party restatements (see SOURCES.md); unverified = candidate name, no source.
"""


def dump(path: Path, data: dict[str, Any], header: str) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    path.write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
