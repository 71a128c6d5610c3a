"""Role requirements: skillpass's estimated profiles, optionally replaced by an official overlay.

The official role x skill importance table is not public here, so every role starts from the
estimates in ``estimated_role_profiles.yaml`` (levels on ver.2.0 items, provenance ``estimated``).
ver.1.2 levels are derived from them through the v1->v2 crosswalk. Cells of an imported official
overlay replace estimates and carry provenance ``official``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from taxonomies.dss.loader import PROFILES_FILE, Reader, read_yaml, uri_path
from taxonomies.dss.levels import level_rank, max_level
from taxonomies.dss.models import Requirement, Role
from taxonomies.dss.taxonomy import TaxonomyData

ESTIMATE_LABEL_EN = "estimated by skillpass"
ESTIMATE_LABEL_JA = "skillpassによる推定"

OverlayCells = dict[tuple[str, str], tuple[str, str]]
"""(role id, skill id) -> (level, label of the import that set it)."""


def load_profiles(data: TaxonomyData, data_dir: Path) -> None:
    """Add the extension roles and the estimated levels (with rationales) to ``data``."""
    doc = read_yaml(data_dir / PROFILES_FILE)
    r = Reader(PROFILES_FILE)
    for ext in r.seq(doc, "extension_roles", "extension_roles", optional=True):
        rid = r.entry_id(ext, "extension_roles[?]")
        version = str(ext.get("version", "1.2"))
        data.roles.append(Role(
            id=rid, version=version, uri_path=uri_path(version, "roles", rid),
            person_type_id=r.text(ext, "person_type_id", rid), extension=True, **r.common(ext, rid)))
    rationales: dict[str, tuple[str, str | None]] = {}
    for profile in r.seq(doc, "profiles", "profiles"):
        rid = r.text(profile, "role", "profiles[?]") if isinstance(profile, dict) else None
        if rid is None:
            raise r.fail("profiles[?]", "entry must be a mapping with 'role'")
        if rid in data.estimates:
            raise r.fail(rid, "role profiled twice")
        rationales[rid] = (r.text(profile, "rationale_en", rid),
                           r.text(profile, "rationale_ja", rid, optional=True))
        data.estimates[rid] = read_levels(r, profile, rid)
    data.roles[:] = [replace(role, rationale_en=rationales.get(role.id, (None, None))[0],
                             rationale_ja=rationales.get(role.id, (None, None))[1]) for role in data.roles]


def read_levels(r: Reader, profile: dict[str, Any], role_id: str) -> dict[str, tuple[str, str | None]]:
    """``levels`` maps skill id to a letter, or to ``{level: x, note: why}``."""
    levels = profile.get("levels")
    if not isinstance(levels, dict):
        raise r.fail(role_id, "field 'levels' must be a mapping of skill id to level")
    out: dict[str, tuple[str, str | None]] = {}
    for skill_id, value in levels.items():
        level, note = (value.get("level"), value.get("note")) if isinstance(value, dict) else (value, None)
        out[str(skill_id)] = (level, note)
    return out


def build_roles(data: TaxonomyData, overlay: OverlayCells | None = None) -> list[Role]:
    """Every role with a requirement on every ver.2.0 and ver.1.2 skill item."""
    overlay = overlay or {}
    v2_ids = [s.id for s in data.skills if s.version == "2.0"]
    v1_ids = [s.id for s in data.skills if s.version == "1.2"]
    links: dict[str, list[tuple[str, str]]] = {}
    for link in data.crosswalk:
        links.setdefault(link.source_id, []).append((link.target_id, link.match))
    roles = []
    for role in data.roles:
        reqs: dict[str, Requirement] = {}
        estimates = data.estimates.get(role.id, {})
        for sid in v2_ids:
            if (role.id, sid) in overlay:
                level, label = overlay[(role.id, sid)]
                reqs[sid] = Requirement(level, "official", f"imported: {label}")
            else:
                level, note = estimates[sid]
                reqs[sid] = Requirement(level, "estimated", note)
        for sid in v1_ids:
            if (role.id, sid) in overlay:
                level, label = overlay[(role.id, sid)]
                reqs[sid] = Requirement(level, "official", f"imported: {label}")
            else:
                reqs[sid] = derived_requirement(reqs, links.get(sid, []))
        roles.append(replace(role, requirements=reqs))
    return roles


def derived_requirement(v2_reqs: dict[str, Requirement], targets: list[tuple[str, str]]) -> Requirement:
    """A ver.1.2 level from the ver.2.0 items it maps to: the highest over exact/close links, else partial."""
    strong = [t for t, match in targets if match in ("exact", "close")]
    chosen = strong or [t for t, _ in targets]
    level = max_level([v2_reqs[t].level for t in chosen])
    source = max(chosen, key=lambda t: level_rank(v2_reqs[t].level))
    return Requirement(level, "estimated", f"derived via the v1->v2 crosswalk from {', '.join(chosen)} "
                                           f"(highest: {source})")
