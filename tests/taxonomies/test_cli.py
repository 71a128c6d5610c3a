"""``skillpass taxonomy check`` and ``export``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from taxonomies.dss.cli import taxonomy_group


def test_check_prints_counts(overlay_dir: Path) -> None:
    result = CliRunner().invoke(taxonomy_group, ["check", "--data-dir", str(overlay_dir)])
    assert result.exit_code == 0, result.output
    assert "ver.2.0: 5 categories, 13 subcategories, 67 skills" in result.output
    assert "ver.1.2: 5 person types, 15 roles, 5 categories, 12 subcategories, 49 skills" in result.output
    assert result.output.strip().endswith("ok")


def test_check_fails_on_a_damaged_overlay(overlay_dir: Path) -> None:
    (overlay_dir / "dss_importance_overlay.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(taxonomy_group, ["check", "--data-dir", str(overlay_dir)])
    assert result.exit_code != 0 and "dss_importance_overlay.json" in result.output


def test_export_writes_a_file(tmp_path: Path, overlay_dir: Path) -> None:
    out = tmp_path / "dss.json"
    result = CliRunner().invoke(taxonomy_group, [
        "export", "--version", "1.2", "--format", "json", "--base-url", "https://x.test",
        "--output", str(out),
        "--data-dir", str(overlay_dir)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["version"] == "1.2"
    assert doc["skill_items"][0]["uri"].startswith("https://x.test/dss/1.2/skills/")


def test_export_rejects_an_unknown_format() -> None:
    result = CliRunner().invoke(taxonomy_group, ["export", "--format", "xml"])
    assert result.exit_code != 0 and "xml" in result.output
