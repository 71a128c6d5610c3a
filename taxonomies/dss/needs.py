"""Which of a role's requirements define it (core), help (also useful), or are not required.

The estimated role profiles put a level on every skill item, so a gap to any role listed ~48 items
as missing. The official DSS role table marks only what a role needs; this reads the same shape
out of the levels, per DSS version:

- the typical level of an item is its median level rank over the 15 DSS roles (extension roles
  are compared with the same median and do not move it);
- **core**: level a, or level b above the item's typical level (what sets the role apart), at most
  ``CORE_MAX`` items (higher level first, then the more distinctive); the overflow is also useful;
- **also useful**: the other b items, and c items above the typical level;
- **not required**: the rest (c at or below the typical level, and d).
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from taxonomies.dss.levels import level_rank

if TYPE_CHECKING:
    from taxonomies.dss.taxonomy import Taxonomy

CORE, USEFUL = "core", "useful"
NEEDS = (CORE, USEFUL)
CORE_MAX = 15


def typical_ranks(taxonomy: Taxonomy, version: str) -> dict[str, float]:
    """Median level rank of each skill item of ``version`` over the DSS roles (not the extensions)."""
    roles = taxonomy.roles(include_extensions=False)
    return {item.id: statistics.median(level_rank(r.requirements[item.id].level) for r in roles
                                       if item.id in r.requirements)
            for item in taxonomy.skill_items(version)
            if any(item.id in r.requirements for r in roles)}


def role_needs(taxonomy: Taxonomy, role_id: str, version: str) -> dict[str, str]:
    """skill item id -> ``core`` or ``useful`` for the items ``role_id`` needs (others: not required)."""
    typical = typical_ranks(taxonomy, version)
    role = taxonomy.role(role_id)
    core: list[tuple[int, float, int, str]] = []
    useful: list[str] = []
    for order, item in enumerate(taxonomy.skill_items(version)):
        if item.id not in role.requirements or item.id not in typical:
            continue
        rank = level_rank(role.requirements[item.id].level)
        above = rank - typical[item.id]
        if rank == 4 or (rank == 3 and above > 0):
            core.append((-rank, -above, order, item.id))
        elif rank == 3 or (rank == 2 and above > 0):
            useful.append(item.id)
    core.sort()
    needs = {skill_id: CORE for *_, skill_id in core[:CORE_MAX]}
    needs.update({skill_id: USEFUL for *_, skill_id in core[CORE_MAX:]})
    needs.update({skill_id: USEFUL for skill_id in useful})
    return needs
