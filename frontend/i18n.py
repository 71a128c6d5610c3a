"""Translations for the web pages and locale-aware formatting (Babel).

Messages live in ``i18n/*.yaml`` (one file per area) as ``key: {ja: ..., en: ...}``; a test checks that
every key a template uses exists in both languages and that no key is defined twice.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from zoneinfo import ZoneInfo

LANGS = ("ja", "en")
CATALOG_DIR = Path(__file__).resolve().parent / "i18n"
DISPLAY_TZ = ZoneInfo("Asia/Tokyo")


def catalog_files() -> list[Path]:
    return sorted(CATALOG_DIR.glob("*.yaml"))


@lru_cache
def messages() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in catalog_files():
        merged.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return merged


def translate(key: str, lang: str, **values: Any) -> str:
    """The message for ``key`` in ``lang``; an unknown key shows itself so it is noticed."""
    entry = messages().get(key)
    text = entry.get(lang) or entry.get("en") if entry else key
    return text.format(**values) if values else text


def localized(obj: Any, field: str, lang: str) -> str:
    """``obj.field_ja`` or ``obj.field_en`` (dicts too), falling back to the other language."""
    get = obj.get if isinstance(obj, dict) else lambda name, default=None: getattr(obj, name, default)
    other = "en" if lang == "ja" else "ja"
    return get(f"{field}_{lang}") or get(f"{field}_{other}") or ""


@lru_cache(maxsize=4096, typed=True)  # as fmt_number: babel's date formatting is slow, the values repeat
def fmt_date(value: date | datetime | str | None, lang: str) -> str:
    """A date (or datetime, or ISO 8601 text) the way the language writes it."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    locale = "ja_JP" if lang == "ja" else "en_US"
    if isinstance(value, datetime):
        # stored in UTC; people here read Japan time (naive values are taken as UTC)
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return format_datetime(aware, "yyyy/MM/dd HH:mm" if lang == "ja" else "MMM d, yyyy, HH:mm 'JST'",
                               tzinfo=DISPLAY_TZ, locale=locale)
    return format_date(value, "long" if lang == "ja" else "medium", locale=locale)


@lru_cache(maxsize=4096, typed=True)  # babel's formatting is slow and pages show the same few numbers
def fmt_number(value: float | int | None, lang: str) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale="ja_JP" if lang == "ja" else "en_US")
