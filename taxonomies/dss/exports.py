"""Exports of one DSS version: JSON, CSV, SKOS (JSON-LD) and a 1EdTech CASE 1.0 package.

``export(version, fmt, base_url=...)`` returns text. Output is deterministic for the same data and
base URL (no timestamps of the moment), so exports can be diffed and cached.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from taxonomies.dss.case import case_package
from taxonomies.dss.serialize import (
    category_dict,
    crosswalk_dict,
    exam_dict,
    levels_list,
    occupation_dict,
    person_type_dict,
    role_dict,
    skill_dict,
    subcategory_dict,
)
from taxonomies.dss.service import get_taxonomy
from taxonomies.dss.skos import skos_document
from taxonomies.dss.taxonomy import Taxonomy

FORMATS: tuple[str, ...] = ("json", "csv", "skos", "case")
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "skos": "application/ld+json",
               "case": "application/json"}
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def export(version: str, fmt: str, base_url: str = DEFAULT_BASE_URL, tx: Taxonomy | None = None) -> str:
    """One version of the taxonomy in ``fmt`` (json, csv, skos, case) with URIs under ``base_url``."""
    tx = tx or get_taxonomy()
    if version not in tx.versions:
        raise KeyError(f"unknown DSS version {version!r}; known: {', '.join(tx.versions)}")
    base_url = base_url.rstrip("/")
    if fmt == "json":
        return dumps(json_document(tx, version, base_url))
    if fmt == "csv":
        return csv_document(tx, version, base_url)
    if fmt == "skos":
        return dumps(skos_document(tx, version, base_url))
    if fmt == "case":
        return dumps(case_package(tx, version, base_url))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def json_document(tx: Taxonomy, version: str, base_url: str) -> dict[str, Any]:
    """Everything about one version: items, structure, roles with requirements, crosswalks, sources."""
    skill_ids = [s.id for s in tx.skill_items(version)]
    doc: dict[str, Any] = {
        "generator": "skillpass taxonomy export",
        "version": version,
        "metadata": tx.metadata(version),
        "base_url": base_url,
        "levels": levels_list(),
        "categories": [category_dict(c, base_url) for c in tx.categories(version)],
        "subcategories": [subcategory_dict(s, base_url) for s in tx.subcategories(version)],
        "skill_items": [skill_dict(s, base_url) for s in tx.skill_items(version)],
        "person_types": [person_type_dict(p, base_url) for p in tx.person_types("1.2")],
        "roles": [role_dict(r, base_url, skill_ids) for r in tx.roles(version)],
        "importance_overlay": tx.overlay,
        "sources": [vars(s) for s in tx.sources.values()],
    }
    if version == "1.2":
        doc["crosswalk_v1_v2"] = [crosswalk_dict(link) for link in tx.crosswalk_v1_v2()]
    else:
        doc["exam_crosswalk"] = [exam_dict(e) for e in tx.exam_crosswalk()]
    doc["occupation_crosswalk"] = [occupation_dict(o) for o in tx.occupation_crosswalk()]
    return doc


def csv_document(tx: Taxonomy, version: str, base_url: str) -> str:
    """One row per skill item; per role, the required level and its provenance."""
    roles = tx.roles(version)
    header = ["id", "uri", "version", "code", "category", "category_ja", "category_en", "subcategory",
              "subcategory_ja", "subcategory_en", "name_ja", "name_en", "description_ja", "description_en",
              "learning_items_ja", "learning_items_en", "provenance"]
    for role in roles:
        header += [f"role:{role.id}", f"role:{role.id}:provenance"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for skill in tx.skill_items(version):
        cat, sub = tx.category(skill.category_id), tx.subcategory(skill.subcategory_id)
        row = [skill.id, base_url + skill.uri_path, version, skill.code, cat.id, cat.name_ja, cat.name_en,
               sub.id, sub.name_ja, sub.name_en, skill.name_ja, skill.name_en, skill.description_ja or "",
               skill.description_en or "", " / ".join(skill.learning_items_ja),
               " / ".join(skill.learning_items_en), skill.provenance]
        for role in roles:
            req = role.requirements[skill.id]
            row += [req.level, req.provenance]
        writer.writerow(row)
    return out.getvalue()
