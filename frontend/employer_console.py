"""What every page of the employer's console shares: its routes' base and access, the console context
(organization, tab, DSS roles, prefectures), the search criteria as the forms send them, and one page
of explained candidates from ``matching.service``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar import Request
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.service import AccountService
from core.errors import DomainError, InvalidInput
from frontend.dss_picker import alignment_rows
from frontend.forms import as_list, as_uuid
from frontend.i18n import translate
from frontend.pagination import Page, page_number
from frontend.rendering import lang_of
from matching import service
from matching.models import POSTING_STATUSES
from matching.postings import PostingService, analyze
from matching.present import job_view
from matching.schemas import CandidateSearchRequest
from matching.search import holder_of
from skills.prefectures import PREFECTURES
from taxonomies.dss import LEVELS, get_taxonomy

BASE = "/employer/{org_id:uuid}"
MEMBER = access.org_member("employer")
PER_PAGE = 10
MAX_REQUIREMENTS = 40
ROLE_TEMPLATE_SIZE = 12  # a role's level-a needs copied into the requirements


def base_of(org_id: uuid.UUID) -> str:
    return f"/employer/{org_id}"


async def console(request: Request, db: AsyncSession, org_id: uuid.UUID, tab: str,
                  **extra: Any) -> dict[str, Any]:
    """What every employer page needs: the organization, the active tab, the DSS roles and prefectures."""
    org = await AccountService(db).get_org(org_id)
    roles = sorted(get_taxonomy().roles(), key=lambda r: (r.extension, r.id))
    return {"org": org, "base": base_of(org_id), "tab": tab, "roles": roles,
            "roles_by_id": {r.id: r for r in roles},
            "prefectures": PREFECTURES,
            "levels": list(reversed(LEVELS)), **extra}


def requirement_rows(data: Any, *, add: str = "", remove: str = "") -> list[dict]:
    """Chosen skill items and levels from a query or form (``req_skill``/``req_level`` pairs)."""
    get_all = data.getall if hasattr(data, "getall") else (lambda name, default=None: as_list(data.get(name)))
    rows = alignment_rows(get_all("req_skill", []), get_all("req_level", []), add=add, remove=remove)
    return rows[:MAX_REQUIREMENTS]


@dataclass
class Criteria:
    """What the employer is looking for, as the search form sends it."""

    rows: list[dict] = field(default_factory=list)
    match: str = "all"
    verified_only: bool = False
    role_id: str = ""
    posting_id: str = ""
    prefecture: str = ""

    @property
    def empty(self) -> bool:
        return not (self.rows or self.role_id or self.posting_id)

    def params(self) -> list[tuple[str, str]]:
        """The criteria as query parameters (repeated keys for the skill rows)."""
        pairs: list[tuple[str, str]] = []
        for row in self.rows:
            pairs += [("req_skill", row["skill"].id), ("req_level", row["level"])]
        pairs += [(k, v) for k, v in (("match", self.match if self.match != "all" else ""),
                                      ("verified", "on" if self.verified_only else ""),
                                      ("role_id", self.role_id),
                                      ("posting_id", self.posting_id), ("prefecture", self.prefecture)) if v]
        return pairs

    def request(self, number: int) -> CandidateSearchRequest:
        return CandidateSearchRequest(
            skills=[{"skill_id": r["skill"].id, "min_level": r["level"]} for r in self.rows],
            match=self.match, verified_only=self.verified_only, role_id=self.role_id or None,
            posting_id=self.posting_id or None, prefecture=self.prefecture or None, page=number,
            per_page=PER_PAGE)


def criteria_of(data: Any, **changes: str) -> Criteria:
    get_one = data.get
    posting = str(get_one("posting_id") or "")
    return Criteria(
        rows=requirement_rows(data, **changes), match="any" if get_one("match") == "any" else "all",
        verified_only=get_one("verified") == "on",
        role_id=str(get_one("role_id") or "") if str(get_one("role_id") or "") in known_roles() else "",
        posting_id=posting if as_uuid(posting) else "",
        prefecture=str(get_one("prefecture") or "") if get_one("prefecture") in PREFECTURES else "")


def known_roles() -> set[str]:
    return {r.id for r in get_taxonomy().roles()}


async def search_results(request: Request, db: AsyncSession, org_id: uuid.UUID,
                         criteria: Criteria) -> Page | None:
    """One page of explained candidates, or None when there is nothing to search for yet."""
    if criteria.empty:
        return None
    number = page_number(request.query_params.get("page"))
    found = await service.search_candidates(db, holder_of(request.app.state), org_id,
                                            criteria.request(number))
    path = f"{base_of(org_id)}/candidates"
    return Page(found["results"], number, PER_PAGE, found["total"], path, tuple(criteria.params()))


async def search_context(request: Request, db: AsyncSession, org_id: uuid.UUID, criteria: Criteria,
                         **extra: Any) -> dict[str, Any]:
    postings = await PostingService(db).list_for_org(org_id)
    error = None
    try:
        results = await search_results(request, db, org_id, criteria)
    except (DomainError, ValidationError):  # e.g. a posting of another organization
        results, error = None, translate("employer.search.error", lang_of(request))
    extra.setdefault("picker_q", "")
    extra.setdefault("choices", [])
    extra.setdefault("proposal", None)
    return await console(request, db, org_id, "candidates", criteria=criteria, results=results, error=error,
                         postings=postings, query="&".join(f"{k}={v}" for k, v in criteria.params()),
                         rows_url=f"{base_of(org_id)}/candidates/requirements", editor="search", **extra)


def role_template(role_id: str) -> list[dict]:
    """A role's level-a needs (DSS ver.2.0) as requirement rows: a starting point to edit."""
    tx = get_taxonomy()
    role = tx.role(role_id)
    needs = [s for s in tx.skill_items("2.0")
             if s.id in role.requirements and role.requirements[s.id].level == "a"]
    return [{"skill": s, "level": "a"} for s in needs[:ROLE_TEMPLATE_SIZE]]


async def explain_candidate(db: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID,
                            criteria: Criteria) -> dict[str, Any] | None:
    """The person and how they meet the criteria (no explanation when the criteria cannot be searched)."""
    try:
        return await service.explain_candidate(db, org_id, person_id, None if criteria.empty else criteria.request(1))
    except (DomainError, ValidationError):  # e.g. a posting of another organization
        return await service.explain_candidate(db, org_id, person_id, None)


async def posting_context(request: Request, db: AsyncSession, org_id: uuid.UUID, values: dict[str, Any],
                          rows: list[dict], errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    values.setdefault("lang", lang_of(request))
    values.setdefault("status", "draft")
    posting_id = values.get("id")
    action = f"{base_of(org_id)}/postings/{posting_id}" if posting_id else f"{base_of(org_id)}/postings"
    extra.setdefault("picker_q", "")
    extra.setdefault("choices", [])
    extra.setdefault("proposal", None)
    return await console(request, db, org_id, "postings", values=values, requirements=rows, errors=errors,
                         action=action, rows_url=f"{base_of(org_id)}/postings/requirements", editor="posting",
                         statuses=POSTING_STATUSES, **extra)


def proposed_rows(proposal: dict[str, Any]) -> list[dict]:
    """The skill items a job text analysis proposes, as requirement rows."""
    return alignment_rows([s["id"] for s in proposal["skills"]], [s["level"] for s in proposal["skills"]])


async def proposal_of(text: str, errors: dict[str, str], field: str, lang: str) -> dict[str, Any] | None:
    """The DSS skill items and closest roles proposed for a job text, or None with the field's error."""
    try:
        return job_view(await analyze(text))
    except InvalidInput:
        errors[field] = translate("employer.error.job_text", lang)
        return None
