"""Every message key used in a template exists in Japanese and English."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from frontend.i18n import catalog_files, messages

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"
# a literal key (``t("a.b")``, ``t("a.b", x=1)``); keys built at run time (``t("state." ~ s)``) are
# checked by test_dynamic_key_families
KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.\-]+)["']\s*[,)]""")


def test_every_template_key_is_translated_both_ways() -> None:
    catalog = messages()
    missing = []
    for template in TEMPLATES.rglob("*.html"):
        for key in KEY.findall(template.read_text(encoding="utf-8")):
            entry = catalog.get(key) or {}
            if not entry.get("ja") or not entry.get("en"):
                missing.append(f"{template.relative_to(TEMPLATES)}: {key}")
    assert not missing, missing


def test_catalog_entries_have_both_languages() -> None:
    incomplete = [key for key, entry in messages().items() if not (entry.get("ja") and entry.get("en"))]
    assert not incomplete, incomplete


def test_no_key_is_defined_in_two_catalog_files() -> None:
    seen: dict[str, str] = {}
    duplicated = []
    for path in catalog_files():
        for key in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            if key in seen:
                duplicated.append(f"{key}: {seen[key]} and {path.name}")
            seen[key] = path.name
    assert not duplicated, duplicated
