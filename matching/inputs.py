"""Reading a profile given as JSON (API bodies, the CLI's PROFILE.json) into held skills.

``{"skills": [{"id": "v2-backend" | "backend", "level": "b", "status": "verified"}, ...], "version": "2.0"}``;
an item may be named by ``name_ja`` or ``name_en`` instead of ``id``. Errors name the field at fault,
e.g. ``skills[2].level``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from core.errors import InvalidInput
from matching.roles import DEFAULT_VERSION, EVIDENCE_FACTOR, STATUSES, Held
from taxonomies.dss import LEVELS, get_taxonomy


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def find_item(entry: dict[str, Any], version: str, field: str) -> str:
    """The skill item id an entry names (by id, id without ``v2-``, name_ja or name_en)."""
    items = get_taxonomy().skill_items(version)
    if entry.get("id") is not None:
        wanted = str(entry["id"])
        for item in items:
            if wanted in (item.id, item.id.removeprefix("v2-")):
                return item.id
        raise InvalidInput(f"no DSS ver.{version} skill item with id {wanted!r}", field=f"{field}.id")
    for key in ("name_ja", "name_en"):
        if entry.get(key):
            wanted = _fold(str(entry[key]))
            for item in items:
                if _fold(getattr(item, key)) == wanted:
                    return item.id
            raise InvalidInput(f"no DSS ver.{version} skill item named {entry[key]!r}",
                               field=f"{field}.{key}")
    raise InvalidInput("give id, name_ja or name_en", field=f"{field}.id")


def parse_profile(data: Any, version: str | None = None) -> tuple[dict[str, Held], str]:
    """Held skills and the DSS version of a profile document (ValueError-free: InvalidInput only)."""
    if not isinstance(data, dict):
        raise InvalidInput("a profile is a JSON object with a 'skills' list", field="skills")
    version = version or str(data.get("version") or DEFAULT_VERSION)
    if version not in get_taxonomy().versions:
        raise InvalidInput(f"unknown DSS version {version!r}", field="version")
    skills = data.get("skills")
    if not isinstance(skills, list):
        raise InvalidInput("'skills' must be a list of {id or name_ja, level}", field="skills")
    held: dict[str, Held] = {}
    for i, entry in enumerate(skills):
        field = f"skills[{i}]"
        if not isinstance(entry, dict):
            raise InvalidInput("each skill is an object with id (or name_ja) and level", field=field)
        skill_id = find_item(entry, version, field)
        level = entry.get("level")
        if level not in LEVELS:
            raise InvalidInput(f"level must be one of {', '.join(LEVELS)}", field=f"{field}.level")
        status = entry.get("status") or "self_declared"
        if status not in EVIDENCE_FACTOR:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", field=f"{field}.status")
        held[skill_id] = Held(level, status)
    return held, version
