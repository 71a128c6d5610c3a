"""The course catalog: providers' courses aligned to DSS skill items, stored in ``course``.

A catalog file (YAML or JSON list, e.g. ``data/demo_courses.yaml``) has the same fields as the table,
with ``skills`` mapping item ids (``v2-`` prefix optional) to the level a learner reaches.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from matching.models import COURSE_MODES, Course
from matching.paths import LANGUAGES, CatalogCourse
from taxonomies.dss import LEVELS, get_taxonomy

DEMO_CATALOG = Path(__file__).parent / "data" / "demo_courses.yaml"


def skill_id_of(value: str) -> str | None:
    """A known skill item id, accepting ver.2.0 ids without their ``v2-`` prefix."""
    tx = get_taxonomy()
    for candidate in (value, f"v2-{value}"):
        try:
            return tx.skill_item(candidate).id
        except KeyError:
            continue
    return None


def check_alignments(alignments: list[dict[str, Any]], field: str = "alignments") -> list[dict[str, str]]:
    """``[{"skill_id", "level"}]`` with known items and legal levels; one entry per item."""
    checked: dict[str, str] = {}
    for i, entry in enumerate(alignments):
        skill_id = skill_id_of(str(entry.get("skill_id", "")))
        if skill_id is None:
            raise InvalidInput(f"unknown DSS skill item {entry.get('skill_id')!r}",
                               field=f"{field}[{i}].skill_id")
        if entry.get("level") not in LEVELS:
            raise InvalidInput(f"level must be one of {', '.join(LEVELS)}", field=f"{field}[{i}].level")
        checked[skill_id] = entry["level"]
    if not checked:
        raise InvalidInput("name at least one DSS skill item", field=field)
    return [{"skill_id": s, "level": level} for s, level in checked.items()]


def check_course_fields(language: str, mode: str, hours: float, price: int) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}", field="language")
    if mode not in COURSE_MODES:
        raise InvalidInput(f"mode must be one of {', '.join(COURSE_MODES)}", field="mode")
    if not hours > 0:
        raise InvalidInput("hours must be above 0", field="hours")
    if price < 0:
        raise InvalidInput("price_jpy cannot be negative", field="price_jpy")


def catalog_entry(course: Course, provider: str, provider_ja: str | None = None) -> CatalogCourse:
    return CatalogCourse(str(course.id), provider, course.title_ja, course.title_en, course.hours,
                         course.price_jpy, course.language, course.mode,
                         {a["skill_id"]: a["level"] for a in course.alignments}, course.url, provider_ja)


def read_catalog_file(path: Path) -> list[dict[str, Any]]:
    """Rows of a catalog file, alignments checked (InvalidInput names the row and field)."""
    text = path.read_text(encoding="utf-8")
    rows = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(rows, list):
        raise InvalidInput("a catalog file is a list of courses", field=str(path))
    checked = []
    for i, row in enumerate(rows):
        skills = [{"skill_id": s, "level": level} for s, level in (row.get("skills") or {}).items()]
        alignments = check_alignments(skills, field=f"[{i}].skills")
        check_course_fields(row.get("language", "ja"), row.get("mode", "online"), float(row.get("hours", 0)),
                            int(row.get("price_jpy", 0)))
        checked.append({**row, "alignments": alignments})
    return checked


def catalog_from_file(path: Path = DEMO_CATALOG) -> list[CatalogCourse]:
    """Catalog entries straight from a file (the CLI's catalog; no database)."""
    return [CatalogCourse(row.get("key", f"course-{i}"), row.get("provider", ""), row["title_ja"],
                          row["title_en"], float(row["hours"]), int(row.get("price_jpy", 0)),
                          row.get("language", "ja"), row.get("mode", "online"),
                          {a["skill_id"]: a["level"] for a in row["alignments"]}, row.get("url"))
            for i, row in enumerate(read_catalog_file(path))]


class CatalogService:
    """Courses in the database; the caller commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def courses(self, *, language: str | None = None, mode: str | None = None,
                      skill_id: str | None = None, provider_org_id: uuid.UUID | None = None,
                      ) -> list[tuple[Course, Organization]]:
        query = select(Course, Organization).join(Organization, Organization.id == Course.provider_org_id)
        if language:
            query = query.where(Course.language == language)
        if mode:
            query = query.where(Course.mode == mode)
        if provider_org_id:
            query = query.where(Course.provider_org_id == provider_org_id)
        rows = (await self.session.execute(query.order_by(Course.title_en, Course.id))).all()
        return [(c, o) for c, o in rows
                if skill_id is None or any(a["skill_id"] == skill_id for a in c.alignments)]

    async def catalog(self) -> list[CatalogCourse]:
        """Every course as the path optimiser sees it (provider by its English and Japanese names)."""
        return [catalog_entry(c, o.name_en, o.name_ja) for c, o in await self.courses()]

    async def get(self, org_id: uuid.UUID, course_id: uuid.UUID) -> Course:
        course = await self.session.get(Course, course_id)
        if course is None or course.provider_org_id != org_id:
            raise NotFound("No such course in this organization.")
        return course

    async def save(self, org_id: uuid.UUID, fields: dict[str, Any], course: Course | None = None) -> Course:
        """Create (``course`` None) or update a course from checked fields."""
        if "alignments" in fields:
            fields["alignments"] = check_alignments(fields["alignments"])
        merged = {**(course.model_dump() if course else {}), **fields}
        check_course_fields(merged.get("language", "ja"), merged.get("mode", "online"),
                            float(merged.get("hours", 0)), int(merged.get("price_jpy", 0)))
        if course is None:
            fields.setdefault("key", uuid.uuid4().hex[:12])
            taken = await self.session.execute(select(Course.id).where(
                Course.provider_org_id == org_id, Course.key == fields["key"]))
            if taken.first() is not None:
                raise Conflict(f"this organization already has a course with key {fields['key']!r}",
                               field="key")
            course = Course(provider_org_id=org_id, **fields)
        else:
            for name, value in fields.items():
                setattr(course, name, value)
            course.updated_at = utcnow()
        self.session.add(course)
        await self.session.flush()
        return course

    async def delete(self, org_id: uuid.UUID, course_id: uuid.UUID) -> None:
        await self.session.delete(await self.get(org_id, course_id))
