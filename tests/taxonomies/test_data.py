"""The shipped DSS data: counts, ids, provenance, texts, role matrix, crosswalks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from taxonomies.dss import LEVELS, PROVENANCES, Taxonomy, level_rank, meets
from taxonomies.dss.integrity import EXPECTED_COUNTS, counts
from taxonomies.dss.service import base_data

REFERENCE = Path("/work/shared/reference/dss")


def test_counts_per_version(tx: Taxonomy) -> None:
    assert tx.versions == ("1.2", "2.0")
    assert tx.current_version == "2.0"
    assert [len(tx.categories("2.0")), len(tx.subcategories("2.0")),
            len(tx.skill_items("2.0"))] == [5, 13, 67]
    assert len(tx.person_types("1.2")) == 5
    assert len(tx.roles(include_extensions=False)) == 15
    assert [len(tx.categories("1.2")), len(tx.subcategories("1.2")),
            len(tx.skill_items("1.2"))] == [5, 12, 49]
    found = counts(base_data())
    for version, expected in EXPECTED_COUNTS.items():
        assert {k: found[version][k] for k in expected} == expected


def test_every_concept_has_a_url_safe_unique_id_labels_and_provenance(tx: Taxonomy) -> None:
    ids = [c.id for _, c in tx.concepts()]
    assert len(ids) == len(set(ids))
    for kind, concept in tx.concepts():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", concept.id)
        assert concept.uri_path == f"/dss/{concept.version}/{kind}/{concept.id}"
        assert concept.name_ja and concept.name_en
        assert concept.provenance in PROVENANCES
        assert set(concept.sources) <= set(tx.sources)


def test_v2_items_are_bilingual_with_descriptions_and_learning_items(tx: Taxonomy) -> None:
    for skill in tx.skill_items("2.0"):
        assert skill.description_ja and skill.description_en
        assert skill.learning_items_ja and len(skill.learning_items_ja) == len(skill.learning_items_en)
        items = skill.learning_items_ja + skill.learning_items_en
        assert not any("<br" in x or x.startswith("•") for x in items)
        assert skill.provenance == "secondary" and "S15" in skill.sources


def test_skill_items_come_in_standard_order_and_lookup_works_for_any_version(tx: Taxonomy) -> None:
    codes = [s.code for s in tx.skill_items("2.0")]
    assert codes[0] == "1.1.1" and codes[-1] == "5.2.4"
    assert tx.skill_item("v1-backend").version == "1.2"
    assert tx.skill_item("v2-backend").subcategory_id == "v2-sub-software-development"
    with pytest.raises(KeyError):
        tx.skill_item("v2-nope")
    with pytest.raises(KeyError):
        tx.skill_item("v2-cat-business")  # a category, not a skill item


def test_role_matrix_is_complete_with_legal_levels_and_provenance(tx: Taxonomy) -> None:
    all_skills = [s.id for v in tx.versions for s in tx.skill_items(v)]
    roles = tx.roles()
    assert len(roles) == 17
    for role in roles:
        assert set(role.requirements) == set(all_skills), role.id
        for req in role.requirements.values():
            assert req.level in LEVELS
            assert req.provenance == "estimated"  # no overlay in this directory
        assert role.rationale_en and role.rationale_ja


def test_extension_roles_are_labelled_and_apart_from_dss_roles(tx: Taxonomy) -> None:
    extensions = [r for r in tx.roles() if r.extension]
    assert {r.id for r in extensions} == {"ext-business-analyst", "ext-data-manager"}
    assert all(r.provenance == "estimated" and "extension" in (r.note or "") for r in extensions)
    person_type_roles = {rid for p in tx.person_types("1.2") for rid in p.role_ids}
    assert person_type_roles == {r.id for r in tx.roles(include_extensions=False)}


def test_v1_levels_are_derived_through_the_crosswalk(tx: Taxonomy) -> None:
    role = tx.role("se-backend")
    assert role.requirements["v1-backend"].level == role.requirements["v2-backend"].level
    assert "crosswalk" in (role.requirements["v1-backend"].rationale or "")


def test_crosswalk_covers_every_v1_item_identical_names_first(tx: Taxonomy) -> None:
    links = tx.crosswalk_v1_v2()
    assert {link.source_id for link in links} == {s.id for s in tx.skill_items("1.2")}
    bases = [link.basis for link in links]
    assert bases == sorted(bases, key=lambda b: b != "identical-name")
    for link in links:
        source, target = tx.skill_item(link.source_id), tx.skill_item(link.target_id)
        assert (source.version, target.version) == ("1.2", "2.0")
        assert link.match in ("exact", "close", "partial")
        if link.basis == "identical-name":
            assert source.name_ja == target.name_ja and link.match == "exact"


def test_exam_crosswalk_covers_the_ipa_exams_with_legal_levels(tx: Taxonomy) -> None:
    codes = {e.code for e in tx.exam_crosswalk()}
    assert {"IP", "SG", "FE", "AP", "ST", "SA", "PM", "NW", "DB", "ES", "SM", "AU", "SC"} <= codes
    for exam in tx.exam_crosswalk():
        assert exam.provenance == "estimated" and exam.links
        for link in exam.links:
            assert tx.skill_item(link.skill_id).version == "2.0"
            assert link.level in LEVELS and level_rank(link.level) <= level_rank("b")


def test_occupation_crosswalk_refers_to_known_roles(tx: Taxonomy) -> None:
    role_ids = {r.id for r in tx.roles()}
    occupations = tx.occupation_crosswalk()
    assert {o.scheme for o in occupations} == {"jobtag", "esco"}
    assert all(o.role_id in role_ids and o.provenance == "estimated" for o in occupations)


def test_level_scale_orders_a_above_d() -> None:
    assert LEVELS == ("a", "b", "c", "d")
    assert level_rank("a") > level_rank("b") > level_rank("c") > level_rank("d")
    assert meets("b", "c") and not meets("d", "c")
    with pytest.raises(ValueError):
        level_rank("e")


def test_search_finds_concepts_in_both_languages(tx: Taxonomy) -> None:
    assert tx.search("機械学習")[0].id == "v2-machine-learning"
    assert tx.search("machine learning", lang="en")[0].id == "v2-machine-learning"
    assert tx.search("machine learning", lang="ja") == []
    assert any(h.id == "v2-cloud-infrastructure" for h in tx.search("ＣＬＯＵＤ"))  # width and case folded


def test_metadata_carries_the_cc_by_sa_attribution(tx: Taxonomy) -> None:
    assert "CC BY-SA 4.0" in tx.metadata("2.0")["licence"]
    assert tx.sources["S15"].licence == "CC BY-SA 4.0"


@pytest.mark.skipif(not REFERENCE.exists(), reason="reference tables not on this machine")
def test_names_match_the_reference_tables(tx: Taxonomy) -> None:
    ref = json.loads((REFERENCE / "dss_p_v2_0_skills.json").read_text(encoding="utf-8"))
    ref_names = [k["name_ja"] for c in ref["categories"] for s in c["subcategories"] for k in s["skills"]]
    assert [s.name_ja for s in tx.skill_items("2.0")] == ref_names
    ref_desc = [k["description_ja"]
                for c in ref["categories"] for s in c["subcategories"] for k in s["skills"]]
    assert [s.description_ja for s in tx.skill_items("2.0")] == ref_desc
    v1 = json.loads((REFERENCE / "dss_p_v1_2.json").read_text(encoding="utf-8"))
    v1_names = [k.get("name_ja") or k["unverified_name_ja"]
                for c in v1["categories"] for s in c["subcategories"] for k in s["skills"]]
    assert [s.name_ja for s in tx.skill_items("1.2")] == v1_names


def test_runtime_code_never_reads_the_shared_reference() -> None:
    package = Path(__file__).resolve().parents[2] / "taxonomies" / "dss"
    for path in package.rglob("*.py"):
        if "tools" in path.parts:
            continue
        assert "/work/shared" not in path.read_text(encoding="utf-8"), path
