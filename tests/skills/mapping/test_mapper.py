"""The mapper: obvious items ranked first, confidences in [0, 1] and ordered, both DSS versions."""

import numpy as np
import pytest

from skills.mapping import SkillMatch, embedding, get_model, map_records, map_text
from skills.mapping.corpus import build_corpus
from skills.mapping.model import fit_model
from skills.record_parsing import LearningRecord
from tests.skills.mapping.helpers import fresh_fit, same_calibrator

CLEAR = [
    ("情報セキュリティマネジメント試験 午後問題演習", "v2-security-management"),
    ("Vue 3 フロントエンド開発", "v2-frontend"),
    ("ディープラーニング入門 ニューラルネットワークを作ってみよう", "v2-machine-learning"),
    ("統計検定3級 データの分析と確率", "v2-math-stats-visualization"),
    ("個人情報保護の基礎", "v2-privacy"),
    ("Kubernetes Administrator (CKA) exam preparation", "v2-cloud-infrastructure"),
    ("Introduction to Deep Learning with PyTorch", "v2-machine-learning"),
    ("Penetration testing and secure coding", "v2-secure-design"),
    ("Project management essentials: scope, schedule and budget", "v2-program-project-management"),
    ("SEO and social media marketing", "v2-marketing"),
]


def confidence_of(skill_id: str, title: str) -> float:
    return next(m.confidence for m in map_text(title, top_k=67) if m.id == skill_id)


@pytest.mark.parametrize("title, expected", CLEAR)
def test_obvious_item_is_ranked_first(title, expected):
    assert map_text(title)[0].id == expected


def test_matches_are_ranked_with_confidences_in_unit_interval():
    matches = map_text("AWSで学ぶクラウドインフラ構築", top_k=10)
    assert len(matches) == 10 and all(isinstance(m, SkillMatch) for m in matches)
    confidences = [m.confidence for m in matches]
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert confidences == sorted(confidences, reverse=True)
    assert len({m.id for m in matches}) == 10


def test_confidence_follows_relevance():
    relevant = confidence_of("v2-machine-learning", "Machine learning with scikit-learn: regression and classification")
    unrelated = confidence_of("v2-machine-learning", "Watercolor painting for fun")
    assert relevant > 0.7 > 0.1 > unrelated
    on_topic_best = map_text("SEO and social media marketing")[0].confidence
    off_topic_best = map_text("和食の料理教室")[0].confidence
    assert on_topic_best > 0.9 and off_topic_best < 0.5


def test_map_records_keeps_order_and_sets_level():
    records = [
        LearningRecord(line=2, title="SRE入門 SLOとエラーバジェット", hours=30, course_level="advanced"),
        LearningRecord(line=3, title="GDPR and data protection", hours=2),
    ]
    result = map_records(records, top_k=3)
    assert [len(r) for r in result] == [3, 3]
    assert result[0][0].id == "v2-sre" and result[0][0].level == "b"
    assert result[1][0].id == "v2-privacy" and result[1][0].level == "d"
    assert map_records([]) == []


def test_version_1_2_maps_onto_v1_items():
    matches = map_text("機械学習入門", version="1.2", top_k=3)
    assert matches[0].id == "v1-ml-dl"
    assert all(m.id.startswith("v1-") for m in matches)


def test_unknown_version_is_refused():
    with pytest.raises(ValueError, match="version"):
        map_text("x", version="3.0")


@pytest.mark.timeout(900)  # a fresh fit embeds ~2,000 texts
def test_fit_is_deterministic():
    first, second = fresh_fit("1.2"), fit_model(build_corpus("1.2"), embedding.load_embedder())
    assert np.array_equal(first.classifier.head.coef, second.classifier.head.coef)
    assert np.array_equal(first.classifier.coef, second.classifier.coef)
    assert first.calibrator == second.calibrator
    # Another CPU's BLAS path may move the shipped artefact's fit in the last bits, never more.
    assert same_calibrator(first.calibrator, get_model("1.2").calibrator)
