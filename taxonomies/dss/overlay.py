"""Official importance overlay: import IPA's role x skill importance (a-d) from CSV, and revert it.

The overlay lives in ``<data_dir>/dss_importance_overlay.json`` as a list of imports; later imports
win where they overlap. Reverting a file removes exactly the import made from it (matched by the
SHA-256 of its bytes), so earlier imports and the estimates show again. Nothing is written unless
the whole file is valid.

CSV format (UTF-8 with or without BOM, or CP932 as Excel writes it), header required::

    role_id,skill_id,level
    se-backend,v1-backend,a
    バックエンドエンジニア,バックエンドシステム開発,b

``role_id`` is a role id or its Japanese name, ``skill_id`` a skill item id or its Japanese name
(a name found in both versions needs ``version``), ``level`` is a, b, c or d. The Japanese header
``ロール,スキル項目,重要度`` is accepted too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from taxonomies.dss.errors import ImportanceImportError, TaxonomyError
from taxonomies.dss.levels import LEVELS
from taxonomies.dss.profiles import OverlayCells
from taxonomies.dss.taxonomy import TaxonomyData, normalize

OVERLAY_FILE = "dss_importance_overlay.json"
OVERLAY_FORMAT = "skillpass.dss-importance-overlay/1"
HEADERS = (("role_id", "skill_id", "level"), ("ロール", "スキル項目", "重要度"))


@dataclass(frozen=True)
class ImportSummary:
    """What an import or revert did."""

    action: str
    file: str
    sha256: str
    cells: int
    roles: int
    overlay_path: Path


def overlay_path(data_dir: Path) -> Path:
    return Path(data_dir) / OVERLAY_FILE


def read_overlay(data_dir: Path) -> dict[str, Any] | None:
    """The overlay document, ``None`` if there is none; a damaged file is a :class:`TaxonomyError`."""
    path = overlay_path(data_dir)
    if not path.exists():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TaxonomyError(str(path), "(file)", f"not readable JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != OVERLAY_FORMAT \
            or not isinstance(doc.get("imports"), list):
        raise TaxonomyError(str(path), "(file)", f"not a {OVERLAY_FORMAT} document")
    return doc


def overlay_cells(doc: dict[str, Any] | None, data: TaxonomyData, path: str = OVERLAY_FILE) -> OverlayCells:
    """(role, skill) -> (level, label); checked against the taxonomy so a stale overlay fails loudly."""
    cells: OverlayCells = {}
    roles = {r.id for r in data.roles if not r.extension}
    skills = {s.id for s in data.skills}
    for n, imp in enumerate((doc or {}).get("imports", [])):
        label = f"{imp.get('file')} ({str(imp.get('imported_at', ''))[:10]})"
        for cell in imp.get("cells", []):
            entry = f"imports[{n}] {cell}"
            if not isinstance(cell, list) or len(cell) != 3:
                raise TaxonomyError(path, entry, "cell must be [role_id, skill_id, level]")
            role_id, skill_id, level = cell
            if role_id not in roles or skill_id not in skills or level not in LEVELS:
                raise TaxonomyError(path, entry, "unknown role, unknown skill item or illegal level")
            cells[(role_id, skill_id)] = (level, label)
    return cells


def overlay_summary(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if not doc or not doc["imports"]:
        return None
    keys = ("file", "sha256", "imported_at")
    return {"imports": [{k: imp.get(k) for k in keys} | {"cells": len(imp["cells"])}
                        for imp in doc["imports"]]}


def decode(raw: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportanceImportError(file, 1, "(file)", "not UTF-8 or CP932 text")


class Resolver:
    """Turns ids or Japanese names in a CSV row into role and skill ids."""

    def __init__(self, data: TaxonomyData, version: str | None) -> None:
        self.roles = {r.id: r.id for r in data.roles if not r.extension}
        self.roles |= {normalize(r.name_ja): r.id for r in data.roles if not r.extension}
        self.extensions = {r.id for r in data.roles if r.extension} | {
            normalize(r.name_ja) for r in data.roles if r.extension}
        self.skills = {s.id: s.id for s in data.skills}
        self.skill_names: dict[str, list[str]] = {}
        for s in data.skills:
            if version in (None, s.version):
                self.skill_names.setdefault(normalize(s.name_ja), []).append(s.id)

    def role(self, value: str, file: str, line: int) -> str:
        key = value.strip() if value.strip() in self.roles else normalize(value)
        if key in self.roles:
            return self.roles[key]
        if key in self.extensions or value.strip() in self.extensions:
            raise ImportanceImportError(file, line, "role_id", f"{value!r} is a skillpass extension role; "
                                                               "only DSS roles have official importance")
        raise ImportanceImportError(file, line, "role_id", f"unknown role {value!r}")

    def skill(self, value: str, file: str, line: int) -> str:
        if value.strip() in self.skills:
            return value.strip()
        found = self.skill_names.get(normalize(value), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ImportanceImportError(file, line, "skill_id",
                                        f"{value!r} names items in more than one version "
                                        f"({', '.join(found)}); use the id or --version")
        raise ImportanceImportError(file, line, "skill_id", f"unknown skill item {value!r}")


def parse_importance_csv(path: Path, data: TaxonomyData, version: str | None = None) -> list[list[str]]:
    """Validated ``[role_id, skill_id, level]`` cells; the first bad row raises with line and field."""
    file = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportanceImportError(file, 0, "(file)", f"cannot read: {exc.strerror}") from exc
    rows = list(csv.reader(io.StringIO(decode(raw, file))))
    if not rows or tuple(normalize(h) for h in rows[0]) not in HEADERS:
        raise ImportanceImportError(file, 1, "(header)", "header must be role_id,skill_id,level")
    resolver = Resolver(data, version)
    cells: list[list[str]] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise ImportanceImportError(file, line, "(row)", f"expected 3 fields, found {len(row)}")
        role_id = resolver.role(row[0], file, line)
        skill_id = resolver.skill(row[1], file, line)
        level = normalize(row[2])
        if level not in LEVELS:
            raise ImportanceImportError(file, line, "level", f"{row[2]!r} is not one of {', '.join(LEVELS)}")
        if (role_id, skill_id) in seen:
            first = seen[(role_id, skill_id)]
            raise ImportanceImportError(file, line, "skill_id",
                                        f"{role_id} x {skill_id} already given on line {first}")
        seen[(role_id, skill_id)] = line
        cells.append([role_id, skill_id, level])
    if not cells:
        raise ImportanceImportError(file, 2, "(row)", "no data rows")
    return cells


def import_importance(path: Path, data_dir: Path, data: TaxonomyData,
                      version: str | None = None) -> ImportSummary:
    """Validate the whole CSV, then add it to the overlay (replacing an earlier import of the same bytes)."""
    cells = parse_importance_csv(path, data, version)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    doc = read_overlay(data_dir) or {"format": OVERLAY_FORMAT, "imports": []}
    doc["imports"] = [imp for imp in doc["imports"] if imp.get("sha256") != digest]
    doc["imports"].append({"file": Path(path).name, "sha256": digest,
                           "imported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                           "cells": cells})
    write_overlay(data_dir, doc)
    return ImportSummary("imported", Path(path).name, digest, len(cells), len({c[0] for c in cells}),
                         overlay_path(data_dir))


def revert_importance(path: Path, data_dir: Path) -> ImportSummary:
    """Remove the import made from this file; estimates (or earlier imports) apply again."""
    file = Path(path).name
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise ImportanceImportError(file, 0, "(file)", f"cannot read: {exc.strerror}") from exc
    doc = read_overlay(data_dir)
    match = [imp for imp in (doc or {}).get("imports", []) if imp.get("sha256") == digest]
    if doc is None or not match:
        raise ImportanceImportError(file, 0, "(file)", "this file (same bytes) was never imported into "
                                                       f"{overlay_path(data_dir)}")
    doc["imports"] = [imp for imp in doc["imports"] if imp.get("sha256") != digest]
    if doc["imports"]:
        write_overlay(data_dir, doc)
    else:
        overlay_path(data_dir).unlink()
    cells = match[0]["cells"]
    return ImportSummary("reverted", file, digest, len(cells), len({c[0] for c in cells}),
                         overlay_path(data_dir))


def write_overlay(data_dir: Path, doc: dict[str, Any]) -> None:
    """Write atomically so a reader never sees half a file."""
    path = overlay_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
