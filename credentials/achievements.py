"""Achievements (badge definitions) of a provider and their Open Badges 3.0 form.

Each alignment names a DSS skill item and the proficiency level the badge attests. In the OB 3.0
``Achievement`` an alignment becomes an ``Alignment`` (targetUrl = the DSS concept URI, targetCode =
the item id) plus a ``ResultDescription`` whose ``RubricCriterionLevel`` carries the level; the
credential's ``result`` points at that level (see ``credentials.alignments.dss_alignments``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.models import Achievement
from taxonomies.dss import LEVELS, get_taxonomy

DSS_FRAMEWORK = "Digital Skill Standard (DSS) ver.2.0"
DSS_VERSION = "2.0"
MAX_IMAGE_CHARS = 350_000
MAX_ALIGNMENTS = 20
ACHIEVEMENT_TYPES = ("Achievement", "Assessment", "Award", "Badge", "Certificate", "CertificateOfCompletion",
                     "Certification", "Competency", "Course", "LearningProgram", "MicroCredential")
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$")
_HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def base_url(settings: Settings) -> str:
    return settings.base_url.rstrip("/")


def achievement_url(settings: Settings, achievement_id: uuid.UUID) -> str:
    return f"{base_url(settings)}/achievements/{achievement_id}"


def check_image(image: str | None) -> str | None:
    """An http(s) URL or a base64 image data URI, or None."""
    if image is None or image == "":
        return None
    if len(image) > MAX_IMAGE_CHARS:
        raise InvalidInput("The image is too large (at most about 256 KB).", field="image")
    if not (_HTTP_URL.match(image) or _DATA_IMAGE.match(image)):
        raise InvalidInput("Use an http(s) URL or a data:image/...;base64 URI.", field="image")
    return image


def check_url(value: str | None, field: str) -> str | None:
    if value in (None, ""):
        return None
    if not _HTTP_URL.match(value) or len(value) > 500:
        raise InvalidInput("Use an http(s) URL.", field=field)
    return value


def check_type(value: str | None) -> str:
    if not value:
        return "Badge"
    if value not in ACHIEVEMENT_TYPES:
        raise InvalidInput(f"achievement_type must be one of {', '.join(ACHIEVEMENT_TYPES)}.", field="achievement_type")
    return value


def check_alignments(raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Known DSS ver.2.0 skill items with a level in ``LEVELS``; errors name the entry at fault."""
    if not raw:
        raise InvalidInput("Align the achievement to at least one DSS skill item.", field="alignments")
    if len(raw) > MAX_ALIGNMENTS:
        raise InvalidInput(f"At most {MAX_ALIGNMENTS} alignments.", field="alignments")
    tx = get_taxonomy()
    known = {item.id for item in tx.skill_items(DSS_VERSION)}
    errors, seen, clean = [], set(), []
    for i, entry in enumerate(raw):
        skill_id, level = str(entry.get("skill_id", "")), str(entry.get("level", "")).lower()
        if skill_id not in known:
            errors.append({"field": f"alignments[{i}].skill_id",
                           "message": f"Unknown DSS ver.{DSS_VERSION} skill item {skill_id!r}."})
        elif skill_id in seen:
            errors.append({"field": f"alignments[{i}].skill_id", "message": f"{skill_id} is listed twice."})
        if level not in LEVELS:
            errors.append({"field": f"alignments[{i}].level", "message": f"Level must be one of {', '.join(LEVELS)}."})
        seen.add(skill_id)
        clean.append({"skill_id": skill_id, "level": level})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    return clean


class AchievementService:
    """A provider's achievements on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def create(self, org_id: uuid.UUID, data: dict[str, Any]) -> Achievement:
        achievement = Achievement(
            org_id=org_id, name_ja=data["name_ja"], name_en=data["name_en"],
            description_ja=data["description_ja"], description_en=data["description_en"],
            criteria_ja=data["criteria_ja"], criteria_en=data["criteria_en"],
            criteria_url=check_url(data.get("criteria_url"), "criteria_url"),
            image=check_image(data.get("image")), achievement_type=check_type(data.get("achievement_type")),
            alignments=check_alignments(data.get("alignments") or []),
        )
        self.session.add(achievement)
        await self.session.flush()
        return achievement

    async def list(self, org_id: uuid.UUID) -> list[Achievement]:
        rows = await self.session.execute(
            select(Achievement).where(Achievement.org_id == org_id).order_by(Achievement.created_at))
        return list(rows.scalars())

    async def get(self, org_id: uuid.UUID, achievement_id: uuid.UUID) -> Achievement:
        """One achievement of this organization (another organization's is 'not found')."""
        achievement = await self.session.get(Achievement, achievement_id)
        if achievement is None or achievement.org_id != org_id:
            raise NotFound("No such achievement in this organization.", field="achievement_id")
        return achievement

    async def get_public(self, achievement_id: uuid.UUID) -> Achievement:
        achievement = await self.session.get(Achievement, achievement_id)
        if achievement is None:
            raise NotFound("No such achievement.")
        return achievement


def _pick(achievement: Achievement, name: str, lang: str) -> str:
    return getattr(achievement, f"{name}_{lang}") or getattr(achievement, f"{name}_{'en' if lang == 'ja' else 'ja'}")


def alignment_json(skill_id: str, level: str, settings: Settings, lang: str) -> dict[str, Any]:
    """The OB 3.0 Alignment for one DSS skill item."""
    item = get_taxonomy().skill_item(skill_id)
    name = item.name_ja if lang == "ja" else item.name_en
    description = (f"DSS ver.2.0 {item.name_ja} 習熟度レベル {level}" if lang == "ja"
                   else f"DSS ver.2.0 {item.name_en}, proficiency level {level}")
    return {"type": ["Alignment"], "targetName": name, "targetUrl": base_url(settings) + item.uri_path,
            "targetDescription": description, "targetFramework": DSS_FRAMEWORK, "targetCode": item.id,
            "targetType": "ceasn:Competency"}


def result_description_id(achievement_id: str, skill_id: str) -> str:
    return f"{achievement_id}#dss-{skill_id}"


def achievement_json(achievement: Achievement, settings: Settings, lang: str = "ja") -> dict[str, Any]:
    """The OB 3.0 ``Achievement`` in ``lang`` (ja or en); the other language is a ``related`` edition."""
    other = "en" if lang == "ja" else "ja"
    ach_id = achievement_url(settings, achievement.id)
    alignments, descriptions = [], []
    for entry in achievement.alignments:
        alignment = alignment_json(entry["skill_id"], entry["level"], settings, lang)
        alignments.append(alignment)
        rd_id = result_description_id(ach_id, entry["skill_id"])
        descriptions.append({
            "id": rd_id, "type": ["ResultDescription"], "name": f"DSS: {alignment['targetName']}",
            "resultType": "RubricCriterionLevel", "alignment": [alignment], "requiredLevel": f"{rd_id}-{entry['level']}",
            "rubricCriterionLevel": [{"id": f"{rd_id}-{entry['level']}", "type": ["RubricCriterionLevel"],
                                      "name": f"Level {entry['level']}", "level": entry["level"]}],
        })
    criteria: dict[str, Any] = {"narrative": _pick(achievement, "criteria", lang)}
    if achievement.criteria_url:
        criteria["id"] = achievement.criteria_url
    document: dict[str, Any] = {
        "id": ach_id, "type": ["Achievement"], "achievementType": achievement.achievement_type,
        "name": _pick(achievement, "name", lang), "description": _pick(achievement, "description", lang),
        "criteria": criteria, "alignment": alignments, "resultDescription": descriptions, "inLanguage": lang,
        "related": [{"id": f"{ach_id}?lang={other}", "type": ["Related"], "inLanguage": other}],
    }
    if achievement.image:
        document["image"] = {"id": achievement.image, "type": "Image"}
    return document


def results_json(achievement: Achievement, settings: Settings) -> list[dict[str, Any]]:
    """The subject's ``result`` entries: the attested level of each aligned skill item."""
    ach_id = achievement_url(settings, achievement.id)
    return [{"type": ["Result"], "resultDescription": result_description_id(ach_id, e["skill_id"]),
             "achievedLevel": f"{result_description_id(ach_id, e['skill_id'])}-{e['level']}"}
            for e in achievement.alignments]
