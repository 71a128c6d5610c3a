"""Loading and the start-up integrity check: corrupted data is rejected, naming the file and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from taxonomies.dss import TaxonomyError, get_taxonomy, load_taxonomy


def corrupt(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_the_copy_loads_unchanged(data_copy: Path) -> None:
    assert len(load_taxonomy(data_copy).skill_items("2.0")) == 67


@pytest.mark.parametrize(("file", "old", "new", "entry", "problem"), [
    ("estimated_role_profiles.yaml", "    v2-backend: a\n", "    v2-backend: e\n", "v2-backend", "level 'e'"),
    ("estimated_role_profiles.yaml", "    v2-sre: c\n", "", "v2-sre", "no estimated level"),
    ("dss_p_v2_0.yaml", "id: v2-frontend", "id: v2-backend", "v2-backend", "used twice"),
    ("dss_p_v2_0.yaml", "id: v2-sre", "id: v2_SRE", "v2_SRE", "lower-case"),
    ("dss_p_v2_0.yaml", "provenance: secondary", "provenance: guessed", "v2-cat-business", "provenance"),
    ("crosswalk_v1_v2.yaml", "- v1: v1-privacy\n  name_ja: プライバシー保護\n  v2:\n  - id: v2-privacy\n"
     "    match: exact\n    basis: identical-name\n", "", "v1-privacy", "no ver.2.0"),
    ("crosswalk_v1_v2.yaml", "  - id: v2-marketing\n", "  - id: v2-marketting\n", "v2-marketting",
     "not a ver.2.0"),
    ("crosswalk_v1_v2.yaml", "match: close", "match: roughly", "roughly", "match"),
    ("crosswalk_exams.yaml", "{id: v2-security-management, level: b", "{id: v2-security-management, level: z",
     "v2-security-management", "level 'z'"),
    ("crosswalk_occupations.yaml", "- role: cs-manager", "- role: cs-boss", "cs-boss", "unknown role"),
    ("dss_l.yaml", "  sources:\n  - S10", "  sources:\n  - S99", "lit-mind-stance", "unknown source"),
])
def test_corrupted_data_is_rejected_naming_file_and_entry(data_copy: Path, file: str, old: str, new: str,
                                                          entry: str, problem: str) -> None:
    corrupt(data_copy / file, old, new)
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(data_copy)
    message = str(err.value)
    assert entry in message and problem in message, message
    assert err.value.file in {file, "dss_p_v1_2.yaml", "crosswalk_v1_v2.yaml"}


def test_wrong_counts_are_rejected(data_copy: Path) -> None:
    path = data_copy / "dss_p_v2_0.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    - id: v2-adaptability")
    path.write_text(text[:start], encoding="utf-8")
    expected = r"dss_p_v2_0.yaml: skills: expected 67 skills in ver.2.0, found 66"
    with pytest.raises(TaxonomyError, match=expected):
        load_taxonomy(data_copy)


def test_a_skill_without_a_name_is_rejected(data_copy: Path) -> None:
    corrupt(data_copy / "dss_p_v2_0.yaml", "name_ja: リーダーシップ", "name_ja: ''")
    with pytest.raises(TaxonomyError, match=r"dss_p_v2_0.yaml: v2-leadership: field 'name_ja'"):
        load_taxonomy(data_copy)


def test_unparsable_and_missing_files_are_named(data_copy: Path) -> None:
    (data_copy / "crosswalk_exams.yaml").write_text("exams: [unclosed\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="crosswalk_exams.yaml"):
        load_taxonomy(data_copy)
    (data_copy / "crosswalk_exams.yaml").unlink()
    with pytest.raises(TaxonomyError, match="crosswalk_exams.yaml: \\(file\\): missing"):
        load_taxonomy(data_copy)


def test_get_taxonomy_is_cached_per_overlay_directory(overlay_dir: Path, tmp_path: Path) -> None:
    assert get_taxonomy(overlay_dir) is get_taxonomy(overlay_dir)
    other = tmp_path / "other"
    other.mkdir()
    assert get_taxonomy(other) is not get_taxonomy(overlay_dir)
