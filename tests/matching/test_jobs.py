"""Job text -> DSS skills and roles (uses the skills mapper, fitted once per process)."""

import pytest

from matching.job_text import analyze_job, segments, title_hits


def test_segments_are_the_whole_text_and_each_sentence():
    parts = segments("データエンジニア募集。BigQueryでの基盤構築。\nPython required. Kafka nice to have.")
    assert parts[0].startswith("データエンジニア募集") and "bigqueryでの基盤構築。" in parts
    assert "python required." in parts


def test_titles_match_on_word_boundaries_and_the_first_line_counts_most():
    assert title_hits("SRE wanted\nWe run social media too")["se-cloud-sre"] == 1.0
    assert "cs-engineer" not in title_hits("We run social media campaigns")  # 'soc' inside 'social'
    assert title_hits("募集要項\nデータサイエンティストとして")["ds-data-science-professional"] == 0.6


@pytest.mark.parametrize("text, role, skill", [
    ("データサイエンティスト募集\n機械学習モデルの構築と統計解析をお任せします。Python必須。",
     "ds-data-science-professional", "v2-machine-learning"),
    ("Site Reliability Engineer\nKubernetes, Terraform, monitoring and incident response on AWS.",
     "se-cloud-sre", "v2-cloud-infrastructure"),
])
def test_a_job_ad_gets_its_role_and_skills(text, role, skill):
    analysis = analyze_job(text)
    assert analysis.roles[0].id == role
    assert skill in [s.id for s in analysis.skills[:5]]
    assert all(s.level in "abc" for s in analysis.skills)
    text_skills = [s for s in analysis.skills if s.source == "text"]
    assert text_skills == sorted(text_skills, key=lambda s: -s.confidence)


def test_an_empty_text_is_refused():
    with pytest.raises(ValueError, match="empty"):
        analyze_job("  ")


def test_dss_roles_are_ranked_apart_from_the_platform_extension_roles():
    from taxonomies.dss import get_taxonomy

    text = ("データマネージャー\nデータマネジメントの仕組みを設計し、データ品質とメタデータを管理する。"
            "データガバナンスの体制を整え、データ活用を推進する。")
    analysis = analyze_job(text)
    extensions = {r.id for r in get_taxonomy().roles() if r.extension}
    assert len(analysis.roles) == 15 and not {r.id for r in analysis.roles} & extensions
    assert {r.id for r in analysis.extension_roles} == extensions
    assert analysis.extension_roles[0].id == "ext-data-manager"  # it fits, and is shown apart
