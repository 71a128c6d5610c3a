"""The loaded DSS taxonomy: read-only queries over every version, role and crosswalk."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from taxonomies.dss.models import (
    Category,
    CrosswalkLink,
    Exam,
    LiteracyCategory,
    LiteracyItem,
    OccupationLink,
    PersonType,
    Role,
    SearchHit,
    SkillItem,
    Subcategory,
)
from taxonomies.dss.needs import role_needs

CURRENT_VERSION = "2.0"
KINDS: tuple[str, ...] = (
    "categories", "subcategories", "skills", "person-types", "roles", "literacy-categories", "literacy",
)
"""Concept kinds as they appear in URI paths ``/dss/<version>/<kind>/<id>``."""


@dataclass(frozen=True)
class Source:
    """A source cited by id (S01 ...) in the data files."""

    id: str
    title: str
    address: str | None = None
    licence: str | None = None


@dataclass
class TaxonomyData:
    """Everything the loader reads, before it is wrapped in :class:`Taxonomy`."""

    versions: tuple[str, ...]
    categories: list[Category] = field(default_factory=list)
    subcategories: list[Subcategory] = field(default_factory=list)
    skills: list[SkillItem] = field(default_factory=list)
    person_types: list[PersonType] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    literacy_categories: list[LiteracyCategory] = field(default_factory=list)
    literacy_items: list[LiteracyItem] = field(default_factory=list)
    crosswalk: list[CrosswalkLink] = field(default_factory=list)
    exams: list[Exam] = field(default_factory=list)
    occupations: list[OccupationLink] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)
    estimates: dict[str, dict[str, tuple[str, str | None]]] = field(default_factory=dict)
    """role id -> v2.0 skill id -> (estimated level, optional note)."""
    overlay: dict[str, Any] | None = None


def normalize(text: str) -> str:
    """Fold width and case so that ＡＩ, ai and AI compare equal."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


class Taxonomy:
    """Read-only view of the DSS; build it with :func:`taxonomies.dss.get_taxonomy`."""

    def __init__(self, data: TaxonomyData) -> None:
        self._data = data
        self._needs: dict[tuple[str, str], dict[str, str]] = {}
        self._concepts: dict[str, tuple[str, Any]] = {}
        for kind, concept in self._iter_kinds():
            self._concepts[concept.id] = (kind, concept)

    def _iter_kinds(self) -> Iterator[tuple[str, Any]]:
        d = self._data
        for kind, items in (
            ("categories", d.categories), ("subcategories", d.subcategories), ("skills", d.skills),
            ("person-types", d.person_types), ("roles", d.roles),
            ("literacy-categories", d.literacy_categories), ("literacy", d.literacy_items),
        ):
            for item in items:
                yield kind, item

    # -- versions and metadata -------------------------------------------------------------
    @property
    def versions(self) -> tuple[str, ...]:
        return self._data.versions

    @property
    def current_version(self) -> str:
        return CURRENT_VERSION

    @property
    def sources(self) -> dict[str, Source]:
        return dict(self._data.sources)

    def metadata(self, version: str) -> dict[str, Any]:
        """Header of a version's data file (standard name, publication date, licence, ...)."""
        return dict(self._data.metadata.get(self._check_version(version), {}))

    @property
    def overlay(self) -> dict[str, Any] | None:
        """Summary of the official importance overlay in use (``None`` when only estimates apply)."""
        return self._data.overlay

    def _check_version(self, version: str) -> str:
        if version not in self._data.versions:
            raise KeyError(f"unknown DSS version {version!r}; known: {', '.join(self._data.versions)}")
        return version

    # -- common skill list --------------------------------------------------------------------
    def categories(self, version: str | None = None) -> list[Category]:
        version = self._check_version(version or CURRENT_VERSION)
        return [c for c in self._data.categories if c.version == version]

    def subcategories(self, version: str | None = None, category_id: str | None = None) -> list[Subcategory]:
        version = self._check_version(version or CURRENT_VERSION)
        return [s for s in self._data.subcategories
                if s.version == version and category_id in (None, s.category_id)]

    def skill_items(self, version: str | None = None, *, category_id: str | None = None,
                    subcategory_id: str | None = None) -> list[SkillItem]:
        """Skill items of a version in standard order, optionally of one (sub)category."""
        version = self._check_version(version or CURRENT_VERSION)
        return [s for s in self._data.skills if s.version == version
                and category_id in (None, s.category_id) and subcategory_id in (None, s.subcategory_id)]

    def skill_item(self, skill_id: str) -> SkillItem:
        return self._get("skills", skill_id)

    def category(self, category_id: str) -> Category:
        return self._get("categories", category_id)

    def subcategory(self, subcategory_id: str) -> Subcategory:
        return self._get("subcategories", subcategory_id)

    # -- person types and roles -----------------------------------------------------------------
    def person_types(self, version: str = "1.2") -> list[PersonType]:
        version = self._check_version(version)
        return [p for p in self._data.person_types if p.version == version]

    def person_type(self, person_type_id: str) -> PersonType:
        return self._get("person-types", person_type_id)

    def roles(self, version: str | None = None, *, include_extensions: bool = True) -> list[Role]:
        """Roles, each with a requirement on every skill item.

        The ver.2.0 roles are not public; the 15 ver.1.2 roles (and skillpass's extension roles)
        carry requirements on the items of both versions, so every version returns them.
        """
        if version is not None:
            self._check_version(version)
        return [r for r in self._data.roles if include_extensions or not r.extension]

    def role(self, role_id: str) -> Role:
        return self._get("roles", role_id)

    def role_needs(self, role_id: str, version: str = CURRENT_VERSION) -> dict[str, str]:
        """The items ``role_id`` needs: skill id -> ``core`` or ``useful`` (see ``needs.py``); cached."""
        self._check_version(version)
        key = (role_id, version)
        if key not in self._needs:
            self._needs[key] = role_needs(self, role_id, version)
        return self._needs[key]

    # -- DX literacy ------------------------------------------------------------------------------
    def literacy_categories(self) -> list[LiteracyCategory]:
        return list(self._data.literacy_categories)

    def literacy_items(self, category_id: str | None = None) -> list[LiteracyItem]:
        return [i for i in self._data.literacy_items if category_id in (None, i.category_id)]

    # -- crosswalks -------------------------------------------------------------------------------
    def crosswalk_v1_v2(self) -> list[CrosswalkLink]:
        """Every ver.1.2 item linked to the ver.2.0 item(s) it corresponds to."""
        return list(self._data.crosswalk)

    def v2_items_for(self, v1_skill_id: str) -> list[CrosswalkLink]:
        return [link for link in self._data.crosswalk if link.source_id == v1_skill_id]

    def exam_crosswalk(self) -> list[Exam]:
        """IPA exams with the skill items and levels a pass is taken to show (skillpass estimates)."""
        return list(self._data.exams)

    def exam(self, exam_id: str) -> Exam:
        for exam in self._data.exams:
            if exam.id == exam_id:
                return exam
        raise KeyError(exam_id)

    def occupation_crosswalk(self, role_id: str | None = None) -> list[OccupationLink]:
        """DSS roles matched to MHLW job tag and ESCO occupations (skillpass estimates)."""
        return [o for o in self._data.occupations if role_id in (None, o.role_id)]

    # -- concepts by URI --------------------------------------------------------------------------
    def concept(self, concept_id: str) -> tuple[str, Any]:
        """``(kind, concept)`` for any concept id; KeyError if unknown."""
        if concept_id not in self._concepts:
            raise KeyError(concept_id)
        return self._concepts[concept_id]

    def resolve(self, version: str, kind: str, concept_id: str) -> Any:
        """The concept at ``/dss/<version>/<kind>/<id>``; KeyError if no such concept."""
        found_kind, concept = self.concept(concept_id)
        if found_kind != kind or concept.version != version:
            raise KeyError(f"/dss/{version}/{kind}/{concept_id}")
        return concept

    def concepts(self) -> Iterator[tuple[str, Any]]:
        """Every concept with its kind, in data order."""
        return iter(self._concepts.values())

    def _get(self, kind: str, concept_id: str) -> Any:
        found = self._concepts.get(concept_id)
        if found is None or found[0] != kind:
            raise KeyError(concept_id)
        return found[1]

    # -- search -----------------------------------------------------------------------------------
    def search(self, text: str, lang: str | None = None, *, limit: int = 50) -> list[SearchHit]:
        """Concepts whose labels (best), descriptions or learning items contain ``text``.

        ``lang`` is ``"ja"``, ``"en"`` or ``None`` for both. Matching ignores case and width.
        """
        query = normalize(text)
        if not query:
            return []
        langs = ("ja", "en") if lang is None else (lang,)
        hits = [hit for kind, concept in self._concepts.values()
                if (hit := _match(kind, concept, query, langs)) is not None]
        hits.sort(key=lambda h: (-h.score, h.version != CURRENT_VERSION))
        return hits[:limit]


def _match(kind: str, concept: Any, query: str, langs: tuple[str, ...]) -> SearchHit | None:
    best: tuple[int, str] | None = None
    for lang in langs:
        fields: list[tuple[str, int, list[str]]] = [
            (f"name_{lang}", 3, [getattr(concept, f"name_{lang}")]),
            (f"description_{lang}", 2, [getattr(concept, f"description_{lang}", None) or ""]),
            (f"learning_items_{lang}", 1, list(getattr(concept, f"learning_items_{lang}", []))),
        ]
        for name, weight, texts in fields:
            if any(query in normalize(t) for t in texts):
                score = weight * 10 + (5 if normalize(texts[0]) == query else 0)
                best = max(best or (score, name), (score, name))
    if best is None:
        return None
    return SearchHit(kind=kind, id=concept.id, version=concept.version, uri_path=concept.uri_path,
                     name_ja=concept.name_ja, name_en=concept.name_en, field=best[1], score=best[0])
