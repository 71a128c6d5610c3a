"""The aggregation rule: pieces of evidence -> a DSS skill profile. Pure and deterministic.

Written down in docs/skills-profile.md ("Aggregation rule"); in short, per skill item:

1. One source counts once: of the pieces one source gives on an item, only the strongest
   (highest level, then highest weight) is kept.
2. Each source belongs to a tier: wallet credentials that passed verification and come from a trusted
   issuer are *verified*; valid credentials of issuers nobody vouches for, learning records, IPA exams and
   Open Badges 2.0 are *evidenced*; self-assessment is *self_declared*.
3. The support of a level L is 1 - prod(1 - weight) over the verified and evidenced pieces at L or
   above, rounded to 2 decimals. The held level is the highest level whose support reaches
   ``MIN_SUPPORT``; when none does, the evidence is weak and the level is d. Confidence is the
   support of the held level.
4. Status is ``verified`` when a verified piece is at or above the held level, else ``evidenced``.
   Only an item without verified or evidenced pieces takes its level from a self-assessment, with
   status ``self_declared`` and the self-assessment's weight as confidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from skills.models import EvidenceStatus
from taxonomies.dss import LEVELS, level_rank

SOURCES = ("credential", "credential_untrusted", "ob2_badge", "record", "exam", "self")
TIER_OF_SOURCE = {"credential": "verified", "credential_untrusted": "evidenced", "ob2_badge": "evidenced",
                  "record": "evidenced", "exam": "evidenced", "self": "self_declared"}
STATUSES = tuple(EvidenceStatus)
MIN_SUPPORT = 0.3


@dataclass(frozen=True)
class EvidencePiece:
    """A source's claim that the person holds ``level`` on ``skill_id``; ``weight`` in (0, 1]."""

    id: str
    source: str
    source_id: str
    skill_id: str
    level: str
    weight: float
    label: str = ""
    observed_on: date | None = None

    @property
    def tier(self) -> str:
        return TIER_OF_SOURCE[self.source]


@dataclass(frozen=True)
class ProfileItem:
    """The profile on one skill item: level a-d, status, confidence and the evidence behind it."""

    skill_id: str
    level: str
    status: str
    confidence: float
    levels: dict[str, str]  # highest level per tier that has evidence
    evidence: tuple[EvidencePiece, ...]  # one piece per source, by tier then strongest first

    def summary(self) -> dict[str, object]:
        """The item without evidence details (what snapshots and employer search keep)."""
        return {"level": self.level, "status": self.status, "confidence": self.confidence,
                "levels": dict(self.levels), "evidence": len(self.evidence)}


@dataclass(frozen=True)
class Profile:
    """Profile items by skill id (sorted by id) and the number of pieces the profile was built from."""

    items: dict[str, ProfileItem] = field(default_factory=dict)
    evidence_count: int = 0

    def summary(self) -> dict[str, dict[str, object]]:
        return {skill_id: item.summary() for skill_id, item in self.items.items()}


def _strength(piece: EvidencePiece) -> tuple[int, float, str]:
    return level_rank(piece.level), piece.weight, piece.id


def _one_per_source(pieces: list[EvidencePiece]) -> list[EvidencePiece]:
    best: dict[tuple[str, str], EvidencePiece] = {}
    for piece in pieces:
        key = (piece.source, piece.source_id)
        if key not in best or _strength(piece) > _strength(best[key]):
            best[key] = piece
    tiers = {tier: i for i, tier in enumerate(STATUSES)}
    return sorted(best.values(),
                  key=lambda p: (tiers[p.tier], -level_rank(p.level), -p.weight, p.label, p.id))


def combine_weights(weights: Iterable[float]) -> float:
    """1 - prod(1 - w): independent pieces of support, each capped to [0, 1]."""
    missing = 1.0
    for weight in weights:
        missing *= 1.0 - min(max(weight, 0.0), 1.0)
    return round(1.0 - missing, 2)


def support(pieces: list[EvidencePiece], level: str) -> float:
    """Combined weight of the pieces at ``level`` or above."""
    return combine_weights(p.weight for p in pieces if level_rank(p.level) >= level_rank(level))


def compute_item(skill_id: str, pieces: list[EvidencePiece]) -> ProfileItem:
    """The profile item of one skill from its pieces (at least one)."""
    kept = _one_per_source(pieces)
    levels: dict[str, str] = {}
    for piece in kept:  # sorted strongest first within each tier
        levels.setdefault(piece.tier, piece.level)
    counting = [p for p in kept if p.tier != "self_declared"]
    if not counting:
        return ProfileItem(skill_id, levels["self_declared"], "self_declared",
                           combine_weights(p.weight for p in kept), levels, tuple(kept))
    level = next((lv for lv in LEVELS if support(counting, lv) >= MIN_SUPPORT), LEVELS[-1])
    verified = "verified" in levels and level_rank(levels["verified"]) >= level_rank(level)
    status = "verified" if verified else "evidenced"
    return ProfileItem(skill_id, level, status, support(counting, level), levels, tuple(kept))


def compute_profile(evidence: Iterable[EvidencePiece]) -> Profile:
    """The profile that the aggregation rule gives for these pieces (any order, same result)."""
    by_skill: dict[str, list[EvidencePiece]] = {}
    count = 0
    for piece in evidence:
        by_skill.setdefault(piece.skill_id, []).append(piece)
        count += 1
    items = {skill_id: compute_item(skill_id, by_skill[skill_id]) for skill_id in sorted(by_skill)}
    return Profile(items=items, evidence_count=count)
