"""Official importance overlay: import replaces estimates, --revert restores them, bad rows write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from taxonomies.dss import ImportanceImportError, get_taxonomy, import_importance, revert_importance
from taxonomies.dss.cli import taxonomy_group
from taxonomies.dss.overlay import OVERLAY_FILE


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def official_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "official.csv", "role_id,skill_id,level\n"
                                                "se-backend,v1-backend,b\n"
                                                "cs-manager,v2-privacy,d\n"
                                                "\n"
                                                "データエンジニア,データ活用基盤設計,c\n")


def test_import_replaces_estimates_and_revert_restores_them(official_csv: Path, overlay_dir: Path) -> None:
    before = get_taxonomy(overlay_dir)
    estimated = before.role("se-backend").requirements["v1-backend"]
    summary = import_importance(official_csv, overlay_dir)
    assert (summary.cells, summary.roles) == (3, 3)

    after = get_taxonomy(overlay_dir)
    req = after.role("se-backend").requirements["v1-backend"]
    assert (req.level, req.provenance) == ("b", "official") and "official.csv" in (req.rationale or "")
    assert after.role("cs-manager").requirements["v2-privacy"].provenance == "official"
    assert after.role("ds-data-engineer").requirements["v1-platform-design"].level == "c"
    assert after.role("se-backend").requirements["v2-backend"].provenance == "estimated"
    assert after.overlay and after.overlay["imports"][0]["cells"] == 3

    revert_importance(official_csv, overlay_dir)
    restored = get_taxonomy(overlay_dir)
    assert restored.role("se-backend").requirements["v1-backend"] == estimated
    assert restored.overlay is None
    assert not (overlay_dir / OVERLAY_FILE).exists()


def test_later_imports_win_and_reverting_one_shows_the_earlier(tmp_path: Path, overlay_dir: Path) -> None:
    first = write_csv(tmp_path / "first.csv", "role_id,skill_id,level\nse-backend,v1-backend,a\n")
    second = write_csv(tmp_path / "second.csv", "role_id,skill_id,level\nse-backend,v1-backend,d\n")
    import_importance(first, overlay_dir)
    import_importance(second, overlay_dir)
    assert get_taxonomy(overlay_dir).role("se-backend").requirements["v1-backend"].level == "d"
    revert_importance(second, overlay_dir)
    assert get_taxonomy(overlay_dir).role("se-backend").requirements["v1-backend"].level == "a"


@pytest.mark.parametrize(("text", "line", "field"), [
    ("role,skill\nse-backend,v1-backend\n", 1, "(header)"),
    ("role_id,skill_id,level\nse-backend,v1-backend,a\nse-backned,v1-backend,a\n", 3, "role_id"),
    ("role_id,skill_id,level\nse-backend,v1-backend,a\nse-backend,v1-bakend,a\n", 3, "skill_id"),
    ("role_id,skill_id,level\nse-backend,v1-backend,e\n", 2, "level"),
    ("role_id,skill_id,level\nse-backend,v1-backend,\n", 2, "level"),
    ("role_id,skill_id,level\nse-backend,v1-backend\n", 2, "(row)"),
    ("role_id,skill_id,level\nse-backend,v1-backend,a\nse-backend,v1-backend,b\n", 3, "skill_id"),
    ("role_id,skill_id,level\next-data-manager,v2-privacy,a\n", 2, "role_id"),
    ("role_id,skill_id,level\nse-backend,マーケティング,a\n", 2, "skill_id"),
    ("role_id,skill_id,level\n", 2, "(row)"),
])
def test_bad_rows_name_line_and_field_and_write_nothing(tmp_path: Path, overlay_dir: Path, text: str,
                                                         line: int, field: str) -> None:
    bad = write_csv(tmp_path / "bad.csv", text)
    with pytest.raises(ImportanceImportError) as err:
        import_importance(bad, overlay_dir)
    assert (err.value.line, err.value.field) == (line, field)
    assert f"line {line}" in err.value.detail and field in err.value.detail
    assert not (overlay_dir / OVERLAY_FILE).exists()


def test_japanese_header_names_cp932_and_version_choice(tmp_path: Path, overlay_dir: Path) -> None:
    path = write_csv(tmp_path / "ipa.csv", "ロール,スキル項目,重要度\nバックエンドエンジニア,マーケティング,Ｃ\n",
                     encoding="cp932")
    import_importance(path, overlay_dir, version="1.2")
    req = get_taxonomy(overlay_dir).role("se-backend").requirements["v1-marketing"]
    assert (req.level, req.provenance) == ("c", "official")


def test_reverting_a_file_never_imported_is_an_error(official_csv: Path, overlay_dir: Path) -> None:
    with pytest.raises(ImportanceImportError, match="never imported"):
        revert_importance(official_csv, overlay_dir)


def test_cli_imports_reverts_and_fails_with_line_and_field(official_csv: Path, overlay_dir: Path,
                                                           tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(taxonomy_group, ["import-importance", str(official_csv),
                                            "--data-dir", str(overlay_dir)])
    assert result.exit_code == 0, result.output
    assert "imported official.csv: 3 cells for 3 roles" in result.output
    result = runner.invoke(taxonomy_group, ["import-importance", str(official_csv), "--revert",
                                            "--data-dir", str(overlay_dir)])
    assert result.exit_code == 0 and "reverted" in result.output
    bad = write_csv(tmp_path / "bad.csv", "role_id,skill_id,level\nse-backend,v1-backend,x\n")
    result = runner.invoke(taxonomy_group, ["import-importance", str(bad), "--data-dir", str(overlay_dir)])
    assert result.exit_code != 0
    assert "bad.csv, line 2, field level" in result.output
