"""Read-only JSON API of the DSS taxonomy, concept URIs (``/dss/<version>/<kind>/<id>``) and CASE 1.0.

Every route is public. The base URL of concept URIs comes from the app-wide ``settings`` dependency.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from accounts import access
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from taxonomies.dss.case import CASE_PATH, case_package, document_identifier
from taxonomies.dss.exports import FORMATS, MEDIA_TYPES, export
from taxonomies.dss.integrity import counts
from taxonomies.dss.models import PROVENANCES
from taxonomies.dss.serialize import (
    category_dict,
    concept_dict,
    crosswalk_dict,
    exam_dict,
    levels_list,
    literacy_category_dict,
    literacy_item_dict,
    occupation_dict,
    person_type_dict,
    role_dict,
    search_hit_dict,
    skill_dict,
)
from taxonomies.dss.service import base_data, data_dir_of, get_taxonomy
from taxonomies.dss.taxonomy import KINDS, Taxonomy

API = "/api/v1/dss"


def taxonomy_for(settings: Settings) -> Taxonomy:
    return get_taxonomy(data_dir_of(settings))


def base_url_of(settings: Settings) -> str:
    return settings.base_url.rstrip("/")


def checked_version(tx: Taxonomy, version: str | None, *, field: str = "version") -> str:
    chosen = version or tx.current_version
    if chosen not in tx.versions:
        raise InvalidInput(f"unknown DSS version {chosen!r}; known: {', '.join(tx.versions)}", field=field)
    return chosen


@get(f"{API}/versions", **access.public())
async def list_versions(settings: NamedDependency[Settings]) -> dict[str, Any]:
    """Versions with their counts, the level scale, provenance values and the importance overlay in use."""
    tx = taxonomy_for(settings)
    base = base_url_of(settings)
    return {
        "versions": [{"version": v, "uri": f"{base}/dss/{v}", "metadata": tx.metadata(v)}
                     for v in tx.versions],
        "current_version": tx.current_version, "counts": counts(base_data()), "levels": levels_list(),
        "provenances": list(PROVENANCES), "importance_overlay": tx.overlay,
    }


@get(f"{API}/categories", **access.public())
async def list_categories(settings: NamedDependency[Settings], version: FromQuery[str | None] = None
                          ) -> list[dict[str, Any]]:
    """Categories of a version (default: current) with their subcategories."""
    tx = taxonomy_for(settings)
    return [category_dict(c, base_url_of(settings), tx) for c in tx.categories(checked_version(tx, version))]


@get(f"{API}/skills", **access.public())
async def list_skills(settings: NamedDependency[Settings], version: FromQuery[str | None] = None,
                      category: FromQuery[str | None] = None, subcategory: FromQuery[str | None] = None
                      ) -> list[dict[str, Any]]:
    """Skill items in standard order, filtered by version (default: current), category, subcategory."""
    tx = taxonomy_for(settings)
    items = tx.skill_items(checked_version(tx, version), category_id=category, subcategory_id=subcategory)
    return [skill_dict(s, base_url_of(settings)) for s in items]


@get(f"{API}/skills/{{skill_id:str}}", **access.public())
async def get_skill(settings: NamedDependency[Settings], skill_id: FromPath[str]) -> dict[str, Any]:
    """One skill item of any version."""
    tx = taxonomy_for(settings)
    try:
        skill = tx.skill_item(skill_id)
    except KeyError:
        raise NotFound(f"no DSS skill item {skill_id!r}") from None
    out = skill_dict(skill, base_url_of(settings))
    out["crosswalk_v1_v2"] = [crosswalk_dict(x) for x in tx.crosswalk_v1_v2()
                              if skill_id in (x.source_id, x.target_id)]
    return out


@get(f"{API}/person-types", **access.public())
async def list_person_types(settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
    """The ver.1.2 person types (人材類型) with their roles."""
    return [person_type_dict(p, base_url_of(settings)) for p in taxonomy_for(settings).person_types("1.2")]


@get(f"{API}/roles", **access.public())
async def list_roles(settings: NamedDependency[Settings], version: FromQuery[str | None] = None
                     ) -> list[dict[str, Any]]:
    """Roles with the required level and its provenance on every item of a version (default: current)."""
    tx = taxonomy_for(settings)
    skill_ids = [s.id for s in tx.skill_items(checked_version(tx, version))]
    return [role_dict(r, base_url_of(settings), skill_ids) for r in tx.roles()]


@get(f"{API}/roles/{{role_id:str}}", **access.public())
async def get_role(settings: NamedDependency[Settings], role_id: FromPath[str],
                   version: FromQuery[str | None] = None) -> dict[str, Any]:
    """One role; requirements on one version's items, or on both when ``version`` is omitted."""
    tx = taxonomy_for(settings)
    try:
        role = tx.role(role_id)
    except KeyError:
        raise NotFound(f"no DSS role {role_id!r}") from None
    skill_ids = [s.id for s in tx.skill_items(checked_version(tx, version))] if version else None
    out = role_dict(role, base_url_of(settings), skill_ids)
    out["occupations"] = [occupation_dict(o) for o in tx.occupation_crosswalk(role_id)]
    return out


@get(f"{API}/literacy", **access.public())
async def list_literacy(settings: NamedDependency[Settings]) -> dict[str, Any]:
    """The DX Literacy Standard: parts (Why / What / How / マインド・スタンス), groups and items."""
    tx, base = taxonomy_for(settings), base_url_of(settings)
    return {"categories": [literacy_category_dict(c, base) for c in tx.literacy_categories()],
            "items": [literacy_item_dict(i, base) for i in tx.literacy_items()]}


@get(f"{API}/crosswalks", **access.public())
async def list_crosswalks(settings: NamedDependency[Settings]) -> dict[str, Any]:
    """v1.2 -> v2.0 items, IPA exams -> items and levels, roles -> job tag / ESCO occupations."""
    tx = taxonomy_for(settings)
    return {"v1_v2": [crosswalk_dict(x) for x in tx.crosswalk_v1_v2()],
            "exams": [exam_dict(e) for e in tx.exam_crosswalk()],
            "occupations": [occupation_dict(o) for o in tx.occupation_crosswalk()]}


@get(f"{API}/search", **access.public())
async def search(settings: NamedDependency[Settings], q: FromQuery[str] = "",
                 lang: FromQuery[str | None] = None) -> dict[str, Any]:
    """Concepts whose labels, descriptions or learning items contain ``q`` (ja and en unless ``lang``)."""
    if lang not in (None, "ja", "en"):
        raise InvalidInput("lang must be ja or en", field="lang")
    hits = taxonomy_for(settings).search(q, lang)
    return {"query": q, "lang": lang, "results": [search_hit_dict(h, base_url_of(settings)) for h in hits]}


@get(f"{API}/export/{{version:str}}/{{fmt:str}}", **access.public())
async def export_version(settings: NamedDependency[Settings], version: FromPath[str], fmt: FromPath[str]
                         ) -> Response[str]:
    """A whole version as json, csv, skos (JSON-LD) or case (CASE 1.0 CFPackage)."""
    tx = taxonomy_for(settings)
    if version not in tx.versions or fmt not in FORMATS:
        raise NotFound(f"no export {version}/{fmt}; formats: {', '.join(FORMATS)}")
    return Response(export(version, fmt, base_url_of(settings), tx=tx), media_type=MEDIA_TYPES[fmt])


@get("/dss/{version:str}", **access.public())
async def resolve_scheme(settings: NamedDependency[Settings], version: FromPath[str]) -> dict[str, Any]:
    """The URI of a whole version (the SKOS concept scheme / CASE document)."""
    tx, base = taxonomy_for(settings), base_url_of(settings)
    if version not in tx.versions:
        raise NotFound(f"no DSS version {version!r}")
    return {"id": f"{base}/dss/{version}", "version": version, "metadata": tx.metadata(version),
            "case_package": f"{base}{CASE_PATH}/CFPackages/{document_identifier(version)}",
            "categories": [category_dict(c, base) for c in tx.categories(version)]}


# The page a person reading a concept URI in a browser is sent to (machines get JSON at the URI itself).
HTML_PAGES = {"skills": "/dss/skills/{id}", "roles": "/dss/roles/{id}", "literacy": "/dss/literacy"}


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept and "application/ld+json" not in accept


@get("/dss/{version:str}/{kind:str}/{concept_id:str}", **access.public())
async def resolve_concept(request: Request, settings: NamedDependency[Settings], version: FromPath[str],
                          kind: FromPath[str], concept_id: FromPath[str]) -> Response:
    """Any concept by its URI path: JSON for machines, a redirect to its page for browsers."""
    tx = taxonomy_for(settings)
    if kind not in KINDS:
        raise NotFound(f"unknown concept kind {kind!r}; kinds: {', '.join(KINDS)}")
    try:
        concept = tx.resolve(version, kind, concept_id)
    except KeyError:
        raise NotFound(f"no DSS concept /dss/{version}/{kind}/{concept_id}") from None
    if wants_html(request):
        return Redirect(HTML_PAGES.get(kind, "/dss").format(id=concept_id), status_code=303)
    return Response(concept_dict(kind, concept, base_url_of(settings), tx))


@lru_cache(maxsize=8)
def case_index(tx: Taxonomy, base_url: str) -> dict[str, dict[str, Any]]:
    """CASE objects of every version by identifier (packages keyed by their document identifier)."""
    index: dict[str, dict[str, Any]] = {}
    for version in tx.versions:
        package = case_package(tx, version, base_url)
        doc_id = package["CFDocument"]["identifier"]
        index[f"CFPackages/{doc_id}"] = package
        index[f"CFDocuments/{doc_id}"] = package["CFDocument"]
        for item in package["CFItems"]:
            index[f"CFItems/{item['identifier']}"] = item
        for assoc in package["CFAssociations"]:
            index[f"CFAssociations/{assoc['identifier']}"] = assoc
        for key, values in package["CFDefinitions"].items():
            for value in values:
                index[f"{key}/{value['identifier']}"] = value
    return index


@get(f"{CASE_PATH}/CFDocuments", **access.public())
async def case_documents(settings: NamedDependency[Settings]) -> dict[str, Any]:
    """CASE 1.0 getAllCFDocuments."""
    index = case_index(taxonomy_for(settings), base_url_of(settings))
    return {"CFDocuments": [v for k, v in index.items() if k.startswith("CFDocuments/")]}


@get(f"{CASE_PATH}/{{collection:str}}/{{identifier:str}}", **access.public())
async def case_object(settings: NamedDependency[Settings], collection: FromPath[str],
                      identifier: FromPath[str]) -> dict[str, Any]:
    """CASE 1.0 getCFPackage / getCFDocument / getCFItem / getCFAssociation / definitions by identifier."""
    index = case_index(taxonomy_for(settings), base_url_of(settings))
    found = index.get(f"{collection}/{identifier.lower()}")
    if found is None:
        raise NotFound(f"no CASE object {collection}/{identifier}")
    return found


handlers = [
    list_versions, list_categories, list_skills, get_skill, list_person_types, list_roles, get_role,
    list_literacy, list_crosswalks, search, export_version, resolve_scheme, resolve_concept,
    case_documents, case_object,
]

__all__ = ["handlers"]
