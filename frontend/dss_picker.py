"""The DSS skill-item picker the achievement editor, the candidate search and the posting editor share:
type-ahead choices and the chosen rows with a level each."""

from __future__ import annotations

from typing import Any

from credentials.achievements import DSS_VERSION
from taxonomies.dss import LEVELS, get_taxonomy

PICKER_LIMIT = 15
DEFAULT_LEVEL = "c"


def skill_choices(query: str) -> list[Any]:
    """DSS skill items (of the version badges align to) whose Japanese or English text holds ``query``."""
    if not query.strip():
        return []
    tx = get_taxonomy()
    hits = [h for h in tx.search(query.strip()[:100], None, limit=300)
            if h.kind == "skills" and h.version == DSS_VERSION]
    return [tx.skill_item(h.id) for h in hits[:PICKER_LIMIT]]


def alignment_rows(skills: list[str], levels: list[str], *, add: str = "", remove: str = "") -> list[dict]:
    """The chosen skill items with their levels, after adding or removing one (unknown ids dropped)."""
    tx = get_taxonomy()
    known = {s.id: s for s in tx.skill_items(DSS_VERSION)}
    rows: list[dict] = []
    for i, skill_id in enumerate(skills):
        if skill_id in known and skill_id != remove and all(r["skill"].id != skill_id for r in rows):
            level = levels[i] if i < len(levels) and levels[i] in LEVELS else DEFAULT_LEVEL
            rows.append({"skill": known[skill_id], "level": level})
    if add in known and all(r["skill"].id != add for r in rows):
        rows.append({"skill": known[add], "level": DEFAULT_LEVEL})
    return rows
