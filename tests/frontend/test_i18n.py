"""Every message key used in a template exists in Japanese and English."""

from __future__ import annotations

import re
from pathlib import Path

from frontend.i18n import messages

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"
KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_.\-]+)["']""")


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
