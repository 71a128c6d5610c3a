"""Start-up integrity check of the loaded DSS data: counts, references, levels, provenance.

:func:`check_integrity` raises :class:`TaxonomyError` naming the data file and the bad entry at the
first problem; :func:`counts` reports what was loaded (used by ``skillpass taxonomy check``).
"""

from __future__ import annotations

import re
from typing import Any

from taxonomies.dss.errors import TaxonomyError
from taxonomies.dss.levels import LEVELS
from taxonomies.dss.loader import (
    CROSSWALK_FILE,
    EXAMS_FILE,
    LITERACY_FILE,
    OCCUPATIONS_FILE,
    PROFILES_FILE,
    VERSION_FILES,
)
from taxonomies.dss.models import MATCHES, PROVENANCES
from taxonomies.dss.taxonomy import TaxonomyData

EXPECTED_COUNTS: dict[str, dict[str, int]] = {
    "2.0": {"categories": 5, "subcategories": 13, "skills": 67},
    "1.2": {"person_types": 5, "roles": 15, "categories": 5, "subcategories": 12, "skills": 49},
}
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONFIDENCES = ("high", "medium", "low")


def counts(data: TaxonomyData) -> dict[str, dict[str, int]]:
    """Number of concepts of each kind per version (roles: DSS roles only, extensions apart)."""
    out: dict[str, dict[str, int]] = {}
    for version in data.versions:
        out[version] = {
            "categories": sum(c.version == version for c in data.categories),
            "subcategories": sum(s.version == version for s in data.subcategories),
            "skills": sum(s.version == version for s in data.skills),
        }
        if any(p.version == version for p in data.person_types):
            out[version] = {"person_types": sum(p.version == version for p in data.person_types),
                            "roles": sum(r.version == version and not r.extension for r in data.roles),
                            **out[version]}
    out["extensions"] = {"roles": sum(r.extension for r in data.roles)}
    out["literacy"] = {"categories": sum(c.parent_id is None for c in data.literacy_categories),
                       "groups": sum(c.parent_id is not None for c in data.literacy_categories),
                       "items": len(data.literacy_items)}
    out["crosswalks"] = {"v1_v2_links": len(data.crosswalk), "exams": len(data.exams),
                         "occupation_links": len(data.occupations)}
    return out


def file_of(kind: str, concept: Any) -> str:
    if kind.startswith("literacy"):
        return LITERACY_FILE
    if kind == "roles" and concept.extension:
        return PROFILES_FILE
    return VERSION_FILES.get(concept.version, "?")


def check_integrity(data: TaxonomyData) -> None:
    """Raise :class:`TaxonomyError` at the first inconsistency in ``data``."""
    check_counts(data)
    concepts = check_concepts(data)
    check_references(data, concepts)
    check_crosswalk(data)
    check_estimates(data)
    check_exams(data)
    check_occupations(data)


def check_counts(data: TaxonomyData) -> None:
    found = counts(data)
    for version, expected in EXPECTED_COUNTS.items():
        for kind, n in expected.items():
            if found.get(version, {}).get(kind) != n:
                actual = found.get(version, {}).get(kind)
                raise TaxonomyError(VERSION_FILES[version], kind,
                                    f"expected {n} {kind} in ver.{version}, found {actual}")


def all_concepts(data: TaxonomyData) -> list[tuple[str, Any]]:
    groups: list[tuple[str, list[Any]]] = [
        ("categories", data.categories), ("subcategories", data.subcategories), ("skills", data.skills),
        ("person-types", data.person_types), ("roles", data.roles),
        ("literacy-categories", data.literacy_categories), ("literacy", data.literacy_items),
    ]
    return [(kind, concept) for kind, concepts in groups for concept in concepts]


def check_concepts(data: TaxonomyData) -> dict[str, tuple[str, Any]]:
    """Ids URL-safe and unique everywhere, provenance legal, cited sources known."""
    seen: dict[str, tuple[str, Any]] = {}
    for kind, concept in all_concepts(data):
        file = file_of(kind, concept)
        if not ID_PATTERN.match(concept.id):
            raise TaxonomyError(file, concept.id, "id must be lower-case letters, digits and single hyphens")
        if concept.id in seen:
            raise TaxonomyError(file, concept.id, f"id used twice (also a {seen[concept.id][0]} entry)")
        seen[concept.id] = (kind, concept)
        if concept.provenance not in PROVENANCES:
            raise TaxonomyError(file, concept.id,
                                f"provenance {concept.provenance!r} not one of {PROVENANCES}")
        for source in concept.sources:
            if source not in data.sources:
                raise TaxonomyError(file, concept.id, f"cites unknown source {source!r}")
        if kind == "skills" and concept.version == "2.0":
            check_v2_texts(file, concept)
    return seen


def check_v2_texts(file: str, skill: Any) -> None:
    for field in ("description_ja", "description_en", "learning_items_ja", "learning_items_en"):
        if not getattr(skill, field):
            raise TaxonomyError(file, skill.id, f"{field} is empty")


def check_references(data: TaxonomyData, concepts: dict[str, tuple[str, Any]]) -> None:
    def expect(file: str, entry: str, ref: str | None, kind: str, version: str | None = None) -> None:
        found = concepts.get(ref or "")
        if found is None or found[0] != kind or (version is not None and found[1].version != version):
            raise TaxonomyError(file, entry, f"refers to unknown {kind} {ref!r}")

    for sub in data.subcategories:
        expect(VERSION_FILES[sub.version], sub.id, sub.category_id, "categories", sub.version)
    for skill in data.skills:
        file = VERSION_FILES[skill.version]
        expect(file, skill.id, skill.category_id, "categories", skill.version)
        expect(file, skill.id, skill.subcategory_id, "subcategories", skill.version)
        if concepts[skill.subcategory_id][1].category_id != skill.category_id:
            raise TaxonomyError(file, skill.id, "subcategory belongs to another category")
    for pt in data.person_types:
        for rid in pt.role_ids:
            expect(VERSION_FILES[pt.version], pt.id, rid, "roles")
    for role in data.roles:
        expect(file_of("roles", role), role.id, role.person_type_id, "person-types")
    for cat in data.literacy_categories:
        if cat.parent_id is not None:
            expect(LITERACY_FILE, cat.id, cat.parent_id, "literacy-categories")
    for item in data.literacy_items:
        expect(LITERACY_FILE, item.id, item.category_id, "literacy-categories")
        if item.group_id is not None:
            expect(LITERACY_FILE, item.id, item.group_id, "literacy-categories")


def check_crosswalk(data: TaxonomyData) -> None:
    skills = {s.id: s for s in data.skills}
    covered = set()
    for link in data.crosswalk:
        entry = f"{link.source_id} -> {link.target_id}"
        source, target = skills.get(link.source_id), skills.get(link.target_id)
        if source is None or source.version != "1.2":
            raise TaxonomyError(CROSSWALK_FILE, entry, f"{link.source_id!r} is not a ver.1.2 skill item")
        if target is None or target.version != "2.0":
            raise TaxonomyError(CROSSWALK_FILE, entry, f"{link.target_id!r} is not a ver.2.0 skill item")
        if link.match not in MATCHES:
            raise TaxonomyError(CROSSWALK_FILE, entry, f"match {link.match!r} not one of {MATCHES}")
        if link.basis not in ("identical-name", "reviewed"):
            raise TaxonomyError(CROSSWALK_FILE, entry, f"basis {link.basis!r} not identical-name or reviewed")
        if link.basis == "identical-name" and (source.name_ja != target.name_ja or link.match != "exact"):
            raise TaxonomyError(CROSSWALK_FILE, entry,
                                "identical-name links need equal names and match exact")
        covered.add(link.source_id)
    missing = [s.id for s in data.skills if s.version == "1.2" and s.id not in covered]
    if missing:
        raise TaxonomyError(CROSSWALK_FILE, missing[0], "ver.1.2 skill item has no ver.2.0 correspondence")


def check_estimates(data: TaxonomyData) -> None:
    v2_ids = [s.id for s in data.skills if s.version == "2.0"]
    role_ids = {r.id for r in data.roles}
    for rid, levels in data.estimates.items():
        if rid not in role_ids:
            raise TaxonomyError(PROFILES_FILE, rid, "profile for an unknown role")
        for sid, (level, _note) in levels.items():
            if sid not in v2_ids:
                raise TaxonomyError(PROFILES_FILE, f"{rid}.{sid}", "not a ver.2.0 skill item")
            if level not in LEVELS:
                raise TaxonomyError(PROFILES_FILE, f"{rid}.{sid}",
                                    f"level {level!r} not one of {', '.join(LEVELS)}")
        missing = [sid for sid in v2_ids if sid not in levels]
        if missing:
            raise TaxonomyError(PROFILES_FILE, f"{rid}.{missing[0]}",
                                "no estimated level for this skill item")
    unprofiled = [r.id for r in data.roles if r.id not in data.estimates]
    if unprofiled:
        raise TaxonomyError(PROFILES_FILE, unprofiled[0], "role has no estimated profile")


def check_exams(data: TaxonomyData) -> None:
    skills = {s.id for s in data.skills}
    for exam in data.exams:
        for link in exam.links:
            entry = f"{exam.id}.{link.skill_id}"
            if link.skill_id not in skills:
                raise TaxonomyError(EXAMS_FILE, entry, "unknown skill item")
            if link.level not in LEVELS:
                raise TaxonomyError(EXAMS_FILE, entry, f"level {link.level!r} not one of {', '.join(LEVELS)}")
            if link.confidence not in CONFIDENCES:
                raise TaxonomyError(EXAMS_FILE, entry,
                                    f"confidence {link.confidence!r} not one of {CONFIDENCES}")


def check_occupations(data: TaxonomyData) -> None:
    role_ids = {r.id for r in data.roles}
    for occ in data.occupations:
        entry = f"{occ.role_id}.{occ.scheme}.{occ.label}"
        if occ.role_id not in role_ids:
            raise TaxonomyError(OCCUPATIONS_FILE, entry, "unknown role")
        if occ.confidence not in CONFIDENCES:
            raise TaxonomyError(OCCUPATIONS_FILE, entry,
                                f"confidence {occ.confidence!r} not one of {CONFIDENCES}")
