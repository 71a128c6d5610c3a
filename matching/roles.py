"""Role and job-posting recommendation: how well a profile's levels meet a target's needed levels.

Pure functions over plain values (no database). A *target* is a DSS role or a published job posting:
a needed level a-d per skill item (in the DSS the level doubles as importance). With ``h_s`` the held
level (rank a=4 ... d=1, 0 when not held), ``r_s`` the needed level, ``w`` the importance weight
(a=8, b=4, c=2, d=1) and ``e`` the evidence factor (verified 1.0, evidenced 0.8, self-declared 0.6):

* ``coverage`` = sum_s w(r_s) e_s min(rank(h_s)/rank(r_s), 1) / sum_s w(r_s): the importance-weighted
  share of the need that is met, in [0, 1] (1: every need met with verified evidence). It ranks
  *people* for one target (candidate search), where a person's other skills must not count against them.
* ``score`` (fit) = cosine(e_s rank(h_s), w(r_s)): how well the profile's strengths line up with what
  the target weighs most. It ranks *targets* for one person. Coverage alone favours roles with few
  strong needs (a graphic designer needs little outside design, so any small profile "covers" much of
  it); the evaluation (``python -m matching.eval``) compares both with plain cosine and a learned
  model, and fit ranked best (docs/matching.md).

Each need is reported as met (held level >= needed), partly met (held but lower) or missing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from taxonomies.dss import LEVELS, get_taxonomy, level_rank

IMPORTANCE_WEIGHT: dict[str, float] = {"a": 8.0, "b": 4.0, "c": 2.0, "d": 1.0}
EVIDENCE_FACTOR: dict[str, float] = {"verified": 1.0, "evidenced": 0.8, "self_declared": 0.6}
STATUSES: tuple[str, ...] = ("verified", "evidenced", "self_declared")
DEFAULT_VERSION = "2.0"
RANK: dict[str, int] = {level: level_rank(level) for level in LEVELS}  # a=4 ... d=1 (scoring hot path)


@dataclass(frozen=True)
class Held:
    """A skill item a person holds: level a-d and how it is backed."""

    level: str
    status: str = "self_declared"


Profile = Mapping[str, Held]
"""skill item id -> what the person holds."""


@dataclass(frozen=True)
class Target:
    """Something to be matched against: a DSS role (``kind="role"``) or a job posting (``"posting"``)."""

    kind: str
    id: str
    name_ja: str
    name_en: str
    requirements: Mapping[str, str]  # skill item id -> needed level
    extension: bool = False  # a skillpass extension role, not one of the DSS's own
    needs: Mapping[str, str] | None = None  # roles: skill id -> "core" / "useful" (taxonomies/dss/needs.py)


@dataclass(frozen=True)
class Need:
    """One need of a target and what the profile holds for it."""

    skill_id: str
    required: str
    held: str | None
    status: str | None
    credit: float  # e * min(rank(h)/rank(r), 1), in [0, 1]

    @property
    def outcome(self) -> str:
        """met, partly_met or missing."""
        if self.held is None:
            return "missing"
        return "met" if RANK[self.held] >= RANK[self.required] else "partly_met"


@dataclass(frozen=True)
class TargetMatch:
    """A scored target with the needs it explains, most important first."""

    target: Target
    score: float  # fit, used for ranking targets
    coverage: float  # share of the weighted need that is met
    needs: tuple[Need, ...] = field(default=())

    def by_outcome(self, outcome: str) -> list[Need]:
        return [n for n in self.needs if n.outcome == outcome]


def credit(held: Held | None, required: str) -> float:
    """How much of one need a held skill covers, discounted by its evidence."""
    if held is None:
        return 0.0
    covered = min(RANK[held.level] / RANK[required], 1.0)
    return EVIDENCE_FACTOR[held.status] * covered


def strength(held: Held) -> float:
    """A held skill's weight in the fit: its rank discounted by its evidence."""
    return EVIDENCE_FACTOR[held.status] * RANK[held.level]


def fit(profile: Profile, target: Target) -> float:
    """cosine(e * rank(h), w(r)), in [0, 1]; the profile's norm counts all its skills, so a posting
    that names five items is not an easier match than a role that weighs all of them."""
    dot = need_norm = 0.0
    for skill_id, required in target.requirements.items():
        weight = IMPORTANCE_WEIGHT[required]
        need_norm += weight * weight
        held = profile.get(skill_id)
        if held is not None:
            dot += strength(held) * weight
    profile_norm = sum(strength(h) ** 2 for h in profile.values())
    return dot / math.sqrt(profile_norm * need_norm) if dot else 0.0


def score_target(profile: Profile, target: Target) -> TargetMatch:
    """Fit, coverage and every need explained (sorted by importance, then item order)."""
    needs, gained, total = [], 0.0, 0.0
    for skill_id, required in target.requirements.items():
        held = profile.get(skill_id)
        c = credit(held, required)
        weight = IMPORTANCE_WEIGHT[required]
        gained += weight * c
        total += weight
        needs.append(Need(skill_id, required, held.level if held else None, held.status if held else None, c))
    needs.sort(key=lambda n: -RANK[n.required])  # stable: item order within a level
    coverage = round(gained / total, 4) if total else 0.0
    return TargetMatch(target, round(fit(profile, target), 4), coverage, tuple(needs))


def rank_targets(profile: Profile, targets: Iterable[Target], top_k: int | None = None) -> list[TargetMatch]:
    """Targets best first by fit (ties: higher coverage, roles before postings, then id)."""
    matches = [score_target(profile, t) for t in targets]
    matches.sort(key=lambda m: (-m.score, -m.coverage, m.target.kind != "role", m.target.id))
    return matches[:top_k] if top_k is not None else matches


def role_targets(version: str = DEFAULT_VERSION, *, include_extensions: bool = True) -> list[Target]:
    """Every role of the taxonomy as a target over the skill items of ``version``."""
    tx = get_taxonomy()
    item_ids = [s.id for s in tx.skill_items(version)]
    return [Target("role", role.id, role.name_ja, role.name_en,
                   {sid: role.requirements[sid].level for sid in item_ids if sid in role.requirements},
                   role.extension, tx.role_needs(role.id, version))
            for role in tx.roles(include_extensions=include_extensions)]


def check_profile(profile: Profile) -> None:
    """Raise ValueError naming the first skill whose level or status is not legal."""
    for skill_id, held in profile.items():
        if held.level not in LEVELS:
            raise ValueError(f"{skill_id}: level must be one of {', '.join(LEVELS)}")
        if held.status not in EVIDENCE_FACTOR:
            raise ValueError(f"{skill_id}: status must be one of {', '.join(STATUSES)}")


def recommend_roles(profile: Profile, version: str = DEFAULT_VERSION, *, postings: Iterable[Target] = (),
                    top_k: int | None = None) -> list[TargetMatch]:
    """Every DSS role (and the given published postings) ranked for a profile."""
    check_profile(profile)
    return rank_targets(profile, [*role_targets(version), *postings], top_k)
