"""Assessment data from a profile: category/subcategory summaries for charts and the gap to a DSS role.

Pure functions over a :class:`skills.profile.Profile` and the taxonomy; nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass

from skills.profile import STATUSES, Profile
from taxonomies.dss import LEVELS, Role, Taxonomy, level_rank
from taxonomies.dss.profiles import ESTIMATE_LABEL_EN, ESTIMATE_LABEL_JA

PROFILE_VERSION = "2.0"
GAP_RESULTS = ("met", "partly_met", "missing")
PROVENANCE_LABELS = {"estimated": (ESTIMATE_LABEL_EN, ESTIMATE_LABEL_JA),
                     "official": ("official (IPA)", "公式 (IPA)"),
                     "secondary": ("from a secondary source", "二次資料による"),
                     "unverified": ("unverified", "未確認")}


@dataclass(frozen=True)
class GroupSummary:
    """How much of one category or subcategory the profile covers, for charts."""

    id: str
    name_ja: str
    name_en: str
    items: int
    held: int
    by_status: dict[str, int]
    by_level: dict[str, int]
    mean_level: float  # mean level rank over all items of the group, 0 (none) .. 4 (a)


@dataclass(frozen=True)
class GapItem:
    """A role's requirement on one skill item against what the profile holds."""

    skill_id: str
    name_ja: str
    name_en: str
    needed: str
    provenance: str
    provenance_label_en: str
    provenance_label_ja: str
    held: str | None
    status: str | None
    result: str
    need: str  # "core" (defines the role) or "useful" (also useful); see taxonomies/dss/needs.py


@dataclass(frozen=True)
class Gap:
    """The role's needed items, core needs first; items the role does not require are only counted."""

    role_id: str
    role_name_ja: str
    role_name_en: str
    items: list[GapItem]
    counts: dict[str, int]
    met_verified: int  # met by a level with status verified
    core_counts: dict[str, int]  # the same counts over the core needs alone
    not_required: int  # items the role's profile does not require (not listed)


def summarize_group(group_id: str, name_ja: str, name_en: str, skill_ids: list[str],
                    profile: Profile) -> GroupSummary:
    held = [profile.items[s] for s in skill_ids if s in profile.items]
    by_status = {status: sum(1 for i in held if i.status == status) for status in STATUSES}
    by_level = {level: sum(1 for i in held if i.level == level) for level in LEVELS}
    total_rank = sum(level_rank(i.level) for i in held)
    mean = round(total_rank / len(skill_ids), 2) if skill_ids else 0.0
    return GroupSummary(group_id, name_ja, name_en, len(skill_ids), len(held), by_status, by_level, mean)


def category_summaries(profile: Profile, taxonomy: Taxonomy) -> dict[str, list[GroupSummary]]:
    """Per-category and per-subcategory summaries of the current DSS version, in taxonomy order."""
    items = taxonomy.skill_items(PROFILE_VERSION)
    categories = [summarize_group(c.id, c.name_ja, c.name_en,
                                  [s.id for s in items if s.category_id == c.id], profile)
                  for c in taxonomy.categories(PROFILE_VERSION)]
    subcategories = [summarize_group(s.id, s.name_ja, s.name_en,
                                     [i.id for i in items if i.subcategory_id == s.id], profile)
                     for s in taxonomy.subcategories(PROFILE_VERSION)]
    return {"categories": categories, "subcategories": subcategories}


def gap_result(needed: str, held: str | None) -> str:
    if held is None:
        return "missing"
    return "met" if level_rank(held) >= level_rank(needed) else "partly_met"


def gap_to_role(profile: Profile, role: Role, taxonomy: Taxonomy) -> Gap:
    """Needed vs held level on the current-version items the role needs (core, then also useful)."""
    needs = taxonomy.role_needs(role.id, PROFILE_VERSION)
    rows = []
    not_required = 0
    for skill in taxonomy.skill_items(PROFILE_VERSION):
        requirement = role.requirements.get(skill.id)
        if requirement is None:
            continue
        if skill.id not in needs:
            not_required += 1
            continue
        item = profile.items.get(skill.id)
        held = item.level if item else None
        label_en, label_ja = PROVENANCE_LABELS.get(requirement.provenance, (requirement.provenance,) * 2)
        rows.append(GapItem(skill.id, skill.name_ja, skill.name_en, requirement.level, requirement.provenance,
                            label_en, label_ja, held, item.status if item else None,
                            gap_result(requirement.level, held), needs[skill.id]))
    # Core needs first; within each, what is missing before what is partly met or met, higher levels first.
    order = {"missing": 0, "partly_met": 1, "met": 2}
    rows.sort(key=lambda r: (r.need != "core", order[r.result], -level_rank(r.needed)))
    counts = {result: sum(1 for r in rows if r.result == result) for result in GAP_RESULTS}
    core_counts = {result: sum(1 for r in rows if r.result == result and r.need == "core") for result in GAP_RESULTS}
    met_verified = sum(1 for r in rows if r.result == "met" and r.status == "verified")
    return Gap(role.id, role.name_ja, role.name_en, rows, counts, met_verified, core_counts, not_required)
