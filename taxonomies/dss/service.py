"""Entry points: load, check and cache the taxonomy; import or revert official importance.

The shipped data (``taxonomies/dss/data``) is parsed and checked once per process. The overlay of
official importance lives in a data directory (default ``var/`` under the project root) and is
re-applied whenever its file changes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from core.settings import PROJECT_ROOT
from taxonomies.dss import overlay as overlay_mod
from taxonomies.dss.errors import TaxonomyError
from taxonomies.dss.integrity import check_integrity
from taxonomies.dss.levels import LEVELS
from taxonomies.dss.loader import (
    PACKAGE_DATA_DIR,
    VERSION_FILES,
    load_crosswalk,
    load_exams,
    load_literacy,
    load_occupations,
    load_sources,
    load_version,
)
from taxonomies.dss.profiles import build_roles, load_profiles
from taxonomies.dss.taxonomy import Taxonomy, TaxonomyData

DEFAULT_DATA_DIR = PROJECT_ROOT / "var"


def data_dir_of(settings: Any | None) -> Path:
    """The overlay directory for some settings (``settings.data_dir`` if it exists, else ``var/``)."""
    configured = getattr(settings, "data_dir", None) if settings is not None else None
    return Path(configured) if configured else DEFAULT_DATA_DIR


def load_data(source_dir: Path = PACKAGE_DATA_DIR) -> TaxonomyData:
    """Parse every data file in ``source_dir`` and check it; roles carry estimated requirements."""
    source_dir = Path(source_dir)
    data = TaxonomyData(versions=tuple(sorted(VERSION_FILES)))
    load_sources(data, source_dir)
    for version in data.versions:
        load_version(data, source_dir, version)
    load_literacy(data, source_dir)
    load_crosswalk(data, source_dir)
    load_profiles(data, source_dir)
    load_exams(data, source_dir)
    load_occupations(data, source_dir)
    check_integrity(data)
    data.roles = build_roles(data)
    return data


def with_overlay(base: TaxonomyData, data_dir: Path) -> Taxonomy:
    """The taxonomy with the official overlay of ``data_dir`` (if any) replacing estimates."""
    doc = overlay_mod.read_overlay(data_dir)
    if doc is None:
        return Taxonomy(base)
    cells = overlay_mod.overlay_cells(doc, base, str(overlay_mod.overlay_path(data_dir)))
    data = TaxonomyData(**{**base.__dict__, "roles": build_roles(base, cells),
                           "overlay": overlay_mod.overlay_summary(doc)})
    check_requirements(data)
    return Taxonomy(data)


def check_requirements(data: TaxonomyData) -> None:
    """Every role has a legal level with provenance on every skill item."""
    for role in data.roles:
        for skill in data.skills:
            req = role.requirements.get(skill.id)
            if req is None or req.level not in LEVELS:
                raise TaxonomyError(overlay_mod.OVERLAY_FILE, f"{role.id}.{skill.id}",
                                    "missing or illegal level")


def load_taxonomy(source_dir: Path = PACKAGE_DATA_DIR, data_dir: Path | None = None) -> Taxonomy:
    """Uncached load (tests, tools); :func:`get_taxonomy` is what the platform uses."""
    base = load_data(source_dir)
    return with_overlay(base, Path(data_dir)) if data_dir is not None else Taxonomy(base)


@lru_cache(maxsize=1)
def base_data() -> TaxonomyData:
    """The shipped data, parsed and checked once per process."""
    return load_data(PACKAGE_DATA_DIR)


def _overlay_stamp(data_dir: Path) -> tuple[int, int, int] | None:
    try:
        st = overlay_mod.overlay_path(data_dir).stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


@lru_cache(maxsize=16)
def _cached(data_dir: str, stamp: tuple[int, int, int] | None) -> Taxonomy:
    return with_overlay(base_data(), Path(data_dir))


def get_taxonomy(data_dir: Path | str | None = None) -> Taxonomy:
    """The cached taxonomy, with the official overlay of ``data_dir`` (default ``var/``) applied."""
    directory = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    return _cached(str(directory.resolve()), _overlay_stamp(directory))


def import_importance(path: Path, data_dir: Path | None = None,
                      version: str | None = None) -> overlay_mod.ImportSummary:
    """Store an official importance CSV as overlay (see :mod:`taxonomies.dss.overlay`)."""
    directory = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    if version is not None and version not in base_data().versions:
        raise KeyError(f"unknown DSS version {version!r}")
    return overlay_mod.import_importance(Path(path), directory, base_data(), version)


def revert_importance(path: Path, data_dir: Path | None = None) -> overlay_mod.ImportSummary:
    """Undo the import of this CSV file."""
    directory = Path(data_dir) if data_dir is not None else DEFAULT_DATA_DIR
    return overlay_mod.revert_importance(Path(path), directory)
