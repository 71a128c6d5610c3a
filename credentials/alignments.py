"""Read DSS skill items (and attested levels) out of an Open Badges 3.0 credential.

An alignment counts when its ``targetCode`` is a DSS skill item id, or its ``targetUrl`` is a DSS
concept URI (``…/dss/<version>/skills/<id>``, any host). The level comes from the subject's
``result`` (``achievedLevel`` -> the ``RubricCriterionLevel`` of the matching ``ResultDescription``,
as skillpass issues them), else from the result description's ``requiredLevel``; otherwise None.
"""

from __future__ import annotations

import re
from typing import Any

from taxonomies.dss import LEVELS, get_taxonomy

_DSS_PATH = re.compile(r"/dss/[0-9.]+/skills/([A-Za-z0-9_.-]+)/?$")


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def _known_skills() -> set[str]:
    tx = get_taxonomy()
    return {item.id for version in tx.versions for item in tx.skill_items(version)}


def skill_of(alignment: Any, known: set[str] | None = None) -> str | None:
    """The DSS skill item id an Alignment points at, or None."""
    if not isinstance(alignment, dict):
        return None
    known = known if known is not None else _known_skills()
    code = alignment.get("targetCode")
    if isinstance(code, str) and code in known:
        return code
    url = alignment.get("targetUrl")
    match = _DSS_PATH.search(url) if isinstance(url, str) else None
    if match and match.group(1) in known:
        return match.group(1)
    return None


def _subjects(document: dict) -> list[dict]:
    return [s for s in _list(document.get("credentialSubject")) if isinstance(s, dict)]


def _levels_by_id(description: dict) -> dict[str, str]:
    levels = {}
    for level in _list(description.get("rubricCriterionLevel")):
        if isinstance(level, dict) and isinstance(level.get("id"), str):
            value = str(level.get("level") or level.get("name") or "").lower().removeprefix("level ").strip()
            if value in LEVELS:
                levels[level["id"]] = value
    return levels


def _description_levels(achievement: dict, subject: dict, known: set[str]) -> dict[str, str]:
    """skill id -> level, from result descriptions and the subject's results."""
    achieved = {r.get("resultDescription"): r.get("achievedLevel")
                for r in _list(subject.get("result")) if isinstance(r, dict)}
    found: dict[str, str] = {}
    for description in _list(achievement.get("resultDescription")):
        if not isinstance(description, dict):
            continue
        skills = [s for s in (skill_of(a, known) for a in _list(description.get("alignment"))) if s]
        levels = _levels_by_id(description)
        level = levels.get(achieved.get(description.get("id"))) or levels.get(description.get("requiredLevel"))
        for skill in skills:
            if level:
                found[skill] = level
    return found


def dss_alignments(document: Any) -> list[tuple[str, str | None]]:
    """(skill_id, level or None) for each DSS skill item the credential's achievement aligns to, in order."""
    if not isinstance(document, dict):
        return []
    known = _known_skills()
    out: dict[str, str | None] = {}
    for subject in _subjects(document):
        achievement = subject.get("achievement")
        if not isinstance(achievement, dict):
            continue
        levels = _description_levels(achievement, subject, known)
        for alignment in _list(achievement.get("alignment")):
            skill = skill_of(alignment, known)
            if skill and skill not in out:
                out[skill] = levels.get(skill)
        for skill, level in levels.items():
            out.setdefault(skill, level)
    return list(out.items())
