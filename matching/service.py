"""Matching use cases over the database: recommendations, learning paths, candidate search, trends.

Handlers call these; each takes the request's session and returns plain JSON-ready values.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from core.settings import Settings
from matching.catalog import CatalogService, skill_id_of
from matching.paths import PathFilters, plan_path
from matching.postings import PostingService, posting_target
from matching.present import explanation, path_view, target_match_view
from matching.profiles import SkillsProfileSource
from matching.query import CandidateQuery, SkillFilter, ranking_target
from matching.roles import Held, Profile, Target, recommend_roles, role_targets, score_target
from matching.schemas import CandidateSearchRequest, PathOptions
from matching.search import IndexHolder, find_candidates
from matching.trends import KINDS, parse_month, trend_cells
from skills.prefectures import prefecture_code
from skills.service import ProfileService
from taxonomies.dss import LEVELS, get_taxonomy

TREND_MONTHS = 12


async def published_targets(session: AsyncSession) -> list[Target]:
    return [posting_target(p) for p in await PostingService(session).published()]


async def recommend(session: AsyncSession, profile: Profile, version: str = "2.0", *,
                    include_postings: bool = True, top_k: int | None = None) -> list[dict[str, Any]]:
    """Roles (and published postings) ranked for a profile, each explained."""
    postings = await published_targets(session) if include_postings else []
    return [target_match_view(m) for m in recommend_roles(profile, version, postings=postings, top_k=top_k)]


def role_target(role_id: str, version: str = "2.0") -> Target:
    for target in role_targets(version):
        if target.id == role_id:
            return target
    raise InvalidInput(f"unknown DSS role {role_id!r}", field="role_id")


async def path_target(session: AsyncSession, options: PathOptions, version: str,
                      org_id: uuid.UUID | None = None) -> Target:
    """The role, or the posting (published, or the employer's own when ``org_id`` is given)."""
    if options.role_id is not None:
        return role_target(options.role_id, version)
    postings = PostingService(session)
    assert options.posting_id is not None
    posting = (await postings.get(org_id, options.posting_id) if org_id
               else await postings.get_published(options.posting_id))
    return posting_target(posting)


def path_filters(options: PathOptions) -> PathFilters:
    return PathFilters(
        languages=frozenset(options.languages) if options.languages else None,
        modes=frozenset(options.modes) if options.modes else None,
        max_course_hours=options.max_course_hours, max_course_price=options.max_course_price,
        budget_hours=options.budget_hours, budget_price=options.budget_price)


async def path_for_reader(session: AsyncSession, profile: Profile, role_id: str, language: str,
                          version: str = "2.0") -> dict[str, Any]:
    """The path to a role in the reader's language: courses taught in ``language`` only, or, when
    none of those helps, every language (``language_fallback`` says so)."""
    target = role_target(role_id, version)
    catalog = await CatalogService(session).catalog()  # read once for both plans
    path = path_view(plan_path(profile, target, catalog, PathFilters(languages=frozenset({language}))))
    if path["steps"] or not path["gaps"]:
        return {**path, "language_fallback": False}
    return {**path_view(plan_path(profile, target, catalog)), "language_fallback": True}


async def learning_path(session: AsyncSession, profile: Profile, options: PathOptions,
                        version: str = "2.0") -> dict[str, Any]:
    """The cheapest ordered course list from the database catalog that closes the gap to the target."""
    target = await path_target(session, options, version)
    catalog = await CatalogService(session).catalog()
    return path_view(plan_path(profile, target, catalog, path_filters(options), objective=options.objective,
                               min_required=options.min_required))


async def own_profile(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> Profile:
    """The signed-in learner's own current profile (all of it: it is theirs)."""
    profile, _ = await ProfileService(session, settings).profile(person_id)
    return {sid: Held(item.level, item.status) for sid, item in profile.items.items()
            if item.level in LEVELS and item.status in ("verified", "evidenced", "self_declared")}


def candidate_query(request: CandidateSearchRequest, target: Target | None) -> CandidateQuery:
    """Check the request's items and prefecture; the page becomes offset/limit."""
    filters = []
    for i, f in enumerate(request.skills):
        skill_id = skill_id_of(f.skill_id)
        if skill_id is None:
            raise InvalidInput(f"unknown DSS skill item {f.skill_id!r}", field=f"skills[{i}].skill_id")
        filters.append(SkillFilter(skill_id, f.min_level))
    match = request.match
    if request.must_meet and target is not None:
        filters += [SkillFilter(s, level) for s, level in target.requirements.items()]
        match = "all"
    prefecture = None
    if request.prefecture:
        prefecture = prefecture_code(request.prefecture)
        if prefecture is None:
            raise InvalidInput(f"unknown prefecture {request.prefecture!r}", field="prefecture")
    return CandidateQuery(tuple(filters), match, request.verified_only, target, prefecture,
                          request.min_coverage, (request.page - 1) * request.per_page, request.per_page)


async def search_target(session: AsyncSession, org_id: uuid.UUID, request: CandidateSearchRequest) -> Target | None:
    """The role or the employer's own posting a search ranks by; None when the request's items do."""
    if request.role_id:
        return role_target(request.role_id)
    if request.posting_id:
        return posting_target(await PostingService(session).get(org_id, request.posting_id))
    return None


async def search_candidates(session: AsyncSession, holder: IndexHolder, org_id: uuid.UUID,
                            request: CandidateSearchRequest) -> dict[str, Any]:
    """One explained page of opted-in people matching the employer's filters and target."""
    target = await search_target(session, org_id, request)
    total, results = await find_candidates(holder, session, candidate_query(request, target))
    return {"total": total, "page": request.page, "per_page": request.per_page,
            "ranked_by": {"kind": target.kind, "id": target.id} if target else {"kind": "query"},
            "results": [{"person_id": str(r.person_id), "display_name": r.display_name,
                         "prefecture": r.prefecture, "coverage": r.coverage, "updated_at": r.updated_at,
                         **r.explanation} for r in results]}


async def explain_candidate(session: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID,
                            request: CandidateSearchRequest | None) -> dict[str, Any] | None:
    """One opted-in person as an employer may see them (consented parts only) and, for a search
    ``request``, how they meet the target the search ranks by: coverage and met / partly met / missing
    needs, as the search explains it. None when the person is not discoverable."""
    found = await SkillsProfileSource().load_some(session, {person_id})
    if not found:
        return None
    person, explained = found[0], None
    if request is not None:
        target = ranking_target(candidate_query(request, await search_target(session, org_id, request)))
        match = score_target(person.skills, target)
        explained = {"coverage": match.coverage, "target": target,
                     **explanation(match, "c" if target.kind == "role" else None)}
    return {"person": person, "explained": explained}


def trend_window(month_from: str | None, month_to: str | None) -> tuple[int, int]:
    now = datetime.now(UTC)
    last = parse_month(month_to, "month_to") if month_to else now.year * 12 + now.month - 1
    first = parse_month(month_from, "month_from") if month_from else last - TREND_MONTHS + 1
    if first > last:
        raise InvalidInput("month_from is after month_to", field="month_from")
    if last - first >= 120:
        raise InvalidInput("at most 120 months at a time", field="month_from")
    return first, last


async def trends(session: AsyncSession, holder: IndexHolder, *, kind: str = "skill", version: str = "2.0",
                 min_level: str = "d", month_from: str | None = None, month_to: str | None = None,
                 skill_or_role: str | None = None, prefecture: str | None = None) -> list:
    """Suppressed supply and demand cells (see matching.trends)."""
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if min_level not in LEVELS:
        raise InvalidInput(f"min_level must be one of {', '.join(LEVELS)}", field="min_level")
    if version not in get_taxonomy().versions:
        raise InvalidInput(f"unknown DSS version {version!r}", field="version")
    code = None
    if prefecture:
        code = prefecture_code(prefecture) or (prefecture if prefecture == "unknown" else None)
        if code is None:
            raise InvalidInput(f"unknown prefecture {prefecture!r}", field="prefecture")
    months = trend_window(month_from, month_to)
    index = await holder.ready(session)
    postings = await PostingService(session).published_or_closed()

    def work() -> list:
        with index.lock:  # about 0.1 s at 1,000,000 profiles: off the event loop
            return trend_cells(index, postings, kind=kind, version=version, min_level=min_level,
                               months=months, ids={skill_or_role} if skill_or_role else None, prefecture=code)

    return await anyio.to_thread.run_sync(work)
