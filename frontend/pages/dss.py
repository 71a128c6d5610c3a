"""The public DSS browser: versions, skill items, roles, the role x skill matrix and search."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from accounts import access
from core.settings import Settings
from frontend.pagination import paginate
from frontend.rendering import not_found_page, page
from taxonomies.dss import Taxonomy, data_dir_of, get_taxonomy, level_rank

SEARCH_KINDS = {"skills", "roles", "categories", "subcategories", "person-types", "literacy", "literacy-categories"}


def taxonomy(settings: Settings) -> Taxonomy:
    return get_taxonomy(data_dir_of(settings))


def chosen_version(tx: Taxonomy, version: str | None) -> str:
    return version if version in tx.versions else tx.current_version


def href_of(kind: str, concept) -> str:
    """Where a concept is shown in the browser (search hits link here)."""
    if kind == "skills":
        return f"/dss/skills/{concept.id}"
    if kind == "roles":
        return f"/dss/roles/{concept.id}"
    if kind == "categories":
        return f"/dss/skills?version={concept.version}&category={concept.id}"
    if kind == "subcategories":
        return f"/dss/skills?version={concept.version}&category={concept.category_id}&subcategory={concept.id}"
    if kind in ("literacy", "literacy-categories"):
        return "/dss/literacy"
    return f"/dss#{concept.id}"


@get("/dss", **access.public(), include_in_schema=False)
async def dss_index(request: Request, settings: NamedDependency[Settings],
                    version: FromQuery[str | None] = None) -> Template:
    """Versions, categories and roles of the DSS, with search."""
    tx = taxonomy(settings)
    v = chosen_version(tx, version)
    categories = [(c, tx.subcategories(v, c.id), len(tx.skill_items(v, category_id=c.id))) for c in tx.categories(v)]
    person_types = [(pt, [tx.role(r) for r in pt.role_ids]) for pt in tx.person_types("1.2")]
    extensions = [r for r in tx.roles() if r.extension]
    return page(request, "dss/index.html", {
        "tx": tx, "version": v, "metadata": tx.metadata(v), "categories": categories,
        "person_types": person_types, "extensions": extensions, "overlay": tx.overlay,
        "literacy_count": len(tx.literacy_items()),
    })


@get("/dss/search", **access.public(), include_in_schema=False)
async def dss_search(request: Request, settings: NamedDependency[Settings], q: FromQuery[str] = "",
                     lang: FromQuery[str] = "") -> Template:
    """Search labels, descriptions and learning items in Japanese and English (live with htmx)."""
    tx = taxonomy(settings)
    q = q.strip()[:100]
    lang_filter = lang if lang in ("ja", "en") else None
    hits = [h for h in tx.search(q, lang_filter, limit=200) if h.kind in SEARCH_KINDS] if q else []
    results = paginate([(h, href_of(h.kind, tx.concept(h.id)[1])) for h in hits],
                       request.query_params.get("page"), path="/dss/search", params={"q": q, "lang": lang_filter})
    return page(request, "dss/search.html", {"q": q, "lang_filter": lang_filter or "", "results": results},
                block="dss_results")


@get("/dss/skills", **access.public(), include_in_schema=False)
async def skill_list(request: Request, settings: NamedDependency[Settings], version: FromQuery[str | None] = None,
                     category: FromQuery[str | None] = None, subcategory: FromQuery[str | None] = None) -> Template:
    """Skill items of a version, by category and subcategory, paginated."""
    tx = taxonomy(settings)
    v = chosen_version(tx, version)
    categories = tx.categories(v)
    category = category if category in {c.id for c in categories} else None
    subcategories = tx.subcategories(v, category) if category else []
    subcategory = subcategory if subcategory in {s.id for s in subcategories} else None
    items = tx.skill_items(v, category_id=category, subcategory_id=subcategory)
    skills = paginate(items, request.query_params.get("page"), per_page=25, path="/dss/skills",
                      params={"version": v, "category": category, "subcategory": subcategory})
    return page(request, "dss/skills.html", {
        "tx": tx, "version": v, "categories": categories, "category": category, "subcategories": subcategories,
        "subcategory": subcategory, "skills": skills,
    }, block="skill_list")


@get("/dss/skills/{skill_id:str}", **access.public(), include_in_schema=False)
async def skill_page(request: Request, settings: NamedDependency[Settings], skill_id: FromPath[str]) -> Template:
    """One skill item: description, learning items, which roles need it at which level."""
    tx = taxonomy(settings)
    try:
        skill = tx.skill_item(skill_id)
    except KeyError:
        return not_found_page(request)
    needs = sorted(((r, r.requirements[skill.id]) for r in tx.roles() if skill.id in r.requirements),
                   key=lambda pair: -level_rank(pair[1].level))
    roles = paginate(needs, request.query_params.get("page"), per_page=20, path=f"/dss/skills/{skill.id}")
    if skill.version == "1.2":
        related = [(link, tx.skill_item(link.target_id)) for link in tx.v2_items_for(skill.id)]
    else:
        related = [(link, tx.skill_item(link.source_id)) for link in tx.crosswalk_v1_v2() if link.target_id == skill.id]
    exams = [(exam, link) for exam in tx.exam_crosswalk() for link in exam.links if link.skill_id == skill.id]
    return page(request, "dss/skill.html", {
        "tx": tx, "skill": skill, "category": tx.category(skill.category_id),
        "subcategory": tx.subcategory(skill.subcategory_id), "roles": roles, "related": related, "exams": exams,
    }, block="skill_roles")


@get("/dss/roles/{role_id:str}", **access.public(), include_in_schema=False)
async def role_page(request: Request, settings: NamedDependency[Settings], role_id: FromPath[str],
                    version: FromQuery[str | None] = None) -> Template:
    """One role: what it is, and the level it needs on each skill item (most important first)."""
    tx = taxonomy(settings)
    try:
        role = tx.role(role_id)
    except KeyError:
        return not_found_page(request)
    v = chosen_version(tx, version)
    items = tx.skill_items(v)
    needs = sorted(((s, role.requirements[s.id]) for s in items if s.id in role.requirements),
                   key=lambda pair: -level_rank(pair[1].level))
    requirements = paginate(needs, request.query_params.get("page"), per_page=20, path=f"/dss/roles/{role.id}",
                            params={"version": v})
    return page(request, "dss/role.html", {
        "tx": tx, "role": role, "version": v, "person_type": tx.person_type(role.person_type_id),
        "requirements": requirements, "occupations": tx.occupation_crosswalk(role.id), "overlay": tx.overlay,
    }, block="role_requirements")


@get("/dss/matrix", **access.public(), include_in_schema=False)
async def matrix_page(request: Request, settings: NamedDependency[Settings], version: FromQuery[str | None] = None,
                      category: FromQuery[str | None] = None, person_type: FromQuery[str | None] = None) -> Template:
    """The role x skill matrix of one category (categories are its pages), levels with their provenance."""
    tx = taxonomy(settings)
    v = chosen_version(tx, version)
    categories = tx.categories(v)
    current = next((c for c in categories if c.id == category), categories[0])
    person_types = tx.person_types("1.2")
    chosen_pt = next((pt for pt in person_types if pt.id == person_type), None)
    roles = [r for r in tx.roles() if chosen_pt is None or r.person_type_id == chosen_pt.id]
    rows = [(s, [r.requirements.get(s.id) for r in roles]) for s in tx.skill_items(v, category_id=current.id)]
    index = [c.id for c in categories].index(current.id)
    return page(request, "dss/matrix.html", {
        "tx": tx, "version": v, "categories": categories, "current": current, "roles": roles, "rows": rows,
        "person_types": person_types, "person_type": chosen_pt.id if chosen_pt else "", "overlay": tx.overlay,
        "prev": categories[index - 1] if index > 0 else None,
        "next": categories[index + 1] if index + 1 < len(categories) else None,
    }, block="matrix")


@get("/dss/literacy", **access.public(), include_in_schema=False)
async def literacy_page(request: Request, settings: NamedDependency[Settings]) -> Template:
    """The DX Literacy Standard: parts, groups and items."""
    tx = taxonomy(settings)
    parts = [c for c in tx.literacy_categories() if c.parent_id is None]
    groups = {c.id: [g for g in tx.literacy_categories() if g.parent_id == c.id] for c in parts}
    return page(request, "dss/literacy.html", {"tx": tx, "parts": parts, "groups": groups})


handlers = [dss_index, dss_search, skill_list, skill_page, role_page, matrix_page, literacy_page]
