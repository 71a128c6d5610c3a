"""Frozen value objects of the DSS taxonomy (skill items, roles, crosswalk links, ...).

Every concept carries a stable URL-safe ``id`` (unique across all versions and kinds), a
``uri_path`` (``/dss/<version>/<kind>/<id>``; prepend the platform base URL for the concept URI),
Japanese and English labels and a ``provenance`` (see :data:`PROVENANCES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Provenance = Literal["official", "secondary", "unverified", "estimated"]
PROVENANCES: tuple[str, ...] = ("official", "secondary", "unverified", "estimated")
"""official: from IPA's own tables (only via an imported overlay); secondary: a public secondary
source shows it; unverified: consistent with the standard but not confirmed by any source;
estimated: skillpass's own estimate, never IPA's."""

Match = Literal["exact", "close", "partial"]
MATCHES: tuple[str, ...] = ("exact", "close", "partial")


@dataclass(frozen=True)
class Category:
    """Top-level grouping of skill items (カテゴリ)."""

    id: str
    version: str
    code: str
    uri_path: str
    name_ja: str
    name_en: str
    provenance: Provenance
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Subcategory:
    """Second-level grouping of skill items (サブカテゴリ)."""

    id: str
    version: str
    code: str
    uri_path: str
    name_ja: str
    name_en: str
    category_id: str
    provenance: Provenance
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class SkillItem:
    """One skill item of the common skill list (スキル項目)."""

    id: str
    version: str
    code: str
    uri_path: str
    name_ja: str
    name_en: str
    category_id: str
    subcategory_id: str
    description_ja: str | None
    description_en: str | None
    learning_items_ja: list[str]
    learning_items_en: list[str]
    provenance: Provenance
    sources: tuple[str, ...] = ()
    note: str | None = None

    def __hash__(self) -> int:  # lists are not hashable; ids are unique
        return hash(("skill", self.id))


@dataclass(frozen=True)
class PersonType:
    """人材類型 (person type) grouping roles."""

    id: str
    version: str
    uri_path: str
    name_ja: str
    name_en: str
    role_ids: tuple[str, ...]
    provenance: Provenance
    sources: tuple[str, ...] = ()
    definition_en: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Requirement:
    """Importance of one skill item for one role: a level a-d with where it comes from."""

    level: str
    provenance: Provenance
    rationale: str | None = None


@dataclass(frozen=True)
class Role:
    """A ロール with its requirement (level a-d) on every skill item of every version.

    ``requirements`` maps skill item id -> :class:`Requirement`. ``extension`` marks roles that
    skillpass adds (not part of the DSS).
    """

    id: str
    version: str
    uri_path: str
    name_ja: str
    name_en: str
    person_type_id: str
    provenance: Provenance
    requirements: dict[str, Requirement] = field(default_factory=dict)
    extension: bool = False
    rationale_en: str | None = None
    rationale_ja: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None

    def __hash__(self) -> int:
        return hash(("role", self.id))

    def requirements_for(self, skill_ids: list[str] | tuple[str, ...]) -> dict[str, Requirement]:
        """The requirements on the given skill items, in their order."""
        return {sid: self.requirements[sid] for sid in skill_ids if sid in self.requirements}


@dataclass(frozen=True)
class LiteracyCategory:
    """A part of the DX Literacy Standard (Why / What / How / マインド・スタンス) or a group inside one."""

    id: str
    version: str
    uri_path: str
    name_ja: str
    name_en: str
    provenance: Provenance
    parent_id: str | None = None
    label_ja: str | None = None
    summary_ja: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class LiteracyItem:
    """One item of the DX Literacy Standard."""

    id: str
    version: str
    uri_path: str
    name_ja: str
    name_en: str
    category_id: str
    provenance: Provenance
    group_id: str | None = None
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class CrosswalkLink:
    """A v1.2 skill item corresponding (wholly or in part) to a v2.0 skill item."""

    source_id: str
    target_id: str
    match: Match
    basis: Literal["identical-name", "reviewed"]
    note: str | None = None


@dataclass(frozen=True)
class ExamLink:
    """Passing an exam is taken as evidence of ``level`` on a skill item (a skillpass estimate)."""

    skill_id: str
    level: str
    confidence: Literal["high", "medium", "low"]
    note: str | None = None


@dataclass(frozen=True)
class Exam:
    """An IPA national examination with its estimated skill-item coverage."""

    id: str
    code: str
    name_ja: str
    name_en: str
    url: str | None
    links: tuple[ExamLink, ...]
    provenance: Provenance = "estimated"
    note: str | None = None


@dataclass(frozen=True)
class OccupationLink:
    """A DSS role matched to an occupation of another classification (MHLW job tag, ESCO)."""

    role_id: str
    scheme: Literal["jobtag", "esco"]
    label: str
    code: str | None
    uri: str | None
    confidence: Literal["high", "medium", "low"]
    provenance: Provenance = "estimated"
    note: str | None = None


@dataclass(frozen=True)
class SearchHit:
    """A concept whose labels or texts contain the query."""

    kind: str
    id: str
    version: str
    uri_path: str
    name_ja: str
    name_en: str
    field: str
    score: int
